"""The coordinator's representativeness view in the Wagtail admin, in a real browser."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


@pytest.fixture
def panel_with_coordinator(site):
    from django.apps import apps as django_apps

    from accounts.demo import ensure_user
    from accounts.roles import COORDINATOR, ensure_roles
    from panels.demo_panels import ensure_existing_panel
    from population.demo import DEMO_FILE
    from population.importer import import_cbs

    # Transactional tests empty the database; put back the roles and the Coordinator's permissions.
    ensure_roles(django_apps)
    from django.contrib.auth.models import Group, Permission

    Group.objects.get(name=COORDINATOR).permissions.add(*Permission.objects.filter(
        content_type__app_label="panels", codename__in=["view_panel", "view_volunteer", "view_panelmember"]))
    import_cbs(DEMO_FILE)
    carla = ensure_user("carla", "carla@example.org", "Carla", "Coördinator", COORDINATOR,
                        password="Geheim-wachtwoord-7")
    from accounts.two_factor import give_totp

    give_totp(carla, TOTP_SECRET)  # coordinators log in with a second factor
    return ensure_existing_panel()


def test_coordinator_sees_who_is_missing_in_the_admin(live_server, page, panel_with_coordinator):
    import time

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
    page.goto(live_server.url + "/admin/population-tools/representativeness/")
    page.get_by_label("Panel", exact=True).select_option(label=panel_with_coordinator.name)
    page.get_by_role("button", name="Representativiteit tonen").click()
    verdict = page.locator(".rep-verdict")
    verdict.wait_for()
    text = verdict.inner_text()
    assert "Inwoners van Overvecht zijn ondervertegenwoordigd: 0 van 15 waar 1,4 verwacht werden." in text
    assert "65-plussers zijn oververtegenwoordigd: 8 van 15" in text
    assert page.get_by_role("heading", name="Wie ontbreekt er").is_visible()
    assert page.locator("svg[role=img]").count() == 4
    table = page.get_by_role("table", name="Wijk: groep vergeleken met de inwoners")
    assert table.get_by_role("row", name="Overvecht").is_visible()


def test_call_form_on_a_phone_is_accessible(live_server, phone_page, site):
    from panels.models import Panel, Volunteer
    from population.demo import DEMO_FILE
    from population.importer import import_cbs
    from population.models import Area
    from tests.conftest import axe_violations

    import_cbs(DEMO_FILE)
    panel = Panel.objects.create(name="Jongerenpanel", purpose="Meedenken over jeugdhulp",
                                 area=Area.objects.get(code="GM0344"), min_age=16)
    page = phone_page
    page.goto(f"{live_server.url}/panels/{panel.pk}/apply/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    violations = axe_violations(page)
    assert violations == [], [(v["id"], v["help"]) for v in violations]
    page.get_by_label("Uw naam").fill("Sara")
    page.get_by_label("E-mailadres").fill("sara@example.org")
    page.get_by_label("Waar zijn u en uw ouders geboren?").select_option(label="Buiten Europa")
    page.get_by_label("Ik vind het goed dat de gemeente").check()
    page.get_by_role("button", name="Aanmelden").click()
    origin = page.get_by_label("Waar zijn u en uw ouders geboren?")
    assert origin.get_attribute("aria-invalid") == "true"
    assert "Vink het vakje voor toestemming aan" in page.locator("#id_origin_error").inner_text()
    page.get_by_label("Ik wil mijn herkomst vertellen").check()
    page.get_by_role("button", name="Aanmelden").click()
    page.get_by_role("heading", name="Dank u wel voor uw aanmelding").wait_for()
    assert Volunteer.objects.get(panel=panel).origin == "outside_europe"
