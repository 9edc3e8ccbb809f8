"""Retention for the formats, on the same clock as registrations (RETENTION["registrations_months"] after
the event).

- Online voters: the cookie token that ties a phone to its votes is replaced by a fresh random one, so
  nobody can find their (or someone else's) votes again. Votes, age band and wijk stay: they are the
  results.
- Stories whose teller did not consent to publication are deleted; they served the day itself. Stories
  with consent stay, without names, as the report's record.
"""

from events.retention import cutoff

from .models import Story, Voter, new_key


def unlink_voter(voter, now):
    """Cut the link between one online voter and the phone (cookie) that voted; the votes stay."""
    voter.token = new_key()
    voter.unlinked_at = now
    voter.save(update_fields=["token", "unlinked_at"])


def apply(now):
    before = cutoff(now)
    unlinked = 0
    for voter in Voter.objects.filter(game__event__end__lt=before, unlinked_at__isnull=True).iterator():
        unlink_voter(voter, now)
        unlinked += 1
    _total, detail = Story.objects.filter(day__event__end__lt=before, consent_publication=False).delete()
    return {"online voters unlinked from their phone": unlinked,
            "stories without consent deleted": detail.get("formats.Story", 0)}
