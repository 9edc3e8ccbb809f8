"""What the home page shows: the next events, and every way to take part.

The home page is the one place that knows about the other apps' public doors; each is looked up, so a
site without (say) outcome pages simply shows fewer doors.
"""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

UPCOMING_COUNT = 3


def upcoming_events(request=None, limit=UPCOMING_COUNT):
    """The next events this visitor may see (Wagtail's privacy settings, events.visibility)."""
    from events.visibility import visible_events

    return list(
        visible_events(request)
        .filter(end__gte=timezone.now())
        .not_cancelled()
        .select_related("wijk")
        .order_by("start")[:limit]
    )


def ways_to_take_part():
    """Cards for the home page: (title, text, url). Only doors that exist are shown."""
    from events.models import EventIndexPage
    from outcomes.models import OutcomeIndexPage

    doors = []
    events_index = EventIndexPage.objects.live().public().first()
    if events_index:
        doors.append((
            _("Come to a meeting"),
            _("Dialogue tables, the statement game, panel meetings and the Accountability Day."),
            events_index.url,
        ))
    doors.append((
        _("Tell us: a problem, a signal or an idea"),
        _("No account needed. You can follow what happens with it."),
        reverse("outcomes:signal_form"),
    ))
    doors.append((
        _("Join a resident panel"),
        _("Sign up for the pool; members are drawn by a fair lottery."),
        reverse("panels:index"),
    ))
    outcomes_index = OutcomeIndexPage.objects.live().public().first()
    if outcomes_index:
        doors.append((
            _("You said, we did"),
            _("What the municipality does with what residents said."),
            outcomes_index.url,
        ))
    return doors
