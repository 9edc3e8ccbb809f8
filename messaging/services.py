"""The one way the platform sends email and SMS.

Apps never call Django's mail or Twilio directly. They call `notify` (or `queue`) inside their own
transaction; a row is written per message, and after the transaction commits the worker is asked to
deliver it. Delivery is at most once: a row is marked SENDING before the provider is called, so a worker
that crashes and runs again never sends the same message twice (a row stuck in SENDING needs a person
to look at it). The unique dedupe key makes "one confirmation per registration" a database rule.
"""

import logging
from dataclasses import dataclass, field
from functools import partial

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, connections, router, transaction
from django.db.models import Q
from django.db.models.constants import OnConflict
from django.db.models.sql import InsertQuery
from django.utils import timezone
from django.utils.module_loading import import_string

from .gsm import to_gsm7
from .models import Channel, Message, MessageState, SmsOptOut

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
        messages.append(Message(
            dedupe_key=item["dedupe_key"], channel=item["channel"], recipient=item["recipient"],
            subject=(item.get("subject") or "")[:SUBJECT_LENGTH], body=body, purpose=item.get("purpose") or "",
            send_after=item.get("send_after"),
            attachment_name=attachment.name if attachment else "",
            attachment_content=attachment.content if attachment else "",
            attachment_mimetype=attachment.mimetype if attachment else "",
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
        due = [(message.pk, message.send_after) for message in created.values()]
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
        if message.send_after and message.send_after > timezone.now():
            return message
        if message.channel == Channel.SMS and is_opted_out(message.recipient):
            message.state = MessageState.SKIPPED
            message.save(update_fields=["state"])
            return message
        message.state = MessageState.SENDING
        message.save(update_fields=["state"])

    try:
        if message.channel == Channel.EMAIL:
            state, provider_id = _send_email(message)
        else:
            state, provider_id = _send_sms(message)
    except Exception as exc:  # provider refused or is down: record it, never retry blindly
        logger.exception("Message %s failed", message.pk)
        message.state, message.error = MessageState.FAILED, str(exc)[:2000]
        message.save(update_fields=["state", "error"])
        return message
    message.state, message.provider_id, message.sent_at = state, provider_id, timezone.now()
    message.save(update_fields=["state", "provider_id", "sent_at"])
    return message


def deliver_due(limit=500):
    """Deliver every queued message that is due (the safety net beside the worker). Returns the count."""
    now = timezone.now()
    due = (
        Message.objects.filter(state=MessageState.QUEUED)
        .filter(Q(send_after__isnull=True) | Q(send_after__lte=now))
        .values_list("pk", flat=True)[:limit]
    )
    return sum(1 for pk in list(due) if deliver(pk).state != MessageState.QUEUED)


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
    from twilio.rest import Client

    http_client = None
    if settings.TWILIO_HTTP_CLIENT:
        http_client = import_string(settings.TWILIO_HTTP_CLIENT)()
    return Client(settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN, http_client=http_client)


def _send_sms(message):
    if not (settings.TWILIO_FROM and settings.TWILIO_ACCOUNT_SID and settings.TWILIO_AUTH_TOKEN):
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
    ).update(state=MessageState.SKIPPED)


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
