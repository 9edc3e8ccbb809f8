"""The panel's term (issue 14, point 6, in part): members' participation per meeting, from event check-in.

A panel's meetings are events (Panel.meetings). A member took part in a meeting when a registration for
that event with the member's email address or mobile number was checked in (events' check-in sets
`attended_at`). Nothing new is stored: the figures are read from the registrations, so they follow the
events' retention rule (after RETENTION_REGISTRATIONS_MONTHS a registration loses its address and can no
longer be matched to a member).
"""

from dataclasses import dataclass

from django.utils import timezone


@dataclass
class MemberParticipation:
    member: object
    attended: list  # one bool per past meeting, in order
    count: int


def participation(panel, now=None):
    """(past meetings in order, [MemberParticipation] for the current members)."""
    from events.models import Registration

    now = now or timezone.now()
    meetings = list(panel.meetings.filter(start__lte=now).order_by("start"))
    members = list(panel.current_members())
    if not meetings or not members:
        return meetings, [MemberParticipation(m, [], 0) for m in members]
    checked_in = Registration.objects.filter(event__in=meetings, attended_at__isnull=False).values_list(
        "event_id", "email", "phone")
    seen = set()
    for event_id, email, phone in checked_in:
        if email:
            seen.add((event_id, "e", email.lower()))
        if phone:
            seen.add((event_id, "p", phone))
    rows = []
    for member in members:
        volunteer = member.volunteer
        attended = [bool((volunteer.email and (m.pk, "e", volunteer.email.lower()) in seen)
                         or (volunteer.phone and (m.pk, "p", volunteer.phone) in seen)) for m in meetings]
        rows.append(MemberParticipation(member, attended, sum(attended)))
    return meetings, rows


