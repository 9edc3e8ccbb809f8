"""Fixtures shared by every app's tests."""

import os
import shutil

import pytest
from django.db import connection
from django.test import Client

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pass_second_factor(client, user):
    """What a real staff login leaves behind: a TOTP authenticator for the user and, in the session,
    allauth's record of a password step and a passed second factor ("mfa"), as allauth writes it."""
    import time

    from allauth.account.internal.flows.login import (
        _AUTHENTICATION_METHODS_USER_SESSION_KEY,
        AUTHENTICATION_METHODS_SESSION_KEY,
    )
    from allauth.mfa.totp.internal.auth import generate_totp_secret

    from accounts.two_factor import give_totp

    authenticator = give_totp(user, generate_totp_secret())
    session = client.session
    now = time.time()
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "password", "at": now, "username": user.get_username()},
        {"method": "mfa", "at": now, "id": authenticator.pk, "type": authenticator.type},
    ]
    session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(user.pk)
    session.save()


class StaffClient(Client):
    """The test client; force_login of a user who must use a second factor also passes it, like the
    real login does. Tests of the second factor itself use `Client` or `force_login(..., mfa=False)`."""

    def force_login(self, user, backend=None, mfa=True):
        super().force_login(user, backend)
        from accounts.roles import two_factor_required

        if mfa and two_factor_required(user):
            pass_second_factor(self, user)


def lock_token(client, url):
    """Open an admin edit page the way a person does and return the form's optimistic-lock token."""
    import re

    page = client.get(url)
    assert page.status_code == 200, (url, page.status_code)
    match = re.search(r'name="lock_token" value="([^"]+)"', page.content.decode())
    assert match, f"no lock_token on {url}"
    return match.group(1)


@pytest.fixture
def client():
    return StaffClient()


DB_FIXTURES = {"db", "transactional_db", "live_server", "django_db_setup"}


@pytest.fixture(autouse=True)
def empty_shared_cache(request, django_db_blocker):
    """Each test starts with an empty cache: rate-limit counts and sessions from one test must not reach
    the next. Redis keeps them across tests; the database cache's table is not emptied by transactional
    tests' flush. A test without the database only gets the cache emptied when that is Redis."""
    from django.conf import settings
    from django.core.cache import cache

    uses_db = bool(DB_FIXTURES & set(request.fixturenames)) or request.node.get_closest_marker("django_db")
    if "redis" in settings.CACHES["default"]["BACKEND"].lower():
        cache.clear()
    elif uses_db:
        request.getfixturevalue("django_db_setup")
        with django_db_blocker.unblock():
            cache.clear()
    yield


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in Dutch, the site's default. A test that switches to English (translation.activate)
    must not leave the next test in the same worker process speaking English."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def site(db):
    """The demo home page and default site, as load_demo makes them."""
    from home.demo import ensure_home_page

    _home, site = ensure_home_page()
    return site


@pytest.fixture
def home_page(site):
    return site.root_page.specific


@pytest.fixture
def demo(db):
    """The whole demo municipality."""
    from io import StringIO

    from django.core.management import call_command

    call_command("load_demo", stdout=StringIO())


@pytest.fixture
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (row locks); run with DATABASE_URL=postgres://… to include it")


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium driven by Playwright. Skips, saying why, when chromium is not installed."""
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        pytest.skip(f"browser test skipped: chromium not found at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the live server's ORM calls are
    # in their own thread, and the test's own ORM calls are synchronous.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="nl-NL", viewport={"width": 1024, "height": 800})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def phone_page(browser):
    """A 360-px-wide phone screen."""
    context = browser.new_context(
        locale="nl-NL", viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def axe_violations(page):
    """Run axe-core (as shipped by axe-playwright-python) for WCAG 2.1 A and AA rules."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
    )
    return results.response["violations"]
