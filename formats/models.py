"""The ways residents talk with the municipality in a room: statement game, dialogue tables and the
Accountability Day.

Every input (a statement with its results, a harvest, a story) carries a `content.models.Theme` and a
`content.models.CyclePhase`, so outcomes can link to it. Each input model has `get_public_url()` (None when
there is nothing public to show yet) and a `__str__` that reads well as a link label.

Formats attach to an `events.EventPage` through their own models (StatementGame, DialogueSession,
AccountabilityDay); events' models know nothing of formats.
"""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable

from content.models import CyclePhase
from population.models import AgeAndWijk


def new_key():
    return uuid.uuid4().hex


class Choice(models.TextChoices):
    """A vote or a card: online "pass" and in-room "neutral" are the same column."""

    AGREE = "agree", _("Agree")
    DISAGREE = "disagree", _("Disagree")
    NEUTRAL = "neutral", _("Neutral / pass")


class InputMixin(models.Model):
    """What every input carries so outcomes can follow it: a theme and a phase of the cycle."""

    theme = models.ForeignKey(
        "content.Theme", on_delete=models.PROTECT, related_name="+", verbose_name=_("theme"),
    )
    cycle_phase = models.CharField(
        _("phase of the quality cycle"), max_length=30, choices=CyclePhase.choices,
        default=CyclePhase.FORMULATE_RESULTS,
    )

    class Meta:
        abstract = True


# --------------------------------------------------------------------------------------------------
# Statement game (stellingenspel)
# --------------------------------------------------------------------------------------------------


class StatementSet(ClusterableModel):
    """A reusable set of short statements in plain language (a snippet; attach it to events)."""

    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    theme = models.ForeignKey(
        "content.Theme", on_delete=models.PROTECT, related_name="+", verbose_name=_("theme"),
    )
    cycle_phase = models.CharField(
        _("phase of the quality cycle"), max_length=30, choices=CyclePhase.choices,
        default=CyclePhase.FORMULATE_RESULTS,
    )

    panels = [
        FieldPanel("title"),
        FieldPanel("description"),
        FieldPanel("theme"),
        FieldPanel("cycle_phase"),
        InlinePanel("statements", label=_("statements"), min_num=1),
    ]

    class Meta:
        verbose_name = _("statement set")
        verbose_name_plural = _("statement sets")
        ordering = ["title"]

    def __str__(self):
        return self.title


class Statement(Orderable):
    """One statement, e.g. "I know where to go when I need help at home." Results live per game."""

    statement_set = ParentalKey(
        StatementSet, on_delete=models.CASCADE, related_name="statements", verbose_name=_("statement set"),
    )
    text = models.CharField(
        _("statement"), max_length=200, help_text=_("Short and in plain language (B1), one idea only."),
    )
    theme = models.ForeignKey(
        "content.Theme", on_delete=models.PROTECT, related_name="+", null=True, blank=True,
        verbose_name=_("theme"), help_text=_("Leave empty to use the theme of the set."),
    )
    cycle_phase = models.CharField(
        _("phase of the quality cycle"), max_length=30, choices=CyclePhase.choices, blank=True,
        help_text=_("Leave empty to use the phase of the set."),
    )

    panels = [FieldPanel("text"), FieldPanel("theme"), FieldPanel("cycle_phase")]

    class Meta(Orderable.Meta):
        verbose_name = _("statement")
        verbose_name_plural = _("statements")

    def save(self, *args, **kwargs):
        if self.theme_id is None and self.statement_set_id:
            self.theme_id = self.statement_set.theme_id
        if not self.cycle_phase and self.statement_set_id:
            self.cycle_phase = self.statement_set.cycle_phase
        super().save(*args, **kwargs)

    def __str__(self):
        return Truncator(self.text).chars(80)

    def games(self):
        return StatementGame.objects.filter(statement_set_id=self.statement_set_id)

    def get_public_url(self):
        """The public results of the latest game that played this statement, or None."""
        for game in self.games().select_related("event").order_by("-event__start"):
            if game.results_are_public():
                return f"{game.get_public_url()}#statement-{self.pk}"
        return None

    def common_ground_url(self):
        """Where the latest game with public results shows this statement as common ground (a majority in
        every online opinion group agreed), or None. Outcomes label such an input "common ground"."""
        from .opinion import common_ground_ids

        for game in self.games().select_related("event").order_by("-event__start"):
            if game.results_are_public():
                if self.pk in common_ground_ids(game):
                    return f"{game.get_public_url()}#opinion-statement-{self.pk}"
                return None
        return None

    def results(self, game):
        from .services import statement_results

        return statement_results(game, self)


class StatementGame(models.Model):
    """A statement set played at one event: in the room, online through a QR link, or both."""

    event = models.OneToOneField(
        "events.EventPage", on_delete=models.CASCADE, related_name="statement_game", verbose_name=_("event"),
    )
    statement_set = models.ForeignKey(
        StatementSet, on_delete=models.PROTECT, related_name="games", verbose_name=_("statement set"),
    )
    key = models.CharField(
        _("link key"), max_length=32, unique=True, default=new_key, editable=False,
        help_text=_("The secret part of the voting link and the live screen."),
    )
    groups = models.TextField(
        _("groups in the room"), blank=True,
        help_text=_('One per line, e.g. "Young people" and "Professionals". Leave empty to count the room as a whole.'),
    )
    rounds = models.PositiveSmallIntegerField(
        _("rounds per statement"), default=1,
        help_text=_("Play a statement again after the conversation to see whether opinions moved."),
    )
    online_voting_open = models.BooleanField(_("online voting open"), default=True)
    hide_results_until_closed = models.BooleanField(
        _("hide results until a statement closes"), default=True,
        help_text=_("The live screen shows results of a statement only after the facilitator closes it."),
    )
    current_statement = models.ForeignKey(
        Statement, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("statement on the screen"),
    )
    publish_results = models.BooleanField(
        _("publish results after the event"), default=True,
        help_text=_("Results become public once the event has ended."),
    )
    room_open_until = models.DateTimeField(
        _("open in the room until"), null=True, blank=True, editable=False,
        help_text=_("While the game is open in the room, many people may vote from one internet connection."),
    )

    panels = [
        FieldPanel("event"),
        FieldPanel("statement_set"),
        FieldPanel("groups"),
        FieldPanel("rounds"),
        FieldPanel("online_voting_open"),
        FieldPanel("hide_results_until_closed"),
        FieldPanel("publish_results"),
    ]

    class Meta:
        verbose_name = _("statement game")
        verbose_name_plural = _("statement games")

    def __str__(self):
        return f"{self.statement_set.title} · {self.event.title}"

    def group_list(self):
        return [line.strip() for line in self.groups.splitlines() if line.strip()]

    def in_room(self, now=None):
        """Opened "in the room" by the facilitator: the per-address vote limit does not apply."""
        return self.room_open_until is not None and self.room_open_until > (now or timezone.now())

    def statements(self):
        return self.statement_set.statements.all()

    def results_are_public(self):
        end = self.event.end or self.event.start
        return self.publish_results and self.event.live and end is not None and end <= timezone.now()

    def get_public_url(self):
        return reverse("formats:game_results", args=[self.key])

    def get_vote_url(self):
        return reverse("formats:vote", args=[self.key])

    def get_screen_url(self):
        return reverse("formats:screen", args=[self.key])

    def get_facilitate_url(self):
        return reverse("formats:facilitate", args=[self.key])


class StatementClosure(models.Model):
    """A statement the facilitator closed in a game: voting on it stops and its results may show."""

    game = models.ForeignKey(StatementGame, on_delete=models.CASCADE, related_name="closures")
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="+")
    closed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["game", "statement"], name="formats_one_closure_per_statement"),
        ]


class Tally(models.Model):
    """The cards counted in the room for one statement, round and group (the latest count wins)."""

    game = models.ForeignKey(StatementGame, on_delete=models.CASCADE, related_name="tallies")
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="tallies")
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    group = models.CharField(_("group"), max_length=80, blank=True)
    agree = models.PositiveIntegerField(_("agree"), default=0)
    disagree = models.PositiveIntegerField(_("disagree"), default=0)
    neutral = models.PositiveIntegerField(_("neutral"), default=0)
    client_id = models.CharField(max_length=64, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("tally")
        verbose_name_plural = _("tallies")
        constraints = [
            models.UniqueConstraint(
                fields=["game", "statement", "round", "group"], name="formats_one_tally_per_group_round",
            ),
        ]

    def __str__(self):
        return f"{self.statement} · {self.round} · {self.group or '-'}"

    @property
    def total(self):
        return self.agree + self.disagree + self.neutral


class Argument(models.Model):
    """One of the strongest arguments for or against a statement, noted by the facilitator."""

    class Side(models.TextChoices):
        FOR = "for", _("For")
        AGAINST = "against", _("Against")

    game = models.ForeignKey(StatementGame, on_delete=models.CASCADE, related_name="arguments")
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="arguments")
    side = models.CharField(_("side"), max_length=10, choices=Side.choices)
    text = models.CharField(_("argument"), max_length=300)
    group = models.CharField(_("group"), max_length=80, blank=True)
    client_id = models.CharField(max_length=64, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("argument")
        verbose_name_plural = _("arguments")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return Truncator(self.text).chars(80)


class Voter(AgeAndWijk):
    """An anonymous online participant in one game: a random token in a cookie, no account.

    Age band and wijk are optional and self-reported (population.models.AgeAndWijk); only these two: an
    anonymous participant is never asked for gender or origin.
    """

    game = models.ForeignKey(StatementGame, on_delete=models.CASCADE, related_name="voters")
    token = models.CharField(max_length=64, unique=True, default=new_key, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    unlinked_at = models.DateTimeField(null=True, blank=True, editable=False)  # see retention.py

    class Meta:
        verbose_name = _("online participant")
        verbose_name_plural = _("online participants")


class Vote(models.Model):
    """One person's vote on one statement; changing it updates this row (never a second one)."""

    game = models.ForeignKey(StatementGame, on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(Voter, on_delete=models.CASCADE, related_name="votes")
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="votes")
    choice = models.CharField(_("vote"), max_length=10, choices=Choice.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("online vote")
        verbose_name_plural = _("online votes")
        constraints = [
            models.UniqueConstraint(fields=["voter", "statement"], name="formats_one_vote_per_person_statement"),
        ]


# --------------------------------------------------------------------------------------------------
# Dialogue tables (dialoogtafels)
# --------------------------------------------------------------------------------------------------


class ParticipantRole(models.TextChoices):
    RESIDENT = "resident", _("Resident")
    PROFESSIONAL = "professional", _("Professional")
    ADMINISTRATOR = "administrator", _("Administrator")


class DialogueSession(ClusterableModel):
    """A dialogue-table evening: tables with a host each, conversation rounds, participants with a role."""

    event = models.OneToOneField(
        "events.EventPage", on_delete=models.CASCADE, related_name="dialogue_session", verbose_name=_("event"),
    )
    theme = models.ForeignKey(
        "content.Theme", on_delete=models.PROTECT, related_name="+", verbose_name=_("theme"),
    )
    cycle_phase = models.CharField(
        _("phase of the quality cycle"), max_length=30, choices=CyclePhase.choices,
        default=CyclePhase.FORMULATE_RESULTS,
    )
    rounds = models.TextField(
        _("rounds"), blank=True,
        help_text=_("One conversation question per line; each line is a round."),
    )
    publish_harvest = models.BooleanField(
        _("publish the harvest"), default=False,
        help_text=_("Show the themes, quotes, agreements and open questions (without names) on a public page."),
    )

    panels = [
        FieldPanel("event"),
        FieldPanel("theme"),
        FieldPanel("cycle_phase"),
        FieldPanel("rounds"),
        FieldPanel("publish_harvest"),
        InlinePanel("tables", label=_("tables")),
        InlinePanel("participants", label=_("participants")),
    ]

    class Meta:
        verbose_name = _("dialogue-table evening")
        verbose_name_plural = _("dialogue-table evenings")

    def __str__(self):
        return self.event.title

    def round_list(self):
        return [line.strip() for line in self.rounds.splitlines() if line.strip()]

    def get_public_url(self):
        if not self.publish_harvest:
            return None
        return reverse("formats:dialogue_public", args=[self.pk])


class DialogueTable(Orderable):
    session = ParentalKey(DialogueSession, on_delete=models.CASCADE, related_name="tables")
    name = models.CharField(_("table"), max_length=60, help_text=_('e.g. "Table 1" or "Window table".'))
    host = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("host"), help_text=_("The host enters the harvest on a phone (role: Facilitator)."),
    )

    panels = [FieldPanel("name"), FieldPanel("host")]

    class Meta(Orderable.Meta):
        verbose_name = _("table")
        verbose_name_plural = _("tables")

    def __str__(self):
        return self.name

    def get_harvest_url(self):
        return reverse("formats:harvest", args=[self.pk])


class DialogueParticipant(Orderable):
    """A registration of the event, with the role the person comes in and the table they sit at."""

    session = ParentalKey(DialogueSession, on_delete=models.CASCADE, related_name="participants")
    registration = models.ForeignKey(
        "events.Registration", on_delete=models.CASCADE, related_name="+", verbose_name=_("registration"),
    )
    role = models.CharField(
        _("role"), max_length=20, choices=ParticipantRole.choices, default=ParticipantRole.RESIDENT,
    )
    table = models.ForeignKey(
        DialogueTable, on_delete=models.SET_NULL, null=True, blank=True, related_name="seats",
        verbose_name=_("table"),
    )
    seat_reason = models.TextField(_("why here"), blank=True)
    placed_by_hand = models.BooleanField(_("placed by hand"), default=False)

    panels = [FieldPanel("registration"), FieldPanel("role"), FieldPanel("table")]

    class Meta(Orderable.Meta):
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(fields=["session", "registration"], name="formats_one_seat_per_registration"),
        ]

    def __str__(self):
        return self.registration.name

    def save(self, *args, **kwargs):
        # A coordinator who moves someone in the admin overrides the allocation: say so.
        if self.pk and not getattr(self, "_allocating", False):
            before = DialogueParticipant.objects.filter(pk=self.pk).values_list("table_id", flat=True).first()
            if before != self.table_id:
                self.placed_by_hand = True
                self.seat_reason = str(_("Moved by hand by the coordinator."))
        super().save(*args, **kwargs)


class Harvest(InputMixin):
    """What one table brought in, entered by its host on a phone."""

    table = models.OneToOneField(
        DialogueTable, on_delete=models.CASCADE, related_name="harvest", verbose_name=_("table"),
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("harvest")
        verbose_name_plural = _("harvests")

    def __str__(self):
        return f"{self.table.session.event.title} · {self.table.name}"

    def get_public_url(self):
        url = self.table.session.get_public_url()
        return f"{url}#theme-{self.theme_id}" if url else None


class HarvestItem(models.Model):
    class Kind(models.TextChoices):
        TOPIC = "topic", _("Theme discussed")
        QUOTE = "quote", _("Quote")
        AGREEMENT = "agreement", _("Agreement")
        QUESTION = "question", _("Open question")

    harvest = models.ForeignKey(Harvest, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    text = models.TextField(_("text"))
    theme = models.ForeignKey(
        "content.Theme", on_delete=models.PROTECT, related_name="+", verbose_name=_("theme"),
    )
    round = models.PositiveSmallIntegerField(_("round"), null=True, blank=True)
    client_id = models.CharField(max_length=64, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("harvest item")
        verbose_name_plural = _("harvest items")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return Truncator(self.text).chars(80)


# --------------------------------------------------------------------------------------------------
# Accountability Day (Dag van de Verantwoording)
# --------------------------------------------------------------------------------------------------


class AccountabilityDay(ClusterableModel):
    event = models.OneToOneField(
        "events.EventPage", on_delete=models.CASCADE, related_name="accountability_day", verbose_name=_("event"),
    )
    introduction = models.TextField(_("introduction for the report"), blank=True)
    report_published = models.BooleanField(
        _("publish the report"), default=False,
        help_text=_("The report shows the programme, the responses per theme and only the stories whose teller consented."),
    )

    panels = [
        FieldPanel("event"),
        FieldPanel("introduction"),
        FieldPanel("report_published"),
        InlinePanel("programme", label=_("programme")),
    ]

    class Meta:
        verbose_name = _("Accountability Day")
        verbose_name_plural = _("Accountability Days")

    def __str__(self):
        return self.event.title

    def get_public_url(self):
        if not self.report_published:
            return None
        return reverse("formats:day_report", args=[self.pk])


class ProgrammeSession(Orderable):
    day = ParentalKey(AccountabilityDay, on_delete=models.CASCADE, related_name="programme")
    starts_at = models.TimeField(_("starts at"))
    ends_at = models.TimeField(_("ends at"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    location = models.CharField(_("room"), max_length=80, blank=True)
    is_closing = models.BooleanField(
        _("closing session"), default=False,
        help_text=_("Professionals and administrators respond to each theme here."),
    )

    panels = [
        MultiFieldPanel([FieldPanel("starts_at"), FieldPanel("ends_at")], heading=_("time")),
        FieldPanel("title"),
        FieldPanel("description"),
        FieldPanel("location"),
        FieldPanel("is_closing"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("programme session")
        verbose_name_plural = _("programme")

    def __str__(self):
        return f"{self.starts_at:%H:%M} {self.title}"


class Story(InputMixin):
    """A story or interview collected during the day."""

    class Kind(models.TextChoices):
        STORY = "story", _("Story")
        INTERVIEW = "interview", _("Interview")

    day = models.ForeignKey(
        AccountabilityDay, on_delete=models.CASCADE, related_name="stories", verbose_name=_("day"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.STORY)
    title = models.CharField(_("title"), max_length=120)
    text = models.TextField(_("story"))
    teller = models.CharField(
        _("who tells it (anonymised)"), max_length=120, blank=True,
        help_text=_('No name: e.g. "mother of two, Overvecht".'),
    )
    collected_by = models.CharField(_("collected by"), max_length=120)
    collected_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
    )
    other_themes = models.ManyToManyField(
        "content.Theme", blank=True, related_name="+", verbose_name=_("other themes"),
    )
    consent_publication = models.BooleanField(
        _("consents to anonymised publication"), default=False,
    )
    client_id = models.CharField(max_length=64, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    panels = [
        FieldPanel("day"),
        FieldPanel("kind"),
        FieldPanel("title"),
        FieldPanel("text"),
        FieldPanel("teller"),
        FieldPanel("collected_by"),
        FieldPanel("theme"),
        FieldPanel("other_themes"),
        FieldPanel("cycle_phase"),
        FieldPanel("consent_publication"),
    ]

    class Meta:
        verbose_name = _("story")
        verbose_name_plural = _("stories")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.title

    def get_public_url(self):
        url = self.day.get_public_url()
        if not url or not self.consent_publication:
            return None
        return f"{url}#story-{self.pk}"


class ThemeResponse(InputMixin):
    """In the closing session: what professionals and administrators answer on one theme."""

    day = models.ForeignKey(
        AccountabilityDay, on_delete=models.CASCADE, related_name="responses", verbose_name=_("day"),
    )
    professionals = models.TextField(_("response of professionals"), blank=True)
    administrators = models.TextField(_("response of administrators"), blank=True)
    responders = models.CharField(
        _("who responded"), max_length=200, blank=True, help_text=_("Functions, e.g. alderman for care."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
    )
    client_id = models.CharField(max_length=64, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    panels = [
        FieldPanel("day"),
        FieldPanel("theme"),
        FieldPanel("cycle_phase"),
        FieldPanel("professionals"),
        FieldPanel("administrators"),
        FieldPanel("responders"),
    ]

    class Meta:
        verbose_name = _("response on a theme")
        verbose_name_plural = _("responses on themes")
        constraints = [
            models.UniqueConstraint(fields=["day", "theme"], name="formats_one_response_per_theme"),
        ]

    def __str__(self):
        return f"{self.day} · {self.theme}"

    def get_public_url(self):
        url = self.day.get_public_url()
        return f"{url}#theme-{self.theme_id}" if url else None
