"""The events' doors on the home page: the next meetings, and the index of all of them (participation.entrances)."""

from django.utils import timezone
from django.utils.translation import gettext as _

from participation.entrances import Door

UPCOMING_COUNT = 3


def upcoming_events(request=None, limit=UPCOMING_COUNT):
    """The next events this visitor may see (Wagtail's privacy settings, events.visibility)."""
    from .models import EventStatus
    from .visibility import visible_events

    return list(
        visible_events(request)
        .filter(end__gte=timezone.now())
        .exclude(status=EventStatus.CANCELLED)
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
