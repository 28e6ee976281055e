from django.db import migrations

FIELDS = ["needs_known_petitioner", "starts_when", "stops_when"]


def update(apps, schema_editor):
    """The 送达 clock (未履行送达责任) is not owed to a petitioner whose name or address is
    unknown (《信访工作条例》第二十三条), and says it starts at the written answer and stops at
    the delivery of whichever letter answers the case. Only that rule's row changes; its
    length, which an administrator may have set, stays."""
    from deadlines.seed_rules import RULES

    row = next(r for r in RULES if r["code"] == "reply-delivery")
    DeadlineRule = apps.get_model("deadlines", "DeadlineRule")
    DeadlineRule.objects.filter(code="reply-delivery").update(**{name: row[name] for name in FIELDS})


class Migration(migrations.Migration):
    dependencies = [("deadlines", "0014_statutory_route_stops_the_handling_clocks")]

    operations = [migrations.RunPython(update, migrations.RunPython.noop)]
