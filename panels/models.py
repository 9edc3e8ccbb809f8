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
    response_days = models.PositiveSmallIntegerField(
        _("days to answer"), default=7,
        help_text=_("How long someone who is drawn has to confirm or decline (one reminder is sent)."),
    )
    response_days_extended = models.PositiveSmallIntegerField(
        _("days to answer for groups that drop out more"), default=14,
        help_text=_("Young people (15 to 24) often answer later and drop out more: they get this many days. "
                    "Set it to the same number as above for no difference."),
    )
    meetings = models.ManyToManyField(
        "events.EventPage", blank=True, related_name="+", verbose_name=_("meetings"),
        help_text=_("The panel's meetings (events); members see them on their personal page."),
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

    def response_days_for(self, volunteer):
        """The simple rule for a longer deadline: people aged 15 to 24 drop out more during confirmation
        (Sortition Foundation's guidance), so they get `response_days_extended` days."""
        if volunteer.age_band in EXTENDED_DEADLINE_AGE_BANDS:
            return max(self.response_days, self.response_days_extended)
        return self.response_days


# Who gets the longer time to answer (Panel.response_days_extended).
EXTENDED_DEADLINE_AGE_BANDS = ("15-24",)


def new_reference():
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(8))


def new_token():
    return secrets.token_urlsafe(16)  # 128 bits: unguessable, short enough for an SMS


class VolunteerQuerySet(models.QuerySet):
    """The states of a volunteer, named once."""

    def live(self):
        """Applications that still count: not withdrawn."""
        return self.exclude(status=self.model.Status.WITHDRAWN)

    def eligible(self):
        """Still in the pool: may be drawn. Applied, or not selected earlier but agreed to stay on the
        reserve list (drawn only to replace someone who drops out)."""
        Status = self.model.Status
        return self.filter(
            models.Q(status=Status.AVAILABLE) | models.Q(status=Status.NOT_SELECTED, reserve_consent=True)
        )

    def selected(self):
        return self.filter(status=self.model.Status.SELECTED)


class Volunteer(Demographics):
    """Someone who applied for a panel through its call: the pool the panel is drawn from.

    The status follows the person after the lottery (issue 14): applied ("available") → selected →
    confirmed / declined / no answer → member → left; applied → not selected (on the reserve list for
    replacements only if they agreed). Withdrawn: they took their application back.
    """

    class Status(models.TextChoices):
        AVAILABLE = "available", _("Applied")
        SELECTED = "selected", _("Selected, waiting for an answer")
        CONFIRMED = "confirmed", _("Confirmed")
        DECLINED = "declined", _("Declined")
        NO_ANSWER = "no_answer", _("No answer in time")
        MEMBER = "member", _("Member")
        LEFT = "left", _("Left the panel")
        NOT_SELECTED = "not_selected", _("Not selected")
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
    reserve_consent = models.BooleanField(
        _("may stay on the reserve list"), default=False,
        help_text=_("If not selected, this person may be drawn later to replace someone who drops out."),
    )
    language = models.CharField(_("language"), max_length=8, default="nl")
    token = models.CharField(max_length=64, unique=True, null=True, default=new_token, editable=False)
    told_at = models.DateTimeField(_("told the result at"), null=True, blank=True)
    respond_by = models.DateTimeField(_("answer before"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
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


class Compensation(models.Model):
    """A member's compensation (vergoeding) for one meeting: how much and whether it is paid (issue 14, point 7).

    Kept for the bookkeeping obligation (RETENTION["compensation_years"], default 7 years after the year
    of the meeting); the person's name is not stored here but read from the application, so it goes with
    the application's own retention rule.
    """

    member = models.ForeignKey(PanelMember, on_delete=models.PROTECT, related_name="compensations",
                               verbose_name=_("member"))
    meeting = models.ForeignKey("events.EventPage", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+", verbose_name=_("meeting"))
    meeting_date = models.DateField(_("date of the meeting"))
    amount = models.DecimalField(_("amount (euro)"), max_digits=7, decimal_places=2)
    paid = models.BooleanField(_("paid"), default=False)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("compensation")
        verbose_name_plural = _("compensations")
        ordering = ["-meeting_date", "member"]
        constraints = [
            models.UniqueConstraint(fields=["member", "meeting"], condition=models.Q(meeting__isnull=False),
                                    name="panels_one_compensation_per_member_per_meeting"),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="panels_compensation_not_negative"),
        ]

    def __str__(self):
        return f"{self.member.volunteer.reference} · {self.meeting_date} · € {self.amount}"
