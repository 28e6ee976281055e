from django.db import migrations


def seed(apps, schema_editor):
    """The supervision triggers of DOMAIN.md, as data."""
    from supervision.seed_triggers import seed_triggers

    seed_triggers(apps.get_model("supervision", "Trigger"))


class Migration(migrations.Migration):
    dependencies = [("supervision", "0002_notice_lifecycle")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
