"""Closing the loop: publishing an outcome tells the participants of its linked events."""

import logging

from django.db import transaction
from django.dispatch import receiver
from wagtail.signals import page_published

from .models import OutcomePage

logger = logging.getLogger(__name__)


def _enqueue(page_id):
    from .tasks import notify_outcome_participants

    try:
        notify_outcome_participants.enqueue(page_id)
    except Exception:  # publishing must not fail; publishing again re-sends to whoever was missed
        logger.exception("Could not enqueue participant notices for outcome %s", page_id)


@receiver(page_published, sender=OutcomePage)
def outcome_published(sender, instance, **kwargs):
    # After the publish commits (a rolled-back publish tells nobody), and in the worker: the task takes
    # only the page id and reads the page as published.
    transaction.on_commit(lambda: _enqueue(instance.pk))
