"""Signals other apps can listen to without panels knowing about them."""

from django.dispatch import Signal

# Sent by panels.services.apply inside its transaction, after the Volunteer is saved.
# Arguments: volunteer, request (the HTTP request of the call form, or None).
volunteer_applied = Signal()
