"""Opinion groups of the statement game (issue 17): planted groups are found, the same votes give the same
groups, small groups are never shown, the screens and the CSV, and the command-line contract."""

import csv
import io
import json
import random
from collections import Counter

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from formats import opinion as game_opinion
from formats.models import Statement, Vote
from population import opinion

# Planted opinions on 12 statements: 0-2 everyone agrees (common ground), 3-5 split group 0 against
# group 1 (group 2 in between), 6-8 group 2 alone agrees, 9-11 noise.
COMMON, SPLIT, SPECIAL = range(0, 3), range(3, 6), range(6, 9)


def planted(groups=(40, 40, 40), seed=1, statements=12, skip=0.15):
    rng = random.Random(seed)
    voters, stmts, values, truth = [], [], [], {}
    voter = 0
    for group, size in enumerate(groups):
        for _n in range(size):
            voter += 1
            truth[voter] = group
            for s in range(statements):
                if rng.random() < skip:
                    continue
                if s in COMMON:
                    p = (0.85, 0.1)
                elif s in SPLIT:
                    p = (0.9, 0.05) if group == 0 else (0.05, 0.9) if group == 1 else (0.45, 0.45)
                elif s in SPECIAL:
                    p = (0.9, 0.05) if group == 2 else (0.1, 0.85)
                else:
                    p = (0.4, 0.4)
                r = rng.random()
                voters.append(voter)
                stmts.append(s)
                values.append(1 if r < p[0] else -1 if r < p[0] + p[1] else 0)
    return voters, stmts, values, truth


def agreement(analysis, truth):
    """Share of voters whose found group is the one most of their planted group landed in."""
    pairs = Counter((truth[v], int(label)) for v, label in zip(analysis.voters, analysis.labels, strict=True))
    best = {}
    for (planted_group, found), n in pairs.items():
        if n > best.get(planted_group, (None, 0))[1]:
            best[planted_group] = (found, n)
    assert len({found for found, _n in best.values()}) == len(best), best  # planted groups stay apart
    return sum(n for _found, n in best.values()) / len(analysis.voters)


def test_planted_groups_common_ground_and_division_are_recovered():
    voters, stmts, values, truth = planted()
    analysis = opinion.analyse(voters, stmts, values, min_group_size=5)
    assert analysis.k == 3
    assert agreement(analysis, truth) >= 0.95
    ranked = sorted(analysis.statements, key=lambda s: -analysis.statements[s]["consensus"])
    assert set(ranked[:3]) == set(COMMON)
    assert [s for s, _score in opinion.common_ground(analysis)] == ranked[:3]
    by_division = sorted(analysis.statements, key=lambda s: -analysis.statements[s]["divisiveness"])
    assert set(by_division[:6]) == set(SPLIT) | set(SPECIAL)
    assert {s for s, _score in opinion.dividing(analysis)} == set(SPLIT) | set(SPECIAL)
    # The group that alone agrees with 6-8 has them as its representative statements.
    special = Counter(int(label) for v, label in zip(analysis.voters, analysis.labels, strict=True)
                      if truth[v] == 2).most_common(1)[0][0]
    assert {(s, d) for s, d, _score in analysis.representative[special]} == {(s, "agree") for s in SPECIAL}
    counts = analysis.statements[0]["groups"][special]
    assert counts["votes"] == counts["agree"] + counts["disagree"] + counts["pass"] > 0


def test_two_planted_groups_give_two_groups():
    voters, stmts, values, truth = planted(groups=(30, 25, 0))
    analysis = opinion.analyse(voters, stmts, values)
    assert analysis.k == 2 and agreement(analysis, truth) >= 0.95


def test_the_same_votes_in_any_order_give_the_same_groups():
    voters, stmts, values, _truth = planted(seed=7)
    first = opinion.analyse(voters, stmts, values)
    order = list(range(len(values)))
    random.Random(3).shuffle(order)
    second = opinion.analyse([voters[i] for i in order], [stmts[i] for i in order], [values[i] for i in order])
    assert first.members() == second.members()
    assert first.statements == second.statements
    assert first.coords.tolist() == second.coords.tolist()


def test_consensus_and_divisiveness_follow_their_definitions():
    # Two clear groups of 4 voters on 3 statements.
    rows = []
    for voter in range(8):
        side = 1 if voter < 4 else -1
        rows += [(voter, "a", 1), (voter, "b", side), (voter, "c", side)]
    analysis = opinion.analyse(*zip(*rows, strict=True))
    assert analysis.k == 2
    a = analysis.statements["a"]
    assert a["consensus"] == pytest.approx((5 / 6) ** 2) and a["divisiveness"] == 0
    assert analysis.statements["b"]["divisiveness"] == pytest.approx(1.0)
    assert analysis.statements["b"]["consensus"] == pytest.approx((5 / 6) * (1 / 6))


def test_voters_with_fewer_than_three_votes_are_left_out_and_bad_votes_refused():
    analysis = opinion.analyse([1, 1, 1, 2, 2, 3, 3, 3], ["a", "b", "c", "a", "b", "a", "b", "c"],
                               [1, 1, -1, 1, 1, 0, 1, 1])
    assert analysis.voters == [1] and analysis.left_out == 2
    with pytest.raises(ValueError):
        opinion.analyse([1], ["a"], [2])


def test_a_small_group_is_never_shown(game):
    """Planted: two groups of 12 and one of 3. The 3 keep their group for research (the command), but the
    screens and the CSV leave that group out: no dots, no bars, no row, no weight on common ground."""
    vote_planted(game)
    analysis = game_opinion.analyse_game(game)
    small = [g for g, size in analysis.sizes.items() if size < 5]
    assert small and sorted(analysis.sizes.values()) == [3, 12, 12]
    view = game_opinion.opinion_view(game)
    shown_sizes = [group["size"] for group in view["groups"]]
    assert shown_sizes == [12, 12] and view["hidden_voters"]
    assert len(view["dots"]) == 24 < len(analysis.voters)
    for key in ("common_ground", "dividing", "other"):
        assert all(len(row["bars"]) == 2 for row in view[key])
    rows = list(csv.DictReader(io.StringIO(game_opinion.groups_csv(game))))
    assert {int(row["group_size"]) for row in rows} == {12}
    assert {row["group"] for row in rows} == {"A", "B"}


def test_small_groups_are_hidden_by_the_analysis():
    voters, stmts, values, _truth = planted(groups=(30, 30, 3), skip=0)
    analysis = opinion.analyse(voters, stmts, values, min_group_size=5)
    assert all(analysis.sizes[g] >= 5 for g in analysis.groups)
    for stats in analysis.statements.values():
        assert set(stats["groups"]) == set(analysis.groups)
    assert set(analysis.representative) == set(analysis.groups)
    everyone = opinion.analyse(voters, stmts, values)
    assert sum(len(m) for m in everyone.members().values()) == 63


def vote_planted(game, n_statements=9, sizes=(12, 12, 3)):
    # seed 4: k-means finds the planted groups of 12, 12 and 3
    statements = list(game.statements())
    for n in range(len(statements), n_statements):
        statements.append(Statement.objects.create(statement_set=game.statement_set, text=f"Stelling {n}",
                                                   sort_order=n))
    voters, stmts, values, truth = planted(groups=sizes, statements=n_statements, skip=0.05, seed=4)
    made = {}
    choice = {1: "agree", -1: "disagree", 0: "neutral"}
    for voter, s, value in zip(voters, stmts, values, strict=True):
        if voter not in made:
            made[voter] = game.voters.create()
        Vote.objects.create(game=game, voter=made[voter], statement=statements[s], choice=choice[value])
    return statements


def make_past(game):
    event = game.event
    event.start = timezone.now() - timezone.timedelta(days=2)
    event.end = event.start + timezone.timedelta(hours=2)
    event.save()


def test_results_page_projector_and_csv(client, game, facilitator):
    statements = vote_planted(game)
    from formats import services

    services.record_tally(game, statements[0], group="Jongeren", agree=9, disagree=5, neutral=1)
    services.record_tally(game, statements[0], group="Professionals", agree=6, disagree=0, neutral=0)
    make_past(game)
    page = client.get(reverse("formats:game_results", args=[game.key])).content.decode()
    assert "Groepen van mening" in page and "Meningenkaart" in page and "<svg class=\"opinion-map\"" in page
    assert page.index("Gemeenschappelijke basis") < page.index("Waar de groepen verschillen")
    assert "Wie zit in welke groep" in page
    assert "In de zaal en online is de meeste mensen het eens" not in page  # only real sentences
    assert "In de zaal en online" in page
    assert "groepen.csv" not in page  # the export is for coordinators only
    screen = client.get(reverse("formats:screen_opinion", args=[game.key])).content.decode()
    assert "Meningenkaart" not in screen or "Gemeenschappelijke basis" in screen
    csv_url = reverse("formats:opinion_csv", args=[game.key])
    assert client.get(csv_url).status_code == 302
    client.force_login(facilitator)
    assert "groepen.csv" in client.get(reverse("formats:game_results", args=[game.key])).content.decode()
    response = client.get(csv_url)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert rows and all(int(row["group_size"]) >= 5 for row in rows)
    assert {row["statement_id"] for row in rows} == {str(s.pk) for s in statements}


def test_projector_lists_only_closed_statements_while_results_wait(client, game):
    statements = vote_planted(game)
    from formats import services

    services.close_statement(game, statements[0])
    view = game_opinion.opinion_view(game, services.closed_ids(game))
    listed = [row["statement"].pk for key in ("common_ground", "common_rejection", "dividing", "other")
              for row in view[key]]
    assert listed == [statements[0].pk]
    assert client.get(reverse("formats:screen_opinion", args=[game.key])).status_code == 200


def test_room_and_online_comparison_says_it_plainly():
    agree = {"agree": 8, "disagree": 1, "neutral": 1, "total": 10}
    disagree = {"agree": 1, "disagree": 8, "neutral": 1, "total": 10}
    split = {"agree": 4, "disagree": 4, "neutral": 2, "total": 10}
    assert game_opinion.room_and_online(agree, agree) == "In de zaal en online zijn de meeste mensen het eens."
    assert game_opinion.room_and_online(agree, disagree) == (
        "De zaal en online verschillen: in de zaal zijn de meeste mensen het eens, online zijn de meeste mensen "
        "het oneens.")
    assert "verdeeld" in game_opinion.room_and_online(split, split)
    assert game_opinion.room_and_online({**agree, "total": 0, "agree": 0, "disagree": 0, "neutral": 0}, agree) == ""


def write_votes(tmp_path, text):
    path = tmp_path / "votes.csv"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_command_prints_groups_and_statements_as_json(tmp_path):
    voters, stmts, values, truth = planted(groups=(20, 20, 6))
    names = {1: "agree", -1: "disagree", 0: "pass"}
    lines = ["voter,statement,vote"] + [f"v{v},s{s},{names[x]}" for v, s, x in zip(voters, stmts, values, strict=True)]
    path = write_votes(tmp_path, "\n".join(lines) + "\n")
    out = io.StringIO()
    call_command("statement_groups", "--votes", path, "--json", stdout=out)
    result = json.loads(out.getvalue())
    assert set(result) == {"groups", "statements"}
    members = [voter for group in result["groups"].values() for voter in group]
    assert sorted(members) == sorted({f"v{v}" for v in voters})
    assert len(result["groups"]) == 3  # not masked: the group of 6 is there, and would be if it were 3
    assert set(result["statements"]) == {f"s{s}" for s in range(12)}
    first = result["statements"]["s0"]
    assert set(first) == {"consensus", "divisiveness", "groups"}
    assert set(first["groups"]) == set(result["groups"])
    assert all(set(counts) == {"agree", "disagree", "pass"} for counts in first["groups"].values())
    assert sum(c["agree"] + c["disagree"] + c["pass"] for c in first["groups"].values()) == sum(
        1 for v, s in zip(voters, stmts, strict=True) if s == 0)
    again = io.StringIO()
    call_command("statement_groups", "--votes", path, "--json", stdout=again)
    assert again.getvalue() == out.getvalue()


@pytest.mark.parametrize("text, message", [
    (None, "Cannot read"),
    ("voter,statement\n1,a\n", "missing: vote"),
    ("voter,statement,vote\n1,a,maybe\n", "line 2"),
    ("voter,statement,vote\n,a,agree\n", "may not be empty"),
    ("voter,statement,vote\n", "no votes"),
])
def test_command_refuses_bad_input_with_exit_code_2(tmp_path, text, message):
    path = str(tmp_path / "missing.csv") if text is None else write_votes(tmp_path, text)
    with pytest.raises(CommandError) as caught:
        call_command("statement_groups", "--votes", path, "--json")
    assert caught.value.returncode == 2 and message in str(caught.value)


def test_the_demo_youth_game_shows_groups_and_common_ground(site):
    from formats import demo
    from formats.models import StatementGame

    demo.load(io.StringIO())
    game = StatementGame.objects.filter(tallies__isnull=False).distinct().get()
    assert game.voters.count() == 120
    view = game_opinion.opinion_view(game)
    assert 2 <= len(view["groups"]) <= 3 and all(group["size"] >= 5 for group in view["groups"])
    assert view["common_ground"] and view["dividing"]
    texts = {row["statement"].text for row in view["common_ground"]}
    assert "Er moet 's avonds meer te doen zijn voor jongeren in de wijk." in texts
    assert any(row["comparison"] for row in view["dividing"])


def test_an_outcome_labels_a_common_ground_statement_and_links_to_it(game):
    from outcomes.models import OutcomeInput

    statements = vote_planted(game)
    common, split = statements[0], statements[3]
    assert OutcomeInput(statement=common).public_url is None  # results not public yet
    make_past(game)
    linked = OutcomeInput(statement=common)
    assert linked.kind_label == "Gemeenschappelijke basis (stellingenspel)"
    assert linked.public_url == f"{game.get_public_url()}#opinion-statement-{common.pk}"
    other = OutcomeInput(statement=split)
    assert other.kind_label == "Stelling"
    assert other.public_url == f"{game.get_public_url()}#statement-{split.pk}"
