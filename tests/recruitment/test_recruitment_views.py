"""The dashboard's screens, short links, downloads and the permission boundary."""


import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from recruitment import printables, services
from recruitment.models import InviteLink

from .conftest import signup

pytestmark = pytest.mark.django_db


def test_short_link_remembers_invite_and_redirects_to_event(event, intermediary, client):
    link = services.create_link(intermediary, event)
    response = client.get(f"/r/{link.code}?via=qr")
    assert response.status_code == 302 and response["Location"] == event.url
    assert client.session[services.SESSION_KEY]["via"] == "qr"


def test_paused_link_redirects_with_a_clear_message(event, intermediary, client):
    link = services.set_paused(services.create_link(intermediary, event), True)
    response = client.get(f"/r/{link.code}", follow=True)
    assert response.redirect_chain[-1][0] == event.url
    assert [str(m) for m in response.context["messages"]] == [
        "This invite link is paused for now. You can still sign up yourself below."
    ] or "gepauzeerd" in response.content.decode()
    assert services.SESSION_KEY not in client.session


def test_unknown_short_link_is_404(event, client):
    assert client.get("/r/abcdefgh").status_code == 404


def test_dashboard_needs_login_and_approval(event, make_intermediary, client):
    url = reverse("recruitment:dashboard")
    assert client.get(url).status_code == 302
    waiting = make_intermediary("Wacht", approved=False)
    client.force_login(waiting.user)
    assert client.get(url).status_code == 403
    resident = get_user_model().objects.create_user(username="bewoner", email="b@example.org")
    client.force_login(resident)
    assert client.get(url).status_code == 403


def test_create_link_and_download_qr_and_flyer(event, intermediary, client):
    client.force_login(intermediary.user)
    response = client.post(reverse("recruitment:link_create"), {"target": f"event-{event.pk}", "label": "Flyer"})
    link = InviteLink.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "recruitment:link_detail", args=[link.code])
    detail = client.get(response["Location"]).content.decode()
    assert f"/r/{link.code}" in detail and "<svg" in detail
    png = client.get(reverse("recruitment:link_qr_png", args=[link.code]))
    assert png["Content-Type"] == "image/png" and png.content.startswith(b"\x89PNG")
    svg = client.get(reverse("recruitment:link_qr_svg", args=[link.code]))
    assert svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content
    pdf = client.get(reverse("recruitment:link_flyer", args=[link.code]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert b"/MediaBox [ 0 0 297.6378 419.5276 ]" in pdf.content  # A6 in points
    # The text is set in DejaVu Sans (shipped with the project) and so stored as glyph codes: check the
    # font in the file and the lines the flyer is made of (tests/recruitment/test_recruitment_flyer.py).
    assert b"DejaVuSans" in pdf.content and b"/Helvetica" not in pdf.content
    text = "\n".join(line for line, *_rest in printables.flyer_lines(event, None, "Sam"))
    for expected in ("Je bent uitgenodigd!", "Jongerenavond Overvecht", "Wanneer:", "Waar: Jongerencentrum De Plek",
                     "Gratis", "Vragen? org@example.org"):
        assert expected in text


def test_link_actions(event, intermediary, client):
    link = services.create_link(intermediary, event)
    client.force_login(intermediary.user)
    url = reverse("recruitment:link_detail", args=[link.code])
    client.post(url, {"action": "pause"})
    link.refresh_from_db()
    assert link.state() == "paused"
    client.post(url, {"action": "resume"})
    client.post(url, {"action": "end", "ends_at": "2099-01-01"})
    link.refresh_from_db()
    assert link.state() == "active" and link.ends_at.year == 2099
    client.post(url, {"action": "revoke"})
    link.refresh_from_db()
    assert link.state() == "revoked"


def test_intermediary_sees_only_own_people_and_links(event, make_intermediary, client, visitor):
    sam, ayla = make_intermediary("Sam"), make_intermediary("Ayla")
    sams_link, aylas_link = services.create_link(sam, event), services.create_link(ayla, event)
    request = visitor()
    services.follow(sams_link.code, session=request.session)
    sams_person = signup(event, 1, request=request)
    # a friend of Sam's invitee: counted for Sam, but Sam was not the one who asked them
    friend_request = visitor()
    services.follow(services.friend_link_for(sams_person).code, session=friend_request.session)
    friend = signup(event, 2, request=friend_request)

    client.force_login(sam.user)
    assert client.get(reverse("recruitment:person_detail", args=[sams_person.pk])).status_code == 200
    assert client.get(reverse("recruitment:person_detail", args=[friend.pk])).status_code == 404
    dashboard = client.get(reverse("recruitment:dashboard")).content.decode()
    assert "Bewoner 1" in dashboard and "Bewoner 2" not in dashboard
    assert client.get(reverse("recruitment:link_detail", args=[aylas_link.code])).status_code == 404
    assert client.get(reverse("recruitment:link_flyer", args=[aylas_link.code])).status_code == 404

    client.force_login(ayla.user)
    assert client.get(reverse("recruitment:person_detail", args=[sams_person.pk])).status_code == 404
    assert "Bewoner 1" not in client.get(reverse("recruitment:dashboard")).content.decode()


def test_friend_page_gives_a_share_link(event, client, visitor):
    from django.template import Context, Template

    registration = signup(event, 1, request=visitor())
    tag = Template("{% load recruitment_tags %}{% friend_link_url registration %}").render(
        Context({"registration": registration}))
    assert tag == f"/r/friend/{registration.token}/"
    page = client.get(tag)
    link = InviteLink.objects.get(referrer=registration)
    assert page.status_code == 200 and f"/r/{link.code}" in page.content.decode()
    assert client.get(reverse("recruitment:friend_qr_svg", args=[registration.token])).status_code == 200
    assert client.get("/r/friend/not-a-token/").status_code == 404


def test_coordinator_approves_an_intermediary_in_the_wagtail_admin(db, site, client, coordinator):
    from django.contrib.auth.models import Group

    from recruitment.models import Intermediary

    coordinator.groups.add(Group.objects.get(name="Coordinator"))
    person = get_user_model().objects.create_user(username="marieke", email="marieke@example.org")
    client.force_login(coordinator)
    assert client.get(reverse("intermediaries:index")).status_code == 200
    response = client.post(reverse("intermediaries:add"), {
        "user": person.pk, "organisation": "Buurtteam Overvecht", "organisation_type": "neighbourhood_team",
        "role_description": "Buurtcoach", "approved": "on",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    intermediary = Intermediary.objects.get(user=person)
    assert intermediary.approved_by == coordinator and intermediary.approved_at
    assert person.groups.filter(name="Intermediary").exists()
    client.post(reverse("intermediaries:edit", args=[intermediary.pk]), {
        "user": person.pk, "organisation": "Buurtteam Overvecht", "organisation_type": "neighbourhood_team",
        "role_description": "Buurtcoach",
    })
    intermediary.refresh_from_db()
    assert not intermediary.is_approved and services.approved_intermediary(person) is None
    assert client.get(reverse("invite_links:index")).status_code == 200


def test_the_dashboard_and_a_person_page_are_never_cached(event, intermediary, client, visitor):
    """Both show the names and contacts of the people the intermediary brought in (issue 11, point 7)."""
    link = services.create_link(intermediary, event)
    request = visitor()
    services.follow(link.code, session=request.session)
    person = signup(event, 1, request=request)
    client.force_login(intermediary.user)
    for url in (reverse("recruitment:dashboard"), reverse("recruitment:person_detail", args=[person.pk])):
        response = client.get(url)
        assert response.status_code == 200 and "Bewoner 1" in response.content.decode(), url
        assert "no-store" in response.get("Cache-Control", ""), url
