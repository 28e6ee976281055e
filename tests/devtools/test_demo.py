"""The demo a new user meets (./xf run): it loads on any day, is safe to load twice, and
does what an office does: every decision is told to the petitioner in writing and
delivered (《信访工作条例》第二十三条), the 复查 request comes after the reply reached the
petitioner (第三十五条)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from cases.models import Case, State
from deadlines.clocks import Clock
from devtools.demo import load_demo
from documents.guards import delivery_owed
from documents.models import Delivery
from tests.conftest import logged_in_client

D = dt.date

pytestmark = pytest.mark.django_db


# an ordinary day, 29 February, and a 调休 working Saturday
@pytest.mark.parametrize("day", [D(2026, 12, 2), D(2028, 2, 29), D(2026, 9, 27)])
def test_the_demo_loads_once_and_tells_every_decision_in_writing(today_is, day):
    today_is(day)
    loaded = load_demo()
    assert loaded["created"] > 10
    again = load_demo()
    assert again["created"] == 0  # safe to run again (it resets the logins' passwords)

    decided = Case.objects.exclude(state__in=[State.REGISTERED, State.RETURNED_UP])
    owed = [case for case in decided if delivery_owed(case)]
    assert owed
    for case in owed:
        clock = case.clocks.get(rule__code="accept-decision")
        assert (case.number, clock.status) == (case.number, Clock.Status.STOPPED)
        assert Delivery.objects.filter(document__case=case).exists()

    asked = Case.objects.filter(review_requests__isnull=False).distinct()
    assert asked.exists()
    for case in asked:
        window = case.clocks.get(rule__code="review-request")
        assert window.start_date == timezone.localdate()  # from the delivery, today

    office = logged_in_client(again["users"]["office"])
    assert office.get("/").status_code == 200
    assert office.get(asked.first().get_absolute_url()).status_code == 200
