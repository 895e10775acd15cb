"""Shared by the access benchmark engines: load a prepared case, time, write results."""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

DENSE = "food_drink"
COUNT_M = 800.0
NEAREST_M = 1200.0


def load_case(path: str) -> dict[str, Any]:
    z = np.load(path, allow_pickle=False)
    case = {k: z[k] for k in z.files}
    case["categories"] = [k[len("cat_") :] for k in z.files if k.startswith("cat_")]
    return case


def snap_legs() -> bool:
    """The third argument: "legs" counts each destination's leg (mm, ``leg_<category>``)."""
    return len(sys.argv) > 3 and sys.argv[3] == "legs"


def peak_rss_mb() -> float:
    """Peak resident memory of this process image (VmHWM: reset at exec, unlike ru_maxrss,
    which a child inherits from the process that started it)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024.0
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


class Clock:
    def __init__(self) -> None:
        self.times: dict[str, float] = {}

    def run(self, name: str, fn: Any, *args: Any, **kw: Any) -> Any:
        t = time.perf_counter()
        out = fn(*args, **kw)
        self.times[name] = time.perf_counter() - t
        print(f"  {name}: {self.times[name]:.3f} s", file=sys.stderr, flush=True)
        return out


def save(
    out: str, engine: str, clock: Clock, nearest: np.ndarray, counts: np.ndarray, **extra: Any
) -> None:
    """nearest: metres (NaN = none within NEAREST_M); counts: destinations within COUNT_M."""
    np.savez(Path(out).with_suffix(".npz"), nearest=nearest, counts=counts)
    record = {"engine": engine, "times": clock.times, "peak_rss_mb": peak_rss_mb(), **extra}
    Path(out).with_suffix(".json").write_text(json.dumps(record, indent=1))
