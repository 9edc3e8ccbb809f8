from django.apps import AppConfig
from django.apps import apps as global_apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def ensure_roles_after_migrate(sender, apps=None, **kwargs):
    """After migrate or flush, once every app has its permissions, make sure the roles exist."""
    last_app_with_models = [config for config in global_apps.get_app_configs() if config.models_module][-1]
    if sender.label != last_app_with_models.label:
        return
    from .roles import ensure_roles

    ensure_roles(apps or global_apps)


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and roles")

    def ready(self):
        post_migrate.connect(ensure_roles_after_migrate, dispatch_uid="accounts.roles")
        from allauth.mfa.signals import authenticator_added

        from .two_factor import record_setup

        authenticator_added.connect(record_setup, dispatch_uid="accounts.two_factor.record_setup")
        from allauth.account.signals import authentication_step_completed

        from .email_addresses import add_address_for_code_login

        authentication_step_completed.connect(add_address_for_code_login,
                                              dispatch_uid="accounts.email_addresses")
