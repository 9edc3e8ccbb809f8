"""The rules of the formats, callable without HTTP: votes and tallies, results, table allocation,
harvests, stories and responses.

Saves from facilitators' phones may arrive twice (the browser retries a save it did not hear back
from). Every save therefore carries a client-generated id and saving the same id again changes nothing.
"""

import csv
import io
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import timedelta
from itertools import groupby

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from content.models import Theme
from participation import small_cells
from population import dimensions

from .models import (
    Argument,
    Choice,
    DialogueParticipant,
    Harvest,
    HarvestItem,
    ParticipantRole,
    Statement,
    StatementClosure,
    Story,
    Tally,
    ThemeResponse,
    Vote,
    Voter,
)

CHOICES = [Choice.AGREE, Choice.DISAGREE, Choice.NEUTRAL]
# Nobody counts more cards than this in one room; the database column holds more, but a typo such as
# 99999999999 must be refused with a message, not reach the database.
MAX_COUNT = 10_000


class FormatError(Exception):
    """A save that cannot be done; the message is for the person who tried."""


# --------------------------------------------------------------------------------------------------
# Statement game: running it
# --------------------------------------------------------------------------------------------------


def statement_of(game, statement_id):
    try:
        return game.statement_set.statements.get(pk=statement_id)
    except (Statement.DoesNotExist, ValueError, TypeError):
        raise FormatError(_("This statement is not part of this game.")) from None


def is_closed(game, statement):
    return StatementClosure.objects.filter(game=game, statement=statement).exists()


def closed_ids(game):
    return set(StatementClosure.objects.filter(game=game).values_list("statement_id", flat=True))


def update_game_settings(game, *, hide_results_until_closed, online_voting_open):
    """The facilitator's two switches: results hidden until a statement closes; online voting open."""
    game.hide_results_until_closed = hide_results_until_closed
    game.online_voting_open = online_voting_open
    game.save(update_fields=["hide_results_until_closed", "online_voting_open"])


def open_in_room(game, minutes=None):
    """Lift the per-address vote limit for a while: a room full of people voting on one Wi-Fi."""
    minutes = settings.STATEMENT_GAME_ROOM_MINUTES if minutes is None else minutes
    game.room_open_until = timezone.now() + timedelta(minutes=minutes)
    game.save(update_fields=["room_open_until"])


def close_room(game):
    game.room_open_until = None
    game.save(update_fields=["room_open_until"])


def counts_as_new_voter(game, token):
    """Whether a vote in `game` from a browser with voter cookie `token` makes a new voter that counts
    against the per-address limit: no valid cookie yet, and the game is not open in the room."""
    if game is None or game.in_room():
        return False
    return not (token and game.voters.filter(token=token).exists())


def show_statement(game, statement):
    game.current_statement = statement
    game.save(update_fields=["current_statement"])


def close_statement(game, statement):
    StatementClosure.objects.get_or_create(game=game, statement=statement)


def reopen_statement(game, statement):
    StatementClosure.objects.filter(game=game, statement=statement).delete()


def voter_for(game, token):
    """The anonymous participant behind a cookie token, or a new one (the caller sets the cookie)."""
    if token:
        voter = Voter.objects.filter(game=game, token=token).first()
        if voter:
            return voter, False
    return Voter.objects.create(game=game), True


def set_voter_profile(voter, age_band="", wijk=None):
    valid_bands = {code for code, _label in dimensions.AGE_BAND_CHOICES}
    voter.age_band = age_band if age_band in valid_bands else dimensions.UNKNOWN
    voter.wijk = wijk if (wijk is not None and wijk.level == "wijk") else None
    voter.save(update_fields=["age_band", "wijk"])


def cast_vote(game, voter, statement, choice):
    """One vote per person per statement: a second vote replaces the first."""
    if voter.game_id != game.pk:
        raise FormatError(_("This vote belongs to another game."))
    if statement.statement_set_id != game.statement_set_id:
        raise FormatError(_("This statement is not part of this game."))
    if choice not in Choice.values:
        raise FormatError(_("Choose agree, disagree or pass."))
    if not game.online_voting_open:
        raise FormatError(_("Online voting is closed."))
    if is_closed(game, statement):
        raise FormatError(_("Voting on this statement has closed."))
    try:
        with transaction.atomic():
            vote, created = Vote.objects.update_or_create(
                voter=voter, statement=statement, defaults={"choice": choice, "game": game},
            )
    except IntegrityError:  # two taps at once: the other request made the row; update it
        vote = Vote.objects.get(voter=voter, statement=statement)
        vote.choice = choice
        vote.save(update_fields=["choice", "updated_at"])
        created = False
    return vote, created


def record_tally(game, statement, *, round=1, group="", agree=0, disagree=0, neutral=0, client_id="",
                 user=None):
    """Store the cards counted for a statement, round and group. The latest count replaces earlier ones."""
    if statement.statement_set_id != game.statement_set_id:
        raise FormatError(_("This statement is not part of this game."))
    try:
        round = int(round)
        counts = [int(agree), int(disagree), int(neutral)]
    except (TypeError, ValueError):
        raise FormatError(_("Counts must be whole numbers.")) from None
    if not 1 <= round <= max(game.rounds, 1):
        raise FormatError(_("This game has no round %(round)s.") % {"round": round})
    if any(count < 0 for count in counts):
        raise FormatError(_("Counts cannot be negative."))
    if any(count > MAX_COUNT for count in counts):
        raise FormatError(_("This count is too large: it can be %(limit_value)s at most.") % {"limit_value": MAX_COUNT})
    group = (group or "").strip()
    if group and group not in game.group_list():
        raise FormatError(_("Unknown group."))
    existing = Tally.objects.filter(game=game, statement=statement, round=round, group=group).first()
    if existing and client_id and existing.client_id == client_id:
        return existing  # the same save, sent again
    values = {"agree": counts[0], "disagree": counts[1], "neutral": counts[2], "client_id": client_id or "",
              "recorded_by": user if getattr(user, "is_authenticated", False) else None}
    with transaction.atomic():
        tally, _created = Tally.objects.update_or_create(
            game=game, statement=statement, round=round, group=group, defaults=values,
        )
    return tally


def add_argument(game, statement, *, side, text, group="", client_id=None):
    if statement.statement_set_id != game.statement_set_id:
        raise FormatError(_("This statement is not part of this game."))
    text = (text or "").strip()
    if side not in Argument.Side.values:
        raise FormatError(_("Choose for or against."))
    if not text:
        raise FormatError(_("Write down the argument."))
    if client_id:
        existing = Argument.objects.filter(client_id=client_id).first()
        if existing:
            return existing
    return Argument.objects.create(
        game=game, statement=statement, side=side, text=text[:300], group=(group or "")[:80],
        client_id=client_id or None,
    )


# --------------------------------------------------------------------------------------------------
# Statement game: results
# --------------------------------------------------------------------------------------------------


def empty_counts():
    return {"agree": 0, "disagree": 0, "neutral": 0, "total": 0}


def add_counts(target, agree, disagree, neutral):
    target["agree"] += agree
    target["disagree"] += disagree
    target["neutral"] += neutral
    target["total"] += agree + disagree + neutral
    return target


def with_percentages(counts):
    total = counts["total"]
    result = dict(counts)
    for key in ("agree", "disagree", "neutral"):
        result[f"{key}_pct"] = round(100 * counts[key] / total) if total else 0
    return result


def online_counts(game, statement=None):
    """Online votes counted in the database: {statement_id: counts}."""
    votes = Vote.objects.filter(game=game)
    if statement is not None:
        votes = votes.filter(statement=statement)
    result = defaultdict(empty_counts)
    for row in votes.values("statement_id", "choice").annotate(n=Count("id")):
        counts = result[row["statement_id"]]
        counts[row["choice"]] += row["n"]
        counts["total"] += row["n"]
    return result


def statement_results(game, statement, *, tallies=None, online=None, closed=None):
    """Results of one statement in one game: in the room, online, and both together.

    In the room a statement may be played in more than one round; the same people hold up a card each
    round, so rounds are never added up. The room's figure is the last round counted; earlier rounds
    are kept in `rounds` to show how opinions moved.
    """
    if tallies is None:
        tallies = list(Tally.objects.filter(game=game, statement=statement))
    if online is None:
        online = online_counts(game, statement)[statement.pk]
    rounds = defaultdict(empty_counts)
    groups_by_round = defaultdict(dict)
    for tally in tallies:
        add_counts(rounds[tally.round], tally.agree, tally.disagree, tally.neutral)
        groups_by_round[tally.round][tally.group] = add_counts(
            empty_counts(), tally.agree, tally.disagree, tally.neutral
        )
    last_round = max(rounds) if rounds else None
    room = dict(rounds[last_round]) if last_round else empty_counts()
    combined = add_counts(empty_counts(), room["agree"] + online["agree"],
                          room["disagree"] + online["disagree"], room["neutral"] + online["neutral"])
    return {
        "statement": statement,
        "closed": is_closed(game, statement) if closed is None else closed,
        "room": with_percentages(room),
        "room_round": last_round,
        "room_groups": {group: with_percentages(c) for group, c in sorted(groups_by_round.get(last_round, {}).items())},
        "rounds": [(number, with_percentages(rounds[number])) for number in sorted(rounds)],
        "online": with_percentages(online),
        "combined": with_percentages(combined),
    }


SPLIT_DIMENSIONS = {
    dimensions.AGE_BAND: dimensions.DIMENSION_LABELS[dimensions.AGE_BAND],
    dimensions.WIJK: dimensions.DIMENSION_LABELS[dimensions.WIJK],
}


def split_counts(game, dimension, statement=None):
    """Online votes split by a self-reported dimension: {statement_id: {group label: counts}}.

    People who did not say ("prefer not to say") are left out. Counted in the database.
    """
    field = "voter__age_band" if dimension == dimensions.AGE_BAND else "voter__wijk"
    votes = Vote.objects.filter(game=game).exclude(**{f"{field}__isnull": True})
    if dimension == dimensions.AGE_BAND:
        votes = votes.exclude(voter__age_band="")
        labels = {code: str(label) for code, label in dimensions.AGE_BAND_CHOICES}
    else:
        from population.models import Area

        labels = {area.pk: area.display_name for area in Area.objects.filter(level="wijk")}
    if statement is not None:
        votes = votes.filter(statement=statement)
    result = defaultdict(lambda: defaultdict(empty_counts))
    for row in votes.values("statement_id", field, "choice").annotate(n=Count("id")):
        counts = result[row["statement_id"]][labels.get(row[field], str(row[field]))]
        counts[row["choice"]] += row["n"]
        counts["total"] += row["n"]
    return {key: dict(sorted(groups.items())) for key, groups in result.items()}


SPLIT_KEYS = ("agree", "disagree", "neutral")


class PublishedSplit(dict):
    """{group label: {agree, disagree, neutral, total}} as it may be shown: counts, "<5" or "x".

    `withheld`: no group can be shown without giving a small count away (see participation.small_cells);
    `any_hidden`: some count is "<5" or "x".
    """

    def __init__(self, rows=(), *, withheld=False, any_hidden=False):
        super().__init__(rows)
        self.withheld = withheld
        self.any_hidden = any_hidden

    @property
    def any_secondary(self):
        return any(value == str(small_cells.SECONDARY_LABEL) for counts in self.values() for value in counts.values())


def published_split(groups, totals=None):
    """A split as it may be shown or exported, under participation.small_cells.

    Groups under 5 are left out. `totals` are the counts published for everyone together (the room's
    last round, or everyone online); people in no shown group (the groups left out, people who did not
    say) then form a row nobody sees, and no count of 1-4 in the groups or in that row can be worked out
    by subtracting: counts 1-4 read "<5", counts hidden so that a small one cannot be worked out read "x",
    and when that is impossible the split is withheld (empty, `withheld` True).
    Without `totals` the split is protected as a table on its own (its row totals shown).
    Counts only: a percentage next to an exact total would give a hidden count away.
    """
    kept = small_cells.hide_small_groups(groups, size=lambda c: c["total"])
    if not kept:
        return PublishedSplit()
    labels = list(kept)
    counts = [[kept[label][key] for key in SPLIT_KEYS] for label in labels]
    if totals is not None:
        table = small_cells.protect_table(counts, column_totals=[totals[key] for key in SPLIT_KEYS],
                                          fixed_column_totals=True)
    else:
        table = small_cells.protect_table(counts, show_column_totals=False)
    if table.withheld:
        return PublishedSplit(withheld=True, any_hidden=True)
    return PublishedSplit(
        {label: {**dict(zip(SPLIT_KEYS, row, strict=True)), "total": total}
         for label, row, total in zip(labels, table.rows, table.row_totals, strict=True)},
        any_hidden=table.any_hidden,
    )


def game_results(game):
    statements = list(game.statements())
    tallies = defaultdict(list)
    for tally in Tally.objects.filter(game=game):
        tallies[tally.statement_id].append(tally)
    online = online_counts(game)
    splits = {dimension: split_counts(game, dimension) for dimension in SPLIT_DIMENSIONS}
    arguments = defaultdict(list)
    for argument in Argument.objects.filter(game=game):
        arguments[argument.statement_id].append(argument)
    closed = closed_ids(game)
    results = []
    for statement in statements:
        result = statement_results(
            game, statement, tallies=tallies[statement.pk], online=online[statement.pk],
            closed=statement.pk in closed,
        )
        # Online splits and groups in the room ("Professionals") are published under the small-cell rule;
        # the online and room totals are shown exactly, so the splits are protected against them.
        result["splits"] = [
            (label, published_split(splits[dimension].get(statement.pk, {}), totals=result["online"]))
            for dimension, label in SPLIT_DIMENSIONS.items()
        ]
        result["room_groups_published"] = published_split(
            {group: counts for group, counts in result["room_groups"].items() if group}, totals=result["room"]
        )
        published = [split for _label, split in result["splits"]] + [result["room_groups_published"]]
        result["splits_withheld"] = any(split.withheld for split in published)
        result["splits_secondary"] = any(split.any_secondary for split in published)
        result["arguments_for"] = [a for a in arguments[statement.pk] if a.side == Argument.Side.FOR]
        result["arguments_against"] = [a for a in arguments[statement.pk] if a.side == Argument.Side.AGAINST]
        results.append(result)
    return results


def results_csv(game):
    """Every figure of the game as CSV; splits follow the small-cell rule like the public page."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["statement_id", "statement", "source", "round", "group", "agree", "disagree",
                     "neutral_or_pass", "total"])
    for result in game_results(game):
        statement = result["statement"]

        def row(source, counts, round_="", group="", statement=statement):
            writer.writerow([statement.pk, statement.text, source, round_, group, counts["agree"],
                             counts["disagree"], counts["neutral"], counts["total"]])

        for number, counts in result["rounds"]:
            row("room", counts, number)
        for group, counts in result["room_groups_published"].items():
            row("room_group", counts, result["room_round"], group)
        row("online", result["online"])
        row("combined", result["combined"], result["room_round"] or "")
        for label, split in result["splits"]:
            for group, counts in split.items():
                row(f"online_by_{label}", counts, "", group)
    return buffer.getvalue()


def live_state(game):
    """What the projector screen shows now, as plain data for the JSON endpoint."""
    statement = game.current_statement
    if statement is None:
        return {"statement": None, "show_results": False, "voting_open": game.online_voting_open}
    result = statement_results(game, statement)
    show = result["closed"] or not game.hide_results_until_closed
    state = {
        "statement": {"id": statement.pk, "text": statement.text},
        "closed": result["closed"],
        "show_results": show,
        "voting_open": game.online_voting_open and not result["closed"],
        "responses": result["combined"]["total"],
    }
    if show:
        state["results"] = {
            source: {k: result[source][k] for k in ("agree", "disagree", "neutral", "total",
                                                     "agree_pct", "disagree_pct", "neutral_pct")}
            for source in ("room", "online", "combined")
        }
    return state


# --------------------------------------------------------------------------------------------------
# Dialogue tables: participants and allocation
# --------------------------------------------------------------------------------------------------


def confirmed_registrations(event):
    from events import services as event_services

    return event_services.participants(event)


def sync_participants(session):
    """Make a participant row for every confirmed registration; drop rows of cancelled ones."""
    registrations = list(confirmed_registrations(session.event))
    wanted = {registration.pk for registration in registrations}
    existing = set(session.participants.values_list("registration_id", flat=True))
    DialogueParticipant.objects.filter(session=session).exclude(registration_id__in=wanted).delete()
    created = 0
    for registration in registrations:
        if registration.pk not in existing:
            DialogueParticipant.objects.create(session=session, registration=registration)
            created += 1
    return created


ROLE_ORDER = {role: index for index, role in enumerate(ParticipantRole.values)}
UNKNOWN_LABEL = gettext_lazy("not said")


@dataclass(frozen=True)
class Person:
    """What the allocation looks at, and nothing more."""

    key: object
    name: str
    role: str
    age_band: str = ""
    wijk: str = ""


@dataclass
class Seat:
    person: Person
    table: object
    reason: str


def plan_allocation(people, tables):
    """Seat people at tables, mixing roles, age bands and wijken as evenly as possible.

    Deterministic and explainable, like dealing cards:
    1. Sort everyone by role, then age band, then wijk, then name.
    2. Deal each role round the tables in turn, carrying on where the previous role stopped. So every
       table gets the same number of people (give or take one) and of each role (give or take one).
    3. Within a role, each person takes, from the tables that role's turn still reaches, the table with
       the fewest people of their age band, then the most places left for this role (so the places
       stay spread), then the fewest people from their wijk, then the first.
    Returns one Seat per person, each with a sentence saying why.
    """
    tables = list(tables)
    if not tables:
        return []
    order = sorted(people, key=lambda p: (ROLE_ORDER.get(p.role, 99), p.age_band or "~", p.wijk or "~",
                                          p.name, str(p.key)))
    index = {table: position for position, table in enumerate(tables)}
    ages = {table: Counter() for table in tables}
    wijken = {table: Counter() for table in tables}
    sizes = Counter()
    role_labels = dict(ParticipantRole.choices)
    age_labels = dict(dimensions.AGE_BAND_CHOICES)
    seats = []
    pointer = 0
    for role, block in groupby(order, key=lambda p: p.role):
        block = list(block)
        slots = Counter(tables[(pointer + i) % len(tables)] for i in range(len(block)))
        pointer += len(block)
        for number, person in enumerate(block, start=1):
            candidates = [table for table in tables if slots[table] > 0]
            table = min(candidates, key=lambda t: (ages[t][person.age_band], -slots[t],
                                                   wijken[t][person.wijk], index[t]))
            reason = _(
                "%(role)s %(number)s of %(count)s: each role is dealt round the tables in turn, so every "
                "table gets about as many. Of the %(free)s table(s) with a %(role_lower)s place left, "
                "%(table)s had the fewest people aged %(age)s (%(age_count)s) and, of those, the most places "
                "left (%(left)s), then the fewest from %(wijk)s (%(wijk_count)s)."
            ) % {
                "role": role_labels.get(role, role),
                "role_lower": str(role_labels.get(role, role)).lower(),
                "number": number,
                "count": len(block),
                "free": len(candidates),
                "table": table,
                "age": age_labels.get(person.age_band, UNKNOWN_LABEL),
                "age_count": ages[table][person.age_band],
                "left": slots[table],
                "wijk": person.wijk or UNKNOWN_LABEL,
                "wijk_count": wijken[table][person.wijk],
            }
            slots[table] -= 1
            ages[table][person.age_band] += 1
            wijken[table][person.wijk] += 1
            sizes[table] += 1
            seats.append(Seat(person=person, table=table, reason=reason))
    return seats


def person_of(participant):
    registration = participant.registration
    wijk = registration.wijk.display_name if getattr(registration, "wijk", None) else ""
    return Person(key=participant.pk, name=registration.name, role=participant.role,
                  age_band=getattr(registration, "age_band", "") or "", wijk=wijk)


@transaction.atomic
def allocate(session, *, keep_moved_by_hand=True):
    """Seat the session's participants at its tables. People a coordinator moved by hand stay put."""
    tables = list(session.tables.all())
    if not tables:
        raise FormatError(_("Add tables first."))
    participants = list(session.participants.select_related("registration__wijk"))
    to_seat = [p for p in participants if not (keep_moved_by_hand and p.placed_by_hand and p.table_id)]
    by_key = {p.pk: p for p in to_seat}
    seats = plan_allocation([person_of(p) for p in to_seat], tables)
    changed = []
    for seat in seats:
        participant = by_key[seat.person.key]
        participant.table = seat.table
        participant.seat_reason = seat.reason
        participant.placed_by_hand = False
        changed.append(participant)
    DialogueParticipant.objects.bulk_update(changed, ["table", "seat_reason", "placed_by_hand"], batch_size=200)
    return seats


def balance(session):
    """Per table: how many of each role, age band and wijk sit there (for the coordinator's check)."""
    rows = []
    role_labels = dict(ParticipantRole.choices)
    age_labels = dict(dimensions.AGE_BAND_CHOICES)
    for table in session.tables.all():
        seated = list(table.seats.select_related("registration__wijk"))
        people = [person_of(p) for p in seated]
        rows.append({
            "table": table,
            "participants": seated,
            # Lists of (category, count), not Counters: templates would look "items" up as a key.
            "roles": sorted(Counter(str(role_labels.get(p.role, p.role)) for p in people).items()),
            "ages": sorted(Counter(str(age_labels.get(p.age_band, UNKNOWN_LABEL)) for p in people).items()),
            "wijken": sorted(Counter(p.wijk or str(UNKNOWN_LABEL) for p in people).items()),
        })
    return rows


# --------------------------------------------------------------------------------------------------
# Dialogue tables: harvest and synthesis
# --------------------------------------------------------------------------------------------------


def may_enter_harvest(table, user):
    """Whether `user` may write down the harvest of `table` (beyond the add_harvestitem permission).

    Why here: the table's host enters its harvest and coordinators (change_dialoguesession) may step
    in; a table without a host is open to every facilitator. Another host may not write in it.
    """
    if not table.host_id or table.host_id == user.pk:
        return True
    return user.has_perm("formats.change_dialoguesession")


def harvest_of(table, user=None):
    session = table.session
    harvest, _created = Harvest.objects.get_or_create(
        table=table,
        defaults={"theme_id": session.theme_id, "cycle_phase": session.cycle_phase,
                  "entered_by": user if getattr(user, "is_authenticated", False) else None},
    )
    return harvest


def add_harvest_item(table, *, kind, text, theme=None, round=None, client_id=None, user=None):
    text = (text or "").strip()
    if kind not in HarvestItem.Kind.values:
        raise FormatError(_("Choose what kind of note this is."))
    if not text:
        raise FormatError(_("Write something down first."))
    if client_id:
        existing = HarvestItem.objects.filter(client_id=client_id).first()
        if existing:
            return existing
    if round in ("", None):
        round = None
    else:
        try:
            round = int(round)
        except (TypeError, ValueError):
            raise FormatError(_("Unknown round.")) from None
        if not 1 <= round <= max(len(table.session.round_list()), 1):
            raise FormatError(_("This table has no round %(round)s.") % {"round": round})
    harvest = harvest_of(table, user)
    return HarvestItem.objects.create(
        harvest=harvest, kind=kind, text=text, theme=theme or harvest.theme, round=round,
        client_id=client_id or None,
    )


def synthesis(session):
    """All tables' harvests gathered by theme, then by kind: [(theme, [(kind label, [items])])]."""
    items = (HarvestItem.objects.filter(harvest__table__session=session)
             .select_related("theme", "harvest__table").order_by("theme__name", "kind", "created_at", "pk"))
    kind_order = {kind: index for index, kind in enumerate(HarvestItem.Kind.values)}
    kind_labels = dict(HarvestItem.Kind.choices)
    by_theme = defaultdict(lambda: defaultdict(list))
    themes = {}
    for item in items:
        themes[item.theme_id] = item.theme
        by_theme[item.theme_id][item.kind].append(item)
    result = []
    for theme_id, theme in sorted(themes.items(), key=lambda pair: pair[1].name):
        kinds = by_theme[theme_id]
        result.append((theme, [(kind_labels[k], kinds[k]) for k in sorted(kinds, key=kind_order.get)]))
    return result


# --------------------------------------------------------------------------------------------------
# Accountability Day
# --------------------------------------------------------------------------------------------------


def record_story(day, *, title, text, collected_by, theme, kind=Story.Kind.STORY, teller="",
                 other_themes=(), consent_publication=False, cycle_phase=None, client_id=None, user=None):
    if client_id:
        existing = Story.objects.filter(client_id=client_id).first()
        if existing:
            return existing
    if not (text or "").strip():
        raise FormatError(_("Write down the story."))
    if not (collected_by or "").strip():
        raise FormatError(_("Say who collected the story."))
    if theme is None:
        raise FormatError(_("Choose a theme."))
    story = Story.objects.create(
        day=day, kind=kind, title=(title or "").strip()[:120] or Truncator(text.strip()).words(8), text=text.strip(),
        teller=(teller or "")[:120], collected_by=collected_by.strip()[:120], theme=theme,
        cycle_phase=cycle_phase or Story._meta.get_field("cycle_phase").default,
        consent_publication=bool(consent_publication), client_id=client_id or None,
        collected_by_user=user if getattr(user, "is_authenticated", False) else None,
    )
    others = [t for t in other_themes if t.pk != theme.pk]
    if others:
        story.other_themes.set(others)
    return story


def record_response(day, theme, *, professionals="", administrators="", responders="", cycle_phase=None,
                    client_id="", user=None):
    """The closing session's response on one theme; recording again replaces the text."""
    if theme is None:
        raise FormatError(_("Choose a theme."))
    existing = ThemeResponse.objects.filter(day=day, theme=theme).first()
    if existing and client_id and existing.client_id == client_id:
        return existing
    defaults = {"professionals": professionals.strip(), "administrators": administrators.strip(),
                "responders": responders.strip()[:200], "client_id": client_id or "",
                "recorded_by": user if getattr(user, "is_authenticated", False) else None}
    if cycle_phase:
        defaults["cycle_phase"] = cycle_phase
    response, _created = ThemeResponse.objects.update_or_create(day=day, theme=theme, defaults=defaults)
    return response


def may_see_day_report(day, user):
    """Whether `user` may open the Accountability Day report.

    Why here: the report is public only once the coordinator publishes it and the event page is
    live; before that only staff who may change the day see it, as a preview.
    """
    if day.report_published and day.event.live:
        return True
    return user.is_authenticated and user.has_perm("formats.change_accountabilityday")


def day_report(day):
    """The report: per theme, the consented stories and the recorded response. Nothing else."""
    stories = (day.stories.filter(consent_publication=True).select_related("theme")
               .prefetch_related("other_themes"))
    responses = {r.theme_id: r for r in day.responses.select_related("theme")}
    theme_ids = {s.theme_id for s in stories} | set(responses)
    themes = Theme.objects.filter(pk__in=theme_ids).order_by("name")
    by_theme = defaultdict(list)
    for story in stories:
        by_theme[story.theme_id].append(story)
    return [
        {"theme": theme, "stories": by_theme[theme.pk], "response": responses.get(theme.pk)}
        for theme in themes
    ]


# --------------------------------------------------------------------------------------------------
# For other apps
# --------------------------------------------------------------------------------------------------


def public_links(event):
    """[(label, url)] of what formats show residents for an event: the voting link while voting is open,
    the results, the tables' harvest and the day's report once public. For the event page to list."""
    links = []
    game = _related(event, "statement_game")
    if game is not None:
        if game.online_voting_open and not event.is_past:
            links.append((_("Vote on the statements"), game.get_vote_url()))
        if game.results_are_public():
            links.append((_("Results of the statement game"), game.get_public_url()))
    session = _related(event, "dialogue_session")
    if session is not None and session.get_public_url():
        links.append((_("What the tables said"), session.get_public_url()))
    day = _related(event, "accountability_day")
    if day is not None and day.get_public_url() and event.live:
        links.append((_("Report of the day"), day.get_public_url()))
    return links


def _related(event, name):
    """The format attached to the event (one-to-one), or None."""
    from django.core.exceptions import ObjectDoesNotExist

    try:
        return getattr(event, name)
    except ObjectDoesNotExist:
        return None
