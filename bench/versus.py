"""Run one of these benchmarks on this code and on an older checkout, interleaved.

Each round runs the benchmark once from each tree in a fresh process (this tree, then the
baseline, alternating which goes first), so the machine's drift hits both alike. The
benchmark prints a table whose rows start with a number (e.g. bench/purchase.py's buyers);
for every row and column this prints the median over the rounds for each tree and the
ratio this/baseline.

  git worktree add /tmp/tix-base 7314a68
  .venv/bin/python bench/versus.py /tmp/tix-base purchase.py --rounds 3 -- --levels 32

The baseline runs its own copy of the benchmark (it must have one of that name).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

Table = dict[str, dict[str, float]]  # row key -> column -> value


def run_once(tree: Path, script: str, arguments: list[str]) -> Table:
    out = subprocess.run([sys.executable, str(tree / "bench" / script), *arguments],
                         cwd=tree, capture_output=True, text=True, check=True,
                         env={**os.environ, "PYTHONPATH": str(tree)})
    return parse(out.stdout)


def parse(text: str) -> Table:
    """Rows that start with a number, keyed by it (and, where a key repeats, by the first
    word of their header too), under the last header line before them."""
    header: list[str] = []
    table: Table = {}
    for line in text.splitlines():
        cells = line.split()
        if not cells:
            continue
        if not _number(cells[0]):
            header = _columns(line)
            continue
        values = [float(c) for c in cells if _number(c)]
        names = header[1:] if len(header) == len(values) else [
            f"col{i}" for i in range(1, len(values))]
        # a second table with the same first column (bench/purchase.py's baskets) is
        # told apart by its header's first word
        key = cells[0] if cells[0] not in table else f"{header[0]} {cells[0]}"
        table[key] = dict(zip(names, values[1:], strict=False))
    return table


def _columns(line: str) -> list[str]:
    """'buyers orders/s p50 ms ...' -> ['buyers', 'orders/s', 'p50 ms', ...]: a unit word
    (ms, s, tx/s) belongs to the name before it."""
    names: list[str] = []
    for word in line.split():
        if names and word in {"ms", "s", "tx/s"}:
            names[-1] += f" {word}"
        else:
            names.append(word)
    return names


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("baseline", type=Path, help="a checkout of the older code")
    parser.add_argument("script", help="a benchmark in bench/, e.g. purchase.py")
    parser.add_argument("--rounds", type=int, default=3)
    argv = sys.argv[1:]
    split = argv.index("--") if "--" in argv else len(argv)  # after --: the benchmark's
    options = parser.parse_args(argv[:split])
    options.arguments = argv[split + 1:]
    trees = {"this": ROOT, "baseline": options.baseline.resolve()}
    runs: dict[str, list[Table]] = {name: [] for name in trees}
    print(f"{options.script} {' '.join(options.arguments)}: {options.rounds} rounds, "
          f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.2f} at the start", flush=True)
    for round_ in range(options.rounds):
        order = list(trees) if round_ % 2 == 0 else list(reversed(trees))
        for name in order:
            runs[name].append(run_once(trees[name], options.script, options.arguments))
            print(f"  round {round_ + 1} {name:8} {runs[name][-1]}", flush=True)
    print(f"load {os.getloadavg()[0]:.2f} at the end")
    for row in runs["this"][0]:
        for column in runs["this"][0][row]:
            if not all(column in r.get(row, {}) for r in runs["baseline"]):
                # a figure the older code does not print (a table it does not have)
                alone = statistics.median(r[row][column] for r in runs["this"])
                print(f"{row:>6} {column:>10}  this {alone:>9.2f}  (not in the baseline)")
                continue
            medians = {name: statistics.median(r[row][column] for r in runs[name]
                                               if column in r.get(row, {}))
                       for name in trees}
            ratio = (medians["this"] / medians["baseline"]) if medians["baseline"] else 0.0
            print(f"{row:>6} {column:>10}  this {medians['this']:>9.2f}  baseline "
                  f"{medians['baseline']:>9.2f}  this/baseline {ratio:5.2f}")


if __name__ == "__main__":
    main()
