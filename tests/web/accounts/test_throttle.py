"""One sign-in throttle for the form, the admin and the API token; limited password-reset mails."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import RequestFactory
from django.urls import reverse
from rest_framework.test import APIClient

from ecocite.web.accounts.throttle import client_address

TOKEN = "/api/v1/token/"


def _form(client: Any, name: str, password: str, address: str = "127.0.0.1") -> Any:
    return client.post(
        reverse("accounts:login"), {"username": name, "password": password}, REMOTE_ADDR=address
    )


def _signed_in(client: Any) -> bool:
    return "_auth_user_id" in client.session


def test_form_failures_lock_the_token_endpoint(
    client: Any, make_user: Any, password: str, settings: Any
) -> None:
    make_user("wang")
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        _form(client, "wang", "nope")
    response = APIClient().post(TOKEN, {"username": "wang", "password": password})
    assert response.status_code in (400, 429) and "token" not in response.json()


def test_token_failures_lock_the_form_and_the_admin(
    client: Any, make_user: Any, password: str, settings: Any
) -> None:
    staff = make_user("li")
    staff.is_staff = staff.is_superuser = True
    staff.save()
    api = APIClient()
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        assert api.post(TOKEN, {"username": "li", "password": "nope"}).status_code == 400
    response = _form(client, "li", password)
    assert "15 minutes" in response.content.decode() and not _signed_in(client)
    client.post(reverse("admin:login"), {"username": "li", "password": password})
    assert not _signed_in(client)
    # Another person at another address is not affected by li's lock.
    make_user("zhao")
    _form(client, "zhao", password, address="192.0.2.7")
    assert _signed_in(client)


def test_spoofed_forwarded_for_does_not_reset_the_count(
    make_user: Any, password: str, settings: Any
) -> None:
    make_user("wang")
    api = APIClient()
    codes = [
        api.post(
            TOKEN,
            {"username": "wang", "password": "nope"},
            HTTP_X_FORWARDED_FOR=f"198.51.100.{i}",
        ).status_code
        for i in range(12)
    ]
    assert codes[-1] == 429  # DRF's rate limit keyed by the real peer, not the header
    ok = api.post(TOKEN, {"username": "wang", "password": password}, HTTP_X_FORWARDED_FOR="1.1.1.1")
    assert ok.status_code in (400, 429)


def test_password_spraying_from_one_address_is_limited(
    client: Any, make_user: Any, password: str, settings: Any
) -> None:
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 6
    make_user("victim")
    for i in range(settings.LOGIN_ADDRESS_FAILURE_LIMIT):
        _form(client, f"name{i}", "Summer2026!", address="203.0.113.5")  # one try per name
    _form(client, "victim", password, address="203.0.113.5")
    assert not _signed_in(client)
    _form(client, "victim", password, address="203.0.113.99")
    assert _signed_in(client)


def test_guesses_spread_over_addresses_lock_the_account(
    client: Any, make_user: Any, password: str, settings: Any
) -> None:
    settings.LOGIN_ACCOUNT_FAILURE_LIMIT = 8
    make_user("wang")
    for i in range(settings.LOGIN_ACCOUNT_FAILURE_LIMIT):
        _form(client, "wang", f"guess{i}", address=f"198.51.100.{i}")
    _form(client, "wang", password, address="192.0.2.200")
    assert not _signed_in(client)


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "1.2.3.4", "10.0.0.1"),  # no trusted proxy: the header is ignored
        (1, "1.2.3.4, 203.0.113.9", "203.0.113.9"),  # a client-written entry is skipped
        (2, "1.2.3.4, 203.0.113.9, 10.0.0.2", "203.0.113.9"),
        (2, "203.0.113.9", "203.0.113.9"),  # fewer hops than proxies: the leftmost
        (1, "", "10.0.0.1"),
    ],
)
def test_client_address_trusts_only_the_configured_proxies(
    settings: Any, proxies: int, forwarded: str, expected: str
) -> None:
    settings.NUM_PROXIES = proxies
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected


def test_password_reset_mails_are_limited(
    client: Any, make_user: Any, settings: Any, mailoutbox: Any
) -> None:
    make_user("zhang")
    url = reverse("accounts:password_reset")
    codes = [client.post(url, {"email": "zhang@example.org"}).status_code for _ in range(10)]
    assert len(mailoutbox) == settings.PASSWORD_RESET_ACCOUNT_LIMIT
    assert codes[: settings.PASSWORD_RESET_ACCOUNT_LIMIT] == [302] * 3 and codes[-1] == 429
    # The same answer for an address no account has: the limit reveals nothing.
    codes = [client.post(url, {"email": "nobody@example.org"}).status_code for _ in range(4)]
    assert codes == [302, 302, 302, 429]


def test_password_reset_mails_per_client_address(
    client: Any, make_user: Any, settings: Any, mailoutbox: Any
) -> None:
    settings.PASSWORD_RESET_ADDRESS_LIMIT = 4
    for i in range(6):
        make_user(f"user{i}")
    url = reverse("accounts:password_reset")
    codes = [
        client.post(url, {"email": f"user{i}@example.org"}, REMOTE_ADDR="203.0.113.5").status_code
        for i in range(6)
    ]
    assert codes == [302] * 4 + [429] * 2 and len(mailoutbox) == 4
    other = client.post(url, {"email": "user5@example.org"}, REMOTE_ADDR="203.0.113.6")
    assert other.status_code == 302 and len(mailoutbox) == 5
