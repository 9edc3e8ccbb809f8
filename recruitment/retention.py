"""Retention rule for recruitment.

- Invitations keep no address, only a keyed hash (to send one invitation per person per event and to
  recognise the sign-up) and a masked form for the intermediary's list. Both are removed
  `RECRUITMENT_INVITATION_CONTACT_DAYS` (default 30) days after the event ended; the row stays as a
  count for the reach report. The address itself lives in the message log (messaging's own rule).
- The name of a parent or guardian is removed when events anonymises the registration or when the
  registration retention period (`RETENTION["registrations_months"]`) after the event has passed.
"""

from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import Invitation, OnBehalfRecord


def contact_days():
    return getattr(settings, "RECRUITMENT_INVITATION_CONTACT_DAYS", 30)


def clear_invitation_contact(invitation, now):
    """Remove one invitation's contact hash and masked contact; the row stays as a count.

    Used by `apply` after the retention period and by `recruitment.personal_data.erase` on request.
    """
    # The unique (event, contact_hash) rule needs a value: one that stands for nobody.
    invitation.contact_hash = f"cleared:{invitation.pk}"
    invitation.contact_display = ""
    invitation.contact_cleared_at = now
    invitation.save(update_fields=["contact_hash", "contact_display", "contact_cleared_at"])


def clear_guardian_names(records):
    """Remove the parent's or guardian's name from these on-behalf records. Returns how many changed."""
    return records.exclude(guardian_name="").update(guardian_name="")


def describe():
    """For the privacy page: what this rule keeps and for how long."""
    return [{
        "what": _("Invitations from a key figure (sleutelfiguur): a coded form of your email or number"),
        "why": _("To send you one invitation only, and to count how many people a key figure reached."),
        "how_long": _("%(days)s days after the activity") % {"days": contact_days()},
        "tables": ["recruitment_invitation", "recruitment_attribution"],
    }, {
        "what": _("Sign-ups by a key figure for you: how you agreed, and the name of your parent or guardian "
                  "if you are younger than 16"),
        "why": _("To show that you agreed to the sign-up."),
        "how_long": _("Together with the sign-up: %(months)s months after the activity") % {
            "months": settings.RETENTION["registrations_months"]},
        "tables": ["recruitment_onbehalfrecord"],
    }]


def apply(now):
    cutoff = now - timedelta(days=contact_days())
    cleared = 0
    for invitation in Invitation.objects.filter(event__end__lt=cutoff, contact_cleared_at__isnull=True):
        clear_invitation_contact(invitation, now)
        cleared += 1
    months = settings.RETENTION["registrations_months"]
    old = now - timedelta(days=31 * months)
    guardians = clear_guardian_names(OnBehalfRecord.objects.filter(
        Q(registration__anonymised_at__isnull=False) | Q(registration__event__end__lt=old)
    ))
    return {"invitation contacts removed": cleared, "guardian names removed": guardians}
