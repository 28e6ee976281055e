"""The icon (issue 14 point 12): every page links static/favicon.svg, the 500 page too,
and the browser's own request for /favicon.ico is sent there instead of a 404."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.test import Client

from core.views import server_error

ICON = '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">'


def test_the_icon_is_a_small_svg_of_our_own():
    svg = (Path(settings.BASE_DIR) / "static" / "favicon.svg").read_text(encoding="utf-8")
    assert svg.startswith("<svg") and 'viewBox="0 0 32 32"' in svg and "#9b1c1c" in svg
    assert "href" not in svg  # nothing it loads from elsewhere


def test_browsers_asking_for_favicon_ico_are_sent_to_it(db):
    response = Client().get("/favicon.ico")
    assert (response.status_code, response["Location"]) == (302, "/static/favicon.svg")
    assert Client().get("/static/favicon.svg").status_code == 200


def test_every_page_links_the_icon(people, client_for, rf):
    assert ICON in Client().get("/login/").content.decode()
    assert ICON in client_for(people["office"]).get("/").content.decode()
    assert ICON in client_for(people["office"]).get("/cases/999999/").content.decode()  # 404
    assert ICON in server_error(rf.get("/")).content.decode()  # the 500 page stands alone
