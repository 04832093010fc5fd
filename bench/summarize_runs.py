#!/usr/bin/env python3
"""Summarize several runs of bench/ingest_flights.sh as one Markdown table.

    BIG=1 bench/ingest_flights.sh > run1.log; ... ; python3 bench/summarize_runs.py run1.log run2.log run3.log

A 2-core VM's speed drifts by tens of percent between runs, so one run's ratio
says little: this prints, per case and worker count, the median rows per
CPU-second of Henge, DuckDB and chDB over the runs, the ratio of the medians,
every run's own Henge/DuckDB ratio, and the median wall time, peak RSS and
stored bytes.
"""
import re
import statistics
import sys

LINE = re.compile(r"(henge|duckdb|chdb)\s+(\w+)\s+(\d) thr\s+wall\s+([\d.]+)s\s+cpu\s+([\d.]+)s\s+(\d+)k rows/cpu-s\s+"
                  r"peak RSS\s+(\d+) MB\s+stored\s+([\d.]+) MB")
NAMES = {"plain": "plain", "rollup": "rollup hour×carrier×origin×dest", "rollup_day": "rollup day×carrier×origin"}


def main(paths):
    data = {}  # (case, workers) -> engine -> [(rows/cpu-s in k, wall, rss, stored)] in run order
    for path in paths:
        with open(path) as f:
            for line in f:
                m = LINE.match(line)
                if m:
                    engine, case, workers, wall, _cpu, rps, rss, stored = m.groups()
                    data.setdefault((case, int(workers)), {}).setdefault(engine, []).append(
                        (int(rps), float(wall), int(rss), float(stored)))
    print("| case | workers | Henge | DuckDB | chDB | median H / median D | per-run ratios | wall H / D | "
          "peak RSS H / D | stored H / D |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for workers in (1, 2, 3, 4):
        for case in NAMES:
            d = data.get((case, workers))
            if not d or "henge" not in d:
                continue
            med = lambda engine, i=0: statistics.median(x[i] for x in d[engine]) if engine in d else float("nan")
            ratios = sorted(h[0] / k[0] for h, k in zip(d["henge"], d.get("duckdb", [])))
            print(f"| {NAMES[case]} | {workers} | {med('henge'):.0f}k | {med('duckdb'):.0f}k | {med('chdb'):.0f}k | "
                  f"{med('henge') / med('duckdb'):.2f}× | {', '.join(f'{r:.2f}' for r in ratios)} | "
                  f"{med('henge', 1):.1f} / {med('duckdb', 1):.1f} s | {med('henge', 2):.0f} / {med('duckdb', 2):.0f} MB | "
                  f"{med('henge', 3):.1f} / {med('duckdb', 3):.1f} MB |")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
