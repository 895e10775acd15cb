"""Benchmark: assess 300 cities × 15 years against the full sino-french-ecocity framework.

Goal (issue 2): under 1 second on 2 cores, with memory reported. Side by side in the same process:
the same work done the straightforward way, one ``assess()`` call per city-year (the full result with
indicator detail, reasons and gap analysis), timed on a sample and extrapolated.

Run: .venv/bin/python benchmarks/bench_assess.py [--write]   (--write updates docs/benchmarks.md)
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import time
import tracemalloc
from datetime import UTC, datetime

import numpy as np
import pandas as pd
from benchkit import DOCS, best_of, write_section

from ecocite.assessment import assess, assess_many
from ecocite.data import read_indicator_table
from ecocite.frameworks import Stage, get_framework
from ecocite.frameworks.schema import IndicatorKind

N_CITIES, N_YEARS = 300, 15


def synthetic_values(seed: int = 0) -> pd.DataFrame:
    """Random but valid values for every city, year and non-measure indicator (constructed input)."""
    fw = get_framework("sino-french-ecocity")
    rng = np.random.default_rng(seed)
    inds = [i for _, i in fw.indicators() if i.kind != IndicatorKind.MEASURE]
    cities = np.repeat([f"city{c:03d}" for c in range(N_CITIES)], N_YEARS * len(inds))
    years = np.tile(np.repeat(np.arange(2010, 2010 + N_YEARS), len(inds)), N_CITIES)
    ids = np.tile([i.id for i in inds], N_CITIES * N_YEARS)
    lo = np.array([i.range.min if i.range.min is not None else 0.0 for i in inds])
    hi = np.array([i.range.max if i.range.max is not None else 100.0 for i in inds])
    u = rng.random(len(ids))
    values = np.tile(lo, N_CITIES * N_YEARS) + u * np.tile(hi - lo, N_CITIES * N_YEARS)
    return pd.DataFrame(
        {
            "city": cities,
            "year": years,
            "indicator": ids,
            "value": values,
            "unit": np.tile([i.unit for i in inds], N_CITIES * N_YEARS),
            "source": "benchmark (constructed)",
            "quality": rng.choice(["high", "medium", "low"], len(ids)),
            "verified": "yes",
        }
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    args = parser.parse_args()
    fw = get_framework("sino-french-ecocity")
    raw = synthetic_values()
    t0 = time.perf_counter()
    values = read_indicator_table(raw, framework=fw)
    t_import = time.perf_counter() - t0

    t_batch = best_of(lambda: assess_many(fw, values, stage=Stage.PLANNING_DESIGN))
    tracemalloc.start()
    result = assess_many(fw, values, stage=Stage.PLANNING_DESIGN)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert len(result) == N_CITIES * N_YEARS

    sample = values[values["city"].isin([f"city{c:03d}" for c in range(4)])]
    pairs = sample[["city", "year"]].drop_duplicates().itertuples(index=False)
    t0 = time.perf_counter()
    n = 0
    for city, year in pairs:
        assess(fw, sample, city=city, year=year, gaps=True)
        n += 1
    per_case = (time.perf_counter() - t0) / n
    loop_estimate = per_case * N_CITIES * N_YEARS

    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rows = len(values)
    lines = [
        "## Assess",
        "",
        f"Assess {N_CITIES} cities × {N_YEARS} years ({N_CITIES * N_YEARS:,} city-years, {rows:,} values) against "
        f"the full `{fw.key}` framework ({len(fw.indicator_ids())} indicators), planning stage. Constructed random values.",
        "",
        "| what | figure |",
        "|---|---|",
        f"| `assess_many` (vectorised scoring, levels, categories), best of 5 | **{t_batch:.3f} s** (goal < 1 s) |",
        f"| peak Python memory during `assess_many` (tracemalloc) | {peak / 2**20:.1f} MiB |",
        f"| process peak RSS (whole run) | {rss_mb:.0f} MiB |",
        f"| import + validation of the {rows:,} rows (`read_indicator_table`) | {t_import:.2f} s |",
        f"| anchor: one `assess()` per city-year with gap analysis, measured on {n} city-years | "
        f"{per_case * 1000:.1f} ms each → {loop_estimate:.0f} s for all |",
        "",
        f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB RAM, Python {platform.python_version()}; "
        f"run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC with `python benchmarks/bench_assess.py --write`.",
        "",
    ]
    text = "\n".join(lines)
    print(text)
    if args.write:
        write_section(DOCS, "## Assess", text)


if __name__ == "__main__":
    main()
