"""Engines never import the web: every module under ``src/ecocite`` outside ``web/`` imports
without Django (checked in a fresh interpreter, so nothing else has loaded Django already)."""

from __future__ import annotations

import json
import subprocess
import sys

SCRIPT = """
import importlib, json, pkgutil, sys
import ecocite
def walk(paths, prefix):
    # pkgutil.walk_packages would import ecocite.web to list it; skip it before that.
    for m in pkgutil.iter_modules(paths, prefix):
        if m.name == "ecocite.web":
            continue
        yield m.name
        if m.ispkg:
            yield from walk([str(m.module_finder.path) + "/" + m.name.rpartition(".")[2]], m.name + ".")
names = sorted(walk(ecocite.__path__, "ecocite."))
failed = {}
for name in names:
    try:
        importlib.import_module(name)
    except Exception as exc:  # reported, not hidden: the test fails on any
        failed[name] = repr(exc)
web = sorted(m for m in sys.modules if m.split(".")[0] in {"django", "rest_framework", "rules"}
             or m.startswith("ecocite.web"))
print(json.dumps({"modules": names, "failed": failed, "web": web}))
"""


def test_every_engine_module_imports_without_django() -> None:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, check=True, timeout=300
    )
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert len(report["modules"]) > 40
    assert {"ecocite.assessment", "ecocite.carbon", "ecocite.data"} <= set(report["modules"])
    assert report["failed"] == {}
    assert report["web"] == [], f"engine modules pulled in {report['web'][:5]}"
