"""Staff log in with a password and the code from their app, in a real browser; both screens pass axe."""

import time

import pytest

from tests.conftest import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def test_password_then_code_with_accessible_screens(live_server, page, site):
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
    from django.apps import apps as django_apps

    from accounts.demo import ensure_user
    from accounts.roles import EDITOR, ensure_roles
    from accounts.two_factor import give_totp

    ensure_roles(django_apps)  # transactional tests empty the database
    give_totp(ensure_user("ruud", "ruud@example.org", "Ruud", "R", EDITOR, password="Geheim-wachtwoord-7"), SECRET)

    page.goto(live_server.url + "/admin/pages/")
    assert page.get_by_role("heading", name="Inloggen voor medewerkers").is_visible()
    assert axe_violations(page) == []
    page.get_by_label("Gebruikersnaam of e-mailadres").fill("ruud")
    page.get_by_label("Wachtwoord").fill("fout-wachtwoord")
    page.get_by_role("button", name="Inloggen").click()
    assert page.get_by_role("alert").is_visible()  # the error summary
    assert axe_violations(page) == []
    page.get_by_label("Wachtwoord").fill("Geheim-wachtwoord-7")
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(live_server.url + "/account/2fa/authenticate/")
    assert page.get_by_role("heading", name="Tweede stap: de code uit uw app").is_visible()
    assert axe_violations(page) == []
    page.get_by_label("Code uit uw app, of een herstelcode").fill(
        format_hotp_value(hotp_value(SECRET, int(time.time()) // 30)))
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(live_server.url + "/admin/pages/")
