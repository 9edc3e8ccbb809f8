"""Published aggregates never show a group of 1-4; the coordinator's view shows exact counts."""

import pytest
from django.urls import reverse
from django.utils import translation

from population import presentation
from population import representativeness as rep

POPULATION = {"gender": {"man": 50, "woman": 50}, "age_band": {"15-24": 20, "25-44": 40, "65+": 40}}
PEOPLE = [{"gender": "man", "age_band": "65+"}] * 9 + [{"gender": "woman", "age_band": "15-24"}] * 2


def test_published_masks_counts_and_the_shares_that_reveal_them():
    report = rep.compare(POPULATION, PEOPLE)
    published = report.published()
    gender = published["dimensions"][0]
    woman = gender["categories"][1]
    assert (woman["count"], woman["share"], woman["ratio"]) == ("<5", None, None)
    # Issue 11, point 8: this used to be 9, and 11 known answers (published through the expected counts)
    # minus 9 gave the 2 women away. The 9 is hidden as well now ("x"), and its share too.
    assert gender["categories"][0]["count"] == "x" and gender["categories"][0]["share"] is None
    age = published["dimensions"][1]
    assert [c["count"] for c in age["categories"]] == ["<5", 0, "x"]  # was ["<5", 0, 9]: same reason
    assert report.dimensions[0].categories[1].count == 2  # the coordinator's figures stay exact


def test_published_verdict_masks_and_small_groups_are_left_out():
    with translation.override("en"):
        sentences = presentation.verdict(rep.compare(POPULATION, PEOPLE), published=True)
        exact = presentation.verdict(rep.compare(POPULATION, PEOPLE))
    assert any("<5 of 11" in s for s in sentences)
    assert not any(" 2 of 11" in s for s in sentences)
    assert any(" 2 of 11" in s for s in exact)
    tiny = rep.compare(POPULATION, PEOPLE[:3]).published()
    assert tiny["dimensions"] == [] and tiny["people"] == "<5"


@pytest.mark.django_db
def test_public_panel_page_shows_masked_counts(client, resident_panel):
    page = client.get(reverse("panels:detail", args=[resident_panel.pk])).content.decode()
    assert "Lijkt het panel op de inwoners?" in page
    assert "<td>&lt;5</td>" in page
    # 1 young person: the table cell and the sentence both say <5, never 1.
    assert "ondervertegenwoordigd: &lt;5 van 15" in page
    assert "Wie ontbreekt er" not in page


def test_table_cells_mask_small_counts_and_unknowns_only_when_published():

    people = PEOPLE + [{"gender": "", "age_band": "65+"}] * 3
    gender = rep.compare(POPULATION, people).dimensions[0]
    published = presentation.table_cells(gender, published=True)
    # 3 unknowns: the 11 known answers are kept back, so 9 | <5 | unknown <5 of 14 gives nothing away.
    assert published == {"counts": [9, "<5"], "hidden": [False, True], "unknown": "<5"}
    exact = presentation.table_cells(gender, published=False)
    assert exact == {"counts": [9, 2], "hidden": [False, False], "unknown": 3}


@pytest.mark.django_db
def test_public_panel_report_only_when_chosen_and_the_panel_has_members(resident_panel, pool_panel):
    from panels import services

    assert services.public_panel_report(resident_panel) is not None
    resident_panel.publish_representativeness = False
    resident_panel.save()
    assert services.public_panel_report(resident_panel) is None
    pool_panel.publish_representativeness = True
    pool_panel.save()
    assert services.public_panel_report(pool_panel) is None  # not drawn yet: no members


def test_a_second_category_is_hidden_only_when_subtraction_would_reveal_a_small_one():
    people = [{"gender": "man", "age_band": "65+"}] * 9 + [{"gender": "woman", "age_band": "25-44"}] * 7 + [
        {"gender": "woman", "age_band": "15-24"}] * 2
    age = rep.compare(POPULATION, people).dimensions[1]
    # 2 | 7 | 9 of 18: hiding the 7 (the smallest that works) is enough; the 9 stays.
    assert [value for value, _hidden in rep.published_counts(age)] == ["<5", "x", 9]
    gender = rep.compare(POPULATION, people).dimensions[0]
    assert [value for value, _hidden in rep.published_counts(gender)] == [9, 9]


def test_when_no_second_count_can_hide_it_every_count_is_hidden():
    # 1 | 0 | 5 of 6: hiding the 5 is no use (a reader knows "x" is 5 or more, so 1 + 5 = 6 is forced).
    people = [{"gender": "man", "age_band": "15-24"}] + [{"gender": "man", "age_band": "65+"}] * 5
    age = rep.compare(POPULATION, people).dimensions[1]
    assert [value for value, _hidden in rep.published_counts(age)] == ["x", 0, "x"]
    svg = presentation.svg_chart(age, published=True)
    assert ">1<" not in svg and ">5<" not in svg


def test_a_dimension_with_1_to_4_unknowns_keeps_its_number_of_known_answers_back():
    """Everyone's number is public (here: every gender is known, so 14 people), so 14 - 12 known ages
    would give the 2 unknown ages away. The age comparison then shows counts but no expected counts,
    shares or numbers in the sentences."""
    people = ([{"gender": "man", "age_band": "65+"}] * 6 + [{"gender": "woman", "age_band": "25-44"}] * 6
              + [{"gender": "woman", "age_band": ""}] * 2)
    report = rep.compare(POPULATION, people)
    age = report.dimension("age_band")
    assert (age.known, age.unknown) == (12, 2) and rep.hides_known(age)
    published = report.published()
    age_published = next(d for d in published["dimensions"] if d["name"] == "age_band")
    assert age_published["known"] == "x" and age_published["unknown"] == "<5"
    assert all(c["share"] is None and c["expected"] is None for c in age_published["categories"])
    # The unknowns are a cell of the row 0 | 6 | 6 | 2 of 14: a 6 is hidden too.
    assert [v for v, _h in rep.published_counts(age)].count("x") >= 1
    with translation.override("en"):
        sentences = presentation.verdict(report, published=True)
    assert not any(" of 12" in s or " 12 " in s for s in sentences)
    svg = presentation.svg_chart(age, published=True)
    assert "50.0%" not in svg  # 6 of 12
    gender = report.dimension("gender")
    assert not rep.hides_known(gender)
