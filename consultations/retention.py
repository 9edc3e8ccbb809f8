"""Retention for consultations: answers are kept without the person.

RETENTION["registrations_months"] (the panel's rule, default 12) after a consultation closes, every
invitation is cut loose from the person: name, email address, phone number and groups are wiped, the link
to the panel volunteer or event registration is removed, the personal link stops working, and the
response no longer points at the invitation. What stays is anonymous: the answers, how they were given
and the respondent's groups for weighting (age band, gender, wijk: categories, never a name).

Open answers are kept unless they name people: when the link is cut, an open answer that contains the
respondent's own name, an email address or a phone number has that part replaced by "[...]". Names of
other people cannot be found automatically; coordinators remove those when they read the answers.
"""

import re
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from .models import Invitation, Response, new_token

REDACTED = "[...]"
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
PHONE = re.compile(r"(\+?\d[\d \-]{7,}\d)")


def cutoff(now):
    return now - timedelta(days=round(settings.RETENTION["registrations_months"] * 30.44))


def redact(text, names=()):
    text = EMAIL.sub(REDACTED, text)
    text = PHONE.sub(REDACTED, text)
    for name in names:
        for part in {name, *[p for p in name.split() if len(p) >= 3]}:
            if part.strip():
                text = re.sub(rf"\b{re.escape(part.strip())}\b", REDACTED, text, flags=re.IGNORECASE)
    return text


def _redact_answers(answers, names):
    out = {}
    for code, value in answers.items():
        if isinstance(value, str) and not value.isdigit() and len(value) > 1:
            out[code] = redact(value, names)
        elif isinstance(value, dict):
            out[code] = {k: (_redact_answers(v, names) if isinstance(v, dict)
                             else redact(v, names) if k == "comment" else v) for k, v in value.items()}
        else:
            out[code] = value
    return out


def unlink_invitation(invitation, now):
    """Cut one invitation loose from the person; the answers stay, anonymous."""
    with transaction.atomic():
        names = [invitation.name] if invitation.name else []
        response = Response.objects.filter(invitation=invitation).first()
        if response is not None:
            response.answers = _redact_answers(response.answers, names)
            response.invitation = None
            response.token = new_token()
            response.save(update_fields=["answers", "invitation", "token"])
        invitation.name = invitation.email = invitation.phone = ""
        invitation.profile = {}
        invitation.volunteer = invitation.registration = None
        invitation.token = new_token()
        invitation.unlinked_at = now
        invitation.save()


def describe():
    """For the privacy page: what this rule keeps and for how long."""
    months = settings.RETENTION["registrations_months"]
    return [{
        "what": _("Invitations to answer questions: your name, email address or phone number, and your "
                  "groups (age group, gender, wijk) if a panel or an activity knew them"),
        "why": _("To send you your personal link and a reminder, and to see which groups answered."),
        "how_long": _("Until %(months)s months after the questions close. Then your answers stay without "
                      "your name or contact details.") % {"months": months},
        "tables": ["consultations_invitation"],
    }, {
        "what": _("Your answers to questions of the municipality"),
        "why": _("To know what residents think, and to count the answers so they fit the population."),
        "how_long": _("The answers are kept without your name. Parts of open answers that show who you are "
                      "are removed."),
        "tables": ["consultations_response"],
    }]


def apply(now):
    before = cutoff(now)
    unlinked = 0
    for invitation in Invitation.objects.filter(consultation__closes_at__lt=before, unlinked_at__isnull=True).iterator():
        unlink_invitation(invitation, now)
        unlinked += 1
    return {"consultation invitations unlinked from the person": unlinked}
