from django.db import migrations


def seed(apps, schema_editor):
    """The 条例 and the school documents the rules come from, as data."""
    from core.sources import seed_sources

    seed_sources(apps.get_model("core", "Source"))


class Migration(migrations.Migration):
    dependencies = [("core", "0001_sources")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
