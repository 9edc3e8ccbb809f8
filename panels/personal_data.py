"""A resident's applications to panels' pools: export and erase on request (see accounts.services).

Erasure takes someone who is still in the pool out of it (status "withdrawn", so the lottery never draws
an empty name) and anonymises the application by the retention rule; the reference number, age band,
gender and wijk stay, so the published lottery record still adds up.
"""

from django.utils.translation import gettext as _

from participation.personal_records import field_value, record

from .models import Volunteer
from .retention import anonymise_volunteer

FIELDS = ["reference", "status", "name", "email", "phone", "age_band", "gender", "wijk", "origin",
          "origin_consent", "extra", "motivation", "created_at"]


def find(identity):
    return (Volunteer.objects.filter(identity.match("email", "phone"), anonymised_at__isnull=True)
            .select_related("panel", "wijk").order_by("created_at", "pk"))


def export(identity):
    return [
        record("pool_application", _("Applications for a residents' panel"), volunteer.panel.name,
               [field_value(volunteer, "panel", _("panel"), volunteer.panel.name)]
               + [field_value(volunteer, name) for name in FIELDS])
        for volunteer in find(identity)
    ]


def erase(identity, now):
    count = 0
    for volunteer in find(identity):
        if volunteer.status == Volunteer.Status.AVAILABLE:
            volunteer.status = Volunteer.Status.WITHDRAWN
            volunteer.save(update_fields=["status"])
        anonymise_volunteer(volunteer, now)
        count += 1
    return {"pool applications anonymised": count}
