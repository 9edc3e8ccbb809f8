"""Who is knocking: the client's IP address and the login name, for django-axes' counters.

`client_ip` is the one place that decides the client's address for the login lockout. The ops work on
issue 12 adds `participation.limits.client_ip` for the rate limits, with the same rule; at merge,
AXES_CLIENT_IP_CALLABLE can point there and this function can go.
"""

from django.conf import settings


def client_ip(request):
    """REMOTE_ADDR, unless settings.TRUSTED_PROXIES (a count) proxies in front of us add X-Forwarded-For.

    With N trusted proxies, the client is the N-th address from the right of X-Forwarded-For: the
    entries left of it were sent by the client itself and can be forged.
    """
    remote = request.META.get("REMOTE_ADDR", "") or ""
    trusted = int(getattr(settings, "TRUSTED_PROXIES", 0) or 0)
    if trusted <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) >= trusted:
        return forwarded[-trusted]
    return remote


def login_name(request, credentials=None):
    """The account a login attempt is for, whichever form sent it (username or email, any case)."""
    credentials = credentials or {}
    name = credentials.get("username") or credentials.get("email") or credentials.get("login")
    if not name and request is not None:
        data = getattr(request, "POST", {})
        name = data.get("login") or data.get("username") or ""
    return str(name or "").strip().lower()[:255]
