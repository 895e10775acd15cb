"""Benchmark: Monte Carlo pathways, 10,000 draws × 41 years × all levers, for 1 and 300 cities.

Goals (issue 4): one city < 1 s; 300 cities < 30 s on 2 cores; the 300-city run also on a local
Dask cluster (dask.distributed LocalCluster). Run by hand::

    .venv/bin/python benchmarks/bench_carbon.py            # full run
    .venv/bin/python benchmarks/bench_carbon.py --cities 30  # quicker

The 300 cities are constructed from the six illustrative demo inventories with random scalings of
every segment (seeded), so each city has a different base; the figures measure speed only.
No anchor tool (CityCatalyst, CURB, LEAP) offers Monte Carlo, so the references are EcoCité's own
numpy path (``simulate``, vectorised over draws) and its scalar use (one draw per call, timed on a
sample and extrapolated); ``monte_carlo`` runs the fused numba kernel.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from typing import Any

import numpy as np

from ecocite.carbon import monte_carlo, pathway_base
from ecocite.carbon.demo import DEMO_CITIES, demo_contexts, demo_inventory
from ecocite.carbon.pathways import PathwayBase, draw_parameters, simulate

DRAWS = 10_000


def bases(n: int, seed: int = 0) -> list[PathwayBase]:
    inv, ctx = demo_inventory(), demo_contexts()
    demo = [pathway_base(inv, ctx[c]) for c in DEMO_CITIES]
    rng = np.random.default_rng(seed)
    out = []
    for i in range(n):
        b = demo[i % len(demo)]
        k = rng.uniform(0.3, 3.0, 5)

        def scaled(d: dict[str, float], k: np.ndarray = k) -> dict[str, float]:
            return {s: v * float(k[j]) for j, (s, v) in enumerate(d.items())}

        out.append(
            replace(
                b,
                city=f"{b.city}-{i}",
                fuel_co2e=scaled(b.fuel_co2e),
                fuel_co2=scaled(b.fuel_co2),
                fuel_tj=scaled(b.fuel_tj),
                electricity_mwh=scaled(b.electricity_mwh),
                other_co2e=scaled(b.other_co2e),
                other_co2=scaled(b.other_co2),
                provenance={},
            )
        )
    return out


def run_city(base: PathwayBase) -> dict[str, Any]:
    mc = monte_carlo(base, draws=DRAWS, seed=1)
    return {"city": base.city, "p50_2060": float(mc.fan["p50"].iloc[-1]), **mc.probabilities}


def run_batch(batch: list[PathwayBase]) -> list[dict[str, Any]]:
    return [run_city(b) for b in batch]


def warm_worker() -> int:
    run_city(bases(1)[0])  # loads the compiled kernel from numba's cache
    return os.getpid()


def timed(fn: Callable[[], Any], repeat: int = 1) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return (statistics.median(times) if repeat > 1 else times[0]), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cities", type=int, default=300)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    print(
        f"machine: {platform.platform()}, nproc={os.cpu_count()}, python {platform.python_version()}"
    )
    print(f"load average at start: {os.getloadavg()}")
    one = bases(1)[0]
    run_city(one)  # warm-up (imports, table caches)
    t1, _ = timed(lambda: run_city(one), repeat=7)
    print(
        f"one city, {DRAWS:,} draws × 41 years × 10 levers (fused kernel): median {t1:.3f} s (7 runs)"
    )
    lv_all, dv_all = draw_parameters(DRAWS, seed=1)
    tn, _ = timed(lambda: simulate(one, lv_all, dv_all), repeat=7)
    print(f"one city, same draws, numpy reference path (simulate only): median {tn:.3f} s")

    sample = 300
    lv, dv = draw_parameters(sample, seed=2)

    def scalar() -> None:
        for i in range(sample):
            simulate(one, {k: v[i] for k, v in lv.items()}, {k: v[i] for k, v in dv.items()})

    ts, _ = timed(scalar)
    print(
        f"scalar reference (one draw per call): {ts / sample * 1e3:.2f} ms/draw → {ts / sample * DRAWS:.1f} s for {DRAWS:,} draws"
    )

    cities = bases(args.cities)
    t_serial, res = timed(lambda: [run_city(b) for b in cities])
    print(f"{len(cities)} cities, serial (1 core): {t_serial:.2f} s")

    with ProcessPoolExecutor(max_workers=args.workers) as pool:
        list(pool.map(run_city, cities[: args.workers]))  # start workers before timing
        t_pool, res_pool = timed(
            lambda: list(
                pool.map(run_city, cities, chunksize=max(1, len(cities) // (4 * args.workers)))
            )
        )
    print(f"{len(cities)} cities, process pool ({args.workers} workers): {t_pool:.2f} s")
    assert [r["p50_2060"] for r in res_pool] == [r["p50_2060"] for r in res]

    from dask.distributed import Client, LocalCluster

    with (
        LocalCluster(
            n_workers=args.workers, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        client.run(warm_worker)  # every worker, not just the first to ask

        def on_dask() -> list[dict[str, Any]]:
            # batches of 10 cities per task cut the scheduler overhead per city
            batches = [cities[i : i + 10] for i in range(0, len(cities), 10)]
            futures = client.map(run_batch, batches, pure=False)
            return [r for batch in client.gather(futures) for r in batch]

        t_dask, res_dask = timed(on_dask)
    print(
        f"{len(cities)} cities, Dask LocalCluster ({args.workers} workers × 1 thread, 10 cities/task): {t_dask:.2f} s"
    )
    assert [r["p50_2060"] for r in res_dask] == [r["p50_2060"] for r in res]
    print(f"load average at end: {os.getloadavg()} (other jobs on the machine slow every figure)")


if __name__ == "__main__":
    main()
