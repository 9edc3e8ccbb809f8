"""Issue 14's "Done when": a selected applicant confirms from the link, another declines, the coordinator runs
a replacement draw and the new person is told (their message queued)."""

import random
import time

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


@pytest.fixture
def drawn_panel(site):
    from django.apps import apps as django_apps
    from django.contrib.auth.models import Group, Permission

    from accounts.demo import ensure_user
    from accounts.roles import COORDINATOR, ensure_roles
    from accounts.two_factor import give_totp
    from panels import after_draw, services
    from panels.models import Panel, Volunteer
    from population.demo import DEMO_FILE
    from population.importer import import_cbs
    from population.models import Area
    from tests.outcomes.worker import run_worker

    ensure_roles(django_apps)  # transactional tests empty the database
    Group.objects.get(name=COORDINATOR).permissions.add(*Permission.objects.filter(content_type__app_label="panels"))
    carla = ensure_user("carla", "carla@example.org", "Carla", "Coördinator", COORDINATOR,
                        password="Geheim-wachtwoord-7")
    give_totp(carla, TOTP_SECRET)
    import_cbs(DEMO_FILE)
    utrecht = Area.objects.get(code="GM0344")
    panel = Panel.objects.create(name="Bewonerspanel Groen", purpose="Meedenken over groen", area=utrecht,
                                 min_age=16, target_size=4)
    wijken = list(Area.objects.filter(level="wijk"))
    rng = random.Random(5)
    for i in range(30):
        Volunteer.objects.create(
            panel=panel, name=f"Inwoner {i}", email=f"inwoner{i}@example.org",
            age_band=rng.choice(["15-24", "25-44", "45-64", "65+"]), gender=rng.choice(["man", "woman"]),
            wijk=rng.choice(wijken), reserve_consent=True,
        )
    services.run_selection(panel, seed=21)
    after_draw.send_results(panel)  # commits at once: the task is queued
    assert run_worker() == 1
    return panel


def login(page, live_server):
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    page.goto(live_server.url + "/admin/")
    page.get_by_label("Gebruikersnaam of e-mailadres").fill("carla")
    page.get_by_label("Wachtwoord").fill("Geheim-wachtwoord-7")
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(live_server.url + "/account/2fa/authenticate/")
    page.get_by_label("Code uit uw app, of een herstelcode").fill(
        format_hotp_value(hotp_value(TOTP_SECRET, int(time.time()) // 30)))
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(live_server.url + "/admin/")


def link_in_message(volunteer):
    import re

    from messaging.models import Message

    body = Message.objects.get(dedupe_key=f"panels:application:{volunteer.pk}:selected:email").body
    return re.search(r"https?://\S+/panels/a/\S+/", body).group(0)


def test_confirm_decline_and_replacement_in_the_browser(live_server, phone_page, page, drawn_panel):
    from messaging.models import Message
    from panels.models import SelectionRun, Volunteer
    from tests.conftest import axe_violations
    from tests.outcomes.worker import run_worker

    yes, no = list(drawn_panel.pool.filter(status=Volunteer.Status.SELECTED).order_by("pk"))[:2]

    # The first person opens the link from their message on a phone, and says yes.
    url = link_in_message(yes).replace("http://testserver", live_server.url)
    phone_page.goto(url)
    phone_page.get_by_role("heading", name="Uw aanmelding", exact=True).wait_for()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360
    violations = axe_violations(phone_page)
    assert violations == [], [(v["id"], v["help"]) for v in violations]
    phone_page.get_by_role("button", name="Ja, ik doe mee").click()
    phone_page.get_by_text("Bedankt dat u ja zegt").first.wait_for()
    assert phone_page.get_by_role("button", name="Ja, ik doe mee").count() == 0
    yes.refresh_from_db()
    assert yes.status == Volunteer.Status.CONFIRMED or yes.status == Volunteer.Status.MEMBER

    # The second says no.
    phone_page.goto(link_in_message(no).replace("http://testserver", live_server.url))
    phone_page.get_by_role("button", name="Nee, ik doe niet mee").click()
    phone_page.get_by_text("Uw plek gaat naar iemand anders").first.wait_for()
    no.refresh_from_db()
    assert no.status == Volunteer.Status.DECLINED

    # The coordinator sees the open place and the quota it leaves, and fills it by one replacement draw.
    login(page, live_server)
    page.goto(f"{live_server.url}/admin/panels-tools/panel/{drawn_panel.pk}/")
    page.get_by_role("heading", name="Quota nu").wait_for()
    page.get_by_role("link", name="Vul de open plek door loting").click()
    page.get_by_role("button", name="Loot 1 persoon voor de open plek").click()
    page.get_by_role("heading", name="Gekozen: ja of nee zeggen").wait_for()
    run = drawn_panel.selection_runs.get(kind=SelectionRun.Kind.REPLACEMENT)
    assert run.outcome == SelectionRun.Outcome.DRAWN and len(run.drawn) == 1
    new = Volunteer.objects.get(reference=run.drawn[0])
    assert new.status == Volunteer.Status.SELECTED and new.told_at is None
    page.get_by_label("Ik heb de berichten gelezen en wil ze versturen").check()
    page.get_by_role("button", name="Berichten versturen").click()
    page.get_by_text("De berichten worden verstuurd: 1 mensen gekozen").wait_for()

    # The worker queues the new person's invitation, with their own link.
    run_worker()
    invitation = Message.objects.get(dedupe_key=f"panels:application:{new.pk}:selected:email")
    assert invitation.recipient == new.email and f"/panels/a/{new.token}/" in invitation.body
