"""Messages we sent a resident, and an SMS opt-out: export and erase on request (see accounts.services).

The page shows the messages of the last 90 days (older ones are deleted by the retention rule, apart from
any stuck while sending). Erasure deletes every message to the person's addresses, also ones still waiting
(the cancellation notices that erasure itself causes). An SMS opt-out is shown but kept: it is what stops
us texting the number, and deleting it would undo the person's own "STOP".
"""

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from participation.personal_records import MESSAGES_SHOWN_DAYS, field_value, record

from .models import Message, SmsOptOut


def _to(identity):
    query = Q(pk__in=[])
    for email in identity.emails:
        query |= Q(recipient__iexact=email)
    if identity.phones:
        query |= Q(recipient__in=identity.phones)
    return Message.objects.filter(query)


def export(identity):
    since = timezone.now() - timedelta(days=MESSAGES_SHOWN_DAYS)
    records = [
        record("message", _("Messages we sent you (last 90 days)"), message.subject or message.body[:60], [
            field_value(message, name) for name in ("channel", "recipient", "subject", "body", "state",
                                                    "created_at", "sent_at")
        ])
        for message in _to(identity).filter(created_at__gte=since).order_by("created_at", "pk")
    ]
    for opt_out in SmsOptOut.objects.filter(phone__in=identity.phones):
        records.append(record("sms_opt_out", _("No text messages to this number"), opt_out.phone, [
            field_value(opt_out, name) for name in ("phone", "created_at", "source")
        ]))
    return records


def erase(identity, now):
    deleted, _detail = _to(identity).delete()
    return {"messages deleted": deleted}
