"""iCalendar files: one per event, a subscribable feed, and the personal copy sent with a confirmation.

The UID of an event never changes (it is derived from the page id), SEQUENCE is raised whenever
registrants are told about a change, and a cancelled event says STATUS:CANCELLED, so calendar programs
update or strike out the entry they already have. Public files carry no personal data.
"""

from datetime import UTC, date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.utils import timezone
from icalendar import Calendar, Event, Timezone

from participation.site import absolute, calendar_uid_domain, page_url  # noqa: F401 (absolute: re-export)

from .models import EventStatus

TZID = "Europe/Amsterdam"
PRODID = "-//Meedoen//Events//NL"


def event_uid(event):
    """Fixed for ever: from CALENDAR_UID_DOMAIN, not from the site's address (which may move)."""
    return f"event-{event.pk}@{calendar_uid_domain()}"


def _status(event, registration=None):
    """The public file follows the event; a personal copy follows the person's own registration too:
    waiting list TENTATIVE (no place yet), cancelled by them CANCELLED (calendars strike it out)."""
    if event.status == EventStatus.CANCELLED:
        return "CANCELLED"
    if registration is not None:
        if registration.status == "cancelled":
            return "CANCELLED"
        if registration.status == "waiting":
            return "TENTATIVE"
    return "CONFIRMED"


def _location(event):
    parts = [part for part in (event.venue_name, event.venue_address) if part] if event.has_venue else []
    if not parts and event.is_online:
        return "Online"
    return ", ".join(parts)


def vevent(event, registration=None, manage_url=""):
    tz = ZoneInfo(TZID)
    item = Event()
    item.add("uid", event_uid(event))
    item.add("sequence", event.sequence)
    item.add("dtstamp", datetime.now(UTC).replace(microsecond=0))
    item.add("dtstart", timezone.localtime(event.start, tz).replace(microsecond=0))
    item.add("dtend", timezone.localtime(event.end, tz).replace(microsecond=0))
    item.add("summary", event.title)
    item.add("status", _status(event, registration))
    location = _location(event)
    if location:
        item.add("location", location)
    description = [event.intro] if event.intro else []
    url = page_url(event)
    if registration is not None:
        # The personal copy: the online link (only for people with a place) and their own manage page.
        if event.is_online and event.online_url and registration.status == "confirmed":
            description.append(event.online_url)
        if manage_url:
            description.append(manage_url)
            url = manage_url
    if description:
        item.add("description", "\n\n".join(description))
    if url:
        item.add("url", url)
    last_modified = event.last_published_at or event.latest_revision_created_at
    if last_modified:
        item.add("last-modified", last_modified.astimezone(UTC).replace(microsecond=0))
    return item


def calendar_for(events, name=None, registration=None, manage_url="", with_timezone=True):
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if registration is not None:
        cal.add("method", "PUBLISH")
    if name:
        cal.add("x-wr-calname", name)
        cal.add("x-wr-timezone", TZID)
    events = list(events)
    for event in events:
        cal.add_component(vevent(event, registration=registration, manage_url=manage_url))
    if with_timezone:
        cal.add_component(vtimezone(*_years(events)))
    return cal


def _years(events):
    years = [timezone.localtime(moment).year for event in events for moment in (event.start, event.end)]
    this_year = timezone.localdate().year
    return min(years, default=this_year), max(years, default=this_year)


@lru_cache(maxsize=64)
def _vtimezone_ical(first_year, last_year):
    return vtimezone(first_year, last_year).to_ical()


def ics_text(events, **kwargs):
    """The calendar as text; the VTIMEZONE is serialised once per range of years and reused."""
    events = list(events)
    head, end, tail = calendar_for(events, with_timezone=False, **kwargs).to_ical().rpartition(b"END:VCALENDAR")
    return (head + _vtimezone_ical(*_years(events)) + end + tail).decode()


@lru_cache(maxsize=64)
def vtimezone(first_year, last_year):
    """Europe/Amsterdam for just the years the events need (the full 1970-2038 table is slow and long)."""
    return Timezone.from_tzid(TZID, first_date=date(first_year, 1, 1), last_date=date(last_year + 1, 1, 1))


def event_ics(event):
    return ics_text([event])


def personal_ics(registration, manage_url):
    return ics_text([registration.event], registration=registration, manage_url=manage_url)


def feed_ics(events, name):
    return ics_text(events, name=name)
