"""Public pages of events: thin views over events.services."""

import json
import re
from datetime import datetime, time, timedelta
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.roles import COORDINATOR, FACILITATOR, user_has_role
from panels.models import Area
from participation import audit, limits
from participation.site import absolute, page_url, webcal

from . import services
from .calendar import event_ics, feed_ics, personal_ics
from .forms import CheckInForm, SearchForm, SignupForm, WalkInForm
from .models import Audience, EventFormat, EventPage, EventStatus, Registration, RegistrationStatus
from .visibility import may_view, visible_events

JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}

SCHEMA_STATUS = {
    EventStatus.SCHEDULED: "https://schema.org/EventScheduled",
    EventStatus.CHANGED: "https://schema.org/EventRescheduled",
    EventStatus.CANCELLED: "https://schema.org/EventCancelled",
}
SCHEMA_MODE = {
    "in_person": "https://schema.org/OfflineEventAttendanceMode",
    "online": "https://schema.org/OnlineEventAttendanceMode",
    "hybrid": "https://schema.org/MixedEventAttendanceMode",
}


# Events index

def _filters(request):
    get = request.GET
    selected = {
        "format": get.get("format", "") if get.get("format", "") in EventFormat.values else "",
        "audience": get.get("audience", "") if get.get("audience", "") in Audience.values else "",
        "wijk": get.get("wijk", "") if get.get("wijk", "").isdigit() else "",
        "from": "",
    }
    try:
        selected["from"] = datetime.strptime(get.get("from", ""), "%Y-%m-%d").date().isoformat()
    except ValueError:
        pass
    return selected


def filtered_events(queryset, selected):
    if selected.get("format"):
        queryset = queryset.filter(format=selected["format"])
    if selected.get("audience"):
        queryset = queryset.filter(audience=selected["audience"])
    if selected.get("wijk"):
        queryset = queryset.filter(wijk_id=int(selected["wijk"]))
    if selected.get("from"):
        day = datetime.fromisoformat(selected["from"]).date()
        queryset = queryset.filter(
            end__gte=timezone.make_aware(datetime.combine(day, time.min)))
    return queryset


def index_context(index, request):
    now = timezone.now()
    selected = _filters(request)
    past = request.GET.get("past") == "1"
    events = visible_events(request, EventPage.objects.live().descendant_of(index).select_related("wijk"))
    events = filtered_events(events, selected)
    if past:
        events = events.filter(end__lt=now).order_by("-start")
    else:
        events = events.filter(end__gte=now).order_by("start")
    page_obj = Paginator(events, 20).get_page(request.GET.get("page"))
    items = list(page_obj.object_list)
    confirmed = services.confirmed_counts(event.pk for event in items)
    for event in items:
        event.remaining = (None if event.capacity is None
                           else max(0, event.capacity - confirmed.get(event.pk, 0)))
    query = {key: value for key, value in selected.items() if value and key in ("format", "wijk")}
    feed_url = reverse("events:feed")
    if query:
        feed_url += "?" + urlencode(query)
    return {
        "events": items,
        "page_obj": page_obj,
        "past": past,
        "selected": selected,
        "filtered": any(selected.values()),
        "format_choices": EventFormat.choices,
        "audience_choices": Audience.choices,
        "wijk_choices": [(str(a.pk), a.display_name)
                         for a in Area.objects.filter(level=Area.Level.WIJK).order_by("name")],
        "feed_url": feed_url,
        "feed_webcal": webcal(feed_url),
    }


# Event page

def json_ld(event, remaining, request):
    """schema.org Event as Google's event guidelines ask: image, offers (free, availability from the live
    count), a Place with a PostalAddress, the organiser with a url. Every URL on the site's address."""
    url = page_url(event)
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "startDate": timezone.localtime(event.start).isoformat(),
        "endDate": timezone.localtime(event.end).isoformat(),
        "eventStatus": SCHEDULE(event),
        "eventAttendanceMode": SCHEMA_MODE[event.attendance_mode],
        "url": url,
        "image": [absolute(static("img/event-16x9.png")), absolute(static("img/event-4x3.png")),
                  absolute(static("img/event-1x1.png"))],
        "description": event.intro or event.search_description or event.title,
        "isAccessibleForFree": True,
        "inLanguage": "nl",
    }
    # The values Google's event guidelines accept: InStock, SoldOut, PreOrder. A full event still takes
    # sign-ups for the waiting list, but has no place to offer.
    state = event.signup_state()
    if state == "not_yet":
        availability = "https://schema.org/PreOrder"
    elif state == "open" and remaining != 0:
        availability = "https://schema.org/InStock"
    else:
        availability = "https://schema.org/SoldOut"
    data["offers"] = {
        "@type": "Offer", "price": 0, "priceCurrency": "EUR", "availability": availability, "url": url,
        "validFrom": timezone.localtime(event.signup_opens or event.first_published_at or event.start).isoformat(),
    }
    locations = []
    if event.has_venue:
        locations.append({"@type": "Place", "name": event.venue_name or event.title,
                          "address": postal_address(event.venue_address)})
    if event.is_online:
        # The link itself is for registered people only.
        locations.append({"@type": "VirtualLocation", "url": url})
    if locations:
        data["location"] = locations[0] if len(locations) == 1 else locations
    organizer = {"@type": "Organization", "url": absolute("/")}
    organizer["name"] = event.organiser_name or event.organiser_email or settings.WAGTAIL_SITE_NAME
    if event.organiser_email:
        organizer["email"] = event.organiser_email
    data["organizer"] = organizer
    if event.capacity is not None:
        data["maximumAttendeeCapacity"] = event.capacity
        data["remainingAttendeeCapacity"] = remaining
    return json.dumps(data, ensure_ascii=False).translate(JSON_ESCAPES)


POSTCODE = re.compile(r"\b(\d{4}\s?[A-Z]{2})\b\s*(.*)$")


def postal_address(text):
    """A PostalAddress from the one address line editors type ("Straat 1, 3511 AB Utrecht")."""
    address = {"@type": "PostalAddress", "addressCountry": "NL"}
    parts = [part.strip() for part in (text or "").split(",") if part.strip()]
    if not parts:
        return address
    street, rest = parts[0], parts[1:]
    match = POSTCODE.search(", ".join(rest)) if rest else POSTCODE.search(street)
    if match:
        address["postalCode"] = match.group(1).replace(" ", "")[:4] + " " + match.group(1).replace(" ", "")[4:]
        if match.group(2):
            address["addressLocality"] = match.group(2).strip()
        if not rest:
            street = street[:match.start()].strip(" ,")
    elif rest:
        address["addressLocality"] = rest[-1]
    if street:
        address["streetAddress"] = street
    return address


def SCHEDULE(event):
    return SCHEMA_STATUS.get(event.status, SCHEMA_STATUS[EventStatus.SCHEDULED])


def _own_registration(event, request):
    if not request.user.is_authenticated:
        return None
    return (Registration.objects.filter(event=event, user=request.user)
            .exclude(status=RegistrationStatus.CANCELLED).first())


def _initial(request):
    user = request.user
    if not user.is_authenticated:
        return {}
    name = user.get_full_name() if hasattr(user, "get_full_name") else ""
    return {"name": name, "email": user.email}


def _handle_signup(event, request):
    """Validate and register; a redirect to the neutral "check your messages" page, or the bound form with
    its errors.

    The answer is the same whether or not the email address or number was already registered for the
    event, so nobody can find out who is signed up: the personal page is reached only by the link in the
    message. Only a signed-in resident whose own account holds the registration goes to it directly.
    """
    form = SignupForm(request.POST)
    if form.is_valid():
        try:
            result = services.register(event, form.signup_data(), user=request.user, request=request)
        except services.SignupError as error:
            form.add_error(error.code if error.code in form.fields else None, error.message)
        else:
            if result.own:
                messages.info(request, _("You were already registered for this event. Here is your "
                                         "registration."))
                return redirect("events:manage", token=result.registration.token)
            channels = form.cleaned_data.get("channels") or ""
            url = reverse("events:signup_sent", args=[event.pk])
            return redirect(f"{url}?{urlencode({'via': channels})}" if channels else url)
    return form


def signup_sent(request, event_id):
    """The one answer to every sign-up: check your email or text messages for your personal link."""
    event = get_object_or_404(visible_events(request), pk=event_id)
    via = request.GET.get("via", "")
    return render(request, "events/signup_sent.html", {
        "event": event, "page": event,
        "via_email": via in ("", "email", "both"), "via_sms": via in ("sms", "both"),
    })


def render_event_page(event, request, form=None, *args, **kwargs):
    if form is None:
        form = SignupForm(initial=_initial(request))
    form.annotate()
    remaining = services.remaining_places(event)
    context = event.get_context(request, *args, **kwargs)
    state = event.signup_state()
    own_registration = _own_registration(event, request)
    context.update({
        "form": form,
        "remaining": remaining,
        "signup_state": state,
        "signup_message": "" if state == "open" else services.signup_error_for_state(state),
        "full": remaining == 0,
        "json_ld": json_ld(event, remaining, request),
        "own_registration": own_registration,
        "show_online": services.may_join_online(own_registration),
        "ics_url": reverse("events:event_ics", args=[event.pk]),
        "signup_url": reverse("events:signup", args=[event.pk]),
        "can_check_in": can_check_in(request.user),
        "format_links": _format_links(event),
    })
    return TemplateResponse(request, event.get_template(request), context,
                            status=400 if form.is_bound and form.errors else 200)


def _format_links(event):
    """What the format's tools offer residents (voting, results, harvest, report), from formats/."""
    from formats.services import public_links

    return public_links(event)


@limits.limit("signup")
@limits.limit("signup_event", key=lambda event, request, *args, **kwargs: event.pk)
def serve_event_page(event, request, *args, **kwargs):
    form = None
    if request.method == "POST":
        form = _handle_signup(event, request)
        if not isinstance(form, SignupForm):
            return form
    return render_event_page(event, request, form, *args, **kwargs)


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

def can_check_in(user):
    return user.is_authenticated and (user_has_role(user, FACILITATOR) or user_has_role(user, COORDINATOR))


def _check_in_allowed(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not can_check_in(request.user):
        return HttpResponseForbidden(_("Only facilitators and coordinators can check people in."))
    return None


@never_cache
def checkin(request, event_id):
    refused = _check_in_allowed(request)
    if refused:
        return refused
    event = get_object_or_404(EventPage, pk=event_id)
    walk_in_form = WalkInForm(prefix="walkin")
    if request.method == "POST":
        action = request.POST.get("action")
        if action in ("attend", "unattend"):
            form = CheckInForm(request.POST)
            registration = None
            if form.is_valid():
                registration = event.registrations.filter(pk=form.cleaned_data["registration"]).first()
            if registration is None:
                messages.error(request, _("This registration was not found for this activity. Search again."))
                return redirect(request.path)
            if action == "attend":
                _tell_check_in(request, registration, services.check_in(registration, by=request.user))
            else:
                services.unmark_attended(registration)
                messages.info(request, _("Check-in of %(name)s undone.") % {"name": registration.name})
            query = urlencode({"q": form.cleaned_data["q"]})
            return redirect(f"{request.path}?{query}#r{registration.pk}")
        if action == "walk_in":
            walk_in_form = WalkInForm(request.POST, prefix="walkin")
            if walk_in_form.is_valid():
                try:
                    registration = services.add_walk_in(event, by=request.user, **walk_in_form.cleaned_data)
                except services.SignupError as error:
                    walk_in_form.add_error(error.code if error.code in walk_in_form.fields else None,
                                           error.message)
                else:
                    messages.success(request, _("%(name)s is added and checked in.") % {"name": registration.name})
                    return redirect(request.path)
    search = SearchForm(request.GET)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    if search.errors:  # a NUL character, or a whole text pasted in: say so, search for nothing
        messages.error(request, search.errors["q"][0])
    registrations = event.registrations.exclude(status=RegistrationStatus.CANCELLED).order_by("name")
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
    if request.method == "POST":
        _tell_check_in(request, registration, services.check_in(registration, by=request.user))
        return redirect("events:checkin", event_id=registration.event_id)
    return render(request, "events/scan_confirm.html", {
        "registration": registration, "event": registration.event,
        "cancelled": registration.status == RegistrationStatus.CANCELLED,
    })


def _tell_check_in(request, registration, outcome):
    names = {"name": registration.name}
    if outcome == services.NOT_CHECKED_IN_CANCELLED:
        messages.error(request, _("%(name)s has cancelled; not checked in.") % names)
    elif outcome == services.ALREADY_CHECKED_IN:
        messages.info(request, _("%(name)s was already checked in.") % names)
    else:
        messages.success(request, _("%(name)s is checked in.") % names)
