"""Outcomes: one door for signals, the recommendations register, and "you said, we did" pages."""

import secrets

from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.snippets.models import register_snippet

from participation.forms import LockedAdminModelForm

SIGNAL_MAX_LENGTH = 4000


def new_token():
    return secrets.token_urlsafe(24)


@register_snippet
class Department(models.Model):
    """A team of the municipality that handles signals, with the address that receives them."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    email = models.EmailField(_("email address"))
    themes = models.ManyToManyField(
        "content.Theme", blank=True, related_name="departments", verbose_name=_("themes"),
        help_text=_("Themes this department usually handles."),
    )

    panels = [FieldPanel("name"), FieldPanel("email"), FieldPanel("themes")]

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["name"]

    def __str__(self):
        return self.name


class SignalKind(models.TextChoices):
    COMPLAINT = "complaint", _("Complaint")
    SIGNAL = "signal", _("Signal")
    IDEA = "idea", _("Idea")
    QUESTION = "question", _("Question")


class SignalStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    ROUTED = "routed", _("Passed on to a department")
    IN_PROGRESS = "in_progress", _("Being handled")
    CLOSED = "closed", _("Closed")


class SignalSource(models.TextChoices):
    FORM = "form", _("Web form")
    STAFF = "staff", _("Taken down by staff (phone, counter)")


class SignalQuerySet(models.QuerySet):
    def open(self):
        """Not closed yet: received, passed on or being handled."""
        return self.exclude(status=SignalStatus.CLOSED)


class Signal(models.Model):
    """What a resident told us through the one door: a problem, a signal or an idea.

    The resident does not classify it; staff set kind, theme and department when they triage.
    Contact details are optional and removed by the retention rule after the signal is closed.
    """

    text = models.TextField(_("what the resident told us"), max_length=SIGNAL_MAX_LENGTH)
    place = models.CharField(_("where (street or wijk)"), max_length=200, blank=True)
    name = models.CharField(_("name"), max_length=120, blank=True)
    email = models.EmailField(_("email address"), blank=True)
    phone = models.CharField(_("phone number"), max_length=20, blank=True)
    source = models.CharField(
        _("came in through"), max_length=10, choices=SignalSource.choices, default=SignalSource.FORM
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)

    kind = models.CharField(_("kind"), max_length=10, choices=SignalKind.choices, blank=True)
    theme = models.ForeignKey(
        "content.Theme", null=True, blank=True, on_delete=models.SET_NULL, related_name="signals",
        verbose_name=_("theme"),
    )
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.SET_NULL, related_name="signals",
        verbose_name=_("department"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=SignalStatus.choices, default=SignalStatus.RECEIVED
    )

    created_at = models.DateTimeField(_("received"), default=timezone.now, db_index=True)
    routed_at = models.DateTimeField(_("passed on"), null=True, blank=True)
    last_reply_at = models.DateTimeField(_("last reply to the resident"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("personal data removed"), null=True, blank=True)

    objects = SignalQuerySet.as_manager()

    class Meta:
        verbose_name = _("signal")
        verbose_name_plural = _("signals")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self):
        text = self.text if len(self.text) <= 60 else self.text[:57] + "…"
        return f"#{self.pk} {text}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("outcomes:signal_status", args=[self.token])

    @property
    def is_closed(self):
        return self.status == SignalStatus.CLOSED

    @property
    def reference(self):
        return f"S-{self.pk:05d}" if self.pk else ""

    def contact(self):
        from messaging.services import Contact

        return Contact(email=self.email, phone=self.phone)


class SignalUpdate(models.Model):
    """One step in a signal's life: a status change, a reply to the resident, an internal note."""

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="updates")
    created_at = models.DateTimeField(_("when"), default=timezone.now)
    status = models.CharField(_("status"), max_length=12, choices=SignalStatus.choices, blank=True)
    public_message = models.TextField(_("message to the resident"), blank=True)
    internal_note = models.TextField(_("internal note"), blank=True)
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("passed on to"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("by"),
    )

    class Meta:
        verbose_name = _("signal update")
        verbose_name_plural = _("signal updates")
        ordering = ["created_at", "pk"]


class RecommendationSource(models.TextChoices):
    PANEL = "panel", _("Residents' panel")
    ADVISORY_COUNCIL = "advisory_council", _("Advisory council (adviesraad sociaal domein)")
    QUALITY_RESEARCH = "quality_research", _("Quality research")
    OTHER = "other", _("Other")


class RecommendationStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Carried out")
    NOT_ADOPTED = "not_adopted", _("Not adopted")


SETTLED_RECOMMENDATION = (RecommendationStatus.DONE, RecommendationStatus.NOT_ADOPTED)


class RecommendationQuerySet(models.QuerySet):
    def unsettled(self):
        """Not carried out and not rejected: still to follow up."""
        return self.exclude(status__in=SETTLED_RECOMMENDATION)


class Recommendation(models.Model):
    """One recommendation in the register (aanbevelingenregister), followed until it is dealt with."""

    title = models.CharField(_("recommendation"), max_length=255)
    description = models.TextField(_("explanation"), blank=True)
    source_type = models.CharField(
        _("source"), max_length=20, choices=RecommendationSource.choices,
        default=RecommendationSource.PANEL,
    )
    source_name = models.CharField(
        _("from whom"), max_length=200, blank=True,
        help_text=_("For example: Adviesraad Sociaal Domein, advice of 12 March."),
    )
    received_on = models.DateField(_("received on"), default=timezone.localdate)
    theme = models.ForeignKey(
        "content.Theme", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="recommendations", verbose_name=_("theme"),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="recommendations", verbose_name=_("owner (user)"),
    )
    owner_name = models.CharField(_("owner (name)"), max_length=120, blank=True)
    owner_email = models.EmailField(
        _("owner (email)"), blank=True,
        help_text=_("Used when the owner has no account; reminders go here."),
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=RecommendationStatus.choices,
        default=RecommendationStatus.OPEN,
    )
    response = models.TextField(_("response of the municipality"), blank=True)
    responded_on = models.DateField(_("responded on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Two coordinators editing one recommendation: the second, stale save is refused (see the mixin).
    base_form_class = LockedAdminModelForm

    panels = [
        FieldPanel("title"),
        FieldPanel("description"),
        MultiFieldPanel(
            [FieldPanel("source_type"), FieldPanel("source_name"), FieldPanel("received_on"),
             FieldPanel("theme")],
            heading=_("Where it comes from"),
        ),
        MultiFieldPanel(
            [FieldPanel("owner"), FieldPanel("owner_name"), FieldPanel("owner_email"),
             FieldPanel("due_date"), FieldPanel("status")],
            heading=_("Follow-up"),
        ),
        MultiFieldPanel(
            [FieldPanel("response"), FieldPanel("responded_on")], heading=_("Response")
        ),
    ]

    objects = RecommendationQuerySet.as_manager()

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        ordering = ["due_date", "pk"]

    def __str__(self):
        return self.title

    def clean(self):
        from django.core.exceptions import ValidationError

        errors = {}
        if not (self.owner_id or self.owner_name or self.owner_email):
            errors["owner_name"] = _("Say who owns this recommendation: a user, or a name and email.")
        if self.status == RecommendationStatus.NOT_ADOPTED and not self.response.strip():
            errors["response"] = _("Explain why the recommendation is not adopted.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_settled(self):
        return self.status in SETTLED_RECOMMENDATION

    def is_overdue(self, today=None):
        today = today or timezone.localdate()
        return bool(self.due_date) and not self.is_settled and self.due_date < today

    @property
    def source_label(self):
        label = self.get_source_type_display()
        return f"{label}: {self.source_name}" if self.source_name else label

    @property
    def owner_display(self):
        if self.owner_id:
            return self.owner.get_full_name() or self.owner.email
        return self.owner_name or self.owner_email

    @property
    def reminder_email(self):
        if self.owner_id and self.owner.email:
            return self.owner.email
        return self.owner_email



# --- "you said, we did": outcome pages ---------------------------------------------------------


class OutcomeStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    NOT_ADOPTED = "not_adopted", _("Not adopted")


class OutcomeIndexPage(Page):
    """All outcomes, filterable by theme, wijk and status, with a feed of updates."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["outcomes.OutcomePage"]
    max_count = 1

    class Meta:
        verbose_name = _("outcomes index")

    def get_context(self, request, *args, **kwargs):
        from .services import outcome_filters

        context = super().get_context(request, *args, **kwargs)
        context.update(outcome_filters(self, request.GET, viewer=request))
        return context


class OutcomePage(Page):
    """What we heard, what we do about it, and how far along it is."""

    summary = models.TextField(
        _("summary"), blank=True, help_text=_("One or two sentences, in plain language (B1)."),
    )
    heard = RichTextField(
        _("what we heard"), blank=True, features=["bold", "italic", "ol", "ul", "link"],
        help_text=_("In your own words: what residents told us. Link the inputs below."),
    )
    decision = RichTextField(
        _("what we do"), blank=True, features=["bold", "italic", "ol", "ul", "link"],
        help_text=_("The decision: what the municipality does with it."),
    )
    responsible = models.CharField(
        _("who is responsible"), max_length=200, blank=True,
        help_text=_("For example: alderman for care, team Wmo."),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=OutcomeStatus.choices, default=OutcomeStatus.PROPOSED,
    )
    status_reason = models.TextField(
        _("reason"), blank=True,
        help_text=_("Required when not adopted: explain why, so residents understand."),
    )
    progress = models.PositiveSmallIntegerField(
        _("progress (percent)"), default=0, validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    theme = models.ForeignKey(
        "content.Theme", null=True, blank=True, on_delete=models.SET_NULL, related_name="outcomes",
        verbose_name=_("theme"),
    )
    wijk = models.ForeignKey(
        "population.Area", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        limit_choices_to={"level": "wijk"}, verbose_name=_("wijk"),
        help_text=_("Leave empty when it is about the whole municipality."),
    )
    events = ParentalManyToManyField(
        "events.EventPage", blank=True, related_name="outcomes", verbose_name=_("events"),
        help_text=_("Participants of these events who agreed to hear about them get a message when "
                    "this outcome is published or its status changes."),
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        MultiFieldPanel([FieldPanel("theme"), FieldPanel("wijk"), FieldPanel("events", widget=forms.CheckboxSelectMultiple)],
                        heading=_("About")),
        FieldPanel("heard"),
        InlinePanel("inputs", heading=_("What we heard: linked inputs"), label=_("input")),
        FieldPanel("decision"),
        FieldPanel("responsible"),
        MultiFieldPanel([FieldPanel("status"), FieldPanel("status_reason"), FieldPanel("progress")],
                        heading=_("Status")),
        InlinePanel("updates", heading=_("Timeline of updates"), label=_("update")),
    ]
    parent_page_types = ["outcomes.OutcomeIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")

    def clean(self):
        super().clean()
        from django.core.exceptions import ValidationError

        if self.status == OutcomeStatus.NOT_ADOPTED and not (self.status_reason or "").strip():
            raise ValidationError({"status_reason": _("Explain why this is not adopted.")})
        if self.status == OutcomeStatus.DONE and self.progress != 100:
            self.progress = 100

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["timeline"] = sorted(self.updates.all(), key=lambda u: (u.date, u.pk or 0), reverse=True)
        context["inputs"] = [i for i in self.inputs.all() if i.is_public]
        context["linked_events"] = self.linked_events(request)
        return context

    def linked_events(self, request):
        """The linked events this visitor may see (Wagtail's privacy settings, issue 11), live ones only.

        In a preview, "view draft" or the live preview panel the page comes from a revision, and
        `self.events` is modelcluster's in-memory FakeQuerySet (no `.live()`): take its ids and ask the
        database, so editors see what residents will see.
        """
        from events.models import EventPage
        from events.visibility import visible_events

        ids = [event.pk for event in self.events.all() if event.pk]
        if not ids:
            return []
        return visible_events(request, EventPage.objects.live().filter(pk__in=ids)).order_by("start")


class OutcomeInput(Orderable):
    """One thing residents said that this outcome answers: link exactly one input, or describe it."""

    page = ParentalKey(OutcomePage, on_delete=models.CASCADE, related_name="inputs")
    signal = models.ForeignKey(
        Signal, null=True, blank=True, on_delete=models.SET_NULL, related_name="outcome_links",
        verbose_name=_("signal"),
    )
    recommendation = models.ForeignKey(
        Recommendation, null=True, blank=True, on_delete=models.SET_NULL, related_name="outcome_links",
        verbose_name=_("recommendation or panel advice"),
    )
    statement = models.ForeignKey(
        "formats.Statement", null=True, blank=True, on_delete=models.SET_NULL, related_name="outcome_links",
        verbose_name=_("statement (statement game)"),
    )
    harvest = models.ForeignKey(
        "formats.Harvest", null=True, blank=True, on_delete=models.SET_NULL, related_name="outcome_links",
        verbose_name=_("harvest of a dialogue table"),
    )
    story = models.ForeignKey(
        "formats.Story", null=True, blank=True, on_delete=models.SET_NULL, related_name="outcome_links",
        verbose_name=_("story (Accountability Day)"),
    )
    description = models.CharField(
        _("in short"), max_length=255, blank=True,
        help_text=_("What was said, in one line. Shown to residents; never names or contact details."),
    )

    panels = [
        FieldPanel("statement"), FieldPanel("harvest"), FieldPanel("story"), FieldPanel("recommendation"),
        FieldPanel("signal"), FieldPanel("description"),
    ]
    LINK_FIELDS = ["statement", "harvest", "story", "recommendation", "signal"]

    class Meta(Orderable.Meta):
        verbose_name = _("linked input")
        verbose_name_plural = _("linked inputs")

    def clean(self):
        from django.core.exceptions import ValidationError

        linked = [name for name in self.LINK_FIELDS if getattr(self, f"{name}_id")]
        if len(linked) > 1:
            raise ValidationError(_("Link one input per row; add a row for each."))
        if not linked and not self.description.strip():
            raise ValidationError(_("Link an input, or describe it in short."))

    @property
    def linked(self):
        for name in self.LINK_FIELDS:
            if getattr(self, f"{name}_id"):
                return name, getattr(self, name)
        return "", None

    @property
    def kind_label(self):
        kind, obj = self.linked
        if kind == "statement" and obj.common_ground_url():  # issue 17: every opinion group agreed
            return _("Common ground (statement game)")
        return INPUT_KIND_LABELS.get(kind, _("Input"))

    @property
    def is_public(self):
        return bool(self.public_text)

    @property
    def public_text(self):
        """What residents may see: the editor's line, or a safe description of the linked input."""
        if self.description.strip():
            return self.description.strip()
        kind, obj = self.linked
        if obj is None:
            return ""
        if kind == "signal":  # a resident's own words are private: only theme and month
            theme = obj.theme.name if obj.theme_id else ""
            return f"{obj.reference} {theme}".strip()
        if kind == "recommendation":
            return f"{obj.title} ({obj.source_label})"
        if kind == "statement":
            return f"“{obj.text}”"
        if kind == "story":  # the title only when the teller consented to publication
            if obj.consent_publication:
                return obj.title
            return _("A story told at %(event)s") % {"event": obj.day.event.title}
        return str(obj)

    @property
    def public_url(self):
        kind, obj = self.linked
        if kind == "statement" and obj.common_ground_url():
            return obj.common_ground_url()
        getter = getattr(obj, "get_public_url", None)
        return getter() if getter else None


INPUT_KIND_LABELS = {
    "statement": _("Statement"),
    "harvest": _("Dialogue table"),
    "story": _("Story"),
    "signal": _("Signal"),
    "recommendation": _("Advice or recommendation"),
}


class OutcomeUpdate(Orderable):
    """A dated step in the outcome's timeline, shown on the page and in the feed."""

    page = ParentalKey(OutcomePage, on_delete=models.CASCADE, related_name="updates")
    date = models.DateField(_("date"), default=timezone.localdate)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("what happened"), blank=True)

    panels = [FieldPanel("date"), FieldPanel("title"), FieldPanel("text")]

    class Meta(Orderable.Meta):
        verbose_name = _("update")
        verbose_name_plural = _("updates")
