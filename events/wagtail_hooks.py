from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import Button

from accounts.permissions import may
from participation.admin_menu import PermissionMenuItem

from . import admin_views
from .models import EventPage


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path("events/registrations/", admin_views.event_list, name="events_registrations"),
        path("events/<int:event_id>/registrations/", admin_views.registrations, name="events_event_registrations"),
        path("events/<int:event_id>/registrations/export.csv", admin_views.export, {"fmt": "csv"},
             name="events_export_csv"),
        path("events/<int:event_id>/registrations/export.xlsx", admin_views.export, {"fmt": "xlsx"},
             name="events_export_xlsx"),
    ]


@hooks.register("register_admin_menu_item")
def registrations_menu_item():
    return PermissionMenuItem(_("Registrations"), reverse("events_registrations"), icon_name="group",
                              order=250, permission=admin_views.PERMISSION)


@hooks.register("register_page_header_buttons")
def registrations_header_button(page, user, view_name=None, next_url=None):
    if isinstance(page.specific_deferred, EventPage) and may(user, admin_views.PERMISSION):
        yield Button(_("Registrations"), reverse("events_event_registrations", args=[page.pk]),
                     icon_name="group", priority=20)


@hooks.register("register_page_listing_buttons")
def registrations_listing_button(page, user, next_url=None):
    if page.specific_class is EventPage and may(user, admin_views.PERMISSION):
        yield Button(_("Registrations"), reverse("events_event_registrations", args=[page.pk]),
                     icon_name="group", priority=20)


class CapacityPanel:
    name = "events_capacity"
    order = 60

    def __init__(self, request):
        self.request = request

    @property
    def media(self):
        from django.forms import Media

        return Media()

    def render_html(self, parent_context=None):
        if not may(self.request.user, admin_views.PERMISSION):
            return ""
        alerts = admin_views.capacity_alerts()
        if not alerts:
            return ""
        return mark_safe(render_to_string("events/admin/capacity_panel.html", {"alerts": alerts},
                                          request=self.request))


@hooks.register("construct_homepage_panels")
def capacity_panel(request, panels):
    panels.append(CapacityPanel(request))
