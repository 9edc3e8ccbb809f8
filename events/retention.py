"""Retention rule for registrations: personal data goes RETENTION["registrations_months"] after the event.

What stays: the row itself with its status, walk-in flag, attendance time and the coarse self-reported
categories (age band, gender, wijk) that feed representativeness figures, so counts and attendance
figures survive. What goes: name, email, phone, account links, access needs, origin (special-category
data) and the manage token (the old personal link stops working).
"""

import calendar

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import Registration, new_token


def months_before(moment, months):
    month_index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(month_index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def describe():
    """For the privacy page: what this rule keeps and for how long."""
    months = settings.RETENTION["registrations_months"]
    return [{
        "what": _("Sign-ups for activities: name, email, mobile number, what you need to take part "
                  "(such as a wheelchair place or an interpreter)"),
        "why": _("To give you a place, send you the details and a reminder, and arrange what you need."),
        "how_long": _("%(months)s months after the activity") % {"months": months},
        "tables": ["events_registration"],
    }, {
        "what": _("Optional questions: age group, gender, wijk, and origin (only if you agree)"),
        "why": _("To check whether everyone in the city is heard. We only show groups of 5 or more people."),
        "how_long": _("Origin: %(months)s months after the activity. Age group, gender and wijk stay, without "
                      "your name, so we can count.") % {"months": months},
        "tables": ["events_registration"],
    }]


def cutoff(now):
    return months_before(now, settings.RETENTION["registrations_months"])


def anonymise_registration(registration, now):
    """Remove one registration's personal data, keeping the row for counts and attendance figures.

    The rule of this module for one record: `apply` calls it when the retention period is over,
    `events.personal_data.erase` when the person asks for erasure.
    """
    registration.name = ""
    registration.email = ""
    registration.phone = ""
    registration.user = None
    registration.registered_by = None
    registration.checked_in_by = None
    registration.needs_wheelchair = registration.needs_sign_language = registration.needs_childcare = False
    registration.needs_translation = registration.dietary = registration.access_other = ""
    registration.origin = ""
    registration.origin_consent = False
    registration.token = new_token()
    registration.anonymised_at = now
    registration.save()


def apply(now):
    due = Registration.objects.filter(event__end__lt=cutoff(now), anonymised_at__isnull=True)
    count = 0
    for registration in due.iterator():
        anonymise_registration(registration, now)
        count += 1
    return {"registrations anonymised": count}
