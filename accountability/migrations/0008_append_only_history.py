from django.db import migrations

from core.audit import append_only


class Migration(migrations.Migration):
    """The accountability cases', measures' and appeals' history cannot be edited or
    deleted (core.audit)."""

    dependencies = [("accountability", "0007_history_reasons_kept_whole")]

    operations = [
        append_only(
            "accountability_historicalaccountabilitycase",
            "accountability_historicalmeasure",
            "accountability_historicalappeal",
        )
    ]
