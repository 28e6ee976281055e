"""An index for the dashboard's live figures (overdue now, due soon, 积案): the open
clocks of a case, found from the few open cases. deadlines' own partial index covers
running clocks by due time only; the lapsed petitioner windows (status 'overdue') make a
due-time range useless here. INCLUDE is PostgreSQL's; SQLite gets the plain index."""

from django.db import migrations

NAME = "dashboard_clock_open_case_idx"
WHERE = "WHERE status IN ('running', 'due_soon', 'overdue')"


def create(apps, schema_editor):
    include = " INCLUDE (due_at, rule_id)" if schema_editor.connection.vendor == "postgresql" else ""
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {NAME} ON deadlines_clock (case_id){include} {WHERE}")


def drop(apps, schema_editor):
    schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}")


class Migration(migrations.Migration):
    dependencies = [("dashboard", "0001_initial"), ("deadlines", "0007_seed_notice_feedback_rule")]

    operations = [migrations.RunPython(create, drop)]
