"""Retention rule for messages: the text and address of a message are kept for a limited time."""

from datetime import timedelta

from django.conf import settings

from .models import Message, MessageState

FINAL_STATES = [
    MessageState.SENT, MessageState.LOGGED, MessageState.SKIPPED, MessageState.CANCELLED,
    MessageState.FAILED,
]


def apply(now):
    cutoff = now - timedelta(days=settings.RETENTION["messages_days"])
    deleted, _ = Message.objects.filter(created_at__lt=cutoff, state__in=FINAL_STATES).delete()
    return {"messages deleted": deleted}
