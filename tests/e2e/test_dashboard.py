"""The dashboard in a real browser: the figures and all five charts drawn (a canvas with
series data in each, not a blank box); a screenshot is kept in test-artifacts/e2e/."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from cases.models import Channel, Kind
from people.demo import ensure_people

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_dashboard_draws_its_charts(reseeded, make_case, live_server, chromium, artifacts_dir):
    ensure_people(password="pw")
    today = timezone.localdate()
    for i, (state, unit, channel, kind) in enumerate(
        [
            ("handling", "jwc", Channel.ONLINE, Kind.COMPLAINT),
            ("followed_up", "jwc", Channel.PHONE, Kind.CONSULTATION),
            ("replied", "jsj", Channel.VISIT, Kind.HELP),
            ("registered", "jwc", Channel.LETTER, Kind.SUGGESTION),
            ("assigned", "jsj", Channel.MAILBOX, Kind.COMPLAINT),
        ]
    ):
        make_case(state, unit=unit, channel=channel, kind=kind, received_on=today - timedelta(days=3 + 40 * i))
    errors: list[str] = []
    page = chromium.new_page(viewport={"width": 1400, "height": 1500})
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("requestfailed", lambda r: errors.append(f"{r.url} {r.failure}"))
    # the charts draw under the strict Content-Security-Policy, refusing nothing
    page.on("console", lambda m: m.type == "error" and "Content Security Policy" in m.text and errors.append(m.text))
    try:
        page.goto(f"{live_server.url}/login/")
        page.fill("input[name=username]", "president")
        page.fill("input[name=password]", "pw")
        page.click("button[type=submit]")
        page.goto(f"{live_server.url}/dashboard/")
        page.wait_for_selector("#chart-units canvas")
        assert page.locator("[data-figure]").count() >= 15
        charts = page.evaluate(
            """() => Array.from(document.querySelectorAll('[data-chart]')).map(el => {
                const chart = window.echarts.getInstanceByDom(el);
                const series = chart ? chart.getOption().series : [];
                return {
                    name: el.dataset.chart,
                    canvas: el.querySelectorAll('canvas, svg').length,
                    points: series.reduce((n, s) => n + (s.data || []).filter(v => v !== null && v !== 0
                        && !(typeof v === 'object' && !v.value)).length, 0),
                };
            })"""
        )
        assert [c["name"] for c in charts] == ["trend", "units", "channel", "kind", "topic"]
        for c in charts:
            assert c["canvas"] >= 1, c
            assert c["points"] >= 1, c
        # drawn pixels, not a blank canvas
        inked = page.evaluate(
            """() => Array.from(document.querySelectorAll('[data-chart] canvas')).map(cv => {
                const d = cv.getContext('2d').getImageData(0, 0, cv.width, cv.height).data;
                let n = 0; for (let i = 3; i < d.length; i += 4) { if (d[i] > 0) n++; } return n;
            })"""
        )
        assert all(n > 500 for n in inked), inked
        page.screenshot(path=str(artifacts_dir / "dashboard.png"), full_page=True)
    finally:
        page.close()
    assert not errors, errors
