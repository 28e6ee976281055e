from django.db import migrations

from core.audit import append_only


class Migration(migrations.Migration):
    """The 督办 notices' history cannot be edited or deleted (core.audit)."""

    dependencies = [("supervision", "0007_cite_the_regulation_by_its_title")]

    operations = [append_only("supervision_historicalnotice")]
