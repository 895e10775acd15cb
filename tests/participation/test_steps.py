"""Each step of the Polis method against small hand-computed cases."""

from __future__ import annotations

import math

import numpy as np
import pytest
from sklearn.metrics import silhouette_score

from ecocite.participation import OpinionInputError, pca, repness, vote_matrix
from ecocite.participation import clusters as cl
from ecocite.participation.matrix import in_conversation
from ecocite.participation.routing import routing_priority


# vote matrix ------------------------------------------------------------------------------------
def test_latest_vote_wins_and_a_pass_is_not_unseen() -> None:
    m = vote_matrix(["a", "a", "b", "a"], ["1", "2", "1", "1"], [1, 0, -1, -1])
    assert m.participants == ("a", "b") and m.statements == ("1", "2")
    d = m.dense()
    assert d[0, 0] == -1 and d[0, 1] == 0 and d[1, 0] == -1 and math.isnan(d[1, 1])
    assert list(m.votes_per_participant()) == [2, 1]


def test_extending_a_matrix_keeps_positions_and_replaces_votes() -> None:
    m = vote_matrix(["a", "b"], ["1", "1"], [1, 1])
    m2 = vote_matrix(["c", "a"], ["2", "1"], [0, -1], base=m)
    assert m2.participants == ("a", "b", "c") and m2.statements == ("1", "2")
    np.testing.assert_array_equal(m2.dense(), [[-1, np.nan], [1, np.nan], [np.nan, 0]])


def test_extending_in_batches_equals_building_at_once() -> None:
    """The in-place merge of a batch (binary search + insert) against the one-shot build."""
    rng = np.random.default_rng(0)
    for _ in range(100):
        n, m, k = int(rng.integers(1, 30)), int(rng.integers(1, 20)), int(rng.integers(1, 150))
        p, s, v = (
            rng.integers(0, n, k).astype(str),
            rng.integers(0, m, k).astype(str),
            rng.integers(-1, 2, k),
        )
        base = vote_matrix(p, s, v)
        before = base.codes.copy()
        k2 = int(rng.integers(1, 40))
        p2 = rng.integers(0, n + 4, k2).astype(str)  # new participants and statements too
        s2 = rng.integers(0, m + 4, k2).astype(str)
        v2 = rng.integers(-1, 2, k2)
        got = vote_matrix(p2, s2, v2, base=base)
        ref = vote_matrix(np.r_[p, p2], np.r_[s, s2], np.r_[v, v2])
        assert got.participants == ref.participants and got.statements == ref.statements
        np.testing.assert_array_equal(
            np.nan_to_num(got.dense(), nan=9), np.nan_to_num(ref.dense(), nan=9)
        )
        got.codes.check_format(full_check=True)
        assert (base.codes != before).nnz == 0  # the previous state's matrix is untouched


def test_a_vote_outside_minus_one_zero_one_is_named_by_row() -> None:
    with pytest.raises(OpinionInputError) as exc:
        vote_matrix(["a", "b"], ["1", "1"], [1, 2])
    assert "row 3" in str(exc.value) and "'vote'" in str(exc.value) and "2" in str(exc.value)


def test_in_conversation_rule() -> None:
    # 20 statements: at least 7 votes to be in
    counts = np.array([7, 6, 20, 0] + [8] * 14)
    mask = in_conversation(counts, 20)
    assert mask.tolist() == [True, False, True, False] + [True] * 14
    # only 3 statements: 3 votes are enough
    assert in_conversation(np.array([3, 2] + [3] * 20), 3).tolist()[:2] == [True, False]
    # fewer than 15 qualify: top voters added, ties in row order, never someone with no vote
    small = in_conversation(np.array([9, 1, 2, 2, 0, 8]), 20, min_participants=4)
    assert small.tolist() == [True, False, True, True, False, True]
    assert in_conversation(np.array([0, 0, 1]), 20).tolist() == [False, False, True]
    # once in, always in
    assert in_conversation(np.array([1, 9] + [9] * 20), 20, previous=np.array([True])).all()


# PCA ---------------------------------------------------------------------------------------------
def _imputed_dense(d: np.ndarray) -> np.ndarray:
    means = np.nanmean(d, axis=0)
    filled = np.where(np.isnan(d), means, d)
    return filled - means


def test_column_mean_imputation_centres_unseen_cells_to_zero() -> None:
    m = vote_matrix(["a", "b", "c"], ["1", "1", "2"], [1, -1, 1])
    # hand: statement 1 mean (1 − 1)/2 = 0, statement 2 mean 1; unseen statement mean 0
    center = pca.statement_means(m.values)
    np.testing.assert_allclose(center, [0.0, 1.0])
    np.testing.assert_allclose(pca.centred(m.values, center).toarray(), [[1, 0], [-1, 0], [0, 0]])
    np.testing.assert_allclose(pca.centred(m.values, center).toarray(), _imputed_dense(m.dense()))


@pytest.mark.parametrize("n_statements", [12, 90])  # dense path and ARPACK path
def test_components_are_those_of_the_imputed_matrix(n_statements: int) -> None:
    rng = np.random.default_rng(3)
    d = rng.choice([-1.0, 0.0, 1.0, np.nan], size=(60, n_statements), p=[0.3, 0.1, 0.3, 0.3])
    r, c = np.nonzero(~np.isnan(d))
    m = vote_matrix(r.astype(str), c.astype(str), d[r, c].astype(int))
    order = np.argsort([int(s) for s in m.statements])
    x = pca.centred(m.values, pca.statement_means(m.values))
    comps = pca.principal_components(x, 2)[:, order]
    rows = np.argsort([int(p) for p in m.participants])
    _, _, vt = np.linalg.svd(_imputed_dense(m.dense()[rows][:, order]), full_matrices=False)
    for i in range(2):
        assert abs(abs(float(comps[i] @ vt[i])) - 1.0) < 1e-6


def test_sparsity_aware_projection_scales_by_root_of_statements_over_votes() -> None:
    # 4 statements; a voted on one: scaled by √(4/1) = 2; b on all four: √1 = 1
    m = vote_matrix(["a", "b", "b", "b", "b"], ["1", "1", "2", "3", "4"], [1, -1, 1, 1, -1])
    x = pca.centred(m.values, np.zeros(4))
    comps = np.array([[1.0, 0, 0, 0], [0, 0, 0, 1.0]])
    proj = pca.project_participants(x, comps)
    np.testing.assert_allclose(proj, [[2.0, 0.0], [-1.0, -1.0]])
    # moderated-out statements counted as Polis does: 6 columns, 2 extra zero votes each
    proj6 = pca.project_participants(x, comps, n_statements=6, extra_votes=2)
    np.testing.assert_allclose(proj6[0], [math.sqrt(6 / 3), 0.0])


def test_statement_projection_and_extremity() -> None:
    comps = np.array([[0.6, 0.8], [0.8, -0.6]])
    p = pca.project_statements(np.array([0.5, -1.0]), comps)
    # statement 0: (1 − 0.5)·√2·(0.6, 0.8); statement 1: 2·√2·(0.8, −0.6)
    np.testing.assert_allclose(p, [[0.5 * math.sqrt(2) * 0.6, 0.5 * math.sqrt(2) * 0.8],
                                   [2 * math.sqrt(2) * 0.8, -2 * math.sqrt(2) * 0.6]])  # fmt: skip
    np.testing.assert_allclose(np.linalg.norm(p, axis=1), [0.5 * math.sqrt(2), 2 * math.sqrt(2)])


# clustering --------------------------------------------------------------------------------------
def test_first_distinct_rows_in_data_order() -> None:
    pts = np.array([[1, 1], [1, 1], [0, 2], [3, 3], [0, 2]])
    np.testing.assert_array_equal(cl.first_distinct(pts, 2), [[1, 1], [0, 2]])
    np.testing.assert_array_equal(cl.first_distinct(pts, 5), [[1, 1], [0, 2], [3, 3]])


def _lloyd(points: np.ndarray, centres: np.ndarray, iters: int = 500) -> np.ndarray:
    for _ in range(iters):
        lab = np.argmin(((points[:, None] - centres[None]) ** 2).sum(axis=2), axis=1)
        centres = np.array([points[lab == k].mean(axis=0) for k in range(len(centres))])
    return np.argmin(((points[:, None] - centres[None]) ** 2).sum(axis=2), axis=1)


def test_bounded_kmeans_gives_lloyds_clustering() -> None:
    rng = np.random.default_rng(5)
    pts = rng.normal(size=(600, 2)) + rng.integers(0, 4, size=(600, 1)) * 3
    init = cl.first_distinct(pts, 20)
    centres, labels = cl.kmeans(pts, init, max_iter=500, tol=0.0)
    assert len(centres) == 20
    np.testing.assert_array_equal(labels, _lloyd(pts, init))


def test_weighted_kmeans_hand_case() -> None:
    # weights pull the left centre: (0·3 + 1·1)/4 = 0.25
    pts = np.array([[0.0, 0], [1, 0], [10, 0]])
    centres, labels = cl.kmeans(pts, pts[[0, 2]], weights=np.array([3.0, 1, 1]))
    np.testing.assert_allclose(centres, [[0.25, 0], [10, 0]])
    assert labels.tolist() == [0, 0, 1]


def test_silhouette_is_sklearns_and_weighted_counts_members() -> None:
    rng = np.random.default_rng(2)
    pts = rng.normal(size=(40, 2))
    lab = (pts[:, 0] > 0).astype(int)
    assert cl.silhouette(pts, lab) == pytest.approx(silhouette_score(pts, lab))
    # a weight of 2 is the same as the point twice
    w = np.ones(40)
    w[0] = 2
    twice = np.vstack([pts, pts[:1]])
    assert cl.silhouette(pts, lab, weights=w) == pytest.approx(
        silhouette_score(twice, np.append(lab, lab[0])), abs=0.02
    )


def test_max_groups() -> None:
    assert [cl.max_groups(n) for n in (2, 3, 11, 12, 36, 100)] == [2, 2, 2, 3, 5, 5]


def test_new_group_count_adopted_after_four_wins_in_a_row() -> None:
    s = cl.smooth_k(cl.KSmoothing(), 2)
    assert s.k == 2
    for _ in range(3):
        s = cl.smooth_k(s, 3)
        assert s.k == 2
    s = cl.smooth_k(s, 2)  # interrupted: the streak starts again
    for _ in range(3):
        s = cl.smooth_k(s, 3)
    assert s.k == 2
    s = cl.smooth_k(s, 3)
    assert s.k == 3 and s.streak == 0


# repness and consensus ---------------------------------------------------------------------------
def test_prop_test_hand_value() -> None:
    # 3 agrees of 4: 2·√5·(4/5 − ½)
    assert repness.prop_test(np.array(3), np.array(4)) == pytest.approx(2 * math.sqrt(5) * 0.3)


def test_two_prop_test_hand_value() -> None:
    # (3+1)/(4+1) = .8 vs (1+1)/(4+1) = .4, pooled .6: .4 / √(.6·.4·(1/5 + 1/5))
    z = repness.two_prop_test(np.array(3), np.array(1), np.array(4), np.array(4))
    assert z == pytest.approx(0.4 / math.sqrt(0.6 * 0.4 * 0.4))
    assert repness.two_prop_test(np.array(4), np.array(4), np.array(3), np.array(3)) == 0.0


def test_repness_stats_hand_values() -> None:
    na, nd, ns = np.array([[8.0], [1]]), np.array([[1.0], [7]]), np.array([[10.0], [10]])
    s = repness.repness_stats(na, nd, ns)
    assert s.pa[0, 0] == pytest.approx(9 / 12)
    assert s.pd[1, 0] == pytest.approx(8 / 12)
    assert s.ra[0, 0] == pytest.approx((9 / 12) / (2 / 12))
    assert s.rd[1, 0] == pytest.approx((8 / 12) / (2 / 12))
    assert s.rat[0, 0] == pytest.approx(float(repness.two_prop_test(8, 1, 10, 10)))
    assert s.pat[0, 0] == pytest.approx(2 * math.sqrt(11) * (9 / 11 - 0.5))


def test_representative_statements_pass_both_tests_agrees_first() -> None:
    # statement 0: group 0 agrees, group 1 disagrees; 1: group 0 disagrees; 2: nobody differs
    na = np.array([[18.0, 1, 10], [1, 18, 10]])
    nd = np.array([[1.0, 18, 9], [18, 1, 9]])
    ns = np.array([[20.0, 20, 20], [20, 20, 20]])
    s = repness.repness_stats(na, nd, ns)
    picks = repness.representative(s, 0)
    assert [(p.statement, p.direction) for p in picks] == [(0, "agree"), (1, "disagree")]
    assert picks[0].metric == pytest.approx(s.ra[0, 0] * s.rat[0, 0] * s.pa[0, 0] * s.pat[0, 0])


def test_representative_falls_back_to_the_best_test_when_none_passes() -> None:
    na, nd, ns = np.array([[2.0, 1], [1, 1]]), np.array([[1.0, 1], [1, 1]]), np.full((2, 2), 3.0)
    picks = repness.representative(repness.repness_stats(na, nd, ns), 0)
    assert len(picks) == 1 and picks[0].statement == 0


def test_consensus_needs_a_majority_and_a_significant_test() -> None:
    na, nd, ns = np.array([9.0, 5, 1, 6]), np.array([0.0, 4, 9, 0]), np.array([10.0, 10, 10, 6])
    out = repness.consensus(na, nd, ns)
    # agree, by p·test: 3 (7/8 · 2√7·(7/7 − ½) = 2.315) before 0 (10/12 · 2√11·(10/11 − ½)
    # = 2.261); 1 (6/12) is no majority; disagree: 2 (10/12)
    assert [(c.statement, c.direction) for c in out] == [
        (3, "agree"),
        (0, "agree"),
        (2, "disagree"),
    ]
    assert out[1].share == pytest.approx(10 / 12)


def test_group_aware_consensus_is_the_product_of_smoothed_shares() -> None:
    n, ns = np.array([[3.0, 0], [1, 0]]), np.array([[4.0, 2], [2, 2]])
    np.testing.assert_allclose(repness.group_aware_consensus(n, ns), [(4 / 6) * (2 / 4), 1 / 16])


def test_divisiveness_is_the_spread_of_net_agreement() -> None:
    na, nd, ns = np.array([[8.0, 4], [0, 4]]), np.array([[0.0, 4], [8, 4]]), np.full((2, 2), 8.0)
    np.testing.assert_allclose(repness.divisiveness(na, nd, ns), [16 / 10, 0.0])


# routing -----------------------------------------------------------------------------------------
def test_routing_priority_hand_value_and_meta() -> None:
    # A=3, P=1, S=5, E=0.5: p = 2/7, a = 4/7, importance = (5/7)(1.5)(4/7)
    imp = (5 / 7) * 1.5 * (4 / 7)
    expected = (imp * (1 + 8 * 2 ** (-1))) ** 2
    pr = routing_priority(np.array([3, 0]), np.array([1, 0]), np.array([5, 0]),
                          np.array([0.5, 0]), meta=np.array([False, True]))  # fmt: skip
    assert pr[0] == pytest.approx(expected) and pr[1] == 49.0
    # a new statement is boosted: same shares, fewer votes → higher priority
    assert (
        routing_priority(np.array([1]), np.array([0]), np.array([2]), np.array([0.0]))[0]
        > routing_priority(np.array([10]), np.array([0]), np.array([20]), np.array([0.0]))[0]
    )


def test_warm_started_components_equal_a_cold_solve() -> None:
    rng = np.random.default_rng(4)
    d = rng.choice([-1, 0, 1, 9], size=(300, 120), p=[0.3, 0.1, 0.3, 0.3])
    d[:150, :60] = np.where(d[:150, :60] == 9, 9, 1)  # some structure: a clear first component
    r, c = np.nonzero(d != 9)
    m = vote_matrix(r.astype(str), c.astype(str), d[r, c])
    x = pca.centred(m.codes, pca.statement_means(m.codes, offset=2.0), offset=2.0)
    cold = pca.principal_components(x, 2)
    nudged = cold + 0.05 * rng.standard_normal(cold.shape)
    warm = pca.principal_components(x, 2, start=nudged)
    np.testing.assert_allclose(np.abs(np.sum(warm * cold, axis=1)), 1.0, atol=1e-6)
    assert np.all(np.sum(warm * nudged, axis=1) > 0)  # oriented like the previous components
