"""`manage.py panel_select`: the Sortition Foundation CSV contract of issue 5."""

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from panels.selection import quota_violations

ROOT = Path(__file__).resolve().parents[2]

PEOPLE = ["id,name,gender,age"] + [
    f"v{i:02d},Person {i},{'woman' if i % 2 else 'man'},{('young', 'middle', 'old', 'old')[i % 4]}"
    for i in range(24)
]
FEATURES = [
    "feature,value,min,max,min_flex,max_flex",
    "gender,man,3,3,0,10",
    "gender,woman,3,3,0,10",
    "age,young,2,2,0,10",
    "age,middle,2,2,0,10",
    "age,old,2,2,0,10",
]


def write(folder, people=PEOPLE, features=FEATURES):
    (folder / "people.csv").write_text("\n".join(people) + "\n")
    (folder / "features.csv").write_text("\n".join(features) + "\n")


def run(folder, *extra, size=6):
    call_command(
        "panel_select", "--people", str(folder / "people.csv"), "--features", str(folder / "features.csv"),
        "--size", str(size), "--out", str(folder / "panel.csv"), "--report", str(folder / "report.json"), *extra,
        stdout=open(folder / "stdout.txt", "w"),
    )
    report = json.loads((folder / "report.json").read_text())
    with open(folder / "panel.csv", newline="") as handle:
        panel = list(csv.DictReader(handle))
    return report, panel


def test_panel_select_writes_the_panel_and_a_complete_report(tmp_path):
    write(tmp_path)
    report, panel = run(tmp_path, "--seed", "42", "--algorithm", "maximin")
    assert {"algorithm", "seed", "seconds", "panel", "min_probability", "probabilities"} <= set(report)
    assert report["algorithm"] == "maximin" and report["seed"] == 42
    assert set(report["probabilities"]) == {f"v{i:02d}" for i in range(24)}  # every volunteer listed
    assert sum(report["probabilities"].values()) == pytest.approx(6)
    assert report["min_probability"] == pytest.approx(min(report["probabilities"].values()))
    # 12 men and 12 women, 6 young, 6 middle, 12 old: each young/middle person has chance 2/6.
    assert report["min_probability"] == pytest.approx(2 / 12, abs=1e-6)
    # panel.csv holds the selected rows with all columns, the same ids as the report.
    assert [row["id"] for row in panel] == report["panel"] and len(panel) == 6
    assert panel[0].keys() == {"id", "name", "gender", "age"}
    people = {row["id"]: row for row in panel}
    quotas = {("gender", "man"): (3, 3), ("gender", "woman"): (3, 3), ("age", "young"): (2, 2),
              ("age", "middle"): (2, 2), ("age", "old"): (2, 2)}
    assert not quota_violations(report["panel"], people, quotas)
    # Same files and seed, same panel; leximin is the default.
    again, _ = run(tmp_path, "--seed", "42", "--algorithm", "maximin")
    assert again["panel"] == report["panel"]
    default, _ = run(tmp_path)
    assert default["algorithm"] == "leximin" and isinstance(default["seed"], int)


BAD = {
    "missing people column": (PEOPLE[:1] and ["id,name,gender"] + [r.rsplit(",", 1)[0] for r in PEOPLE[1:]],
                              FEATURES, "missing column(s) age"),
    "unknown value": (PEOPLE + ["x99,Someone,nonbinary,old"], FEATURES,
                      "row 26 (id x99), column gender: 'nonbinary' is not a value of gender"),
    "min above max": (PEOPLE, FEATURES[:1] + ["gender,man,4,3,0,9"] + FEATURES[2:], "min 4 is larger than max 3"),
    "not a number": (PEOPLE, FEATURES[:1] + ["gender,man,three,3,0,9"] + FEATURES[2:], "'three' is not a whole number"),
    "missing features column": (PEOPLE, ["feature,value,min"] + [r.rsplit(",", 3)[0] for r in FEATURES[1:]],
                                "missing column(s) max"),
    "infeasible": (PEOPLE, FEATURES[:3] + ["age,young,5,5,0,9"] + FEATURES[4:],
                   "Lower the minimum for age = young from 5 to "),
    "duplicate id": (PEOPLE + [PEOPLE[1]], FEATURES, "v00 appears twice"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_input_exits_with_status_2_and_writes_nothing(tmp_path, case):
    people, features, message = BAD[case]
    write(tmp_path, people, features)
    with pytest.raises(CommandError) as error:
        run(tmp_path, "--seed", "1")
    assert error.value.returncode == 2
    assert message in str(error.value)
    assert not (tmp_path / "panel.csv").exists() and not (tmp_path / "report.json").exists()


def test_panel_select_exit_status_from_the_shell(tmp_path):
    write(tmp_path, PEOPLE, FEATURES[:3] + ["age,young,5,5,0,9"] + FEATURES[4:])
    done = subprocess.run(
        [sys.executable, "manage.py", "panel_select", "--people", str(tmp_path / "people.csv"),
         "--features", str(tmp_path / "features.csv"), "--size", "6",
         "--out", str(tmp_path / "panel.csv"), "--report", str(tmp_path / "report.json")],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 2
    assert "No panel of size 6 meets every quota" in done.stderr
    assert not (tmp_path / "panel.csv").exists()


def test_keep_draws_only_the_open_places_so_kept_plus_new_meet_every_quota(tmp_path):
    write(tmp_path)
    first, _ = run(tmp_path, "--seed", "3")
    keep = first["panel"][:4]
    (tmp_path / "kept.csv").write_text("id,name\n" + "".join(f"{p},x\n" for p in keep))
    report, panel = run(tmp_path, "--seed", "5", "--keep", str(tmp_path / "kept.csv"))
    assert report["kept"] == keep and report["drawn"] == 2 and report["size"] == 6
    assert [row["id"] for row in panel] == report["panel"] and len(panel) == 2
    assert not set(report["panel"]) & set(keep)
    assert set(report["probabilities"]) == {f"v{i:02d}" for i in range(24)} - set(keep)
    assert sum(report["probabilities"].values()) == pytest.approx(2)
    everyone = {row.split(",")[0]: dict(zip(["id", "name", "gender", "age"], row.split(","), strict=True))
                for row in PEOPLE[1:]}
    quotas = {("gender", "man"): (3, 3), ("gender", "woman"): (3, 3), ("age", "young"): (2, 2),
              ("age", "middle"): (2, 2), ("age", "old"): (2, 2)}
    assert not quota_violations(keep + report["panel"], everyone, quotas)
    assert "besides 4 kept members" in (tmp_path / "stdout.txt").read_text()


@pytest.mark.parametrize("kept, message", [
    (["id", "v00", "x77"], "row 3, column id: x77 is not a volunteer in the people file"),
    (["name", "v00"], "missing column(s) id"),
    # Four women (odd ids) exceed the maximum of 3 women.
    (["id", "v01", "v03", "v05", "v07"], "kept members make the quotas unreachable"),
])
def test_keep_with_unknown_ids_or_unreachable_quotas_exits_with_status_2(tmp_path, kept, message):
    write(tmp_path)
    (tmp_path / "kept.csv").write_text("\n".join(kept) + "\n")
    with pytest.raises(CommandError) as error:
        run(tmp_path, "--seed", "1", "--keep", str(tmp_path / "kept.csv"))
    assert error.value.returncode == 2
    assert message in str(error.value)
    assert not (tmp_path / "panel.csv").exists() and not (tmp_path / "report.json").exists()


def test_a_lottery_stopped_by_max_seconds_is_reported_in_words(tmp_path):
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_selection", ROOT / "benchmarks" / "bench_selection.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    people_path, features_path = bench.write_sortition_csv(*bench.make_instance(300, 40), tmp_path)
    stderr = tmp_path / "stderr.txt"
    call_command(
        "panel_select", "--people", str(people_path), "--features", str(features_path),
        "--size", "40", "--out", str(tmp_path / "panel.csv"), "--report", str(tmp_path / "report.json"),
        "--seed", "1", "--max-seconds", "0", stdout=open(tmp_path / "stdout.txt", "w"), stderr=open(stderr, "w"),
    )
    report = json.loads((tmp_path / "report.json").read_text())
    assert report["optimal"] is False
    assert "before the lottery was proven optimal" in report["warning"]
    assert report["selectable_at_zero"] == [] and report["min_probability"] > 0
    text = stderr.read_text()
    assert "WARNING: not optimal" in text and "Every volunteer who can be selected still has a chance" in text
