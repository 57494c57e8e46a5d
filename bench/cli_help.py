"""How long `dutyflow --help` takes, in fresh processes, against a Python that does nothing.

    .venv/bin/python -m bench.cli_help [--runs N]

Each figure is the median wall time of N fresh processes (the first run of each is thrown away, so the disk
cache is warm for every one). The baseline, `python -c pass`, is the floor any command pays; the ratio says
how many such floors a help page costs. It also counts the modules each help page imports.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CASES = {
    "python -c pass": [sys.executable, "-c", "pass"],
    "dutyflow --help": [sys.executable, "-m", "dutyflow.cli.app", "--help"],
    "dutyflow duty --help": [sys.executable, "-m", "dutyflow.cli.app", "duty", "--help"],
    "dutyflow duty list --help": [sys.executable, "-m", "dutyflow.cli.app", "duty", "list", "--help"],
}
HEAVY = ("prefect", "sqlalchemy", "apprise", "openpyxl", "docx", "matplotlib", "alembic", "rich")
PROBE = (
    "import sys, json\n"
    "from dutyflow.cli.app import main\n"
    "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
    "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})), file=sys.stderr)\n"
)


def wall(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - started


def median_of(command: list[str], runs: int) -> float:
    wall(command)
    return statistics.median(wall(command) for _ in range(runs))


def heavy_imports(args: list[str]) -> list[str]:
    done = subprocess.run([sys.executable, "-c", PROBE, *args], cwd=ROOT, capture_output=True, text=True, check=False)
    loaded = json.loads(done.stderr.strip().splitlines()[-1])
    return [name for name in HEAVY if name in loaded]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    figures = {name: median_of(command, runs) for name, command in CASES.items()}
    floor = figures["python -c pass"]
    print(f"median of {runs} fresh processes each")
    for name, seconds in figures.items():
        print(f"{name:<28} {seconds * 1000:7.0f} ms  {seconds / floor:5.1f}× baseline")
    for name, command in CASES.items():
        if name.startswith("dutyflow"):
            heavy = heavy_imports(command[3:])
            print(f"{name:<28} heavy modules imported: {', '.join(heavy) or 'none'}")


if __name__ == "__main__":
    main()
