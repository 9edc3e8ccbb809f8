"""After the lottery (issue 14): telling people, their answers, the deadline, and the quotas a panel misses.

Statuses (Volunteer.Status): applied ("available") → selected → confirmed / declined / no answer → member →
left; applied → not selected (on the reserve list for replacement draws only if they agreed); withdrawn.

- After a draw (first or replacement) the coordinator reviews the texts (`preview`) and sends them in one
  action (`send_results`): selected people get a deadline (Panel.response_days, longer for groups that drop
  out more: Panel.response_days_for) and a personal link; the others hear they were not selected and
  whether they stay on the reserve list. The request only marks who is told; the message worker builds and
  queues the messages (`panels.tasks.queue_result_messages`), one per person per kind by dedupe key.
- Answers from the personal page: `confirm`, `decline`, `withdraw`, `change_contact`. Each locks the row,
  checks the status and the deadline, and raises AnswerError (a clear sentence, nothing changed) otherwise.
- `expire` (daily, `manage.py panel_deadlines`): selected people past their deadline get "no answer" and
  their seat opens; confirmed people become members when the panel's term has started.
- `quota_status`: per category held by the current members vs the panel's quota band, with shortfalls.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from messaging.phone import normalise_phone, sms_refusal_message
from messaging.services import Contact

from . import notices
from .models import Panel, PanelMember, Volunteer
from .services import PanelError, panel_quotas, population_for_panel, selection_people

S = Volunteer.Status
WAITING_TO_BE_TOLD = (S.SELECTED, S.NOT_SELECTED)


class AnswerError(PanelError):
    """The answer cannot be taken (already answered, too late, wrong status); nothing was changed."""


# --- telling people after a draw ------------------------------------------------------------------------

def pending(panel):
    """Who still has to hear the result of a draw: {"selected": [...], "not_selected": [...]}."""
    volunteers = panel.pool.filter(status__in=WAITING_TO_BE_TOLD, told_at__isnull=True,
                                   anonymised_at__isnull=True).select_related("panel").order_by("pk")
    result = {"selected": [], "not_selected": []}
    for volunteer in volunteers:
        result["selected" if volunteer.status == S.SELECTED else "not_selected"].append(volunteer)
    return result


def deadline(panel, volunteer, now):
    """The end of the day, `response_days_for(volunteer)` days from now, in the site's time zone."""
    day = timezone.localtime(now).date() + timedelta(days=panel.response_days_for(volunteer))
    return timezone.make_aware(datetime.combine(day, time(23, 59)))


def _sample(panel, status, reserve):
    """A stand-in person for the preview, so the coordinator sees the exact text without anyone's data."""
    sample = Volunteer(panel=panel, name=_("[name]"), email="voorbeeld@example.org", status=status,
                       reserve_consent=reserve, token="voorbeeld", reference="ABCD2345")
    return sample


def preview(panel, now=None):
    """The texts the coordinator reviews before sending: per kind and language, email subject/body and SMS."""
    now = now or timezone.now()
    kinds = []
    for kind, status, reserve, label in (
        ("selected", S.SELECTED, False, _("Selected: confirm or decline")),
        ("reserve", S.NOT_SELECTED, True, _("Not selected, on the reserve list")),
        ("not_selected", S.NOT_SELECTED, False, _("Not selected, not on the reserve list")),
    ):
        languages = []
        for language in ("nl", "en"):
            person = _sample(panel, status, reserve)
            person.language = language
            if status == S.SELECTED:
                person.respond_by = deadline(panel, person, now)
                built = notices.selected_notices(person, now)[0]
            else:
                built = notices.not_selected_notice(person)
            languages.append({"language": language, "subject": built.subject, "email": built.email_body,
                              "sms": built.sms_body})
        kinds.append({"kind": kind, "label": label, "languages": languages})
    return kinds


def deadline_rule(panel):
    """The longer-deadline rule, said in words for the coordinator."""
    if panel.response_days_extended > panel.response_days:
        return _("People have %(days)s days to answer, with one reminder. People aged 15 to 24 get %(extended)s "
                 "days: young people drop out more often during confirmation.") % {
            "days": panel.response_days, "extended": panel.response_days_extended}
    return _("Everyone has %(days)s days to answer, with one reminder.") % {"days": panel.response_days}


@dataclass
class SendResult:
    selected: int
    not_selected: int


def send_results(panel, *, now=None):
    """Tell everyone who is waiting for the result of a draw, in one action. Returns the counts.

    In the request only the deadlines and "told" marks are written (under the panel's row lock, so a double
    click tells nobody twice); after commit the message worker builds and queues the messages.
    """
    from .tasks import queue_result_messages

    now = now or timezone.now()
    with transaction.atomic():
        Panel.objects.select_for_update().filter(pk=panel.pk).first()
        waiting = pending(panel)
        ids = []
        for volunteer in waiting["selected"]:
            volunteer.respond_by = deadline(panel, volunteer, now)
            volunteer.told_at = now
            volunteer.save(update_fields=["respond_by", "told_at"])
            ids.append(volunteer.pk)
        told = [v.pk for v in waiting["not_selected"]]
        Volunteer.objects.filter(pk__in=told).update(told_at=now)
        ids += told
        if ids:
            transaction.on_commit(lambda: queue_result_messages.enqueue(panel.pk, ids))
    return SendResult(len(waiting["selected"]), len(waiting["not_selected"]))


def queue_result_messages(panel, ids, now=None):
    """Run by the worker: the messages for the people `send_results` marked. Idempotent (dedupe keys)."""
    now = now or timezone.now()
    built = []
    for volunteer in panel.pool.filter(pk__in=ids, told_at__isnull=False,
                                       anonymised_at__isnull=True).select_related("panel"):
        if volunteer.status == S.SELECTED and volunteer.respond_by:
            built += notices.selected_notices(volunteer, now)
        elif volunteer.status == S.NOT_SELECTED:
            built.append(notices.not_selected_notice(volunteer))
    return notices.send(built)


# --- answers from the personal page ---------------------------------------------------------------------

def _locked(volunteer):
    return Volunteer.objects.select_for_update().select_related("panel").get(pk=volunteer.pk)


def _close_seat(volunteer, reason, today):
    PanelMember.objects.filter(volunteer=volunteer, left_on__isnull=True).update(left_on=today, leave_reason=reason)


def _check_open_answer(volunteer, now):
    if volunteer.status in (S.CONFIRMED, S.MEMBER):
        raise AnswerError(_("You have already said yes. Nothing has changed."))
    if volunteer.status == S.DECLINED:
        raise AnswerError(_("You have already said no. Nothing has changed."))
    if volunteer.status == S.NO_ANSWER or (
            volunteer.status == S.SELECTED and volunteer.respond_by and now > volunteer.respond_by):
        raise AnswerError(_("The time to answer has passed, so your place has gone to someone else. Nothing "
                            "has changed."))
    if volunteer.status != S.SELECTED or volunteer.told_at is None:
        raise AnswerError(_("There is nothing to answer at the moment. Nothing has changed."))


def _term_started(panel, today):
    return panel.term_start is None or panel.term_start <= today


def confirm(volunteer, *, now=None):
    """The person says yes: confirmed (a member from the start of the panel's term)."""
    now = now or timezone.now()
    with transaction.atomic():
        volunteer = _locked(volunteer)
        _check_open_answer(volunteer, now)
        today = timezone.localdate(now)
        volunteer.status = S.MEMBER if _term_started(volunteer.panel, today) else S.CONFIRMED
        volunteer.answered_at = now
        volunteer.save(update_fields=["status", "answered_at"])
        notices.cancel_reminder(volunteer)
        notices.send([notices.answer_notice(volunteer, "confirmed")])
    return volunteer


def decline(volunteer, *, now=None):
    """The person says no: their seat opens for a replacement draw."""
    now = now or timezone.now()
    with transaction.atomic():
        volunteer = _locked(volunteer)
        _check_open_answer(volunteer, now)
        volunteer.status, volunteer.answered_at = S.DECLINED, now
        volunteer.save(update_fields=["status", "answered_at"])
        _close_seat(volunteer, _("Declined"), timezone.localdate(now))
        notices.cancel_reminder(volunteer)
        notices.send([notices.answer_notice(volunteer, "declined")])
    return volunteer


def can_withdraw(volunteer):
    return volunteer.status in (S.AVAILABLE, S.NOT_SELECTED, S.SELECTED, S.CONFIRMED, S.MEMBER)


def withdraw(volunteer, *, now=None):
    """The person takes their application back (from the pool or the reserve list), or leaves the panel."""
    now = now or timezone.now()
    with transaction.atomic():
        volunteer = _locked(volunteer)
        if not can_withdraw(volunteer):
            raise AnswerError(_("Your application is no longer active, so there is nothing to withdraw. Nothing "
                                "has changed."))
        today = timezone.localdate(now)
        if volunteer.status == S.SELECTED:
            if volunteer.respond_by and now > volunteer.respond_by:
                raise AnswerError(_("The time to answer has passed, so your place has gone to someone else. "
                                    "Nothing has changed."))
            volunteer.status, key = S.DECLINED, "declined"
            _close_seat(volunteer, _("Declined"), today)
        elif volunteer.status in (S.CONFIRMED, S.MEMBER):
            volunteer.status, key = S.LEFT, "left"
            _close_seat(volunteer, _("Left (said so on their page)"), today)
        else:
            volunteer.status, key = S.WITHDRAWN, "withdrawn"
        volunteer.answered_at = now
        volunteer.save(update_fields=["status", "answered_at"])
        notices.cancel_reminder(volunteer)
        notices.send([notices.answer_notice(volunteer, key)])
    return volunteer


def change_contact(volunteer, *, name, email, phone, now=None):
    """New name, email address or mobile number. The number must be one we may text when it is the only
    way to reach the person. Both the old and the new address hear of the change."""
    now = now or timezone.now()
    name = (name or "").strip()
    email = (email or "").strip().lower()
    if not name:
        raise AnswerError(_("Fill in your name."))
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise AnswerError(_("This is not a valid email address.")) from None
    try:
        phone = normalise_phone(phone) if (phone or "").strip() else ""
    except ValidationError as error:
        raise AnswerError(error.messages[0]) from None
    if not email and not phone:
        raise AnswerError(_("Fill in an email address or a mobile number, so we can reach you."))
    if phone:
        refusal = sms_refusal_message(phone)
        if refusal:
            raise AnswerError(refusal)
    try:
        with transaction.atomic():
            volunteer = _locked(volunteer)
            if volunteer.status == S.WITHDRAWN or volunteer.anonymised_at:
                raise AnswerError(_("Your application is no longer active. Nothing has changed."))
            old = Contact(email=volunteer.email, phone=volunteer.phone)
            if (volunteer.name, volunteer.email, volunteer.phone) == (name, email, phone):
                return volunteer
            volunteer.name, volunteer.email, volunteer.phone = name, email, phone
            volunteer.save(update_fields=["name", "email", "phone"])
            notices.send(notices.contact_changed_notice(volunteer, old, int(now.timestamp())))
    except IntegrityError:
        # Another live application to this panel has this address or number. Said without saying whose.
        raise AnswerError(_("We cannot use this email address or mobile number for your application. Use "
                            "another one, or contact the municipality. Nothing has changed.")) from None
    return volunteer


# --- the daily job ---------------------------------------------------------------------------------------

def expire(now=None):
    """Selected people past their deadline: "no answer", their seat opens. Confirmed people whose panel's
    term has started: members. Returns the counts."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    late = 0
    for volunteer in Volunteer.objects.filter(status=S.SELECTED, respond_by__lt=now).select_related("panel"):
        with transaction.atomic():
            locked = _locked(volunteer)
            if locked.status != S.SELECTED or not locked.respond_by or locked.respond_by >= now:
                continue
            locked.status = S.NO_ANSWER
            locked.save(update_fields=["status"])
            _close_seat(locked, _("No answer in time"), today)
            notices.cancel_reminder(locked)
            notices.send([notices.answer_notice(locked, "no-answer")])
            late += 1
    started = Volunteer.objects.filter(status=S.CONFIRMED, panel__term_start__lte=today).update(status=S.MEMBER)
    return {"no answer": late, "members": started}


# --- quotas the panel misses -----------------------------------------------------------------------------

def quota_status(panel):
    """Per category: held by the current members (selected, confirmed or member) vs the quota band.

    Returns {"open": open places, "rows": [...], "short": [...]} where each row has the dimension and
    category labels, held, min, max and a status "short" (held < min), "over" (held > max) or "ok".
    Raises LookupError without population figures.
    """
    population = population_for_panel(panel)
    current = [m.volunteer for m in panel.current_members().select_related("volunteer")]
    from .services import UNKNOWN_VALUE, eligible_pool

    everyone = selection_people(current + list(eligible_pool(panel)), population)
    quotas = panel_quotas(panel, population, everyone)
    held_people = selection_people(current, population)
    rows = []
    for (feature, value), (low, high) in quotas.items():
        if value == UNKNOWN_VALUE:
            continue
        held = sum(1 for values in held_people.values() if values.get(feature) == value)
        status = "short" if held < low else "over" if held > high else "ok"
        rows.append({
            "dimension": population.dimension_labels.get(feature, feature),
            "category": population.labels.get(feature, {}).get(value, value),
            "held": held, "min": low, "max": high, "status": status, "missing": max(0, low - held),
        })
    return {"open": max(0, panel.target_size - len(current)), "rows": rows,
            "short": [row for row in rows if row["status"] != "ok"]}
