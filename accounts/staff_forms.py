"""The staff login form: username or email address and password, then allauth asks for the second factor."""

from allauth.account.app_settings import EmailVerificationMethod
from allauth.account.fields import PasswordField
from allauth.account.forms import LoginForm
from django import forms
from django.utils.translation import gettext_lazy as _


class StaffLoginForm(LoginForm):
    """allauth's login form with a password, for staff (residents' form has no password: they get a code).

    Logging in goes through allauth's login stages, so a person with an authenticator is asked for a
    code from it; django-axes counts the failed passwords (AxesStandaloneBackend in authenticate()).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["login"] = forms.CharField(
            label=_("Username or email address"), max_length=254,
            widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
        )
        self.fields["password"] = PasswordField(label=_("Password"), autocomplete="current-password")
        self.fields.pop("remember", None)
        self.order_fields(["login", "password"])

    def user_credentials(self):
        login = self.cleaned_data["login"]
        credentials = {"email" if "@" in login else "username": login}
        credentials["password"] = self.cleaned_data["password"]
        return credentials

    def _login_with_password(self, request, redirect_url, credentials):
        self.cleaned_data.setdefault("remember", False)
        # Staff accounts are made by a coordinator with the municipality's address; they prove who they
        # are with the second factor, not by confirming their email address first.
        self._login.email_verification = EmailVerificationMethod.NONE
        return super()._login_with_password(request, redirect_url, credentials)
