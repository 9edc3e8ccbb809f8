"""Closing the loop: publishing an outcome tells the participants of its linked events."""

from functools import partial

from django.db import transaction
from django.dispatch import receiver
from wagtail.signals import page_published

from . import services
from .models import OutcomePage


def _notify(page_id):
    page = OutcomePage.objects.filter(pk=page_id).first()
    if page is not None:
        services.notify_outcome_participants(page)


@receiver(page_published, sender=OutcomePage)
def outcome_published(sender, instance, **kwargs):
    # After the publish commits: a rolled-back publish tells nobody anything.
    transaction.on_commit(partial(_notify, instance.pk))
