"""Coordinators' screens in the Wagtail admin: panel overview, selection, replacement."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from accounts.permissions import PermissionRequiredMixin, permission_required
from participation import audit
from population.presentation import report_context

from . import after_draw, services
from .forms import ReplaceForm, ReplacementForm, SelectionForm, SendResultsForm
from .models import Panel, PanelMember, SelectionRun


class PermissionMixin(PermissionRequiredMixin):
    permission = "panels.view_panel"


class AdminView(PermissionMixin, WagtailAdminTemplateMixin, TemplateView):
    header_icon = "group"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]


class PanelOverviewView(AdminView):
    template_name = "panels/admin/panel_overview.html"

    def get_page_title(self):
        return self.panel.name

    def dispatch(self, request, pk, *args, **kwargs):
        self.panel = get_object_or_404(Panel, pk=pk)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        panel = self.panel
        members = list(panel.members.select_related("volunteer", "volunteer__wijk").order_by("left_on", "joined_on"))
        # The list shows every member's name: an access to personal data (issue 11, the access log).
        audit.record(self.request.user, "list", model=PanelMember, ids=[m.pk for m in members],
                     filters={"panel": panel.pk}, where="panels_admin:panel")
        waiting = after_draw.pending(panel)
        context.update(
            panel=panel,
            members=members,
            pool_count=panel.pool.count(), eligible_count=services.eligible_pool(panel).count(),
            runs=panel.selection_runs.all()[:20],
            to_tell_selected=len(waiting["selected"]), to_tell_others=len(waiting["not_selected"]),
            deadline_rule=after_draw.deadline_rule(panel),
        )
        from .term import participation

        context["meetings"], context["participation"] = participation(panel)
        try:
            context["quota_status"] = after_draw.quota_status(panel)
            population = services.population_for_panel(panel)
            context.update(report_context(services.panel_report(panel, population), _("Panel")))
        except LookupError as error:
            context["error"] = str(error)
        return context


class SelectionView(AdminView):
    permission = "panels.change_panel"
    template_name = "panels/admin/select.html"
    header_icon = "tasks"

    def get_page_title(self):
        return _("Draw the panel: %(panel)s") % {"panel": self.panel.name}

    def dispatch(self, request, pk, *args, **kwargs):
        self.panel = get_object_or_404(Panel, pk=pk)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", SelectionForm())
        try:
            population = services.population_for_panel(self.panel)
            people = services.selection_people(list(services.eligible_pool(self.panel)), population)
            quotas = services.panel_quotas(self.panel, population, people)
            context["quotas"] = [
                {"dimension": population.dimension_labels.get(f, f),
                 "category": population.labels.get(f, {}).get(v, _("unknown") if v == services.UNKNOWN_VALUE else v),
                 "min": lo, "max": hi} for (f, v), (lo, hi) in quotas.items()]
        except LookupError as error:
            context["error"] = str(error)
        context.update(panel=self.panel, eligible_count=services.eligible_pool(self.panel).count(),
                       has_members=self.panel.current_members().exists())
        return context

    def post(self, request, *args, **kwargs):
        form = SelectionForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        try:
            outcome = services.run_selection(self.panel, algorithm=form.cleaned_data["algorithm"],
                                             seed=form.cleaned_data.get("seed"), user=request.user,
                                             accept_not_optimal=form.cleaned_data.get("accept_not_optimal", False))
        except services.NotOptimalLottery as error:
            return self.render_to_response(self.get_context_data(form=form, not_optimal=str(error)))
        except services.PanelError as error:
            messages.error(request, str(error))
            return redirect("panels_admin:select", pk=self.panel.pk)
        if outcome.members:
            messages.success(request, _("The panel is drawn: %(n)s members.") % {"n": len(outcome.members)})
        else:
            messages.error(request, _("The quotas cannot be met with this pool. See what to relax below."))
        return redirect("panels_admin:run", pk=outcome.run.pk)


class RunView(AdminView):
    permission = "panels.view_selectionrun"
    template_name = "panels/admin/run.html"
    header_icon = "doc-full"

    def get_page_title(self):
        return str(self.run)

    def dispatch(self, request, pk, *args, **kwargs):
        self.run = get_object_or_404(SelectionRun.objects.select_related("panel"), pk=pk)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        run = self.run
        drawn = set(run.drawn)
        context.update(
            run=run,
            rows=sorted(({"reference": ref, "probability": p, "drawn": ref in drawn}
                         for ref, p in run.probabilities.items()), key=lambda r: (r["probability"], r["reference"])),
            public_url=reverse("panels:audit", args=[run.panel_id, run.pk]),
        )
        return context

    def post(self, request, *args, **kwargs):
        if not request.user.has_perm("panels.change_selectionrun"):
            raise PermissionDenied
        self.run.published = request.POST.get("published") == "1"
        self.run.save(update_fields=["published"])
        messages.success(request, _("The record is published without names.") if self.run.published
                         else _("The record is no longer published."))
        return redirect("panels_admin:run", pk=self.run.pk)


class ReplaceView(AdminView):
    permission = "panels.change_panelmember"
    template_name = "panels/admin/replace.html"
    header_icon = "user"

    def get_page_title(self):
        return _("Replace %(member)s") % {"member": self.member.volunteer}

    def dispatch(self, request, pk, *args, **kwargs):
        self.member = get_object_or_404(PanelMember.objects.select_related("panel", "volunteer"), pk=pk)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        from django.utils import timezone

        context.setdefault("form", ReplaceForm(initial={"left_on": timezone.localdate()}))
        context["member"] = self.member
        return context

    def post(self, request, *args, **kwargs):
        form = ReplaceForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        try:
            new_member, run, problems = services.replace_member(
                self.member, left_on=form.cleaned_data["left_on"], reason=form.cleaned_data["reason"],
                seed=form.cleaned_data.get("seed"), user=request.user)
        except services.PanelError as error:
            messages.error(request, str(error))
            return redirect("panels_admin:panel", pk=self.member.panel_id)
        if new_member:
            messages.success(request, _("%(old)s left; %(new)s takes the seat, keeping every quota.")
                             % {"old": self.member.volunteer, "new": new_member.volunteer})
        else:
            for problem in problems:
                messages.warning(request, problem)
        return redirect("panels_admin:panel", pk=self.member.panel_id)


class PanelsIndexView(AdminView):
    page_title = gettext_lazy("Panel overview")
    template_name = "panels/admin/panels_index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["panels"] = Panel.objects.select_related("area")
        return context


class PanelActionView(AdminView):
    permission = "panels.change_panel"

    def dispatch(self, request, pk, *args, **kwargs):
        self.panel = get_object_or_404(Panel, pk=pk)
        return super().dispatch(request, *args, **kwargs)


class SendResultsView(PanelActionView):
    """After a draw: the coordinator reads the messages (Dutch and English, email and SMS) and sends them
    to everyone waiting for the result, in one action."""

    template_name = "panels/admin/send_results.html"
    header_icon = "mail"

    def get_page_title(self):
        return _("Tell people the result: %(panel)s") % {"panel": self.panel.name}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        waiting = after_draw.pending(self.panel)
        context.setdefault("form", SendResultsForm())
        context.update(panel=self.panel, previews=after_draw.preview(self.panel),
                       to_tell_selected=len(waiting["selected"]),
                       to_tell_reserve=sum(1 for v in waiting["not_selected"] if v.reserve_consent),
                       to_tell_others=sum(1 for v in waiting["not_selected"] if not v.reserve_consent),
                       deadline_rule=after_draw.deadline_rule(self.panel))
        return context

    def post(self, request, *args, **kwargs):
        form = SendResultsForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        result = after_draw.send_results(self.panel)
        if result.selected or result.not_selected:
            messages.success(request, _("The messages are being sent: %(selected)s people chosen, %(others)s not "
                                        "chosen.") % {"selected": result.selected, "others": result.not_selected})
        else:
            messages.warning(request, _("There was nobody left to tell: the messages had already been sent. "
                                        "Nothing was sent again."))
        return redirect("panels_admin:panel", pk=self.panel.pk)


class ReplacementRunView(PanelActionView):
    """One replacement draw for every open place (services.run_replacement), its own audited run."""

    template_name = "panels/admin/replacement.html"
    header_icon = "tasks"

    def get_page_title(self):
        return _("Fill the open places: %(panel)s") % {"panel": self.panel.name}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", ReplacementForm())
        try:
            context["quota_status"] = after_draw.quota_status(self.panel)
        except LookupError as error:
            context["error"] = str(error)
        context.update(panel=self.panel, eligible_count=services.eligible_pool(self.panel).count())
        return context

    def post(self, request, *args, **kwargs):
        form = ReplacementForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        try:
            outcome = services.run_replacement(self.panel, user=request.user,
                                               accept_not_optimal=form.cleaned_data.get("accept_not_optimal", False))
        except services.NotOptimalLottery as error:
            return self.render_to_response(self.get_context_data(form=form, not_optimal=str(error)))
        except (services.PanelError, LookupError) as error:  # LookupError: no population figures
            messages.error(request, str(error))
            return redirect("panels_admin:panel", pk=self.panel.pk)
        if not outcome.members:
            for problem in outcome.messages:
                messages.warning(request, problem)
            return redirect("panels_admin:run", pk=outcome.run.pk)
        messages.success(request, ngettext(
            "%(n)s person is drawn for the open place. Check the message and send it.",
            "%(n)s people are drawn for the open places. Check the message and send it.",
            len(outcome.members)) % {"n": len(outcome.members)})
        return redirect("panels_admin:send_results", pk=self.panel.pk)


def _safe_cell(value):
    # A cell starting with =, +, - or @ would be a formula in a spreadsheet program.
    value = str(value)
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


@permission_required("panels.view_compensation")
def compensation_csv(request, pk):
    """Compensation per member per meeting of one panel, for finance (CSV, formula-safe; in the access log)."""
    import csv
    import io

    from django.http import HttpResponse

    from .models import Compensation

    panel = get_object_or_404(Panel, pk=pk)
    rows = list(Compensation.objects.filter(member__panel=panel).select_related("member__volunteer", "meeting")
                .order_by("meeting_date", "member__volunteer__name"))
    audit.record(request.user, "export", model=Compensation, ids=[c.pk for c in rows], filters={"panel": panel.pk},
                 count=len(rows), where="panels_admin:compensation_csv")
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow([_("Reference"), _("Name"), _("Meeting"), _("Date of the meeting"), _("Amount (euro)"),
                     _("Paid"), _("Paid on")])
    for c in rows:
        writer.writerow([_safe_cell(v) for v in (
            c.member.volunteer.reference, c.member.volunteer.name, c.meeting.title if c.meeting else "",
            c.meeting_date.isoformat(), f"{c.amount:.2f}".replace(".", ","), _("yes") if c.paid else _("no"),
            c.paid_on.isoformat() if c.paid_on else "")])
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="vergoedingen-panel-{panel.pk}.csv"'
    response["Cache-Control"] = "no-store"
    return response
