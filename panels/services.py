"""Business rules of panels: populations, quotas, applications to the pool, selection and replacement.

Views and the admin stay thin and call these. The lottery itself lives in panels.selection (pure Python,
no Django); this module feeds it the pool and records every run as an audit record (SelectionRun).
"""

import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from messaging.phone import normalise_phone
from population import dimensions, presentation, representativeness
from population.figures import population_for
from population.statistics import hamilton

from . import notices
from .groups import people_from_panel, people_from_pool
from .models import Panel, PanelMember, SelectionRun, Volunteer
from .signals import volunteer_applied

UNKNOWN_VALUE = "unknown"  # how an unknown answer reaches the selection (it has a quota of 0..K)


class PanelError(Exception):
    """A rule of panels stops the action; the message is in the user's language."""


class NotOptimalLottery(PanelError):
    """The lottery stopped (PANELS_SELECTION_MAX_SECONDS) before it was proven the fairest; nothing was
    drawn. ``zero`` lists volunteers who could be selected but have chance 0. Run again with
    ``accept_not_optimal=True`` once the coordinator has confirmed."""

    def __init__(self, zero=()):
        self.zero = list(zero)
        message = _("The computation stopped at its time limit before the fairest lottery was found. Some "
                    "volunteers may get a smaller chance than they should.")
        if self.zero:
            message += " " + _("%(n)s volunteers who could be chosen have no chance at all in this lottery.") % {
                "n": len(self.zero)}
        super().__init__(message)


def selection_max_seconds():
    """PANELS_SELECTION_MAX_SECONDS (default None: no time limit) caps the lottery's computation."""
    from django.conf import settings

    return getattr(settings, "PANELS_SELECTION_MAX_SECONDS", None)


# --- population and quotas -------------------------------------------------------------------------------

def population_for_panel(panel):
    return population_for(panel.area.municipality, panel.area, min_age=panel.min_age, max_age=panel.max_age)


def panel_report(panel, population=None, group="panel"):
    population = population or population_for_panel(panel)
    people = people_from_panel(panel) if group == "panel" else people_from_pool(panel)
    return representativeness.check(population, people, panel.target_size)


def public_panel_report(panel):
    """The representativeness report for the panel's public page, or None when it must not be shown.

    Why here: it is published only when the coordinator chose to (publish_representativeness), the
    panel has current members, and population figures exist; the page then masks it (table_cells).
    """
    if not (panel.publish_representativeness and panel.current_members().exists()):
        return None
    try:
        return panel_report(panel)
    except LookupError:
        return None


def panel_quotas(panel, population=None, people=None):
    """{(dimension, category): (min, max)} for the panel's target size: Hamilton's bands, widened by the
    panel's tolerance, plus an "unknown" category (0..K) so people who did not answer can be selected.

    With `people` (the selection's {reference: values}), a dimension nobody in the pool answered (for
    example an uploaded education dimension the call form does not ask) gets no quotas.
    """
    population = population or population_for_panel(panel)
    size = panel.target_size
    quotas = {}
    for name, categories in population.counts.items():
        if people is not None and all(values.get(name) == UNKNOWN_VALUE for values in people.values()):
            continue
        cats = list(categories)
        bands = hamilton([categories[c] for c in cats], size)
        for category, (_quota, low, high) in zip(cats, bands, strict=True):
            quotas[(name, category)] = (max(0, low - panel.quota_tolerance), min(size, high + panel.quota_tolerance))
        quotas[(name, UNKNOWN_VALUE)] = (0, size)
    return quotas


def selection_people(volunteers, population):
    """{reference: {dimension: value}} for the selection: values outside the population become unknown."""
    people = {}
    for volunteer in volunteers:
        values = representativeness.person_values(
            age_band=volunteer.age_band, gender=volunteer.gender, wijk=volunteer.wijk,
            origin=volunteer.origin, origin_consent=volunteer.origin_consent, extra=volunteer.extra,
        )
        people[volunteer.reference] = {
            name: (values.get(name) if values.get(name) in categories else UNKNOWN_VALUE)
            for name, categories in population.counts.items()
        }
    return people


def eligible_pool(panel):
    """Volunteers in the pool who can still be selected (not withdrawn, not on the panel, of eligible age;
    after the first draw only those on the reserve list)."""
    from population.figures import age_fraction

    # Before the first draw everyone who applied; after it, those not selected who agreed to stay on the
    # reserve list (issue 14), and anyone who applied since: Volunteer.objects.eligible().
    pool = panel.pool.eligible().select_related("wijk", "wijk__parent")
    too_young_or_old = [band for band, _label in dimensions.AGE_BAND_CHOICES
                        if age_fraction(band, panel.min_age, panel.max_age) == 0]
    return pool.exclude(age_band__in=too_young_or_old)


def snapshot_hash(people):
    """SHA-256 of the pool as the lottery saw it (references and values, in a canonical order)."""
    canonical = json.dumps({ref: people[ref] for ref in sorted(people)}, sort_keys=True, ensure_ascii=True)
    return hashlib.sha256(canonical.encode()).hexdigest()


def quotas_as_list(quotas):
    return [{"feature": f, "value": v, "min": lo, "max": hi} for (f, v), (lo, hi) in quotas.items()]


def relaxation_messages(error, population):
    """Translate the selection's structured relaxations into plain Dutch/English sentences."""
    messages = []
    for feature, value, bound, current, suggested in getattr(error, "relaxations", []):
        label = population.labels.get(feature, {}).get(value, value)
        group = str(presentation.group_phrase(feature, value, label))
        group = group[:1].lower() + group[1:]  # in the middle of a sentence
        if bound == "min":
            messages.append(_("Lower the minimum for %(group)s from %(current)s to %(suggested)s: the pool "
                              "does not have enough people for it.")
                            % {"group": group, "current": current, "suggested": suggested})
        else:
            messages.append(_("Raise the maximum for %(group)s from %(current)s to %(suggested)s.")
                            % {"group": group, "current": current, "suggested": suggested})
    if not messages:
        messages = [str(m) for m in getattr(error, "messages", [])] or [str(error)]
    messages.append(_("You can also widen every quota at once with the panel's quota tolerance, or recruit "
                      "more volunteers from the groups that are short."))
    return messages


# --- the pool -------------------------------------------------------------------------------------------

NEW, ALREADY = "new", "already"

# Someone who applies again (or anyone using their address or number) gets their number sent to the
# address on file at most once per this many seconds.
REMINDER_INTERVAL = 600


@dataclass
class ApplicationResult:
    """What an application did. ``outcome`` is NEW or ALREADY; for ALREADY ``volunteer`` is None: the
    existing application is someone's personal data, and the caller answers exactly as for a new one."""

    volunteer: Volunteer | None
    created: bool
    outcome: str = NEW


def contact_key(email, phone):
    """(email, phone) as compared: the address in lower case, the number in E.164 when it is one."""
    email = (email or "").strip().lower()
    phone = (phone or "").strip()
    if phone:
        try:
            phone = normalise_phone(phone)
        except ValidationError:
            phone = "".join(ch for ch in phone if ch.isdigit() or ch == "+")
    return email, phone


def _same_person(email, phone):
    match = Q(pk__in=[])
    if email:
        match |= Q(email__iexact=email)
    if phone:
        match |= Q(phone=phone)
    return match


def _find_application(panel, email, phone):
    """The person's live application (not withdrawn) to this panel, or None."""
    if not email and not phone:
        return None
    return (panel.pool.live().filter(_same_person(email, phone))
            .order_by("created_at", "pk").first())


def _language():
    """The language the person applied in (their messages come in it): Dutch unless English."""
    return "en" if (translation.get_language() or "").startswith("en") else "nl"


def apply(panel, data, *, registered_by=None, invite=None):
    """Add someone to the panel's pool from the call's sign-up form. Returns an ApplicationResult.

    One application per person per panel: the same email address or number (any case or format) again
    gives ALREADY, changes nothing, and sends the number to the address on file (once per 10 minutes).
    Sends panels.signals.volunteer_applied (with `invite`, plain data, if given) inside the transaction."""
    if panel.status != Panel.Status.RECRUITING:
        raise PanelError(_("Applications for this panel are closed."))
    email = (data.get("email") or "").strip().lower()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise PanelError(_("This is not a valid email address.")) from None
    try:
        phone = normalise_phone(data["phone"]) if (data.get("phone") or "").strip() else ""
    except ValidationError as error:
        raise PanelError(error.messages[0]) from None
    if not email and not phone:
        raise PanelError(_("Fill in an email address or a mobile number, so we can reach you."))
    origin_consent = bool(data.get("origin_consent"))
    try:
        with transaction.atomic():
            # One application at a time per panel, so the same person twice at once is still one entry.
            Panel.objects.select_for_update().filter(pk=panel.pk).first()
            existing = _find_application(panel, email, phone)
            if existing is not None:
                return _already(existing)
            volunteer = Volunteer.objects.create(
                panel=panel, name=data["name"], email=email, phone=phone,
                age_band=data.get("age_band", ""), gender=data.get("gender", ""), wijk=data.get("wijk"),
                origin=data.get("origin", "") if origin_consent else "", origin_consent=origin_consent,
                motivation=data.get("motivation", ""), registered_by=registered_by,
                reserve_consent=bool(data.get("reserve_consent")), language=_language(),
            )
            volunteer_applied.send(sender=Volunteer, volunteer=volunteer, invite=invite)
            notices.application(volunteer)
    except IntegrityError:
        # The database rule (one live application per address and per number) caught a second one.
        with transaction.atomic():
            existing = _find_application(panel, email, phone)
            if existing is None:
                raise
            return _already(existing)
    return ApplicationResult(volunteer, True, NEW)


def _already(existing, now=None):
    """Someone applied with the address or number of an existing application: its holder gets their
    number again, at the address on file; nothing else happens. Within 10 minutes of applying the first
    message has only just gone out (a double click), so nothing more is sent."""
    now = now or timezone.now()
    if existing.created_at <= now - timedelta(seconds=REMINDER_INTERVAL):
        bucket = int(now.timestamp()) // REMINDER_INTERVAL
        notices.application_again(existing, bucket)
    return ApplicationResult(None, False, ALREADY)


def duplicate_applications(volunteers):
    """Groups of references of volunteers with the same email address or number (any case or format)."""
    groups, seen = [], set()
    by_key = {}
    for volunteer in volunteers:
        email, phone = contact_key(volunteer.email, volunteer.phone)
        for key in (("email", email), ("phone", phone)):
            if key[1]:
                by_key.setdefault(key, []).append(volunteer.reference)
    for references in by_key.values():
        group = tuple(sorted(set(references)))
        if len(group) > 1 and group not in seen:
            seen.add(group)
            groups.append(list(group))
    return groups


def _refuse_duplicates(volunteers):
    """The lottery never draws from a pool in which one person stands twice (a double chance)."""
    groups = duplicate_applications(volunteers)
    if groups:
        raise PanelError(_(
            "The pool has people who applied more than once (the same email address or phone number): "
            "%(groups)s. Withdraw the extra applications first, so everyone has one chance. Nothing was drawn."
        ) % {"groups": "; ".join(", ".join(group) for group in groups)})


# --- selection -------------------------------------------------------------------------------------------

@dataclass
class SelectionOutcome:
    run: SelectionRun
    members: list
    messages: list


def run_selection(panel, *, algorithm="leximin", seed=None, user=None, accept_not_optimal=False):
    """Draw the panel from its pool by the fair lottery and record the audit record.

    Infeasible quotas are recorded too (outcome "infeasible") with plain messages about what to relax.
    A lottery stopped by PANELS_SELECTION_MAX_SECONDS before it was proven optimal raises
    NotOptimalLottery (nothing drawn or recorded) unless ``accept_not_optimal``; then the run's messages
    keep the warning.
    """
    from .selection import InfeasibleQuotas, InvalidInput, find_distribution

    if panel.current_members().exists():
        raise PanelError(_("This panel already has members. Replace members who leave one by one instead."))
    volunteers = list(eligible_pool(panel))
    _refuse_duplicates(volunteers)
    population = population_for_panel(panel)
    people = selection_people(volunteers, population)
    quotas = panel_quotas(panel, population, people)
    seed = secrets.randbelow(2**31) if seed is None else int(seed)
    base = dict(panel=panel, kind=SelectionRun.Kind.SELECTION, algorithm=algorithm, seed=seed,
                size=panel.target_size, pool_size=len(people), pool_hash=snapshot_hash(people),
                quotas=quotas_as_list(quotas), created_by=user)
    if len(people) < panel.target_size:
        message = _("The pool has %(pool)s eligible volunteers, fewer than the panel's %(size)s seats.") % {
            "pool": len(people), "size": panel.target_size}
        run = SelectionRun.objects.create(outcome=SelectionRun.Outcome.INFEASIBLE, messages=[message], **base)
        return SelectionOutcome(run, [], [message])
    try:
        distribution = find_distribution(people, quotas, panel.target_size, algorithm=algorithm,
                                         max_seconds=selection_max_seconds())
    except InfeasibleQuotas as error:
        messages = relaxation_messages(error, population)
        run = SelectionRun.objects.create(outcome=SelectionRun.Outcome.INFEASIBLE, messages=messages, **base)
        return SelectionOutcome(run, [], messages)
    except InvalidInput as error:
        raise PanelError(str(error)) from error
    if not distribution.optimal and not accept_not_optimal:
        raise NotOptimalLottery(distribution.selectable_at_zero)
    with transaction.atomic():
        outcome = _record_draw(panel, distribution, seed, volunteers, base)
        if panel.status in (Panel.Status.RECRUITING, Panel.Status.SELECTING):
            panel.status = Panel.Status.ACTIVE
            panel.save(update_fields=["status"])
    return outcome


def _record_draw(panel, distribution, seed, candidates, base):
    """Draw from the lottery and record it: the audited run, the drawn volunteers selected, new members.

    One path for the first draw and for replacement draws, so both audit records look the same.
    """
    from .selection import draw_panel

    drawn = draw_panel(distribution, seed)
    by_reference = {v.reference: v for v in candidates}
    today = timezone.localdate()
    with transaction.atomic():
        run = SelectionRun.objects.create(
            outcome=SelectionRun.Outcome.DRAWN, probabilities=dict(distribution.probabilities),
            min_probability=distribution.min_probability, drawn=list(drawn), seconds=distribution.seconds,
            messages=[] if distribution.optimal else [str(NotOptimalLottery(distribution.selectable_at_zero))],
            **base,
        )
        members = []
        for reference in drawn:
            volunteer = by_reference[reference]
            # Selected: waiting for their answer, told once the coordinator sends the messages.
            volunteer.status = Volunteer.Status.SELECTED
            volunteer.told_at = volunteer.respond_by = volunteer.answered_at = None
            volunteer.save(update_fields=["status", "told_at", "respond_by", "answered_at"])
            members.append(PanelMember.objects.create(panel=panel, volunteer=volunteer, joined_on=today))
        if base["kind"] == SelectionRun.Kind.SELECTION:
            # Everyone else who applied was not selected (they stay on the reserve list if they agreed).
            panel.pool.filter(status=Volunteer.Status.AVAILABLE).update(status=Volunteer.Status.NOT_SELECTED)
    return SelectionOutcome(run, members, [])


def replace_member(member, *, left_on=None, reason="", seed=None, user=None):
    """Record that `member` left and draw a replacement from the pool that keeps every quota.

    Returns (new PanelMember or None, SelectionRun, messages). The member leaves either way.
    """
    from .selection import InfeasibleQuotas, replace_dropout

    panel = member.panel
    if member.left_on:
        raise PanelError(_("This member has already left the panel."))
    current = list(panel.current_members())
    candidates = list(eligible_pool(panel))
    _refuse_duplicates([m.volunteer for m in current] + candidates)
    population = population_for_panel(panel)
    people = selection_people([m.volunteer for m in current] + candidates, population)
    quotas = panel_quotas(panel, population, people)
    seed = secrets.randbelow(2**31) if seed is None else int(seed)
    today = timezone.localdate()
    base = dict(panel=panel, kind=SelectionRun.Kind.REPLACEMENT, algorithm="replace_dropout", seed=seed,
                size=panel.target_size, pool_size=len(candidates), pool_hash=snapshot_hash(people),
                quotas=quotas_as_list(quotas), created_by=user)
    with transaction.atomic():
        member.left_on = left_on or today
        member.leave_reason = reason
        member.save(update_fields=["left_on", "leave_reason"])
        Volunteer.objects.filter(pk=member.volunteer_id).update(status=Volunteer.Status.LEFT)
        try:
            chosen = replace_dropout([m.volunteer.reference for m in current], member.volunteer.reference,
                                     people, quotas, [v.reference for v in candidates], seed)
        except InfeasibleQuotas as error:
            messages = relaxation_messages(error, population)
            run = SelectionRun.objects.create(outcome=SelectionRun.Outcome.INFEASIBLE, messages=messages,
                                              **base)
            return None, run, messages
        volunteer = next(v for v in candidates if v.reference == chosen)
        volunteer.status = Volunteer.Status.SELECTED
        volunteer.told_at = volunteer.respond_by = volunteer.answered_at = None
        volunteer.save(update_fields=["status", "told_at", "respond_by", "answered_at"])
        new_member = PanelMember.objects.create(panel=panel, volunteer=volunteer, role=member.role,
                                                joined_on=today, replaces=member)
        run = SelectionRun.objects.create(outcome=SelectionRun.Outcome.DRAWN, drawn=[chosen],
                                          messages=[_("%(new)s replaces %(old)s.") % {
                                              "new": chosen, "old": member.volunteer.reference}], **base)
    return new_member, run, []


def run_replacement(panel, *, algorithm="leximin", seed=None, user=None, accept_not_optimal=False):
    """Fill every open place of the panel at once by the fair lottery, conditional on the current members.

    The open places are the target size minus the current members (members who left are out). The new
    people come from the eligible pool so that current + new meet every quota, by the same leximin (or
    maximin) lottery as the first draw over the remaining volunteers (selection.find_replacement_distribution).
    Recorded as its own audited SelectionRun (kind "replacement": seed, pool hash, probabilities of the
    new draw). Infeasible (the members kept make the quotas unreachable) is recorded too, with messages.
    """
    from .selection import InfeasibleQuotas, InvalidInput, find_replacement_distribution

    current = list(panel.current_members().select_related("volunteer"))
    open_places = panel.target_size - len(current)
    if open_places < 1:
        raise PanelError(_("This panel has no open places to fill."))
    population = population_for_panel(panel)
    candidates = list(eligible_pool(panel))
    people = selection_people([m.volunteer for m in current] + candidates, population)
    quotas = panel_quotas(panel, population, people)
    keep = [m.volunteer.reference for m in current]
    seed = secrets.randbelow(2**31) if seed is None else int(seed)
    base = dict(panel=panel, kind=SelectionRun.Kind.REPLACEMENT, algorithm=algorithm, seed=seed,
                size=panel.target_size, pool_size=len(candidates), pool_hash=snapshot_hash(people),
                quotas=quotas_as_list(quotas), created_by=user)
    if len(candidates) < open_places:
        message = _("The pool has %(pool)s eligible volunteers, fewer than the %(open)s open places.") % {
            "pool": len(candidates), "open": open_places}
        run = SelectionRun.objects.create(outcome=SelectionRun.Outcome.INFEASIBLE, messages=[message], **base)
        return SelectionOutcome(run, [], [message])
    try:
        distribution = find_replacement_distribution(people, quotas, panel.target_size, keep, algorithm=algorithm,
                                                     max_seconds=selection_max_seconds())
    except InfeasibleQuotas as error:
        messages = [_("The current members and the pool cannot meet every quota together.")]
        messages += relaxation_messages(error, population)
        run = SelectionRun.objects.create(outcome=SelectionRun.Outcome.INFEASIBLE, messages=messages, **base)
        return SelectionOutcome(run, [], messages)
    except InvalidInput as error:
        raise PanelError(str(error)) from error
    if not distribution.optimal and not accept_not_optimal:
        raise NotOptimalLottery(distribution.selectable_at_zero)
    return _record_draw(panel, distribution, seed, candidates, base)


def published_audit(run):
    """The audit record without names: references, probabilities, quotas, seed and hash."""
    return {
        "panel": run.panel.name, "kind": run.kind, "outcome": run.outcome, "algorithm": run.algorithm,
        "seed": run.seed, "size": run.size, "pool_size": run.pool_size, "pool_hash": run.pool_hash,
        "created_at": run.created_at.isoformat(), "quotas": run.quotas, "min_probability": run.min_probability,
        "probabilities": run.probabilities, "panel_drawn": run.drawn, "messages": run.messages,
    }
