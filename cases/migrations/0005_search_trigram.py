"""Trigram indexes for the list's 关键词 search (PostgreSQL only; other databases scan).

These three stay here rather than in Meta.indexes: a GIN index with gin_trgm_ops exists
only on PostgreSQL, and an index in the model's state would be recreated, and fail,
whenever SQLite rebuilds the table."""

from django.db import migrations

STATEMENTS = [
    (
        "CREATE INDEX IF NOT EXISTS petitioner_name_trgm ON cases_petitioner USING gin (upper(name) gin_trgm_ops)",
        "DROP INDEX IF EXISTS petitioner_name_trgm",
    ),
    (
        "CREATE INDEX IF NOT EXISTS petitioner_phone_trgm ON cases_petitioner USING gin (phone gin_trgm_ops)",
        "DROP INDEX IF EXISTS petitioner_phone_trgm",
    ),
    (
        "CREATE INDEX IF NOT EXISTS case_summary_trgm ON cases_case USING gin (upper(summary) gin_trgm_ops)",
        "DROP INDEX IF EXISTS case_summary_trgm",
    ),
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for create, _drop in STATEMENTS:
        schema_editor.execute(create)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for _create, drop in STATEMENTS:
        schema_editor.execute(drop)


class Migration(migrations.Migration):
    dependencies = [("cases", "0004_list_indexes")]
    operations = [migrations.RunPython(forwards, backwards)]
