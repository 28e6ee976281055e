"""Two real PostgreSQL connections pressing the same transition at once: one wins, the
other is told clearly, and nothing is lost or doubled."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.test import Client
from django_fsm import ConcurrentTransition

from cases import services
from cases.models import Case, State
from tests.conftest import requires_postgres

pytestmark = [requires_postgres, pytest.mark.django_db(transaction=True)]


def _in_threads(*targets):
    results: list = [None] * len(targets)

    def wrap(i, fn):
        try:
            results[i] = fn()
        except Exception as e:  # the loser's exception is the result we check
            results[i] = e
        finally:
            connection.close()

    threads = [threading.Thread(target=wrap, args=(i, fn)) for i, fn in enumerate(targets)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return results


def test_same_transition_twice_at_once_one_wins(people, make_case):
    case = make_case(state=State.ASSIGNED)
    both_loaded = threading.Barrier(2, timeout=10)

    def take(username):
        def run():
            mine = Case.objects.get(pk=case.pk)  # each thread has its own connection
            both_loaded.wait()  # both hold the case as 交办 before either saves
            services.case_take(case=mine, actor=people[username])
            return "ok"

        return run

    results = _in_threads(take("recep_jwc"), take("head_jwc"))
    assert results.count("ok") == 1, results
    loser = next(r for r in results if r != "ok")
    assert isinstance(loser, ConcurrentTransition)
    case.refresh_from_db()
    assert case.state == State.HANDLING
    assert case.history.filter(transition="承办").count() == 1


def test_two_clicks_on_the_page_at_once(people, make_case):
    case = make_case(state=State.REGISTERED)

    def press(username):
        def run():
            c = Client()
            c.force_login(people[username])
            response = c.post(f"/cases/{case.pk}/do/accept/", {"reason": ""}, follow=True)
            return response.content.decode()

        return run

    pages = _in_threads(press("office"), press("office2"))
    won = [p for p in pages if "已办理“受理”" in p]
    lost = [p for p in pages if "刚刚已被他人处理" in p or "您不能执行“受理”" in p]
    assert len(won) == 1 and len(lost) == 1
    case.refresh_from_db()
    assert case.state == State.ACCEPTED
    assert case.history.filter(transition="受理").count() == 1


def test_simultaneous_registrations_get_distinct_numbers(people):
    from datetime import date

    def register(i):
        def run():
            case, _ = services.case_register(
                actor=people["clerk"],
                petitioner=services.PetitionerData(name=f"并发{i}", phone=f"1390000{i:04d}"),
                data=services.CaseData(
                    channel="letter", kind="complaint", received_on=date(2026, 1, 5), summary=f"并发登记{i}"
                ),
            )
            return case.number

        return run

    numbers = _in_threads(*[register(i) for i in range(6)])
    assert all(isinstance(n, str) for n in numbers), numbers
    assert len(set(numbers)) == 6
