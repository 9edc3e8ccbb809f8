"""Consultations: a questionnaire (a StreamField of question blocks), asked of an audience in a period.

- `Questionnaire` (snippet): what coordinators edit. `QuestionnaireVersion`: a frozen copy of its
  questions. The first response to a changed questionnaire makes a new version when the last one already
  has answers; every response points at the version it answered, so results say which version.
- `Consultation` (snippet): questionnaire + audience (panel members, a pool, an event's participants, a
  pasted contact list, or an open link) + period.
- `Invitation`: one person asked, with a personal link (one response, resumable, no account). The contact
  details are cut off by the retention rule after the consultation closes.
- `Response`: the answers ({code: value}), how they were given (web, paper, phone; by whom) and a
  `profile` snapshot of the respondent's demographic categories for weighting.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import StreamField

from .blocks import QuestionStreamBlock


def new_token():
    return secrets.token_urlsafe(16)


class Questionnaire(models.Model):
    title = models.CharField(_("title"), max_length=200)
    introduction = models.TextField(_("introduction"), blank=True,
                                    help_text=_("Shown before the first question: what it is for, how long it takes."))
    body = StreamField(QuestionStreamBlock(), verbose_name=_("questions"), blank=True, use_json_field=True)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    panels = [FieldPanel("title"), FieldPanel("introduction"), FieldPanel("body")]

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        ordering = ["title"]

    def __str__(self):
        return self.title


class QuestionnaireVersion(models.Model):
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    introduction = models.TextField(_("introduction"), blank=True)
    questions = models.JSONField(_("questions"), default=list)  # the StreamField's raw data
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("questionnaire version")
        ordering = ["questionnaire", "number"]
        constraints = [models.UniqueConstraint(fields=["questionnaire", "number"], name="consultations_one_number")]

    def __str__(self):
        return f"{self.title} (v{self.number})"


class Audience(models.TextChoices):
    PANEL = "panel", _("A panel's members")
    POOL = "pool", _("A panel's pool (everyone who applied)")
    EVENT = "event", _("An event's participants")
    CONTACTS = "contacts", _("A list of contacts")
    OPEN = "open", _("Open to anyone (public link and QR code)")


class Consultation(models.Model):
    title = models.CharField(_("title"), max_length=200)
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="consultations",
                                      verbose_name=_("questionnaire"))
    audience = models.CharField(_("who is asked"), max_length=10, choices=Audience.choices, default=Audience.OPEN)
    panel = models.ForeignKey("panels.Panel", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("panel"), help_text=_("For a panel's members or pool."))
    event = models.ForeignKey("events.EventPage", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+", verbose_name=_("event"),
                              help_text=_("For an event's participants (asked after the event)."))
    opens_at = models.DateTimeField(_("opens"), default=timezone.now)
    closes_at = models.DateTimeField(_("closes"))
    one_question_per_screen = models.BooleanField(
        _("one question per screen"), default=True,
        help_text=_("Easier on a phone. Otherwise all questions are on one page."))
    reminder_days = models.PositiveSmallIntegerField(
        _("reminder after (days)"), default=7, help_text=_("0 = no reminder. Only people who did not finish."))
    open_key = models.CharField(max_length=32, unique=True, default=new_token, editable=False)
    # Weighting: the population of this area, on these dimensions (in this order).
    area = models.ForeignKey("population.Area", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("municipality for weighting"),
                             help_text=_("Results can be weighted to this municipality's population."))
    weighting_dimensions = models.CharField(
        _("weight on"), max_length=200, blank=True, default="age_band,gender",
        help_text=_("Dimensions, comma-separated, in the order of raking: age_band, gender, wijk or an uploaded one."))
    trim_weights = models.DecimalField(
        _("cap weights at (x the mean)"), max_digits=4, decimal_places=1, null=True, blank=True,
        help_text=_("Empty = no capping. Capping makes results less exact for the population; it is said so."))
    publish_results = models.BooleanField(_("publish the results"), default=False)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    unlinked_at = models.DateTimeField(_("people unlinked at"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    panels = [
        FieldPanel("title"), FieldPanel("questionnaire"),
        MultiFieldPanel([FieldPanel("audience"), FieldPanel("panel"), FieldPanel("event")], heading=_("Who is asked")),
        FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")], heading=_("Period")),
        FieldPanel("one_question_per_screen"), FieldPanel("reminder_days"),
        MultiFieldPanel([FieldPanel("area"), FieldPanel("weighting_dimensions"), FieldPanel("trim_weights")],
                        heading=_("Weighting")),
        FieldPanel("publish_results"),
    ]

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        ordering = ["-opens_at"]

    def __str__(self):
        return self.title

    def clean(self):
        from django.core.exceptions import ValidationError

        errors = {}
        if self.closes_at and self.opens_at and self.closes_at <= self.opens_at:
            errors["closes_at"] = _("The closing time must be after the opening time.")
        if self.audience in (Audience.PANEL, Audience.POOL) and not self.panel_id:
            errors["panel"] = _("Choose the panel.")
        if self.audience == Audience.EVENT and not self.event_id:
            errors["event"] = _("Choose the event.")
        if errors:
            raise ValidationError(errors)

    def is_open(self, now=None):
        now = now or timezone.now()
        return self.opens_at <= now < self.closes_at and self.closed_at is None

    @property
    def dimensions(self):
        return [d.strip() for d in self.weighting_dimensions.split(",") if d.strip()]


class Invitation(models.Model):
    class Source(models.TextChoices):
        PANEL = "panel", _("panel member")
        POOL = "pool", _("pool")
        EVENT = "event", _("event participant")
        CONTACTS = "contacts", _("contact list")

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="invitations")
    token = models.CharField(max_length=32, unique=True, default=new_token, editable=False)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("email address"), blank=True)
    phone = models.CharField(_("phone number"), max_length=20, blank=True)
    language = models.CharField(_("language"), max_length=8, default="nl")
    volunteer = models.ForeignKey("panels.Volunteer", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    registration = models.ForeignKey("events.Registration", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    profile = models.JSONField(_("groups (for response by group)"), default=dict, blank=True)
    wave = models.PositiveSmallIntegerField(_("wave"), default=1)
    invited_at = models.DateTimeField(_("invited at"), default=timezone.now)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)
    unlinked_at = models.DateTimeField(_("unlinked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        ordering = ["consultation", "id"]

    def __str__(self):
        return self.name or self.email or self.phone or f"#{self.pk}"


class Response(models.Model):
    class Mode(models.TextChoices):
        WEB = "web", _("online")
        PAPER = "paper", _("paper form, typed in")
        PHONE = "phone", _("phone interview")
        ASSISTED = "assisted", _("helped in person")

    class Channel(models.TextChoices):
        INVITATION = "invitation", _("personal link")
        OPEN = "open", _("open link or QR code")
        STAFF = "staff", _("entered by staff")

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="responses")
    version = models.ForeignKey(QuestionnaireVersion, on_delete=models.PROTECT, related_name="responses")
    invitation = models.OneToOneField(Invitation, null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="response")
    token = models.CharField(max_length=32, unique=True, default=new_token, editable=False)
    mode = models.CharField(_("how"), max_length=10, choices=Mode.choices, default=Mode.WEB)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.OPEN)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("entered by"))
    language = models.CharField(_("language"), max_length=8, default="nl")
    answers = models.JSONField(_("answers"), default=dict)
    profile = models.JSONField(_("groups for weighting"), default=dict, blank=True)
    step = models.PositiveSmallIntegerField(default=0)
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)

    class Meta:
        verbose_name = _("response")
        ordering = ["consultation", "id"]
        indexes = [models.Index(fields=["consultation", "completed_at"])]

    def __str__(self):
        return f"{self.consultation} #{self.pk}"
