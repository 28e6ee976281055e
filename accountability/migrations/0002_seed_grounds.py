from django.db import migrations


def seed(apps, schema_editor):
    """The grounds for accountability, as data."""
    from accountability.seed_grounds import seed_grounds

    seed_grounds(apps.get_model("accountability", "Ground"))


class Migration(migrations.Migration):
    dependencies = [("accountability", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
