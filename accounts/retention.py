"""Retention rule for failed logins: a counter (account name, IP address, browser) is kept only while it
can still lock someone out, i.e. for AXES_COOLOFF_TIME after the last failure. axes deletes old
counters itself at the next failed login; this rule also catches the ones no later failure cleans up.
"""

from axes.models import AccessAttempt
from django.conf import settings


def apply(now):
    cooloff = getattr(settings, "AXES_COOLOFF_TIME", None)
    if not cooloff:
        return {"failed-login counters deleted": 0}
    deleted, _ = AccessAttempt.objects.filter(attempt_time__lt=now - cooloff).delete()
    return {"failed-login counters deleted": deleted}
