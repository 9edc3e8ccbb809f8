"""Messages never lost, never twice (issue 12, point 6): interrupted sends become "uncertain"."""

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from accounts.roles import COORDINATOR, EDITOR
from messaging import services
from messaging.models import Channel, Message, MessageState
from messaging.tasks import deliver_message
from tests.fakes import use_fake_twilio

pytestmark = pytest.mark.django_db

LONG_AGO = timedelta(minutes=11)


def email(key="m1"):
    return services.queue(channel=Channel.EMAIL, recipient="a@example.org", subject="S", body="B",
                          dedupe_key=key)[0]


def stuck_in_sending(message, since=LONG_AGO):
    Message.objects.filter(pk=message.pk).update(
        state=MessageState.SENDING, attempted_at=timezone.now() - since)


def test_sending_marks_the_moment_it_started():
    message = services.deliver(email().pk)
    message.refresh_from_db()
    assert message.state == MessageState.SENT and message.attempted_at is not None


def test_a_message_stuck_in_sending_past_the_timeout_becomes_uncertain_with_the_reason():
    old, fresh = email("old"), email("fresh")
    stuck_in_sending(old)
    stuck_in_sending(fresh, since=timedelta(minutes=2))  # a worker may be sending it right now
    assert services.mark_uncertain() == 1
    old.refresh_from_db(), fresh.refresh_from_db()
    assert old.state == MessageState.UNCERTAIN and "onderbroken" in old.error
    assert fresh.state == MessageState.SENDING


def test_rows_stuck_from_before_the_upgrade_have_no_start_time_and_count_from_creation():
    message = email()
    Message.objects.filter(pk=message.pk).update(
        state=MessageState.SENDING, attempted_at=None, created_at=timezone.now() - timedelta(hours=1))
    assert services.mark_uncertain() == 1


def test_the_timeout_is_a_setting(settings):
    settings.MESSAGING_SENDING_TIMEOUT = 30
    message = email()
    stuck_in_sending(message, since=timedelta(seconds=31))
    assert services.mark_uncertain() == 1


def test_uncertain_messages_are_never_retried_automatically(settings):
    transport = use_fake_twilio(settings)
    message = services.queue(channel=Channel.SMS, recipient="+31612345678", body="Hallo", dedupe_key="s")[0]
    stuck_in_sending(message)
    services.sweep()
    services.deliver(message.pk)
    services.deliver_due()
    call_command("send_due_messages", stdout=StringIO())
    assert transport.sent == []
    assert Message.objects.get(pk=message.pk).state == MessageState.UNCERTAIN


def test_a_slow_send_that_finishes_after_the_sweep_still_records_its_outcome(monkeypatch):
    message = email()

    def slow_send(msg):
        Message.objects.filter(pk=msg.pk).update(state=MessageState.UNCERTAIN)  # the sweep ran meanwhile
        return MessageState.SENT, ""

    monkeypatch.setattr(services, "_send_email", slow_send)
    services.deliver(message.pk)
    message.refresh_from_db()
    assert message.state == MessageState.SENT and message.sent_at


def test_resend_queues_it_once_and_a_second_click_sends_nothing(django_user_model,
                                                                  django_capture_on_commit_callbacks):
    coordinator = django_user_model.objects.create_user(username="co", password="pw-long-enough-1")
    message = email()
    stuck_in_sending(message)
    services.mark_uncertain()
    with django_capture_on_commit_callbacks(execute=True):
        services.resend(message.pk, by=coordinator)
    message.refresh_from_db()
    assert message.state == MessageState.QUEUED and message.resent_at
    assert "co" in message.error.splitlines()[-1]
    services.deliver_due()
    assert len(mail.outbox) == 1
    with pytest.raises(services.ResendError):
        services.resend(message.pk, by=coordinator)
    services.deliver_due()
    assert len(mail.outbox) == 1


def test_only_uncertain_messages_can_be_sent_again():
    message = email()
    with pytest.raises(services.ResendError):
        services.resend(message.pk)
    assert Message.objects.get(pk=message.pk).state == MessageState.QUEUED


def make_task(status, started_ago, task_path=None):
    result = deliver_message.enqueue(1)
    DBTaskResult.objects.filter(pk=result.id).update(
        status=status, started_at=timezone.now() - started_ago, task_path=task_path or deliver_message.module_path)
    return str(result.id)


def test_stuck_task_rows_are_released_or_finished():
    DBTaskResult.objects.all().delete()
    stuck_delivery = make_task(TaskResultStatus.RUNNING, LONG_AGO)
    stuck_other = make_task(TaskResultStatus.RUNNING, LONG_AGO, task_path="outcomes.tasks.notify_outcome_participants")
    running_now = make_task(TaskResultStatus.RUNNING, timedelta(seconds=5))
    done = make_task(TaskResultStatus.SUCCESSFUL, LONG_AGO)
    assert services.release_stuck_tasks() == 2
    status = {str(pk): value for pk, value in DBTaskResult.objects.values_list("pk", "status")}
    assert status[stuck_delivery] == TaskResultStatus.READY  # delivery is idempotent: run it again
    assert status[stuck_other] == TaskResultStatus.FAILED  # anything else is not run twice
    assert status[running_now] == TaskResultStatus.RUNNING
    assert status[done] == TaskResultStatus.SUCCESSFUL
    assert "WorkerLost" in DBTaskResult.objects.get(pk=stuck_other).exception_class_path


def test_send_due_messages_sweeps_and_says_what_it_did():
    stuck_in_sending(email("a"))
    email("b")
    out = StringIO()
    call_command("send_due_messages", stdout=out)
    assert "1 interrupted message(s) marked uncertain" in out.getvalue()
    assert "1 message(s) handled" in out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_the_worker_sweeps_before_its_first_task(monkeypatch):
    monkeypatch.setitem(services._last_sweep, "at", None)
    stuck = email("stuck")
    stuck_in_sending(stuck)
    email("new")  # its task makes the worker start
    call_command("db_worker", "--batch", "--backend", "messages", "--queue-name", "messages",
                 "--no-startup-delay", "--no-reload", stdout=StringIO(), stderr=StringIO())
    assert Message.objects.get(pk=stuck.pk).state == MessageState.UNCERTAIN
    assert Message.objects.get(dedupe_key="new").state == MessageState.SENT


# --- the admin's message log -----------------------------------------------------------------------------

@pytest.fixture
def coordinator_client(client, django_user_model):
    user = django_user_model.objects.create_user(username="co", password="pw-long-enough-1")
    user.groups.add(Group.objects.get(name=COORDINATOR))
    client.force_login(user)
    return client


def uncertain_message():
    message = email()
    stuck_in_sending(message)
    services.mark_uncertain()
    return message


def test_the_message_log_lists_uncertain_messages_with_the_reason_and_a_button(coordinator_client):
    message = uncertain_message()
    page = coordinator_client.get("/admin/messages/?state=uncertain").content.decode()
    assert "a@example.org" in page and "onderbroken" in page
    assert f"/admin/messages/resend/{message.pk}/" in page
    dashboard = coordinator_client.get("/admin/").content.decode()
    assert "misschien niet zijn aangekomen" in dashboard


def test_resend_page_asks_first_and_the_button_posts(coordinator_client, django_capture_on_commit_callbacks):
    message = uncertain_message()
    url = f"/admin/messages/resend/{message.pk}/"
    confirm = coordinator_client.get(url)
    assert confirm.status_code == 200 and 'method="post"' in confirm.content.decode()
    assert Message.objects.get(pk=message.pk).state == MessageState.UNCERTAIN  # GET changes nothing
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = coordinator_client.post(url)
    assert response.status_code == 302
    assert Message.objects.get(pk=message.pk).state == MessageState.QUEUED
    assert len(callbacks) == 1
    again = coordinator_client.post(url, follow=True)  # a double click
    assert "niet meer onzeker" in again.content.decode()
    assert Message.objects.get(pk=message.pk).state == MessageState.QUEUED


def test_staff_without_the_permission_cannot_resend(client, django_user_model):
    editor = django_user_model.objects.create_user(username="ed", password="pw-long-enough-1")
    editor.groups.add(Group.objects.get(name=EDITOR))
    client.force_login(editor)
    message = uncertain_message()
    response = client.post(f"/admin/messages/resend/{message.pk}/")
    assert response.status_code in (302, 403)
    assert Message.objects.get(pk=message.pk).state == MessageState.UNCERTAIN
