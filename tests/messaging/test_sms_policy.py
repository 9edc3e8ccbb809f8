"""SMS only where it belongs (issue 12, point 4): mobile numbers in SMS_ALLOWED_REGIONS, and a budget."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from accounts.models import User
from accounts.roles import COORDINATOR
from messaging import services
from messaging.models import Channel, Message, MessageState
from messaging.phone import INVALID, NOT_MOBILE, REGION, is_mobile, sms_refusal, sms_refusal_message
from tests.fakes import use_fake_twilio

pytestmark = pytest.mark.django_db

NL_MOBILE = "+31612345678"
BE_MOBILE = "+32470123456"
UK_MOBILE = "+447400123456"
US_NUMBER = "+12015550123"  # FIXED_LINE_OR_MOBILE, but not in the EU/EEA
NL_LANDLINE = "+31201234567"
NL_PREMIUM = "+31900123456"
NL_TOLL_FREE = "+31800123456"
NL_VOIP = "+31851234567"
NL_SHARED = "+31881234567"  # 088: one number for a company (UAN)


@pytest.mark.parametrize("number, reason", [
    (NL_MOBILE, None), (BE_MOBILE, None), ("+4915112345678", None), ("+3197010000000", None),
    (UK_MOBILE, REGION), (US_NUMBER, REGION),
    (NL_LANDLINE, NOT_MOBILE), (NL_PREMIUM, NOT_MOBILE), ("+31906123456", NOT_MOBILE),
    (NL_TOLL_FREE, NOT_MOBILE), (NL_VOIP, NOT_MOBILE), (NL_SHARED, NOT_MOBILE),
    ("+3161234", INVALID), ("", INVALID), ("not a number", INVALID),
])
def test_sms_refusal_by_number_type_and_region(number, reason):
    assert sms_refusal(number) == reason


def test_is_mobile_is_about_the_type_only():
    assert is_mobile(NL_MOBILE) and is_mobile(UK_MOBILE) and is_mobile(US_NUMBER)
    assert not is_mobile(NL_LANDLINE) and not is_mobile(NL_PREMIUM) and not is_mobile("rubbish")


def test_allowed_regions_come_from_the_setting(settings):
    settings.SMS_ALLOWED_REGIONS = ["NL"]
    assert sms_refusal(NL_MOBILE) is None
    assert sms_refusal(BE_MOBILE) == REGION
    settings.SMS_ALLOWED_REGIONS = ["nl", "gb"]
    assert sms_refusal(UK_MOBILE) is None


def test_the_default_is_nl_and_the_eu_eea(settings):
    from participation.settings import base

    regions = set(base.SMS_ALLOWED_REGIONS)
    assert {"NL", "BE", "DE", "FR", "PL", "IS", "NO", "LI"} <= regions
    assert len(regions) == 30 and "GB" not in regions and "US" not in regions


def test_refusal_messages_are_dutch_b1():
    assert "mobiel nummer" in sms_refusal_message(NL_LANDLINE)
    assert "Nederland" in sms_refusal_message(UK_MOBILE)
    assert sms_refusal_message(NL_MOBILE) is None


@pytest.mark.parametrize("number", [NL_LANDLINE, NL_PREMIUM, NL_TOLL_FREE, NL_VOIP, UK_MOBILE, US_NUMBER])
def test_an_sms_to_a_disallowed_number_is_stored_skipped_with_the_reason_and_never_sent(
        number, settings, django_capture_on_commit_callbacks):
    transport = use_fake_twilio(settings)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        message, created = services.queue(channel=Channel.SMS, recipient=number, body="Hallo", dedupe_key="k")
    assert created and callbacks == []  # the worker is not even asked
    message.refresh_from_db()
    assert message.state == MessageState.SKIPPED
    assert message.error.startswith("Niet verstuurd")
    assert services.deliver(message.pk).state == MessageState.SKIPPED
    assert services.deliver_due() == 0
    assert transport.sent == []


def test_notify_sends_the_email_and_skips_the_sms_to_a_foreign_number(settings):
    transport = use_fake_twilio(settings)
    contact = services.Contact(email="a@example.org", phone=UK_MOBILE)
    created = services.notify(contact, dedupe_key="n", subject="S", email_body="E", sms_body="T")
    states = {m.channel: m.state for m in created}
    assert states == {Channel.EMAIL: MessageState.QUEUED, Channel.SMS: MessageState.SKIPPED}
    services.deliver_due()
    assert transport.sent == []
    assert Message.objects.get(channel=Channel.EMAIL).state == MessageState.SENT


def test_delivery_checks_the_number_again(settings):
    """Defence in depth: a queued SMS whose number is no longer allowed (setting changed) is not sent."""
    transport = use_fake_twilio(settings)
    message, _ = services.queue(channel=Channel.SMS, recipient=BE_MOBILE, body="Hallo", dedupe_key="k")
    settings.SMS_ALLOWED_REGIONS = ["NL"]
    message = services.deliver(message.pk)
    assert message.state == MessageState.SKIPPED and "SMS_ALLOWED_REGIONS" in message.error
    assert transport.sent == []


def test_opted_out_sms_gets_a_reason(settings):
    use_fake_twilio(settings)
    message, _ = services.queue(channel=Channel.SMS, recipient=NL_MOBILE, body="Hallo", dedupe_key="k")
    services.opt_out(NL_MOBILE)
    message.refresh_from_db()
    assert message.state == MessageState.SKIPPED and "STOP" in message.error


# --- the budget ------------------------------------------------------------------------------------------

def coordinator(email, username):
    user = User.objects.create_user(username=username, email=email, password="pw-long-enough-1")
    user.groups.add(Group.objects.get_or_create(name=COORDINATOR)[0])
    return user


def queue_sms(n, prefix="s"):
    return [services.queue(channel=Channel.SMS, recipient=f"+316123456{i:02d}", body="Hallo",
                           dedupe_key=f"{prefix}{i}")[0] for i in range(n)]


def test_past_the_hourly_budget_sms_wait_email_goes_and_coordinators_get_one_alert(
        settings, django_capture_on_commit_callbacks):
    transport = use_fake_twilio(settings)
    settings.SMS_BUDGET_PER_HOUR, settings.SMS_BUDGET_PER_DAY = 3, 100
    first, second = coordinator("c1@example.org", "c1"), coordinator("c2@example.org", "c2")
    sms = queue_sms(5)
    email, _ = services.queue(channel=Channel.EMAIL, recipient="a@example.org", body="B", dedupe_key="e")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        for message in sms:
            services.deliver(message.pk)
        services.deliver_due()  # the sweep finds nothing more to send now
    assert len(transport.sent) == 3
    waiting = Message.objects.filter(channel=Channel.SMS, state=MessageState.QUEUED)
    assert waiting.count() == 2
    _hour, next_hour, _day, _next_day = services.sms_windows(timezone.now())
    assert set(waiting.values_list("send_after", flat=True)) == {next_hour}
    assert Message.objects.get(pk=email.pk).state == MessageState.SENT  # email still goes
    alerts = Message.objects.filter(purpose="sms-budget")
    assert sorted(alerts.values_list("recipient", flat=True)) == [first.email, second.email]
    assert "sms" in alerts.first().subject.lower() and alerts.first().dedupe_key.startswith("sms-budget:hour:")
    # The worker is asked again for each waiting SMS at the next hour (once, not on every sweep), and
    # for the alerts now.
    assert len(callbacks) == 2 + 1

    # The next hour: the waiting SMS go out.
    Message.objects.filter(channel=Channel.SMS, state=MessageState.SENT).update(
        attempted_at=timezone.now() - timedelta(hours=1, minutes=1))
    waiting.update(send_after=timezone.now() - timedelta(seconds=1))
    services.deliver_due()
    assert len(transport.sent) == 5
    assert Message.objects.filter(purpose="sms-budget").count() == 2


def test_the_daily_budget_waits_until_tomorrow(settings):
    use_fake_twilio(settings)
    settings.SMS_BUDGET_PER_HOUR, settings.SMS_BUDGET_PER_DAY = 100, 2
    sms = queue_sms(3)
    for message in sms:
        services.deliver(message.pk)
    waiting = Message.objects.get(state=MessageState.QUEUED)
    _hour, _next_hour, _day, next_day = services.sms_windows(timezone.now())
    assert waiting.send_after == next_day
    assert timezone.localtime(next_day).hour == 0


def test_a_deferred_sms_is_handed_to_the_worker_for_the_next_window(settings, django_capture_on_commit_callbacks):
    use_fake_twilio(settings)
    settings.SMS_BUDGET_PER_HOUR = 1
    first, second = queue_sms(2)
    DBTaskResult.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        services.deliver(first.pk)
        services.deliver(second.pk)
        services.deliver(second.pk)  # asked again before the window opens: no second task
    (task,) = DBTaskResult.objects.filter(task_path="messaging.tasks.deliver_message")
    assert task.args_kwargs["args"] == [second.pk]
    assert task.run_after == Message.objects.get(pk=second.pk).send_after


def test_the_budget_counts_every_sms_that_started_sending_in_the_window(settings):
    """Counted in the database: SMS sent by another process this hour count too."""
    transport = use_fake_twilio(settings)
    settings.SMS_BUDGET_PER_HOUR = 2
    earlier = queue_sms(2, prefix="other")
    Message.objects.filter(pk__in=[m.pk for m in earlier]).update(
        state=MessageState.SENT, attempted_at=timezone.now())
    (message,) = queue_sms(1)
    assert services.deliver(message.pk).state == MessageState.QUEUED
    assert transport.sent == []


def test_sms_only_written_to_the_log_cost_nothing_and_have_no_budget(settings):
    settings.TWILIO_FROM = ""  # Twilio not configured: SMS are logged, not sent
    settings.SMS_BUDGET_PER_HOUR = 1
    for message in queue_sms(3):
        services.deliver(message.pk)
    assert set(Message.objects.values_list("state", flat=True)) == {MessageState.LOGGED}
