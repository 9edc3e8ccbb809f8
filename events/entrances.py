"""The events' doors on the home page: the next meetings, and the index of all of them; in the menu, a
signed-in resident's own registrations (participation.entrances)."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from participation.entrances import Door, MenuLink

UPCOMING_COUNT = 3


def upcoming_events(request=None, limit=UPCOMING_COUNT):
    """The next events this visitor may see (Wagtail's privacy settings, events.visibility)."""
    from .visibility import visible_events

    return list(
        visible_events(request)
        .filter(end__gte=timezone.now())
        .not_cancelled()
        .select_related("wijk")
        .order_by("start")[:limit]
    )


def home_page_context(request):
    return {"upcoming_events": upcoming_events(request)}


def doors():
    from .models import EventIndexPage

    events_index = EventIndexPage.objects.live().public().first()
    if not events_index:
        return []
    return [Door(
        _("Come to a meeting"),
        _("Dialogue tables, the statement game, panel meetings and the Accountability Day."),
        events_index.url,
        order=10,
    )]


def menu_links(user):
    """Everyone signed in may have registrations of their own (`events:mine`); last of the apps' links."""
    if user.is_authenticated:
        return [MenuLink(_("My registrations"), reverse("events:mine"), order=90)]
    return []
