"""Scenario sliders: what a vision for a site would do to its eco-city indicators and CO₂.

``evaluate(site, settings)`` is a pure function (no Django): the web page, the API and
``ecocite scenario evaluate`` call it. See :mod:`ecocite.scenario.engine`.
"""

from ecocite.scenario.engine import Outcome, ScenarioResult, evaluate
from ecocite.scenario.site import ScenarioError, Site, Slider, load_catalogue, load_site

__all__ = [
    "Outcome",
    "ScenarioError",
    "ScenarioResult",
    "Site",
    "Slider",
    "evaluate",
    "load_catalogue",
    "load_site",
]
