"""Public pages of panels: the calls to apply, a panel's page, and published selection records."""

import re

from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.permissions import ACT_AS_INTERMEDIARY, may
from participation import limits
from participation.invites import invite_from_session

from . import after_draw, services
from .admin_views import report_context
from .forms import ApplicationForm, ContactDetailsForm
from .models import Panel, SelectionRun, Volunteer


def panel_index(request):
    panels = Panel.objects.exclude(status=Panel.Status.ENDED).select_related("area")
    return render(request, "panels/panel_index.html", {"panels": panels})


def panel_detail(request, pk):
    panel = get_object_or_404(Panel, pk=pk)
    context = {"panel": panel, "runs": panel.selection_runs.filter(published=True)}
    report = services.public_panel_report(panel)
    if report is not None:
        context.update(report_context(report, _("Panel"), published=True))
    return render(request, "panels/panel_detail.html", context)


@limits.limit("panel_apply")
def apply(request, pk):
    panel = get_object_or_404(Panel, pk=pk)
    if panel.status != Panel.Status.RECRUITING:
        return render(request, "panels/closed.html", {"panel": panel}, status=410)
    municipality = panel.area.municipality
    form = ApplicationForm(request.POST or None, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        intermediary = request.user if may(request.user, ACT_AS_INTERMEDIARY) else None
        try:
            services.apply(panel, form.cleaned_data, registered_by=intermediary,
                           invite=invite_from_session(request.session))
        except services.PanelError as error:
            messages.error(request, str(error))
        else:
            # The same answer whether or not this address or number had applied already (issue 11): the
            # number goes to the address on file, never onto this page.
            data = form.cleaned_data
            request.session["panels_applied"] = {
                "panel": panel.pk, "email": bool(data.get("email")), "sms": bool(data.get("phone"))}
            return redirect("panels:thanks", pk=panel.pk)
    form.annotate()
    # A refused submission says so in its status too (like the other forms), not 200.
    status = 400 if request.method == "POST" and form.errors else 200
    return render(request, "panels/apply.html", {"panel": panel, "form": form}, status=status)


def thanks(request, pk):
    panel = get_object_or_404(Panel, pk=pk)
    applied = request.session.get("panels_applied")
    if not isinstance(applied, dict) or applied.get("panel") != panel.pk:
        return redirect("panels:detail", pk=panel.pk)
    return render(request, "panels/thanks.html", {
        "panel": panel, "via_email": applied.get("email"), "via_sms": applied.get("sms")})


def audit(request, pk, run_pk):
    run = get_object_or_404(SelectionRun.objects.select_related("panel"), pk=run_pk, panel_id=pk)
    if not run.published:
        raise Http404
    record = services.published_audit(run)
    if request.GET.get("format") == "json":
        return JsonResponse(record, json_dumps_params={"indent": 2})
    drawn = set(run.drawn)
    rows = sorted(({"reference": ref, "probability": p, "drawn": ref in drawn} for ref, p in run.probabilities.items()),
                  key=lambda r: r["reference"])
    return render(request, "panels/audit.html", {"run": run, "rows": rows, "panel": run.panel})


# --- the personal application page (issue 14): reached only by the link in the person's messages --------

TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{8,64}")


def _application_or_404(request, token):
    """The live application with this token, or (None, the neutral "this link does not work" page).

    The page never says whether an address applied: it is found only by its unguessable link."""
    well_formed = bool(TOKEN_SHAPE.fullmatch(token or ""))  # never a NUL byte or a megabyte to the database
    volunteer = (Volunteer.objects.select_related("panel", "panel__area").filter(
        token=token, anonymised_at__isnull=True).first() if well_formed else None)
    if volunteer is None:
        return None, render(request, "panels/invalid_link.html", status=404)
    return volunteer, None


def _meetings(request, panel):
    """The panel's meetings this visitor may see, coming ones first (events' own privacy check)."""
    from events.visibility import visible_events

    ids = list(panel.meetings.values_list("pk", flat=True))
    if not ids:
        return []
    return list(visible_events(request).filter(pk__in=ids).order_by("start"))


@never_cache
def application(request, token, contact_form=None):
    volunteer, problem = _application_or_404(request, token)
    if problem:
        return problem
    if contact_form is None:
        contact_form = ContactDetailsForm(initial={"name": volunteer.name, "email": volunteer.email,
                                                   "phone": volunteer.phone})
    contact_form.annotate()
    now = timezone.now()
    S = Volunteer.Status
    can_answer = (volunteer.status == S.SELECTED and volunteer.told_at is not None
                  and (volunteer.respond_by is None or now <= volunteer.respond_by))
    return render(request, "panels/application.html", {
        "volunteer": volunteer, "panel": volunteer.panel, "can_answer": can_answer,
        "late": volunteer.status == S.SELECTED and volunteer.respond_by and now > volunteer.respond_by,
        "waiting_for_result": volunteer.status == S.SELECTED and volunteer.told_at is None,
        "can_withdraw": after_draw.can_withdraw(volunteer), "contact_form": contact_form,
        "meetings": _meetings(request, volunteer.panel),
        "editable": volunteer.status != S.WITHDRAWN,
    })


def _answer(request, token, action, done):
    volunteer, problem = _application_or_404(request, token)
    if problem:
        return problem
    try:
        action(volunteer)
    except after_draw.AnswerError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)
    return redirect("panels:application", token=token)


@never_cache
@require_POST
def confirm(request, token):
    return _answer(request, token, after_draw.confirm,
                   _("Thank you for saying yes. You are a member of the panel."))


@never_cache
@require_POST
def decline(request, token):
    return _answer(request, token, after_draw.decline,
                   _("Thank you for letting us know. Your place goes to someone else."))


@never_cache
@require_POST
def withdraw(request, token):
    return _answer(request, token, after_draw.withdraw, _("Done: your application is withdrawn."))


@never_cache
@require_POST
def change_contact(request, token):
    volunteer, problem = _application_or_404(request, token)
    if problem:
        return problem
    form = ContactDetailsForm(request.POST)
    if not form.is_valid():
        return application(request, token, contact_form=form)
    data = form.cleaned_data
    try:
        after_draw.change_contact(volunteer, name=data["name"], email=data["email"], phone=data["phone"])
    except after_draw.AnswerError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your details are saved."))
    return redirect("panels:application", token=token)
