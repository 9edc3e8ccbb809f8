"""Staff who must use a second factor cannot use the site behind the login without it."""

from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from . import two_factor

# Pages such a person may still open: allauth's login, logout and MFA screens, our staff login and
# the language switch.
ALLOWED_URL_NAME_PREFIXES = ("account_", "mfa_")
ALLOWED_URL_NAMES = {"staff_login", "wagtailadmin_logout", "set_language"}


def _allowed(path):
    try:
        match = resolve(path)
    except Resolver404:
        return True  # a 404 shows nothing
    name = match.url_name or ""
    return name in ALLOWED_URL_NAMES or name.startswith(ALLOWED_URL_NAME_PREFIXES)


class TwoFactorRequiredMiddleware:
    """Coordinators, editors and superusers (roles.two_factor_required):

    - without an authenticator: sent to set up TOTP (or a security key) first;
    - with one, in a session that did not pass it (an emailed code, an old session): logged out and
      sent to the staff login, which asks for the second factor.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated and not two_factor.passed_second_factor(request)
                and two_factor.two_factor_required(user) and not _allowed(request.path_info)):
            if not two_factor.has_second_factor(user):
                messages.info(request, _(
                    "Your account can see personal data of residents. Set up a second step for logging "
                    "in first: an app on your phone that gives a code."))
                return redirect("mfa_activate_totp")
            logout(request)
            messages.info(request, _("Log in again with your password and the code from your app."))
            return redirect(f"{reverse('staff_login')}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

