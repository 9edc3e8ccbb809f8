"""Staff login, and the coordinators' list of locked logins in the Wagtail admin."""

from allauth.account.views import LoginView
from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.contrib import messages
from django.db.models import Max, Sum
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .permissions import permission_required
from .staff_forms import StaffLoginForm

UNLOCK_PERMISSION = "axes.delete_accessattempt"


class StaffLoginView(LoginView):
    """/admin/login/: password, then allauth's second-factor screen; the Wagtail admin sends people here."""

    template_name = "accounts/staff_login.html"

    def get_form_class(self):
        return StaffLoginForm


def current_lockouts(now=None):
    """Accounts and addresses whose failed logins reached the limit and have not cooled off yet.

    axes keeps one counter per account, address and browser; it locks when the sum for an account or
    for an address reaches AXES_FAILURE_LIMIT (AXES_LOCKOUT_PARAMETERS), so sum the same way here.
    """
    now = now or timezone.now()
    attempts = AccessAttempt.objects.all()
    if settings.AXES_COOLOFF_TIME:
        attempts = attempts.filter(attempt_time__gte=now - settings.AXES_COOLOFF_TIME)
    rows = []
    for kind, field in (("username", "username"), ("ip", "ip_address")):
        grouped = (attempts.exclude(**{f"{field}__isnull": True})
                   .values(field).annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
                   .filter(failures__gte=settings.AXES_FAILURE_LIMIT).order_by("-last"))
        for group in grouped:
            if not group[field]:
                continue
            until = group["last"] + settings.AXES_COOLOFF_TIME if settings.AXES_COOLOFF_TIME else None
            rows.append({"kind": kind, "value": group[field], "failures": group["failures"],
                         "last": group["last"], "until": until})
    return rows


@permission_required(UNLOCK_PERMISSION)
def lockouts(request):
    cooloff = settings.AXES_COOLOFF_TIME
    return TemplateResponse(request, "accounts/admin/lockouts.html", {
        "rows": current_lockouts(), "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cooloff_minutes": int(cooloff.total_seconds() // 60) if cooloff else None,
        "header_title": _("Locked logins"),
    })


@require_POST
@permission_required(UNLOCK_PERMISSION)
def unlock(request):
    kind, value = request.POST.get("kind"), (request.POST.get("value") or "").strip()
    if kind not in ("username", "ip") or not value:
        messages.error(request, _("Choose a locked login from the list."))
        return redirect("accounts_lockouts")
    # Never call reset() without a value: that would unlock everyone.
    removed = reset(username=value) if kind == "username" else reset(ip=value)
    if removed:
        messages.success(request, _("Unlocked: %(who)s. They can log in again.") % {"who": value})
    else:
        messages.info(request, _("%(who)s was no longer locked.") % {"who": value})
    return redirect("accounts_lockouts")


def locked_out(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: a page in the site's layout and the user's language, HTTP 429."""
    from django.shortcuts import render

    cooloff = settings.AXES_COOLOFF_TIME
    return render(request, "accounts/locked_out.html", {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cooloff_minutes": int(cooloff.total_seconds() // 60) if cooloff else None,
    }, status=429)

