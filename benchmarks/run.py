"""Run every benchmark script in this folder (`make benchmark`) and print their figures.

Each `benchmarks/bench_*.py` is a standalone script that prints its own figures. Speed is measured here,
never in timed unit tests.
"""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main():
    failed = 0
    for script in sorted(HERE.glob("bench_*.py")):
        print(f"=== {script.name}", flush=True)
        failed += subprocess.call([sys.executable, str(script), *sys.argv[1:]], cwd=HERE.parent) != 0
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
