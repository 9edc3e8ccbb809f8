"""Coordinators' screens in the Wagtail admin: panel overview, selection, replacement."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from accounts.permissions import PermissionRequiredMixin
from participation import audit
from population.presentation import report_context

from . import services
from .forms import ReplaceForm, SelectionForm
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
        context.update(
            panel=panel,
            members=members,
            pool_count=panel.pool.count(), eligible_count=services.eligible_pool(panel).count(),
            runs=panel.selection_runs.all()[:20],
        )
        try:
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
