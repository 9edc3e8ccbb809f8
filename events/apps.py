from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Events")

    def ready(self):
        from wagtail.signals import page_published

        from .models import EventPage

        page_published.connect(_event_published, sender=EventPage, dispatch_uid="events_announce_changes")


def _event_published(sender, instance, **kwargs):
    from .services import announce_changes

    announce_changes(instance)
