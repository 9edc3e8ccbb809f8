from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AccountManager(UserManager):
    """Django's manager, but a user may be created without a username (residents log in by email)."""

    def _create_user(self, username, email, password, **extra_fields):
        if username:
            return super()._create_user(username, email, password, **extra_fields)
        email = self.normalize_email(email)
        if not email:
            raise ValueError("A user needs a username (staff) or an email address (residents).")
        user = self.model(username=None, email=email, **extra_fields)
        user.password = ""
        user.set_password(password) if password else user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_user(self, username=None, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(username, email, password, **extra_fields)


class User(AbstractUser):
    """Everyone who logs in: staff through the Wagtail admin, residents and intermediaries by email code.

    A custom model from the first migration, so later fields (organisation, phone) need no swap.

    Two ways to be identified, never an empty one:
    - staff log in to the Wagtail admin with a username and password (`username` unique);
    - residents and intermediaries log in by an emailed code (allauth); their identifier is the email
      address, unique without regard to case among accounts that have one, and their `username` is NULL
      (allauth's ACCOUNT_USER_MODEL_USERNAME_FIELD = None). NULLs do not collide in a unique column, so
      any number of email-only accounts can exist.
    """

    username = models.CharField(
        _("username"), max_length=150, unique=True, null=True, blank=True,
        validators=[AbstractUser.username_validator],
        help_text=_("Only for staff who log in to the admin. Letters, digits and @/./+/-/_ only."),
        error_messages={"unique": _("A user with that username already exists.")},
    )
    email = models.EmailField(_("email address"), blank=True, db_index=True)
    display_name = models.CharField(_("name shown to others"), max_length=150, blank=True)
    # Set when the retention rule warned that this inactive account will be deleted (accounts/retention.py).
    inactivity_warned_at = models.DateTimeField(_("warned about inactivity"), null=True, blank=True, editable=False)

    objects = AccountManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        # What a role may do that is not about one model; granted in accounts.roles.ROLE_PERMISSIONS,
        # checked through accounts.permissions.
        permissions = [
            ("facilitate", _("May facilitate: check people in and run the formats at events")),
            ("act_as_intermediary", _("Works as an intermediary: invitations and signing people up")),
        ]
        constraints = [
            models.UniqueConstraint(
                Lower("email"), condition=~Q(email=""), name="accounts_user_email_unique_ci",
                violation_error_message=_("An account with this email address already exists."),
            ),
        ]

    def __str__(self):
        return self.display_name or self.get_full_name() or self.email or self.username or f"#{self.pk}"

    def save(self, *args, **kwargs):
        # One spelling of "no username": NULL, which never collides with another account's.
        if not self.username:
            self.username = None
        super().save(*args, **kwargs)


class ErasureRecord(models.Model):
    """That someone's personal data was erased on their own request (GDPR art. 17), without who.

    It keeps when, how the person was identified (personal link or logged-in account) and how many
    records of each kind were anonymised or deleted. Never a name, address, number or hash.
    """

    class Via(models.TextChoices):
        LINK = "link", _("Personal link sent by email or SMS")
        ACCOUNT = "account", _("Logged-in account")

    created_at = models.DateTimeField(_("erased at"), default=timezone.now, db_index=True)
    via = models.CharField(_("how the person was identified"), max_length=10, choices=Via.choices)
    counts = models.JSONField(_("records per kind"), default=dict)

    class Meta:
        verbose_name = _("erasure on request")
        verbose_name_plural = _("erasures on request")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} ({self.get_via_display()})"


class DataAccessLink(models.Model):
    """A one-hour link to a resident's own data, sent to the email address or number it is for.

    Only a SHA-256 hash of the link's random token is stored, so the database alone cannot open it.
    The address is kept only while the link is valid (expired links are deleted by retention and on
    every new request); erasure deletes the link at once.
    """

    token_hash = models.CharField(max_length=64, unique=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=20, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("link to one's own data")
        verbose_name_plural = _("links to one's own data")


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
