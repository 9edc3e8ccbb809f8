"""Retention rule for panels' pools: volunteers' contact details and origin are kept only while needed.

RETENTION["registrations_months"] (default 12) after the moment a volunteer's details stop being needed,
they are anonymised: name, email, phone, motivation, origin and extra answers are wiped. The reference
number, age band, gender and wijk stay, so the published lottery record and the panel's make-up can still
be checked. Details stop being needed
- for volunteers who were not selected (and not on the reserve list), declined, did not answer in time, or
  withdrew: when the panel is no longer recruiting or selecting (counted from their application);
- for members, people who left, and people on the reserve list (they may still be drawn to replace someone):
  when the panel's term has ended (or the panel is marked ended).
Compensation (vergoeding) per member per meeting has its own rule: RETENTION["compensation_years"] (7, the
bookkeeping period) after the year of the meeting the record is deleted; it holds no name itself.
The personal link (token) goes with the name: after anonymising, the application page says the link does
not work.
"""

from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import Compensation, Panel, Volunteer


def wiped_fields(now):
    """The values a volunteer's personal fields get when they are anonymised (one rule, two callers)."""
    return dict(name="", email="", phone="", motivation="", origin="", origin_consent=False, extra={},
                token=None, anonymised_at=now)


def anonymise_volunteer(volunteer, now):
    """Anonymise one volunteer as `apply` does in bulk; used by `panels.personal_data.erase`."""
    values = wiped_fields(now)
    for name, value in values.items():
        setattr(volunteer, name, value)
    volunteer.save(update_fields=list(values))


def describe():
    """For the privacy page: what this rule keeps and for how long."""
    months = settings.RETENTION["registrations_months"]
    return [{
        "what": _("Applications for a residents' panel: name, email, phone number, why you want to join, "
                  "age group, gender, wijk, origin (only if you agree), whether you want to be on the reserve "
                  "list, your answer after the lottery, and your personal link"),
        "why": _("To draw a panel by lot that looks like the city, and to contact you."),
        "how_long": _("%(months)s months after the draw (if you were not chosen, said no or did not answer) or "
                      "after the panel ends (members and the reserve list). Your reference number, age group, "
                      "gender and wijk stay, so the draw can be checked.") % {"months": months},
        "tables": ["panels_volunteer", "panels_panelmember"],
    }, describe_compensation()]


def compensation_years():
    return settings.RETENTION.get("compensation_years", 7)


def describe_compensation():
    return {
        "what": _("Compensation for panel members: the amount per meeting and whether and when it was paid"),
        "why": _("To pay you, and because the municipality must keep its bookkeeping."),
        "how_long": _("%(years)s years after the year of the meeting (the legal period for bookkeeping). Your "
                      "name is not in this record; it goes with your application.") % {"years": compensation_years()},
        "tables": ["panels_compensation"],
    }


def apply(now):
    months = settings.RETENTION["registrations_months"]
    cutoff = now - timedelta(days=round(months * 30.44))
    S = Volunteer.Status
    not_needed = (Q(status__in=[S.AVAILABLE, S.WITHDRAWN, S.DECLINED, S.NO_ANSWER])
                  | Q(status=S.NOT_SELECTED, reserve_consent=False))
    not_selected = not_needed & Q(panel__status__in=[Panel.Status.ACTIVE, Panel.Status.ENDED],
                                  created_at__lt=cutoff)
    term_over = Q(panel__term_end__lt=cutoff.date()) | Q(panel__status=Panel.Status.ENDED, created_at__lt=cutoff)
    volunteers = Volunteer.objects.filter(anonymised_at__isnull=True).filter(not_selected | term_over)
    count = volunteers.update(**wiped_fields(now))
    first_kept_year = now.year - compensation_years()
    compensations = Compensation.objects.filter(meeting_date__lt=f"{first_kept_year}-01-01").delete()[0]
    return {"volunteers anonymised": count, "compensations deleted": compensations}
