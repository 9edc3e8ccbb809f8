"""Events residents can sign up for, and their registrations.

The format of an event (panel meeting, dialogue table, ...) is data on the page, so later work can give
each format its own tools without new page types. Business rules live in `events/services.py`.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from content.blocks import BodyBlock
from population.models import Demographics


class EventFormat(models.TextChoices):
    PANEL_MEETING = "panel_meeting", _("Resident panel meeting")
    DIALOGUE_TABLE = "dialogue_table", _("Dialogue table")
    STATEMENT_GAME = "statement_game", _("Statement game")
    ACCOUNTABILITY_DAY = "accountability_day", _("Accountability Day")
    INFORMAL = "informal", _("Informal gathering")


class AttendanceMode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("In person and online")


class EventStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    CHANGED = "changed", _("Changed")
    CANCELLED = "cancelled", _("Cancelled")


class Audience(models.TextChoices):
    EVERYONE = "everyone", _("Everyone")
    YOUNG_PEOPLE = "young_people", _("Young people (15-24)")
    OLDER_PEOPLE = "older_people", _("Older residents (65+)")
    PARENTS = "parents", _("Parents and carers")
    CLIENTS = "clients", _("People who use care or support")
    WIJK_RESIDENTS = "wijk_residents", _("Residents of the wijk")


def new_token():
    return secrets.token_urlsafe(16)  # 128 bits: unguessable, and short enough for an SMS


class EventIndexPage(Page):
    """The list of upcoming events, with filters, and the archive of past ones."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["events.EventPage"]

    class Meta:
        verbose_name = _("events index")

    def get_template(self, request, *args, **kwargs):
        return "events/event_index_page.html"

    def get_context(self, request, *args, **kwargs):
        from .pages import index_context

        context = super().get_context(request, *args, **kwargs)
        context.update(index_context(self, request))
        return context


class EventPageQuerySet(PageQuerySet):
    def not_cancelled(self):
        return self.exclude(status=EventStatus.CANCELLED)


class EventPage(Page):
    """One event: when, where, for whom, and how to sign up."""

    objects = PageManager.from_queryset(EventPageQuerySet)()

    format = models.CharField(_("format"), max_length=30, choices=EventFormat.choices,
                              default=EventFormat.DIALOGUE_TABLE)
    attendance_mode = models.CharField(_("attendance"), max_length=12, choices=AttendanceMode.choices,
                                       default=AttendanceMode.IN_PERSON)
    start = models.DateTimeField(_("starts"))
    end = models.DateTimeField(_("ends"))
    intro = models.TextField(_("short description"), blank=True)
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))

    capacity = models.PositiveIntegerField(
        _("places"), null=True, blank=True, help_text=_("Leave empty for no limit.")
    )
    signup_opens = models.DateTimeField(_("sign-up opens"), null=True, blank=True)
    signup_closes = models.DateTimeField(
        _("sign-up closes"), null=True, blank=True, help_text=_("Empty: until the event starts.")
    )
    signup_closed = models.BooleanField(
        _("sign-up closed by the organiser"), default=False,
        help_text=_("Close sign-up now, whatever the dates say."),
    )
    wijk = models.ForeignKey(
        "population.Area", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        limit_choices_to={"level": "wijk"}, verbose_name=_("wijk"),
    )
    audience = models.CharField(_("for whom"), max_length=20, choices=Audience.choices,
                                default=Audience.EVERYONE)
    status = models.CharField(_("status"), max_length=10, choices=EventStatus.choices,
                              default=EventStatus.SCHEDULED)

    venue_name = models.CharField(_("venue"), max_length=200, blank=True)
    venue_address = models.CharField(_("address"), max_length=300, blank=True)
    venue_accessibility = models.TextField(
        _("accessibility of the venue"), blank=True,
        help_text=_("Step-free entrance, lift, accessible toilet, hearing loop, quiet room, ..."),
    )
    online_url = models.URLField(
        _("online link"), blank=True, help_text=_("Shown only to people who are registered.")
    )
    online_instructions = models.TextField(_("how to join online"), blank=True)

    organiser_name = models.CharField(_("organiser"), max_length=200, blank=True)
    organiser_email = models.EmailField(_("organiser email"), blank=True)
    organiser_phone = models.CharField(_("organiser phone"), max_length=30, blank=True)

    reminder_hours = models.CharField(
        _("reminders (hours before)"), max_length=50, default="48,2",
        help_text=_("Comma-separated, e.g. 48,2. Empty: no reminders."),
    )

    # iCalendar SEQUENCE: raised on every change registrants are told about. Not editable; kept out
    # of revisions (see with_content_json) so publishing an old draft never lowers it.
    sequence = models.PositiveIntegerField(default=0, editable=False)
    # What registrants were last told (start, end, venue, ...), to tell them exactly what changed.
    announced = models.JSONField(default=dict, blank=True, editable=False)

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("format"), FieldPanel("attendance_mode")]),
             FieldRowPanel([FieldPanel("start"), FieldPanel("end")]),
             FieldPanel("status"), FieldPanel("intro")],
            heading=_("What and when"),
        ),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("venue_name"), FieldPanel("venue_address"), FieldPanel("venue_accessibility"),
             FieldPanel("online_url"), FieldPanel("online_instructions")],
            heading=_("Where"),
        ),
        MultiFieldPanel(
            [FieldPanel("audience"), FieldPanel("wijk")],
            heading=_("For whom"),
        ),
        MultiFieldPanel(
            [FieldPanel("capacity"), FieldRowPanel([FieldPanel("signup_opens"), FieldPanel("signup_closes")]),
             FieldPanel("signup_closed"), FieldPanel("reminder_hours")],
            heading=_("Sign-up"),
        ),
        MultiFieldPanel(
            [FieldPanel("organiser_name"), FieldPanel("organiser_email"), FieldPanel("organiser_phone")],
            heading=_("Organiser"),
        ),
    ]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.FilterField("start")]
    parent_page_types = ["events.EventIndexPage"]
    subpage_types = []
    # A copy is a new event: its calendar entry starts afresh and nobody has been told anything yet.
    exclude_fields_in_copy = ["sequence", "announced"]

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [models.Index(fields=["start"])]

    def clean(self):
        from django.core.exceptions import ValidationError

        super().clean()
        errors = {}
        if self.start and self.end and self.end <= self.start:
            errors["end"] = _("The event must end after it starts.")
        if self.signup_opens and self.signup_closes and self.signup_closes <= self.signup_opens:
            errors["signup_closes"] = _("Sign-up must close after it opens.")
        if self.attendance_mode in (AttendanceMode.ONLINE, AttendanceMode.HYBRID) and not self.online_url:
            errors["online_url"] = _("An online or hybrid event needs an online link.")
        try:
            self.reminder_hour_list()
        except ValueError:
            errors["reminder_hours"] = _("Use whole numbers separated by commas, e.g. 48,2.")
        if errors:
            raise ValidationError(errors)

    def with_content_json(self, content):
        page = super().with_content_json(content)
        # Taken from the database row, not from this (possibly stale) object or the revision.
        stored = EventPage.objects.filter(pk=self.pk).values("sequence", "announced").first()
        if stored:
            page.sequence, page.announced = stored["sequence"], stored["announced"]
        return page

    def get_template(self, request, *args, **kwargs):
        return "events/event_page.html"

    def serve(self, request, *args, **kwargs):
        from .pages import serve_event_page

        return serve_event_page(self, request, *args, **kwargs)

    # Facts about the event, used by templates, services and the calendar.

    def reminder_hour_list(self):
        return sorted({int(part) for part in self.reminder_hours.replace(" ", "").split(",") if part},
                      reverse=True)

    @property
    def is_cancelled(self):
        return self.status == EventStatus.CANCELLED

    @property
    def is_past(self):
        return self.end <= timezone.now()

    @property
    def is_online(self):
        return self.attendance_mode in (AttendanceMode.ONLINE, AttendanceMode.HYBRID)

    @property
    def has_venue(self):
        return self.attendance_mode in (AttendanceMode.IN_PERSON, AttendanceMode.HYBRID)

    def signup_state(self, now=None):
        """"open", or why sign-up is not possible: "cancelled", "past", "not_yet", "closed"."""
        now = now or timezone.now()
        if self.is_cancelled:
            return "cancelled"
        if self.start <= now:
            return "past"
        if self.signup_opens and now < self.signup_opens:
            return "not_yet"
        if self.signup_closed or (self.signup_closes and now >= self.signup_closes):
            return "closed"
        return "open"


class Channels(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("Text message (SMS)")
    BOTH = "both", _("Email and text message")


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    WAITING = "waiting", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


class RegistrationQuerySet(models.QuerySet):
    """The states of a registration, named once: live = not cancelled."""

    def live(self):
        return self.exclude(status=RegistrationStatus.CANCELLED)

    def confirmed(self):
        return self.filter(status=RegistrationStatus.CONFIRMED)

    def waiting(self):
        return self.filter(status=RegistrationStatus.WAITING)

    def cancelled(self):
        return self.filter(status=RegistrationStatus.CANCELLED)

    def attended(self):
        return self.filter(attended_at__isnull=False)


class Registration(Demographics):
    """One person's place at (or on the waiting list of) one event."""

    Status = RegistrationStatus

    event = models.ForeignKey(EventPage, on_delete=models.CASCADE, related_name="registrations",
                              verbose_name=_("event"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="event_registrations", verbose_name=_("account"))
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("registered by"), help_text=_("An intermediary who signed this person up."),
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"), blank=True)  # stored lower-case
    phone = models.CharField(_("mobile number"), max_length=20, blank=True)  # E.164
    channels = models.CharField(_("how to reach"), max_length=5, choices=Channels.choices,
                                default=Channels.EMAIL)
    language = models.CharField(_("language"), max_length=8, default="nl")
    status = models.CharField(_("status"), max_length=10, choices=RegistrationStatus.choices,
                              default=RegistrationStatus.CONFIRMED)
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)

    # Access needs: shown to the organiser, never on public pages.
    needs_wheelchair = models.BooleanField(_("wheelchair access"), default=False)
    needs_sign_language = models.BooleanField(_("sign-language interpreter"), default=False)
    needs_childcare = models.BooleanField(_("childcare"), default=False)
    needs_translation = models.CharField(_("translation into"), max_length=60, blank=True)
    dietary = models.CharField(_("dietary wishes"), max_length=200, blank=True)
    access_other = models.TextField(_("other needs"), blank=True)

    consent_event = models.BooleanField(_("consent: this event"), default=False)
    consent_invite_again = models.BooleanField(_("consent: invite again"), default=False)

    # Self-reported age band, gender, wijk and origin (with consent): population.models.Demographics.

    attended_at = models.DateTimeField(_("attended"), null=True, blank=True)
    checked_in_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                      on_delete=models.SET_NULL, related_name="+")
    is_walk_in = models.BooleanField(_("walk-in"), default=False)
    created_at = models.DateTimeField(_("registered"), default=timezone.now, db_index=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["event", "status", "created_at"])]
        constraints = [
            # The same person (same address or number) holds at most one live registration per event.
            models.UniqueConstraint(
                fields=["event", "email"], condition=~Q(email="") & ~Q(status="cancelled"),
                name="events_one_live_registration_per_email",
            ),
            models.UniqueConstraint(
                fields=["event", "phone"], condition=~Q(phone="") & ~Q(status="cancelled"),
                name="events_one_live_registration_per_phone",
            ),
        ]

    def __str__(self):
        return f"{self.name or _('(anonymised)')} · {self.event.title}"

    def contact(self):
        from messaging.models import Channel
        from messaging.services import Contact

        chosen = {
            Channels.EMAIL: {Channel.EMAIL},
            Channels.SMS: {Channel.SMS},
            Channels.BOTH: {Channel.EMAIL, Channel.SMS},
        }.get(self.channels, {Channel.EMAIL})
        return Contact(email=self.email, phone=self.phone, channels=frozenset(chosen))

    @property
    def is_live(self):
        return self.status != RegistrationStatus.CANCELLED

    def access_needs(self):
        """The person's access needs as short labels, for the organiser."""
        needs = []
        if self.needs_wheelchair:
            needs.append(str(_("wheelchair access")))
        if self.needs_sign_language:
            needs.append(str(_("sign-language interpreter")))
        if self.needs_childcare:
            needs.append(str(_("childcare")))
        if self.needs_translation:
            needs.append(f"{_('translation into')} {self.needs_translation}")
        if self.dietary:
            needs.append(f"{_('dietary wishes')}: {self.dietary}")
        if self.access_other:
            needs.append(f"{_('other needs')}: {self.access_other}")
        return needs
