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
    # Waiting = due later (a reminder queued long before the event): since issue 11 an old message in any
    # state is deleted, except one whose time to be sent has not come.
    Message.objects.filter(pk=waiting.pk).update(
        created_at=timezone.now() - timedelta(days=91), send_after=timezone.now() + timedelta(days=10))
    assert apply(timezone.now()) == {"messages deleted": 1, "finished worker tasks deleted": 0}
    assert list(Message.objects.values_list("dedupe_key", flat=True)) == ["waiting"]


def email_item(key, **extra):
    return {"channel": Channel.EMAIL, "recipient": "a@example.org", "subject": "S", "body": "B",
            "dedupe_key": key, **extra}


def test_queue_many_stores_new_messages_in_order_and_dedupes_like_queue(django_capture_on_commit_callbacks):
    first, _ = services.queue(channel=Channel.EMAIL, recipient="a@example.org", body="B", dedupe_key="old")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        results = services.queue_many([
            email_item("new-1"),
            {"channel": Channel.SMS, "recipient": "+31612345678", "body": "Café", "dedupe_key": "new-2",
             "send_after": timezone.now() + timedelta(days=1)},
            email_item("old"),
            email_item("new-1"),  # repeated within the batch: one message
        ])
    assert [created for _message, created in results] == [True, True, False, False]
    assert results[2][0].pk == first.pk
    assert results[3][0].pk == results[0][0].pk
    assert Message.objects.count() == 3
    sms = Message.objects.get(dedupe_key="new-2")
    assert sms.pk == results[1][0].pk and sms.body == to_gsm7("Café") and sms.send_after
    assert results[0][0].created_at is not None
    assert len(callbacks) == 1  # one after-commit request to the worker for the whole batch


def test_queue_many_asks_the_worker_for_every_new_message(monkeypatch, django_capture_on_commit_callbacks):
    asked = []
    monkeypatch.setattr(services, "_enqueue", lambda pk, send_after=None: asked.append(pk))
    with django_capture_on_commit_callbacks(execute=True):
        results = services.queue_many([email_item("a"), email_item("b"), email_item("a")])
    assert asked == [results[0][0].pk, results[1][0].pk]


def test_queue_many_is_atomic_in_the_callers_transaction():
    from django.db import transaction

    services.queue(channel=Channel.EMAIL, recipient="a@example.org", body="B", dedupe_key="kept")
    with pytest.raises(RuntimeError), transaction.atomic():
        services.queue_many([email_item("x"), email_item("y")])
        raise RuntimeError("the sign-up fails after queueing")
    assert list(Message.objects.values_list("dedupe_key", flat=True)) == ["kept"]


def test_queue_many_with_a_bad_row_stores_none_of_the_batch():
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        services.queue_many([email_item("good"), email_item("bad", body=None)])
    assert not Message.objects.exists()


def test_notify_many_sends_each_notice_by_its_channels_with_one_insert(django_assert_num_queries):
    services.queue(channel=Channel.EMAIL, recipient="a@example.org", body="B", dedupe_key="n2:email")
    both = services.Contact(email="a@example.org", phone="+31612345678")
    email_only = services.Contact(email="o@example.org", channels=frozenset({Channel.EMAIL}))
    notices = [
        services.Notice(both, dedupe_key="n1", subject="Hoi", email_body="Mail", sms_body="Sms"),
        services.Notice(email_only, dedupe_key="n2", subject="Al", email_body="Mail", sms_body="Sms"),
        services.Notice(email_only, dedupe_key="n3", subject="Later", email_body="Mail", sms_body="Sms",
                        send_after=timezone.now() + timedelta(hours=2)),
    ]
    # One INSERT, plus one look-up because n2's key was there already (to tell a repeat from a refusal).
    with django_assert_num_queries(2):
        created = services.notify_many(notices)
    assert [m.dedupe_key for m in created] == ["n1:email", "n1:sms", "n3:email"]
    assert all(m.pk for m in created)
    assert services.notify_many(notices) == []


def test_notify_many_of_new_notices_is_one_insert(django_assert_num_queries):
    contact = services.Contact(email="a@example.org", phone="+31612345678")
    notices = [services.Notice(contact, dedupe_key=f"new{i}", subject="S", email_body="M", sms_body="T")
               for i in range(3)]
    with django_assert_num_queries(1):
        assert len(services.notify_many(notices)) == 6


def test_a_subject_longer_than_the_field_is_cut_not_refused():
    message, created = services.queue(channel=Channel.EMAIL, recipient="a@example.org", body="B",
                                      dedupe_key="long", subject="Aangemeld: " + "x" * 300)
    assert created
    message.refresh_from_db()
    assert len(message.subject) == services.SUBJECT_LENGTH and message.subject.startswith("Aangemeld: ")


def test_more_messages_than_one_statement_may_hold_are_stored_in_parts(monkeypatch):
    """The database's limit on parameters per statement, made small: 20 messages go in parts of 7."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    monkeypatch.setattr(connection.ops, "bulk_batch_size", lambda fields, objs: 7)
    services.queue(channel=Channel.EMAIL, recipient="p9@example.org", body="B", dedupe_key="bulk9")
    items = [dict(channel=Channel.EMAIL, recipient=f"p{i}@example.org", body="B", dedupe_key=f"bulk{i}",
                  subject="S") for i in range(20)]
    with CaptureQueriesContext(connection) as queries:
        results = services.queue_many(items)
    assert sum(q["sql"].startswith("INSERT") for q in queries.captured_queries) == 3
    assert [created for _message, created in results] == [i != 9 for i in range(20)]
    assert [message.dedupe_key for message, _created in results] == [f"bulk{i}" for i in range(20)]
    assert Message.objects.filter(dedupe_key__startswith="bulk").count() == 20


def test_retention_deletes_old_messages_in_any_state(settings):
    from messaging.retention import apply

    now = timezone.now()
    for state in [MessageState.QUEUED, MessageState.SENDING, MessageState.SENT, "uncertain"]:
        message = queue_sms(key=f"old-{state}")
        Message.objects.filter(pk=message.pk).update(state=state, created_at=now - timedelta(days=91))
    recent = queue_sms(key="recent")
    due_long_ago = queue_sms(key="due-long-ago")
    Message.objects.filter(pk=due_long_ago.pk).update(
        created_at=now - timedelta(days=200), send_after=now - timedelta(days=95))
    due_recently = queue_sms(key="due-recently")
    Message.objects.filter(pk=due_recently.pk).update(
        created_at=now - timedelta(days=200), send_after=now - timedelta(days=5))
    assert apply(now)["messages deleted"] == 5
    assert sorted(Message.objects.values_list("dedupe_key", flat=True)) == ["due-recently", recent.dedupe_key]


def test_retention_deletes_finished_worker_tasks(settings):
    from django_tasks_db.models import DBTaskResult

    from messaging.retention import apply

    now = timezone.now()
    common = dict(run_after=now, backend_name="messages", queue_name="messages", args_kwargs={"args": [1]},
                  task_path="messaging.tasks.deliver_message", exception_class_path="", traceback="")
    old = DBTaskResult.objects.create(status="FAILED", finished_at=now - timedelta(days=91), **common)
    DBTaskResult.objects.create(status="SUCCESSFUL", finished_at=now - timedelta(days=2), **common)
    DBTaskResult.objects.create(status="READY", **common)
    assert apply(now)["finished worker tasks deleted"] == 1
    assert not DBTaskResult.objects.filter(pk=old.pk).exists() and DBTaskResult.objects.count() == 2
