"""`manage.py representativeness`: the JSON contract of issue 5 and exit status 2 for unknown values."""

import json
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from scipy import stats

ROOT = Path(__file__).resolve().parents[2]
POPULATION = "dimension,category,count\ngender,man,480\ngender,woman,520\nage_band,15-24,150\nage_band,25-64,600\nage_band,65+,250\n"
PEOPLE = "id,gender,age_band\n1,man,65+\n2,woman,\n3,unknown,25-64\n4,man,65+\n5,woman,25-64\n"


@pytest.fixture
def files(tmp_path):
    population = tmp_path / "population.csv"
    people = tmp_path / "people.csv"
    population.write_text(POPULATION)
    people.write_text(PEOPLE)
    return population, people


def test_json_contract(files):
    population, people = files
    out = StringIO()
    call_command("representativeness", population=str(population), people=str(people), size=10, json=True, stdout=out)
    data = json.loads(out.getvalue())
    assert set(data) == {"size", "people", "dimensions"}
    assert (data["size"], data["people"]) == (10, 5)
    assert [d["name"] for d in data["dimensions"]] == ["gender", "age_band"]
    for dim in data["dimensions"]:
        assert set(dim) == {"name", "known", "unknown", "tvd", "test", "p_value", "categories"}
        for category in dim["categories"]:
            assert set(category) == {"category", "population", "population_share", "count", "share", "ratio",
                                     "expected", "quota", "quota_min", "quota_max", "missing"}
    gender, age = data["dimensions"]
    assert (gender["known"], gender["unknown"], age["known"], age["unknown"]) == (4, 1, 4, 1)
    old = age["categories"][2]
    assert (old["count"], old["population_share"], old["share"], old["ratio"]) == (2, 0.25, 0.5, 2.0)
    assert (old["quota"], old["quota_min"], old["quota_max"], old["missing"]) == (3, 2, 3, 0)  # 10 x 0.25 = 2.5
    young = age["categories"][0]
    assert (young["quota_min"], young["quota_max"], young["missing"]) == (1, 2, 1)
    assert sum(c["quota"] for c in age["categories"]) == 10
    assert age["test"] == "exact"
    n = 4
    observed = stats.multinomial.pmf([0, 2, 2], n, [0.15, 0.6, 0.25])
    expected_p = sum(p for a in range(n + 1) for b in range(n + 1 - a)
                     if (p := stats.multinomial.pmf([a, b, n - a - b], n, [0.15, 0.6, 0.25])) <= observed * (1 + 1e-7))
    assert age["p_value"] == pytest.approx(expected_p, rel=1e-9)


def test_value_not_in_population_is_an_error(files, tmp_path):
    population, _people = files
    bad = tmp_path / "bad.csv"
    bad.write_text("id,gender,age_band\n1,male,65+\n2,woman,\n3,male,90+\n")
    with pytest.raises(CommandError) as error:
        call_command("representativeness", population=str(population), people=str(bad), json=True, stdout=StringIO())
    assert error.value.returncode == 2
    assert "gender: 'male' is not a category of the population (rows 2, 4)" in str(error.value)
    assert "age_band: '90+' is not a category of the population (rows 4)" in str(error.value)


def test_exit_status_2_from_the_shell(files, tmp_path):
    population, _people = files
    bad = tmp_path / "bad.csv"
    bad.write_text("id,gender\n1,x\n")
    done = subprocess.run([sys.executable, "manage.py", "representativeness", "--population", str(population),
                           "--people", str(bad), "--json"], cwd=ROOT, capture_output=True, text=True,
                          env={"DJANGO_SETTINGS_MODULE": "participation.settings.test", "PATH": "/usr/bin:/bin",
                               "DATABASE_URL": "sqlite:///:memory:"})
    assert done.returncode == 2, done.stderr
    assert "'x' is not a category" in done.stderr and done.stdout == ""


def test_malformed_population_is_an_error(tmp_path, files):
    _population, people = files
    population = tmp_path / "p.csv"
    population.write_text("dimension,category,count\ngender,man,many\n")
    with pytest.raises(CommandError) as error:
        call_command("representativeness", population=str(population), people=str(people), stdout=StringIO())
    assert error.value.returncode == 2 and "row 2, column count: 'many'" in str(error.value)
