"""Staff log in with a password and a second factor; wrong passwords lock the account and the address."""

import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, format_hotp_value, hotp_value
from axes.models import AccessAttempt
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from accounts.demo import ensure_user
from accounts.roles import COORDINATOR, EDITOR, FACILITATOR
from accounts.two_factor import give_totp
from participation.http import client_ip

pytestmark = pytest.mark.django_db

PASSWORD = "Geheim-wachtwoord-7"
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def totp_code(secret=SECRET, offset=0):
    """The code an authenticator app shows now, computed with allauth's own TOTP helper."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + offset))


@pytest.fixture(autouse=True)
def fresh_cache():
    """allauth's rate limits and used TOTP codes live in the cache, which outlives a test."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def coordinator(site):
    return ensure_user("carla", "carla@example.org", "Carla", "Coördinator", COORDINATOR, password=PASSWORD)


def log_in(client, login="carla", password=PASSWORD, next_url="/admin/", **extra):
    return client.post(reverse("staff_login"), {"login": login, "password": password, "next": next_url}, **extra)


def logged_in_user_id(client):
    return client.session.get("_auth_user_id")


# --- second factor ---------------------------------------------------------------------------------


def test_the_admin_sends_people_to_the_staff_login(client, site):
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/?next=")
    page = client.get(response["Location"]).content.decode()
    assert "Inloggen voor medewerkers" in page and 'name="password"' in page


@pytest.mark.django_db(transaction=True)
def test_coordinator_without_second_factor_must_set_it_up_first(coordinator):
    client = Client()
    response = log_in(client)
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert logged_in_user_id(client) == str(coordinator.pk)
    # Every page behind the login sends them to the setup, not only the admin.
    for url in ("/admin/", "/admin/pages/", "/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == reverse("mfa_activate_totp"), url
    # allauth asks for the password once more before a second factor is added (reauthentication).
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_reauthenticate"))
    response = client.post(response["Location"], {"password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("mfa_activate_totp")
    setup = client.get(reverse("mfa_activate_totp"))
    assert setup.status_code == 200
    secret = client.session[SECRET_SESSION_KEY]
    refused = client.post(reverse("mfa_activate_totp"), {"code": "000000" if totp_code(secret) != "000000" else "111111"})
    assert refused.status_code == 200 and not Authenticator.objects.filter(user=coordinator).exists()
    # allauth announces the new authenticator when the view's transaction commits (a real commit here:
    # transaction=True); that marks this session as having passed the second factor.
    client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert Authenticator.objects.filter(user=coordinator, type=Authenticator.Type.TOTP).exists()
    # Setting it up proved they hold the app: the admin opens in this session.
    assert client.get("/admin/").status_code == 200


@pytest.mark.parametrize("role", [COORDINATOR, EDITOR])
def test_with_totp_a_wrong_code_is_refused_and_the_right_code_lets_them_in(site, role):
    user = ensure_user("staff", "staff@example.org", "S", "T", role, password=PASSWORD)
    give_totp(user, SECRET)
    client = Client()
    response = log_in(client, login="staff")
    assert response.status_code == 302 and response["Location"] == reverse("mfa_authenticate")
    assert logged_in_user_id(client) is None  # the password alone does not log in
    assert client.get("/admin/").status_code == 302
    wrong = format_hotp_value((int(totp_code()) + 1) % 1_000_000)
    response = client.post(reverse("mfa_authenticate"), {"code": wrong})
    assert response.status_code == 200 and logged_in_user_id(client) is None
    assert "Ongeldige code." in response.content.decode()
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code()})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert logged_in_user_id(client) == str(user.pk)
    assert client.get("/admin/").status_code == 200


def test_log_in_by_email_address_works_too(coordinator):
    give_totp(coordinator, SECRET)
    client = Client()
    assert log_in(client, login="Carla@example.org")["Location"] == reverse("mfa_authenticate")


def test_a_recovery_code_works_once(coordinator):
    give_totp(coordinator, SECRET)
    code = RecoveryCodes.activate(coordinator).get_unused_codes()[0]
    client = Client()
    log_in(client)
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert response.status_code == 302 and logged_in_user_id(client) == str(coordinator.pk)
    assert client.get("/admin/").status_code == 200

    again = Client()
    log_in(again)
    response = again.post(reverse("mfa_authenticate"), {"code": code})
    assert response.status_code == 200 and logged_in_user_id(again) is None


def test_a_session_that_did_not_pass_the_second_factor_is_sent_back_to_log_in(client, coordinator):
    """E.g. a coordinator who logged in with an emailed code: the admin asks for the app's code."""
    give_totp(coordinator, SECRET)
    client.force_login(coordinator, mfa=False)
    response = client.get("/admin/reports/")
    assert response.status_code == 302 and response["Location"] == "/admin/login/?next=%2Fadmin%2Freports%2F"
    assert logged_in_user_id(client) is None


def test_facilitators_are_offered_a_second_factor_but_not_forced(client, site):
    user = ensure_user("fatima", "fatima@example.org", "F", "E", FACILITATOR, password=PASSWORD)
    client.force_login(user)
    assert client.get("/").status_code == 200
    assert client.get(reverse("mfa_index")).status_code == 200
    assert "Inloggen in twee stappen" in client.get("/").content.decode()  # the menu offers it


# --- brute force -----------------------------------------------------------------------------------


@override_settings(AXES_FAILURE_LIMIT=5)
def test_wrong_passwords_lock_the_account_with_a_clear_message(coordinator):
    give_totp(coordinator, SECRET)
    for attempt in range(4):
        response = log_in(Client(REMOTE_ADDR=f"10.0.0.{attempt}"), password="fout")
        assert response.status_code == 200, attempt
    # The fifth wrong password, from yet another address: the account is locked.
    response = log_in(Client(REMOTE_ADDR="10.0.0.9"), password="fout")
    assert response.status_code == 429
    page = response.content.decode()
    assert "Te veel pogingen om in te loggen" in page and "30 minuten" in page and '<html lang="nl">' in page
    # Now even the right password does not get to the second step, also in a worker whose cache has
    # not seen those attempts (allauth's own limit lives in the cache; axes' counts are in the database).
    cache.clear()
    client = Client(REMOTE_ADDR="10.0.1.1")
    response = log_in(client)
    assert response.status_code == 429 and "mfa_authenticate" not in response.get("Location", "")
    assert SECRET_SESSION_KEY not in client.session and logged_in_user_id(client) is None


@override_settings(AXES_FAILURE_LIMIT=5)
def test_wrong_passwords_from_one_address_lock_that_address(coordinator):
    client = Client(REMOTE_ADDR="192.0.2.7")
    for n in range(5):
        log_in(client, login=f"guess{n}", password="fout")
    assert log_in(client).status_code == 429
    # A forged X-Forwarded-For does not get around it (no trusted proxy).
    assert log_in(client, HTTP_X_FORWARDED_FOR="203.0.113.1").status_code == 429
    # Carla herself, from her own address, is not locked.
    assert log_in(Client(REMOTE_ADDR="192.0.2.8"))["Location"] == "/admin/"


def test_client_ip_uses_forwarded_for_only_behind_trusted_proxies():
    request = RequestFactory().get("/", REMOTE_ADDR="10.1.1.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.4")
    assert client_ip(request) == "10.1.1.1"
    with override_settings(TRUSTED_PROXIES=1):
        assert client_ip(request) == "198.51.100.4"
    with override_settings(TRUSTED_PROXIES=2):
        assert client_ip(request) == "6.6.6.6"
    with override_settings(TRUSTED_PROXIES=3):  # fewer entries than proxies: the leftmost (one rule, participation.http)
        assert client_ip(request) == "6.6.6.6"


@override_settings(AXES_FAILURE_LIMIT=3)
def test_coordinators_see_lockouts_and_unlock(client, coordinator):
    ensure_user("redacteur", "redacteur@example.org", "Ruud", "R", EDITOR, password=PASSWORD)
    for _ in range(3):
        log_in(Client(REMOTE_ADDR="192.0.2.50"), login="redacteur", password="fout")
    assert log_in(Client(REMOTE_ADDR="192.0.2.51"), login="redacteur").status_code == 429
    for n in range(3):  # someone trying names from one address
        log_in(Client(REMOTE_ADDR="192.0.2.60"), login=f"naam{n}", password="fout")

    editor = ensure_user("ed", "ed@example.org", "E", "D", EDITOR, password=PASSWORD)
    client.force_login(editor)
    assert client.get(reverse("accounts_lockouts")).status_code in (302, 403)  # Wagtail: "no permission"
    client.post(reverse("accounts_unlock"), {"kind": "username", "value": "redacteur"})
    assert AccessAttempt.objects.filter(username="redacteur").exists()

    client.force_login(coordinator)
    page = client.get(reverse("accounts_lockouts")).content.decode()
    assert "Account: redacteur" in page and "Adres: 192.0.2.60" in page
    assert "Geblokkeerde inlogpogingen" in client.get("/admin/").content.decode()  # in the menu
    response = client.post(reverse("accounts_unlock"), {"kind": "username", "value": "redacteur"}, follow=True)
    page = response.content.decode()
    assert "Blokkade opgeheven: redacteur" in page and "Account: redacteur" not in page
    assert "Adres: 192.0.2.60" in page  # the other address stays locked
    assert log_in(Client(REMOTE_ADDR="192.0.2.52"), login="redacteur")["Location"] == "/admin/"
    # Nothing chosen: a message, nothing changes (never "unlock everyone").
    response = client.post(reverse("accounts_unlock"), {"kind": "ip", "value": ""}, follow=True)
    assert "Adres: 192.0.2.60" in response.content.decode()
    response = client.post(reverse("accounts_unlock"), {"kind": "ip", "value": "192.0.2.60"}, follow=True)
    assert "Er is nu niemand geblokkeerd." in response.content.decode()


def test_coordinators_hold_the_unlock_permission_through_the_role_table():
    assert Group.objects.get(name=COORDINATOR).permissions.filter(codename="delete_accessattempt").exists()
    assert not Group.objects.get(name=EDITOR).permissions.filter(codename="delete_accessattempt").exists()


def test_demo_staff_log_in_with_the_printed_second_step(site):
    from io import StringIO

    from accounts import demo

    out = StringIO()
    demo.load(out)
    assert demo.DEMO_TOTP_SECRET in out.getvalue()
    client = Client()
    assert log_in(client, login="coordinator", password=demo.DEMO_PASSWORD)["Location"] == reverse("mfa_authenticate")
    client.post(reverse("mfa_authenticate"), {"code": totp_code(demo.DEMO_TOTP_SECRET)})
    assert client.get("/admin/").status_code == 200


def test_failed_login_counters_are_deleted_after_the_cooloff(coordinator):
    from datetime import timedelta

    from django.utils import timezone

    from accounts import retention

    log_in(Client(REMOTE_ADDR="192.0.2.60"), password="fout")
    attempt = AccessAttempt.objects.get(username="carla")
    assert "fout" not in attempt.post_data  # the typed password is never stored
    assert retention.apply(timezone.now())["failed-login counters deleted"] == 0
    assert retention.apply(timezone.now() + timedelta(minutes=31))["failed-login counters deleted"] == 1
