from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Events")

    def ready(self):
        from django.db.models.signals import post_delete, post_save
        from wagtail.signals import page_published

        from population.models import Area

        from .forms import forget_wijk_choices
        from .models import EventPage

        page_published.connect(_event_published, sender=EventPage, dispatch_uid="events_announce_changes")
        post_save.connect(forget_wijk_choices, sender=Area, dispatch_uid="events_forget_wijk_choices")
        post_delete.connect(forget_wijk_choices, sender=Area, dispatch_uid="events_forget_wijk_choices")


def _event_published(sender, instance, **kwargs):
    from .services import announce_changes

    announce_changes(instance)
