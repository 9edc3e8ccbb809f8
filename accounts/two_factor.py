"""The second factor for staff (allauth MFA): who must have one and whether this session passed it.

allauth records every step of a login in the session ("password", "code", "mfa", ...); a session has
passed the second factor when an "mfa" step is recorded for its user. Setting up TOTP proves the
person holds the authenticator, so that counts as passing too (see `record_setup`).
"""

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator

from .roles import two_factor_required

# Authenticators that are a second factor at login (recovery codes are the way back in, not a setup).
LOGIN_FACTORS = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)


def has_second_factor(user):
    return Authenticator.objects.filter(user_id=user.pk, type__in=LOGIN_FACTORS).exists()


def passed_second_factor(request):
    records = get_authentication_records(request, request.user)
    return any(record.get("method") == "mfa" for record in records)


def record_second_factor(request, user, authenticator):
    """Write the "mfa" step into the session the way allauth does after the login challenge."""
    from allauth.account.internal.flows.login import record_authentication

    record_authentication(request, user, "mfa", id=authenticator.pk, type=authenticator.type)


def record_setup(sender, request=None, user=None, authenticator=None, **kwargs):
    """Receiver of allauth.mfa.signals.authenticator_added: a working code was just typed."""
    if request is None or user is None or authenticator is None:
        return
    if authenticator.type in LOGIN_FACTORS and getattr(request, "user", None) == user:
        record_second_factor(request, user, authenticator)


def give_totp(user, secret):
    """Activate TOTP with a known secret (demo accounts); keeps an existing one."""
    from allauth.mfa.totp.internal.auth import TOTP

    existing = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if existing:
        return existing
    return TOTP.activate(user, secret).instance


__all__ = ["has_second_factor", "passed_second_factor", "record_second_factor", "two_factor_required",
           "give_totp"]
