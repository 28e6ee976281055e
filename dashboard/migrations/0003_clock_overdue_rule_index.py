from django.db import migrations

NAME = "dashboard_clock_overdue_rule_idx"


def create(apps, schema_editor):
    """Overdue clocks by rule: the dashboard reads the duty rules' overdue clocks without
    touching the lapsed petitioner windows that share the overdue status."""
    include = " INCLUDE (case_id, due_at)" if schema_editor.connection.vendor == "postgresql" else ""
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {NAME} ON deadlines_clock (rule_id){include} WHERE status = 'overdue'"
    )


def drop(apps, schema_editor):
    schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}")


class Migration(migrations.Migration):
    dependencies = [("dashboard", "0002_clock_open_case_index")]

    operations = [migrations.RunPython(create, drop)]
