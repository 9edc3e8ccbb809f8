"""The client's address, honestly: one function for every rate limit and log line."""

import ipaddress

from django.conf import settings


def _clean(value):
    value = (value or "").strip()
    if value.startswith("[") and "]" in value:  # "[2001:db8::1]:443"
        value = value[1:value.index("]")]
    elif value.count(":") == 1:  # "203.0.113.7:51234"
        value = value.split(":")[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return ""


def client_ip(request):
    """The address of whoever sent the request.

    With `TRUSTED_PROXIES = 0` (the default) that is REMOTE_ADDR: X-Forwarded-For is written by the
    client as much as by anyone, so it is ignored. With N trusted proxies in front of the site, each
    appends the address it received the request from, so the Nth entry from the right is the one our
    outermost proxy saw; everything left of it could be forged. When the header has fewer entries
    than that (a request that did not come through all proxies), the leftmost entry is used.
    Returns "" when no valid address is found.
    """
    remote = _clean(request.META.get("REMOTE_ADDR"))
    trusted = getattr(settings, "TRUSTED_PROXIES", 0)
    if trusted <= 0:
        return remote
    forwarded = [part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if not forwarded:
        return remote
    return _clean(forwarded[-min(trusted, len(forwarded))]) or remote
