"""Retention rules of accounts.

- Links to one's own data: an expired link (one hour) is deleted with its address
  (`accounts.services.request_link` also deletes expired links whenever someone asks for a new one).
- Failed logins: a counter (account name, IP address, browser) is kept only while it can still lock
  someone out, i.e. for AXES_COOLOFF_TIME after the last failure. axes deletes old counters itself at the
  next failed login; this rule also catches the ones no later failure cleans up.
"""

from axes.models import AccessAttempt
from django.conf import settings

from .services import purge_expired_links


def apply(now):
    done = {"expired 'my data' links deleted": purge_expired_links(now)}
    cooloff = getattr(settings, "AXES_COOLOFF_TIME", None)
    deleted = AccessAttempt.objects.filter(attempt_time__lt=now - cooloff).delete()[0] if cooloff else 0
    done["failed-login counters deleted"] = deleted
    return done
