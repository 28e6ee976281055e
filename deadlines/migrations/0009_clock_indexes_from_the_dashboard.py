# The two partial indexes on clocks that dashboard 0002 and 0003 made with raw SQL are
# declared in Clock.Meta.indexes now: they join this app's state as they are, then take
# names of their own table's.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("deadlines", "0008_clock_open_due_index_covers_case_and_rule"),
        ("dashboard", "0003_clock_overdue_rule_index"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AddIndex(
                    model_name="clock",
                    index=models.Index(
                        condition=models.Q(("status__in", ["running", "due_soon", "overdue"])),
                        fields=["case"],
                        include=("due_at", "rule"),
                        name="dashboard_clock_open_case_idx",
                    ),
                ),
                migrations.AddIndex(
                    model_name="clock",
                    index=models.Index(
                        condition=models.Q(("status", "overdue")),
                        fields=["rule"],
                        include=("case", "due_at"),
                        name="dashboard_clock_overdue_rule_idx",
                    ),
                ),
            ],
        ),
        migrations.RenameIndex(
            model_name="clock", new_name="clock_open_case_idx", old_name="dashboard_clock_open_case_idx"
        ),
        migrations.RenameIndex(
            model_name="clock", new_name="clock_overdue_rule_idx", old_name="dashboard_clock_overdue_rule_idx"
        ),
    ]
