"""The one way to ask what someone may do: a Django permission ("app_label.codename").

Who has which permission is decided in one table, `accounts.roles.ROLE_PERMISSIONS`, applied to the four
role groups after every migrate. Code never asks for a group (role) name; it asks for a permission:

- function views: `@permission_required("app.codename")`; class-based views: `PermissionRequiredMixin`
  with `permission = "app.codename"` (one permission per view, as pretix does);
- templates, menus and buttons: `may(user, "app.codename")`, or Django's `{% if perms.app.codename %}`.

What a role may do that is not about one model ("may facilitate", "works as an intermediary") is a
custom permission on the account model (`accounts.models.User.Meta.permissions`), named below.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseForbidden, JsonResponse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

# May use the facilitator tools: check people in at an event, run its formats on the day.
FACILITATE = "accounts.facilitate"
# Works as an approved intermediary: the invitations dashboard, signing people up for someone else.
ACT_AS_INTERMEDIARY = "accounts.act_as_intermediary"
# May open the Wagtail admin (Wagtail's own permission).
ACCESS_ADMIN = "wagtailadmin.access_admin"


def may(user, permission):
    """Whether this user (or AnonymousUser, or None) has `permission`. For templates, menus, buttons."""
    return bool(user is not None and user.is_authenticated and user.has_perm(permission))


def _wants_json(request):
    # The offline queue (formats/static) posts with this header and reads a JSON answer.
    return request.headers.get("X-Requested-With") == "fetch"


def permission_required(permission, *, message=None):
    """View decorator: logged out → the login page; logged in without `permission` → 403.

    A fetch from the offline queue gets JSON instead (401/403 with {"ok": false, "error": …}), so the
    queue does not mistake the login page for a save. `message` is shown with the 403. The answer is
    never cached: the pages behind a permission hold personal data.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                if _wants_json(request):
                    return JsonResponse({"ok": False, "error": str(_(
                        "You are logged out. Log in again, then save once more."))}, status=401)
                return redirect_to_login(request.get_full_path())
            if not request.user.has_perm(permission):
                if _wants_json(request):
                    return JsonResponse({"ok": False, "error": str(message or _("You may not save this."))},
                                        status=403)
                if message:
                    return HttpResponseForbidden(str(message))
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.permission_required = permission
        return never_cache(wrapped)

    return decorator


def method_permission_required(permission, *, message=None):
    """`permission_required` for a method view (`def view(self, request, …)`, as on Wagtail viewsets)."""
    return method_decorator(permission_required(permission, message=message))


class PermissionRequiredMixin:
    """For class-based views: set `permission = "app.codename"`."""

    permission = None
    permission_denied_message = None

    def dispatch(self, request, *args, **kwargs):
        view = permission_required(self.permission, message=self.permission_denied_message)(
            lambda request, *args, **kwargs: super(PermissionRequiredMixin, self).dispatch(request, *args, **kwargs)
        )
        return view(request, *args, **kwargs)
