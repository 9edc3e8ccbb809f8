"""The coordinator's screens in the Wagtail admin, through HTTP as a Coordinator-group user."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_coordinator(client, coordinator):
    client.force_login(coordinator)
    return client


def test_representativeness_view_shows_verdict_chart_table_and_who_is_missing(client_coordinator, resident_panel):
    response = client_coordinator.get(reverse("population_admin:representativeness"),
                                      {"group": "panel", "panel": resident_panel.pk})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<svg") >= 4 and "<table" in html
    # 16+: 15-24 counts for 9/10; 1 young person where 15 x 52,397 / 309,318 = 2.5 were expected.
    assert "Jongeren (15-24" in html and "zijn ondervertegenwoordigd: 1 van 15 waar 2,5 verwacht werden." in html
    assert "Inwoners van Overvecht zijn ondervertegenwoordigd: 0 van 15 waar 1,4 verwacht werden." in html
    assert "65-plussers zijn oververtegenwoordigd: 8 van 15" in html
    assert "Wie ontbreekt er" in html
    # The coordinator sees exact small counts (1 young person), not "<5".
    assert "Geslacht: het CBS geeft geslacht per gebied alleen voor alle leeftijden samen" in html


def test_pool_against_a_wijk_and_the_other_screens(client_coordinator, pool_panel, resident_panel):
    from population.models import Area

    overvecht = Area.objects.get(code="WK034403")
    response = client_coordinator.get(reverse("population_admin:representativeness"),
                                      {"group": "pool", "panel": pool_panel.pk, "area": overvecht.pk})
    assert response.status_code == 200
    assert "Overvecht" in response.content.decode()
    for name in ("panels_admin:index", "population_admin:import"):
        assert client_coordinator.get(reverse(name)).status_code == 200
    assert client_coordinator.get(reverse("panels_admin:select", args=[pool_panel.pk])).status_code == 200
    page = client_coordinator.get(reverse("panels_admin:panel", args=[resident_panel.pk])).content.decode()
    assert "Vertrokken: vervangen uit de pool" in page
    for name in ("resident_panels", "panel_volunteers", "panel_members", "selection_runs", "population"):
        assert client_coordinator.get(reverse(f"{name}:index")).status_code == 200, name


def test_import_view_reports_row_column_value_and_changes_nothing(client_coordinator, utrecht):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from population.models import PopulationCount

    before = PopulationCount.objects.count()
    bad = b"jaar,gwb_code,regio,a_inw,a_man\n2024,GM0599,Rotterdam,1000,abc\n"
    response = client_coordinator.post(reverse("population_admin:import"), {
        "kind": "cbs_kwb", "file": SimpleUploadedFile("kwb.csv", bad, content_type="text/csv")})
    html = response.content.decode()
    assert "Rij 2, kolom a_man: &#x27;abc&#x27; is geen aantal mensen" in html
    assert PopulationCount.objects.count() == before


def test_coordinator_role_has_the_permissions_and_editor_is_refused(client, coordinator, utrecht):
    from accounts.demo import ensure_user
    from accounts.roles import EDITOR

    for perm in ("panels.view_panel", "panels.add_panel", "panels.change_volunteer", "panels.view_selectionrun",
                 "population.add_populationdataset"):
        assert coordinator.has_perm(perm), perm
    editor = ensure_user("ed", "ed@example.org", "E", "D", EDITOR, password="pw-Meedoen-1")
    client.force_login(editor)
    assert client.get(reverse("population_admin:representativeness")).status_code in (302, 403)


def test_no_empty_forms_for_figures_or_selection_runs(client_coordinator, utrecht):
    response = client_coordinator.get(reverse("population:add"))
    assert response.status_code == 302 and response["Location"] == reverse("population_admin:import")
    from django.contrib.auth import get_user_model

    root = get_user_model().objects.create_superuser("root", "root@example.org", "pw-Meedoen-1")
    client_coordinator.force_login(root)  # coordinators cannot add runs at all; a superuser is sent on
    assert client_coordinator.get(reverse("selection_runs:add"))["Location"] == reverse("panels_admin:index")


def test_the_panel_overview_lists_member_names_and_writes_the_access_log(client_coordinator, resident_panel):
    """Issue 11 point 6: the overview shows every member's name, so it is an access to personal data."""
    from accounts.models import AccessLogEntry

    members = list(resident_panel.members.values_list("pk", flat=True))
    assert members
    page = client_coordinator.get(reverse("panels_admin:panel", args=[resident_panel.pk]))
    assert page.status_code == 200
    entry = AccessLogEntry.objects.get(where="panels_admin:panel")
    assert (entry.action, entry.model, sorted(entry.object_ids), entry.filters) == (
        "list", "panels.panelmember", sorted(members), {"panel": str(resident_panel.pk)})
    names = {name.lower() for name in resident_panel.members.values_list("volunteer__name", flat=True) if name}
    stored = str([entry.object_ids, entry.filters, entry.where]).lower()
    assert not any(name in stored for name in names)
