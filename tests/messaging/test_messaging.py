from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone
from twilio.request_validator import RequestValidator

from messaging import services
from messaging.gsm import segments, to_gsm7
from messaging.models import Channel, Message, MessageState, SmsOptOut
from messaging.phone import normalise_phone
from tests.fakes import use_fake_twilio

pytestmark = pytest.mark.django_db


def queue_sms(key="k1", phone="+31612345678", body="Hallo"):
    return services.queue(channel=Channel.SMS, recipient=phone, body=body, dedupe_key=key)[0]


def test_same_dedupe_key_queues_one_message():
    first, created_first = services.queue(
        channel=Channel.EMAIL, recipient="a@example.org", subject="S", body="B", dedupe_key="x"
    )
    second, created_second = services.queue(
        channel=Channel.EMAIL, recipient="a@example.org", subject="S", body="B", dedupe_key="x"
    )
    assert (created_first, created_second) == (True, False)
    assert first.pk == second.pk
    assert Message.objects.count() == 1


def test_worker_is_asked_only_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        queue_sms()
        queue_sms()  # same key: no second callback
    assert len(callbacks) == 1


def test_email_is_sent_once_with_attachment():
    message, _ = services.queue(
        channel=Channel.EMAIL, recipient="a@example.org", subject="Bevestiging", body="Tot dan!",
        dedupe_key="mail-1",
        attachment=services.Attachment("event.ics", "BEGIN:VCALENDAR", "text/calendar"),
    )
    services.deliver(message.pk)
    services.deliver(message.pk)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].attachments[0][0] == "event.ics"
    message.refresh_from_db()
    assert message.state == MessageState.SENT and message.sent_at


def test_sms_goes_through_twilio_client_with_fake_transport(settings):
    transport = use_fake_twilio(settings)
    message = queue_sms(body="Je staat op de lijst")
    services.deliver(message.pk)
    message.refresh_from_db()
    assert message.state == MessageState.SENT
    assert message.provider_id.startswith("SM")
    (request,) = transport.sent
    assert request["method"] == "POST"
    assert request["uri"].endswith(f"/Accounts/{settings.TWILIO_ACCOUNT_SID}/Messages.json")
    assert request["data"] == {"To": "+31612345678", "From": "+3197010000000", "Body": "Je staat op de lijst"}


def test_twilio_error_marks_message_failed_and_does_not_retry(settings):
    transport = use_fake_twilio(settings)
    transport.fail_with_status = 400
    message = queue_sms()
    services.deliver(message.pk)
    services.deliver(message.pk)
    message.refresh_from_db()
    assert message.state == MessageState.FAILED
    assert "not a valid phone number" in message.error
    assert len(transport.sent) == 1


def test_unconfigured_twilio_logs_instead_of_sending(settings, caplog):
    settings.TWILIO_FROM = ""
    message = queue_sms(body="Tekst")
    services.deliver(message.pk)
    message.refresh_from_db()
    assert message.state == MessageState.LOGGED
    assert "SMS NOT SENT" in caplog.text


def test_worker_rerun_after_crash_never_sends_twice(settings):
    """A crash after SENDING was saved (provider maybe called) must not lead to a second send."""
    transport = use_fake_twilio(settings)
    message = queue_sms()
    Message.objects.filter(pk=message.pk).update(state=MessageState.SENDING)
    services.deliver(message.pk)
    services.deliver_due()
    assert transport.sent == []


def test_scheduled_message_waits_until_due(settings):
    transport = use_fake_twilio(settings)
    later = timezone.now() + timedelta(hours=2)
    message = services.queue(
        channel=Channel.SMS, recipient="+31612345678", body="Herinnering", dedupe_key="r",
        send_after=later,
    )[0]
    assert services.deliver(message.pk).state == MessageState.QUEUED
    Message.objects.filter(pk=message.pk).update(send_after=timezone.now() - timedelta(seconds=1))
    assert services.deliver_due() == 1
    assert len(transport.sent) == 1


def test_opted_out_number_is_never_texted(settings):
    transport = use_fake_twilio(settings)
    services.opt_out("+31612345678")
    message = queue_sms()
    services.deliver(message.pk)
    message.refresh_from_db()
    assert message.state == MessageState.SKIPPED
    assert transport.sent == []


def test_opt_out_skips_already_queued_sms():
    message = queue_sms()
    services.handle_inbound_sms("+31612345678", "stop")
    message.refresh_from_db()
    assert message.state == MessageState.SKIPPED
    services.handle_inbound_sms("+31612345678", "START")
    assert not services.is_opted_out("+31612345678")


def test_notify_uses_the_channels_a_person_chose():
    contact = services.Contact(email="a@example.org", phone="+31612345678", channels=frozenset({Channel.SMS}))
    messages = services.notify(contact, dedupe_key="n1", subject="S", email_body="E", sms_body="T")
    assert [m.channel for m in messages] == [Channel.SMS]
    assert services.notify(contact, dedupe_key="n1", subject="S", email_body="E", sms_body="T") == []


def test_cancel_pending_stops_reminders():
    queue_sms(key="event:1:reg:2:reminder-48h")
    queue_sms(key="event:1:reg:3:reminder-48h")
    assert services.cancel_pending("event:1:reg:2:") == 1
    states = dict(Message.objects.values_list("dedupe_key", "state"))
    assert states["event:1:reg:2:reminder-48h"] == MessageState.CANCELLED
    assert states["event:1:reg:3:reminder-48h"] == MessageState.QUEUED


def sign(url, params, token="test-auth-token"):
    return RequestValidator(token).compute_signature(url, params)


def test_inbound_stop_with_valid_signature_opts_out(client):
    url = "http://testserver/sms/inbound/"
    params = {"From": "+31612345678", "Body": "STOP", "MessageSid": "SM1"}
    response = client.post(url, params, HTTP_X_TWILIO_SIGNATURE=sign(url, params))
    assert response.status_code == 200
    assert b"<Response>" in response.content
    assert SmsOptOut.objects.filter(phone="+31612345678").exists()


def test_forged_inbound_request_gets_403_and_changes_nothing(client):
    url = "http://testserver/sms/inbound/"
    params = {"From": "+31612345678", "Body": "STOP"}
    response = client.post(url, params, HTTP_X_TWILIO_SIGNATURE=sign(url, params, token="wrong"))
    assert response.status_code == 403
    assert not SmsOptOut.objects.exists()


def test_phone_numbers_are_normalised_or_refused_in_dutch():
    assert normalise_phone("06 1234 5678") == "+31612345678"
    assert normalise_phone("+32 470 12 34 56") == "+32470123456"
    with pytest.raises(ValidationError) as error:
        normalise_phone("0612")
    assert "geen geldig telefoonnummer" in str(error.value.messages[0])


def test_gsm7_replacement_keeps_one_segment():
    text = to_gsm7("Je staat op de wachtlijst voor “Dialoogtafel Overvecht” – we sturen je een bericht.")
    assert segments(text) == 1
    assert segments("é" * 160) == 1
    assert segments("a" * 161) == 2
    assert segments("🙂" * 71) == 2


def test_retention_deletes_old_final_messages(settings):
    from messaging.retention import apply

    old = queue_sms(key="old")
    Message.objects.filter(pk=old.pk).update(
        state=MessageState.SENT, created_at=timezone.now() - timedelta(days=91)
    )
    waiting = queue_sms(key="waiting")
    Message.objects.filter(pk=waiting.pk).update(created_at=timezone.now() - timedelta(days=91))
    assert apply(timezone.now()) == {"messages deleted": 1}
    assert list(Message.objects.values_list("dedupe_key", flat=True)) == ["waiting"]
