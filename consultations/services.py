"""Consultations' business rules, without request objects: versions, answering, invitations and
reminders, response rates. Results and weighting are in `results.py`."""

import re
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from messaging.phone import normalise_phone
from messaging.services import Contact, Notice, cancel_pending, notify_many
from panels.models import Volunteer
from population.models import Area
from population.representativeness import person_values

from . import questions as q
from .models import Audience, Consultation, Invitation, Questionnaire, QuestionnaireVersion, Response

CONTACTS_PER_YEAR = getattr(settings, "CONSULTATIONS_CONTACTS_PER_YEAR", 6)


# --- versions ------------------------------------------------------------------------------------------

def current_version(questionnaire):
    """The version new responses answer: the latest, or a new one when the questions changed after the
    latest got answers (a version without answers is simply brought up to date)."""
    with transaction.atomic():
        questionnaire = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
        raw = list(questionnaire.body.raw_data)
        latest = questionnaire.versions.order_by("-number").first()
        same = latest is not None and (latest.questions, latest.title, latest.introduction) == (
            raw, questionnaire.title, questionnaire.introduction)
        if same:
            return latest
        if latest is not None and not latest.responses.exists():
            latest.questions, latest.title, latest.introduction = raw, questionnaire.title, questionnaire.introduction
            latest.save(update_fields=["questions", "title", "introduction"])
            return latest
        return QuestionnaireVersion.objects.create(
            questionnaire=questionnaire, number=(latest.number + 1) if latest else 1, questions=raw,
            title=questionnaire.title, introduction=questionnaire.introduction)


def wijken_for(consultation):
    if not consultation.area_id:
        return []
    return list(Area.objects.filter(parent=consultation.area, level=Area.Level.WIJK).order_by("name")
                .values_list("code", "name"))


def questions_of(response_or_version, consultation=None):
    version = getattr(response_or_version, "version", response_or_version)
    consultation = consultation or getattr(response_or_version, "consultation", None)
    return q.from_stream(version.questions, wijken=wijken_for(consultation) if consultation else ())


# --- answering -----------------------------------------------------------------------------------------

class Closed(Exception):
    """The consultation is not open (not yet, or no longer)."""


def start(consultation, *, channel, mode=Response.Mode.WEB, invitation=None, entered_by=None, language="nl",
          now=None):
    now = now or timezone.now()
    if entered_by is None and not consultation.is_open(now):
        raise Closed
    return Response.objects.create(
        consultation=consultation, version=current_version(consultation.questionnaire), invitation=invitation,
        channel=channel, mode=mode, entered_by=entered_by, language=language, started_at=now)


def open_invitation(invitation, *, language="nl", now=None):
    """Someone followed their personal link: their response (started now, or the one they began)."""
    now = now or timezone.now()
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.opened_at is None:
            invitation.opened_at = now
            invitation.save(update_fields=["opened_at"])
        existing = Response.objects.filter(invitation=invitation).first()
        if existing:
            return existing
        return start(invitation.consultation, channel=Response.Channel.INVITATION, invitation=invitation,
                     language=language, now=now)


def screens(questions, answers, one_per_screen):
    """The screens as lists of questions, with skip logic applied to the answers so far."""
    if not one_per_screen:
        return [questions]
    return [[question] for question in questions if question.visible(answers)]


@dataclass
class Saved:
    errors: dict = field(default_factory=dict)
    finished: bool = False
    next_screen: int | None = None


def save_screen(response, screen_questions, data, *, screen_index, finish_when_last=True, partial=False, now=None):
    """Store the answers on one screen. With errors nothing is stored.

    partial: "save and continue later" (an empty required answer is not an error then).
    """
    if response.completed_at is not None and response.entered_by_id is None:
        return Saved(errors={"__all__": _("You already sent your answers. Thank you!")}, finished=True)
    if response.entered_by_id is None and not response.consultation.is_open(now):
        raise Closed
    answers, errors = q.read_screen(screen_questions, data, response.answers)
    if partial:
        errors = {code: message for code, message in errors.items() if code in _format_errors(screen_questions, data)}
    if errors:
        return Saved(errors=errors)
    everything = questions_of(response)
    response.answers = q.prune(everything, answers)
    all_screens = screens(everything, response.answers, response.consultation.one_question_per_screen)
    next_screen = screen_index if partial else screen_index + 1
    response.step = min(next_screen, max(len(all_screens) - 1, 0))
    fields = ["answers", "step"]
    finished = False
    if not partial and finish_when_last and next_screen >= len(all_screens):
        missing = q.missing_required(everything, response.answers)
        if missing:
            first = missing[0]
            index = next((i for i, s in enumerate(all_screens) if first in s), 0)
            response.step = index
            response.save(update_fields=fields)
            return Saved(errors={first.code: _("This question still needs an answer.")}, next_screen=index)
        finish(response, now=now, save=False)
        fields += ["completed_at", "profile"]
        finished = True
    response.save(update_fields=fields)
    if finished:
        _after_finish(response)
    return Saved(finished=finished, next_screen=next_screen)


def _format_errors(screen_questions, data):
    """Codes whose answer is wrong in itself (not merely missing): those stop a partial save too."""
    out = set()
    for question in screen_questions:
        relaxed = q.Question(**{**question.__dict__, "required": False})
        _value, error = q.read_answer(relaxed, data)
        if error:
            out.add(question.code)
    return out


def finish(response, *, now=None, save=True):
    now = now or timezone.now()
    response.completed_at = now
    response.profile = profile(response)
    if save:
        response.save(update_fields=["completed_at", "profile"])
        _after_finish(response)


def _after_finish(response):
    """A finished person gets no reminder."""
    if response.invitation_id:
        prefix = invitation_prefix(response.invitation)
        transaction.on_commit(lambda: cancel_pending(prefix))


def profile(response):
    """The respondent's categories for weighting: their own answers first, then what the panel or event
    knew about them ({dimension: category}; unknown left out)."""
    out = {}
    if response.invitation_id and response.invitation.profile:
        out.update({k: v for k, v in response.invitation.profile.items() if v})
    for question in questions_of(response):
        kind = q.demographic_kind(question)
        value = response.answers.get(question.code)
        if kind and value and value not in (q.PREFER_NOT_TO_SAY, "other", "elsewhere"):
            out[kind] = value
        elif kind and value in (q.PREFER_NOT_TO_SAY, "other", "elsewhere"):
            out.pop(kind, None)
    return out


def enter_on_behalf(consultation, *, mode, user, language="nl"):
    """Staff, a volunteer or an intermediary types in a paper form or a phone interview."""
    if mode not in (Response.Mode.PAPER, Response.Mode.PHONE, Response.Mode.ASSISTED):
        raise ValueError(mode)
    return start(consultation, channel=Response.Channel.STAFF, mode=mode, entered_by=user, language=language)


def save_on_behalf(response, data, now=None):
    """All questions at once, as typed in from paper; required answers may stay empty (paper is paper)."""
    everything = questions_of(response)
    relaxed = [q.Question(**{**question.__dict__, "required": False}) for question in everything]
    answers, errors = q.read_screen(relaxed, data, {})
    if errors:
        return Saved(errors=errors)
    response.answers = q.prune(everything, answers)
    response.save(update_fields=["answers"])
    finish(response, now=now)
    return Saved(finished=True)


# --- invitations ---------------------------------------------------------------------------------------

def invitation_prefix(invitation):
    return f"consultations:inv:{invitation.pk}:"


def personal_url(invitation):
    from events.calendar import absolute

    with translation.override(invitation.language or "nl"):
        return absolute(reverse("consultations:invitation", args=[invitation.token]))


def open_url(consultation):
    from events.calendar import absolute

    return absolute(reverse("consultations:open", args=[consultation.open_key]))


@dataclass
class Person:
    name: str = ""
    email: str = ""
    phone: str = ""
    language: str = "nl"
    volunteer: object = None
    registration: object = None
    profile: dict = field(default_factory=dict)


class ContactListError(ValueError):
    def __init__(self, problems):
        self.problems = problems
        super().__init__("; ".join(problems))


SPLIT = re.compile(r"[;,\t]")


def parse_contacts(text):
    """A pasted list, one person a line: name, email address and/or mobile number, in any order,
    separated by commas, semicolons or tabs. Raises ContactListError listing every bad line."""
    people, problems, seen = [], [], set()
    for number, line in enumerate((text or "").splitlines(), start=1):
        parts = [p.strip() for p in SPLIT.split(line) if p.strip()]
        if not parts:
            continue
        person = Person()
        names, bad = [], len(problems)
        for part in parts:
            if "@" in part:
                try:
                    validate_email(part)
                except ValidationError:
                    problems.append(_("line %(n)s: %(value)s is not an email address") % {"n": number, "value": part})
                    continue
                person.email = part.lower()
            elif re.fullmatch(r"[+\d][\d \-()]{6,}", part):
                try:
                    person.phone = normalise_phone(part)
                except ValidationError:
                    problems.append(_("line %(n)s: %(value)s is not a phone number") % {"n": number, "value": part})
            else:
                names.append(part)
        person.name = " ".join(names)[:200]
        if len(problems) > bad:
            continue
        if not person.email and not person.phone:
            problems.append(_("line %(n)s: no email address or mobile number") % {"n": number})
            continue
        key = person.email or person.phone
        if key in seen:
            continue
        seen.add(key)
        people.append(person)
    if problems:
        raise ContactListError(problems)
    return people


def audience_people(consultation, contacts_text=""):
    """Who to invite for the consultation's audience."""
    if consultation.audience == Audience.CONTACTS:
        return parse_contacts(contacts_text)
    if consultation.audience in (Audience.PANEL, Audience.POOL):
        if consultation.audience == Audience.PANEL:
            volunteers = Volunteer.objects.filter(memberships__panel=consultation.panel,
                                                  memberships__left_on__isnull=True).distinct()
        else:
            volunteers = consultation.panel.pool.exclude(status=Volunteer.Status.WITHDRAWN)
        volunteers = volunteers.filter(anonymised_at__isnull=True).select_related("wijk", "wijk__parent")
        return [Person(name=v.name, email=v.email, phone=v.phone, volunteer=v,
                       profile=_known(_values(v)))
                for v in volunteers]
    if consultation.audience == Audience.EVENT:
        from events import services as event_services

        registrations = event_services.participants(consultation.event).select_related("wijk", "wijk__parent")
        return [Person(name=r.name, email=r.email, phone=r.phone if r.channels in ("sms", "both") else "",
                       language=r.language or "nl", registration=r,
                       profile=_known(_values(r)))
                for r in registrations]
    return []


def _values(person):
    """A volunteer's or registration's categories per dimension (origin only with consent)."""
    return person_values(age_band=person.age_band, gender=person.gender, wijk=person.wijk, origin=person.origin,
                         origin_consent=getattr(person, "origin_consent", False),
                         extra=getattr(person, "extra", None))


def _known(values):
    return {k: v for k, v in values.items() if v}


@dataclass
class Invited:
    created: list
    over_cap: list
    already: int


def contacts_this_year(people, now):
    """How many invitations each address/number got in the last 365 days (all consultations)."""
    since = now - timedelta(days=365)
    emails = [p.email for p in people if p.email]
    phones = [p.phone for p in people if p.phone]
    rows = Invitation.objects.filter(invited_at__gte=since).filter(
        Q(email__in=emails) | Q(phone__in=phones)).values_list("email", "phone")
    counts = {}
    for email, phone in rows:
        for key in {email, phone} - {""}:
            counts[key] = counts.get(key, 0) + 1
    return counts


def invite(consultation, people, *, wave=1, now=None, cap=None):
    """Create invitations for `people` and queue the personal links (and a reminder) through messaging.

    Someone already invited to this consultation is skipped; someone asked `cap` times in the last year
    (the panel's yearly contact cap) is skipped and listed. Returns Invited.
    """
    now = now or timezone.now()
    cap = CONTACTS_PER_YEAR if cap is None else cap
    existing = set()
    for email, phone in consultation.invitations.values_list("email", "phone"):
        existing |= {email, phone} - {""}
    counts = contacts_this_year(people, now)
    fresh, over_cap, already = [], [], 0
    for person in people:
        keys = {person.email, person.phone} - {""}
        if keys & existing:
            already += 1
            continue
        if max((counts.get(k, 0) for k in keys), default=0) >= cap:
            over_cap.append(person)
            continue
        existing |= keys
        fresh.append(Invitation(
            consultation=consultation, source=consultation.audience, name=person.name, email=person.email,
            phone=person.phone, language=person.language, volunteer=person.volunteer,
            registration=person.registration, profile=person.profile, wave=wave, invited_at=now))
    with transaction.atomic():
        created = Invitation.objects.bulk_create(fresh, batch_size=1000)
        if not created or created[0].pk is None:  # SQLite before 3.35 returns no keys
            created = list(consultation.invitations.filter(invited_at=now, wave=wave))
        notify_many([n for invitation in created for n in invitation_notices(invitation, now)])
    return Invited(created=created, over_cap=over_cap, already=already)


def invitation_notices(invitation, now):
    consultation = invitation.consultation
    url = personal_url(invitation)
    with translation.override(invitation.language or "nl"):
        greeting = _("Dear %(name)s,") % {"name": invitation.name} if invitation.name else _("Hello,")
        closes = timezone.localtime(consultation.closes_at).strftime("%d-%m-%Y")
        body = "\n\n".join([
            greeting,
            _("We would like to know what you think: %(title)s.") % {"title": consultation.title},
            _("Answer the questions with your personal link. You do not need an account. You can stop and "
              "continue later with the same link. You can answer until %(date)s.") % {"date": closes},
            url,
            _("Do you want to answer on paper or by phone? Reply to this message."),
        ])
        sms = _("Municipality: what do you think? Answer here until %(date)s: %(url)s") % {"date": closes, "url": url}
        notices = [Notice(_contact(invitation), dedupe_key=invitation_prefix(invitation) + "invite",
                          subject=_("Your opinion: %(title)s") % {"title": consultation.title},
                          email_body=body, sms_body=sms, purpose="consultations:invite")]
        if consultation.reminder_days:
            remind_at = now + timedelta(days=consultation.reminder_days)
            if remind_at < consultation.closes_at:
                notices.append(Notice(
                    _contact(invitation), dedupe_key=invitation_prefix(invitation) + "reminder",
                    subject=_("Reminder: %(title)s") % {"title": consultation.title},
                    email_body="\n\n".join([greeting, _("You have not finished the questions yet. Your answers "
                                                        "so far are saved. Continue here:"), url]),
                    sms_body=_("Reminder: finish the questions until %(date)s: %(url)s") % {"date": closes, "url": url},
                    purpose="consultations:reminder", send_after=remind_at))
    return notices


def _contact(invitation):
    channels = set()
    if invitation.email:
        channels.add("email")
    if invitation.phone and not invitation.email:
        channels.add("sms")
    return Contact(email=invitation.email, phone=invitation.phone, channels=frozenset(channels))


# --- response rates ------------------------------------------------------------------------------------

@dataclass
class Rates:
    invited: int
    opened: int
    started: int
    completed: int
    partial: int
    rr1: float | None
    rr2: float | None
    by_mode: dict
    by_channel: dict
    open_responses: int
    waves: list

    def sentences(self):
        out = []
        if self.invited:
            out.append(_("%(invited)s people were invited. %(opened)s opened their link, %(started)s started "
                         "and %(completed)s finished.") % self.__dict__)
            out.append(_("Response rate: %(rr1)s of the people invited answered every question they had to "
                         "(AAPOR RR1). Counting those who answered part of it: %(rr2)s (RR2).")
                       % {"rr1": _pct(self.rr1), "rr2": _pct(self.rr2)})
        if self.open_responses:
            out.append(_("%(n)s answers came through the open link or QR code. For those we do not know how "
                         "many people saw the link, so there is no response rate.") % {"n": self.open_responses})
        if not self.invited and not self.open_responses:
            out.append(_("Nobody has answered yet."))
        return out


def _pct(value):
    return "-" if value is None else f"{100 * value:.0f}%"


def rates(consultation):
    inv = consultation.invitations.aggregate(
        invited=Count("pk"), opened=Count("pk", filter=Q(opened_at__isnull=False)),
        started=Count("response", filter=Q(response__isnull=False)),
        completed=Count("response", filter=Q(response__completed_at__isnull=False)))
    responses = consultation.responses
    partial = inv["started"] - inv["completed"]
    invited = inv["invited"]
    by_mode = dict(responses.filter(completed_at__isnull=False).values_list("mode").annotate(n=Count("pk")))
    by_channel = dict(responses.filter(completed_at__isnull=False).values_list("channel").annotate(n=Count("pk")))
    waves = list(consultation.invitations.values("wave").annotate(
        invited=Count("pk"), completed=Count("response", filter=Q(response__completed_at__isnull=False)))
        .order_by("wave"))
    return Rates(
        invited=invited, opened=inv["opened"], started=inv["started"], completed=inv["completed"],
        partial=partial, rr1=inv["completed"] / invited if invited else None,
        rr2=(inv["completed"] + partial) / invited if invited else None,
        by_mode={str(Response.Mode(k).label): v for k, v in by_mode.items()},
        by_channel={str(Response.Channel(k).label): v for k, v in by_channel.items()},
        open_responses=responses.filter(channel=Response.Channel.OPEN, completed_at__isnull=False).count(),
        waves=waves)


def remind_now(consultation, now=None):
    """Send a reminder today to everyone invited who has not finished (wave reminders on demand)."""
    now = now or timezone.now()
    todo = consultation.invitations.filter(unlinked_at__isnull=True).exclude(response__completed_at__isnull=False)
    notices = []
    for invitation in todo:
        for notice in invitation_notices(invitation, now):
            if notice.purpose == "consultations:invite":
                url = personal_url(invitation)
                notices.append(Notice(notice.contact, dedupe_key=invitation_prefix(invitation) + f"remind:{now:%Y%m%d}",
                                      subject=_("Reminder: %(title)s") % {"title": consultation.title},
                                      email_body=notice.email_body, sms_body=notice.sms_body[:70] + " " + url
                                      if len(notice.sms_body) > 160 else notice.sms_body,
                                      purpose="consultations:reminder"))
    created = notify_many(notices)
    todo.update(reminded_at=now)
    return len(created)


def consultations_open_now():
    now = timezone.now()
    return Consultation.objects.filter(opens_at__lte=now, closes_at__gt=now, closed_at__isnull=True)
