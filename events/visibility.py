"""Which events a visitor may see, by Wagtail's own privacy settings.

An editor makes a page private in Wagtail (Privacy: signed-in users, a password, or some groups): a
`PageViewRestriction` on the page or on an ancestor. Wagtail itself guards the page when it is served;
everything else that shows events (the index, the calendar feed and an event's own .ics, the home page,
format pages, the intermediary's forms, the sign-up endpoint) asks here, so a private event never leaks
through another door.

- Whether a visitor passes a restriction is Wagtail's own `PageViewRestriction.accept_request` (a
  password counts only in the session that gave it; without a request, a user passes login and group
  restrictions only).
- For one page (`may_view`) Wagtail's own `page.get_view_restrictions()` says which restrictions apply.
  For lists (`visible_events`, `hidden_q`), which Wagtail cannot filter, the same rule is applied in one
  query: the page and its ancestors, where an alias counts as its source page (an alias never has
  restrictions of its own); tests/events/test_events_private.py checks both agree with Wagtail.

One query for the restrictions, plus one for aliases when the visitor is denied any and one for the
groups of group restrictions when there are such: whatever the number of events, so list pages keep a
constant number of queries (the events index: 13 without restrictions, 14 with a login restriction the
visitor does not pass; it was 12).
"""

from types import SimpleNamespace

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, prefetch_related_objects
from wagtail.models import Page, PageViewRestriction

_CACHE = "_events_hidden_roots"
_PAGE_CACHE = "_events_may_view"


def _as_request(request_or_user):
    """A request as Wagtail's check wants it; a bare user (or None: anonymous) gets an empty session."""
    if request_or_user is None:
        return SimpleNamespace(user=AnonymousUser(), session={})
    if hasattr(request_or_user, "session") and hasattr(request_or_user, "user"):
        return request_or_user
    return SimpleNamespace(user=request_or_user, session={})


def hidden_roots(request_or_user):
    """[(path, depth)] of the pages under which (inclusive) this visitor may see nothing. Kept on the
    request, so a page that asks several times costs the queries once."""
    request = _as_request(request_or_user)
    cached = getattr(request, _CACHE, None)
    if cached is not None:
        return cached
    restrictions = list(PageViewRestriction.objects.select_related("page"))
    # The groups of group restrictions in one query, and only when there are such restrictions.
    prefetch_related_objects([r for r in restrictions if r.restriction_type == r.GROUPS], "groups")
    denied = {r.page.pk: r.page for r in restrictions if not r.accept_request(request)}
    # An alias's own restrictions are never used (Wagtail resolves it to its source), so a denied alias
    # hides nothing; an alias of a denied page is hidden, and so is everything under it.
    roots = [(page.path, page.depth) for page in denied.values() if not page.alias_of_id]
    if denied:
        roots += list(Page.objects.filter(alias_of_id__in=list(denied)).values_list("path", "depth"))
    try:
        setattr(request, _CACHE, roots)
    except AttributeError:
        pass
    return roots


def hidden_q(request_or_user):
    """A Q matching the pages this visitor may not see (None when there are none)."""
    roots = hidden_roots(request_or_user)
    if not roots:
        return None
    q = Q()
    for path, depth in roots:
        q |= Q(path__startswith=path, depth__gte=depth)
    return q


def visible_events(request_or_user, queryset=None):
    """Live events this visitor may see (`queryset` narrowed, by default every live EventPage)."""
    from .models import EventPage

    queryset = EventPage.objects.live() if queryset is None else queryset
    q = hidden_q(request_or_user)
    return queryset if q is None else queryset.exclude(q)


def may_view(page, request_or_user):
    """Whether this visitor may see this one page: Wagtail's own check, every restriction on the page or
    its ancestors (`page.get_view_restrictions()`, an alias has its source's) accepts the visitor.
    Kept on the request per page, so asking again costs nothing."""
    request = _as_request(request_or_user)
    cache = getattr(request, _PAGE_CACHE, None)
    if cache is None:
        cache = {}
        try:
            setattr(request, _PAGE_CACHE, cache)
        except AttributeError:
            pass
    if page.pk not in cache:
        cache[page.pk] = all(restriction.accept_request(request) for restriction in page.get_view_restrictions())
    return cache[page.pk]
