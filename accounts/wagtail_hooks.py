from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from participation.admin_menu import PermissionMenuItem

from . import staff_views as views


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path("lockouts/", views.lockouts, name="accounts_lockouts"),
        path("lockouts/unlock/", views.unlock, name="accounts_unlock"),
    ]


@hooks.register("register_settings_menu_item")
def lockouts_menu_item():
    return PermissionMenuItem(_("Locked logins"), reverse("accounts_lockouts"), icon_name="lock",
                              order=900, permission=views.UNLOCK_PERMISSION)
