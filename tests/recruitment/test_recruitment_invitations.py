"""SMS and email invitations: one per contact per event, opt-outs respected, a daily limit."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from messaging.models import Message, MessageState
from messaging.services import deliver_due, opt_out
from recruitment import services
from recruitment.models import Attribution, Channel, Invitation
from tests.fakes import use_fake_twilio

from .conftest import signup

pytestmark = pytest.mark.django_db


def test_invitations_are_queued_and_delivered(event, intermediary, settings):
    fake = use_fake_twilio(settings)
    result = services.send_invitations(intermediary, event, "06 12345678\nnoor@example.org, 06-87654321",
                                       note="Ik ben er ook!")
    assert len(result.sent) == 3 and not (result.invalid or result.opted_out or result.over_limit)
    invitations = Invitation.objects.filter(intermediary=intermediary)
    assert sorted(invitations.values_list("channel", flat=True)) == ["email", "sms", "sms"]
    # the address itself is not kept on the invitation, only a hash and a masked form
    assert not invitations.filter(contact_display__contains="12345678").exists()
    assert deliver_due() == 3
    assert len(fake.sent) == 2
    body = fake.sent[0]["data"]["Body"]
    assert "Jongerenavond Overvecht" in body and "/r/" in body and "STOP" in body and "Ik ben er ook!" in body
    email = Message.objects.get(channel="email")
    assert email.state == MessageState.SENT and "Sam" in email.subject


def test_one_invitation_per_contact_per_event(event, intermediary, make_intermediary):
    services.send_invitations(intermediary, event, "0612345678")
    again = services.send_invitations(intermediary, event, "+31 6 12345678")
    assert not again.sent and len(again.already_invited) == 1
    other = make_intermediary("Ayla", organisation="Buurtteam Noordwest")
    by_other = services.send_invitations(other, event, "06 12 34 56 78")
    assert not by_other.sent and len(by_other.already_invited) == 1
    assert Message.objects.count() == 1
    existing = Invitation.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        Invitation.objects.create(intermediary=other, event=event, invite_link=existing.invite_link,
                                  channel=Channel.SMS, contact_hash=existing.contact_hash)


def test_the_same_contact_may_be_invited_to_another_event(make_event, intermediary):
    first, second = make_event("Eerste"), make_event("Tweede")
    services.send_invitations(intermediary, first, "0612345678")
    assert len(services.send_invitations(intermediary, second, "0612345678").sent) == 1


def test_opted_out_numbers_are_never_texted(event, intermediary, settings):
    fake = use_fake_twilio(settings)
    opt_out("+31612345678")
    result = services.send_invitations(intermediary, event, "0612345678\n0687654321")
    assert [item.value for item in result.opted_out] == ["+31612345678"]
    assert len(result.sent) == 1
    assert not Message.objects.filter(recipient="+31612345678").exists()
    deliver_due()
    assert [sent["data"]["To"] for sent in fake.sent] == ["+31687654321"]


def test_daily_limit_per_intermediary(event, intermediary, make_intermediary, settings, client):
    settings.RECRUITMENT_INVITATIONS_PER_DAY = 2
    result = services.send_invitations(intermediary, event, "0611111111, 0622222222, 0633333333")
    assert len(result.sent) == 2 and len(result.over_limit) == 1 and result.limit_reached
    assert services.remaining_today(intermediary) == 0
    assert not services.send_invitations(intermediary, event, "0644444444").sent
    # another intermediary has their own limit
    other = make_intermediary("Ayla")
    assert len(services.send_invitations(other, event, "0655555555").sent) == 1
    # and the dashboard says so
    client.force_login(intermediary.user)
    response = client.post(reverse("recruitment:invite"), {
        "event": event.pk, "contacts": "0666666666", "note": "", "action": "send"})
    assert response.status_code == 200
    assert "limiet van 2 uitnodigingen voor vandaag" in response.content.decode()


def test_invalid_contacts_are_reported(event, intermediary):
    result = services.send_invitations(intermediary, event, "12\nniet-een-adres@\n0612345678")
    assert len(result.invalid) == 2 and len(result.sent) == 1


def test_invited_person_who_signs_up_is_attributed_to_the_invitation(event, intermediary, visitor):
    services.send_invitations(intermediary, event, "0612345678\nnoor@example.org")
    by_phone = signup(event, 1, email="", phone="06 12345678", request=visitor())
    assert by_phone.attribution.channel == Channel.SMS
    assert by_phone.attribution.invitation.intermediary == intermediary
    # through the personal link in the email, even with another address
    invitation = Invitation.objects.get(channel=Channel.EMAIL)
    request = visitor()
    services.follow(invitation.code, session=request.session)
    by_link = signup(event, 2, email="noor.anders@example.org", request=request)
    assert by_link.attribution.invitation == invitation
    assert by_link.attribution.channel == Channel.EMAIL
    assert Attribution.objects.count() == 2


def test_already_signed_up_people_are_not_invited(event, intermediary):
    signup(event, 1, email="noor@example.org")
    result = services.send_invitations(intermediary, event, "NOOR@example.org")
    assert len(result.already_signed_up) == 1 and not Invitation.objects.exists()


def test_preview_then_send_in_the_dashboard(event, intermediary, client):
    client.force_login(intermediary.user)
    data = {"event": event.pk, "contacts": "0612345678", "note": "Tot dan!"}
    preview = client.post(reverse("recruitment:invite"), {**data, "action": "preview"})
    text = preview.content.decode()
    assert "Tot dan!" in text and "Jongerenavond Overvecht" in text and "STOP" in text
    assert not Invitation.objects.exists()
    sent = client.post(reverse("recruitment:invite"), {**data, "action": "send"}, follow=True)
    assert sent.status_code == 200
    assert Invitation.objects.count() == 1
    dashboard = client.get(reverse("recruitment:dashboard")).content.decode()
    assert "+31••••678" in dashboard and "0612345678" not in dashboard and "Verstuurd" in dashboard


def test_no_invitations_or_links_for_a_cancelled_or_closed_event(make_event, intermediary):
    cancelled = make_event("Afgelast", status="cancelled")
    closed = make_event("Dicht", signup_closed=True)
    for event in (cancelled, closed):
        with pytest.raises(services.RecruitmentError):
            services.send_invitations(intermediary, event, "0612345678")
        with pytest.raises(services.RecruitmentError):
            services.create_link(intermediary, event)
    assert not Invitation.objects.exists()
