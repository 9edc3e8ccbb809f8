"""The coordinator's screens in the Wagtail admin, through HTTP as a Coordinator-group user."""

import pytest
from django.urls import reverse

from panels.models import Panel, SelectionRun

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_coordinator(client, coordinator, demo):
    client.force_login(coordinator)
    return client


def test_representativeness_view_shows_verdict_chart_table_and_who_is_missing(client_coordinator):
    panel = Panel.objects.get(name="Bewonerspanel Zorg en Welzijn")
    response = client_coordinator.get(reverse("panels_admin:representativeness"),
                                      {"group": "panel", "panel": panel.pk}, HTTP_ACCEPT_LANGUAGE="nl")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in html and "<table" in html
    assert "Overvecht" in html
    assert "ondervertegenwoordigd" in html
    assert "Wie ontbreekt" in html


def test_pool_of_a_wijk_and_selection_pages(client_coordinator):
    from panels.models import Area

    panel = Panel.objects.get(name="Bewonerspanel Sociaal Domein 2027")
    overvecht = Area.objects.get(code="WK034403")
    response = client_coordinator.get(reverse("panels_admin:representativeness"),
                                      {"group": "pool", "panel": panel.pk, "area": overvecht.pk})
    assert response.status_code == 200
    for name in ("index", "import"):
        assert client_coordinator.get(reverse(f"panels_admin:{name}")).status_code == 200
    assert client_coordinator.get(reverse("panels_admin:select", args=[panel.pk])).status_code == 200
    assert client_coordinator.get(reverse("panels_admin:panel", args=[panel.pk])).status_code == 200
    run = SelectionRun.objects.filter(panel=panel).first()
    if run:
        assert client_coordinator.get(reverse("panels_admin:run", args=[run.pk])).status_code == 200


def test_viewsets_list_for_coordinator(client_coordinator):
    for name in ("resident_panels", "panel_volunteers", "panel_members", "selection_runs", "population"):
        response = client_coordinator.get(reverse(f"{name}:index"))
        assert response.status_code == 200, name


def test_other_roles_cannot_open_the_screens(client, demo):
    from accounts.demo import ensure_user
    from accounts.roles import EDITOR

    editor = ensure_user("ed", "ed@example.org", "E", "D", EDITOR, password="pw-Meedoen-1")
    client.force_login(editor)
    response = client.get(reverse("panels_admin:representativeness"))
    assert response.status_code in (302, 403)
