"""A resident's registrations and waiting-list places: export and erase on request (see accounts.services).

Erasure first cancels live registrations for events that are not over, through `services.cancel`, so the
place goes to the next person waiting; then every registration is anonymised by the retention rule.
"""

from django.utils.translation import gettext as _

from messaging.models import Message
from participation.personal_records import field_value, record

from . import notices, services
from .models import Registration, RegistrationStatus
from .retention import anonymise_registration

FIELDS = [
    "status", "name", "email", "phone", "channels", "language", "needs_wheelchair", "needs_sign_language",
    "needs_childcare", "needs_translation", "dietary", "access_other", "consent_event",
    "consent_invite_again", "age_band", "gender", "wijk", "origin", "origin_consent", "attended_at",
    "is_walk_in", "created_at", "cancelled_at",
]


def find(identity):
    return (Registration.objects.filter(identity.match("email", "phone", user_field="user"),
                                        anonymised_at__isnull=True)
            .select_related("event", "wijk").order_by("created_at", "pk"))


def export(identity):
    records = []
    for registration in find(identity):
        event = registration.event
        fields = [
            field_value(registration, "event", _("event"), event.title),
            field_value(registration, "event_start", _("starts"), event.start),
        ]
        waiting = registration.status == RegistrationStatus.WAITING
        if waiting:
            fields.append(field_value(registration, "waiting_position", _("place on the waiting list"),
                                      services.waiting_position(registration)))
        fields += [field_value(registration, name) for name in FIELDS]
        if waiting:
            records.append(record("waiting_list_place", _("Places on a waiting list"), event.title, fields))
        else:
            records.append(record("registration", _("Registrations for events"), event.title, fields))
    return records


def erase(identity, now):
    registrations = list(find(identity))
    cancelled = 0
    for registration in registrations:
        if registration.is_live and registration.event.end > now:
            services.cancel(registration, now=now)
            cancelled += 1
    messages = Message.objects.none()
    for registration in registrations:
        registration.refresh_from_db()
        anonymise_registration(registration, now)
        messages |= Message.objects.filter(dedupe_key__startswith=notices.reg_prefix(registration))
    # The messages about these registrations go too, whichever of the person's addresses they went to: a
    # registration may carry an email and a number while the erasure came by one of them, and the
    # cancellation above has just queued a message to each (it must not be sent after the erasure).
    deleted = messages.delete()[0] if registrations else 0
    return {"registrations cancelled": cancelled, "registrations anonymised": len(registrations),
            "messages deleted": deleted}
