"""Trusted intermediaries, their invite links and invitations, and whom they brought in.

The chain of "via via" is kept as Attribution rows: a registration came in through a link (owned by an
intermediary, or by a resident who shares their own "bring a friend" link), on a channel, at a depth
(1 = asked by the intermediary, 2 = by someone the intermediary asked, …).
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.models import RegistrationStatus

# No 0/O, 1/l/I: codes are typed from paper flyers. 8 characters of 55 ≈ 46 bits: not guessable by
# trying, short enough to type.
CODE_ALPHABET = "23456789abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ"
CODE_LENGTH = 8


def new_code():
    return "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))


class OrganisationType(models.TextChoices):
    YOUTH_CENTRE = "youth_centre", _("Youth centre / youth work")
    NEIGHBOURHOOD_TEAM = "neighbourhood_team", _("Neighbourhood team")
    VOLUNTEER_ORGANISATION = "volunteer_organisation", _("Volunteer organisation")
    CLIENT_SUPPORT = "client_support", _("Client support")


class Intermediary(models.Model):
    """Someone a coordinator trusts to invite residents. Only approved intermediaries can act."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="intermediary",
        verbose_name=_("account"),
    )
    organisation = models.CharField(_("organisation"), max_length=150)
    organisation_type = models.CharField(
        _("type of organisation"), max_length=30, choices=OrganisationType.choices
    )
    role_description = models.CharField(
        _("what they do"), max_length=100, blank=True,
        help_text=_("For example: youth worker, neighbourhood coach, volunteer at the library."),
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # Contacts skipped today (already signed up, invited or opted out) count for the daily limit too, so
    # testing whether someone is signed up is never free. Only a count; which contacts is not kept.
    skipped_on = models.DateField(_("contacts skipped on"), null=True, blank=True, editable=False)
    skipped_count = models.PositiveIntegerField(_("contacts skipped that day"), default=0, editable=False)

    class Meta:
        verbose_name = _("intermediary")
        verbose_name_plural = _("intermediaries")
        ordering = ["organisation", "user__first_name"]

    def __str__(self):
        return f"{self.user} ({self.organisation})"

    @property
    def is_approved(self):
        return self.approved_at is not None


class Channel(models.TextChoices):
    LINK = "link", _("Link")
    QR = "qr", _("QR code")
    SMS = "sms", _("SMS")
    EMAIL = "email", _("Email")
    FRIEND = "friend", _("Friend")
    ON_BEHALF = "on_behalf", _("Registered on their behalf")


class InviteLink(models.Model):
    """A short link (/r/<code>) to one event or one panel's call, owned by an intermediary or by a
    resident (a friend link, always for an event).

    Exactly one target: `event` or `panel` (the `invite_link_has_target` check); `target_url` is the
    one place that decides where a link leads.
    """

    code = models.CharField(_("code"), max_length=16, unique=True, default=new_code, editable=False)
    intermediary = models.ForeignKey(
        Intermediary, null=True, blank=True, on_delete=models.CASCADE, related_name="links",
        verbose_name=_("intermediary"),
    )
    referrer = models.OneToOneField(
        "events.Registration", null=True, blank=True, on_delete=models.CASCADE,
        related_name="friend_link", verbose_name=_("shared by (resident)"),
    )
    event = models.ForeignKey(
        "events.EventPage", null=True, blank=True, on_delete=models.CASCADE, related_name="invite_links",
        verbose_name=_("event"),
    )
    panel = models.ForeignKey(
        "panels.Panel", null=True, blank=True, on_delete=models.CASCADE, related_name="invite_links",
        verbose_name=_("panel call"),
    )
    label = models.CharField(
        _("name for yourself"), max_length=80, blank=True,
        help_text=_("For example: flyer at the youth centre, WhatsApp group."),
    )
    paused = models.BooleanField(_("paused"), default=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    ends_at = models.DateTimeField(_("works until"), null=True, blank=True)
    visits = models.PositiveIntegerField(_("opened through the link"), default=0)
    qr_visits = models.PositiveIntegerField(_("opened through the QR code"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("invite link")
        verbose_name_plural = _("invite links")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(intermediary__isnull=False) | Q(referrer__isnull=False),
                name="invite_link_has_owner",
            ),
            models.CheckConstraint(
                condition=(Q(event__isnull=False) & Q(panel__isnull=True))
                | (Q(event__isnull=True) & Q(panel__isnull=False)),
                name="invite_link_has_target",
            ),
        ]

    def __str__(self):
        return self.code

    @property
    def is_friend_link(self):
        return self.referrer_id is not None

    def state(self, now=None):
        """'active', 'paused', 'revoked' or 'expired'."""
        now = now or timezone.now()
        if self.revoked_at:
            return "revoked"
        if self.ends_at and self.ends_at <= now:
            return "expired"
        if self.event_id and self.event.end and self.event.end <= now:
            return "expired"
        if self.panel_id and self.panel.status != "recruiting":
            return "expired"  # the call is closed
        if self.paused:
            return "paused"
        return "active"

    def get_state_display(self):
        return {
            "active": _("Active"), "paused": _("Paused"), "revoked": _("Revoked"),
            "expired": _("Ended"),
        }[self.state()]

    @property
    def target(self):
        return self.event or self.panel

    @property
    def target_title(self):
        return self.event.title if self.event_id else self.panel.name

    def target_url(self, request=None):
        if self.panel_id:
            from django.urls import reverse

            return reverse("panels:apply", args=[self.panel_id])
        return self.event.get_url(request)


class AttributionQuerySet(models.QuerySet):
    def live(self):
        """Attributions of registrations that still count (not cancelled)."""
        return self.exclude(registration__status=RegistrationStatus.CANCELLED)


class Attribution(models.Model):
    """How one registration came in: through which link or invitation, on which channel, how deep."""

    registration = models.OneToOneField(
        "events.Registration", on_delete=models.CASCADE, related_name="attribution",
        verbose_name=_("registration"),
    )
    invite_link = models.ForeignKey(
        InviteLink, null=True, blank=True, on_delete=models.SET_NULL, related_name="attributions",
        verbose_name=_("invite link"),
    )
    invitation = models.OneToOneField(
        "Invitation", null=True, blank=True, on_delete=models.SET_NULL, related_name="attribution",
        verbose_name=_("invitation"),
    )
    intermediary = models.ForeignKey(
        Intermediary, null=True, blank=True, on_delete=models.SET_NULL, related_name="attributions",
        verbose_name=_("intermediary at the start of the chain"),
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    depth = models.PositiveSmallIntegerField(
        _("depth in the chain"), default=1,
        help_text=_("1 = invited by the intermediary, 2 = by someone they invited, and so on."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = AttributionQuerySet.as_manager()

    class Meta:
        verbose_name = _("attribution")
        verbose_name_plural = _("attributions")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.registration_id} via {self.get_channel_display()} ({self.depth})"


class PoolAttribution(models.Model):
    """How one application to a panel's pool came in: through which intermediary's link, on which
    channel (link or QR code). Recorded by recruitment.signals from panels.signals.volunteer_applied."""

    volunteer = models.OneToOneField(
        "panels.Volunteer", on_delete=models.CASCADE, related_name="attribution",
        verbose_name=_("volunteer"),
    )
    invite_link = models.ForeignKey(
        InviteLink, null=True, blank=True, on_delete=models.SET_NULL, related_name="pool_attributions",
        verbose_name=_("invite link"),
    )
    intermediary = models.ForeignKey(
        Intermediary, null=True, blank=True, on_delete=models.SET_NULL, related_name="pool_attributions",
        verbose_name=_("intermediary"),
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("application through an intermediary")
        verbose_name_plural = _("applications through intermediaries")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.volunteer_id} via {self.get_channel_display()}"


class Invitation(models.Model):
    """One SMS or email invitation from an intermediary to one contact for one event.

    The address itself is not kept here: only a keyed hash (for "one invitation per contact per event"
    and to recognise the sign-up) and a masked form for the intermediary's list. The message row in
    messaging holds the address until its own retention rule deletes it.
    """

    intermediary = models.ForeignKey(
        Intermediary, on_delete=models.CASCADE, related_name="invitations",
        verbose_name=_("intermediary"),
    )
    event = models.ForeignKey(
        "events.EventPage", on_delete=models.CASCADE, related_name="invitations", verbose_name=_("event")
    )
    invite_link = models.ForeignKey(
        InviteLink, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("invite link")
    )
    code = models.CharField(_("code"), max_length=16, unique=True, default=new_code, editable=False)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    contact_hash = models.CharField(_("contact (hashed)"), max_length=64)
    contact_display = models.CharField(_("contact (partly hidden)"), max_length=80, blank=True)
    message = models.ForeignKey(
        "messaging.Message", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
    )
    visits = models.PositiveIntegerField(_("opened"), default=0)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    contact_cleared_at = models.DateTimeField(_("contact removed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "contact_hash"], name="one_invitation_per_contact_per_event"
            ),
        ]
        indexes = [models.Index(fields=["intermediary", "created_at"])]

    def __str__(self):
        return f"{self.get_channel_display()} {self.contact_display}"


class ConsentMethod(models.TextChoices):
    SPOKEN = "spoken", _("Spoken (in person or by phone)")
    PAPER = "paper", _("On paper")


class ContactVia(models.TextChoices):
    RESIDENT = "resident", _("To the resident")
    INTERMEDIARY = "intermediary", _("Through me (the intermediary)")


class OnBehalfRecord(models.Model):
    """How consent was given when an intermediary registered a resident on their behalf."""

    registration = models.OneToOneField(
        "events.Registration", on_delete=models.CASCADE, related_name="on_behalf",
        verbose_name=_("registration"),
    )
    intermediary = models.ForeignKey(
        Intermediary, on_delete=models.PROTECT, related_name="on_behalf_records",
        verbose_name=_("intermediary"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("recorded by"),
    )
    consent_method = models.CharField(
        _("how consent was given"), max_length=10, choices=ConsentMethod.choices
    )
    consent_given_at = models.DateTimeField(_("when consent was given"))
    contact_via = models.CharField(
        _("messages go"), max_length=12, choices=ContactVia.choices, default=ContactVia.RESIDENT
    )
    under_16 = models.BooleanField(_("younger than 16"), default=False)
    guardian_name = models.CharField(_("name of parent or guardian"), max_length=150, blank=True)
    guardian_consent_method = models.CharField(
        _("how the parent or guardian gave consent"), max_length=10, choices=ConsentMethod.choices,
        blank=True,
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("registration on someone's behalf")
        verbose_name_plural = _("registrations on someone's behalf")
        constraints = [
            models.CheckConstraint(
                # The guardian's name is removed by the retention rule; how they agreed stays.
                condition=Q(under_16=False) | ~Q(guardian_consent_method=""),
                name="under_16_needs_guardian_consent",
            ),
        ]

    def __str__(self):
        return f"{self.registration_id}: {self.get_consent_method_display()}"
