from django.db import migrations


def seed(apps, schema_editor):
    """The 督办反馈 period (seed 002 第十一条(一)), added with the supervision notices."""
    from deadlines.seed_rules import seed_rules

    seed_rules(apps.get_model("deadlines", "DeadlineRule"), only_missing=True)


class Migration(migrations.Migration):
    dependencies = [("deadlines", "0006_alter_deadlinerule_start_event")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
