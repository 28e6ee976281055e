from django.db import migrations


def update(apps, schema_editor):
    """A matter routed to its statutory procedure after acceptance (《信访工作条例》第三十一条)
    is not accepted as a 信访: the 拟办 and 办结 clocks stop at not_accepted too, and their
    止于 says so."""
    from deadlines.seed_rules import seed_rules

    seed_rules(apps.get_model("deadlines", "DeadlineRule"), fields=["stop_events", "stops_when"])


class Migration(migrations.Migration):
    dependencies = [("deadlines", "0013_clock_columns_default_in_the_database")]

    operations = [migrations.RunPython(update, migrations.RunPython.noop)]
