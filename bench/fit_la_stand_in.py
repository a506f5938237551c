"""Re-derives the joint structure of the synthetic LA stand-in (core/datasets/la_synthetic.py) from the real
3,572-row sample /work/shared/data/la_collisions_jan2013_real_sample.csv (or the path given), and prints the
fitted tables as the Python constants the module holds. With --check it compares them with the module's
constants instead and exits non-zero when they differ.

What is fitted (each table is reconciled with the module's published marginals, which stay as they are):
  - descent | area and sex | descent: the sample's counts plus 10 pseudo-rows per row of the table spread by
    the overall shares, then raked (iterative proportional fitting) so the margins are the module's AREA_WEIGHTS,
    DESCENT and SEX while the sample's odds ratios stay;
  - hour | weekend: the sample's weekend / all-days lift per hour applied to HOUR_WEIGHTS (weekdays get the
    rest, so 5/7 weekday + 2/7 weekend is HOUR_WEIGHTS again);
  - age | sex, descent, hour, area: additive shifts of a Gaussian copula, from least squares on the normal
    scores of the sample's ages, shrunk and rescaled per block to the effects' estimated true spread (see
    _age_scores); the noise has the residuals' spread per descent group;
  - age missing | sex: the sample's rates, the M and F rates scaled so 15% of all ages are missing;
  - latitude and longitude spread per area: the sample's standard deviations.
Run: python bench/fit_la_stand_in.py [--check] [PATH]
"""

import sys
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.datasets import la_synthetic as la  # noqa: E402

SAMPLE = Path("/work/shared/data/la_collisions_jan2013_real_sample.csv")
PSEUDO_ROWS = 10
WEEKEND_SHARE = 2 / 7


def rake(seed: np.ndarray, rows: np.ndarray, cols: np.ndarray, iterations: int = 500) -> np.ndarray:
    """`seed` scaled (iterative proportional fitting) until its row and column sums are `rows` and `cols`."""
    table = seed.astype(float).copy()
    for _ in range(iterations):
        table *= (rows / table.sum(axis=1))[:, None]
        table *= cols / table.sum(axis=0)
    return table


def smoothed(counts: np.ndarray) -> np.ndarray:
    """Counts plus PSEUDO_ROWS pseudo-rows per row, spread by the overall column shares."""
    return counts + PSEUDO_ROWS * counts.sum(axis=0) / counts.sum()


def descent_groups(descent: pd.Series) -> pd.Series:
    """The index of each code's group in la.DESCENT_GROUPS (the last group holds every rarer code)."""
    groups = {code: i for i, code in enumerate(la.DESCENT_GROUPS)}
    return descent.map(lambda code: groups.get(code, len(la.DESCENT_GROUPS)))


def grouped_descent_shares() -> np.ndarray:
    shares = dict(la.DESCENT)
    main = [shares[code] for code in la.DESCENT_GROUPS]
    return np.array([*main, sum(shares.values()) - sum(main)]) / sum(shares.values())


def fit(path: Path) -> dict[str, np.ndarray]:
    real = pd.read_csv(path)
    fitted: dict[str, np.ndarray] = {}
    n_groups = len(la.DESCENT_GROUPS) + 1
    areas = np.arange(1, 22)

    known = real[real["Victim_Descent"].notna()]
    counts = pd.crosstab(known["Area_ID"], descent_groups(known["Victim_Descent"]))
    counts = counts.reindex(index=areas, columns=range(n_groups), fill_value=0).to_numpy(float)
    table = rake(smoothed(counts), la.AREA_WEIGHTS / la.AREA_WEIGHTS.sum(), grouped_descent_shares())
    fitted["DESCENT_GROUP_BY_AREA"] = 100 * table / table.sum(axis=1, keepdims=True)

    sexes = [s for s, _ in la.SEX]
    known = real[real["Victim_Sex"].isin(sexes)]
    counts = pd.crosstab(descent_groups(known["Victim_Descent"]), known["Victim_Sex"])
    counts = counts.reindex(index=range(n_groups), columns=sexes, fill_value=0).to_numpy(float)
    sex_shares = np.array([w for _, w in la.SEX]) / sum(w for _, w in la.SEX)
    table = rake(smoothed(counts), grouped_descent_shares(), sex_shares)
    fitted["SEX_BY_DESCENT_GROUP"] = 100 * table / table.sum(axis=1, keepdims=True)

    weekend = real["WeekDay"] >= 5
    hours = real["Time_Occurred_h"]
    all_days = np.bincount(hours, minlength=24) + PSEUDO_ROWS
    weekends = np.bincount(hours[weekend], minlength=24) + PSEUDO_ROWS * weekend.mean()
    lift = (weekends / weekends.sum()) / (all_days / all_days.sum())
    overall = la.HOUR_WEIGHTS / la.HOUR_WEIGHTS.sum()
    profile = overall * lift / (overall * lift).sum()
    profile = np.minimum(profile, 0.95 * overall / WEEKEND_SHARE)  # weekdays keep a positive share of every hour
    fitted["WEEKEND_HOUR_WEIGHTS"] = 1000 * profile / profile.sum()

    fitted.update(_age_scores(real))

    rates = real.groupby(real["Victim_Sex"].where(real["Victim_Sex"].isin(sexes)))["Victim_Age"]
    rates = rates.apply(lambda age: age.isna().mean()).reindex(sexes).to_numpy()
    # With no sex there is no victim and no age (the sample agrees: all 26 such rows lack one).
    fixed = la.SEX_MISSING + (1 - la.SEX_MISSING) * sex_shares[2] * rates[2]
    scaled = (la.AGE_MISSING - fixed) / ((1 - la.SEX_MISSING) * (sex_shares[:2] * rates[:2]).sum())
    fitted["AGE_MISSING_BY_SEX"] = np.array([*(scaled * rates[:2]), rates[2]])

    spread = real.groupby("Area_ID")[["latitud", "longitud"]].std().reindex(areas)
    fitted["AREA_SPREADS"] = spread.to_numpy()
    return fitted


def _age_scores(real: pd.DataFrame) -> dict[str, np.ndarray]:
    """Per-level effects on the age's normal score, one array per block, and the residual spread per descent group.

    Least squares gives each level's effect with its noise; a generator needs effects whose spread is the true
    one, neither the noisy estimates' (too wide) nor shrunken predictions' (too narrow). So per block: the true
    variance of the effects is estimated (observed minus what the noise adds), each level's effect is shrunk by
    its reliability (empirical Bayes: a level seen in two rows keeps almost nothing), and the shrunk effects are
    rescaled to that variance (constrained Bayes, Louis 1984)."""
    sexes = [s for s, _ in la.SEX]
    rows = real[real["Victim_Age"].notna() & real["Victim_Sex"].isin(sexes)]
    score = stats.norm.ppf((rows["Victim_Age"].rank().to_numpy() - 0.5) / len(rows))
    levels = {
        "AGE_SCORE_BY_SEX": (rows["Victim_Sex"].map(sexes.index).to_numpy(), len(sexes)),
        "AGE_SCORE_BY_DESCENT_GROUP": (descent_groups(rows["Victim_Descent"]).to_numpy(), len(la.DESCENT_GROUPS) + 1),
        "AGE_SCORE_BY_HOUR": (rows["Time_Occurred_h"].to_numpy(), 24),
        "AGE_SCORE_BY_AREA": (rows["Area_ID"].to_numpy() - 1, 21),
    }
    # Dummy coding, level 0 of each block as the base; a level the sample lacks gets a zero column (effect 0).
    design = np.column_stack([np.ones(len(rows)), *(np.eye(size)[codes][:, 1:] for codes, size in levels.values())])
    coef = np.linalg.lstsq(design, score, rcond=None)[0]
    residual = score - design @ coef
    noise = residual @ residual / (len(rows) - np.linalg.matrix_rank(design))

    out, start, prediction = {}, 1, np.zeros(len(rows))
    for name, (codes, size) in levels.items():
        counts = np.bincount(codes, minlength=size)
        weight = counts / counts.sum()
        effects = np.r_[0.0, coef[start : start + size - 1]]
        effects -= weight @ effects
        error = noise / np.maximum(counts, 1)  # each level's sampling variance (ignoring the other blocks)
        true_variance = max(0.0, weight @ effects**2 - weight @ (error * (1 - weight)))
        shrunk = effects * true_variance / (true_variance + error)
        shrunk -= weight @ shrunk
        spread = weight @ shrunk**2
        effects = shrunk * np.sqrt(true_variance / spread) if spread > 0 else shrunk
        prediction += effects[codes]
        out[name] = effects
        start += size - 1
    # What the effects leave is the noise (its variance and the effects' add up to the score's, 1). Its spread
    # differs by descent (O victims' ages spread wider than H or A ones'): per group, with PSEUDO_ROWS * 3
    # pseudo-rows at the pooled spread so a rare group's estimate stays near it.
    squares = (score - score.mean() - prediction) ** 2
    groups = levels["AGE_SCORE_BY_DESCENT_GROUP"][0]
    counts = np.bincount(groups, minlength=len(la.DESCENT_GROUPS) + 1)
    pooled = squares.mean() * 3 * PSEUDO_ROWS
    out["AGE_SCORE_NOISE_BY_DESCENT_GROUP"] = np.sqrt(
        (np.bincount(groups, weights=squares, minlength=len(counts)) + pooled) / (counts + 3 * PSEUDO_ROWS)
    )
    return out


def as_constant(name: str, values: np.ndarray) -> str:
    digits = 3 if name.startswith("AGE_") else (4 if name == "AREA_SPREADS" else 1)
    return f"{name} = {np.round(values, digits).tolist()!r}"


def main(argv: list[str]) -> int:
    check = "--check" in argv
    paths = [a for a in argv if a != "--check"]
    path = Path(paths[0]) if paths else SAMPLE
    if not path.is_file():
        print(f"fit_la_stand_in: no real sample at {path}", file=sys.stderr)
        return 2
    fitted = fit(path)
    if not check:
        for name, values in fitted.items():
            print(as_constant(name, values))
        return 0
    differ = []
    for name, values in fitted.items():
        digits = 3 if name.startswith("AGE_") else (4 if name == "AREA_SPREADS" else 1)
        stored = np.asarray(getattr(la, name), dtype=float).reshape(np.shape(values))
        if not np.allclose(stored, np.round(values, digits), atol=1.5 * 10.0**-digits):
            differ.append(name)
    print("the module's constants match the fit" if not differ else f"differ from the fit: {', '.join(differ)}")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
