"""Abuse limits in one place, counted in the shared cache so they hold across every worker.

Limits are named in `settings.RATE_LIMITS` ("5/h", "20/10m"; environment `RATE_LIMIT_<NAME>`).

Counting: a fixed window that starts at a key's first request (`cache.add(key, 0, period)`, then
`cache.incr(key)`). INCR is atomic in Redis and in our database cache (participation/cache.py), so N
workers together accept exactly `count` requests per window; the window does not slide. A request
over the limit changes nothing and gets HTTP 429 with a page in the user's language (`429.html`).

In a view::

    from participation import limits

    @limits.limit("mydata")                       # per client address, POST only
    def my_data_request(request): ...

    @limits.limit("signup_event", key=lambda request, event_id: event_id)   # per address and event

or by hand in a service-like flow::

    if not limits.hit("signal", limits.address(limits.client_ip(request))):
        return limits.too_many_requests(request)

Why our own and not django-ratelimit: its last release is from 2023; it answers 403 (a
PermissionDenied) unless a middleware is added; it counts on Django's generic `incr`, which on the
database cache is a non-atomic get-then-set; and we need to give back the count of a request that
failed validation (`release`), to lift a limit for a room (statement games) and to count only some
actions. The whole limiter is the 100 lines below.
"""

import hashlib
import ipaddress
import re
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.core import checks
from django.core.cache import cache
from django.http import HttpRequest, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .http import client_ip

__all__ = ["Rate", "address", "client_ip", "hit", "hit_first_over", "limit", "rate", "release", "too_many_requests"]

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
RATE_PATTERN = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int


def parse_rate(text):
    match = RATE_PATTERN.match(text or "")
    if not match:
        raise ValueError(f"A rate limit looks like '5/h' or '20/10m', not {text!r}.")
    count, number, unit = match.groups()
    return Rate(int(count), int(number or 1) * UNITS[unit])


def rate(name):
    return parse_rate(settings.RATE_LIMITS[name])


def address(ip):
    """An IPv6 client gets a whole /64 (one household or phone); the key holds a hash, not the address."""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return "none"
    if address.version == 6:
        address = ipaddress.ip_network(f"{address}/64", strict=False).network_address
    return hashlib.sha256(f"{settings.SECRET_KEY}:{address}".encode()).hexdigest()[:24]


def _key(name, parts):
    return "limit:" + name + ":" + ":".join(str(part) for part in parts)


def hit(name, *parts):
    """Count one request for limit `name` under `parts` (e.g. `address(ip)` and an event id).
    True when it is within the limit."""
    return hit_first_over([(name, parts)]) is None


def hit_first_over(limits):
    """Count one request for each (name, parts) in `limits`, in order, stopping at the first that is over
    its limit (the later ones are not counted). Returns that one's position, or None when all are within.
    On Redis this is one round trip for all of them (participation/cache.py's `count_up_to`).
    With `RATE_LIMITS_ENABLED = False` (only for measuring what the limits cost) nothing is counted."""
    if not getattr(settings, "RATE_LIMITS_ENABLED", True):
        return None
    counters = [(_key(name, parts), rate(name)) for name, parts in limits]
    count_up_to = getattr(cache, "count_up_to", None)
    if count_up_to is not None:
        return count_up_to([(key, limit_rate.count, limit_rate.seconds) for key, limit_rate in counters])
    for position, (key, limit_rate) in enumerate(counters):
        if not _count(key, limit_rate):
            return position
    return None


def _count(key, limit_rate):
    for _attempt in range(3):
        cache.add(key, 0, limit_rate.seconds)
        try:
            return cache.incr(key) <= limit_rate.count
        except ValueError:  # the window ended between add and incr: start a new one
            continue
    return True  # the cache keeps losing the key: do not lock people out over it


def release(name, *parts):
    """Give back one count (the request did not do anything, e.g. the form had a mistake)."""
    try:
        cache.decr(_key(name, parts))
    except ValueError:
        pass


def wait_text(seconds):
    minutes = max(1, round(seconds / 60))
    if minutes >= 60 and minutes % 60 == 0:
        hours = minutes // 60
        return ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours}
    return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}


def too_many_requests(request, exception=None, *, seconds=None, message=None):
    """HTTP 429: a page (or JSON for the phone screens' save queue) that says to wait. Also allauth's."""
    seconds = seconds or 60
    message = message or _(
        "You have done this many times in a short time. Please wait %(wait)s and try again. "
        "Is something not working? Contact the municipality."
    ) % {"wait": wait_text(seconds)}
    if request.headers.get("X-Requested-With") == "fetch" or request.headers.get("Accept") == "application/json":
        response = JsonResponse({"ok": False, "error": message}, status=429)
    else:
        response = render(request, "429.html", {"message": message}, status=429)
    response["Retry-After"] = str(seconds)
    return response


@dataclass(frozen=True)
class _Spec:
    name: str
    key: object
    methods: tuple
    when: object
    message: object


def limit(name, *, key=None, methods=("POST",), when=None, message=None):
    """Decorator: at most RATE_LIMITS[name] requests per client address (and per `key(*view_args)`
    when given, e.g. `key=lambda request, event_id: event_id`). Only `methods` count; `when(*view_args)`
    can narrow it further (return False to let a request through uncounted). A response with status
    400 (the form had a mistake, nothing was stored) gives its count back. Over the limit the view is
    not called at all: 429 and nothing changes.

    Stacked limits on one view are counted together, outer first, in one round trip to the cache; the
    first that is over answers 429 and the ones after it are not counted (as if each wrapped the next)."""

    spec = _Spec(name, key, tuple(methods), when, message)

    def decorator(view):
        # Directly around another limit (not through a decorator in between, which copies the attributes
        # with functools.wraps but must still run): one wrapper for both.
        inner = view._limit_specs if getattr(view, "_limit_wrapper", None) is view else ()
        specs = (spec, *inner)
        target = view._limited_view if inner else view

        @wraps(view)
        def wrapped(*args, **kwargs):
            # The request is the first argument of a view; Wagtail's page serve(page, request) has it second.
            request = next(arg for arg in args if isinstance(arg, HttpRequest))
            applying = [one for one in specs if request.method in one.methods
                        and (one.when is None or one.when(*args, **kwargs))]
            if not applying:
                return target(*args, **kwargs)
            client = address(client_ip(request))
            counted = [(one.name, (client,) if one.key is None else (client, one.key(*args, **kwargs)))
                       for one in applying]
            over = hit_first_over(counted)
            if over is not None:
                # The limits before it keep this count, as an outer decorator around a refusing inner one did.
                blocked = applying[over]
                return too_many_requests(request, seconds=rate(blocked.name).seconds,
                                         message=blocked.message() if callable(blocked.message) else blocked.message)
            response = target(*args, **kwargs)
            if response.status_code == 400:
                for name, parts in counted:
                    release(name, *parts)
            return response

        wrapped._limit_specs = specs
        wrapped._limited_view = target
        wrapped._limit_wrapper = wrapped
        return wrapped

    return decorator


@checks.register(checks.Tags.security, deploy=True)
def check_limits_are_on(app_configs=None, **kwargs):
    """`manage.py check --deploy` warns when the abuse limits are switched off: the switch exists only to
    measure what the limits cost (benchmarks/bench_abuse.py), never for a public site."""
    if getattr(settings, "RATE_LIMITS_ENABLED", True):
        return []
    return [checks.Warning("RATE_LIMITS_ENABLED is off: sign-ups, votes, signals and applications are not limited.",
                           hint="Unset RATE_LIMITS_ENABLED (or set it to 1) on a public site.",
                           id="participation.W001")]
