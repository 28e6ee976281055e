from django.db import migrations


def seed(apps, schema_editor):
    """The triggers' sources in the form users read (《河南省教育系统信访工作责任制实施细则》
    第十一条（四） rather than an internal code)."""
    from supervision.seed_triggers import seed_triggers

    seed_triggers(apps.get_model("supervision", "Trigger"))


class Migration(migrations.Migration):
    dependencies = [("supervision", "0004_notification_moves_to_notifications")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
