import django_filters
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.chooser import ChooserViewSet
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from accounts.permissions import method_permission_required, permission_required
from participation import audit
from participation.admin_menu import PermissionMenuItem
from participation.audit_admin import AuditedIndexView

from . import services
from .forms import SignalForm, SignalTriageForm
from .models import Recommendation, Signal, SignalSource

# --- signals -------------------------------------------------------------------------------------


class SinceColumn(Column):
    """Time since a moment ("3 days"), for arrival and last reply."""

    def get_value(self, instance):
        moment = getattr(instance, self.accessor)
        return services.since(moment) if moment else "—"


class SignalFilterSet(WagtailFilterSet):
    class Meta:
        model = Signal
        fields = ["status", "kind", "theme", "department"]


class SignalViewSet(ModelViewSet):
    """Staff triage signals here: open one to classify it, pass it on and reply."""

    model = Signal
    icon = "warning"
    menu_label = _("Signals")
    add_to_admin_menu = True
    menu_order = 310
    copy_view_enabled = False
    filterset_class = SignalFilterSet
    search_fields = ["text", "place"]
    form_fields = ["kind", "theme", "department", "status"]
    edit_template_name = "outcomes/admin/signal_edit.html"
    index_view_class = AuditedIndexView  # the list shows the start of each text: access log

    @property
    def list_display(self):
        return [
            "__str__",  # the first column links to the triage view
            Column("status", label=_("Status"), accessor="get_status_display"),
            Column("kind", label=_("Kind"), accessor="get_kind_display"),
            Column("theme", label=_("Theme")),
            Column("department", label=_("Department")),
            SinceColumn("created_at", label=_("Since arrival"), accessor="created_at"),
            SinceColumn("last_reply_at", label=_("Since last reply"), accessor="last_reply_at"),
        ]

    def get_urlpatterns(self):
        # The generic edit view is replaced by the triage view, which saves through services.
        # The generic add view is replaced by an intake form for signals taken by phone or at the counter.
        patterns = [p for p in super().get_urlpatterns() if getattr(p, "name", "") not in ("edit", "add")]
        return patterns + [
            path("edit/<str:pk>/", self.triage_view, name="edit"),
            path("add/", self.intake_view, name="add"),
        ]

    @method_permission_required("outcomes.add_signal")
    def intake_view(self, request):
        form = SignalForm(request.POST or None)
        form.fields.pop("website")
        if request.method == "POST" and form.is_valid():
            data = services.SignalData(**form.cleaned_data)
            try:
                signal = services.submit_signal(data, source=SignalSource.STAFF, by=request.user)
            except services.SignalError as error:
                for field, message in error.errors.items():
                    form.add_error(field, message)
            else:
                messages.success(request, _("Signal %(ref)s saved.") % {"ref": signal.reference})
                return redirect(self.get_url_name("edit"), signal.pk)
        return TemplateResponse(request, "outcomes/admin/signal_intake.html", {
            "form": form, "index_url": reverse(self.get_url_name("index")),
            "header_title": _("Take down a signal (phone, counter)"),
        })

    @method_permission_required("outcomes.change_signal")
    def triage_view(self, request, pk):
        signal = get_object_or_404(Signal, pk=pk if str(pk).isdigit() else None)  # "abc": 404, not a 500
        initial = {
            "kind": signal.kind, "theme": signal.theme, "department": signal.department,
            "status": signal.status,
        }
        form = SignalTriageForm(request.POST or None, initial=initial, lock_instance=signal)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                services.handle_signal(
                    signal, by=request.user, kind=data["kind"], theme=data["theme"],
                    department=data["department"], status=data["status"], route=data["route"],
                    public_message=data["public_message"], internal_note=data["internal_note"],
                )
            except services.SignalError as error:
                for field, message in error.errors.items():
                    form.add_error(field if field in form.fields else None, message)
            else:
                messages.success(request, _("Signal %(ref)s saved.") % {"ref": signal.reference})
                return redirect(self.get_url_name("edit"), signal.pk)
        now = timezone.now()
        audit.record(request.user, "view", model=Signal, ids=[signal.pk], where="outcomes:signal_triage")
        return TemplateResponse(request, "outcomes/admin/signal_edit.html", {
            "signal": signal, "form": form, "updates": signal.updates.select_related("author", "department"),
            "since_arrival": services.since(signal.created_at, now),
            "since_reply": services.since(signal.last_reply_at, now),
            "index_url": reverse(self.get_url_name("index")),
            "public_url": signal.get_absolute_url(),
            "header_title": _("Signal %(ref)s") % {"ref": signal.reference},
        })


@permission_required("outcomes.view_signal")
def signal_statistics_view(request):
    return TemplateResponse(request, "outcomes/admin/signal_statistics.html", {
        "stats": services.signal_statistics(),
    })


# --- recommendations register ----------------------------------------------------------------------


class DueColumn(Column):
    """The due date, with an "Overdue" or "Due soon" label so late items stand out."""

    cell_template_name = "outcomes/admin/due_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["due_state"] = services.due_state(instance)
        return context


class RecommendationFilterSet(WagtailFilterSet):
    overdue = django_filters.BooleanFilter(label=_("Overdue"), method="filter_overdue")

    class Meta:
        model = Recommendation
        fields = ["status", "source_type", "theme"]

    def filter_overdue(self, queryset, name, value):
        late = services.overdue(queryset)
        return late if value else queryset.exclude(pk__in=late.values("pk"))


class RecommendationViewSet(SnippetViewSet):
    model = Recommendation
    icon = "list-ul"
    menu_label = _("Recommendations")
    add_to_admin_menu = True
    menu_order = 320
    filterset_class = RecommendationFilterSet
    search_fields = ["title", "description", "source_name", "owner_name", "response"]
    ordering = ["due_date"]

    @property
    def list_display(self):
        return [
            "title",
            Column("source", label=_("Source"), accessor="source_label"),
            Column("owner", label=_("Owner"), accessor="owner_display"),
            DueColumn("due_date", label=_("Due date"), sort_key="due_date"),
            Column("status", label=_("Status"), accessor="get_status_display", sort_key="status"),
        ]


class SignalChooserViewSet(ChooserViewSet):
    """A chooser for linking a signal to an outcome page: a paginated list, not a select of thousands."""

    model = Signal
    icon = "warning"
    choose_one_text = _("Choose a signal")
    choose_another_text = _("Choose another signal")
    edit_item_text = _("Edit this signal")
    per_page = 20


@hooks.register("register_admin_viewset")
def register_viewsets():
    return [
        SignalViewSet("signals", url_prefix="outcomes/signals"),
        SignalChooserViewSet("signal_chooser", url_prefix="outcomes/signal-chooser"),
    ]


register_snippet(RecommendationViewSet)


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("outcomes/signal-statistics/", signal_statistics_view, name="outcomes_signal_statistics")]


@hooks.register("register_reports_menu_item")
def register_statistics_menu_item():
    return PermissionMenuItem(
        _("Signals per theme and month"), reverse("outcomes_signal_statistics"), icon_name="table", order=900,
        permission="outcomes.view_signal",
    )


@hooks.register("after_create_page")
def assign_workflow_to_new_outcomes_index(request, page):
    from .models import OutcomeIndexPage

    if isinstance(page.specific, OutcomeIndexPage):
        services.ensure_outcome_workflow(page)
