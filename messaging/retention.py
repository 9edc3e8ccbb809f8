"""Retention rule for messages: the text and address of a message are kept for a limited time.

A message is deleted `RETENTION["messages_days"]` (90) days after it was made, whatever its state: a
message stuck in "sending", still "queued" or in any state another part adds is personal data all the
same. The one exception is a message that is due later (`send_after` still less than the period ago, e.g.
a reminder queued months before an event): its clock starts when it is due, so a reminder is never
deleted before it had its chance to go out.

The worker's task rows (django_tasks_db) carry only a message id, but a failed task keeps its traceback,
which can quote an address; finished task rows go on the same clock.
"""

from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import Message, MessageState

FINAL_STATES = [
    MessageState.SENT, MessageState.LOGGED, MessageState.SKIPPED, MessageState.CANCELLED,
    MessageState.FAILED,
]


def describe():
    """For the privacy page: what this rule keeps and for how long."""
    days = settings.RETENTION["messages_days"]
    return [{
        "what": _("Emails and text messages we sent you (address and text)"),
        "why": _("To send you confirmations, reminders and news you asked for, and to check that they arrived."),
        "how_long": _("%(days)s days after sending") % {"days": days},
        "tables": ["messaging_message", "django_tasks_database_dbtaskresult"],
    }, {
        "what": _("Phone numbers that sent STOP"),
        "why": _("So that we never send a text message to that number again."),
        "how_long": _("As long as the STOP stands"),
        "tables": ["messaging_smsoptout"],
    }]


def cutoff(now):
    return now - timedelta(days=settings.RETENTION["messages_days"])


def apply(now):
    before = cutoff(now)
    deleted, _detail = Message.objects.filter(
        Q(send_after__isnull=True) | Q(send_after__lt=before), created_at__lt=before,
    ).delete()
    return {"messages deleted": deleted, "finished worker tasks deleted": _delete_task_rows(before)}


def _delete_task_rows(before):
    from django_tasks_db.models import DBTaskResult

    deleted, _detail = DBTaskResult.objects.finished().filter(finished_at__lt=before).delete()
    return deleted
