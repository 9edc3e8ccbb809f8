"""Signals other apps listen to, so events need not know about them.

`registration_created(sender=Registration, registration=..., request=...)` is sent inside the sign-up
transaction (recruitment uses it to attribute a sign-up to an invite link kept in the session).
"""

from django.dispatch import Signal

registration_created = Signal()
