"""The rules of outcomes: signals from arrival to closing, the recommendations register, and
closing the loop with residents when an outcome is published. Views and hooks only call these."""

import hashlib
from collections import OrderedDict
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from messaging.models import Message
from messaging.phone import normalise_phone, sms_refusal_message
from messaging.services import notify, queue
from participation import limits
from participation.site import absolute, page_url

from .models import (
    SIGNAL_MAX_LENGTH,
    Recommendation,
    Signal,
    SignalSource,
    SignalStatus,
    SignalUpdate,
)

# Abuse limits of the public form: at most RATE_LIMITS["signal"] (5 an hour) per IP address and per
# browser session, counted in the shared cache by participation.limits.
RATE_LIMIT = limits.rate("signal").count
SIGNAL_MIN_LENGTH = 10


class SignalError(Exception):
    """Input we cannot accept; `errors` maps field names to messages in the user's language."""

    def __init__(self, errors):
        self.errors = errors
        super().__init__("; ".join(str(message) for message in errors.values()))


@dataclass
class SignalData:
    text: str
    place: str = ""
    name: str = ""
    email: str = ""
    phone: str = ""


def site_url(path):
    return absolute(path)


# --- abuse limits ------------------------------------------------------------------------------


def _rate_parts(ip, session_key):
    parts = []
    if ip:
        parts.append(("ip", limits.address(ip)))
    if session_key:
        parts.append(("session", hashlib.sha256(session_key.encode()).hexdigest()[:32]))
    return parts


def take_rate_slot(ip, session_key):
    """Count one signal for this address and this session (atomically, in the shared cache).
    False when either is over the limit: then nothing may be stored."""
    allowed = True
    for part in _rate_parts(ip, session_key):
        allowed = limits.hit("signal", *part) and allowed
    return allowed


def give_back_rate_slot(ip, session_key):
    """The signal was not stored (a mistake in the form): it does not count."""
    for part in _rate_parts(ip, session_key):
        limits.release("signal", *part)


def rate_limit_message():
    return _(
        "You have sent us several messages in a short time. Please wait an hour and try again, "
        "or call the municipality."
    )


# --- signals -------------------------------------------------------------------------------------


def clean_signal(data):
    """Check and normalise the form's input. Returns SignalData; raises SignalError."""
    errors = {}
    text = (data.text or "").strip()
    if len(text) < SIGNAL_MIN_LENGTH:
        errors["text"] = _("Tell us in a few words what it is about (at least %(min)d characters).") % {
            "min": SIGNAL_MIN_LENGTH}
    elif len(text) > SIGNAL_MAX_LENGTH:
        errors["text"] = _("Your message is too long: at most %(max)d characters, you wrote %(count)d.") % {
            "max": SIGNAL_MAX_LENGTH, "count": len(text)}
    email = (data.email or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = _("This is not a valid email address. Check it, or leave it empty.")
    phone = (data.phone or "").strip()
    if phone:
        try:
            phone = normalise_phone(phone)
        except ValidationError as error:
            errors["phone"] = error.messages[0]
        else:
            # Without an email address the news goes by SMS only: the number must be one we may text.
            # Beside an email address any number is kept (staff may call it; SMS to it are skipped).
            if not email and sms_refusal_message(phone):
                errors["phone"] = sms_refusal_message(phone)
    name, place = (data.name or "").strip(), (data.place or "").strip()
    if len(name) > 120:
        errors["name"] = _("Your name is too long: at most 120 characters.")
    if len(place) > 200:
        errors["place"] = _("The place is too long: at most 200 characters.")
    if errors:
        raise SignalError(errors)
    return SignalData(text=text, place=place, name=name, email=email, phone=phone)


def submit_signal(data, *, source=SignalSource.FORM, by=None):
    """Store a resident's signal and acknowledge it when they left an address. Returns the Signal."""
    data = clean_signal(data)
    with transaction.atomic():
        signal = Signal.objects.create(
            text=data.text, place=data.place, name=data.name, email=data.email, phone=data.phone,
            source=source,
        )
        SignalUpdate.objects.create(signal=signal, status=SignalStatus.RECEIVED, author=by)
        acknowledge(signal)
    return signal


def acknowledge(signal):
    link = site_url(signal.get_absolute_url())
    subject = _("We received your message (%(ref)s)") % {"ref": signal.reference}
    email_body = _(
        "Thank you for telling us. We received your message and will look at it within five "
        "working days.\n\nYour reference: %(ref)s\nFollow what happens with it: %(link)s\n\n"
        "Keep this link to yourself: anyone with the link can read your message."
    ) % {"ref": signal.reference, "link": link}
    sms_body = _("Thank you, we received your message %(ref)s. Follow it here: %(link)s") % {
        "ref": signal.reference, "link": link}
    return notify(
        signal.contact(), dedupe_key=f"outcomes:signal:{signal.pk}:ack", subject=subject,
        email_body=email_body, sms_body=sms_body, purpose="signal_ack",
    )


def handle_signal(signal, *, by=None, kind=None, theme=None, department=None, status=None,
                  route=False, public_message="", internal_note="", now=None):
    """Triage and follow up a signal in one step, as staff do in the admin.

    Sets kind/theme/department, passes it on to the department by email when `route` is true,
    changes the status, and tells the resident (by message and on their link) when there is a
    message for them or the status changed. Every step is written to the signal's history.
    """
    now = now or timezone.now()
    public_message = (public_message or "").strip()
    with transaction.atomic():
        signal = Signal.objects.select_for_update().get(pk=signal.pk)
        if kind is not None:
            signal.kind = kind
        if theme is not None or department is not None:
            signal.theme = theme if theme is not None else signal.theme
            signal.department = department if department is not None else signal.department
        new_status = status or signal.status
        routed_to = None
        if route:
            if signal.department is None:
                raise SignalError({"department": _("Choose a department to pass the signal on to.")})
            routed_to = signal.department
            signal.routed_at = now
            if new_status == SignalStatus.RECEIVED:
                new_status = SignalStatus.ROUTED
        status_changed = new_status != signal.status
        signal.status = new_status
        if status_changed and new_status == SignalStatus.CLOSED:
            signal.closed_at = now
        elif status_changed and signal.closed_at:
            signal.closed_at = None
        if public_message:
            signal.last_reply_at = now
        signal.save()
        if not (status_changed or public_message or internal_note or routed_to):
            return signal, None
        update = SignalUpdate.objects.create(
            signal=signal, created_at=now, status=new_status if status_changed else "",
            public_message=public_message, internal_note=(internal_note or "").strip(),
            department=routed_to, author=by,
        )
        if routed_to:
            _route_to_department(signal, update)
        if status_changed or public_message:
            _tell_resident(signal, update)
    return signal, update


def _route_to_department(signal, update):
    admin_link = site_url(f"/admin/outcomes/signals/edit/{signal.pk}/")
    with override(settings.LANGUAGE_CODE):
        lines = [
            _("A signal has been passed on to %(department)s.") % {"department": signal.department.name},
            "",
            signal.text,
            "",
            _("Kind: %(kind)s") % {"kind": signal.get_kind_display() or "-"},
            _("Theme: %(theme)s") % {"theme": signal.theme or "-"},
            _("Where: %(place)s") % {"place": signal.place or "-"},
            _("Received: %(date)s") % {"date": timezone.localtime(signal.created_at).strftime("%d-%m-%Y %H:%M")},
        ]
        if update.internal_note:
            lines += ["", _("Note: %(note)s") % {"note": update.internal_note}]
        lines += ["", _("Handle it and reply to the resident here: %(link)s") % {"link": admin_link}]
        subject = _("Signal %(ref)s for %(department)s") % {
            "ref": signal.reference, "department": signal.department.name}
    # The resident's contact details stay in the admin: the email holds only what is needed.
    return queue(
        channel="email", recipient=signal.department.email, subject=subject, body="\n".join(lines),
        dedupe_key=f"outcomes:signal:{signal.pk}:route:{update.pk}", purpose="signal_route",
    )


def _tell_resident(signal, update):
    link = site_url(signal.get_absolute_url())
    status = signal.get_status_display()
    subject = _("News about your message %(ref)s") % {"ref": signal.reference}
    body = [_("Status: %(status)s") % {"status": status}]
    if update.public_message:
        body += ["", update.public_message]
    body += ["", _("See everything about your message: %(link)s") % {"link": link}]
    sms = _("Your message %(ref)s: %(status)s. More: %(link)s") % {
        "ref": signal.reference, "status": status, "link": link}
    return notify(
        signal.contact(), dedupe_key=f"outcomes:signal:{signal.pk}:update:{update.pk}",
        subject=subject, email_body="\n".join(body), sms_body=sms, purpose="signal_update",
    )


def close_signal(signal, *, by=None, public_message=""):
    return handle_signal(signal, by=by, status=SignalStatus.CLOSED, public_message=public_message)


def signal_for_token(token):
    return Signal.objects.filter(token=token, anonymised_at__isnull=True).first()


def public_timeline(signal):
    """What the resident sees on their link: status changes and replies, never internal notes."""
    return [
        update for update in signal.updates.all()
        if update.status or update.public_message
    ]


def since(moment, now=None):
    """A short Dutch/English duration: "3 days", "5 hours"."""
    from django.utils.timesince import timesince

    if moment is None:
        return ""
    return timesince(moment, now or timezone.now(), depth=1)


def signal_statistics(start=None, end=None):
    """Counts of signals per month and theme (and per month and kind), for the admin view.

    Returns {"months": [date, …], "themes": [(name, {month: count}, total)], "kinds": […],
    "total": n, "open": signals not yet closed}. Staff see exact counts: this view is not published.
    """
    qs = Signal.objects.all()
    if start:
        qs = qs.filter(created_at__gte=start)
    if end:
        qs = qs.filter(created_at__lt=end)
    tz = timezone.get_current_timezone()

    def table(field, label_of):
        rows = OrderedDict()
        for row in (
            qs.annotate(month=TruncMonth("created_at", tzinfo=tz))
            .values("month", field).annotate(n=Count("id")).order_by("month")
        ):
            month = row["month"].date() if hasattr(row["month"], "date") else row["month"]
            label = label_of(row[field])
            rows.setdefault(label, {})
            rows[label][month] = rows[label].get(month, 0) + row["n"]
        return rows

    from content.models import Theme

    theme_names = dict(Theme.objects.values_list("pk", "name"))
    unknown = _("Not yet triaged")
    themes = table("theme", lambda pk: theme_names.get(pk, unknown))
    from .models import SignalKind

    kind_names = dict(SignalKind.choices)
    kinds = table("kind", lambda code: str(kind_names.get(code, unknown)))
    months = sorted({month for rows in (themes, kinds) for counts in rows.values() for month in counts})

    def flat(rows):
        return sorted(
            ((label, [counts.get(m, 0) for m in months], sum(counts.values())) for label, counts in rows.items()),
            key=lambda item: (-item[2], str(item[0])),
        )

    return {
        "months": months, "themes": flat(themes), "kinds": flat(kinds), "total": qs.count(),
        "open": qs.open().count(),
    }


# --- recommendations register --------------------------------------------------------------------

DUE_SOON_DAYS = 7


def due_state(recommendation, today=None):
    """"overdue", "due_soon" or "" for a recommendation on `today`."""
    today = today or timezone.localdate()
    if recommendation.is_settled or not recommendation.due_date:
        return ""
    if recommendation.due_date < today:
        return "overdue"
    if recommendation.due_date <= today + timedelta(days=DUE_SOON_DAYS):
        return "due_soon"
    return ""


def overdue(queryset, today=None):
    """The recommendations in `queryset` past their due date and not settled (done or not adopted).

    Why here: "overdue" is the register's accountability rule; the admin filter, the due label
    (due_state) and the owners' reminders must agree on it, so the query form lives next to them.
    """
    today = today or timezone.localdate()
    return queryset.filter(due_date__lt=today).unsettled()


def remind_owners(today=None):
    """Queue one reminder per recommendation per due state (and due date) to its owner.

    The dedupe key holds the due date, so moving the date re-arms the reminder; running this
    daily never sends the same reminder twice. Returns the number of messages queued.
    """
    today = today or timezone.localdate()
    horizon = today + timedelta(days=DUE_SOON_DAYS)
    queued = 0
    candidates = (
        Recommendation.objects.unsettled()
        .filter(due_date__isnull=False, due_date__lte=horizon).select_related("owner", "theme")
    )
    for recommendation in candidates:
        state = due_state(recommendation, today)
        email = recommendation.reminder_email
        if not state or not email:
            continue
        with override(settings.LANGUAGE_CODE):
            if state == "overdue":
                subject = _("Overdue: recommendation \"%(title)s\"") % {"title": recommendation.title}
                first = _("The due date of this recommendation (%(date)s) has passed.")
            else:
                subject = _("Due soon: recommendation \"%(title)s\"") % {"title": recommendation.title}
                first = _("This recommendation is due on %(date)s.")
            body = "\n".join([
                first % {"date": recommendation.due_date.strftime("%d-%m-%Y")},
                "",
                recommendation.title,
                _("From: %(source)s") % {
                    "source": recommendation.source_name or recommendation.get_source_type_display()},
                _("Status: %(status)s") % {"status": recommendation.get_status_display()},
                "",
                _("Record the municipality's response or a new due date here: %(link)s") % {
                    "link": site_url(f"/admin/snippets/outcomes/recommendation/edit/{recommendation.pk}/")},
            ])
        with transaction.atomic():
            _message, created = queue(
                channel="email", recipient=email, subject=subject, body=body,
                dedupe_key=f"outcomes:recommendation:{recommendation.pk}:{state}:{recommendation.due_date.isoformat()}",
                purpose="recommendation_reminder",
            )
        queued += int(created)
    return queued



# --- outcome pages -------------------------------------------------------------------------------


def visible_outcomes(viewer, queryset=None):
    """Live outcome pages this visitor (request, user or None) may see by Wagtail's privacy settings: the
    same rule as for events (events.visibility, issue 11)."""
    from events.visibility import hidden_q

    from .models import OutcomePage

    queryset = OutcomePage.objects.live() if queryset is None else queryset
    q = hidden_q(viewer)
    return queryset if q is None else queryset.exclude(q)


def outcome_filters(index, params, viewer=None):
    """The index's outcomes filtered by ?theme=<slug>&wijk=<code>&status=<status>, with the choices; only
    those `viewer` may see (None: an anonymous visitor)."""
    from content.models import Theme
    from population.models import Area

    from .models import OutcomePage, OutcomeStatus

    outcomes = (
        visible_outcomes(viewer, OutcomePage.objects.live().descendant_of(index)).select_related("theme", "wijk")
        .order_by("-last_published_at")
    )
    from .forms import OutcomeFilterForm

    selected = OutcomeFilterForm(params).valid_values()
    if selected["theme"]:
        outcomes = outcomes.filter(theme__slug=selected["theme"])
    if selected["wijk"]:
        outcomes = outcomes.filter(wijk__code=selected["wijk"])
    if selected["status"] in OutcomeStatus.values:
        outcomes = outcomes.filter(status=selected["status"])
    all_live = visible_outcomes(viewer, OutcomePage.objects.live().descendant_of(index))
    return {
        "outcomes": outcomes,
        "selected": selected,
        "themes": Theme.objects.filter(pk__in=all_live.values("theme")),
        "wijken": Area.objects.filter(pk__in=all_live.values("wijk")).order_by("name"),
        "statuses": OutcomeStatus.choices,
        "filtered": any(selected.values()),
    }


WORKFLOW_NAME = "Uitkomsten: redactie keurt goed"
TASK_NAME = "Redactie keurt goed"


def ensure_outcome_workflow(index_page=None):
    """The review workflow (draft → Editors approve → published), assigned to the outcomes index.

    The workflow and its task are made by the data migration; this only makes them if someone
    removed them, and assigns the workflow to the index page (which exists only after the demo or
    an editor created it).
    """
    from django.contrib.auth.models import Group
    from wagtail.models import GroupApprovalTask, Workflow, WorkflowPage, WorkflowTask

    from accounts.roles import EDITOR

    workflow, _created = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    if not workflow.workflow_tasks.exists():
        task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
        if task is None:
            task = GroupApprovalTask.objects.create(name=TASK_NAME)
            task.groups.set([Group.objects.get_or_create(name=EDITOR)[0]])
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    if index_page is not None:
        WorkflowPage.objects.update_or_create(page=index_page, defaults={"workflow": workflow})
    return workflow


def _person_key(registration):
    if registration.user_id:
        return f"u{registration.user_id}"
    address = (registration.email or registration.phone or str(registration.pk)).lower()
    return "h" + hashlib.sha256(address.encode()).hexdigest()[:20]


def recipients_for_outcome(page):
    """Who hears about this outcome: confirmed participants of its linked events who consented.

    The rule uses `consent_event` ("use my details for this event and send me messages about it"):
    an outcome of the event is news about that same event. `consent_invite_again` is consent to be
    invited to *other* events later, so it is not the right basis (and not needed) here.
    Cancelled and anonymised registrations are left out; one person registered for two linked
    events is counted once.
    """
    from events.models import Registration, RegistrationStatus

    seen, people = set(), []
    registrations = Registration.objects.filter(
        event__in=page.events.all(), status=RegistrationStatus.CONFIRMED, consent_event=True,
        anonymised_at__isnull=True,
    ).select_related("event").order_by("created_at", "pk")
    for registration in registrations:
        key = _person_key(registration)
        if key in seen or not (registration.email or registration.phone):
            continue
        seen.add(key)
        people.append((key, registration))
    return people


def notify_outcome_participants(page):
    """Tell the consenting participants of the linked events about this outcome's current status.

    One message per person per outcome per status: the dedupe key makes a second publish with the
    same status send nothing, and a new status one new message. Returns the messages queued.
    """
    page = page.specific
    if not page.live:
        return []
    link = page_url(page)
    created = []
    prefix = f"outcomes:outcome:{page.pk}:{page.status}:"
    # People already told about this status are skipped with one query (the dedupe key is the rule).
    told = {
        key[len(prefix):].rsplit(":", 1)[0]
        for key in Message.objects.filter(dedupe_key__startswith=prefix).values_list("dedupe_key", flat=True)
    }
    with transaction.atomic():
        for person, registration in recipients_for_outcome(page):
            if person in told:
                continue
            with override(getattr(registration, "language", "") or settings.LANGUAGE_CODE):
                status = page.get_status_display()
                subject = _("What we do with what you said: %(title)s") % {"title": page.title}
                email_body = "\n".join([
                    _("Hello %(name)s,") % {"name": registration.name} if registration.name else _("Hello,"),
                    "",
                    _("You took part in %(event)s. Here is what the municipality does with what residents said:") % {
                        "event": registration.event.title},
                    "",
                    page.title,
                    _("Status: %(status)s") % {"status": status},
                    page.summary,
                    "",
                    _("Read more: %(link)s") % {"link": link},
                ])
                sms_body = _("%(title)s: %(status)s. Read what we do with what you said: %(link)s") % {
                    "title": page.title, "status": status, "link": link}
            created += notify(
                registration.contact(),
                dedupe_key=f"{prefix}{person}",
                subject=subject, email_body=email_body, sms_body=sms_body, purpose="outcome_update",
            )
    return created
