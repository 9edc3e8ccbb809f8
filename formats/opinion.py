"""Opinion groups of a statement game, as the screens show them (issue 17). Plain Python, no requests.

The statistics are in `population.opinion` (no Django); this module feeds it the online votes of a game
and applies the small-cell rule (`participation.small_cells`):
- a group of fewer than 5 voters is never shown, and does not weigh on common ground or what divides;
- who is in each group (age band, wijk) is a protected table: counts of 1-4 read "<5", counts that would
  give one away read "x", or the table is withheld;
- no individual vote is shown: a dot on the map is a position, not a list of votes, and the map's
  accessible alternative is a table per group, not per voter.

The command `statement_groups` gives the unmasked figures for research on a coordinator's own data.
"""

import csv
import io
from collections import Counter, defaultdict

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from participation import small_cells
from population import dimensions, opinion

from .models import Choice, Tally, Vote, Voter
from .services import online_counts, published_split, statement_results

# Okabe-Ito colours: told apart also with the common kinds of colour blindness. Every group also has its
# own shape and letter, so colour is never the only cue.
GROUP_COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#8A6100"]
GROUP_SHAPES = ["circle", "square", "triangle", "diamond", "cross"]
SHAPE_LABELS = {
    "circle": gettext_lazy("circle"), "square": gettext_lazy("square"), "triangle": gettext_lazy("triangle"),
    "diamond": gettext_lazy("diamond"), "cross": gettext_lazy("cross"),
}
VALUE_OF = {Choice.AGREE: opinion.AGREE, Choice.DISAGREE: opinion.DISAGREE, Choice.NEUTRAL: opinion.PASS}
MAP_WIDTH, MAP_HEIGHT, MAP_MARGIN = 400, 300, 14
COMMON_SHARE = 0.5  # a majority of every group
DIVIDING_SPREAD = 0.3  # 30 percentage points between the group that agrees most and least


def analyse_game(game, min_group_size=small_cells.MIN_GROUP_SIZE):
    """`population.opinion.analyse` on the online votes of `game` (statements of its set only).

    Cached until a vote or the statement set changes: the key holds the statements, the number of votes
    and the time of the last change, so a page view never shows groups of older votes.
    """
    from django.core.cache import cache
    from django.db.models import Count, Max

    statement_ids = [s.pk for s in game.statements()]
    votes = Vote.objects.filter(game=game, statement_id__in=statement_ids)
    state = votes.aggregate(n=Count("id"), last=Max("updated_at"))
    last = state["last"].timestamp() if state["last"] else 0
    key = (f"formats:opinion:{game.pk}:{min_group_size}:{state['n']}:{last}:"
           f"{hash(tuple(statement_ids)) & 0xFFFFFFFF}:{opinion.SEED}")
    analysis = cache.get(key)
    if analysis is None:
        rows = list(votes.values_list("voter_id", "statement_id", "choice"))
        analysis = opinion.analyse(
            [r[0] for r in rows], [r[1] for r in rows], [VALUE_OF[r[2]] for r in rows],
            statements=statement_ids, min_group_size=min_group_size,
        )
        cache.set(key, analysis, 60 * 60)
    return analysis


def group_label(number):
    return _("Group %(letter)s") % {"letter": chr(ord("A") + number)}


def _pct(part, whole):
    return round(100 * part / whole) if whole else 0


def _shape_path(shape, x, y, r=5.0):
    """An SVG path for one dot: every group its own shape."""
    if shape == "circle":
        return f"M{x - r:.1f},{y:.1f}a{r},{r} 0 1,0 {2 * r},0a{r},{r} 0 1,0 {-2 * r},0Z"
    if shape == "square":
        s = r * 0.9
        return f"M{x - s:.1f},{y - s:.1f}h{2 * s:.1f}v{2 * s:.1f}h{-2 * s:.1f}Z"
    if shape == "triangle":
        return f"M{x:.1f},{y - r * 1.1:.1f}L{x + r:.1f},{y + r * 0.8:.1f}L{x - r:.1f},{y + r * 0.8:.1f}Z"
    if shape == "diamond":
        return f"M{x:.1f},{y - r * 1.2:.1f}L{x + r:.1f},{y:.1f}L{x:.1f},{y + r * 1.2:.1f}L{x - r:.1f},{y:.1f}Z"
    t = r * 0.35  # cross
    return (f"M{x - t:.1f},{y - r:.1f}h{2 * t:.1f}v{r - t:.1f}h{r - t:.1f}v{2 * t:.1f}h{t - r:.1f}v{r - t:.1f}"
            f"h{-2 * t:.1f}v{t - r:.1f}h{t - r:.1f}v{-2 * t:.1f}h{r - t:.1f}Z")


def _majority(agree, disagree, total):
    if not total:
        return None
    if 2 * agree > total:
        return "agree"
    if 2 * disagree > total:
        return "disagree"
    return "divided"


def room_and_online(room, online):
    """A plain sentence on whether the room and the online voters agree (counts of each)."""
    in_room = _majority(room["agree"], room["disagree"], room["total"])
    on_line = _majority(online["agree"], online["disagree"], online["total"])
    if in_room is None or on_line is None:
        return ""
    same = {
        "agree": _("In the room and online, most people agree."),
        "disagree": _("In the room and online, most people disagree."),
        "divided": _("In the room and online, opinions are divided."),
    }
    if in_room == on_line:
        return same[in_room]
    room_text = {"agree": _("in the room most people agree"), "disagree": _("in the room most people disagree"),
                 "divided": _("in the room opinions are divided")}[in_room]
    online_text = {"agree": _("online most people agree"), "disagree": _("online most people disagree"),
                   "divided": _("online opinions are divided")}[on_line]
    return _("The room and online differ: %(room)s, %(online)s.") % {"room": room_text, "online": online_text}


def _makeup(analysis, shown):
    """Who is in each shown group by age band and by wijk, protected by the small-cell rule."""
    members = {}
    for voter, label in zip(analysis.voters, analysis.labels.tolist(), strict=True):
        if label in shown:
            members[voter] = label
    people = Voter.objects.filter(pk__in=list(members)).select_related("wijk")
    age_labels = {code: str(label) for code, label in dimensions.AGE_BAND_CHOICES}
    not_said = str(_("Not said"))
    by_age, by_wijk = defaultdict(Counter), defaultdict(Counter)
    for person in people:
        group = members[person.pk]
        by_age[age_labels.get(person.age_band, not_said) if person.age_band else not_said][group] += 1
        by_wijk[person.wijk.display_name if person.wijk_id else not_said][group] += 1
    sizes = [analysis.sizes[group] for group in shown]
    tables = []
    age_order = [str(label) for code, label in dimensions.AGE_BAND_CHOICES if code] + [not_said]
    for title, counts, order in ((_("Age"), by_age, age_order), (_("Wijk"), by_wijk, None)):
        labels = order if order else sorted((k for k in counts if k != not_said), key=str) + [not_said]
        labels = [label for label in labels if label in counts]
        rows = [[counts[label][group] for group in shown] for label in labels]
        table = small_cells.protect_table(rows, column_totals=sizes, fixed_column_totals=True) if rows else None
        tables.append({
            "title": title, "withheld": bool(table and table.withheld),
            "rows": [] if not table or table.withheld else list(zip(labels, table.rows, table.row_totals,
                                                                    strict=True)),
            "any_hidden": bool(table and table.any_hidden),
        })
    return tables


def opinion_view(game, statement_filter=None):
    """Everything the results page and the projector show of the opinion groups, masked.

    statement_filter: ids of the statements whose results may be shown (None: all).
    """
    analysis = analyse_game(game)
    shown = list(analysis.groups)
    statements = [s for s in game.statements() if statement_filter is None or s.pk in statement_filter]
    view = {"available": len(shown) >= 2, "voters": len(analysis.voters), "left_out": analysis.left_out,
            "hidden_voters": any(analysis.sizes[g] < small_cells.MIN_GROUP_SIZE for g in analysis.sizes)}
    if not view["available"]:
        return view
    groups = {}
    for position, number in enumerate(shown):
        groups[number] = {
            "number": number, "letter": chr(ord("A") + number), "label": group_label(number),
            "size": analysis.sizes[number], "colour": GROUP_COLOURS[position % len(GROUP_COLOURS)],
            "shape": GROUP_SHAPES[position % len(GROUP_SHAPES)],
        }
        groups[number]["shape_label"] = SHAPE_LABELS[groups[number]["shape"]]
        groups[number]["legend_path"] = _shape_path(groups[number]["shape"], 8, 8, 6)

    # The map: the two components scaled into the SVG box, the same scale on both axes.
    coords = analysis.coords
    keep = [i for i, label in enumerate(analysis.labels.tolist()) if label in groups]
    span = max(float(abs(coords[keep]).max()) if keep else 1.0, 1e-9)
    scale = min(MAP_WIDTH, MAP_HEIGHT) / 2 - MAP_MARGIN
    dots = []
    sums = defaultdict(lambda: [0.0, 0.0, 0])
    for i in keep:
        label = int(analysis.labels[i])
        x = MAP_WIDTH / 2 + coords[i, 0] / span * scale
        y = MAP_HEIGHT / 2 - coords[i, 1] / span * scale
        dots.append((label, _shape_path(groups[label]["shape"], x, y)))
        sums[label][0] += x
        sums[label][1] += y
        sums[label][2] += 1
    for label, (sx, sy, n) in sums.items():
        groups[label]["cx"], groups[label]["cy"] = round(sx / n, 1), round(sy / n, 1)
        groups[label]["where"] = _where(sx / n, sy / n)
    view["dots"] = [{"group": groups[label], "path": path} for label, path in sorted(dots, key=lambda d: d[0])]

    tallies = defaultdict(list)
    for tally in Tally.objects.filter(game=game):
        tallies[tally.statement_id].append(tally)
    online = online_counts(game)
    rows = {}
    for statement in statements:
        stats = analysis.statements[statement.pk]
        result = statement_results(game, statement, tallies=tallies[statement.pk], online=online[statement.pk],
                                   closed=False)
        room_groups = published_split({g: c for g, c in result["room_groups"].items() if g}, totals=result["room"])
        bars = []
        for number in shown:
            counts = stats["groups"][number]
            votes = counts["votes"]
            bars.append({"group": groups[number], "votes": votes, "agree_pct": _pct(counts["agree"], votes),
                         "disagree_pct": _pct(counts["disagree"], votes), "pass_pct": _pct(counts["pass"], votes)})
        rows[statement.pk] = {
            "statement": statement, "bars": bars,
            "consensus_pct": round(100 * stats["consensus"]), "divisiveness_pct": round(100 * stats["divisiveness"]),
            "room": result["room"], "room_round": result["room_round"], "room_groups": room_groups,
            "online": result["online"], "comparison": room_and_online(result["room"], result["online"]),
        }
    agreed = [s for s, _score in opinion.common_ground(analysis, COMMON_SHARE) if s in rows]
    rejected = [s for s, _score in opinion.common_rejection(analysis, COMMON_SHARE) if s in rows]
    divided = [s for s, _score in opinion.dividing(analysis, DIVIDING_SPREAD) if s in rows and s not in agreed
               and s not in rejected]
    placed = set(agreed) | set(rejected) | set(divided)
    view["common_ground"] = [rows[s] for s in agreed]
    view["common_rejection"] = [rows[s] for s in rejected]
    view["dividing"] = [rows[s] for s in divided]
    view["other"] = [rows[s.pk] for s in statements if s.pk not in placed]
    for number in shown:
        groups[number]["representative"] = [
            {"statement": rows[s]["statement"], "direction": direction,
             "text": _("agrees more than the others") if direction == "agree" else _("disagrees more than the others")}
            for s, direction, _score in analysis.representative.get(number, []) if s in rows
        ]
    view["groups"] = [groups[number] for number in shown]
    view["makeup"] = _makeup(analysis, shown)
    view["map_width"], view["map_height"] = MAP_WIDTH, MAP_HEIGHT
    return view


def _where(x, y):
    """Where on the map a group's centre lies, in words, for the table that stands in for the map."""
    horizontal = "left" if x < MAP_WIDTH * 0.4 else "right" if x > MAP_WIDTH * 0.6 else "middle"
    vertical = "top" if y < MAP_HEIGHT * 0.4 else "bottom" if y > MAP_HEIGHT * 0.6 else "middle"
    words = {
        ("left", "top"): _("top left"), ("middle", "top"): _("top"), ("right", "top"): _("top right"),
        ("left", "middle"): _("left"), ("middle", "middle"): _("in the middle"), ("right", "middle"): _("right"),
        ("left", "bottom"): _("bottom left"), ("middle", "bottom"): _("bottom"),
        ("right", "bottom"): _("bottom right"),
    }
    return words[(horizontal, vertical)]


def groups_csv(game):
    """Per opinion group (of at least 5 voters) and statement: counts and shares, consensus, divisiveness."""
    analysis = analyse_game(game)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["group", "group_size", "statement_id", "statement", "agree", "disagree", "pass", "votes",
                     "agree_pct", "consensus", "divisiveness", "representative"])
    statements = {s.pk: s for s in game.statements()}
    for number in analysis.groups:
        representative = {s: d for s, d, _score in analysis.representative.get(number, [])}
        for pk, statement in statements.items():
            stats = analysis.statements[pk]
            counts = stats["groups"][number]
            writer.writerow([
                chr(ord("A") + number), analysis.sizes[number], pk, statement.text, counts["agree"],
                counts["disagree"], counts["pass"], counts["votes"], _pct(counts["agree"], counts["votes"]),
                f"{stats['consensus']:.4f}", f"{stats['divisiveness']:.4f}", representative.get(pk, ""),
            ])
    return buffer.getvalue()


def common_ground_ids(game):
    """Ids of the statements a majority of every shown opinion group agreed with."""
    analysis = analyse_game(game)
    if len(analysis.groups) < 2:
        return set()
    return {s for s, _score in opinion.common_ground(analysis, COMMON_SHARE)}
