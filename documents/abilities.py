"""Who may do what with documents and ledgers, named once (django-rules)."""

from __future__ import annotations

import rules

from people.abilities import is_admin, is_clerk, is_discipline, is_leader, is_office, is_unit_staff

from .models import DocumentKind


@rules.predicate
def can_issue(user, kind: str) -> bool:
    """The petition office issues every document; the clerk who registers a case may also
    print its 信访登记表 (seed 000 §四.1)."""
    return is_office(user) or (kind == DocumentKind.REGISTRATION and is_clerk(user))


# 台账: every role that handles cases exports its own scope's ledger (seed 003).
can_export_ledger = is_office | is_admin | is_leader | is_unit_staff | is_discipline
# The year-end archive: the office and the administrator.
can_archive = is_office | is_admin
# Personal data stays masked unless needed: the office and discipline keep the ledger of
# record; units and leaders get masked phone numbers.
sees_full_contact = is_office | is_discipline | is_admin

rules.add_rule("documents.export_ledger", can_export_ledger)
rules.add_rule("documents.archive", can_archive)
