"""What recruitment holds about a resident: export and erase on request (see accounts.services).

- Invitations received: only a keyed hash of the address is kept (`services.contact_hash`), so they are
  found by hashing the person's proven address. Erasure removes hash and masked address by the retention
  rule; the row stays as a count for the reach report.
- Sign-ups by an intermediary on the person's behalf: how consent was given and a parent's or guardian's
  name. Erasure removes the name as the retention rule does (the registration itself is events' data).
"""

from django.utils.translation import gettext as _

from participation.personal_records import field_value, record

from .models import Invitation, OnBehalfRecord
from .retention import clear_guardian_names, clear_invitation_contact
from .services import contact_hash


def find_invitations(identity):
    hashes = [contact_hash(contact) for contact in identity.contacts]
    return (Invitation.objects.filter(contact_hash__in=hashes, contact_cleared_at__isnull=True)
            .select_related("event", "intermediary").order_by("created_at", "pk"))


def find_on_behalf(identity):
    return (OnBehalfRecord.objects.filter(identity.match("registration__email", "registration__phone",
                                                         user_field="registration__user"),
                                          registration__anonymised_at__isnull=True)
            .select_related("registration__event", "intermediary"))


def export(identity):
    records = []
    for invitation in find_invitations(identity):
        records.append(record("invitation", _("Invitations you received"), invitation.event.title, [
            field_value(invitation, "event", _("event"), invitation.event.title),
            field_value(invitation, "intermediary", _("sent by (organisation)"),
                        invitation.intermediary.organisation),
            field_value(invitation, "channel"),
            field_value(invitation, "contact_display"),
            field_value(invitation, "visits"),
            field_value(invitation, "created_at"),
        ]))
    for item in find_on_behalf(identity):
        records.append(record("on_behalf", _("Sign-ups on your behalf"), item.registration.event.title, [
            field_value(item, "event", _("event"), item.registration.event.title),
            field_value(item, "intermediary", _("signed up by (organisation)"), item.intermediary.organisation),
            field_value(item, "consent_method"),
            field_value(item, "consent_given_at"),
            field_value(item, "contact_via"),
            field_value(item, "under_16"),
            field_value(item, "guardian_name"),
            field_value(item, "guardian_consent_method"),
        ]))
    return records


def erase(identity, now):
    invitations = 0
    for invitation in find_invitations(identity):
        clear_invitation_contact(invitation, now)
        invitations += 1
    guardians = clear_guardian_names(find_on_behalf(identity))
    return {"invitation contacts removed": invitations, "guardian names removed": guardians}
