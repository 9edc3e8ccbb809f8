"""Listens to events without events knowing about recruitment."""

from django.dispatch import receiver

from events.signals import registration_created
from panels.signals import volunteer_applied

from . import services


@receiver(registration_created, dispatch_uid="recruitment.attribute")
def attribute_registration(sender, registration, invite=None, **kwargs):
    if registration.registered_by_id and services.approved_intermediary(registration.registered_by):
        return  # register_on_behalf records its own attribution
    services.attribute(registration, invite=invite)


@receiver(volunteer_applied, dispatch_uid="recruitment.attribute_application")
def attribute_application(sender, volunteer, invite=None, **kwargs):
    services.attribute_application(volunteer, invite=invite)
