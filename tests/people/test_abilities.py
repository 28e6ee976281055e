"""Abilities are named once (people.abilities and each app's abilities module) and the
menu, the views and the lifecycle all read them: what each role finds in the menu, and
that a page it does not find refuses it."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

MENU = {
    "register": "cases:create",
    "dashboard": "dashboard:home",
    "ledger": "exports:ledger",
    "board": "supervision:board",
    "accountability": "accountability:list",
    "inbox": "supervision:inbox",
    "unit": "cases:unit",
}

# What each demo role finds in the menu besides 工作台, 信访件, 超期预警 and 通知.
EXPECTED = {
    "clerk": {"register"},
    "office": {"register", "dashboard", "ledger", "board", "accountability"},
    "leader": {"dashboard", "ledger", "board", "accountability", "inbox"},
    "president": {"dashboard", "ledger", "board", "accountability", "inbox"},
    # a unit registers what reaches it directly (二级信访)
    "head_jwc": {"register", "dashboard", "ledger", "inbox", "unit"},
    "recep_jwc": {"register", "ledger", "inbox", "unit"},
    "discipline": {"ledger", "accountability"},
    "admin": {"dashboard", "ledger", "board"},
}


def _menu(client) -> str:
    html = client.get(reverse("cases:workbench")).content.decode()
    return html[html.index("<nav") : html.index("</nav>")]


@pytest.mark.parametrize("username", sorted(EXPECTED))
def test_each_role_finds_its_own_pages_in_the_menu(client, people, username):
    client.force_login(people[username])
    menu = _menu(client)
    shown = {key for key, name in MENU.items() if f'href="{reverse(name)}"' in menu}
    assert shown == EXPECTED[username]


@pytest.mark.parametrize("username", sorted(EXPECTED))
def test_a_page_missing_from_the_menu_is_refused(client, people, username):
    """责任追究 is the exception: anyone may open it to read the cases against themselves."""
    client.force_login(people[username])
    for key, name in MENU.items():
        if key in EXPECTED[username] or key == "accountability":
            continue
        response = client.get(reverse(name))
        assert response.status_code in (403, 404), (username, key, response.status_code)
