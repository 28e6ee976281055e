"""Notices are raised through the real service, by the office."""

from __future__ import annotations

import pytest

from supervision import services
from supervision.models import Trigger


@pytest.fixture
def raise_notice(people):
    """raise_notice(case, trigger="shirking", **NoticeData fields) -> Notice"""

    def make(case, trigger: str = "shirking", **fields):
        data = services.NoticeData(trigger=Trigger.objects.get(code=trigger), **fields)
        notice, created = services.notice_raise(case=case, actor=people["office"], data=data)
        assert created
        return notice

    return make
