"""Events' groups of people for the representativeness screen (population.groups): an event's
confirmed registrants and its attendees."""

from django.utils.translation import gettext_lazy as _

from population import representativeness
from population.groups import GroupProvider, Subject, register

from . import services
from .models import EventPage


def people_from_registrations(registrations):
    """People from Registration rows (self-reported age_band, gender, wijk, origin with consent)."""
    return [
        representativeness.person_values(age_band=r.age_band, gender=r.gender, wijk=r.wijk, origin=r.origin,
                                         origin_consent=getattr(r, "origin_consent", False))
        for r in registrations.select_related("wijk", "wijk__parent")
    ]


def people_from_event(event, attendees=False):
    """An event's confirmed registrants, or its attendees."""
    group = services.attendees(event) if attendees else services.participants(event)
    return people_from_registrations(group)


def _event(event_id):
    try:
        return EventPage.objects.get(pk=event_id)
    except (EventPage.DoesNotExist, ValueError, TypeError):
        raise LookupError(event_id) from None


def event_choices():
    return [(str(e.pk), f"{e.title} ({e.start:%d-%m-%Y})" if getattr(e, "start", None) else e.title)
            for e in EventPage.objects.order_by("-start")[:200]]


def _subject(event_id):
    event = _event(event_id)
    return Subject(title=event.title, area=event.wijk)


for key, label, attended, order in (("event_registrants", _("Registrants of an event"), False, 30),
                                    ("event_attendees", _("Attendees of an event"), True, 40)):
    register(GroupProvider(
        key=key, label=label, field="event", field_label=_("Event"), field_required=_("Choose an event."),
        choices=event_choices, subject=_subject, order=order,
        people=lambda event_id, attended=attended: people_from_event(_event(event_id), attendees=attended),
    ))
