"""The whole demo (./xf run): people, cases in every state, supervision and leader
reception, each loaded by its own app's demo module; safe to run again."""

from __future__ import annotations

from cases.demo import load_cases
from cases.models import Case
from dashboard.reception_demo import load as load_reception
from documents.demo import deliver_answer, deliver_first_notice
from people.demo import ensure_people
from supervision.demo import load as load_supervision


def load_demo(*, seed: int = 2026) -> dict:
    users = ensure_people()
    if Case.objects.exists():
        return {"users": users, "created": 0}
    # a case is filed once its answer has reached the petitioner (documents.guards)
    created = load_cases(users, seed=seed, before_archive=lambda case: deliver_answer(case, users["office"]))
    # the office's decision reaches the petitioner in writing (《信访工作条例》第二十三条);
    # documents.demo.first_notice_kind says which notice, if any, each case owes
    for case in Case.objects.order_by("pk"):
        deliver_first_notice(case, users["office"])
    load_supervision(users)
    load_reception(users)
    return {"users": users, "created": created}
