"""A resident answers a questionnaire on a phone with the keyboard only (an error first); a coordinator
sees the weighted results in the Wagtail admin."""

import re
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.conftest import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def q(block_type, code, question, **extra):
    value = {"code": code, "question": question, "help": "", "required": extra.pop("required", False),
             "show_if_code": "", "show_if_value": ""}
    value.update(extra)
    return {"type": block_type, "value": value}


@pytest.fixture
def consultation(site):
    from consultations.models import Consultation, Questionnaire
    from population.demo import DEMO_FILE
    from population.importer import import_cbs
    from population.models import Area

    import_cbs(DEMO_FILE)
    questionnaire = Questionnaire(title="Balie", introduction="Twee vragen over uw bezoek.")
    questionnaire.body = [
        q("single_choice", "visit", "Waarvoor kwam u?", required=True, choices=["Paspoort", "Parkeren"]),
        q("nps", "nps", "Zou u ons aanraden?", required=True),
        q("demographic", "age", "Hoe oud bent u?", kind="age_band"),
    ]
    questionnaire.save()
    now = timezone.now()
    return Consultation.objects.create(
        title="Balie-enquête", questionnaire=questionnaire, audience="open", area=Area.objects.get(code="GM0344"),
        opens_at=now - timedelta(hours=1), closes_at=now + timedelta(days=3), weighting_dimensions="age_band")


def active_id(page):
    return page.evaluate("document.activeElement && document.activeElement.id")


def tab_to(page, predicate, what, limit=60):
    for _ in range(limit):
        if page.evaluate(predicate):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{what} never got focus by Tab (last: #{active_id(page)})")


def test_answer_on_a_phone_by_keyboard_with_an_error_first(live_server, phone_page, consultation):
    from consultations.models import Response

    page = phone_page
    page.goto(live_server.url + f"/vragenlijst/open/{consultation.open_key}/")
    assert axe_violations(page) == []
    tab_to(page, "document.activeElement.tagName === 'BUTTON' && document.activeElement.type === 'submit' "
                 "&& document.activeElement.closest('main')", "the start button")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Vraag 1 van 3" in page.inner_text("main")

    # An error first: "Volgende" without an answer.
    tab_to(page, "document.activeElement.value === 'next'", "Volgende")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    summary = page.locator("#error-summary")
    summary.wait_for()
    assert "Kies een antwoord." in summary.inner_text()
    assert active_id(page) == "error-summary"
    assert page.locator("#f-visit-1").get_attribute("aria-invalid") == "true"
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scrolling

    # The summary's link takes the keyboard to the question.
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    tab_to(page, "document.activeElement.id === 'f-visit-1'", "the first answer")
    page.keyboard.press("ArrowDown")  # moves to, and chooses, "Parkeren"
    assert page.locator("#f-visit-2").is_checked()
    tab_to(page, "document.activeElement.value === 'next'", "Volgende")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Vraag 2 van 3" in page.inner_text("main")

    tab_to(page, "document.activeElement.name === 'nps'", "the 0-10 scale")
    for _ in range(8):
        page.keyboard.press("ArrowRight")
    assert page.locator("input[name=nps][value='8']").is_checked()
    tab_to(page, "document.activeElement.value === 'next'", "Volgende")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Vraag 3 van 3" in page.inner_text("main")
    tab_to(page, "document.activeElement.value === 'next'", "Mijn antwoorden versturen")
    assert "versturen" in page.evaluate("document.activeElement.innerText")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Dank u wel voor uw antwoorden" in page.inner_text("main")
    response = Response.objects.get()
    assert response.completed_at and response.answers == {"visit": "Parkeren", "nps": "8"}


def test_coordinator_sees_weighted_results(live_server, page, consultation):
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
    from django.apps import apps as django_apps

    from accounts.demo import ensure_user
    from accounts.roles import COORDINATOR, ensure_roles
    from accounts.two_factor import give_totp
    from consultations import services
    from consultations.models import Response

    ensure_roles(django_apps)
    carla = ensure_user("carla", "carla@example.org", "Carla", "Coördinator", COORDINATOR,
                        password="Geheim-wachtwoord-7")
    give_totp(carla, TOTP_SECRET)
    # Older people answered more and liked it more: weighting lowers the share of 10s.
    for band, nps, n in [("65+", "10", 20), ("45-64", "10", 5), ("25-44", "3", 5), ("15-24", "3", 5)]:
        for _ in range(n):
            response = services.start(consultation, channel=Response.Channel.OPEN)
            response.answers = {"visit": "Paspoort", "nps": nps, "age": band}
            response.save(update_fields=["answers"])
            services.finish(response)

    page.goto(live_server.url + "/admin/")
    page.get_by_label("Gebruikersnaam of e-mailadres").fill("carla")
    page.get_by_label("Wachtwoord").fill("Geheim-wachtwoord-7")
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(live_server.url + "/account/2fa/authenticate/")
    page.get_by_label("Code uit uw app, of een herstelcode").fill(
        format_hotp_value(hotp_value(TOTP_SECRET, int(time.time()) // 30)))
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(live_server.url + "/admin/")
    page.goto(live_server.url + f"/admin/consultations/{consultation.pk}/results/")
    main = page.inner_text("main")
    assert "Gewogen naar de inwoners op: age_band" in main
    assert "Design-effect" in main
    table = page.get_by_role("table", name="Zou u ons aanraden?")
    row = table.locator("tr").filter(has=page.locator("th", has_text=re.compile(r"^10$")))
    cells = row.locator("td").all_inner_texts()
    assert cells[0] == "25"
    unweighted, weighted = cells[1], cells[2]
    assert unweighted == "71,4%"
    assert float(weighted.rstrip("%").replace(",", ".")) < 60
    assert page.locator("svg[role=img]").count() >= 1
