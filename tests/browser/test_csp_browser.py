"""Issue 12, point 9: with the Content-Security-Policy on, a real browser reports no blocked script or
style on public pages (sign-up with errors, voting) nor in the Wagtail admin (login, page editor, a
snippet), and the pages still work."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CATCH_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + (e.sourceFile || "") + ":" + e.lineNumber);
});
"""


@pytest.fixture
def watched(page):
    page.add_init_script(CATCH_VIOLATIONS)
    return page


def violations(page):
    return page.evaluate("window.__csp")


@pytest.fixture
def game(site):
    from datetime import timedelta

    from django.utils import timezone

    from content.models import Theme
    from events.models import EventIndexPage, EventPage
    from formats.models import Statement, StatementGame, StatementSet

    index = site.root_page.add_child(instance=EventIndexPage(title="Activiteiten", slug="activiteiten"))
    start = timezone.now() + timedelta(days=3)
    event = index.add_child(instance=EventPage(title="Stellingenspel", slug="spel", start=start,
                                               end=start + timedelta(hours=2), capacity=10, format="statement_game"))
    event.save_revision().publish()
    theme = Theme.objects.get_or_create(slug="wmo", defaults={"name": "Wmo"})[0]
    statement_set = StatementSet.objects.create(title="Hulp thuis", theme=theme)
    Statement.objects.create(statement_set=statement_set, text="Ik weet waar ik hulp kan vragen.", sort_order=0)
    return StatementGame.objects.create(event=event, statement_set=statement_set)


def test_public_pages_run_under_the_policy(live_server, watched, game):
    page = watched
    event = game.event
    page.goto(live_server.url + event.url)
    page.get_by_role("button", name="Aanmelden").first.click()  # empty form: errors, focus script runs
    page.wait_for_selector("#form-errors")
    assert page.evaluate("document.activeElement.id") == "form-errors"  # the nonce'd inline script ran
    page.goto(live_server.url + f"/formats/stem/{game.key}/")
    page.get_by_role("button", name="Eens").first.click()
    page.wait_for_timeout(500)
    assert not (found := violations(page)), "\n".join(found)


def test_wagtail_admin_works_under_its_policy(live_server, watched, game, django_user_model):
    page = watched
    import time

    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    from accounts.two_factor import give_totp

    secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    give_totp(django_user_model.objects.create_superuser(username="beheer", email="beheer@example.org",
                                                         password="Geheim-wachtwoord-7"), secret)
    # Staff log in with a password and then the code from their app (issue 12, staff login).
    page.goto(live_server.url + "/admin/")  # sends them to the login, coming back here
    page.locator("input[name=login]").fill("beheer")
    page.locator("input[name=password]").fill("Geheim-wachtwoord-7")
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(live_server.url + "/account/2fa/authenticate/")
    page.locator("input[name=code]").fill(format_hotp_value(hotp_value(secret, int(time.time()) // 30)))
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(live_server.url + "/admin/")
    assert not (found := violations(page)), "\n".join(found)
    page.goto(live_server.url + f"/admin/pages/{game.event.pk}/edit/")
    page.locator("#id_title").wait_for()
    page.locator("#id_title").fill("Stellingenspel Zuilen")
    # the date pickers of the publishing schedule are started by inline scripts
    page.locator(".xdsoft_datetimepicker").first.wait_for(state="attached")
    assert not (found := violations(page)), "\n".join(found)
    page.goto(live_server.url + f"/admin/snippets/formats/statementset/edit/{game.statement_set.pk}/")
    page.locator("#id_title").wait_for()
    page.locator("#id_title").fill("Hulp thuis 2027")
    assert not (found := violations(page)), "\n".join(found)
    page.locator("button.action-save").first.click()
    page.wait_for_url(lambda url: "/edit/" not in url)
    game.statement_set.refresh_from_db()
    assert game.statement_set.title == "Hulp thuis 2027"
    assert not (found := violations(page)), "\n".join(found)
