from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """Everyone who logs in: staff through the Wagtail admin, residents and intermediaries by email code.

    A custom model from the first migration, so later fields (organisation, phone) need no swap.
    The username stays for Wagtail's admin login; allauth users get their email as username.
    """

    email = models.EmailField(_("email address"), blank=True, db_index=True)
    display_name = models.CharField(_("name shown to others"), max_length=150, blank=True)
    # Set when the retention rule warned that this inactive account will be deleted (accounts/retention.py).
    inactivity_warned_at = models.DateTimeField(_("warned about inactivity"), null=True, blank=True, editable=False)

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.display_name or self.get_full_name() or self.email or self.username


class AccessAction(models.TextChoices):
    VIEW = "view", _("Viewed")
    LIST = "list", _("Listed")
    SEARCH = "search", _("Searched")
    EXPORT = "export", _("Exported")
    ERASE = "erase", _("Erased")


class AccessLogEntry(models.Model):
    """Who looked at, searched or exported residents' personal data, when, and which records.

    Written through `participation.audit.record`. Never holds the personal values themselves: a model,
    record ids, the filters used (free-text searches only as "a search") and a row count. Deleted by
    `accounts/retention.py` after `RETENTION["access_log_months"]`.
    """

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("who"),
    )
    username = models.CharField(_("username"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=10, choices=AccessAction.choices)
    model = models.CharField(_("what"), max_length=100, db_index=True)
    where = models.CharField(_("screen"), max_length=100, blank=True)
    object_ids = models.JSONField(_("record numbers"), default=list, blank=True)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    count = models.PositiveIntegerField(_("rows"), null=True, blank=True)

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action} {self.model}"
