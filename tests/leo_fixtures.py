"""A LEO earnings table in DfE's published layout, with invented numbers (no real figures).

Every subject × sex × YAG row of the real file's shape (36 subjects with Total, Female / Male /
Total, 1/3/5/10 YAG = 432 rows). Counts are multiples of 5, earnings of £100; the Total rows
are the sums of their parts (counts) and invented medians between the parts'.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from pathlib import Path

from lmi.datasets.leo.checks import EARNINGS_COLUMNS
from lmi.datasets.leo.codes import CAH2_NAMES

__all__ = ["HEADER", "fixture_rows", "write_leo_fixture"]

HEADER = EARNINGS_COLUMNS  # the published table layout
COHORTS = {10: "2011/2012", 5: "2016/2017", 3: "2018/2019", 1: "2020/2021"}

Key = tuple[str, str, int]  # (subject name, Female|Male|Total, yag)


def _r(value: float, step: int) -> int:
    return int(round(value / step) * step)


def fixture_rows(overrides: Mapping[Key, Mapping[str, str]] | None = None) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    names = list(CAH2_NAMES.values())
    for yag in (10, 5, 3, 1):
        parts: dict[str, dict[str, list[int]]] = {"Female": {}, "Male": {}}
        by_subject: dict[str, dict[str, dict[str, str]]] = {}
        for i, name in enumerate(names):
            for sex, offset in (("Female", 0), ("Male", 1)):
                grads = _r(400 + 97 * i + 13 * yag + 150 * offset, 5)
                included = _r(grads * (0.66 + 0.004 * (i % 7)), 5)
                median = _r(21000 + 550 * i + 900 * yag + 2500 * offset, 100)
                row = {
                    "grads": str(grads),
                    "earnings_include": str(included),
                    "earnings_LQ": str(_r(median * 0.76, 100)),
                    "earnings_median": str(median),
                    "earnings_UQ": str(_r(median * 1.33, 100)),
                    "sust_emp_fs_or_both": f"{84 + (i % 9) / 2:.1f}",
                }
                by_subject.setdefault(name, {})[sex] = row
                parts[sex].setdefault("grads", []).append(grads)
                parts[sex].setdefault("included", []).append(included)
        for sexes in by_subject.values():
            f, m = sexes["Female"], sexes["Male"]
            sexes["Total"] = _total([f, m])
        totals = {
            sex: _total([by_subject[n][sex] for n in names]) for sex in ("Female", "Male", "Total")
        }
        for sex in ("Female", "Male", "Total"):
            for name in sorted([*names, "Total"]):
                figures = totals[sex] if name == "Total" else by_subject[name][sex]
                row = {
                    "time_period": "202223",
                    "academic_year": COHORTS[yag],
                    "YAG": f"{yag} YAG",
                    "sex": sex,
                    "subject_name": name,
                    **figures,
                }
                row.update((overrides or {}).get((name, sex, yag), {}))
                rows.append(row)
    return rows


def _total(parts: list[dict[str, str]]) -> dict[str, str]:
    grads = sum(int(p["grads"]) for p in parts)
    included = sum(int(p["earnings_include"]) for p in parts)
    weights = [int(p["earnings_include"]) for p in parts]

    def mean(column: str) -> int:
        return _r(
            sum(int(p[column]) * w for p, w in zip(parts, weights, strict=True)) / included, 100
        )

    rate = sum(float(p["sust_emp_fs_or_both"]) * int(p["grads"]) for p in parts) / grads
    return {
        "grads": str(grads),
        "earnings_include": str(included),
        "earnings_LQ": str(mean("earnings_LQ")),
        "earnings_median": str(mean("earnings_median")),
        "earnings_UQ": str(mean("earnings_UQ")),
        "sust_emp_fs_or_both": f"{rate:.1f}",
    }


def write_leo_fixture(
    source: Path, overrides: Mapping[Key, Mapping[str, str]] | None = None
) -> Path:
    """Write ``source/leo/leo_subject_sex_yag_2022_23.csv``; returns its path."""
    path = source / "leo" / "leo_subject_sex_yag_2022_23.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, HEADER, lineterminator="\n")
        writer.writeheader()
        writer.writerows(fixture_rows(overrides))
    return path
