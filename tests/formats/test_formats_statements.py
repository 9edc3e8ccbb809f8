"""Statement game: tallies and online votes merge, one vote per person per statement, small groups hidden."""

import csv
import io

import pytest
from django.db import IntegrityError, transaction

from formats import services
from formats.models import Statement, Tally, Vote
from population import dimensions
from population.models import Area

pytestmark = pytest.mark.django_db


def statements(game):
    return list(game.statements())


def test_statement_takes_theme_and_phase_of_its_set(statement_set, theme):
    statement = statement_set.statements.first()
    assert statement.theme == theme
    assert statement.cycle_phase == statement_set.cycle_phase
    assert str(statement) == statement.text


def test_room_and_online_merge_per_statement(game):
    first, second, _third = statements(game)
    services.record_tally(game, first, round=1, group="Jongeren", agree=4, disagree=2, neutral=1)
    services.record_tally(game, first, round=1, group="Professionals", agree=1, disagree=3, neutral=0)
    # Round 2: the same people again after the conversation; the room's figure is this last round.
    services.record_tally(game, first, round=2, group="Jongeren", agree=6, disagree=1, neutral=0)
    services.record_tally(game, first, round=2, group="Professionals", agree=2, disagree=2, neutral=0)
    for choice in ["agree", "agree", "disagree", "neutral"]:
        voter, _ = services.voter_for(game, "")
        services.cast_vote(game, voter, first, choice)
    services.cast_vote(game, services.voter_for(game, "")[0], second, "disagree")

    result = services.statement_results(game, first)
    assert result["room_round"] == 2
    assert (result["room"]["agree"], result["room"]["disagree"], result["room"]["neutral"]) == (8, 3, 0)
    assert [(number, counts["total"]) for number, counts in result["rounds"]] == [(1, 11), (2, 11)]
    assert result["room_groups"]["Jongeren"]["agree"] == 6
    assert (result["online"]["agree"], result["online"]["disagree"], result["online"]["neutral"]) == (2, 1, 1)
    assert (result["combined"]["agree"], result["combined"]["disagree"], result["combined"]["neutral"]) == (10, 4, 1)
    assert result["combined"]["total"] == 15
    assert result["combined"]["agree_pct"] == 67
    other = services.statement_results(game, second)
    assert other["room"]["total"] == 0 and other["online"]["disagree"] == 1 and other["combined"]["total"] == 1


def test_a_recount_replaces_the_earlier_count_and_a_resent_save_changes_nothing(game, facilitator):
    first = statements(game)[0]
    services.record_tally(game, first, group="Jongeren", agree=3, client_id="a", user=facilitator)
    services.record_tally(game, first, group="Jongeren", agree=5, client_id="b", user=facilitator)
    services.record_tally(game, first, group="Jongeren", agree=5, client_id="b", user=facilitator)
    assert Tally.objects.filter(game=game, statement=first).count() == 1
    assert Tally.objects.get(game=game, statement=first).agree == 5


def test_tally_rejects_unknown_group_round_and_negative_counts(game):
    first = statements(game)[0]
    with pytest.raises(services.FormatError):
        services.record_tally(game, first, group="Bestuurders", agree=1)
    with pytest.raises(services.FormatError):
        services.record_tally(game, first, round=3, group="Jongeren", agree=1)
    with pytest.raises(services.FormatError):
        services.record_tally(game, first, group="Jongeren", agree=-1)


def test_one_vote_per_person_per_statement_and_the_vote_may_change(game):
    first = statements(game)[0]
    voter, created = services.voter_for(game, "")
    assert created
    services.cast_vote(game, voter, first, "agree")
    same, created = services.voter_for(game, voter.token)
    assert same == voter and not created
    services.cast_vote(game, same, first, "disagree")
    assert Vote.objects.filter(voter=voter, statement=first).count() == 1
    assert Vote.objects.get(voter=voter, statement=first).choice == "disagree"
    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(game=game, voter=voter, statement=first, choice="agree")


def test_no_votes_on_closed_statements_or_other_games(game, index, statement_set):
    from formats.models import StatementGame
    from tests.formats.conftest import make_event

    first, second, _ = statements(game)
    voter, _ = services.voter_for(game, "")
    services.close_statement(game, first)
    with pytest.raises(services.FormatError):
        services.cast_vote(game, voter, first, "agree")
    services.reopen_statement(game, first)
    services.cast_vote(game, voter, first, "agree")
    other = StatementGame.objects.create(event=make_event(index), statement_set=statement_set)
    with pytest.raises(services.FormatError):
        services.cast_vote(other, voter, second, "agree")
    game.online_voting_open = False
    with pytest.raises(services.FormatError):
        services.cast_vote(game, voter, second, "agree")


def test_splits_hide_groups_under_five_and_mask_small_counts(game):
    first = statements(game)[0]
    overvecht = Area.objects.create(code="WK034403", name="Wijk 03 Overvecht", level="wijk")
    zuilen = Area.objects.create(code="WK034402", name="Wijk 02 Noordwest", level="wijk")
    # 6 young people from Overvecht (5 agree, 1 pass), 3 older people from Noordwest, 5 who did not say.
    # (Two disagree and one passes: with fewer, the published online total would give the split's small
    # counts away and the split would be withheld; see test_a_split_the_online_total_gives_away_is_withheld.)
    for n in range(6):
        voter, _ = services.voter_for(game, "")
        services.set_voter_profile(voter, "15-24", overvecht)
        services.cast_vote(game, voter, first, "agree" if n < 5 else "neutral")
    for _n in range(3):
        voter, _ = services.voter_for(game, "")
        services.set_voter_profile(voter, "65+", zuilen)
        services.cast_vote(game, voter, first, "disagree")
    for _n in range(2):
        voter, _ = services.voter_for(game, "")
        services.set_voter_profile(voter, "nonsense", None)  # unknown band: "prefer not to say"
        assert voter.age_band == ""
        services.cast_vote(game, voter, first, "agree")
    for choice in ("disagree", "disagree", "neutral"):
        voter, _ = services.voter_for(game, "")
        services.cast_vote(game, voter, first, choice)

    young, old = (str(dict(dimensions.AGE_BAND_CHOICES)[band]) for band in ("15-24", "65+"))
    raw = services.split_counts(game, "age_band")[first.pk]
    assert raw[young]["total"] == 6 and raw[old]["total"] == 3 and len(raw) == 2
    published = services.published_split(raw)
    assert list(published) == [young]
    assert published[young]["agree"] == 5
    assert published[young]["neutral"] == "<5"
    by_wijk = services.split_counts(game, "wijk")[first.pk]
    assert by_wijk["Noordwest"]["disagree"] == 3
    assert list(services.published_split(by_wijk)) == ["Overvecht"]

    exported = list(csv.reader(io.StringIO(services.results_csv(game))))
    split_rows = [row for row in exported if row[2].startswith("online_by_")]
    assert {row[4] for row in split_rows} == {young, "Overvecht"}
    online = next(row for row in exported if row[2] == "online" and row[0] == str(first.pk))
    assert online[5:] == ["7", "5", "2", "14"]


def test_live_state_hides_results_until_the_statement_closes(game):
    first = statements(game)[0]
    assert services.live_state(game)["statement"] is None
    services.show_statement(game, first)
    services.record_tally(game, first, group="Jongeren", agree=2, disagree=1)
    state = services.live_state(game)
    assert state["statement"]["text"] == first.text and state["show_results"] is False
    assert "results" not in state and state["responses"] == 3
    services.close_statement(game, first)
    state = services.live_state(game)
    assert state["show_results"] and state["results"]["combined"]["agree"] == 2
    game.hide_results_until_closed = False
    services.reopen_statement(game, first)
    assert services.live_state(game)["show_results"] is True


def test_public_url_only_after_the_event(game, index, statement_set):
    first = statements(game)[0]
    assert not game.results_are_public()
    assert first.get_public_url() is None
    from django.utils import timezone

    event = game.event
    event.start = timezone.now() - timezone.timedelta(days=3)
    event.end = event.start + timezone.timedelta(hours=2)
    event.save()
    assert first.get_public_url() == f"{game.get_public_url()}#statement-{first.pk}"
    assert Statement.objects.get(pk=first.pk).results(game)["combined"]["total"] == 0


def test_room_groups_are_published_under_the_small_cell_rule(game):
    first = statements(game)[0]
    services.record_tally(game, first, group="Jongeren", agree=4, disagree=2, neutral=1)
    services.record_tally(game, first, group="Professionals", agree=1, disagree=2, neutral=1)
    result = services.game_results(game)[0]
    assert result["room"]["total"] == 11
    # Issue 11, point 8: the total was 7, but the room's total (11, shown) minus 7 gave the hidden
    # Professionals away (4 people). It is now hidden ("x") as well.
    assert result["room_groups_published"] == {"Jongeren": {"agree": "<5", "disagree": "<5", "neutral": "<5",
                                                             "total": "x"}}
    exported = services.results_csv(game)
    assert "Professionals" not in exported


def _played_with_groups(game, jongeren, professionals):
    first = statements(game)[0]
    for group, (agree, disagree, neutral) in (("Jongeren", jongeren), ("Professionals", professionals)):
        services.record_tally(game, first, group=group, agree=agree, disagree=disagree, neutral=neutral)
    return first


def test_the_reported_leak_jongeren_9_5_1_15_is_closed(game):
    """Issue 11: `Jongeren 9 | 5 | <5 | 15` gave the 1 away (15 - 9 - 5). Now a reader cannot work it out,
    not from the row and not from the room's total (shown exactly) either."""
    _played_with_groups(game, (9, 5, 1), (8, 7, 6))
    result = services.game_results(game)[0]
    jongeren = result["room_groups_published"]["Jongeren"]
    professionals = result["room_groups_published"]["Professionals"]
    assert jongeren["neutral"] == "<5"
    row = [jongeren[key] for key in ("agree", "disagree", "neutral", "total")]
    # Not all three other numbers of the row are shown any more.
    assert sum(isinstance(value, int) for value in row) < 3
    # The room's total stays exact, so the neutral column must hide a second cell.
    assert professionals["neutral"] == "x"
    assert result["room"]["neutral"] == 7 and result["splits_secondary"]


def test_results_page_and_csv_hide_the_second_cell(client, game, facilitator):
    from django.urls import reverse
    from django.utils import timezone

    _played_with_groups(game, (9, 5, 1), (8, 7, 6))
    event = game.event
    event.start = timezone.now() - timezone.timedelta(days=2)
    event.end = event.start + timezone.timedelta(hours=2)
    event.save()
    page = client.get(reverse("formats:game_results", args=[game.key])).content.decode()
    jongeren_row = page.split("&nbsp;&nbsp;Jongeren</th>")[1].split("</tr>")[0]
    cells = [cell.split("</td>")[0] for cell in jongeren_row.split("<td>")[1:]]
    assert "&lt;5" in cells and cells != ["9", "5", "&lt;5", "15"]
    assert "x" in cells
    assert "x: dit getal is ook verborgen. Anders kun je met de totalen een klein aantal uitrekenen." in page
    client.force_login(facilitator)
    exported = list(csv.reader(io.StringIO(client.get(reverse("formats:game_results_csv", args=[game.key]))
                                           .content.decode())))
    jongeren = next(row for row in exported if row[2] == "room_group" and row[4] == "Jongeren")
    assert jongeren[5:] != ["9", "5", "<5", "15"] and "<5" in jongeren[5:] and "x" in jongeren[5:]
    assert not any(row[5:] == ["9", "5", "1", "15"] for row in exported)


def test_a_split_the_online_total_gives_away_is_withheld(game):
    """1 person online passed and the only shown group says "<5" passed: that person is in the group.
    No second cell can hide it (the other cells are 0 or published), so the split is not shown."""
    first = statements(game)[0]
    overvecht = Area.objects.create(code="WK034403", name="Wijk 03 Overvecht", level="wijk")
    for n in range(6):
        voter, _ = services.voter_for(game, "")
        services.set_voter_profile(voter, "15-24", overvecht)
        services.cast_vote(game, voter, first, "agree" if n < 5 else "neutral")
    for _n in range(3):
        voter, _ = services.voter_for(game, "")
        services.cast_vote(game, voter, first, "disagree")
    result = services.game_results(game)[0]
    assert result["online"]["neutral"] == 1
    assert all(split == {} and split.withheld for _label, split in result["splits"])
    assert result["splits_withheld"]
    exported = list(csv.reader(io.StringIO(services.results_csv(game))))
    assert not [row for row in exported if row[2].startswith("online_by_")]
