"""The texts registrants and organisers get, in the language they signed up in.

Every notice goes through `messaging.services.notify_many` (several in one INSERT with `send`) with a
dedupe key that starts with `events:reg:<id>:` (a person's messages) or `events:event:<id>:` (an
organiser's), so a person's pending reminders can be cancelled with one prefix and nothing is ever sent
twice. The `*_notices` functions only build the notices; the others send them.
"""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from messaging.gsm import segments, to_gsm7
from messaging.models import Channel
from messaging.services import Attachment, Contact, Notice, notify_many

from .calendar import absolute, personal_ics


def reg_prefix(registration):
    return f"events:reg:{registration.pk}:"


def manage_url(registration):
    with translation.override(registration.language or "nl"):
        return absolute(reverse("events:manage", args=[registration.token]))


def when(event):
    start, end = timezone.localtime(event.start), timezone.localtime(event.end)
    day = date_format(start, "l j F Y")
    if start.date() == end.date():
        return f"{day}, {start:%H:%M}-{end:%H:%M}"
    return f"{day} {start:%H:%M} - {date_format(end, 'l j F Y')} {end:%H:%M}"


def short_when(event):
    start = timezone.localtime(event.start)
    return f"{date_format(start, 'D j M')} {start:%H:%M}"


def where(event):
    parts = []
    if event.has_venue:
        parts = [part for part in (event.venue_name, event.venue_address) if part]
    if event.is_online:
        parts.append(_("online"))
    return ", ".join(parts)


def short_where(event):
    if event.has_venue and event.venue_name:
        return event.venue_name
    return _("online") if event.is_online else ""


def fit_sms(template, title, **values):
    """Fill an SMS template, shortening the title until the text fits one GSM-7 SMS if it can."""
    if not values.get("where"):
        template = template.replace(", {where}", "")
    text = to_gsm7(template.format(title=title, **values))
    shortened = title
    while segments(text) > 1 and len(shortened) > 8:
        shortened = shortened[: max(8, len(shortened) - 6)].rstrip(" ,.:;-")
        text = to_gsm7(template.format(title=shortened + "...", **values))
    if segments(text) > 1 and values.get("where"):
        # Still too long: the place is in the email and on the personal page; leave it out here.
        return fit_sms(template.replace(", {where}", ""), title, **{**values, "where": ""})
    return text


def _details(event, registration, *, with_online=True):
    lines = [
        _("What: %(title)s") % {"title": event.title},
        _("When: %(when)s") % {"when": when(event)},
    ]
    place = where(event)
    if place:
        lines.append(_("Where: %(where)s") % {"where": place})
    if with_online and event.is_online and event.online_url and registration.status == "confirmed":
        lines.append(_("Online link: %(url)s") % {"url": event.online_url})
    return "\n".join(lines)


def _footer(url):
    return _("See or cancel your registration: %(url)s") % {"url": url}


def _ics(registration, url):
    return Attachment(name="activiteit.ics", content=personal_ics(registration, url), mimetype="text/calendar")


def _notice(registration, key, subject, email_text, sms_template, *, send_after=None, attach=False,
            purpose=""):
    event = registration.event
    url = manage_url(registration)
    sms = fit_sms(sms_template, event.title, when=short_when(event), where=short_where(event), url=url)
    body = "\n\n".join([
        _("Dear %(name)s,") % {"name": registration.name},
        email_text,
        _details(event, registration),
        _footer(url),
    ])
    return Notice(
        registration.contact(), dedupe_key=reg_prefix(registration) + key, subject=subject,
        email_body=body, sms_body=sms, purpose=purpose or f"events:{key.split(':')[0]}",
        send_after=send_after, attachment=_ics(registration, url) if attach else None,
    )


def _send(registration, key, subject, email_text, sms_template, **kwargs):
    return notify_many([_notice(registration, key, subject, email_text, sms_template, **kwargs)])


def send(*batches):
    """Store the notices of several builders (`confirmation_notices`, ...) with one INSERT."""
    return notify_many([notice for batch in batches for notice in batch])


def confirmation_notices(registration):
    with translation.override(registration.language or "nl"):
        event = registration.event
        return [_notice(
            registration, "confirmed",
            _("You are registered: %(title)s") % {"title": event.title},
            _("Thank you for signing up. You have a place. The attached file puts the event in your "
              "calendar."),
            _("You are registered: {title}, {when}, {where}. Info or cancel: {url}"),
            attach=True,
        )]


def waiting(registration):
    with translation.override(registration.language or "nl"):
        event = registration.event
        return _send(
            registration, "waiting",
            _("On the waiting list: %(title)s") % {"title": event.title},
            _("Thank you for signing up. The event is full, so you are on the waiting list. When a place "
              "becomes free, you get it automatically and we let you know."),
            _("Full, you are on the waiting list: {title}, {when}. We let you know if you get a place. "
              "Info: {url}"),
        )


def promotion_notices(registration):
    with translation.override(registration.language or "nl"):
        event = registration.event
        return [_notice(
            registration, "promoted",
            _("You have a place: %(title)s") % {"title": event.title},
            _("Good news: a place became free and it is yours. You no longer need to wait. The attached "
              "file puts the event in your calendar. Can you not come after all? Please cancel, so "
              "someone else can go."),
            _("Good news, you have a place: {title}, {when}, {where}. Cannot come? Cancel: {url}"),
            attach=True,
        )]


def personal_link(registration, bucket):
    """Someone signed up with this registration's email address or number: send its holder the personal
    link, to the address on file. One per registration per time bucket (see services.PERSONAL_LINK_INTERVAL)."""
    with translation.override(registration.language or "nl"):
        event = registration.event
        if registration.status == "confirmed":
            status = _("You have a place.")
            sms = _("You were already signed up for {title}, {when}. You have a place. Your link: {url}")
        else:
            status = _("You are on the waiting list.")
            sms = _("You were already signed up for {title}, {when}. You are on the waiting list. "
                    "Your link: {url}")
        return _send(
            registration, f"link:{bucket}",
            _("Your personal link: %(title)s") % {"title": event.title},
            _("Someone signed up for this event with your email address or mobile number. You were already "
              "signed up, so nothing has changed.") + " " + status + " " +
            _("Was this not you? Then you do not need to do anything. With the link below you can see or "
              "cancel your registration."),
            sms,
        )


def cancelled_by_person(registration):
    with translation.override(registration.language or "nl"):
        event = registration.event
        return _send(
            registration, "cancelled",
            _("Cancelled: %(title)s") % {"title": event.title},
            _("You have cancelled your registration. Thank you for letting us know."),
            _("Your registration for {title}, {when} is cancelled. Thank you for letting us know."),
        )


def restored_notices(registration):
    """The person took back their cancellation: one message, keyed by the moment, so a second undo
    later still tells them."""
    with translation.override(registration.language or "nl"):
        event = registration.event
        if registration.status == "confirmed":
            text = _("You have taken back your cancellation. You still have your place.")
            sms = _("Cancellation taken back: you still have your place for {title}, {when}. Info: {url}")
        else:
            text = _("You have taken back your cancellation. You are on the waiting list again, at your old "
                     "place.")
            sms = _("Cancellation taken back: you are on the waiting list again for {title}, {when}. "
                    "Info: {url}")
        stamp = timezone.now().strftime("%Y%m%d%H%M%S%f")
        return [_notice(
            registration, f"restored:{stamp}",
            _("Still registered: %(title)s") % {"title": event.title},
            text, sms, attach=registration.status == "confirmed",
        )]


def reminders(registration, now=None):
    """Queue the reminders (hours before the start, per event) that are still in the future."""
    return send(reminder_notices(registration, now))


def reminder_notices(registration, now=None):
    now = now or timezone.now()
    event = registration.event
    notices = []
    with translation.override(registration.language or "nl"):
        for hours in event.reminder_hour_list():
            send_at = event.start - timedelta(hours=hours)
            if send_at <= now:
                continue
            notices.append(_notice(
                registration, f"reminder:{hours}h:s{event.sequence}",
                _("Reminder: %(title)s") % {"title": event.title},
                _("A reminder: you have a place at this event. We look forward to seeing you."),
                _("Reminder: {title}, {when}, {where}. Cannot come? Cancel: {url}"),
                send_after=send_at,
            ))
    return notices


def change(registration, changes):
    """Tell a registrant what changed. `changes` is a list of (label, before, after)."""
    with translation.override(registration.language or "nl"):
        event = registration.event
        lines = [_("%(what)s: was %(before)s, now %(after)s") % {
            "what": label, "before": before or "-", "after": after or "-"} for label, before, after in changes]
        return _send(
            registration, f"change:s{event.sequence}",
            _("Changed: %(title)s") % {"title": event.title},
            _("The organiser has changed the event you signed up for.") + "\n" + "\n".join(lines),
            _("Changed: {title}. Now {when}, {where}. Info: {url}"),
            attach=registration.status == "confirmed",
        )


def event_cancelled(registration):
    with translation.override(registration.language or "nl"):
        event = registration.event
        return _send(
            registration, "event-cancelled",
            _("Cancelled by the organiser: %(title)s") % {"title": event.title},
            _("We are sorry: the organiser has cancelled this event. You do not need to do anything."),
            _("Sorry, cancelled by the organiser: {title}, {when}. You do not need to do anything."),
            attach=True,
        )


def capacity_alert_notices(event, level, confirmed):
    if not event.organiser_email:
        return []
    with translation.override("nl"):
        subject = _("%(title)s is %(level)s%% full") % {"title": event.title, "level": level}
        body = _("%(confirmed)s of %(capacity)s places are taken for %(title)s (%(when)s).") % {
            "confirmed": confirmed, "capacity": event.capacity, "title": event.title, "when": when(event)}
        return [Notice(
            Contact(email=event.organiser_email, channels=frozenset({Channel.EMAIL})),
            dedupe_key=f"events:event:{event.pk}:capacity{level}", subject=subject, email_body=body,
            sms_body=body, purpose="events:capacity",
        )]
