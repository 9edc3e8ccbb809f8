from django.forms import modelform_factory
from django.shortcuts import redirect
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.views.generic import CreateView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from participation.admin_menu import PermissionMenuItem
from participation.audit_admin import AuditedEditView, AuditedIndexView
from participation.forms import LockedAdminModelForm

from . import admin_views
from .models import Compensation, Panel, PanelMember, SelectionRun, Volunteer


class DrawInstead(CreateView):
    """Selection runs are made by drawing a panel, never by hand."""

    def dispatch(self, request, *args, **kwargs):
        return redirect("panels_admin:index")


class PanelViewSet(ModelViewSet):
    model = Panel
    icon = "group"
    menu_label = _("Panels")
    list_display = ["name", "status", "area", "target_size", "term_start", "term_end"]
    list_filter = ["status"]
    search_fields = ["name", "purpose"]
    form_fields = ["name", "purpose", "area", "min_age", "max_age", "target_size", "term_start", "term_end",
                   "status", "quota_tolerance", "response_days", "response_days_extended", "meetings", "call_text",
                   "publish_representativeness"]


class VolunteerViewSet(ModelViewSet):
    model = Volunteer
    icon = "user"
    menu_label = _("Pool of volunteers")
    list_display = ["name", "reference", "panel", "status", "age_band", "gender", "wijk", "created_at"]
    list_filter = ["panel", "status", "age_band", "gender"]
    search_fields = ["name", "email", "reference"]
    form_fields = ["panel", "name", "email", "phone", "age_band", "gender", "wijk", "origin_consent", "origin",
                   "extra", "motivation", "reserve_consent", "status", "respond_by"]
    # The pool and each volunteer's form are written to the access log.
    index_view_class = AuditedIndexView
    edit_view_class = AuditedEditView


class PanelMemberViewSet(ModelViewSet):
    model = PanelMember
    icon = "user"
    menu_label = _("Panel members")
    list_display = ["volunteer", "panel", "role", "joined_on", "left_on"]
    list_filter = ["panel", "role"]
    form_fields = ["panel", "volunteer", "role", "joined_on", "left_on", "leave_reason"]
    index_view_class = AuditedIndexView
    edit_view_class = AuditedEditView

    def get_form_class(self, for_update=False):
        # Two coordinators changing one membership: the second, stale save is refused.
        return modelform_factory(self.model, form=LockedAdminModelForm, fields=self.form_fields,
                                 formfield_callback=self.formfield_for_dbfield)


class CompensationViewSet(ModelViewSet):
    model = Compensation
    icon = "tag"
    menu_label = _("Compensation")
    list_display = ["member", "meeting_date", "amount", "paid", "paid_on"]
    list_filter = ["member__panel", "paid"]
    form_fields = ["member", "meeting", "meeting_date", "amount", "paid", "paid_on", "note"]
    index_view_class = AuditedIndexView
    edit_view_class = AuditedEditView


class SelectionRunViewSet(ModelViewSet):
    model = SelectionRun
    icon = "doc-full"
    menu_label = _("Selection runs")
    list_display = ["panel", "kind", "outcome", "algorithm", "seed", "min_probability", "published", "created_at"]
    list_filter = ["panel", "kind", "outcome", "published"]
    form_fields = ["published"]
    inspect_view_enabled = True
    add_view_class = DrawInstead


class PanelsGroup(ViewSetGroup):
    menu_label = _("Panels")
    menu_icon = "group"
    menu_order = 300
    items = [PanelViewSet("resident_panels"), VolunteerViewSet("panel_volunteers"), PanelMemberViewSet("panel_members"),
             SelectionRunViewSet("selection_runs"), CompensationViewSet("panel_compensation")]


@hooks.register("register_admin_viewset")
def register_viewsets():
    return PanelsGroup()


@hooks.register("register_admin_urls")
def register_admin_urls():
    urls = [
        path("", admin_views.PanelsIndexView.as_view(), name="index"),
        path("panel/<int:pk>/", admin_views.PanelOverviewView.as_view(), name="panel"),
        path("panel/<int:pk>/select/", admin_views.SelectionView.as_view(), name="select"),
        path("panel/<int:pk>/results/", admin_views.SendResultsView.as_view(), name="send_results"),
        path("panel/<int:pk>/replacement/", admin_views.ReplacementRunView.as_view(), name="replacement"),
        path("run/<int:pk>/", admin_views.RunView.as_view(), name="run"),
        path("member/<int:pk>/replace/", admin_views.ReplaceView.as_view(), name="replace"),
        path("panel/<int:pk>/compensation.csv", admin_views.compensation_csv, name="compensation_csv"),
    ]
    return [path("panels-tools/", include((urls, "panels_admin"), namespace="panels_admin"))]


@hooks.register("register_admin_menu_item")
def panel_overview_menu_item():
    return PermissionMenuItem(_("Panel overview"), reverse("panels_admin:index"), icon_name="list-ul",
                              order=302, permission="panels.view_panel")
