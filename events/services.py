"""The rules of signing up, the waiting list, changes and check-in.

Every rule that touches places runs in one transaction that first locks the event's row
(`SELECT ... FOR UPDATE` on PostgreSQL), so two people can never take the last place at once.
Messages are queued inside the same transaction and delivered by the worker after commit.
"""

import logging
from dataclasses import dataclass, fields
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Count, Min, Q
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from messaging.models import Message, MessageState
from messaging.phone import normalise_phone
from messaging.services import cancel_pending
from population import dimensions

from . import notices
from .models import Channels, EventPage, EventStatus, Registration, RegistrationStatus
from .signals import registration_created

logger = logging.getLogger(__name__)

CONFIRMED, WAITING, CANCELLED = (
    RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING, RegistrationStatus.CANCELLED,
)


class SignupError(Exception):
    """A sign-up (or cancellation) that cannot be done; the message is in the user's language."""

    def __init__(self, message, code=""):
        super().__init__(message)
        self.message = str(message)
        self.code = code


@dataclass
class SignupData:
    name: str = ""
    email: str = ""
    phone: str = ""
    channels: str = ""  # email, sms or both; empty: whatever the person gave
    needs_wheelchair: bool = False
    needs_sign_language: bool = False
    needs_childcare: bool = False
    needs_translation: str = ""
    dietary: str = ""
    access_other: str = ""
    consent_event: bool = False
    consent_invite_again: bool = False
    age_band: str = ""
    gender: str = ""
    wijk: object = None  # panels.Area or its id
    origin: str = ""
    origin_consent: bool = False
    language: str = ""


NEW, ALREADY = "new", "already"


@dataclass
class RegistrationResult:
    """What a sign-up did. ``outcome`` is NEW or ALREADY.

    For ALREADY (the email address or number holds a live registration for this event) ``registration``
    is None and ``status`` is "": the existing registration is someone's personal data and the caller
    must answer exactly as for a new sign-up. Its holder is sent their personal link instead
    (`notices.personal_link`). Only when the signed-in account that signs up owns that registration
    (it proved who it is) is the registration given back, with ``own=True``.
    """

    registration: Registration | None
    created: bool
    status: str
    promoted: list = None
    outcome: str = NEW
    own: bool = False


def _as_data(data):
    if isinstance(data, SignupData):
        return data
    names = {f.name for f in fields(SignupData)}
    return SignupData(**{key: value for key, value in dict(data).items() if key in names})


def _lock(event):
    """The event's row, locked until the transaction ends (a no-op on SQLite, which locks the file)."""
    return EventPage.objects.select_for_update(of=("self",)).get(pk=event.pk)


# What decides a sign-up, read again under the lock since an organiser may change it meanwhile; and what
# tells whether anything else changed since this request loaded the page (each publish is a new revision,
# each announced change raises the calendar's SEQUENCE).
SIGNUP_FIELDS = ("capacity", "status", "start", "signup_opens", "signup_closes", "signup_closed")
VERSION_FIELDS = ("latest_revision_id", "sequence")


def _lock_for_signup(event):
    """``event`` as it is now, under the row lock: the fields that decide a sign-up read afresh, and the
    whole page reloaded when it was published or changed since this request loaded it (so the messages
    never mix an old venue or end time with a new start).

    Reloading every Wagtail column on each sign-up, while other sign-ups wait for the lock, cost about
    0.65 ms; usually the page has not changed and a narrow read is enough.
    """
    fresh = (EventPage.objects.select_for_update(of=("self",)).filter(pk=event.pk)
             .values(*SIGNUP_FIELDS, *VERSION_FIELDS).get())
    if any(fresh[name] != getattr(event, name) for name in VERSION_FIELDS):
        event.refresh_from_db()
        return event
    for name in SIGNUP_FIELDS:
        setattr(event, name, fresh[name])
    return event


def signup_error_for_state(state):
    return {
        "cancelled": _("This event has been cancelled, so you cannot sign up."),
        "past": _("This event has already started or is over, so you cannot sign up any more."),
        "not_yet": _("Sign-up for this event has not opened yet."),
        "closed": _("Sign-up for this event is closed."),
    }[state]


def clean_signup(data):
    """Check and normalise sign-up data. Returns (data, email, phone); raises SignupError."""
    data = _as_data(data)
    data.name = (data.name or "").strip()
    email = (data.email or "").strip().lower()
    phone = ""
    if not data.name:
        raise SignupError(_("Please fill in your name."), "name")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise SignupError(_("This is not a valid email address."), "email") from None
    if (data.phone or "").strip():
        try:
            phone = normalise_phone(data.phone)
        except ValidationError as error:
            raise SignupError(error.messages[0], "phone") from None
    if not email and not phone:
        raise SignupError(_("Fill in an email address or a mobile number, so we can reach you."), "email")
    if not data.channels:
        data.channels = Channels.BOTH if (email and phone) else (Channels.EMAIL if email else Channels.SMS)
    if data.channels not in Channels.values:
        raise SignupError(_("Choose how we can reach you."), "channels")
    if data.channels in (Channels.EMAIL, Channels.BOTH) and not email:
        raise SignupError(_("You chose email: please fill in your email address."), "email")
    if data.channels in (Channels.SMS, Channels.BOTH) and not phone:
        raise SignupError(_("You chose text messages: please fill in your mobile number."), "phone")
    if not data.consent_event:
        raise SignupError(
            _("Please agree that we use your details for this event; without it we cannot sign you up."),
            "consent_event",
        )
    valid = {
        "age_band": dict(dimensions.AGE_BAND_CHOICES), "gender": dict(dimensions.GENDER_CHOICES),
        "origin": dict(dimensions.ORIGIN_CHOICES),
    }
    for name, choices in valid.items():
        value = getattr(data, name) or ""
        if value and value not in choices:
            raise SignupError(_("Choose one of the options or 'I prefer not to say'."), name)
        setattr(data, name, value)
    if data.origin and not data.origin_consent:
        raise SignupError(
            _("Tick the consent box if you want to tell us your origin, or choose 'I prefer not to say'."),
            "origin",
        )
    if not data.origin:
        data.origin_consent = False
    return data, email, phone


def register(event, data, *, user=None, registered_by=None, invite=None):
    """Sign a person up: a place if there is one, else the waiting list. Same person twice: one row.

    `invite`: the invite link the person came in through, as plain data (participation.invites.invite_from_session),
    passed on with registration_created."""
    data, email, phone = clean_signup(data)
    language = data.language or translation.get_language() or "nl"
    wijk_id = getattr(data.wijk, "pk", data.wijk) or None
    try:
        with transaction.atomic():
            return _register_locked(event, data, email, phone, language, wijk_id, user, registered_by,
                                    invite)
    except IntegrityError:
        # The database's own rule caught a second live registration of the same person (the row lock
        # makes this all but impossible on PostgreSQL; SQLite without it relies on this rule).
        with transaction.atomic():
            existing = _find_live(event, email, phone)
            if existing is None:
                raise
            return _already(existing, user)


# The holder of a registration gets their personal link again at most once per this many seconds, however
# often someone signs up with their address or number.
PERSONAL_LINK_INTERVAL = 600


def _already(existing, user, now=None):
    """The answer to a sign-up whose email address or number is already registered for the event.

    Nothing of the existing registration goes back to the caller (unless the signed-in account owns it):
    its holder is sent their personal link at the address on file, at most once per 10 minutes. Within
    10 minutes of signing up the confirmation or waiting-list message, which holds the same link, has
    only just gone out, so a double click sends nothing more.
    """
    now = now or timezone.now()
    if existing.created_at <= now - timedelta(seconds=PERSONAL_LINK_INTERVAL):
        notices.personal_link(existing, bucket=int(now.timestamp()) // PERSONAL_LINK_INTERVAL)
    own = bool(user is not None and getattr(user, "is_authenticated", False) and existing.user_id == user.pk)
    return RegistrationResult(existing if own else None, False, existing.status if own else "",
                              outcome=ALREADY, own=own)


def _register_locked(event, data, email, phone, language, wijk_id, user, registered_by, invite):
    locked = _lock_for_signup(event)
    state = locked.signup_state()
    if state != "open":
        raise SignupError(signup_error_for_state(state), state)
    # One query: places taken, people waiting, and this person's live registration if any.
    facts = locked.registrations.aggregate(
        confirmed=Count("pk", filter=Q(status=CONFIRMED)),
        waiting=Count("pk", filter=Q(status=WAITING)),
        same_person=Min("pk", filter=_same_person(email, phone) & ~Q(status=CANCELLED)),
    )
    if facts["same_person"]:
        existing = Registration.objects.select_related("event").get(pk=facts["same_person"])
        existing.event = locked
        return _already(existing, user)
    confirmed = facts["confirmed"]
    promoted = []
    if (locked.capacity is None or confirmed < locked.capacity) and facts["waiting"]:
        # Places are free while people wait (say, capacity was raised): they go first.
        promoted = _fill_places(locked)
        confirmed = locked.registrations.confirmed().count()
    status = CONFIRMED if locked.capacity is None or confirmed < locked.capacity else WAITING
    registration = Registration.objects.create(
        event=locked, user=user if user and user.is_authenticated else None,
        registered_by=registered_by, name=data.name[:200], email=email, phone=phone,
        channels=data.channels, language=language[:8], status=status,
        needs_wheelchair=bool(data.needs_wheelchair), needs_sign_language=bool(data.needs_sign_language),
        needs_childcare=bool(data.needs_childcare), needs_translation=(data.needs_translation or "")[:60],
        dietary=(data.dietary or "")[:200], access_other=data.access_other or "",
        consent_event=True, consent_invite_again=bool(data.consent_invite_again),
        age_band=data.age_band, gender=data.gender, wijk_id=wijk_id,
        origin=data.origin, origin_consent=bool(data.origin_consent),
    )
    if status == CONFIRMED:
        # The confirmation, the reminders and any organiser alert: one INSERT.
        notices.send(notices.confirmation_notices(registration), notices.reminder_notices(registration),
                     _capacity_alerts(locked, confirmed + 1))
    else:
        notices.waiting(registration)
    _send_created(registration, invite)
    return RegistrationResult(registration, True, status, promoted)


def _send_created(registration, invite):
    try:
        with transaction.atomic():
            registration_created.send(sender=Registration, registration=registration, invite=invite)
    except Exception:  # a listener's bug must not cost anyone their place
        logger.exception("A registration_created listener failed for registration %s", registration.pk)


def _same_person(email, phone):
    match = Q(pk__in=[])
    if email:
        match |= Q(email=email)
    if phone:
        match |= Q(phone=phone)
    return match


def _find_live(event, email, phone):
    if not email and not phone:
        return None
    match = _same_person(email, phone)
    return event.registrations.live().filter(match).order_by("created_at", "pk").first()


def _fill_places(locked, now=None):
    """Give free places to the people waiting longest. Call with the event row locked."""
    if locked.is_cancelled or locked.start <= (now or timezone.now()):
        return []
    waiting = locked.registrations.waiting().order_by("created_at", "pk")
    if locked.capacity is not None:
        free = locked.capacity - locked.registrations.confirmed().count()
        if free <= 0:
            return []
        waiting = waiting[:free]
    promoted = list(waiting)
    batch = []
    for registration in promoted:
        registration.status = CONFIRMED
        registration.event = locked
        registration.save(update_fields=["status"])
        batch += notices.promotion_notices(registration) + notices.reminder_notices(registration)
    if promoted and locked.capacity:
        batch += _capacity_alerts(locked, locked.registrations.confirmed().count())
    notices.send(batch)
    return promoted


def _capacity_alerts(event, confirmed):
    """The organiser's alerts (80% and 100% full) for this many places taken; each is sent once."""
    if not event.capacity:
        return []
    return [notice for level in (80, 100) if confirmed * 100 >= event.capacity * level
            for notice in notices.capacity_alert_notices(event, level, confirmed)]


def capacity_level(event, confirmed):
    """0, 80 or 100: how full the event is, for the coordinator's alerts."""
    if not event.capacity:
        return 0
    if confirmed >= event.capacity:
        return 100
    return 80 if confirmed * 100 >= event.capacity * 80 else 0


def cancel(registration, *, now=None):
    """The person cancels. A freed place goes to the first person waiting, who is told."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock(registration.event)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status == CANCELLED:
            return RegistrationResult(registration, False, CANCELLED, [])
        if locked.end <= now:
            raise SignupError(_("This event is over; there is nothing to cancel."), "past")
        registration.event = locked
        registration.status = CANCELLED
        registration.cancelled_at = now
        registration.save(update_fields=["status", "cancelled_at"])
        cancel_pending(notices.reg_prefix(registration))
        if not locked.is_cancelled:
            notices.cancelled_by_person(registration)
        promoted = _fill_places(locked, now)
    return RegistrationResult(registration, False, CANCELLED, promoted)


# How long after cancelling the personal page offers "undo" (in the same browser).
UNDO_CANCEL_WINDOW = timedelta(minutes=15)
UNDONE, PLACE_GONE = "undone", "place_gone"


def can_undo_cancel(registration, now=None):
    """Whether an undo may still be tried: cancelled by the person a short while ago, event still ahead."""
    now = now or timezone.now()
    event = registration.event
    return (registration.status == CANCELLED and registration.cancelled_at is not None
            and now - registration.cancelled_at <= UNDO_CANCEL_WINDOW
            and not event.is_cancelled and event.start > now)


def undo_cancel(registration, previous_status, *, now=None):
    """Take back a cancellation made a moment ago. `previous_status` is what the registration was before
    (the caller keeps it, e.g. in the person's session; never taken from a form, or anyone could jump the
    waiting list).

    A place comes back only while it is still free: if it has gone to someone on the waiting list (or a
    new sign-up), raises SignupError(PLACE_GONE) and nothing changes. Someone who was waiting goes back to
    their old number (the list is ordered by sign-up time). Returns UNDONE.
    """
    now = now or timezone.now()
    if previous_status not in (CONFIRMED, WAITING):
        raise SignupError(_("This registration cannot be restored. You can sign up again."), "undo")
    with transaction.atomic():
        locked = _lock(registration.event)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        registration.event = locked
        if not can_undo_cancel(registration, now):
            raise SignupError(_("It is too late to undo this. You can sign up again on the event's page."),
                              "undo")
        if previous_status == CONFIRMED and locked.capacity is not None:
            taken = locked.registrations.confirmed().count()
            if taken >= locked.capacity:
                raise SignupError(_("Your place has already gone to someone else, so it cannot be given "
                                    "back. You can sign up again for the waiting list."), PLACE_GONE)
        registration.status = previous_status
        registration.cancelled_at = None
        registration.save(update_fields=["status", "cancelled_at"])
        prefix = notices.reg_prefix(registration)
        # The cancellation notice, if still waiting to go, is not sent; the reminders cancelled with the
        # registration are made again (their rows are removed first: a dedupe key is used only once).
        Message.objects.filter(dedupe_key=prefix + "cancelled", state=MessageState.QUEUED).delete()
        Message.objects.filter(dedupe_key__startswith=prefix + "reminder", state=MessageState.CANCELLED).delete()
        batch = notices.restored_notices(registration)
        if previous_status == CONFIRMED:
            batch += notices.reminder_notices(registration, now)
        notices.send(batch)
        _fill_places(locked, now)
    return UNDONE


def can_cancel(registration, now=None):
    """Whether the person may still cancel: not yet cancelled and the event not over.

    Why here: the personal page offers the button on the same condition that cancel() enforces.
    """
    now = now or timezone.now()
    return registration.status != CANCELLED and registration.event.end > now


def waiting_position(registration):
    """The place on the waiting list (1 is next), or None when the person is not waiting.

    Why here: the order is the one _fill_places promotes in (sign-up time, then id), so the
    number shown to the person is the rule, not a display detail.
    """
    if registration.status != WAITING:
        return None
    ahead = registration.event.registrations.waiting().filter(
        Q(created_at__lt=registration.created_at)
        | Q(created_at=registration.created_at, pk__lt=registration.pk))
    return ahead.count() + 1


def may_join_online(registration):
    """Whether the online meeting link may be shown to this registration's holder.

    Why here: the link is for people with a place (not the waiting list, not after cancelling) and
    not for an event the organiser has cancelled; the event page and the personal page must agree.
    """
    if registration is None:
        return False
    event = registration.event
    return registration.status == CONFIRMED and event.is_online and not event.is_cancelled


# Organiser's changes. Publishing an event page in the Wagtail admin calls announce_changes (see
# apps.py); registrants are told exactly what changed and the calendar SEQUENCE goes up.

TRACKED = ["title", "start", "end", "attendance_mode", "venue_name", "venue_address", "online_url", "status"]


def _snapshot(event):
    return {
        "title": event.title,
        "start": event.start.isoformat(),
        "end": event.end.isoformat(),
        "attendance_mode": event.attendance_mode,
        "venue_name": event.venue_name,
        "venue_address": event.venue_address,
        "online_url": event.online_url,
        "status": event.status,
        "capacity": event.capacity,
    }


def _describe(field, value, event):
    from .models import AttendanceMode

    if value in (None, ""):
        return ""
    if field in ("start", "end"):
        from datetime import datetime

        from django.utils.formats import date_format

        moment = timezone.localtime(datetime.fromisoformat(value))
        return f"{date_format(moment, 'l j F Y')} {moment:%H:%M}"
    if field == "attendance_mode":
        return str(dict(AttendanceMode.choices).get(value, value))
    if field == "status":
        return str(dict(EventStatus.choices).get(value, value))
    return str(value)


FIELD_LABELS = {
    "title": lambda: _("Name"), "start": lambda: _("Start"), "end": lambda: _("End"),
    "attendance_mode": lambda: _("Attendance"), "venue_name": lambda: _("Venue"),
    "venue_address": lambda: _("Address"), "online_url": lambda: _("Online link"),
    "status": lambda: _("Status"),
}


def announce_changes(event, now=None):
    """Compare the published event with what registrants were told; tell them what changed.

    Returns the list of changed field names. The first call for an event only records its state.
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock(event)
        current = _snapshot(locked)
        before = locked.announced or {}
        if not before:
            EventPage.objects.filter(pk=locked.pk).update(announced=current)
            return []
        changed = [field for field in TRACKED if before.get(field) != current.get(field)]
        if not changed:
            if before.get("capacity") != current.get("capacity"):
                EventPage.objects.filter(pk=locked.pk).update(announced=current)
                _fill_places(locked, now)
            return []
        locked.sequence += 1
        locked.announced = current
        EventPage.objects.filter(pk=locked.pk).update(sequence=locked.sequence, announced=current)
        live = list(locked.registrations.live().exclude(is_walk_in=True))
        if locked.is_cancelled:
            for registration in live:
                registration.event = locked
                cancel_pending(notices.reg_prefix(registration) + "reminder")
                notices.event_cancelled(registration)
            return changed
        for registration in live:
            registration.event = locked
            cancel_pending(notices.reg_prefix(registration) + "reminder")
            with translation.override(registration.language or "nl"):
                changes = [
                    (FIELD_LABELS[field](), _describe(field, before.get(field), locked),
                     _describe(field, current.get(field), locked))
                    for field in changed if field != "online_url" or registration.status == CONFIRMED
                ]
            notices.change(registration, changes)
            if registration.status == CONFIRMED:
                notices.reminders(registration, now)
        _fill_places(locked, now)
    return changed


def update_event(event, **changes):
    """Change an event as the organiser would in the admin: a new revision, published."""
    for name, value in changes.items():
        setattr(event, name, value)
    revision = event.save_revision()
    revision.publish()
    event.refresh_from_db()
    return event


def close_signup(event):
    return update_event(event, signup_closed=True)


def cancel_event(event):
    return update_event(event, status=EventStatus.CANCELLED)


# Check-in

def mark_attended(registration, by=None, now=None):
    """Tick a person as present. Idempotent: the first tick's time is kept."""
    if registration.attended_at is None:
        registration.attended_at = now or timezone.now()
        registration.checked_in_by = by if by and by.is_authenticated else None
        registration.save(update_fields=["attended_at", "checked_in_by"])
    return registration


def unmark_attended(registration):
    registration.attended_at = None
    registration.checked_in_by = None
    registration.save(update_fields=["attended_at", "checked_in_by"])
    return registration


CHECKED_IN, ALREADY_CHECKED_IN, NOT_CHECKED_IN_CANCELLED = "checked_in", "already", "cancelled"


def check_in(registration, by=None, now=None):
    """A facilitator checks a person in (QR scan or the check-in list); says what happened.

    Why here: a cancelled registration must never count as present (attendance figures and the
    retention of attendees depend on it), whichever screen the tick comes from. Returns
    NOT_CHECKED_IN_CANCELLED, ALREADY_CHECKED_IN (the first tick's time is kept) or CHECKED_IN.
    """
    if registration.status == CANCELLED:
        return NOT_CHECKED_IN_CANCELLED
    if registration.attended_at is not None:
        return ALREADY_CHECKED_IN
    mark_attended(registration, by=by, now=now)
    return CHECKED_IN


def check_in_warnings(registration, *, checking_in_for=None, now=None):
    """Why a scanned check-in needs a second look before it counts (issue 16): the QR code belongs to
    another activity than the one the facilitator is checking in for (`checking_in_for`: that event's
    id, or None), or the activity is not today. [(code, message)]; empty when one tap may check in.
    The messages name the activity and its date, so the confirmation says what it confirms."""
    now = now or timezone.now()
    event = registration.event
    when = formats.date_format(timezone.localtime(event.start), "l j F Y, H:i")
    warnings = []
    if checking_in_for and checking_in_for != event.pk:
        current = EventPage.objects.filter(pk=checking_in_for).first()
        if current is not None:
            warnings.append(("other_event", _(
                "This registration is for another activity: %(title)s on %(when)s. You are checking in "
                "for %(current)s.") % {"title": event.title, "when": when, "current": current.title}))
    if timezone.localdate(event.start) != timezone.localdate(now):
        warnings.append(("not_today", _("This activity is not today but on %(when)s.") % {"when": when}))
    return warnings


def add_walk_in(event, name, *, email="", phone="", by=None, now=None):
    """Someone came without signing up: record them as present with minimal data.

    If the address or number belongs to a live registration, that one is ticked instead.
    """
    name = (name or "").strip()
    if not name:
        raise SignupError(_("Please fill in a name."), "name")
    email = (email or "").strip().lower()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise SignupError(_("This is not a valid email address."), "email") from None
    if (phone or "").strip():
        try:
            phone = normalise_phone(phone)
        except ValidationError as error:
            raise SignupError(error.messages[0], "phone") from None
    with transaction.atomic():
        locked = _lock(event)
        existing = _find_live(locked, email, phone)
        if existing:
            if existing.status == WAITING:
                existing.status = CONFIRMED
                existing.save(update_fields=["status"])
            return mark_attended(existing, by=by, now=now)
        registration = Registration.objects.create(
            event=locked, name=name[:200], email=email, phone=phone, is_walk_in=True,
            status=CONFIRMED, consent_event=True, registered_by=by if by and by.is_authenticated else None,
            channels=Channels.EMAIL if email or not phone else Channels.SMS,
            language=translation.get_language() or "nl",
        )
        return mark_attended(registration, by=by, now=now)


# Queries other apps use

def participants(event):
    return Registration.objects.filter(event=event).confirmed()


def attendees(event):
    return Registration.objects.filter(event=event).attended()


def counts(event):
    """{"confirmed", "waiting", "cancelled", "attended"} in one query."""
    return Registration.objects.filter(event=event).aggregate(
        confirmed=Count("pk", filter=Q(status=CONFIRMED)),
        waiting=Count("pk", filter=Q(status=WAITING)),
        cancelled=Count("pk", filter=Q(status=CANCELLED)),
        attended=Count("pk", filter=Q(attended_at__isnull=False)),
    )


def registrations_of(user):
    """The registrations an account holds (signed up while logged in), soonest first; none anonymised."""
    return list(Registration.objects.filter(user=user, anonymised_at__isnull=True)
                .select_related("event").order_by("event__start", "pk"))


def remaining_places(event):
    if event.capacity is None:
        return None
    confirmed = Registration.objects.filter(event=event).confirmed().count()
    return max(0, event.capacity - confirmed)


def confirmed_counts(event_ids):
    """{event_id: confirmed} for many events in one query (the index page)."""
    rows = (Registration.objects.filter(event_id__in=list(event_ids)).confirmed()
            .values("event_id").annotate(n=Count("pk")))
    return {row["event_id"]: row["n"] for row in rows}
