"""Coordinators' screens: approve intermediaries, see their links, and the reach report."""

from django import forms
from django.db import transaction
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.viewsets.model import ModelViewSet

from accounts.permissions import permission_required
from participation.admin_menu import PermissionMenuItem
from population import dimensions

from . import reach, services
from .models import Intermediary, InviteLink


class IntermediaryForm(WagtailAdminModelForm):
    approved = forms.BooleanField(
        label=_("Approved"), required=False,
        help_text=_("Only approved intermediaries can make links, invite people and sign people up."),
    )

    class Meta:
        model = Intermediary
        fields = ["user", "organisation", "organisation_type", "role_description"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["approved"].initial = bool(self.instance.pk and self.instance.is_approved)

    def save(self, commit=True):
        with transaction.atomic():
            intermediary = super().save(commit=commit)
            if commit:
                approved = self.cleaned_data.get("approved")
                if approved and not intermediary.is_approved:
                    services.approve(intermediary, by=self.for_user)
                elif not approved and intermediary.is_approved:
                    services.withdraw_approval(intermediary)
        return intermediary


class IntermediaryViewSet(ModelViewSet):
    model = Intermediary
    icon = "group"
    menu_label = _("Intermediaries")
    add_to_admin_menu = True
    menu_order = 310
    list_display = ["user", "organisation", "organisation_type", "approved_at", "approved_by"]
    list_filter = ["organisation_type"]
    search_fields = ["organisation", "user__email", "user__first_name", "user__last_name"]
    inspect_view_enabled = True

    def get_form_class(self, for_update=False):
        return IntermediaryForm


class InviteLinkViewSet(ModelViewSet):
    model = InviteLink
    icon = "link"
    menu_label = _("Invite links")
    add_to_admin_menu = True
    menu_order = 311
    list_display = ["code", "intermediary", "event", "panel", "label", "paused", "revoked_at", "ends_at", "visits",
                    "qr_visits"]
    list_filter = ["paused"]
    search_fields = ["code", "label"]
    form_fields = ["label", "paused", "revoked_at", "ends_at"]
    inspect_view_enabled = True


@permission_required("recruitment.view_attribution")
def reach_view(request):
    context = {
        "page_title": _("Reach of intermediaries"),
        "header_icon": "group",
        "funnel": reach.funnel(),
        "pool_funnel": reach.pool_funnel(),
        "new_voices": reach.new_voices_per_intermediary(),
        "by_wijk": reach.composition(dimensions.WIJK),
        "by_age": reach.composition(dimensions.AGE_BAND),
    }
    return TemplateResponse(request, "recruitment/admin/reach.html", context)


@hooks.register("register_admin_viewset")
def register_viewsets():
    return [IntermediaryViewSet("intermediaries"), InviteLinkViewSet("invite_links")]


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("recruitment/reach/", reach_view, name="recruitment_reach")]


@hooks.register("register_reports_menu_item")
def register_reach_menu_item():
    return PermissionMenuItem(_("Reach of intermediaries"), reverse("recruitment_reach"), icon_name="group",
                              order=700, permission="recruitment.view_attribution")
