"""Benchmark of fair stratified selection (panels/selection.py) against the Sortition Foundation's package.

    .venv/bin/python benchmarks/bench_selection.py                   # ours only
    .venv/bin/python benchmarks/bench_selection.py --with-reference  # also sortition-algorithms

Generates skewed pools (n = 300, 1000, 2000; K = 15, 40, 100; 5 features with 24 values in total;
volunteers older and more highly educated than the population; quotas floor(K·p)..ceil(K·p) from the
population shares) and prints per instance our time and minimum selection probability beside the
reference package's. "wall s" is elapsed time, "CPU s" our process's CPU time: on a shared machine the
two differ a lot, and the reference's figure is elapsed time of its subprocess.

The reference, the PyPI package ``sortition-algorithms`` (GPL-3.0, heavy dependencies), is never a
dependency of the project: ``--with-reference`` creates (or reuses) a separate venv, by default
/tmp/bench-venv (``--reference-venv``), installs the package there with pip and runs it in a subprocess
with a time limit (``--limit``, default 180 s), marking "did not finish" past it. Without the flag, or when
the venv cannot be made, the reference column says "reference not installed". ``--reference-instances``
picks which instances to give the reference (default: all with n = 300, plus n = 1000, K = 40), since it
is slow and the machine is shared.
"""

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from panels.selection import find_distribution  # noqa: E402

# Population shares (roughly a Dutch city, 16+) and how much more likely each category is to volunteer.
FEATURES = {
    "gender": {"man": (0.49, 1.0), "woman": (0.51, 1.1)},
    "age": {"16-24": (0.17, 0.5), "25-44": (0.36, 0.8), "45-64": (0.27, 1.3), "65-74": (0.11, 2.0),
            "75+": (0.09, 1.6)},
    "wijk": {f"wijk{i:02d}": (share, skew) for i, (share, skew) in enumerate(
        zip([0.14, 0.12, 0.11, 0.11, 0.10, 0.10, 0.09, 0.08, 0.08, 0.07],
            [1.4, 0.6, 1.2, 1.0, 0.8, 1.3, 0.7, 1.1, 1.0, 0.9], strict=True), start=1)},
    "origin": {"nl": (0.66, 1.3), "europe": (0.11, 0.9), "outside_europe": (0.23, 0.55)},
    "education": {"low": (0.25, 0.45), "middle": (0.35, 0.9), "high": (0.40, 1.7)},
}
# A sixth feature for the large pool of issue 14 (5,000 volunteers, K = 150).
SIX_FEATURES = dict(FEATURES, income={"low": (0.30, 0.7), "middle": (0.40, 1.0), "high": (0.30, 1.3)})
INSTANCES = [(n, k) for n in (300, 1000, 2000) for k in (15, 40, 100)]
REFERENCE_DEFAULT = [(300, 15), (300, 40), (300, 100), (1000, 40)]


def make_instance(n, k, seed=0, features=FEATURES):
    """(people, quotas): a skewed pool of n volunteers and floor/ceil quota bands for a panel of k."""
    rng = np.random.default_rng(seed + 1000 * n + k)
    people = {f"p{i:04d}": {} for i in range(n)}
    quotas = {}
    for feature, categories in features.items():
        names = list(categories)
        shares = np.array([categories[c][0] for c in names])
        shares /= shares.sum()
        volunteer = shares * np.array([categories[c][1] for c in names])
        volunteer /= volunteer.sum()
        drawn = rng.choice(len(names), size=n, p=volunteer)
        for person, index in zip(people, drawn, strict=True):
            people[person][feature] = names[index]
        for name, share in zip(names, shares, strict=True):
            quotas[(feature, name)] = (math.floor(k * share), math.ceil(k * share))
    return people, quotas


def make_binary_instance(n=300, k=12, n_features=10, seed=0):
    """(people, quotas): n volunteers with n_features yes/no features and exact quotas (min = max) for a
    panel of k. Real panels cannot reach the relaxation's leximin here, so the stage-by-stage route runs."""
    rng = np.random.default_rng(seed + 7 * n + k)
    people = {f"p{i:04d}": {} for i in range(n)}
    quotas = {}
    for f in range(n_features):
        share = rng.uniform(0.25, 0.6)
        for person in people:
            people[person][f"f{f}"] = "yes" if rng.random() < share else "no"
        yes = int(round(k * share))
        quotas[(f"f{f}", "yes")] = (yes, yes)
        quotas[(f"f{f}", "no")] = (k - yes, k - yes)
    return people, quotas


def run_extra_cases(args):
    """The cases of issue 14: replacement draws, a pool where real panels cannot reach the relaxation,
    and a 5,000-volunteer pool with 6 features (K = 150)."""
    from panels.selection import draw_panel, find_replacement_distribution

    print(f"\nload average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")
    print("replacement draws (leximin; the first draw's panel minus 10% of K kept):")
    for n, k in ((300, 40), (300, 100), (1000, 100), (2000, 100)):
        people, quotas = make_instance(n, k)
        first = find_distribution(people, quotas, k, max_seconds=args.max_seconds)
        keep = draw_panel(first, 1)[: k - max(1, k // 10)]
        again = find_replacement_distribution(people, quotas, k, keep, max_seconds=args.max_seconds)
        print(f"  n {n:5d} K {k:4d} replace {k - len(keep):3d} | first draw {first.seconds:6.2f} s | "
              f"replacement {again.seconds:6.2f} s  min p of the selectable "
              f"{min(p for p in again.probabilities.values() if p > 1e-9):.6f} "
              f"({len(again.unselectable)} no longer selectable: their groups are full)"
              f"{'' if again.optimal else ' (capped, NOT optimal)'}", flush=True)
    people, quotas = make_binary_instance()
    for algorithm in ("maximin", "leximin"):
        d = find_distribution(people, quotas, 12, algorithm, max_seconds=args.max_seconds)
        print(f"10 yes/no features, exact quotas, n 300, K 12, {algorithm}: {d.seconds:6.2f} s  "
              f"min p {d.min_probability:.6f}{'' if d.optimal else ' (capped, NOT optimal)'}", flush=True)
    people, quotas = make_instance(5000, 150, features=SIX_FEATURES)
    types = len({tuple(sorted(a.items())) for a in people.values()})
    d = find_distribution(people, quotas, 150, max_seconds=args.max_seconds)
    print(f"6 features, n 5000, K 150, {types} types, leximin: {d.seconds:6.2f} s  min p {d.min_probability:.6f}"
          f"{'' if d.optimal else ' (capped, NOT optimal)'}", flush=True)


def write_sortition_csv(people, quotas, folder):
    features = list(dict.fromkeys(f for f, _ in quotas))
    people_path = Path(folder) / "people.csv"
    features_path = Path(folder) / "features.csv"
    with open(people_path, "w") as out:
        out.write(",".join(["id", *features]) + "\n")
        for person, answers in people.items():
            out.write(",".join([person, *(answers[f] for f in features)]) + "\n")
    with open(features_path, "w") as out:
        out.write("feature,value,min,max\n")
        for (feature, value), (low, high) in quotas.items():
            out.write(f"{feature},{value},{low},{high}\n")
    return people_path, features_path


REFERENCE_RUNNER = r'''
import csv
import json
import sys
import time

from sortition_algorithms import features as feature_module
from sortition_algorithms import people as people_module
from sortition_algorithms import settings as settings_module
from sortition_algorithms.committee_generation.leximin import find_distribution_leximin
from sortition_algorithms.committee_generation.maximin import find_distribution_maximin


def main(people_path, features_path, k, algorithm):
    with open(features_path, newline="") as handle:
        reader = csv.DictReader(handle)
        features, _, _ = feature_module.read_in_features(reader.fieldnames, list(reader), k)
    with open(people_path, newline="") as handle:
        reader = csv.DictReader(handle)
        head, body = reader.fieldnames, list(reader)
    settings = settings_module.Settings(id_column="id", columns_to_keep=[])
    people, _ = people_module.read_in_people(head, body, features, settings)
    solve = find_distribution_leximin if algorithm == "leximin" else find_distribution_maximin
    started, cpu = time.monotonic(), time.process_time()
    committees, probabilities, _ = solve(features, people, k, [])
    seconds, cpu = time.monotonic() - started, time.process_time() - cpu
    marginal = {person: 0.0 for person in people}
    for committee, probability in zip(committees, probabilities, strict=True):
        for person in committee:
            marginal[person] += probability
    print(json.dumps({"seconds": seconds, "cpu": cpu, "min_probability": min(marginal.values())}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4])
'''


def ensure_reference(venv):
    python = Path(venv) / "bin" / "python"
    if not python.exists():
        print(f"creating {venv} and installing sortition-algorithms there (never into the project)", flush=True)
        if subprocess.call([sys.executable, "-m", "venv", str(venv)]) != 0:
            return None
    check = subprocess.run([str(python), "-c", "import sortition_algorithms"], capture_output=True)
    if check.returncode != 0:
        if subprocess.call([str(python), "-m", "pip", "install", "-q", "sortition-algorithms"]) != 0:
            return None
    return python


def run_reference(python, people, quotas, k, algorithm, limit):
    """(seconds, min probability, CPU seconds) or (None, reason)."""
    with tempfile.TemporaryDirectory() as folder:
        people_path, features_path = write_sortition_csv(people, quotas, folder)
        # Runs only inside the reference venv; the project never imports the GPL package.
        runner = Path(folder) / "reference_runner.py"
        runner.write_text(REFERENCE_RUNNER)
        started = time.monotonic()
        try:
            done = subprocess.run(
                [str(python), str(runner), str(people_path), str(features_path), str(k), algorithm],
                capture_output=True, text=True, timeout=limit,
            )
        except subprocess.TimeoutExpired:
            return None, f"did not finish in {limit:.0f} s"
        elapsed = time.monotonic() - started
        if done.returncode != 0:
            lines = (done.stderr or done.stdout).strip().splitlines()
            return None, "failed: " + (lines[-1] if lines else "?")
        outcome = json.loads(done.stdout.strip().splitlines()[-1])
        return outcome.get("seconds", elapsed), outcome["min_probability"], outcome.get("cpu")


def describe(outcome, distribution):
    seconds, value, cpu = (list(outcome) + [None])[:3]
    if seconds is None:
        if "gurobi" in value.lower():
            return "cannot run: the package's leximin needs Gurobi (commercial, not installed)"
        return value
    text = f"{seconds:7.2f} s" + (f" (CPU {cpu:.2f} s)" if cpu is not None else "") + f"  min p {value:.6f}"
    if distribution is not None:
        ratio = seconds / max(distribution.seconds, 1e-9)
        verdict = "ok" if distribution.min_probability >= value - 1e-6 else "WORSE"
        text += f"  ({ratio:.1f}x our wall time; our min p {verdict})"
    return text


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--with-reference", action="store_true")
    parser.add_argument("--reference-venv", default=os.environ.get("SORTITION_VENV", "/tmp/bench-venv"))
    parser.add_argument("--limit", type=float, default=180.0, help="seconds per reference run")
    parser.add_argument("--reference-instances", default=None,
                        help="n:K,n:K,... for the reference (default 300:15,300:40,300:100,1000:40; 'all'; "
                             "'none' to use only --reference-cache)")
    parser.add_argument("--algorithms", default="maximin,leximin")
    parser.add_argument("--max-seconds", type=float, default=300.0, help="cap for our computation per instance")
    parser.add_argument("--instances", default=None, help="n:K,n:K,... (default all nine)")
    parser.add_argument("--reference-cache", default=None,
                        help="JSON file keeping reference results between runs (it is slow)")
    parser.add_argument("--reference-only", action="store_true", help="skip our algorithm (fills the cache)")
    parser.add_argument("--staged-only", action="store_true",
                        help="ours without the quick route (the stage-by-stage search alone), for comparison")
    parser.add_argument("--extra", action="store_true",
                        help="only the cases of issue 14 (replacements, exact yes/no quotas, 5,000 volunteers)")
    args = parser.parse_args()
    if args.extra:
        run_extra_cases(args)
        return

    def parse(text, default):
        if text is None:
            return default
        if text == "all":
            return INSTANCES
        if text == "none":
            return []
        return [tuple(int(x) for x in item.split(":")) for item in text.split(",")]

    instances = parse(args.instances, INSTANCES)
    if args.staged_only:
        from panels import selection

        selection._reach_targets = lambda *a, **kw: (None, [])  # as if real panels never reached the targets
    cache = {}
    if args.reference_cache and Path(args.reference_cache).exists():
        cache = json.loads(Path(args.reference_cache).read_text())
    reference_instances = set(parse(args.reference_instances, REFERENCE_DEFAULT))
    python = ensure_reference(args.reference_venv) if args.with_reference else None
    if args.with_reference and python is None:
        print("reference not installed (could not create the venv or install sortition-algorithms)")

    header = (f"{'algorithm':9} {'n':>5} {'K':>4} {'types':>5} | {'wall s':>7} {'CPU s':>7} {'ours min p':>11} | "
              "reference")
    print(header)
    print("-" * len(header))
    for algorithm in args.algorithms.split(","):
        for n, k in instances:
            people, quotas = make_instance(n, k)
            types = len({tuple(sorted(a.items())) for a in people.values()})
            if args.reference_only:
                distribution, ours = None, f"{'-':>7} {'-':>7} {'-':>11}"
            else:
                cpu = time.process_time()
                distribution = find_distribution(people, quotas, k, algorithm, max_seconds=args.max_seconds)
                cpu = time.process_time() - cpu
                ours = f"{distribution.seconds:7.2f} {cpu:7.2f} {distribution.min_probability:11.6f}"
                if not distribution.optimal:
                    ours += " (capped; min p optimal)" if distribution.maximin_optimal else " (capped, NOT optimal)"
            key = f"{algorithm}:{n}:{k}"
            if key in cache:
                reference = describe(cache[key], distribution)
            elif python is None:
                reference = "reference not installed"
            elif (n, k) not in reference_instances:
                reference = "not run (slow; see --reference-instances)"
            else:
                cache[key] = run_reference(python, people, quotas, k, algorithm, args.limit)
                if args.reference_cache:
                    Path(args.reference_cache).write_text(json.dumps(cache, indent=1))
                reference = describe(cache[key], distribution)
            print(f"{algorithm:9} {n:5d} {k:4d} {types:5d} | {ours} | {reference}", flush=True)


if __name__ == "__main__":
    main()
