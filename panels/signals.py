"""Signals other apps can listen to without panels knowing about them."""

from django.dispatch import Signal

# Sent by panels.services.apply inside its transaction, after the Volunteer is saved.
# Arguments: volunteer, invite (the invite link the person came in through, plain data from
# participation.invites.invite_from_session, or None).
volunteer_applied = Signal()
