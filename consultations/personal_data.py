"""What consultations hold about a resident: export and erase on request (see accounts.services).

- An invitation holds a name, an email address and/or a phone number and the groups a panel or an
  activity knew; its response holds the answers. Export shows both. Erasure cuts the invitation loose now,
  as the retention rule does later: contact details and groups are wiped, the answers stay anonymous
  (their own name, email addresses and numbers in open answers removed).
- Answers through the open link or typed in by staff have no contact details: nothing to find.
"""

from django.utils.translation import gettext as _

from participation.personal_records import field_value, record

from .models import Invitation
from .retention import unlink_invitation


def find(identity):
    return (Invitation.objects.filter(identity.match("email", "phone"), unlinked_at__isnull=True)
            .select_related("consultation"))


def export(identity):
    out = []
    for invitation in find(identity):
        response = getattr(invitation, "response", None)
        out.append(record("consultation_invitation", _("Invitations to answer questions"),
                          invitation.consultation.title, [
                              field_value(invitation, "name"), field_value(invitation, "email"),
                              field_value(invitation, "phone"), field_value(invitation, "invited_at"),
                              field_value(invitation, "profile"),
                              field_value(invitation, "answers", _("your answers"),
                                          response.answers if response else {}),
                          ]))
    return out


def erase(identity, now):
    count = 0
    for invitation in find(identity):
        unlink_invitation(invitation, now)
        count += 1
    return {"consultation invitations unlinked": count}
