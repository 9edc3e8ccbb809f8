"""Retention for the formats, on the same clock as registrations (RETENTION["registrations_months"] after
the event).

- Online voters: the cookie token that ties a phone to its votes is replaced by a fresh random one, so
  nobody can find their (or someone else's) votes again. Votes, age band and wijk stay: they are the
  results.
- Stories whose teller did not consent to publication are deleted; they served the day itself. Stories
  with consent stay, without names, as the report's record.
"""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from events.retention import cutoff

from .models import Story, Voter, new_key


def unlink_voter(voter, now):
    """Cut the link between one online voter and the phone (cookie) that voted; the votes stay."""
    voter.token = new_key()
    voter.unlinked_at = now
    voter.save(update_fields=["token", "unlinked_at"])


def describe():
    """For the privacy page: what this rule keeps and for how long."""
    months = settings.RETENTION["registrations_months"]
    return [{
        "what": _("Your votes in the statement game on your phone (with a cookie, without your name)"),
        "why": _("To count the votes and to let you change your vote."),
        "how_long": _("The link between your phone and your votes: %(months)s months after the activity. "
                      "The votes stay as results.") % {"months": months},
        "tables": ["formats_voter", "formats_vote"],
    }, {
        "what": _("Stories you told on an Accountability Day (without your name)"),
        "why": _("To show what residents told us, only if you agreed."),
        "how_long": _("Without your agreement: %(months)s months after the day. With your agreement: they "
                      "stay in the report.") % {"months": months},
        "tables": ["formats_story"],
    }]


def apply(now):
    before = cutoff(now)
    unlinked = 0
    for voter in Voter.objects.filter(game__event__end__lt=before, unlinked_at__isnull=True).iterator():
        unlink_voter(voter, now)
        unlinked += 1
    _total, detail = Story.objects.filter(day__event__end__lt=before, consent_publication=False).delete()
    return {"online voters unlinked from their phone": unlinked,
            "stories without consent deleted": detail.get("formats.Story", 0)}
