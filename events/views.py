"""Public pages of events: thin views over events.services."""

from datetime import timedelta
from urllib.parse import urlencode

import segno
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.db.models import Q
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.permissions import FACILITATE, permission_required
from participation import audit, limits
from participation.actions import handle_action
from participation.site import absolute
from population.models import Area

from . import services
from .calendar import event_ics, feed_ics, personal_ics
from .forms import CheckInForm, SearchForm, SignupForm, WalkInForm
from .models import EventFormat, EventPage, Registration, RegistrationStatus
from .pages import _filters, _handle_signup, can_check_in, filtered_events, render_event_page
from .visibility import may_view, visible_events


def signup_sent(request, event_id):
    """The one answer to every sign-up: check your email or text messages for your personal link."""
    event = get_object_or_404(visible_events(request), pk=event_id)
    via = request.GET.get("via", "")
    return render(request, "events/signup_sent.html", {
        "event": event, "page": event,
        "via_email": via in ("", "email", "both"), "via_sms": via in ("sms", "both"),
    })


@limits.limit("signup")
@limits.limit("signup_event", key=lambda request, event_id: event_id)
@require_POST
def signup(request, event_id):
    """The sign-up form posts here: straight to the event, without Wagtail's page routing."""
    event = get_object_or_404(EventPage.objects.live(), pk=event_id)
    if not may_view(event, request):
        return redirect(event.url)  # Wagtail's own page asks for the login or password
    form = _handle_signup(event, request)
    if not isinstance(form, SignupForm):
        return form
    return render_event_page(event, request, form)


# Personal manage page

def _registration_or_404(request, token):
    registration = (Registration.objects.select_related("event").filter(token=token, anonymised_at__isnull=True)
                    .first())
    if registration is None:
        return None, render(request, "events/invalid_link.html", status=404)
    return registration, None


UNDO_SESSION_KEY = "events_undo_cancel"


def _undo_offer(request, registration):
    """What the registration was before this browser cancelled it, while an undo may still be tried."""
    previous = request.session.get(UNDO_SESSION_KEY, {}).get(registration.token)
    if previous and services.can_undo_cancel(registration):
        return previous
    return None


@never_cache
def manage(request, token):
    registration, problem = _registration_or_404(request, token)
    if problem:
        return problem
    event = registration.event
    scan_url = absolute(reverse("events:scan", args=[registration.token]))
    return render(request, "events/manage.html", {
        "registration": registration,
        "event": event,
        "page": event,
        "waiting_position": services.waiting_position(registration),
        "qr_svg": segno.make(scan_url, error="m").svg_inline(scale=5, title=_("QR code for check-in")),
        "can_cancel": services.can_cancel(registration),
        "can_undo": _undo_offer(request, registration) is not None,
        "undo_minutes": int(services.UNDO_CANCEL_WINDOW.total_seconds() // 60),
        "show_online": services.may_join_online(registration),
    })


@never_cache
def cancel(request, token):
    """GET: the second step ("are you sure?"); POST: cancel, and offer an undo for a short while."""
    registration, problem = _registration_or_404(request, token)
    if problem:
        return problem
    if request.method != "POST":
        if not services.can_cancel(registration):
            return redirect("events:manage", token=token)
        return render(request, "events/cancel_confirm.html", {
            "registration": registration, "event": registration.event, "page": registration.event,
            "waiting_position": services.waiting_position(registration),
        })
    previous = registration.status
    try:
        result = services.cancel(registration)
    except services.SignupError as error:
        messages.error(request, error.message)
    else:
        if previous != result.registration.status:
            offers = request.session.get(UNDO_SESSION_KEY, {})
            offers[token] = previous
            request.session[UNDO_SESSION_KEY] = offers
        messages.success(request, _("Your registration is cancelled. Thank you for letting us know."))
    return redirect("events:manage", token=token)


@never_cache
@require_POST
def undo_cancel(request, token):
    registration, problem = _registration_or_404(request, token)
    if problem:
        return problem
    previous = _undo_offer(request, registration)
    offers = request.session.get(UNDO_SESSION_KEY, {})
    offers.pop(token, None)
    request.session[UNDO_SESSION_KEY] = offers
    if previous is None:
        messages.error(request, _("It is too late to undo this. You can sign up again on the event's page."))
        return redirect("events:manage", token=token)
    try:
        services.undo_cancel(registration, previous)
    except services.SignupError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your cancellation is taken back. You are registered again."))
    return redirect("events:manage", token=token)


@never_cache
def my_registrations(request):
    """A resident with an account: every registration their account holds, newest events first."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    registrations = services.registrations_of(request.user)
    now = timezone.now()
    return render(request, "events/my_registrations.html", {
        "upcoming": [r for r in registrations if r.event.end >= now],
        "past": [r for r in registrations if r.event.end < now],
    })


@never_cache
def personal_calendar(request, token):
    registration, problem = _registration_or_404(request, token)
    if problem:
        return problem
    manage_url = absolute(reverse("events:manage", args=[token]))
    return _ics_response(personal_ics(registration, manage_url), "activiteit.ics")


@never_cache
def qr_code(request, token):
    registration, problem = _registration_or_404(request, token)
    if problem:
        return problem
    scan_url = absolute(reverse("events:scan", args=[registration.token]))
    return HttpResponse(segno.make(scan_url, error="m").svg_inline(scale=5), content_type="image/svg+xml")


# Calendars

def _ics_response(text, filename):
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def event_calendar(request, event_id):
    event = get_object_or_404(visible_events(request), pk=event_id)
    return _ics_response(event_ics(event), f"{event.slug}.ics")


FEED_FILTERS = ("format", "wijk")


def feed_filter_problem(request):
    """The calendar feed filters by format and wijk only; anything else is refused with a clear text
    (a calendar program that subscribed to a mistyped filter would otherwise show every event)."""
    unknown = sorted(set(request.GET) - set(FEED_FILTERS))
    if unknown:
        return _("This calendar has no filter %(names)s. It can be filtered by format and wijk.") % {
            "names": ", ".join(unknown)[:100]}
    value = request.GET.get("format", "")
    if value and value not in EventFormat.values:
        return _("There is no format \"%(value)s\". Choose one of: %(choices)s.") % {
            "value": value[:50], "choices": ", ".join(EventFormat.values)}
    value = request.GET.get("wijk", "")
    if value and not (value.isdigit() and len(value) < 10
                      and Area.objects.filter(pk=int(value), level=Area.Level.WIJK).exists()):
        return _("There is no wijk \"%(value)s\".") % {"value": value[:50]}
    return ""


def feed(request):
    problem = feed_filter_problem(request)
    if problem:
        return HttpResponseBadRequest(problem, content_type="text/plain; charset=utf-8")
    selected = _filters(request)
    selected["audience"] = selected["from"] = ""
    since = timezone.now() - timedelta(days=30)
    events = filtered_events(visible_events(request).filter(end__gte=since), selected).order_by("start")
    return _ics_response(feed_ics(events[:500], _("Events")), "activiteiten.ics")


# Check-in (facilitators and coordinators, on their phone)


check_in_required = permission_required(
    FACILITATE, message=_lazy("Only facilitators and coordinators can check people in."))


def _tick(request, event, attend):
    """Attend or unattend one row of the check-in list (CheckInForm)."""
    form = CheckInForm(request.POST)
    registration = None
    if form.is_valid():
        registration = event.registrations.filter(pk=form.cleaned_data["registration"]).first()
    if registration is None:
        messages.error(request, _("This registration was not found for this activity. Search again."))
        return redirect(request.path)
    if attend:
        _tell_check_in(request, registration, services.check_in(registration, by=request.user))
    else:
        services.unmark_attended(registration)
        messages.info(request, _("Check-in of %(name)s undone.") % {"name": registration.name})
    query = urlencode({"q": form.cleaned_data["q"]})
    return redirect(f"{request.path}?{query}#r{registration.pk}")


def _attend(request, event):
    return _tick(request, event, attend=True)


def _unattend(request, event):
    return _tick(request, event, attend=False)


def _walk_in(request, event):
    """Add someone who came without signing up, checked in at once (WalkInForm). With errors: the form."""
    walk_in_form = WalkInForm(request.POST, prefix="walkin")
    if walk_in_form.is_valid():
        try:
            registration = services.add_walk_in(event, by=request.user, **walk_in_form.cleaned_data)
        except services.SignupError as error:
            walk_in_form.add_error(error.code if error.code in walk_in_form.fields else None, error.message)
        else:
            messages.success(request, _("%(name)s is added and checked in.") % {"name": registration.name})
            return redirect(request.path)
    return walk_in_form


# The buttons of the check-in screen: one handler (and form) each.
CHECK_IN_ACTIONS = {"attend": _attend, "unattend": _unattend, "walk_in": _walk_in}

# The activity whose check-in list the facilitator opened last (session key): see scan.
CHECKING_IN_FOR = "events:checking_in_for"


@check_in_required
def checkin(request, event_id):
    event = get_object_or_404(EventPage, pk=event_id)
    request.session[CHECKING_IN_FOR] = event.pk
    walk_in_form = WalkInForm(prefix="walkin")
    if request.method == "POST":
        answer = handle_action(request, CHECK_IN_ACTIONS, event)
        if isinstance(answer, WalkInForm):
            walk_in_form = answer
        elif answer is not None:
            return answer
    search = SearchForm(request.GET)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    if search.errors:  # a NUL character, or a whole text pasted in: say so, search for nothing
        messages.error(request, search.errors["q"][0])
    registrations = event.registrations.live().order_by("name")
    if query:
        registrations = registrations.filter(
            Q(name__icontains=query) | Q(email__icontains=query) | Q(phone__icontains=query))
    walk_in_form.annotate()
    registrations = list(registrations)
    audit.record(request.user, "search" if query else "list", model=Registration,
                 ids=[r.pk for r in registrations], filters={"event": event.pk, "q": query}, where="events:checkin")
    return render(request, "events/checkin.html", {
        "event": event,
        "registrations": registrations,
        "query": query,
        "counts": services.counts(event),
        "walk_in_form": walk_in_form,
    })


def scan(request, token):
    """The QR code on a personal page. A facilitator who scans it sees who it is and checks them in with
    one button (a POST: a link opened from anywhere else must not change anything)."""
    registration = Registration.objects.select_related("event").filter(token=token).first()
    if registration is None:
        return render(request, "events/invalid_link.html", status=404)
    if not can_check_in(request.user):
        return redirect("events:manage", token=token)
    # The activity whose check-in list the facilitator opened last: a code of another activity, or of
    # one that is not today, is only checked in after a confirmation that names it and its date.
    checking_in_for = request.session.get(CHECKING_IN_FOR)
    warnings = services.check_in_warnings(registration, checking_in_for=checking_in_for)
    if request.method == "POST" and (not warnings or request.POST.get("confirm") == "1"):
        _tell_check_in(request, registration, services.check_in(registration, by=request.user))
        # Back to the list the facilitator works from, not silently to the other activity's list.
        return redirect("events:checkin", event_id=checking_in_for or registration.event_id)
    return render(request, "events/scan_confirm.html", {
        "registration": registration, "event": registration.event, "warnings": [m for _c, m in warnings],
        "cancelled": registration.status == RegistrationStatus.CANCELLED,
        "back_event_id": checking_in_for or registration.event_id,
    }, status=409 if request.method == "POST" else 200)


def _tell_check_in(request, registration, outcome):
    names = {"name": registration.name}
    if outcome == services.NOT_CHECKED_IN_CANCELLED:
        messages.error(request, _("%(name)s has cancelled; not checked in.") % names)
    elif outcome == services.ALREADY_CHECKED_IN:
        messages.info(request, _("%(name)s was already checked in.") % names)
    else:
        messages.success(request, _("%(name)s is checked in.") % names)
