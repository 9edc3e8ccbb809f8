"""population.weighting and `manage.py weigh_responses`: the raking contract of issue 15, point 5.

Checked against hand-computed cases and against an independent numpy implementation of iterative
proportional fitting written from the contract's words (matrices of category membership, not loops).
"""

import json
import math
import random
from io import StringIO

import numpy as np
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from population import weighting

POPULATION = {"gender": {"man": 50, "woman": 50}}


def test_one_dimension_by_hand():
    people = [{"gender": "man"}] * 3 + [{"gender": "woman"}]
    result = weighting.rake(POPULATION, people, ["gender"])
    assert result.weights == pytest.approx([2 / 3, 2 / 3, 2 / 3, 2])
    assert result.design_effect == pytest.approx(4 / 3)
    assert result.effective_n == pytest.approx(3)
    assert result.margin_of_error == pytest.approx(1.96 * math.sqrt(0.25 / 3))
    gender = result.dimensions[0]
    assert [c.unweighted_share for c in gender.categories] == pytest.approx([0.75, 0.25])
    assert [c.weighted_share for c in gender.categories] == pytest.approx([0.5, 0.5])


def test_unknown_keeps_its_weight_before_scaling():
    # Known weight 4: men x 0.5*4/3, the woman x 0.5*4/1, the unknown keeps 1; the sum is 5 = n, so mean 1 already.
    people = [{"gender": "man"}] * 3 + [{"gender": "woman"}, {"gender": "unknown"}]
    result = weighting.rake(POPULATION, people, ["gender"])
    assert result.weights == pytest.approx([2 / 3, 2 / 3, 2 / 3, 2, 1])
    assert (result.dimensions[0].known, result.dimensions[0].unknown) == (4, 1)


def test_two_dimensions_by_hand():
    # Population: gender 40/60, age young/old 50/50. Respondents: (man, young) x2, (woman, old) x1, (woman, young) x1.
    population = {"gender": {"man": 40, "woman": 60}, "age": {"young": 50, "old": 50}}
    people = [{"gender": "man", "age": "young"}] * 2 + [{"gender": "woman", "age": "old"},
                                                         {"gender": "woman", "age": "young"}]
    result = weighting.rake(population, people, ["gender", "age"])
    w = result.weights
    # The fixed point: (man, young) = a each, (woman, old) = b, (woman, young) = c;
    # 2a/(2a+b+c) = 0.4 and b/(2a+b+c) = 0.5, so with total 4 (mean 1): 2a = 1.6, b = 2, c = 0.4.
    assert w == pytest.approx([0.8, 0.8, 2.0, 0.4], abs=1e-9)
    assert sum(w) == pytest.approx(4)


def reference_rake(population, people, dimensions, cycles=1000):
    """Independent IPF from the contract's words, with numpy membership matrices."""
    n = len(people)
    w = np.ones(n)
    parts = []
    for d in dimensions:
        cats = list(population[d])
        total = sum(population[d].values())
        p = np.array([population[d][c] / total for c in cats])
        m = np.array([[1.0 if person.get(d) == c else 0.0 for person in people] for c in cats])  # cats x n
        parts.append((p, m))
    for _ in range(cycles):
        for p, m in parts:
            w_c = m @ w
            factor = np.where(w_c > 0, p * w_c.sum() / np.where(w_c > 0, w_c, 1), 1.0)
            w = w * (factor @ m + (1 - m.sum(axis=0)))
        if all(np.max(np.abs((m @ w) / (m @ w).sum() - p)) <= 1e-12 for p, m in parts):
            break
    return w * n / w.sum()


@pytest.mark.parametrize("seed", range(8))
def test_against_independent_numpy_implementation(seed):
    rng = random.Random(seed)
    population = {
        "age_band": {"15-24": 150, "25-44": 300, "45-64": 320, "65+": 230},
        "gender": {"man": 490, "woman": 500, "other": 10},
        "wijk": {"Noord": 400, "Zuid": 350, "Centrum": 250},
    }
    skew = {"65+": 3, "45-64": 2, "25-44": 1, "15-24": 0.5}
    people = []
    for _ in range(rng.randint(40, 200)):
        person = {
            "age_band": rng.choices(list(skew), weights=list(skew.values()))[0],
            "gender": rng.choice(["man", "woman", "woman", "other"]),
            "wijk": rng.choice(["Noord", "Zuid", "Centrum", "Centrum"]),
        }
        for d in person:
            if rng.random() < 0.1:
                person[d] = ""
        people.append(person)
    for d, cats in population.items():  # every category answered at least once
        for c in cats:
            people.append({**{k: "" for k in population}, d: c})
    dims = rng.sample(list(population), 3)
    result = weighting.rake(population, people, dims)
    assert result.weights == pytest.approx(list(reference_rake(population, people, dims)), rel=1e-9)
    assert sum(result.weights) / len(people) == pytest.approx(1)
    for dim in result.dimensions:
        for c in dim.categories:
            assert c.weighted_share == pytest.approx(c.population_share, abs=1e-11)
    w = np.array(result.weights)
    assert result.design_effect == pytest.approx(len(w) * (w ** 2).sum() / w.sum() ** 2)
    assert result.effective_n == pytest.approx(w.sum() ** 2 / (w ** 2).sum())


def test_empty_category_is_named():
    with pytest.raises(weighting.EmptyCategory) as error:
        weighting.rake({"gender": {"man": 5, "woman": 5, "other": 1}}, [{"gender": "man"}, {"gender": "woman"}], ["gender"])
    assert (error.value.dimension, error.value.category) == ("gender", "other")


def test_zero_population_category_gets_weight_zero():
    result = weighting.rake({"gender": {"man": 5, "woman": 5, "other": 0}},
                            [{"gender": "man"}, {"gender": "woman"}, {"gender": "other"}], ["gender"])
    assert result.weights == pytest.approx([1.5, 1.5, 0])


def test_contradictory_margins_do_not_converge():
    population = {"gender": {"a": 50, "b": 50}, "age": {"x": 30, "y": 70}}
    people = [{"gender": "a", "age": "x"}, {"gender": "b", "age": "y"}]
    with pytest.raises(weighting.NotConverged):
        weighting.rake(population, people, ["gender", "age"])


def test_trim_only_when_asked():
    people = [{"gender": "man"}] * 9 + [{"gender": "woman"}]
    untrimmed = weighting.rake(POPULATION, people, ["gender"])
    assert max(untrimmed.weights) == pytest.approx(5) and untrimmed.trimmed == 0
    trimmed = weighting.rake(POPULATION, people, ["gender"], trim=3)
    assert trimmed.trimmed == 1
    assert sum(trimmed.weights) == pytest.approx(10)
    assert max(trimmed.weights) < 5


# --- the CLI ---

POP_CSV = "dimension,category,count\ngender,man,480\ngender,woman,520\nage_band,15-44,500\nage_band,45+,500\n"
RESP_CSV = "id,gender,age_band\nr1,man,45+\nr2,woman,45+\nr3,woman,15-44\nr4,man,unknown\nr5,,45+\nr6,woman,45+\n"


@pytest.fixture
def csvs(tmp_path):
    pop, resp = tmp_path / "P.csv", tmp_path / "R.csv"
    pop.write_text(POP_CSV)
    resp.write_text(RESP_CSV)
    return pop, resp


def run(pop, resp, dims="gender,age_band", **extra):
    out = StringIO()
    call_command("weigh_responses", population=str(pop), respondents=str(resp), dimensions=dims, json=True,
                 stdout=out, stderr=StringIO(), **extra)
    return json.loads(out.getvalue())


def test_cli_json_contract(csvs):
    data = run(*csvs)
    assert set(data["weights"]) == {"r1", "r2", "r3", "r4", "r5", "r6"}
    assert [d["name"] for d in data["dimensions"]] == ["gender", "age_band"]
    people = [{"gender": g, "age_band": a} for g, a in
              [("man", "45+"), ("woman", "45+"), ("woman", "15-44"), ("man", ""), ("", "45+"), ("woman", "45+")]]
    population = {"gender": {"man": 480, "woman": 520}, "age_band": {"15-44": 500, "45+": 500}}
    expected = reference_rake(population, people, ["gender", "age_band"])
    assert list(data["weights"].values()) == pytest.approx(list(expected), rel=1e-9)
    gender = data["dimensions"][0]
    assert [c["category"] for c in gender["categories"]] == ["man", "woman"]
    man = gender["categories"][0]
    assert man["population_share"] == pytest.approx(0.48)
    assert man["unweighted_share"] == pytest.approx(2 / 5)  # r5 unknown: 2 men of 5 known
    assert man["weighted_share"] == pytest.approx(0.48, abs=1e-11)
    w = np.array(list(data["weights"].values()))
    assert data["design_effect"] == pytest.approx(6 * (w ** 2).sum() / w.sum() ** 2)
    assert data["effective_n"] == pytest.approx(w.sum() ** 2 / (w ** 2).sum())
    assert data["margin_of_error"] == pytest.approx(1.96 * math.sqrt(0.25 / data["effective_n"]))


def test_cli_either_order_meets_every_margin(csvs):
    # With unknown values the fixed point depends on the order (the unknowns keep their weight per step),
    # which is why the contract fixes the order; every margin is met either way.
    for dims in ("gender,age_band", "age_band,gender"):
        for dim in run(*csvs, dims=dims)["dimensions"]:
            for c in dim["categories"]:
                assert c["weighted_share"] == pytest.approx(c["population_share"], abs=1e-11)


@pytest.mark.parametrize(("respondents", "dims", "message"), [
    ("id,gender,age_band\nr1,man,45+\nr2,man,15-44\n", "gender,age_band", "gender: category 'woman'"),
    ("id,gender,age_band\nr1,male,45+\n", "gender", "'male' is not a category"),
    ("gender,age_band\nman,45+\n", "gender", "missing column id"),
    ("id,gender\nr1,man\nr1,woman\n", "gender", "also on row 2"),
    ("id,gender\nr1,man\nr2,woman\n", "gender,wijk", "wijk not in"),
    ("id,gender\nr1,man\nr2,woman\n", "gender,age_band", "missing column(s) age_band"),
    ("id,gender\nr1,man\nr2,woman\n", " , ", "at least one dimension"),
    ("id,gender,age_band\nr1,man,45+\nr2,woman,15-44\n", "gender,age_band", "did not converge"),
])
def test_cli_exit_2_with_a_clear_message(csvs, respondents, dims, message):
    pop, resp = csvs
    resp.write_text(respondents)
    with pytest.raises(CommandError) as error:
        run(pop, resp, dims=dims)
    assert error.value.returncode == 2
    assert message in str(error.value)


def test_cli_population_file_problems(csvs, tmp_path):
    _pop, resp = csvs
    bad = tmp_path / "bad.csv"
    bad.write_text("dimension,category\ngender,man\n")
    with pytest.raises(CommandError) as error:
        run(bad, resp, dims="gender")
    assert error.value.returncode == 2 and "missing column" in str(error.value)
    with pytest.raises(CommandError) as error:
        run(tmp_path / "nope.csv", resp, dims="gender")
    assert error.value.returncode == 2 and "cannot read" in str(error.value)


def test_cli_text_output_and_trim(csvs):
    out = StringIO()
    call_command("weigh_responses", population=str(csvs[0]), respondents=str(csvs[1]), dimensions="gender",
                 trim=1.2, stdout=out)
    text = out.getvalue()
    assert "design effect" in text and "trimmed at 1.2" in text
