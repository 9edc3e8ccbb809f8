"""Retention rules for accounts, logins and logs: the "who" of the platform.

- Residents' accounts (not staff: no `is_staff`/`is_superuser`, in no role group) with no login for
  `RETENTION["accounts_inactive_months"]` (24) months are deleted. `accounts_warning_months` (1) before that
  the resident gets one email through messaging; the account is deleted only when that warning went out at
  least that long ago, so nobody loses an account without notice. Logging in again starts the clock anew.
  Accounts without an email address cannot be warned and are deleted on the clock. Their allauth email
  addresses go with them; registrations and other records keep their own clocks (they no longer point to
  the account).
- Links to one's own data: an expired link (one hour) is deleted with its address
  (`accounts.services.request_link` also deletes expired links whenever someone asks for a new one).
- Failed logins (django-axes): a counter (account name, IP address, browser) is kept only while it can
  still lock someone out, i.e. for AXES_COOLOFF_TIME after the last failure.
- Sessions (which also hold allauth's login codes) are deleted once expired, as `manage.py clearsessions`.
- The access log (`AccessLogEntry`) and Wagtail's own log of changes in the admin (`ModelLogEntry`) are
  deleted after `RETENTION["access_log_months"]` (24). Before that, an entry of Wagtail's log whose record
  has been deleted or anonymised (its name no longer matches the label) loses its label and data, because
  Wagtail stores the record's name there (e.g. a volunteer's name). Page history (`PageLogEntry`,
  revisions) holds page content, which is published or staff's work, and is kept with the page.
"""

from datetime import timedelta

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, override

from participation.site import absolute

from .models import AccessLogEntry
from .services import purge_expired_links

SCRUBBED_LABEL = "[verwijderd]"


def _months(key, default):
    return int(getattr(settings, "RETENTION", {}).get(key, default))


def months_ago(now, months):
    return now - timedelta(days=round(months * 30.44))


def describe():
    """For the privacy page: what these rules keep and for how long."""
    inactive = _months("accounts_inactive_months", 24)
    warning = _months("accounts_warning_months", 1)
    log = _months("access_log_months", 24)
    return [{
        "what": _("Your account: email address and name, if you made an account"),
        "why": _("So that you can log in and see your own registrations."),
        "how_long": ngettext(
            "Until %(months)s months after your last login. We send you an email %(warning)s month before we "
            "delete it.",
            "Until %(months)s months after your last login. We send you an email %(warning)s months before we "
            "delete it.", warning) % {"months": inactive, "warning": warning},
        "tables": ["accounts_user", "account_emailaddress"],
    }, {
        "what": _("Login data (session cookie, login code)"),
        "why": _("To keep you logged in and to check the code we email you."),
        "how_long": _("Until the session ends (at most %(days)s days)") % {
            "days": settings.SESSION_COOKIE_AGE // 86400},
        "tables": ["django_session"],
    }, {
        "what": _("Which staff member looked at personal data, and when"),
        "why": _("So that the municipality can check that nobody looks at your data without a reason."),
        "how_long": _("%(months)s months") % {"months": log},
        "tables": ["accounts_accesslogentry", "wagtailcore_modellogentry"],
    }, {
        "what": _("A link to your own data that we sent you (with your email address or number)"),
        "why": _("So that only you can open your data."),
        "how_long": _("One hour"),
        "tables": ["accounts_dataaccesslink"],
    }, {
        "what": _("Failed logins of staff (account name, internet address, browser)"),
        "why": _("To stop people guessing passwords."),
        "how_long": _("%(minutes)s minutes after the last failed attempt") % {
            "minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60) if settings.AXES_COOLOFF_TIME else 0},
        "tables": ["axes_accessattempt"],
    }]


def staff_q(prefix=""):
    return Q(**{f"{prefix}is_staff": True}) | Q(**{f"{prefix}is_superuser": True}) | Q(
        **{f"{prefix}groups__isnull": False})


def residents():
    User = get_user_model()
    return User.objects.exclude(pk__in=User.objects.filter(staff_q()).values("pk")).annotate(
        last_activity=Coalesce("last_login", "date_joined"))


def warn_inactive_accounts(now):
    from messaging.services import queue

    months = _months("accounts_inactive_months", 24)
    warning = _months("accounts_warning_months", 1)
    due = residents().filter(last_activity__lt=months_ago(now, months - warning)).exclude(email="").filter(
        Q(inactivity_warned_at__isnull=True) | Q(inactivity_warned_at__lt=Coalesce("last_login", "date_joined")))
    count = 0
    for user in due:
        with override(settings.LANGUAGE_CODE):
            login_url = absolute(reverse("account_login"))
            subject = str(_("Your account will be deleted"))
            body = str(_(
                "You have not logged in for a long time. We delete accounts that are not used, to protect "
                "your data. If you do not log in before %(date)s, we will delete your account.\n\n"
                "Do you want to keep it? Log in here: %(link)s"
            ) % {"date": timezone.localtime(now + timedelta(days=round(warning * 30.44))).strftime("%d-%m-%Y"),
                 "link": login_url})
        queue(channel="email", recipient=user.email, subject=subject, body=body, purpose="account_inactive",
              dedupe_key=f"accounts:inactive:{user.pk}:{user.last_activity:%Y%m%d%H%M%S}")
        type(user).objects.filter(pk=user.pk).update(inactivity_warned_at=now)
        count += 1
    return count


def delete_inactive_accounts(now):
    months = _months("accounts_inactive_months", 24)
    warning = _months("accounts_warning_months", 1)
    inactive = residents().filter(last_activity__lt=months_ago(now, months))
    warned_in_time = Q(inactivity_warned_at__lte=months_ago(now, warning),
                       inactivity_warned_at__gte=Coalesce("last_login", "date_joined"))
    due = inactive.filter(warned_in_time | Q(email=""))
    count = 0
    for user in due:
        _delete_email_addresses(user)
        user.delete()
        count += 1
    return count


def _delete_email_addresses(user):
    from allauth.account.models import EmailAddress

    EmailAddress.objects.filter(user=user).delete()


def clear_sessions(now):
    from django.contrib.sessions.models import Session

    if settings.SESSION_ENGINE in ("django.contrib.sessions.backends.db", "django.contrib.sessions.backends.cached_db"):
        deleted, _detail = Session.objects.filter(expire_date__lt=now).delete()
        return deleted
    from importlib import import_module

    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
    return 0


def clean_wagtail_log(now):
    """Delete Wagtail's admin log after the period; before that, scrub entries whose record is gone or renamed."""
    from wagtail.models import ModelLogEntry

    before = months_ago(now, _months("access_log_months", 24))
    deleted, _detail = ModelLogEntry.objects.filter(timestamp__lt=before).delete()
    scrubbed = 0
    entries = ModelLogEntry.objects.exclude(label=SCRUBBED_LABEL).select_related("content_type")
    cache = {}
    for entry in entries.iterator():
        key = (entry.content_type_id, entry.object_id)
        if key not in cache:
            model = entry.content_type.model_class()
            obj = model._default_manager.filter(pk=entry.object_id).first() if model else None
            cache[key] = str(obj) if obj is not None else None
        if cache[key] != entry.label:
            entry.label = SCRUBBED_LABEL
            entry.data = {}
            entry.save(update_fields=["label", "data"])
            scrubbed += 1
    return deleted, scrubbed


def apply(now):
    warned = warn_inactive_accounts(now)
    deleted_accounts = delete_inactive_accounts(now)
    before = months_ago(now, _months("access_log_months", 24))
    access_log, _detail = AccessLogEntry.objects.filter(at__lt=before).delete()
    log_deleted, log_scrubbed = clean_wagtail_log(now)
    cooloff = getattr(settings, "AXES_COOLOFF_TIME", None)
    counters = AccessAttempt.objects.filter(attempt_time__lt=now - cooloff).delete()[0] if cooloff else 0
    return {
        "expired 'my data' links deleted": purge_expired_links(now),
        "failed-login counters deleted": counters,
        "inactive accounts warned": warned,
        "inactive accounts deleted": deleted_accounts,
        "expired sessions deleted": clear_sessions(now),
        "access log entries deleted": access_log,
        "admin log entries deleted": log_deleted,
        "admin log entries without name": log_scrubbed,
    }
