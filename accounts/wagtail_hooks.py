from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from participation.admin_menu import PermissionMenuItem

from . import staff_views as views
from .admin_views import AccessLogReportView


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path("lockouts/", views.lockouts, name="accounts_lockouts"),
        path("lockouts/unlock/", views.unlock, name="accounts_unlock"),
        path("reports/access-log/", AccessLogReportView.as_view(), name="accounts_access_log"),
        path("reports/access-log/results/", AccessLogReportView.as_view(results_only=True),
             name="accounts_access_log_results"),
    ]


@hooks.register("register_settings_menu_item")
def lockouts_menu_item():
    return PermissionMenuItem(_("Locked logins"), reverse("accounts_lockouts"), icon_name="lock",
                              order=900, permission=views.UNLOCK_PERMISSION)


@hooks.register("register_reports_menu_item")
def register_access_log_menu_item():
    return PermissionMenuItem(_("Access log"), reverse("accounts_access_log"), icon_name="history",
                              order=900, permission="accounts.view_accesslogentry")
