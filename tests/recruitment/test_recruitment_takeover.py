"""Issue 11, points 1 and 7 for intermediaries: inviting or signing up on someone's behalf never tells
whether a person is signed up (unless they came in through this intermediary), probing costs the daily
limit, and events private to the intermediary are not offered."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageViewRestriction

from events.models import Registration
from messaging.models import Message
from messaging.services import opt_out
from recruitment import services
from recruitment.models import Invitation

from .conftest import signup

pytestmark = pytest.mark.django_db


def on_behalf(event, **extra):
    data = {"event": event, "name": "Mevrouw Jansen", "email": "", "phone": "0612345678",
            "contact_via": "resident", "age_band": "65+", "under_16": "no", "consent_method": "spoken",
            "consent_given_at": timezone.now()}
    data.update(extra)
    return data


def test_invitations_show_only_how_many_were_skipped_and_skipped_ones_cost_the_limit(
        event, intermediary, make_intermediary, settings, client):
    settings.RECRUITMENT_INVITATIONS_PER_DAY = 5
    signup(event, 1, email="noor@example.org")  # signed up on their own
    opt_out("+31687654321")
    other = make_intermediary("Ayla")
    services.send_invitations(other, event, "0611111111")  # invited by someone else
    client.force_login(intermediary.user)
    response = client.post(reverse("recruitment:invite"), {
        "event": event.pk, "contacts": "NOOR@example.org\n06 87654321\n0611111111\nnieuw@example.org",
        "note": "", "action": "send"})
    page = response.content.decode()
    assert "3 contacten kregen geen uitnodiging" in page and "We zeggen niet welke of waarom" in page
    for raw in ("NOOR@example.org", "06 87654321", "0611111111"):
        assert raw not in page.split('id="result-heading"')[1].split("</section>")[0]
    assert "al aangemeld" not in page and "al uitgenodigd" not in page
    assert Invitation.objects.filter(intermediary=intermediary).count() == 1
    # 1 sent + 3 skipped = 4 of 5: one left; the probe was not free
    assert services.remaining_today(intermediary) == 1


def test_beyond_the_limit_nothing_is_looked_up(event, intermediary, settings):
    settings.RECRUITMENT_INVITATIONS_PER_DAY = 1
    signup(event, 1, email="noor@example.org")
    services.send_invitations(intermediary, event, "eerst@example.org")
    result = services.send_invitations(intermediary, event, "noor@example.org\nander@example.org")
    assert len(result.over_limit) == 2 and result.skipped_count == 0 and not result.already_signed_up


def test_the_intermediary_sees_which_and_why_for_their_own_people(event, intermediary, client):
    services.send_invitations(intermediary, event, "0612345678")
    outcome = services.register_on_behalf(intermediary, on_behalf(event, phone="0622222222"))
    assert outcome.outcome == services.NEW
    client.force_login(intermediary.user)
    response = client.post(reverse("recruitment:invite"), {
        "event": event.pk, "contacts": "06 12345678\n06 22222222", "note": "", "action": "send"})
    page = response.content.decode()
    assert "06 12345678: u heeft deze persoon al uitgenodigd" in page
    assert "06 22222222: al aangemeld, door u of via u" in page
    assert "kregen geen uitnodiging" not in page and "kreeg geen uitnodiging" not in page


def test_on_behalf_gives_the_same_answer_for_someone_already_signed_up(event, intermediary, client):
    holder = signup(event, 1, email="", phone="+31612345678")
    Registration.objects.filter(pk=holder.pk).update(created_at=timezone.now() - timedelta(hours=1))
    new = services.register_on_behalf(intermediary, on_behalf(event, name="Nieuw", phone="0611112222"))
    already = services.register_on_behalf(intermediary, on_behalf(event, name="Nieuw", phone="06-12345678"))
    assert (already.outcome, already.registration) == (services.ALREADY, None)
    assert already.message == new.message
    assert Registration.objects.filter(event=event).count() == 2
    holder.refresh_from_db()
    assert holder.registered_by is None and not hasattr(holder, "on_behalf")
    # the holder is sent their own link, at their number
    link = Message.objects.get(dedupe_key__startswith=f"events:reg:{holder.pk}:link:")
    assert link.recipient == "+31612345678" and holder.token in link.body
    client.force_login(intermediary.user)
    response = client.post(reverse("recruitment:register_on_behalf"), {
        "event": event.pk, "name": "Nieuw", "email": "", "phone": "0612345678", "contact_via": "resident",
        "age_band": "65+", "under_16": "no", "consent_method": "spoken", "consent_given_at": "2020-01-01T10:00"})
    assert response.status_code == 302 and response["Location"] == reverse("recruitment:dashboard")


def test_on_behalf_of_their_own_person_again_leads_to_that_person(event, intermediary, client):
    first = services.register_on_behalf(intermediary, on_behalf(event))
    again = services.register_on_behalf(intermediary, on_behalf(event, phone="+31 6 1234 5678"))
    assert again.outcome == services.ALREADY and again.registration == first.registration


def test_private_events_are_not_offered_to_an_intermediary_who_may_not_see_them(
        make_event, intermediary, client):
    from django.contrib.auth.models import Group

    public = make_event("Open avond")
    password = make_event("Besloten avond")
    PageViewRestriction.objects.create(page=password, restriction_type="password", password="geheim")
    groups = make_event("Alleen voor het team")
    restriction = PageViewRestriction.objects.create(page=groups, restriction_type="groups")
    restriction.groups.add(Group.objects.create(name="Team"))
    logged_in = make_event("Voor ingelogde mensen")
    PageViewRestriction.objects.create(page=logged_in, restriction_type="login")
    client.force_login(intermediary.user)
    page = client.get(reverse("recruitment:link_create")).content.decode()
    assert "Open avond" in page and "Voor ingelogde mensen" in page
    assert "Besloten avond" not in page and "Alleen voor het team" not in page
    assert list(services.open_events(viewer=intermediary.user)) == [public, logged_in]
    assert list(services.open_events()) == [public]
    with pytest.raises(services.RecruitmentError):
        services.create_link(intermediary, password)
    with pytest.raises(services.RecruitmentError):
        services.send_invitations(intermediary, groups, "0612345678")
    assert not Invitation.objects.exists()
