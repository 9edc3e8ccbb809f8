import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from population.models import Area, Demographics


class Panel(models.Model):
    class Status(models.TextChoices):
        RECRUITING = "recruiting", _("Recruiting")
        SELECTING = "selecting", _("Selecting")
        ACTIVE = "active", _("Active")
        ENDED = "ended", _("Ended")

    name = models.CharField(_("name"), max_length=200)
    purpose = models.TextField(_("purpose"), help_text=_("What the panel is for, in plain words."))
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="panels", verbose_name=_("area"),
        help_text=_("The municipality or wijk whose residents the panel should reflect."),
    )
    min_age = models.PositiveSmallIntegerField(_("minimum age"), default=16)
    max_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    target_size = models.PositiveSmallIntegerField(_("target size"), default=15)
    term_start = models.DateField(_("term starts"), null=True, blank=True)
    term_end = models.DateField(_("term ends"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.RECRUITING)
    quota_tolerance = models.PositiveSmallIntegerField(
        _("quota tolerance"), default=0,
        help_text=_("Extra seats allowed below and above each quota when selecting (0 = strict)."),
    )
    call_text = models.TextField(
        _("text of the call"), blank=True,
        help_text=_("Shown above the sign-up form for volunteers."),
    )
    publish_representativeness = models.BooleanField(
        _("publish representativeness"), default=False,
        help_text=_("Show the panel's make-up against the population on the public panel page "
                    "(groups smaller than 5 are shown as '<5')."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("panel")
        verbose_name_plural = _("panels")
        ordering = ["-created_at"]

    def __str__(self):
        return self.name

    def current_members(self):
        return self.members.filter(left_on__isnull=True).select_related("volunteer", "volunteer__wijk")


def new_reference():
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(8))


class VolunteerQuerySet(models.QuerySet):
    """The states of a volunteer, named once."""

    def live(self):
        """Applications that still count: not withdrawn."""
        return self.exclude(status=self.model.Status.WITHDRAWN)

    def eligible(self):
        """Still in the pool: may be drawn."""
        return self.filter(status=self.model.Status.AVAILABLE)

    def selected(self):
        return self.filter(status=self.model.Status.SELECTED)


class Volunteer(Demographics):
    """Someone who applied for a panel through its call: the pool the panel is drawn from."""

    class Status(models.TextChoices):
        AVAILABLE = "available", _("In the pool")
        SELECTED = "selected", _("Selected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="pool", verbose_name=_("panel"))
    reference = models.CharField(
        _("reference"), max_length=8, unique=True, default=new_reference, editable=False,
        help_text=_("A number without a name, used in the published selection record."),
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email address"), blank=True)
    phone = models.CharField(_("phone number"), max_length=20, blank=True)
    # Self-reported age band, gender, wijk and origin (with consent): population.models.Demographics.
    extra = models.JSONField(
        _("other characteristics"), default=dict, blank=True,
        help_text=_("Answers for extra dimensions, for example {\"education\": \"hbo_wo\"}."),
    )
    motivation = models.TextField(_("motivation"), blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("registered by"),
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.AVAILABLE)
    created_at = models.DateTimeField(_("applied at"), auto_now_add=True)
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)

    objects = VolunteerQuerySet.as_manager()

    class Meta:
        verbose_name = _("volunteer")
        verbose_name_plural = _("volunteers (pool)")
        ordering = ["created_at", "id"]
        constraints = [
            # One live application per person per panel: the same address (stored in lower case) or
            # number (E.164) once, unless the earlier application was withdrawn.
            models.UniqueConstraint(
                fields=["panel", "email"], condition=~models.Q(email="") & ~models.Q(status="withdrawn"),
                name="panels_one_application_per_email",
            ),
            models.UniqueConstraint(
                fields=["panel", "phone"], condition=~models.Q(phone="") & ~models.Q(status="withdrawn"),
                name="panels_one_application_per_phone",
            ),
        ]

    def __str__(self):
        return self.name or self.reference


class PanelMember(models.Model):
    class Role(models.TextChoices):
        MEMBER = "member", _("Member")
        CHAIR = "chair", _("Chair")
        RESERVE = "reserve", _("Reserve")

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="members", verbose_name=_("panel"))
    volunteer = models.ForeignKey(
        Volunteer, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("volunteer"),
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)
    leave_reason = models.CharField(_("reason for leaving"), max_length=200, blank=True)
    replaces = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replaced_by",
        verbose_name=_("replaces"),
    )

    class Meta:
        verbose_name = _("panel member")
        verbose_name_plural = _("panel members")
        ordering = ["panel", "joined_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["panel", "volunteer"], condition=models.Q(left_on__isnull=True),
                name="panels_one_current_membership",
            )
        ]

    def __str__(self):
        return f"{self.volunteer} ({self.get_role_display()})"


class SelectionRun(models.Model):
    """The audit record of one lottery: enough to check it, publishable without names."""

    class Kind(models.TextChoices):
        SELECTION = "selection", _("Selection of the panel")
        REPLACEMENT = "replacement", _("Replacement of a member who left")

    class Outcome(models.TextChoices):
        DRAWN = "drawn", _("Panel drawn")
        INFEASIBLE = "infeasible", _("Quotas cannot be met")

    panel = models.ForeignKey(
        Panel, on_delete=models.CASCADE, related_name="selection_runs", verbose_name=_("panel"),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.SELECTION)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices)
    algorithm = models.CharField(_("algorithm"), max_length=20)
    seed = models.BigIntegerField(_("seed"))
    size = models.PositiveSmallIntegerField(_("panel size"))
    pool_size = models.PositiveIntegerField(_("pool size"))
    pool_hash = models.CharField(_("pool snapshot hash (SHA-256)"), max_length=64)
    quotas = models.JSONField(_("quotas"), default=list)
    probabilities = models.JSONField(_("selection probabilities"), default=dict)
    min_probability = models.FloatField(_("smallest probability"), null=True, blank=True)
    drawn = models.JSONField(_("drawn"), default=list)
    messages = models.JSONField(_("messages"), default=list, blank=True)
    seconds = models.FloatField(_("seconds"), null=True, blank=True)
    published = models.BooleanField(_("published"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("run by"),
    )

    class Meta:
        verbose_name = _("selection run")
        verbose_name_plural = _("selection runs")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.panel} · {self.get_kind_display()} · {self.created_at:%Y-%m-%d %H:%M}"
