"""The annual assessment's writes: the scheme, vetoes, notes and the confirmation that
freezes a year (the reads and the computation are accountability.assessment)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from people.models import Unit, User

from .assessment import (
    SCHEME_FIELDS,
    Frozen,
    Row,
    compute,
    encode_figures,
    is_frozen,
    require_write,
    scheme_for,
)
from .models import (
    AssessmentNote,
    AssessmentResult,
    AssessmentRow,
    AssessmentScheme,
    AssessmentVeto,
)


def _refuse_if_frozen(year: int) -> None:
    if is_frozen(year):
        raise Frozen(f"{year}年度考核结果已确认，不能再修改；更正请登记说明。")


@transaction.atomic
def scheme_save(*, year: int, actor: User, values: dict) -> AssessmentScheme:
    require_write(actor)
    _refuse_if_frozen(year)
    scheme = scheme_for(year)
    for name in SCHEME_FIELDS:
        if name in values:
            setattr(scheme, name, values[name])
    scheme.updated_by = actor
    scheme.save()
    return scheme


@transaction.atomic
def veto_record(*, year: int, unit: Unit, actor: User, reason: str) -> AssessmentVeto:
    """一票否决 (seed 000 §五(五))."""
    require_write(actor)
    _refuse_if_frozen(year)
    if not reason.strip():
        raise ValidationError("请填写否决理由。")
    return AssessmentVeto.objects.create(year=year, unit=unit, reason=reason.strip(), created_by=actor)


@transaction.atomic
def note_add(*, year: int, actor: User, text: str) -> AssessmentNote:
    """A note, before or after confirmation (after it, the only correction)."""
    require_write(actor)
    if not text.strip():
        raise ValidationError("请填写说明。")
    return AssessmentNote.objects.create(year=year, text=text.strip(), created_by=actor)


@transaction.atomic
def confirm(*, year: int, actor: User) -> AssessmentResult:
    """Freeze the year: store the computed rows; they are read from there ever after."""
    require_write(actor)
    # Lock the scheme row (if any) so two confirmations do not race; the unique year
    # refuses the second anyway.
    AssessmentScheme.objects.select_for_update().filter(year=year).first()
    _refuse_if_frozen(year)
    scheme = scheme_for(year)
    rows = compute(year)
    result = AssessmentResult.objects.create(
        year=year, confirmed_by=actor, scheme={n: str(getattr(scheme, n)) for n in SCHEME_FIELDS}
    )
    AssessmentRow.objects.bulk_create(
        AssessmentRow(
            result=result,
            unit_id=r.unit_id,
            unit_name=r.unit_name,
            figures=encode_figures(r.figures, r.reasons),
            score=r.score,
            passed=r.passed,
            vetoed=r.vetoed,
            veto_reason=r.veto_reason,
            rank=r.rank,
        )
        for r in rows
    )
    return result


def recompute(*, year: int) -> list[Row]:
    """Compute a year afresh; refused once it is confirmed."""
    _refuse_if_frozen(year)
    return compute(year)
