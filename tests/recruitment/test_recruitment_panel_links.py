"""Invite links to a panel's call: the link leads to the call form, applications are attributed."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from recruitment import printables, reach, services
from recruitment.models import Channel, InviteLink, PoolAttribution

pytestmark = pytest.mark.django_db


@pytest.fixture
def make_panel(db):
    from panels.models import Panel
    from population.models import Area

    municipality, _created = Area.objects.get_or_create(
        code="GM0344", defaults={"name": "Utrecht", "level": Area.Level.MUNICIPALITY})

    def make(name="Jongerenpanel Overvecht", status=Panel.Status.RECRUITING):
        return Panel.objects.create(name=name, purpose="Meedenken over de wijk", area=municipality, status=status)

    return make


@pytest.fixture
def panel(make_panel):
    return make_panel()


def apply_through(client, panel, n=1):
    return client.post(reverse("panels:apply", args=[panel.pk]), {
        "name": f"Vrijwilliger {n}", "email": f"vrijwilliger{n}@example.org", "consent": "on",
    })


def test_panel_link_leads_to_the_call_form(panel, intermediary, client):
    link = services.create_link(intermediary, panel=panel, label="Flyer")
    assert link.target_url() == reverse("panels:apply", args=[panel.pk])
    response = client.get(f"/r/{link.code}")
    assert response.status_code == 302 and response["Location"] == reverse("panels:apply", args=[panel.pk])
    remembered = client.session[services.SESSION_KEY]
    assert remembered["panel"] == panel.pk and remembered["event"] is None


def test_application_through_link_is_attributed(panel, intermediary, client):
    from panels.models import Volunteer

    link = services.create_link(intermediary, panel=panel)
    client.get(f"/r/{link.code}")
    assert apply_through(client, panel).status_code == 302
    volunteer = Volunteer.objects.get()
    attribution = PoolAttribution.objects.get(volunteer=volunteer)
    assert (attribution.invite_link, attribution.intermediary, attribution.channel) == (
        link, intermediary, Channel.LINK)
    link.refresh_from_db()
    assert (link.visits, link.qr_visits) == (1, 0)


def test_application_through_qr_code_records_the_channel(panel, intermediary, client):
    link = services.create_link(intermediary, panel=panel)
    assert services.qr_url(link).endswith(f"/r/{link.code}?via=qr")
    client.get(f"/r/{link.code}?via=qr")
    apply_through(client, panel)
    assert PoolAttribution.objects.get().channel == Channel.QR
    link.refresh_from_db()
    assert (link.visits, link.qr_visits) == (0, 1)


def test_application_without_a_link_or_for_another_panel_is_not_attributed(make_panel, intermediary, client):
    first, second = make_panel("Eerste"), make_panel("Tweede")
    apply_through(client, first, 1)
    link = services.create_link(intermediary, panel=first)
    client.get(f"/r/{link.code}")
    apply_through(client, second, 2)
    assert not PoolAttribution.objects.exists()


def test_service_apply_without_request_still_works(panel):
    from panels import services as panel_services

    volunteer = panel_services.apply(panel, {"name": "Zonder link", "email": "z@example.org"}).volunteer
    assert volunteer.pk and not PoolAttribution.objects.exists()


@pytest.mark.parametrize("change, state", [
    (lambda link: services.set_paused(link, True), "paused"),
    (services.revoke, "revoked"),
    (lambda link: services.set_end(link, timezone.now() - timedelta(minutes=1)), "expired"),
])
def test_inactive_panel_links_say_so_and_do_not_attribute(panel, intermediary, client, change, state):
    link = services.create_link(intermediary, panel=panel)
    change(link)
    response = client.get(f"/r/{link.code}", follow=True)
    assert response.redirect_chain[-1][0] == reverse("panels:apply", args=[panel.pk])
    assert len(list(response.context["messages"])) == 1
    assert services.SESSION_KEY not in client.session
    apply_through(client, panel)
    assert not PoolAttribution.objects.exists()
    link.refresh_from_db()
    assert link.state() == state and link.visits == 0


def test_link_revoked_after_opening_does_not_attribute(panel, intermediary, client):
    link = services.create_link(intermediary, panel=panel)
    client.get(f"/r/{link.code}")
    services.revoke(link)
    apply_through(client, panel)
    assert not PoolAttribution.objects.exists()


def test_closed_call_ends_the_link(panel, intermediary):
    link = services.create_link(intermediary, panel=panel)
    panel.status = panel.Status.SELECTING
    panel.save()
    link.refresh_from_db()
    assert link.state() == "expired"


def test_only_recruiting_panels_can_be_chosen(make_panel, intermediary, event, client):
    from panels.models import Panel

    open_call = make_panel("Open oproep")
    closed = make_panel("Loting bezig", status=Panel.Status.SELECTING)
    assert list(services.recruiting_panels()) == [open_call]
    with pytest.raises(services.RecruitmentError):
        services.create_link(intermediary, panel=closed)
    with pytest.raises(services.RecruitmentError):
        services.create_link(intermediary, event, panel=open_call)
    client.force_login(intermediary.user)
    page = client.get(reverse("recruitment:link_create")).content.decode()
    assert "Open oproep" in page and "Loting bezig" not in page
    assert f'value="panel-{open_call.pk}"' in page and f'value="event-{event.pk}"' in page
    response = client.post(reverse("recruitment:link_create"), {"target": f"panel-{closed.pk}"})
    assert response.status_code == 200 and not InviteLink.objects.exists()
    response = client.post(reverse("recruitment:link_create"), {"target": f"panel-{open_call.pk}",
                                                                 "label": "Buurthuis"})
    link = InviteLink.objects.get()
    assert (link.panel, link.event, link.intermediary) == (open_call, None, intermediary)
    assert response["Location"] == reverse("recruitment:link_detail", args=[link.code])


def test_a_link_has_exactly_one_target(panel, event, intermediary):
    with pytest.raises(IntegrityError), transaction.atomic():
        InviteLink.objects.create(intermediary=intermediary, event=event, panel=panel)
    with pytest.raises(IntegrityError), transaction.atomic():
        InviteLink.objects.create(intermediary=intermediary)


def test_panel_link_detail_qr_and_flyer(panel, intermediary, client):
    link = services.create_link(intermediary, panel=panel)
    client.force_login(intermediary.user)
    detail = client.get(reverse("recruitment:link_detail", args=[link.code])).content.decode()
    assert "Jongerenpanel Overvecht" in detail and f"/r/{link.code}" in detail and "<svg" in detail
    png = client.get(reverse("recruitment:link_qr_png", args=[link.code]))
    assert png.content.startswith(b"\x89PNG")
    pdf = client.get(reverse("recruitment:link_flyer", args=[link.code]))
    assert pdf["Content-Type"] == "application/pdf"
    assert b"DejaVuSans" in pdf.content and pdf.content.startswith(b"%PDF")
    text = "\n".join(line for line, *_rest in printables.flyer_lines(None, panel, "Sam"))
    assert "Jongerenpanel Overvecht" in text and "Wanneer:" not in text
    client.post(reverse("recruitment:link_detail", args=[link.code]), {"action": "pause"})
    link.refresh_from_db()
    assert link.paused


def test_dashboard_and_reach_count_applications(panel, intermediary, client):
    from panels.models import Volunteer

    link = services.create_link(intermediary, panel=panel, label="Buurthuis")
    for n in range(6):
        visitor = client.__class__()
        visitor.get(f"/r/{link.code}" + ("?via=qr" if n == 0 else ""))
        apply_through(visitor, panel, n)
    Volunteer.objects.filter(name="Vrijwilliger 1").update(status=Volunteer.Status.SELECTED)
    link.refresh_from_db()
    assert reach.panel_link_counts(link) == {"opened": 6, "applied": 6, "selected": "<5"}
    assert reach.intermediary_summary(intermediary)["applied"] == 6
    rows = {row["channel_code"]: row for row in reach.pool_funnel()}
    assert (rows["link"]["opened"], rows["link"]["applied"], rows["link"]["selected"]) == (5, 5, 1)
    assert (rows["qr"]["opened"], rows["qr"]["applied"]) == (1, 1)
    assert rows["link"]["intermediary"] == str(intermediary)
    assert all(row["channel_code"] != "link" or row["invited"] == 0 for row in reach.funnel()
               if row["intermediary"] == str(intermediary))
    client.force_login(intermediary.user)
    page = client.get(reverse("recruitment:dashboard")).content.decode()
    assert "Jongerenpanel Overvecht" in page and "Buurthuis" in page
