"""Append-only audit tables (等保 2.0 三级 安全审计: 审计记录应受到保护，避免受到未预期的
删除、修改或覆盖; OWASP ASVS 7.3.3).

On PostgreSQL a trigger refuses every UPDATE and DELETE of a row in the case histories
and the access log, whoever asks, the application's own connection included; the admin
shows them read-only. Each app installs the trigger on its own tables with a migration:

    operations = [append_only("cases_historicalcase", "cases_caseaccesslog")]

On SQLite (the embedded demo) nothing is installed; the admin and the services are the
only writers there."""

from __future__ import annotations

from django.db import migrations

FUNCTION = "xf_refuse_audit_change"

CREATE_FUNCTION = f"""
CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '审计记录只能追加，不能修改或删除（表 %，操作 %）', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;
"""


def _trigger(table: str) -> str:
    return f"{table}_append_only"


def append_only(*tables: str) -> migrations.RunPython:
    """A migration operation that makes `tables` append-only on PostgreSQL."""

    def forwards(apps, schema_editor) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        # no parameters: the % in the message are PL/pgSQL's, not placeholders
        schema_editor.execute(CREATE_FUNCTION, params=None)
        for table in tables:
            schema_editor.execute(f'DROP TRIGGER IF EXISTS "{_trigger(table)}" ON "{table}"')
            schema_editor.execute(
                f'CREATE TRIGGER "{_trigger(table)}" BEFORE UPDATE OR DELETE ON "{table}" '
                f"FOR EACH ROW EXECUTE FUNCTION {FUNCTION}()"
            )

    def backwards(apps, schema_editor) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        for table in tables:
            schema_editor.execute(f'DROP TRIGGER IF EXISTS "{_trigger(table)}" ON "{table}"')

    return migrations.RunPython(forwards, backwards, elidable=False)
