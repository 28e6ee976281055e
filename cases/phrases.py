"""常用语 (issue 14, point 5): stock phrases for the reasons, proposals, instructions and
replies people type every day ("同意拟办意见。" in one click), kept school-wide, by a unit
for its staff, and by each person for themselves.

A form names which of its fields take which kind of phrase (FIELD_USES); `attach`
hangs the reader's phrases on those fields, and templates/_field.html shows them as
buttons under the field: a click, or Alt+1 … Alt+9 in the field, inserts one at the
cursor (static/js/app.js)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet

from people.abilities import heads_own_unit, is_office
from people.models import User

from .models import Phrase

Use = Phrase.Use
# form field name -> the phrases it takes
FIELD_USES = {
    "reason": Use.REASON,
    "note": Use.REASON,
    "opinion": Use.REASON,
    "comment": Use.REASON,
    "proposal": Use.PROPOSAL,
    "instruction": Use.INSTRUCTION,
    "requirements": Use.INSTRUCTION,
    "facts": Use.REPLY,
    "conclusion": Use.REPLY,
    "handling": Use.REPLY,
    "petitioner_opinion": Use.REPLY,
    "answer": Use.REPLY,
}
MAX_SHOWN = 9  # Alt+1 … Alt+9
MAX_PER_PERSON = 60


def phrases_for(user: User) -> QuerySet[Phrase]:
    """The school's, the person's unit's and their own, in that order."""
    mine = Q(owner=user) | Q(owner=None, unit=None)
    if user.unit_id:
        mine |= Q(owner=None, unit_id=user.unit_id)
    return Phrase.objects.filter(mine).order_by("use", "owner", "unit", "order", "pk")


def attach(form, user: User) -> None:
    """Hang the reader's phrases on the form's fields that take them (field.phrases)."""
    wanted = {name: FIELD_USES[name] for name in form.fields if name in FIELD_USES}
    if not wanted:
        return
    by_use: dict[str, list[str]] = {}
    for phrase in phrases_for(user).filter(use__in=set(wanted.values())):
        by_use.setdefault(phrase.use, []).append(phrase.text)
    for name, use in wanted.items():
        form.fields[name].phrases = by_use.get(use, [])[:MAX_SHOWN]


def may_keep_for_unit(user: User) -> bool:
    """A unit's phrases are kept by its head, and by the office for its own unit."""
    return bool(user.unit_id) and (heads_own_unit(user) or is_office(user))


@transaction.atomic
def phrase_add(*, user: User, use: str, text: str, for_unit: bool = False) -> Phrase:
    text = " ".join(text.split())
    if not text:
        raise ValidationError("请填写常用语的内容。")
    if len(text) > 500:
        raise ValidationError(f"常用语不能超过 500 字（现有 {len(text)} 字）。")
    if use not in Use.values:
        raise ValidationError("请从列表中选择常用语的用途。")
    if for_unit and not may_keep_for_unit(user):
        raise PermissionDenied("只有部门负责人可以维护本部门的常用语。")
    owner, unit = (None, user.unit) if for_unit else (user, None)
    if not for_unit and Phrase.objects.filter(owner=user).count() >= MAX_PER_PERSON:
        raise ValidationError(f"每人最多保存 {MAX_PER_PERSON} 条常用语，请先删除不用的。")
    if Phrase.objects.filter(owner=owner, unit=unit, use=use, text=text).exists():
        raise ValidationError("已有相同的常用语。")
    last = Phrase.objects.filter(owner=owner, unit=unit, use=use).order_by("-order").first()
    return Phrase.objects.create(owner=owner, unit=unit, use=use, text=text, order=(last.order + 1) if last else 0)


@transaction.atomic
def phrase_delete(*, user: User, phrase: Phrase) -> None:
    if phrase.owner_id == user.pk:
        phrase.delete()
        return
    if phrase.owner_id is None and phrase.unit_id and phrase.unit_id == user.unit_id and may_keep_for_unit(user):
        phrase.delete()
        return
    raise PermissionDenied("只能删除自己的或本部门的常用语；全校通用的常用语由系统管理员维护。")
