"""The one way the platform sends email and SMS.

Apps never call Django's mail or Twilio directly. They call `notify` (or `queue`) inside their own
transaction; a row is written per message, and after the transaction commits the worker is asked to
deliver it. Delivery is at most once: a row is marked SENDING before the provider is called, so a worker
that crashes and runs again never sends the same message twice. A row left in SENDING longer than
`MESSAGING_SENDING_TIMEOUT` becomes UNCERTAIN (`sweep`): never retried automatically, listed in the admin's
message log, where a coordinator can send it again (`resend`). The unique dedupe key makes "one
confirmation per registration" a database rule.

SMS go only to mobile numbers in `SMS_ALLOWED_REGIONS` (`messaging.phone.sms_refusal`; others are stored
as SKIPPED with the reason and never sent), and at most `SMS_BUDGET_PER_HOUR` / `SMS_BUDGET_PER_DAY` for
the whole site: past that they wait for the next window and coordinators get one email per window.
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from functools import partial

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, connections, router, transaction
from django.db.models import Count, Q
from django.db.models.constants import OnConflict
from django.db.models.sql import InsertQuery
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from .gsm import to_gsm7
from .models import Channel, Message, MessageState, SmsOptOut
from .phone import sms_refusal_reason

logger = logging.getLogger(__name__)
# Event titles may be longer than a subject may be; the subject is cut, never the sign-up refused.
SUBJECT_LENGTH = 200

STOP_WORDS = {"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "AFMELDEN", "STOPPEN"}
START_WORDS = {"START", "UNSTOP", "AANMELDEN"}


@dataclass(frozen=True)
class Contact:
    """How to reach one person: an address and/or a number, and the channels they chose."""

    email: str = ""
    phone: str = ""  # E.164, see messaging.phone.normalise_phone
    channels: frozenset = field(default_factory=lambda: frozenset({Channel.EMAIL, Channel.SMS}))

    def wants(self, channel):
        address = self.email if channel == Channel.EMAIL else self.phone
        return bool(address) and channel in self.channels


@dataclass(frozen=True)
class Attachment:
    name: str
    content: str
    mimetype: str


@dataclass(frozen=True)
class Notice:
    """What `notify` sends; `notify_many` stores a list of them at once."""

    contact: Contact
    dedupe_key: str
    subject: str
    email_body: str
    sms_body: str
    purpose: str = ""
    send_after: object = None
    attachment: Attachment = None


def queue(
    *,
    channel,
    recipient,
    body,
    dedupe_key,
    subject="",
    purpose="",
    send_after=None,
    attachment=None,
):
    """Store one message and have the worker deliver it after commit. Returns (message, created).

    Calling twice with the same dedupe_key returns the first message and sends nothing more.
    """
    return queue_many([dict(
        channel=channel, recipient=recipient, body=body, dedupe_key=dedupe_key, subject=subject,
        purpose=purpose, send_after=send_after, attachment=attachment,
    )])[0]


def queue_many(items):
    """Store several messages with one INSERT; the worker delivers them after commit.

    `items` are dicts with `queue`'s keywords. Returns one (message, created) per item, in order. A
    dedupe key that is already there (or repeated in `items`) returns the message that has it and
    queues nothing more, exactly as `queue` does. Either every new message is stored or none is.
    """
    keys = [item["dedupe_key"] for item in items]
    created, existing = _store(items)
    results, seen = [], set()
    for key in keys:
        message = created.get(key) or existing[key]
        results.append((message, key in created and key not in seen))
        seen.add(key)
    return results


def _store(items):
    """(new messages by key, messages that were there already by key) for the items.

    No savepoint of its own (that would cost two statements): inside the caller's transaction a failure
    rolls all of it back, so a failed sign-up leaves neither the person nor half their messages.
    """
    with transaction.atomic(using=router.db_for_write(Message), savepoint=False):
        created = _insert_new(items)
        missing = {item["dedupe_key"] for item in items} - created.keys()
        existing = Message.objects.in_bulk(missing, field_name="dedupe_key") if missing else {}
        # Not inserted and not there: refused for another reason (SQLite's INSERT OR IGNORE also skips
        # rows that break NOT NULL or CHECK, where PostgreSQL would raise).
        if missing - existing.keys():
            raise IntegrityError(f"messages not stored: {sorted(missing - existing.keys())}")
    return created, existing


def _insert_new(items):
    """Store the items whose dedupe key is new, in one statement. Returns the new messages by key.

    INSERT ... ON CONFLICT DO NOTHING RETURNING: a key that is already there is skipped by the database
    itself (after waiting for a concurrent transaction that holds the same key), so no savepoint is
    needed and the caller's transaction stays usable. The worker is asked for new messages after commit.
    """
    messages = []
    for item in items:
        attachment = item.get("attachment")
        body = item["body"]
        if item["channel"] == Channel.SMS:
            body = to_gsm7(body)
        # Defence in depth: an SMS to a number we may not text is stored as skipped, with the reason,
        # and never handed to the worker (the forms already refuse it where a person chose SMS).
        refusal = sms_refusal_reason(item["recipient"]) if item["channel"] == Channel.SMS else None
        messages.append(Message(
            dedupe_key=item["dedupe_key"], channel=item["channel"], recipient=item["recipient"],
            subject=(item.get("subject") or "")[:SUBJECT_LENGTH], body=body, purpose=item.get("purpose") or "",
            send_after=item.get("send_after"),
            attachment_name=attachment.name if attachment else "",
            attachment_content=attachment.content if attachment else "",
            attachment_mimetype=attachment.mimetype if attachment else "",
            state=MessageState.SKIPPED if refusal else MessageState.QUEUED, error=refusal or "",
        ))
    if not messages:
        return {}
    using = router.db_for_write(Message)
    connection = connections[using]
    if not connection.features.can_return_rows_from_bulk_insert:
        raise NotImplementedError("messaging needs INSERT ... RETURNING (PostgreSQL, or SQLite 3.35 or newer)")
    meta = Message._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    # Within the database's limit on parameters per statement (SQLite: about 2,000 messages at once).
    size = max(connection.ops.bulk_batch_size(fields, messages), 1)
    rows = []
    with transaction.mark_for_rollback_on_error(using), connection.cursor() as cursor:
        for start in range(0, len(messages), size):
            query = InsertQuery(Message, on_conflict=OnConflict.IGNORE)
            query.insert_values(fields, messages[start:start + size])
            compiler = query.get_compiler(using=using)
            compiler.returning_fields = [meta.pk, meta.get_field("dedupe_key")]
            for sql, params in compiler.as_sql():
                cursor.execute(sql, params)
                rows.extend(cursor.fetchall())
    by_key = {}
    for message in messages:
        by_key.setdefault(message.dedupe_key, message)  # a key repeated in one batch: the first counts
    created = {}
    for pk, key in rows:
        message = by_key[key]
        message.pk = pk
        message._state.adding, message._state.db = False, using
        created[key] = message
    if created:
        due = [(message.pk, message.send_after) for message in created.values()
               if message.state == MessageState.QUEUED]
        if due:
            transaction.on_commit(partial(_enqueue_all, due), using=using)
    return created


def notify(contact, *, dedupe_key, subject, email_body, sms_body, purpose="", send_after=None,
           attachment=None):
    """Send one notice to a person by each channel they chose. Returns the messages created."""
    return notify_many([Notice(
        contact, dedupe_key=dedupe_key, subject=subject, email_body=email_body, sms_body=sms_body,
        purpose=purpose, send_after=send_after, attachment=attachment,
    )])


def notify_many(notices):
    """`notify` for several notices (to one person or several) with a single INSERT. Returns the messages created."""
    items = []
    for notice in notices:
        common = dict(purpose=notice.purpose, send_after=notice.send_after)
        if notice.contact.wants(Channel.EMAIL):
            items.append(dict(
                channel=Channel.EMAIL, recipient=notice.contact.email, subject=notice.subject,
                body=notice.email_body, dedupe_key=f"{notice.dedupe_key}:email", attachment=notice.attachment,
                **common,
            ))
        if notice.contact.wants(Channel.SMS):
            items.append(dict(
                channel=Channel.SMS, recipient=notice.contact.phone, body=notice.sms_body,
                dedupe_key=f"{notice.dedupe_key}:sms", **common,
            ))
    if not items:
        return []
    created, _existing = _store(items)
    # In the order asked for; a key repeated within the batch counts once, as with separate calls.
    return [created.pop(item["dedupe_key"]) for item in items if item["dedupe_key"] in created]


def cancel_pending(dedupe_key_prefix):
    """Cancel messages not yet sent whose key starts with the prefix (say, a cancelled person's reminders)."""
    return Message.objects.filter(
        dedupe_key__startswith=dedupe_key_prefix, state=MessageState.QUEUED
    ).update(state=MessageState.CANCELLED)


def _enqueue_all(due):
    for message_id, send_after in due:
        _enqueue(message_id, send_after)


def _enqueue(message_id, send_after=None):
    from .tasks import deliver_message

    task = deliver_message.using(run_after=send_after) if send_after else deliver_message
    try:
        task.enqueue(message_id)
    except Exception:  # the sweep (`manage.py send_due_messages`) will still deliver it
        logger.exception("Could not enqueue message %s; the sweep will pick it up", message_id)


def deliver(message_id):
    """Send one queued message if it is due. Safe to call any number of times, from any process."""
    with transaction.atomic():
        message = Message.objects.select_for_update().filter(pk=message_id).first()
        if message is None or message.state != MessageState.QUEUED:
            return message
        now = timezone.now()  # after the lock: the moment this attempt really starts
        if message.send_after and message.send_after > now:
            return message
        if message.channel == Channel.SMS:
            reason = None
            if is_opted_out(message.recipient):
                reason = _("Not sent: this number opted out of SMS (STOP).")
            else:
                reason = sms_refusal_reason(message.recipient)
            if reason:
                message.state, message.error = MessageState.SKIPPED, reason
                message.save(update_fields=["state", "error"])
                return message
            # The budget is about money: SMS only written to the log (Twilio not configured) cost nothing.
            wait_until = _sms_budget_wait(now) if twilio_configured() else None
            if wait_until:
                _defer(message, wait_until)
                return message
        message.state, message.attempted_at = MessageState.SENDING, now
        message.save(update_fields=["state", "attempted_at"])

    try:
        if message.channel == Channel.EMAIL:
            state, provider_id = _send_email(message)
        else:
            state, provider_id = _send_sms(message)
    except Exception as exc:  # provider refused or is down: record it, never retry blindly
        logger.exception("Message %s failed", message.pk)
        message.state, message.error = MessageState.FAILED, str(exc)[:2000]
        _finish(message, state=message.state, error=message.error)
        return message
    message.state, message.provider_id, message.sent_at = state, provider_id, timezone.now()
    _finish(message, state=state, provider_id=provider_id, sent_at=message.sent_at)
    return message


def _finish(message, **fields):
    """Record the provider's answer. A very slow attempt the sweep already called "uncertain" still gets
    its real outcome; a row in any other state (sent again by a coordinator meanwhile) is left alone."""
    Message.objects.filter(
        pk=message.pk, state__in=[MessageState.SENDING, MessageState.UNCERTAIN]
    ).update(**fields)


def deliver_due(limit=500):
    """Deliver every queued message that is due (the safety net beside the worker). Returns the count."""
    now = timezone.now()
    due = (
        Message.objects.filter(state=MessageState.QUEUED)
        .filter(Q(send_after__isnull=True) | Q(send_after__lte=now))
        .values_list("pk", flat=True)[:limit]
    )
    return sum(1 for pk in list(due) if deliver(pk).state != MessageState.QUEUED)


# The SMS budget ----------------------------------------------------------------------------------------

# Any 64-bit number, the same in every process: PostgreSQL's advisory lock that makes "count, then mark
# as being sent" one step for all workers. (SQLite lets one writer at a time anyway.)
SMS_BUDGET_LOCK = 0x4D45454430534D53


def sms_windows(now):
    """(hour start, next hour, day start, next day) around `now`, in the site's time zone."""
    local = timezone.localtime(now)
    hour = local.replace(minute=0, second=0, microsecond=0)
    day_start = timezone.make_aware(datetime.combine(local.date(), time()))
    next_day = timezone.make_aware(datetime.combine(local.date() + timedelta(days=1), time()))
    return hour, hour + timedelta(hours=1), day_start, next_day


def _sms_budget_wait(now):
    """None when one more SMS fits this hour's and today's budget; else when the next window opens.

    Counts the SMS whose sending started in the window (in the database, so every worker process sees
    the same number), under a lock held until the caller's transaction commits its SENDING mark.
    """
    connection = connections[router.db_for_write(Message)]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SMS_BUDGET_LOCK])
    hour, next_hour, day, next_day = sms_windows(now)
    counts = Message.objects.filter(channel=Channel.SMS, attempted_at__gte=min(hour, day)).aggregate(
        hour=Count("pk", filter=Q(attempted_at__gte=hour)), day=Count("pk", filter=Q(attempted_at__gte=day)),
    )
    if counts["day"] >= settings.SMS_BUDGET_PER_DAY:
        _alert_budget("day", day, settings.SMS_BUDGET_PER_DAY, next_day)
        return next_day
    if counts["hour"] >= settings.SMS_BUDGET_PER_HOUR:
        _alert_budget("hour", hour, settings.SMS_BUDGET_PER_HOUR, next_hour)
        return next_hour
    return None


def _defer(message, wait_until):
    """Keep the SMS queued until the next window; the worker is asked again for that moment."""
    if message.send_after != wait_until:
        message.send_after = wait_until
        message.save(update_fields=["send_after"])
        transaction.on_commit(partial(_enqueue, message.pk, wait_until))


def _alert_budget(kind, window_start, limit, reopens):
    """One email per window to everyone who decides about messages (the resend_message permission:
    coordinators): SMS wait because the site's budget is used up."""
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    perm = {"codename": "resend_message", "content_type__app_label": "messaging"}
    users = get_user_model().objects.filter(
        Q(**{f"groups__permissions__{key}": value for key, value in perm.items()})
        | Q(**{f"user_permissions__{key}": value for key, value in perm.items()}),
        is_active=True,
    ).exclude(email="").distinct()
    window = timezone.localtime(window_start).strftime("%Y-%m-%dT%H" if kind == "hour" else "%Y-%m-%d")
    with translation.override(settings.LANGUAGE_CODE):
        what = _("this hour") if kind == "hour" else _("today")
        subject = _("SMS budget used up: text messages are waiting")
        body = _(
            "The site sent %(limit)d text messages %(what)s. That is the limit (SMS_BUDGET_PER_HOUR, "
            "SMS_BUDGET_PER_DAY). More text messages wait in the queue and go out from %(reopens)s. "
            "Emails still go out.\n\nMany more text messages than usual can mean abuse (for example "
            "sign-ups by a bot). Check the latest sign-ups and the message log."
        ) % {"limit": limit, "what": what, "reopens": timezone.localtime(reopens).strftime("%d-%m-%Y %H:%M")}
    items = [dict(
        channel=Channel.EMAIL, recipient=user.email, subject=subject, body=body, purpose="sms-budget",
        dedupe_key=f"sms-budget:{kind}:{window}:user:{user.pk}",
    ) for user in users]
    if items:
        queue_many(items)


# Interrupted deliveries ----------------------------------------------------------------------------------

def sweep(now=None):
    """Mark interrupted deliveries uncertain and release task rows whose worker died. Returns the counts.

    Run by `manage.py send_due_messages` and by every worker process before its first task (and then at
    most once a minute). Only rows older than MESSAGING_SENDING_TIMEOUT are touched, so a worker that is
    busy sending right now is never disturbed.
    """
    return {"uncertain": mark_uncertain(now), "tasks released": release_stuck_tasks(now)}


def mark_uncertain(now=None):
    """SENDING for longer than the timeout: the worker stopped while sending. It may have arrived or not,
    so it is never retried automatically; the message log lists it for a coordinator."""
    cutoff = (now or timezone.now()) - timedelta(seconds=settings.MESSAGING_SENDING_TIMEOUT)
    with translation.override(settings.LANGUAGE_CODE):
        reason = _(
            "Sending was interrupted (the message worker stopped while sending). It may or may not have "
            "arrived, so it is not sent again automatically. Check with the person, or send it again."
        )
    return Message.objects.filter(state=MessageState.SENDING).filter(
        Q(attempted_at__lt=cutoff) | Q(attempted_at__isnull=True, created_at__lt=cutoff)
    ).update(state=MessageState.UNCERTAIN, error=reason)


def release_stuck_tasks(now=None):
    """Task rows "running" longer than the timeout belong to a worker that died: release or finish them.

    A delivery task is made ready again (delivery is idempotent: the message's own state decides, and an
    interrupted one is uncertain by now); any other task is marked failed, not run twice.
    """
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from .tasks import deliver_message

    cutoff = (now or timezone.now()) - timedelta(seconds=settings.MESSAGING_SENDING_TIMEOUT)
    stuck = DBTaskResult.objects.filter(
        backend_name=deliver_message.backend, status=TaskResultStatus.RUNNING, started_at__lt=cutoff
    )
    released = stuck.filter(task_path=deliver_message.module_path).update(status=TaskResultStatus.READY)
    finished = 0
    for row in stuck.exclude(task_path=deliver_message.module_path):
        row.set_failed(WorkerLost(f"The worker running this task stopped (running since {row.started_at})."))
        finished += 1
    return released + finished


class WorkerLost(Exception):
    pass


_last_sweep = {"at": None}


def sweep_from_worker(**kwargs):
    """`task_started` receiver: the worker sweeps before its first task and then at most once a minute."""
    from django_tasks_db.backend import DatabaseBackend

    sender = kwargs.get("sender")  # the worker sends the backend itself, others its class
    backend_class = sender if isinstance(sender, type) else type(sender)
    if not issubclass(backend_class, DatabaseBackend):
        return
    now = timezone.now()
    if _last_sweep["at"] and now - _last_sweep["at"] < timedelta(seconds=60):
        return
    _last_sweep["at"] = now
    try:
        counts = sweep(now)
    except Exception:  # never let the sweep stop the task itself
        logger.exception("Messaging sweep failed")
        return
    if any(counts.values()):
        logger.warning("Messaging sweep: %s", counts)


class ResendError(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


def resend(message_id, *, by=None):
    """A coordinator sends an uncertain message again: it goes back in the queue, once.

    Only from UNCERTAIN, under a row lock: a double click or a second coordinator gets ResendError and
    nothing more is sent. The automatic path never does this.
    """
    with transaction.atomic():
        message = Message.objects.select_for_update().filter(pk=message_id).first()
        if message is None or message.state != MessageState.UNCERTAIN:
            raise ResendError(_("This message is no longer uncertain (it was already sent again, or it "
                                "is gone). Nothing was sent."))
        now = timezone.now()
        who = by.get_username() if by is not None and getattr(by, "is_authenticated", False) else "?"
        note = _("Sent again by %(who)s on %(when)s.") % {
            "who": who, "when": timezone.localtime(now).strftime("%d-%m-%Y %H:%M")}
        message.state, message.send_after, message.resent_at = MessageState.QUEUED, None, now
        message.error = f"{message.error}\n{note}".strip()
        message.save(update_fields=["state", "send_after", "resent_at", "error"])
        transaction.on_commit(partial(_enqueue, message.pk))
    return message


def _send_email(message):
    email = EmailMessage(
        subject=message.subject, body=message.body, to=[message.recipient],
        from_email=settings.DEFAULT_FROM_EMAIL,
    )
    if message.attachment_name:
        email.attach(message.attachment_name, message.attachment_content, message.attachment_mimetype)
    email.send()
    return MessageState.SENT, ""


def twilio_client():
    """Twilio's own client; only its HTTP transport can be swapped (settings.TWILIO_HTTP_CLIENT)."""
    from twilio.http.http_client import TwilioHttpClient
    from twilio.rest import Client

    if settings.TWILIO_HTTP_CLIENT:
        http_client = import_string(settings.TWILIO_HTTP_CLIENT)()
    else:  # gives up well before MESSAGING_SENDING_TIMEOUT, so "uncertain" means the worker died
        http_client = TwilioHttpClient(timeout=settings.MESSAGING_PROVIDER_TIMEOUT)
    return Client(settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN, http_client=http_client)


def twilio_configured():
    return bool(settings.TWILIO_FROM and settings.TWILIO_ACCOUNT_SID and settings.TWILIO_AUTH_TOKEN)


def _send_sms(message):
    if not twilio_configured():
        logger.warning(
            "SMS NOT SENT (Twilio is not configured: set TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and "
            "TWILIO_FROM). To %s: %s", message.recipient, message.body,
        )
        return MessageState.LOGGED, ""
    sent = twilio_client().messages.create(
        to=message.recipient, from_=settings.TWILIO_FROM, body=message.body
    )
    return MessageState.SENT, sent.sid or ""


def is_opted_out(phone):
    return bool(phone) and SmsOptOut.objects.filter(phone=phone).exists()


def opt_out(phone, source="STOP"):
    SmsOptOut.objects.get_or_create(phone=phone, defaults={"source": source})
    Message.objects.filter(
        recipient=phone, channel=Channel.SMS, state=MessageState.QUEUED
    ).update(state=MessageState.SKIPPED, error=_("Not sent: this number opted out of SMS (STOP)."))


def opt_in(phone):
    SmsOptOut.objects.filter(phone=phone).delete()


def handle_inbound_sms(from_number, body):
    """Act on a text a person sent us: STOP opts the number out of every SMS, START undoes it."""
    word = (body or "").strip().split(maxsplit=1)[0].upper() if (body or "").strip() else ""
    if word in STOP_WORDS:
        opt_out(from_number, source=word)
        return "stop"
    if word in START_WORDS:
        opt_in(from_number)
        return "start"
    return None
