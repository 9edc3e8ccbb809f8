"""What the formats hold about a resident: export and erase on request (see accounts.services).

- Seats at a dialogue table belong to a registration: the table, role and why the person sits there.
  Erasure empties the reason (it may describe the person); table and role stay for the day's record,
  tied to a registration that events anonymises.
- Statement-game votes are anonymous: a voter is a random cookie token with no link to a registration,
  an email address or a number, so there is nothing to find under an address (and nothing to export).
"""

from django.utils.translation import gettext as _

from participation.personal_records import field_value, record

from .models import DialogueParticipant


def find(identity):
    return (DialogueParticipant.objects.filter(
        identity.match("registration__email", "registration__phone", user_field="registration__user"),
        registration__anonymised_at__isnull=True,
    ).select_related("session__event", "table"))


def export(identity):
    return [
        record("dialogue_seat", _("Seats at dialogue tables"), seat.session.event.title, [
            field_value(seat, "event", _("event"), seat.session.event.title),
            field_value(seat, "table", _("table"), seat.table.name if seat.table else ""),
            field_value(seat, "role"),
            field_value(seat, "seat_reason"),
        ])
        for seat in find(identity)
    ]


def erase(identity, now):
    seats = find(identity).exclude(seat_reason="").update(seat_reason="")
    return {"dialogue seat reasons removed": seats}
