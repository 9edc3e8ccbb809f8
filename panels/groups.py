"""Panels' groups of people for the representativeness screen (population.groups): a panel's current
members and its pool of volunteers."""

from django.utils.translation import gettext_lazy as _

from population import representativeness
from population.groups import GroupProvider, Subject, register

from .models import Panel, Volunteer


def people_from_volunteers(volunteers):
    return [
        representativeness.person_values(age_band=v.age_band, gender=v.gender, wijk=v.wijk, origin=v.origin,
                                         origin_consent=v.origin_consent, extra=v.extra)
        for v in volunteers.select_related("wijk", "wijk__parent")
    ]


def people_from_panel(panel):
    return people_from_volunteers(Volunteer.objects.filter(
        memberships__panel=panel, memberships__left_on__isnull=True).distinct())


def people_from_pool(panel):
    return people_from_volunteers(panel.pool.live())


def _panel(panel_id):
    try:
        return Panel.objects.select_related("area").get(pk=panel_id)
    except (Panel.DoesNotExist, ValueError, TypeError):
        raise LookupError(panel_id) from None


def panel_choices():
    return [(str(p.pk), str(p)) for p in Panel.objects.all()]


def _subject(panel_id):
    panel = _panel(panel_id)
    return Subject(title=panel.name, area=panel.area, min_age=panel.min_age, max_age=panel.max_age,
                   size=panel.target_size)


register(GroupProvider(
    key="panel", label=_("Members of a panel"), field="panel", field_label=_("Panel"),
    field_required=_("Choose a panel."), choices=panel_choices, subject=_subject, order=10,
    people=lambda panel_id: people_from_panel(_panel(panel_id)),
))
register(GroupProvider(
    key="pool", label=_("Pool of volunteers of a panel"), field="panel", field_label=_("Panel"),
    field_required=_("Choose a panel."), choices=panel_choices, subject=_subject, order=20,
    people=lambda panel_id: people_from_pool(_panel(panel_id)),
))
