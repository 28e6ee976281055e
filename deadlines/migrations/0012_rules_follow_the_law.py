from django.db import migrations

# What the law says about each rule: when it starts and stops, and its source in the form
# users read. The lengths an administrator may have set stay as they are.
FIELDS = [
    "start_event",
    "from_received",
    "stop_events",
    "superior_stop_events",
    "applies_to",
    "needs_known_petitioner",
    "pauses_for_hearing",
    "notice_trigger",
    "starts_when",
    "stops_when",
    "citation",
]


def update(apps, schema_editor):
    """The 15 days of 《信访工作条例》第二十三条 from receipt to the delivered notice; the
    复查/复核 windows from delivery (第三十五、三十六条); the 听证 pause; the superior's
    deadline stopped by the 复函; the sunshine platform's own classification; the 送达 rule
    (《河南省教育系统信访工作责任制实施细则》第十一条（四）)."""
    from deadlines.seed_rules import seed_rules

    seed_rules(apps.get_model("deadlines", "DeadlineRule"), fields=FIELDS)


class Migration(migrations.Migration):
    dependencies = [("deadlines", "0011_clock_pause_not_applicable_and_extension_approval")]

    operations = [migrations.RunPython(update, migrations.RunPython.noop)]
