"""Opinion groups from agree / disagree / pass votes, as Pol.is finds them. Pure statistics: no Django.

Input: votes as three parallel sequences (voter id, statement id, value), value 1 = agree, -1 = disagree,
0 = pass. A pass and a statement not seen are both *missing* in the opinion matrix; a pass still counts
as a vote in the shares (agree / disagree / pass) of a group.

The steps, each deterministic (the same votes, in any order, give the same groups):
1. The voter x statement matrix of voters with at least `min_votes` agree or disagree votes (a voter who
   only passed says nothing about where they stand). Missing votes are imputed with the statement's mean
   vote, as Pol.is does; then every statement is centred.
2. The first two principal components (scikit-learn PCA, full SVD, signs fixed by scikit-learn's
   `svd_flip`): every voter becomes a point on the opinion map.
3. k-means on those points for k = 2 .. 5 (seeded, 10 starts each); the k with the best silhouette score
   wins (the smallest k on a tie). The silhouette is measured on a fixed, seeded sample of at most
   `SILHOUETTE_SAMPLE` voters (one distance matrix for every k): on all 20,000 it would take minutes, on a
   2,000 sample the choice is the same in practice. Groups are numbered by size (largest first), then by position on the map.
4. Per statement and group: agree / disagree / pass counts. **Consensus** (group-informed, as Pol.is) is
   the product over groups of (agree + 1) / (votes + 2): high only when every group agrees.
   `consensus_disagree` is the same for disagree (every group rejects the statement). **Divisiveness** is
   the spread of agree shares between groups: the largest share minus the smallest.
5. **Representative statements** of a group: where it differs most from everyone else, on agree or on
   disagree: (a + 1) / (n + 2) in the group minus the same for the rest (smoothed shares, so two votes
   do not make a statement representative).

`min_group_size` leaves groups that are too small out of steps 4 and 5 (the screens pass 5: a group
smaller than 5 is never shown and never weighs on consensus); their voters keep their group number.
"""

from dataclasses import dataclass, field

import numpy as np

AGREE, DISAGREE, PASS = 1, -1, 0
MIN_VOTES = 3
K_RANGE = (2, 5)
SEED = 20260
SILHOUETTE_SAMPLE = 2000
N_INIT = 10

# Codes in the vote matrix.
_UNSEEN, _AGREE, _DISAGREE, _PASS = 0, 1, 2, 3


@dataclass
class Analysis:
    """The outcome of `analyse`.

    voters: the ids of voters in the map, in a fixed order; coords: their (x, y) on the map; labels: their
    group number (0 = the largest group). groups: group numbers that took part in the statistics (all, or
    those of at least min_group_size), sizes: {group: voters}. statements: {statement id: {"consensus",
    "consensus_disagree", "divisiveness", "groups": {group: {"agree", "disagree", "pass", "votes"}}}}.
    representative: {group: [(statement id, "agree" or "disagree", score), ...]} best first.
    """

    voters: list
    coords: np.ndarray
    labels: np.ndarray
    k: int
    silhouette: float | None
    sizes: dict
    groups: list
    statements: dict = field(default_factory=dict)
    representative: dict = field(default_factory=dict)
    left_out: int = 0  # voters with fewer than min_votes agree/disagree votes

    def members(self):
        """{group: [voter ids]} for every group, also the small ones (research output)."""
        result = {group: [] for group in range(self.k)}
        for voter, label in zip(self.voters, self.labels.tolist(), strict=True):
            result[label].append(voter)
        return result


def vote_matrix(voter_ids, statement_ids, values, statements=None):
    """(voters, statements, codes): codes[i, j] is 0 unseen, 1 agree, 2 disagree, 3 pass.

    Ids are sorted, so the order of the input does not matter. A later vote of the same voter on the
    same statement replaces an earlier one. `statements` fixes the statement columns (also unvoted ones).
    """
    voter_ids = np.asarray(voter_ids)
    statement_ids = np.asarray(statement_ids)
    values = np.asarray(values, dtype=np.int64)
    if not (len(voter_ids) == len(statement_ids) == len(values)):
        raise ValueError("voter, statement and value lists differ in length")
    if len(values) and not np.isin(values, (AGREE, DISAGREE, PASS)).all():
        raise ValueError("a vote must be 1 (agree), -1 (disagree) or 0 (pass)")
    voters, rows = np.unique(voter_ids, return_inverse=True)
    if statements is None:
        columns_ids, cols = np.unique(statement_ids, return_inverse=True)
    else:
        columns_ids = np.asarray(sorted(statements))
        cols = np.searchsorted(columns_ids, statement_ids)
        if len(statement_ids) and (
            (cols >= len(columns_ids)).any() or (columns_ids[np.minimum(cols, len(columns_ids) - 1)] != statement_ids).any()
        ):
            raise ValueError("a vote on a statement that is not in the list")
    codes = np.zeros((len(voters), len(columns_ids)), dtype=np.int8)
    code_of = np.where(values == AGREE, _AGREE, np.where(values == DISAGREE, _DISAGREE, _PASS)).astype(np.int8)
    codes[rows, cols] = code_of
    return voters.tolist(), columns_ids.tolist(), codes


def imputed(codes):
    """The centred opinion matrix: agree 1, disagree -1, missing (pass or unseen) = the statement's mean."""
    values = np.where(codes == _AGREE, 1.0, np.where(codes == _DISAGREE, -1.0, np.nan))
    seen = ~np.isnan(values)
    counts = seen.sum(axis=0)
    sums = np.where(seen, values, 0.0).sum(axis=0)
    means = np.divide(sums, counts, out=np.zeros(values.shape[1]), where=counts > 0)
    filled = np.where(seen, values, means)
    return filled - filled.mean(axis=0)


def principal_components(matrix, n=2):
    """The voters' coordinates on the first `n` principal components (zeros where there is no spread)."""
    from sklearn.decomposition import PCA

    rows, cols = matrix.shape
    coords = np.zeros((rows, n))
    usable = min(n, rows, cols)
    if usable == 0 or not np.any(matrix):
        return coords
    coords[:, :usable] = PCA(n_components=usable, svd_solver="full").fit_transform(matrix)
    return coords


def cluster(coords, k_range=K_RANGE, seed=SEED):
    """(labels, k, silhouette): k-means for each k in k_range, the best silhouette wins."""
    from sklearn.cluster import KMeans
    from sklearn.metrics import silhouette_score

    n = len(coords)
    distinct = len(np.unique(np.round(coords, 9), axis=0)) if n else 0
    best = None
    if distinct >= 2 and n >= 3:
        from scipy.spatial.distance import cdist

        # One seeded sample and one distance matrix for every k (the distances are most of the work).
        sample = np.arange(n) if n <= SILHOUETTE_SAMPLE else np.sort(
            np.random.default_rng(seed).choice(n, SILHOUETTE_SAMPLE, replace=False))
        distances = cdist(coords[sample], coords[sample])
        for k in range(k_range[0], min(k_range[1], distinct, n - 1) + 1):
            labels = KMeans(n_clusters=k, n_init=N_INIT, random_state=seed).fit_predict(coords)
            sampled = labels[sample]
            if not 2 <= len(np.unique(sampled)) <= len(sample) - 1:
                continue
            score = float(silhouette_score(distances, sampled, metric="precomputed"))
            if best is None or score > best[2] + 1e-12:
                best = (labels, k, score)
    if best is None:  # too few distinct positions to form groups: everyone in one group
        return np.zeros(n, dtype=np.int64), (1 if n else 0), None
    labels, k, score = best
    return _renumber(coords, labels, k), k, score


def _renumber(coords, labels, k):
    """Number groups by size (largest first), then by where their centre lies (left, then low)."""
    keys = []
    for group in range(k):
        members = labels == group
        centre = coords[members].mean(axis=0)
        keys.append((-int(members.sum()), round(float(centre[0]), 9), round(float(centre[1]), 9), group))
    order = [key[-1] for key in sorted(keys)]
    mapping = np.empty(k, dtype=np.int64)
    for new, old in enumerate(order):
        mapping[old] = new
    return mapping[labels]


def group_counts(codes, labels, groups):
    """{group: (agree, disagree, pass) arrays over the statements}."""
    result = {}
    for group in groups:
        rows = codes[labels == group]
        result[group] = ((rows == _AGREE).sum(axis=0), (rows == _DISAGREE).sum(axis=0), (rows == _PASS).sum(axis=0))
    return result


def statement_statistics(statements, counts, groups):
    """Consensus, divisiveness and per-group counts of every statement (see the module's step 4)."""
    result = {}
    for j, statement in enumerate(statements):
        per_group = {}
        consensus = consensus_disagree = 1.0
        shares = []
        for group in groups:
            agree, disagree, passed = (int(column[j]) for column in counts[group])
            votes = agree + disagree + passed
            per_group[group] = {"agree": agree, "disagree": disagree, "pass": passed, "votes": votes}
            consensus *= (agree + 1) / (votes + 2)
            consensus_disagree *= (disagree + 1) / (votes + 2)
            if votes:
                shares.append(agree / votes)
        result[statement] = {
            "consensus": consensus if groups else 0.0,
            "consensus_disagree": consensus_disagree if groups else 0.0,
            "divisiveness": (max(shares) - min(shares)) if len(shares) >= 2 else 0.0,
            "groups": per_group,
        }
    return result


def representative_statements(statements, counts, groups, top=3, threshold=0.15):
    """{group: [(statement, "agree" | "disagree", score)]}: where the group differs most from the rest."""
    result = {}
    totals = [sum(counts[group][i] for group in groups) for i in range(3)] if groups else None
    for group in groups:
        agree, disagree, passed = counts[group]
        votes = agree + disagree + passed
        rest_agree, rest_disagree = totals[0] - agree, totals[1] - disagree
        rest_votes = (totals[0] + totals[1] + totals[2]) - votes
        in_agree = (agree + 1) / (votes + 2)
        in_disagree = (disagree + 1) / (votes + 2)
        out_agree = (rest_agree + 1) / (rest_votes + 2)
        out_disagree = (rest_disagree + 1) / (rest_votes + 2)
        scored = []
        for j, statement in enumerate(statements):
            if not votes[j]:
                continue
            for direction, score in (("agree", in_agree[j] - out_agree[j]), ("disagree", in_disagree[j] - out_disagree[j])):
                if score >= threshold:
                    scored.append((-round(float(score), 12), statement, direction))
        scored.sort(key=lambda item: (item[0], str(item[1]), item[2]))
        seen, chosen = set(), []
        for negative, statement, direction in scored:
            if statement not in seen:
                seen.add(statement)
                chosen.append((statement, direction, -negative))
            if len(chosen) == top:
                break
        result[group] = chosen
    return result


def analyse(voter_ids, statement_ids, values, *, statements=None, min_votes=MIN_VOTES, k_range=K_RANGE,
            seed=SEED, min_group_size=1):
    """Opinion groups and statement statistics of a set of votes (see the module's docstring).

    Runs on one thread: the matrices are small, and the OpenMP / BLAS threads of k-means and PCA wait
    actively for each other, which makes them many times slower on a busy web server (measured: 27 s
    instead of well under a second for 2,000 voters on a loaded 2-core machine).
    """
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1):
        return _analyse(voter_ids, statement_ids, values, statements=statements, min_votes=min_votes,
                        k_range=k_range, seed=seed, min_group_size=min_group_size)


def _analyse(voter_ids, statement_ids, values, *, statements, min_votes, k_range, seed, min_group_size):
    voters, columns, codes = vote_matrix(voter_ids, statement_ids, values, statements=statements)
    decided = ((codes == _AGREE) | (codes == _DISAGREE)).sum(axis=1)
    keep = decided >= min_votes
    kept_codes = codes[keep]
    kept_voters = [voter for voter, kept in zip(voters, keep.tolist(), strict=True) if kept]
    coords = principal_components(imputed(kept_codes)) if len(kept_voters) else np.zeros((0, 2))
    labels, k, score = cluster(coords, k_range=k_range, seed=seed)
    sizes = {group: int((labels == group).sum()) for group in range(k)}
    groups = [group for group in range(k) if sizes[group] >= min_group_size]
    counts = group_counts(kept_codes, labels, groups)
    return Analysis(
        voters=kept_voters, coords=coords, labels=labels, k=k, silhouette=score, sizes=sizes, groups=groups,
        statements=statement_statistics(columns, counts, groups),
        representative=representative_statements(columns, counts, groups),
        left_out=int((~keep).sum()),
    )


def common_ground(analysis, min_share=0.5):
    """Statements a majority of every group agrees with, best consensus first: [(statement, consensus)]."""
    return _every_group(analysis, "agree", "consensus", min_share)


def common_rejection(analysis, min_share=0.5):
    """Statements a majority of every group disagrees with, best first: [(statement, consensus_disagree)]."""
    return _every_group(analysis, "disagree", "consensus_disagree", min_share)


def _every_group(analysis, key, score_key, min_share):
    found = []
    for statement, stats in analysis.statements.items():
        groups = [g for g in stats["groups"].values() if g["votes"]]
        if len(groups) >= 1 and all(g[key] / g["votes"] > min_share for g in groups):
            found.append((statement, stats[score_key]))
    return sorted(found, key=lambda item: (-item[1], str(item[0])))


def dividing(analysis, min_spread=0.3):
    """Statements on which groups differ most, most divisive first: [(statement, divisiveness)]."""
    found = [(s, stats["divisiveness"]) for s, stats in analysis.statements.items()
             if stats["divisiveness"] >= min_spread]
    return sorted(found, key=lambda item: (-item[1], str(item[0])))
