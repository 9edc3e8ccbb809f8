"""Public pages of panels: the calls to apply, a panel's page, and published selection records."""

from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from accounts.permissions import ACT_AS_INTERMEDIARY, may
from participation import limits
from participation.invites import invite_from_session

from . import services
from .admin_views import report_context
from .forms import ApplicationForm
from .models import Panel, SelectionRun


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
    return render(request, "panels/apply.html", {"panel": panel, "form": form})


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
