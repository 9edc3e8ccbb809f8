"""Time population.representativeness (issue 5 targets): a panel against a municipality with 100 buurten
(< 50 ms) and a 100,000-person pool (< 1 s). Pure computation, no database needed.

    .venv/bin/python benchmarks/bench_representativeness.py
"""

import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "participation.settings.test")

import django  # noqa: E402

django.setup()

from population import presentation  # noqa: E402
from population import representativeness as rep  # noqa: E402
from population import statistics as pure  # noqa: E402


def municipality(buurten, rng):
    return {
        "gender": {"man": 182799, "woman": 191439},
        "age_band": {"0-14": 59098, "15-24": 58219, "25-44": 137446, "45-64": 79214, "65+": 40261},
        "buurt": {f"BU0344{i:04d}": rng.randrange(200, 9000) // 5 * 5 for i in range(buurten)},
        "origin": {"nl": 223593, "europe": 40368, "outside_europe": 110277},
        "education": {"low": 60000, "middle": 90000, "high": 150000},
    }


def people(population, n, rng):
    choices = {d: (list(c), list(c.values())) for d, c in population.items()}
    out = []
    for _ in range(n):
        person = {}
        for d, (cats, weights) in choices.items():
            person[d] = "" if rng.random() < 0.03 else rng.choices(cats, weights)[0]
        out.append(person)
    return out


def timed(function, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), max(times), result


def main():
    rng = random.Random(2026)
    population = municipality(100, rng)
    panel = people(population, 15, rng)

    def check_panel():
        report = rep.compare(population, panel, 15)
        presentation.verdict(report)
        for dim in report.dimensions:
            presentation.svg_chart(dim)
        return report

    median, worst, report = timed(check_panel, 50)
    tests = {d.name: d.test for d in report.dimensions}
    print(f"panel of 15 vs municipality with 100 buurten (5 dimensions, verdict, charts): "
          f"median {median * 1000:.1f} ms, worst {worst * 1000:.1f} ms (target < 50 ms)  tests={tests}")

    # The exact test at its limit: 15 people over 8 categories is 170,544 outcomes; 13 over 10 is 497,420.
    for n, c in [(15, 8), (13, 10)]:
        small = {"d": {str(i): 1 + i for i in range(c)}}
        group = [{"d": str(rng.randrange(c))} for _ in range(n)]
        median, worst, report = timed(lambda small=small, group=group: rep.compare(small, group), 5)
        print(f"exact multinomial test, {n} people over {c} categories "
              f"({pure.outcome_count(n, c):,} outcomes): median {median * 1000:.1f} ms  test={report.dimensions[0].test}")

    pool = people(population, 100_000, rng)
    median, worst, report = timed(lambda: rep.compare(population, pool), 5)
    print(f"pool of 100,000 people (5 dimensions): median {median * 1000:.0f} ms, worst {worst * 1000:.0f} ms "
          f"(target < 1 s)")


if __name__ == "__main__":
    main()
