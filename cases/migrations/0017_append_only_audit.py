from django.db import migrations

from core.audit import append_only


class Migration(migrations.Migration):
    """The case history and the access log (查阅记录) cannot be edited or deleted
    (core.audit; seed 004 第九条)."""

    dependencies = [("cases", "0016_normalise_petitioner_contacts")]

    operations = [append_only("cases_historicalcase", "cases_caseaccesslog")]
