"""Signals other apps listen to, so events need not know about them.

`registration_created(sender=Registration, registration=..., invite=...)` is sent inside the sign-up
transaction (recruitment uses it to attribute a sign-up to the invite link someone came in through).
`invite` is plain data, never the HTTP request: see participation.invites.
"""

from django.dispatch import Signal

registration_created = Signal()
