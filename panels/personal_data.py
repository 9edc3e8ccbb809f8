"""A resident's applications to panels' pools: export and erase on request (see accounts.services).

Erasure takes someone who is still in the pool out of it (status "withdrawn", so the lottery never draws
an empty name) and anonymises the application by the retention rule; the reference number, age band,
gender and wijk stay, so the published lottery record still adds up.
"""

from django.db.models import Q
from django.utils.translation import gettext as _

from messaging.models import Message
from participation.personal_records import field_value, record

from .models import Compensation, Volunteer
from .retention import anonymise_volunteer

FIELDS = ["reference", "status", "name", "email", "phone", "age_band", "gender", "wijk", "origin",
          "origin_consent", "extra", "motivation", "reserve_consent", "language", "told_at", "respond_by",
          "answered_at", "created_at"]


def find(identity):
    return (Volunteer.objects.filter(identity.match("email", "phone"), anonymised_at__isnull=True)
            .select_related("panel", "wijk").order_by("created_at", "pk"))


def export(identity):
    return _applications(identity) + export_compensation(identity)


def _applications(identity):
    return [
        record("pool_application", _("Applications for a residents' panel"), volunteer.panel.name,
               [field_value(volunteer, "panel", _("panel"), volunteer.panel.name)]
               + [field_value(volunteer, name) for name in FIELDS])
        for volunteer in find(identity)
    ]


def export_compensation(identity):
    volunteers = list(find(identity))
    return [
        record("panel_compensation", _("Compensation for panel members"), str(c.member.panel),
               [field_value(c, "meeting_date"), field_value(c, "amount"), field_value(c, "paid"),
                field_value(c, "paid_on")])
        for c in Compensation.objects.filter(member__volunteer__in=volunteers).select_related("member__panel")
    ]


def erase(identity, now):
    count = 0
    messages = Q(pk__in=[])
    for volunteer in find(identity):
        if volunteer.status in (Volunteer.Status.AVAILABLE, Volunteer.Status.NOT_SELECTED):
            volunteer.status = Volunteer.Status.WITHDRAWN  # off the reserve list too
            volunteer.save(update_fields=["status"])
        anonymise_volunteer(volunteer, now)
        count += 1
        key = f"panels:application:{volunteer.pk}"
        messages |= Q(dedupe_key=key) | Q(dedupe_key__startswith=f"{key}:")
    # The messages about these applications go too, to whichever address they went (an application may
    # carry an email and a number while the erasure came by one of them).
    deleted = Message.objects.filter(messages).delete()[0] if count else 0
    # Compensation records stay for the bookkeeping obligation (GDPR art. 17(3)(b)); they hold no name.
    return {"pool applications anonymised": count, "messages deleted": deleted}
