"""Thin views: the intermediary's phone-first dashboard, the short links, the friend page."""

from datetime import datetime, time
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from participation import audit, limits
from participation.actions import action_of, handle_action

from . import printables, reach, services
from .forms import InviteForm, LinkEndForm, LinkForm, OnBehalfForm
from .models import InviteLink


def intermediary_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        intermediary = services.approved_intermediary(request.user)
        if intermediary is None:
            return render(request, "recruitment/not_approved.html", status=403)
        request.intermediary = intermediary
        return view(request, *args, **kwargs)

    # The dashboard shows names and contacts of the people the intermediary brought in: never cached.
    return never_cache(wrapper)


def _end_of_day(day):
    if day is None:
        return None
    return timezone.make_aware(datetime.combine(day, time(23, 59, 59)))


@intermediary_required
def dashboard(request):
    intermediary = request.intermediary
    figures = reach.dashboard_figures(intermediary)
    people = list(reach.people_of(intermediary))
    audit.record(request.user, "list", model="events.registration", ids=[r.pk for r in people],
                 where="recruitment:dashboard")
    context = {
        "intermediary": intermediary,
        "links": figures["links"],
        "people": people,
        "invitations": reach.invitations_of(intermediary),
        "remaining": services.remaining_today(intermediary),
        "daily_limit": services.daily_limit(),
        "summary": figures["summary"],
        "has_events": services.open_events(viewer=request).exists() or services.recruiting_panels().exists(),
    }
    return render(request, "recruitment/dashboard.html", context)


@intermediary_required
def link_create(request):
    form = LinkForm(request.POST or None, viewer=request)
    if request.method == "POST" and form.is_valid():
        try:
            link = services.create_link(
                request.intermediary, form.cleaned_data["event"], panel=form.cleaned_data["panel"],
                label=form.cleaned_data["label"], ends_at=_end_of_day(form.cleaned_data["ends_at"]),
            )
        except services.RecruitmentError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your link is ready. Share it, print the flyer or show the QR code."))
            return redirect("recruitment:link_detail", code=link.code)
    return render(request, "recruitment/link_form.html", {"form": form})


def _own_link(request, code):
    return get_object_or_404(
        InviteLink.objects.select_related("event", "panel"), code=code, intermediary=request.intermediary
    )


def _pause(request, link):
    services.set_paused(link, True)
    messages.success(request, _("The link is paused. Nobody can use it until you resume it."))


def _resume(request, link):
    services.set_paused(link, False)
    messages.success(request, _("The link works again."))


def _revoke(request, link):
    services.revoke(link)
    messages.success(request, _("The link is revoked. It will not work again."))


def _set_end(request, link):
    """The end date (LinkEndForm); with errors the bound form is returned to show them."""
    end_form = LinkEndForm(request.POST)
    if not end_form.is_valid():
        return end_form
    services.set_end(link, _end_of_day(end_form.cleaned_data["ends_at"]))
    messages.success(request, _("The end date is saved."))


# The buttons of a link's page: one handler each; an unknown action changes nothing.
LINK_ACTIONS = {"pause": _pause, "resume": _resume, "revoke": _revoke, "end": _set_end}


@intermediary_required
def link_detail(request, code):
    link = _own_link(request, code)
    end_form = LinkEndForm(initial={"ends_at": timezone.localtime(link.ends_at).date() if link.ends_at else None})
    if request.method == "POST":
        invalid = handle_action(request, LINK_ACTIONS, link)
        if invalid is None:
            return redirect("recruitment:link_detail", code=link.code)
        end_form = invalid
    context = {
        "link": link,
        "short_url": services.short_url(link.code),
        "qr_svg": printables.qr_svg(services.qr_url(link), scale=5, title=_("QR code for this link")).decode(),
        "end_form": end_form,
        "counts": reach.protected_link_counts(link),
    }
    return render(request, "recruitment/link_detail.html", context)


@intermediary_required
def link_qr_png(request, code):
    link = _own_link(request, code)
    response = HttpResponse(printables.qr_png(services.qr_url(link), scale=10), content_type="image/png")
    response["Content-Disposition"] = f'attachment; filename="qr-{link.code}.png"'
    return response


@intermediary_required
def link_qr_svg(request, code):
    link = _own_link(request, code)
    response = HttpResponse(printables.qr_svg(services.qr_url(link)), content_type="image/svg+xml")
    response["Content-Disposition"] = f'attachment; filename="qr-{link.code}.svg"'
    return response


@intermediary_required
def link_flyer(request, code):
    link = _own_link(request, code)
    pdf = printables.flyer_pdf(
        event=link.event, panel=link.panel, short_url=services.short_url(link.code), qr_url=services.qr_url(link),
        inviter=f"{services.inviter_name(request.intermediary)}, {request.intermediary.organisation}",
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="flyer-{link.code}.pdf"'
    return response


def _send_invitations(request, form):
    """The "send" button: send the invitations; afterwards an empty form for the same event."""
    event = form.cleaned_data["event"]
    try:
        result = services.send_invitations(
            request.intermediary, event, form.cleaned_data["contacts"], note=form.cleaned_data["note"]
        )
    except services.RecruitmentError as error:
        form.add_error(None, str(error))
        return form, None, None
    if result.sent:
        messages.success(request, _("%(count)s invitation(s) are on their way.") % {"count": len(result.sent)})
    return InviteForm(initial={"event": event}, viewer=request), None, result


def _preview_invitations(request, form):
    """The "preview" button (and any other): what the invitations will say, to whom; nothing is sent."""
    sms, subject, body = services.invitation_texts(
        request.intermediary, form.cleaned_data["event"], services.short_url("xxxxxxxx"), form.cleaned_data["note"]
    )
    preview = {"sms": sms, "subject": subject, "body": body,
               "contacts": services.parse_contacts(form.cleaned_data["contacts"])}
    return form, preview, None


INVITE_ACTIONS = {"send": _send_invitations, "preview": _preview_invitations}


@intermediary_required
@limits.limit("invite", when=lambda request: action_of(request) == "send")
def invite(request):
    intermediary = request.intermediary
    form = InviteForm(request.POST or None, viewer=request)
    preview = result = None
    if request.method == "POST" and form.is_valid():
        form, preview, result = handle_action(request, INVITE_ACTIONS, form, unknown=_preview_invitations)
    context = {
        "form": form, "preview": preview, "result": result,
        "remaining": services.remaining_today(intermediary), "daily_limit": services.daily_limit(),
    }
    return render(request, "recruitment/invite.html", context)


@intermediary_required
def register_on_behalf(request):
    form = OnBehalfForm(request.POST or None, viewer=request)
    if request.method == "POST" and form.is_valid():
        try:
            outcome = services.register_on_behalf(request.intermediary, form.cleaned_data)
        except services.RecruitmentError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, outcome.message)
            if outcome.outcome == services.ALREADY and outcome.registration is not None:
                # Signed up by them or through them before: they may see this person.
                return redirect("recruitment:person_detail", pk=outcome.registration.pk)
            # New or not, the same answer: whether someone was signed up already is not theirs to know.
            return redirect("recruitment:dashboard")
    return render(request, "recruitment/on_behalf_form.html", {"form": form})


@intermediary_required
def person_detail(request, pk):
    registration = services.visible_registrations(request.intermediary).filter(pk=pk).first()
    if registration is None:
        raise Http404
    audit.record(request.user, "view", model="events.registration", ids=[registration.pk],
                 where="recruitment:person_detail")
    return render(request, "recruitment/person_detail.html", {
        "registration": registration,
        "attribution": getattr(registration, "attribution", None),
        "on_behalf": getattr(registration, "on_behalf", None),
    })


@require_GET
def follow(request, code):
    result = services.follow(code, via=request.GET.get("via", ""), session=request.session)
    if result.event is None and result.panel is None:
        return render(request, "recruitment/link_unknown.html", status=404)
    if result.message:
        messages.warning(request, result.message)
    if result.panel is not None:
        return redirect(result.link.target_url(request))
    url = result.event.get_url(request)
    if not url or not result.event.live:
        return render(request, "recruitment/link_unknown.html", status=404)
    return redirect(url)


def _registration_for_token(token):
    registration = services.friend_registration(token)
    if registration is None:
        raise Http404
    return registration


@never_cache
def friend(request, token):
    registration = _registration_for_token(token)
    link = services.friend_link_for(registration)
    url = services.short_url(link.code)
    share_text = _("I am going to %(title)s. Will you come too? Sign up here: %(url)s") % {
        "title": registration.event.title, "url": url,
    }
    return render(request, "recruitment/friend.html", {
        "registration": registration, "link": link, "short_url": url, "share_text": share_text,
        "qr_url": reverse("recruitment:friend_qr_svg", args=[token]),
        "event_over": link.state() == "expired",
    })


@never_cache
def friend_qr_svg(request, token):
    registration = _registration_for_token(token)
    link = services.friend_link_for(registration)
    return HttpResponse(printables.qr_svg(services.qr_url(link)), content_type="image/svg+xml")
