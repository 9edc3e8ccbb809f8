"""How the event pages build their context and answer, for the page models (`events.models`).

Wagtail calls `EventIndexPage.get_context` and `EventPage.serve`; they use this module, not the views, so
the models never import views. The views (`events.views`) reuse the sign-up handling and filters here.
"""

import json
import re
from datetime import datetime, time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import FACILITATE, may
from participation import limits
from participation.invites import invite_from_session
from participation.site import absolute, page_url, webcal
from population.models import Area

from . import services, signals
from .forms import SignupForm
from .models import Audience, EventFormat, EventPage, EventStatus, Registration
from .visibility import visible_events

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
            .live().first())


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
            result = services.register(event, form.signup_data(), user=request.user,
                                       invite=invite_from_session(request.session))
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
    """What the apps above events offer residents for this event (formats: voting, results, harvest,
    report), asked through a signal so that events imports none of them."""
    return signals.links_for(event)


@limits.limit("signup")
@limits.limit("signup_event", key=lambda event, request, *args, **kwargs: event.pk)
def serve_event_page(event, request, *args, **kwargs):
    form = None
    if request.method == "POST":
        form = _handle_signup(event, request)
        if not isinstance(form, SignupForm):
            return form
    return render_event_page(event, request, form, *args, **kwargs)



def can_check_in(user):
    return may(user, FACILITATE)

