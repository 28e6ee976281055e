from django.db import migrations


def seed(apps, schema_editor):
    """Every row of the DOMAIN.md deadline table; administrators edit them afterwards."""
    from deadlines.seed_rules import seed_rules

    seed_rules(apps.get_model("deadlines", "DeadlineRule"))


class Migration(migrations.Migration):
    dependencies = [("deadlines", "0003_deadlinerule_clock_extension_and_more")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
