"""The coordinator's representativeness view in the Wagtail admin, in a real browser."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def panel_with_coordinator(site):
    from django.apps import apps as django_apps

    from accounts.demo import ensure_user
    from accounts.roles import COORDINATOR, ensure_roles
    from panels.demo import DEMO_FILE
    from panels.demo_panels import ensure_existing_panel
    from panels.importer import import_cbs

    # Transactional tests empty the database; put back the roles and the Coordinator's permissions.
    ensure_roles(django_apps)
    from django.contrib.auth.models import Group, Permission

    Group.objects.get(name=COORDINATOR).permissions.add(*Permission.objects.filter(
        content_type__app_label="panels", codename__in=["view_panel", "view_volunteer", "view_panelmember"]))
    import_cbs(DEMO_FILE)
    ensure_user("carla", "carla@example.org", "Carla", "Coördinator", COORDINATOR, password="Geheim-wachtwoord-7")
    return ensure_existing_panel()


def test_coordinator_sees_who_is_missing_in_the_admin(live_server, page, panel_with_coordinator):
    page.goto(live_server.url + "/admin/login/")
    page.locator("input[name=username]").fill("carla")
    page.locator("input[name=password]").fill("Geheim-wachtwoord-7")
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url(live_server.url + "/admin/")
    page.goto(live_server.url + "/admin/panels-tools/representativeness/")
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
