"""The rules of recruitment: links, invitations, attribution, registering on someone's behalf.

Views call these functions; tests call them without HTTP.
"""

import hashlib
import hmac
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.roles import INTERMEDIARY
from messaging.models import Channel as MessageChannel
from messaging.phone import normalise_phone, sms_refusal_message
from messaging.services import is_opted_out, queue
from participation.invites import INVITE_SESSION_KEY
from participation.site import site_url

from .models import Attribution, Channel, Intermediary, Invitation, InviteLink, PoolAttribution
from .printables import event_when, event_where

SESSION_KEY = INVITE_SESSION_KEY  # where follow() remembers the link; views read it back
VIA_CHOICES = {"qr": Channel.QR}


class RecruitmentError(Exception):
    """A rule said no; the message is in the user's language and can be shown as is."""


# Intermediaries ---------------------------------------------------------------------------------

def approved_intermediary(user):
    """The user's Intermediary if a coordinator approved it, else None."""
    if not getattr(user, "is_authenticated", False):
        return None
    intermediary = Intermediary.objects.filter(user=user).select_related("user").first()
    if intermediary is None or not intermediary.is_approved:
        return None
    return intermediary


def approve(intermediary, *, by):
    intermediary.approved_by = by
    intermediary.approved_at = timezone.now()
    intermediary.save(update_fields=["approved_by", "approved_at"])
    intermediary.user.groups.add(Group.objects.get(name=INTERMEDIARY))
    return intermediary


def withdraw_approval(intermediary):
    intermediary.approved_by = None
    intermediary.approved_at = None
    intermediary.save(update_fields=["approved_by", "approved_at"])
    intermediary.user.groups.remove(*Group.objects.filter(name=INTERMEDIARY))
    return intermediary


def _require_approved(intermediary):
    if intermediary is None or not intermediary.is_approved:
        raise RecruitmentError(_("Your account has not been approved as an intermediary yet."))


# Links ------------------------------------------------------------------------------------------

def site_base_url():
    return site_url()


def short_url(code):
    """/r/<code> without a language prefix: the short form printed on flyers."""
    with translation.override(settings.LANGUAGE_CODE):
        return site_base_url() + reverse("recruitment:follow", args=[code])


def qr_url(link):
    return short_url(link.code) + "?via=qr"


def open_events(now=None, *, viewer=None):
    """Events an intermediary can invite people to: published, not cancelled, not over, and not private
    to them (Wagtail's privacy settings, see events.visibility; `viewer` is the request or user, None:
    only public events)."""
    from events.visibility import visible_events

    now = now or timezone.now()
    return visible_events(viewer).filter(end__gt=now).not_cancelled().order_by("start")


def recruiting_panels():
    """Panels whose call is open: an intermediary can make links to their call form."""
    from panels.models import Panel

    return Panel.objects.filter(status=Panel.Status.RECRUITING).order_by("name")


def create_link(intermediary, event=None, *, panel=None, label="", ends_at=None):
    """A link to an open event or to the call form of a recruiting panel (exactly one of them)."""
    _require_approved(intermediary)
    if (event is None) == (panel is None):
        raise RecruitmentError(_("Choose an event or a panel call."))
    if panel is not None:
        if panel.status != panel.Status.RECRUITING:
            raise RecruitmentError(_("This panel is not looking for volunteers: you cannot make a link for it."))
        return InviteLink.objects.create(intermediary=intermediary, panel=panel, label=label, ends_at=ends_at)
    if event.end and event.end <= timezone.now():
        raise RecruitmentError(_("This event is over: you cannot make a link for it any more."))
    _require_visible(intermediary, event)
    _require_signup_possible(event)
    return InviteLink.objects.create(intermediary=intermediary, event=event, label=label, ends_at=ends_at)


def _require_visible(intermediary, event):
    """An event that Wagtail's privacy settings keep from this intermediary is not theirs to invite to."""
    from events.visibility import may_view

    if not may_view(event, intermediary.user):
        raise RecruitmentError(_("You cannot invite people to this event."))


def _require_signup_possible(event):
    """Inviting makes sense while sign-up is open or still to open; not when cancelled or closed."""
    state = event.signup_state()
    if state in ("cancelled", "closed", "past"):
        from events.services import signup_error_for_state

        raise RecruitmentError(signup_error_for_state(state))


def set_paused(link, paused):
    link.paused = paused
    link.save(update_fields=["paused"])
    return link


def revoke(link):
    if not link.revoked_at:
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at"])
    return link


def set_end(link, ends_at):
    link.ends_at = ends_at
    link.save(update_fields=["ends_at"])
    return link


def friend_registration(token):
    """The registration behind a personal "bring a friend" page, or None when it may not have one.

    Why here: only a live registration invites friends; a cancelled one no longer goes, and an
    anonymised one (retention) must not be reachable through its old token any more.
    """
    from events.models import Registration, RegistrationStatus

    registration = Registration.objects.select_related("event").filter(token=token).first()
    if (registration is None or registration.status == RegistrationStatus.CANCELLED
            or registration.anonymised_at):
        return None
    return registration


def friend_link_for(registration):
    """The resident's own "bring a friend" link for the event they signed up for (made once)."""
    link, _created = InviteLink.objects.get_or_create(
        referrer=registration, defaults={"event": registration.event}
    )
    return link


@dataclass
class FollowResult:
    event: object = None
    state: str = "unknown"  # active, paused, revoked, expired, unknown
    message: str = ""
    panel: object = None
    link: object = None


def follow(code, *, via="", session=None):
    """Someone opened /r/<code>: count it, remember it in their session, say where to go."""
    link = InviteLink.objects.select_related("event", "panel").filter(code=code).first()
    invitation = None
    if link is None:
        invitation = Invitation.objects.select_related("invite_link__event").filter(code=code).first()
        if invitation is None:
            return FollowResult()
        link = invitation.invite_link
    state = link.state()
    result = FollowResult(event=link.event, panel=link.panel, state=state, link=link)
    if state != "active":
        if link.panel_id:
            result.message = {
                "paused": _("This invite link is paused for now. You can still apply yourself below."),
                "revoked": _("This invite link no longer works. You can still apply yourself below."),
                "expired": _("This invite link has ended."),
            }[state]
        else:
            result.message = {
                "paused": _("This invite link is paused for now. You can still sign up yourself below."),
                "revoked": _("This invite link no longer works. You can still sign up yourself below."),
                "expired": _("This invite link has ended. You can still sign up yourself below if there is room."),
            }[state]
        return result
    if invitation is not None:
        Invitation.objects.filter(pk=invitation.pk).update(visits=F("visits") + 1)
    elif via == "qr":
        InviteLink.objects.filter(pk=link.pk).update(qr_visits=F("qr_visits") + 1)
    else:
        InviteLink.objects.filter(pk=link.pk).update(visits=F("visits") + 1)
    if session is not None:
        session[SESSION_KEY] = {
            "link": link.pk, "invitation": invitation.pk if invitation else None,
            "via": via if via in VIA_CHOICES else "", "event": link.event_id, "panel": link.panel_id,
        }
    return result


# Attribution ------------------------------------------------------------------------------------

def attribute(registration, invite=None):
    """Record how a new registration came in, if it did through a link, QR code or invitation.

    Called from events.signals.registration_created inside the sign-up's transaction. `invite` is the
    link remembered in the session (plain data: ids and how it was opened, see follow()); it counts when
    it is for this event; otherwise an invitation sent to this
    person's email address or number for this event does.
    """
    remembered = invite or {}
    link = invitation = None
    channel = None
    if remembered.get("event") == registration.event_id:
        link = InviteLink.objects.filter(pk=remembered.get("link"), revoked_at__isnull=True).first()
        if link is not None and remembered.get("invitation"):
            invitation = Invitation.objects.filter(
                pk=remembered["invitation"], attribution__isnull=True
            ).first()
    if link is None:
        invitation = _invitation_for_contact(registration)
        link = invitation.invite_link if invitation else None
    # Most sign-ups come in without a link: they cost one query, and only a found link asks whether
    # the registration was attributed already.
    if link is None or Attribution.objects.filter(registration=registration).exists():
        return None
    if link.referrer_id:
        if _same_person(link.referrer, registration):
            return None  # opening your own friend link and signing up again is not a friend
        channel = Channel.FRIEND
        parent = Attribution.objects.filter(registration_id=link.referrer_id).first()
        depth = parent.depth + 1 if parent else 1
        intermediary_id = parent.intermediary_id if parent else None
    else:
        if invitation is not None:
            channel = invitation.channel
        else:
            channel = VIA_CHOICES.get(remembered.get("via"), Channel.LINK)
        depth = 1
        intermediary_id = link.intermediary_id
    return Attribution.objects.create(
        registration=registration, invite_link=link, invitation=invitation,
        intermediary_id=intermediary_id, channel=channel, depth=depth,
    )


def attribute_application(volunteer, invite=None):
    """Record that an application to a panel's pool came in through an intermediary's link or QR code.

    Called from panels.signals.volunteer_applied inside the application's transaction. Only the link
    remembered in the session (`invite`, plain data) counts, when it is for this panel and not revoked (a paused or ended
    link is never remembered: follow() does not store it).
    """
    remembered = invite or {}
    if not remembered.get("panel") or remembered.get("panel") != volunteer.panel_id:
        return None
    link = InviteLink.objects.filter(
        pk=remembered.get("link"), panel_id=volunteer.panel_id, intermediary__isnull=False,
        revoked_at__isnull=True,
    ).first()
    if link is None or PoolAttribution.objects.filter(volunteer=volunteer).exists():
        return None
    return PoolAttribution.objects.create(
        volunteer=volunteer, invite_link=link, intermediary_id=link.intermediary_id,
        channel=VIA_CHOICES.get(remembered.get("via"), Channel.LINK),
    )


def _same_person(a, b):
    return (a.email and a.email.lower() == (b.email or "").lower()) or (a.phone and a.phone == b.phone)


def _invitation_for_contact(registration):
    hashes = [contact_hash(c) for c in (registration.email, registration.phone) if c]
    if not hashes:
        return None
    invited = Invitation.objects.filter(event_id=registration.event_id, contact_hash__in=hashes)
    # Most people signing up were not invited: a plain look-up on the (event, contact) key says so at a
    # third of the cost of the full question, which runs inside the sign-up's locked transaction.
    if not invited.exists():
        return None
    return invited.select_related("invite_link").filter(attribution__isnull=True).order_by("created_at").first()


# Invitations ------------------------------------------------------------------------------------

def contact_hash(contact):
    """A keyed hash of a normalised email address or E.164 number: equal contacts, equal hashes."""
    value = contact.strip().lower()
    return hmac.new(settings.SECRET_KEY.encode(), f"recruitment:{value}".encode(), hashlib.sha256).hexdigest()


def mask_contact(contact):
    if "@" in contact:
        local, domain = contact.split("@", 1)
        return f"{local[:1]}•••@{domain}"
    return f"{contact[:3]}••••{contact[-3:]}"


@dataclass
class ParsedContact:
    raw: str
    channel: str = ""
    value: str = ""
    error: str = ""

    @property
    def channel_label(self):
        return Channel(self.channel).label if self.channel else ""


def parse_contacts(text):
    """Split pasted text (lines, commas, semicolons) into email addresses and phone numbers."""
    parsed, seen = [], set()
    for raw in re.split(r"[\n,;]+", text or ""):
        raw = raw.strip()
        if not raw:
            continue
        item = ParsedContact(raw=raw)
        if "@" in raw:
            try:
                validate_email(raw)
                item.channel, item.value = Channel.EMAIL, raw.lower()
            except ValidationError:
                item.error = _("This is not a valid email address.")
        else:
            try:
                phone = normalise_phone(raw)
            except ValidationError as error:
                item.error = error.messages[0]
            else:
                # An invitation by SMS only to a number we may text (Dutch/EU mobile; messaging.phone).
                item.error = sms_refusal_message(phone) or ""
                if not item.error:
                    item.channel, item.value = Channel.SMS, phone
        if item.value:
            if item.value in seen:
                continue
            seen.add(item.value)
        parsed.append(item)
    return parsed


def daily_limit():
    return getattr(settings, "RECRUITMENT_INVITATIONS_PER_DAY", 50)


def sent_today(intermediary, now=None):
    """Invitations sent today, plus contacts skipped today (already signed up, invited or opted out):
    each costs one from the daily limit, so testing addresses is never free."""
    now = timezone.localtime(now or timezone.now())
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    skipped = Intermediary.objects.filter(pk=intermediary.pk, skipped_on=now.date()).values_list(
        "skipped_count", flat=True).first() or 0
    return Invitation.objects.filter(intermediary=intermediary, created_at__gte=midnight).count() + skipped


def _count_skipped(intermediary, count, now=None):
    if not count:
        return
    today = timezone.localdate(now or timezone.now())
    updated = Intermediary.objects.filter(pk=intermediary.pk, skipped_on=today).update(
        skipped_count=F("skipped_count") + count)
    if not updated:
        Intermediary.objects.filter(pk=intermediary.pk).update(skipped_on=today, skipped_count=count)


def remaining_today(intermediary, now=None):
    return max(0, daily_limit() - sent_today(intermediary, now))


def inviter_name(intermediary):
    user = intermediary.user
    return user.display_name or user.first_name or user.get_full_name() or intermediary.organisation


def invitation_texts(intermediary, event, url, note=""):
    """(sms_body, email_subject, email_body) in the active language. Plain words, one link."""
    values = {
        "name": inviter_name(intermediary), "organisation": intermediary.organisation,
        "title": event.title, "when": event_when(event), "where": event_where(event) or _("see the link"),
        "url": url,
    }
    note = (note or "").strip()
    sms = _("Hi! %(name)s (%(organisation)s) invites you to: %(title)s. When: %(when)s. "
            "Where: %(where)s.") % values
    if note:
        sms += " " + note
    sms += " " + _("Sign up: %(url)s") % values + " " + _("No more texts? Reply STOP.")
    subject = _("%(name)s invites you: %(title)s") % values
    body = _(
        "Hi,\n\n%(name)s of %(organisation)s invites you to:\n\n%(title)s\nWhen: %(when)s\n"
        "Where: %(where)s\n"
    ) % values
    if note:
        body += "\n" + note + "\n"
    body += "\n" + _("Do you want to come? Sign up here: %(url)s") % values + "\n\n" + _(
        "You get this email because %(name)s typed in your address. We do not use it for anything "
        "else and send you nothing more unless you sign up."
    ) % values + "\n"
    return sms, subject, body


@dataclass
class SendResult:
    """What happened to each pasted contact.

    What the intermediary may be shown (issue 11): `sent`, `invalid` and `over_limit` per contact (their
    own typing and their own limit); `own_skipped` per contact, with the reason, only for people who came
    in through this intermediary (their invitation, their link, or signed up by them); every other
    skipped contact only as a number, `skipped_count`, never which or why (it would tell whether someone
    is signed up or sent STOP). The lists `already_invited`, `already_signed_up` and `opted_out` are the
    service's full account for tests and logs, not for the screen.
    """

    sent: list = field(default_factory=list)
    already_invited: list = field(default_factory=list)
    already_signed_up: list = field(default_factory=list)
    opted_out: list = field(default_factory=list)
    invalid: list = field(default_factory=list)
    over_limit: list = field(default_factory=list)
    limit_reached: bool = False
    own_skipped: list = field(default_factory=list)  # (item, "invited" or "signed_up")

    @property
    def skipped_count(self):
        """Contacts skipped for a reason the intermediary may not see."""
        return len(self.already_invited) + len(self.already_signed_up) + len(self.opted_out) - len(
            self.own_skipped)


def _invitations_link(intermediary, event):
    """The intermediary's link for invitations to this event (made on first use)."""
    link = (
        InviteLink.objects.filter(intermediary=intermediary, event=event, label="", revoked_at__isnull=True)
        .order_by("created_at").first()
    )
    return link or InviteLink.objects.create(intermediary=intermediary, event=event)


def send_invitations(intermediary, event, contacts_text, *, note=""):
    """Invite each pasted contact to the event, within the rules. Returns a SendResult.

    One invitation per contact per event (a database rule); numbers that sent STOP are never texted;
    at most `RECRUITMENT_INVITATIONS_PER_DAY` invitations per intermediary per day.
    """
    _require_approved(intermediary)
    if event.end and event.end <= timezone.now():
        raise RecruitmentError(_("This event is over: you cannot invite people to it any more."))
    _require_visible(intermediary, event)
    _require_signup_possible(event)

    result = SendResult()
    parsed = parse_contacts(contacts_text)
    with transaction.atomic():
        # One sender at a time per intermediary, so two tabs cannot pass the daily limit together.
        Intermediary.objects.select_for_update().filter(pk=intermediary.pk).first()
        remaining = remaining_today(intermediary)
        link = _invitations_link(intermediary, event)
        skipped = 0
        for item in parsed:
            if item.error:
                result.invalid.append(item)
                continue
            # The limit first: beyond it nothing is looked up, so nobody learns anything about a contact.
            if remaining <= 0:
                result.over_limit.append(item)
                result.limit_reached = True
                continue
            remaining -= 1  # a skipped contact counts too
            reason = _skip_reason(intermediary, event, item)
            if reason is None:
                hashed = contact_hash(item.value)
                try:
                    with transaction.atomic():
                        invitation = Invitation.objects.create(
                            intermediary=intermediary, event=event, invite_link=link, channel=item.channel,
                            contact_hash=hashed, contact_display=mask_contact(item.value),
                        )
                except IntegrityError:  # someone else invited the same person a moment ago
                    reason = ("invited", False)
            if reason is not None:
                kind, own = reason
                {"opted_out": result.opted_out, "signed_up": result.already_signed_up,
                 "invited": result.already_invited}[kind].append(item)
                if own:
                    result.own_skipped.append((item, kind))
                skipped += 1
                continue
            sms, subject, body = invitation_texts(intermediary, event, short_url(invitation.code), note)
            message, _created = queue(
                channel=MessageChannel.SMS if item.channel == Channel.SMS else MessageChannel.EMAIL,
                recipient=item.value, subject="" if item.channel == Channel.SMS else subject,
                body=sms if item.channel == Channel.SMS else body,
                dedupe_key=f"recruitment:invitation:{invitation.pk}", purpose="recruitment_invitation",
            )
            invitation.message = message
            invitation.save(update_fields=["message"])
            result.sent.append(item)
        _count_skipped(intermediary, skipped)
    return result


def _skip_reason(intermediary, event, item):
    """Why this contact gets no invitation, as (kind, came in through this intermediary), or None."""
    from events.models import Registration

    if item.channel == Channel.SMS and is_opted_out(item.value):
        return ("opted_out", False)
    same = Q(email=item.value) if item.channel == Channel.EMAIL else Q(phone=item.value)
    registered = Registration.objects.filter(event=event).live().filter(same)
    if registered.exists():
        return ("signed_up", visible_registrations(intermediary).filter(event=event).filter(same).exists())
    invited_by = Invitation.objects.filter(event=event, contact_hash=contact_hash(item.value)).values_list(
        "intermediary_id", flat=True).first()
    if invited_by is not None:
        return ("invited", invited_by == intermediary.pk)
    return None


# What an intermediary may see -------------------------------------------------------------------

def visible_registrations(intermediary):
    """Registrations whose personal details this intermediary may see: people who came in through
    their own links or invitations, and people they registered themselves. Friends of those people
    (further down the chain) were invited by a resident, not by them: they only count in totals."""
    from events.models import Registration

    return Registration.objects.filter(
        Q(attribution__invite_link__intermediary=intermediary) | Q(registered_by=intermediary.user)
    ).distinct()


# On someone's behalf ----------------------------------------------------------------------------

NEW, ALREADY = "new", "already"


@dataclass
class OnBehalfOutcome:
    """`outcome` NEW or ALREADY; `registration` only when the intermediary may see it (new, or it came
    in through them). `message` is what to tell the intermediary."""

    registration: object
    outcome: str
    message: str


ACCESS_NEEDS = {"needs_wheelchair": False, "needs_sign_language": False, "needs_childcare": False,
                "needs_translation": "", "dietary": "", "access_other": ""}


def register_on_behalf(intermediary, data):
    """Sign a resident up for an event and record how they (and, under 16, a guardian) agreed.

    `data`: event, name, email, phone, contact_via ("resident" or "intermediary"), age_band, under_16
    ("yes"/"no" or bool), guardian_name, guardian_consent_method, consent_method, consent_given_at.
    Messages about the event go to the resident, or to the intermediary's own address when chosen.
    """
    from events.models import Registration
    from events.services import SignupError, register

    from .models import ContactVia, OnBehalfRecord

    _require_approved(intermediary)
    event = data["event"]
    _require_visible(intermediary, event)
    under_16 = data.get("under_16") in (True, "yes")
    if under_16 and not (data.get("guardian_name") and data.get("guardian_consent_method")):
        raise RecruitmentError(_(
            "Someone younger than 16 can only be signed up when a parent or guardian agrees "
            "(Dutch privacy law, UAVG art. 5). Ask the parent or guardian first."
        ))
    if not data.get("consent_method") or not data.get("consent_given_at"):
        raise RecruitmentError(_("Record how and when the resident agreed to be signed up."))
    via_me = data.get("contact_via") == ContactVia.INTERMEDIARY
    if via_me:
        email, phone = intermediary.user.email, ""
        if not email:
            raise RecruitmentError(_("Your account has no email address, so messages cannot go through you."))
        if Registration.objects.filter(event=event, email=email.lower()).live().exists():
            raise RecruitmentError(_(
                "Messages for someone else you signed up for this event already go to your address. "
                "For this person, fill in their own email address or mobile number."
            ))
    else:
        email, phone = data.get("email") or "", data.get("phone") or ""
    signup = {
        "name": data["name"], "email": email, "phone": phone, "consent_event": True,
        "age_band": data.get("age_band") or "",
        # Access needs the intermediary noted with the resident (issue 16).
        **{name: data.get(name) or default for name, default in ACCESS_NEEDS.items()},
    }
    if email and phone:
        # A number we may not text (from outside the EU, a landline) is kept for a call; messages go by email.
        try:
            signup["channels"] = "both" if sms_refusal_message(normalise_phone(phone)) is None else "email"
        except ValidationError:
            pass  # register() gives the clear message
    try:
        with transaction.atomic():
            result = register(event, signup, registered_by=intermediary.user)
            if result.outcome == ALREADY:
                return _already_on_behalf(intermediary, event, email, phone, data["name"])
            registration = result.registration
            OnBehalfRecord.objects.create(
                registration=registration, intermediary=intermediary, recorded_by=intermediary.user,
                consent_method=data["consent_method"], consent_given_at=data["consent_given_at"],
                contact_via=ContactVia.INTERMEDIARY if via_me else ContactVia.RESIDENT,
                under_16=under_16, guardian_name=data.get("guardian_name", "") if under_16 else "",
                guardian_consent_method=data.get("guardian_consent_method", "") if under_16 else "",
            )
            Attribution.objects.update_or_create(
                registration=registration,
                defaults={"intermediary": intermediary, "channel": Channel.ON_BEHALF, "depth": 1,
                          "invite_link": None, "invitation": None},
            )
    except SignupError as error:
        raise RecruitmentError(error.message) from None
    return OnBehalfOutcome(registration, NEW, neutral_on_behalf_message(registration.name))


def neutral_on_behalf_message(name):
    """The one answer to an on-behalf sign-up, new or not (issue 11): it must not tell whether the person
    was signed up already."""
    return _("Thank you. %(name)s gets a message with their personal link (or you, if messages go through "
             "you). It says whether they have a place or are on the waiting list.") % {"name": name}


def _already_on_behalf(intermediary, event, email, phone, name):
    """The address or number is signed up for the event already. The holder was sent their link by
    events.services.register; the intermediary hears the same as for a new sign-up, unless the person
    came in through them (then they may see them: `registration` is set)."""
    from events.services import _same_person

    try:
        phone = normalise_phone(phone) if (phone or "").strip() else ""
    except ValidationError:
        phone = ""
    email = (email or "").strip().lower()
    own = (visible_registrations(intermediary).filter(event=event).live()
           .filter(_same_person(email, phone)).first()) if (email or phone) else None
    if own is not None:
        return OnBehalfOutcome(own, ALREADY, _("%(name)s was already signed up for this event by you or "
                                               "through you.") % {"name": own.name})
    return OnBehalfOutcome(None, ALREADY, neutral_on_behalf_message(name))
