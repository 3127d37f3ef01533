"""Utility and disclosure reports written beside every synthetic LEO file (JSON + Markdown).

**Utility**: each variable's shares against its target (published or stand-in marginal), the
pMSE of a saturated propensity model (cells of subject × sex × YAG, and × activity) between the
file and the published table, and the target analyses: earnings quartiles and activity rates by
subject × sex × YAG (and their totals) from the aggregation pipeline against the published
table, with the tier's stated tolerance.

**Disclosure**: the four checks —

* *labelling*: the ``synthetic`` column is true on every record, the file carries the watermark
  in its metadata and a ``.metadata.json`` sidecar exists;
* *disclosure*: only published aggregates were used; no record in a published small cell has
  earnings equal to one of that cell's published figures; counts of records unique on the
  quasi-identifiers (reported: they are synthetic combinations, not people);
* *structure*: earnings only (and always) with sustained employment, activity flags, cohort
  consistent with YAG and tax year, person ids unique, FSM only for English domicile, codes
  in their lists;
* *documentation*: tier, seed, sources, variables, assumptions and structure rules in the
  metadata, and both reports written.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from lmi.synth.leo.aggregate import SUBJECT_CODES, Aggregated, Rules, aggregate, read_records
from lmi.synth.leo.fitting import Model, PublishedCell
from lmi.synth.leo.generator import CODES
from lmi.synth.leo.variables import (
    ACTIVITIES,
    COLUMNS,
    EARNING_ACTIVITY,
    ENGLISH_REGIONS,
    QUASI_IDENTIFIERS,
    SEXES,
    STAND_INS,
    SUSTAINED_ACTIVITIES,
    WATERMARK,
    YAGS,
    cohort_of,
)

__all__ = ["TOLERANCE", "Tolerance", "disclosure_report", "utility_report", "write_reports"]

#: a published cell is small below this many graduates with earnings
SMALL_CELL = 50


@dataclass(frozen=True)
class Tolerance:
    """How close L2's aggregated medians must be to the published ones."""

    #: subject × sex × YAG cells (fitted directly): after rounding to £100, within this many £
    cell_pounds: float = 100.0
    #: ... for cells with at least this many synthetic earners
    cell_min_earners: int = 100
    #: totals over sexes or subjects (mixtures of fitted cells): relative difference
    total_relative: float = 0.02

    def describe(self) -> str:
        return (
            f"L2: subject × sex × YAG medians, rounded to £100, within £{self.cell_pounds:.0f} "
            f"of the published median in every cell with at least {self.cell_min_earners} "
            f"synthetic earners; totals (both sexes or all subjects) within "
            f"{self.total_relative:.0%}. L1 keeps no relationships: medians are reported, "
            "no tolerance is claimed."
        )


TOLERANCE = Tolerance()


# -- reading a file ----------------------------------------------------------------------------


def _read(path: Path) -> tuple[pa.Table, dict[str, str]]:
    if path.suffix == ".parquet":
        file = pq.ParquetFile(path)
        meta = {k.decode(): v.decode() for k, v in (file.schema_arrow.metadata or {}).items()}
        return file.read(), meta
    types = {c: pa.string() for c in CODES} | {"earnings": pa.float64(), "yag": pa.int16()}
    options = pacsv.ConvertOptions(column_types=types, strings_can_be_null=True)
    table = pacsv.read_csv(path, convert_options=options)
    return table, {}


def _strings(table: pa.Table, name: str) -> pa.Array:
    column = table.column(name).combine_chunks()
    if pa.types.is_dictionary(column.type):
        column = column.cast(pa.string())
    return column


def _shares(column: pa.Array, codes: tuple[str, ...]) -> dict[str, float]:
    """Share of each code, and of nulls (``missing``)."""
    total = len(column)
    counts = {str(k): int(v) for k, v in _value_counts(column)}
    found = {c: counts.pop(c, 0) / total for c in codes}
    found["missing"] = column.null_count / total
    for other, n in counts.items():
        found[f"unknown:{other}"] = n / total
    return found


def _value_counts(column: pa.Array) -> list[tuple[Any, int]]:
    counts = pc.value_counts(column.drop_null())
    return list(
        zip(counts.field("values").to_pylist(), counts.field("counts").to_pylist(), strict=True)
    )


# -- utility -----------------------------------------------------------------------------------


def utility_report(
    path: Path, model: Model, aggregated: Aggregated, table: pa.Table
) -> dict[str, Any]:
    marginals = _marginals(model, table)
    cells, totals = _target_analyses(model, aggregated)
    return {
        "file": path.name,
        "tier": model.tier,
        "rows": table.num_rows,
        "marginals": marginals,
        "max_marginal_difference": max(m["max_abs_difference"] for m in marginals.values()),
        "pmse": _pmse(model, aggregated),
        "target_analyses": {
            "what": "earnings quartiles by subject × sex × YAG and their totals, from the "
            "aggregation pipeline (SDC applied), against the published LEO table",
            "aggregation_rules": aggregated.rules.describe(),
            "tolerance": TOLERANCE.describe(),
            "cells": cells,
            "totals": totals,
            "within_tolerance": model.tier == "L2"
            and cells["within_tolerance"]
            and totals["within_tolerance"],
        },
    }


def _marginals(model: Model, table: pa.Table) -> dict[str, dict[str, Any]]:
    targets: dict[str, tuple[tuple[str, ...], dict[str, float], str]] = {}
    for what, column in (("subject", "subject_cah2"), ("sex", "sex"), ("activity", "activity")):
        target = model.marginal(what)
        targets[column] = (CODES[column], {**target, "missing": 0.0}, "published")
    yag_target = {cohort_of(int(k)): v for k, v in model.marginal("yag").items()}
    targets["academic_year"] = (CODES["academic_year"], {**yag_target, "missing": 0.0}, "published")
    for m in STAND_INS:
        share = {
            c: p / sum(m.shares) * (1 - m.missing) for c, p in zip(m.codes, m.shares, strict=True)
        }
        targets[m.name] = (m.codes, {**share, "missing": m.missing}, "stand-in")
    found = {}
    for name, (codes, target, source) in targets.items():
        observed = _shares(_strings(table, name), codes)
        if name == "fsm":  # nulls by construction outside England: compare among English
            english = pc.is_in(_strings(table, "home_region"), pa.array(ENGLISH_REGIONS))
            observed = _shares(pc.filter(_strings(table, name), english), codes)
        keys = sorted(set(target) | set(observed))
        diffs = {k: observed.get(k, 0.0) - target.get(k, 0.0) for k in keys}
        found[name] = {
            "source": source,
            "target": {k: round(target.get(k, 0.0), 6) for k in keys},
            "synthetic": {k: round(observed.get(k, 0.0), 6) for k in keys},
            "max_abs_difference": round(max(abs(d) for d in diffs.values()), 6),
            "total_variation": round(sum(abs(d) for d in diffs.values()) / 2, 6),
        }
    return found


def _pmse(model: Model, aggregated: Aggregated) -> dict[str, Any]:
    """pMSE of the saturated propensity model on published cells (Snoke et al. 2018).

    The reference is the published table (cell counts, and counts × activity shares); with a
    saturated model the propensity of a cell is ``s/(s+r)``, so the pMSE has a closed form and
    its null expectation is ``(k-1)(1-c)²c/N``.
    """
    reference_cells, synthetic_cells = [], []
    reference_act, synthetic_act = [], []
    for (subject, sex, yag), weight, probs in zip(
        model.cells, model.weights, model.activity, strict=True
    ):
        s, x, y = SUBJECT_CODES.index(subject), SEXES.index(sex), YAGS.index(yag)
        reference_cells.append(weight)
        synthetic_cells.append(float(aggregated.grads[s, x, y]))
        earners = float(aggregated.earners[s, x, y])
        grads = float(aggregated.grads[s, x, y])
        earning = probs[EARNING_ACTIVITY]
        reference_act += [weight * earning, weight * (1 - earning)]
        synthetic_act += [earners, grads - earners]
    return {
        "reference": "published LEO table (graduates per cell; × share with earnings)",
        "subject_sex_yag": _saturated_pmse(np.array(synthetic_cells), np.array(reference_cells)),
        "subject_sex_yag_earning": _saturated_pmse(
            np.array(synthetic_act), np.array(reference_act)
        ),
    }


def _saturated_pmse(
    synthetic: npt.NDArray[np.float64], reference: npt.NDArray[np.float64]
) -> dict[str, float]:
    s_total, r_total = synthetic.sum(), reference.sum()
    n = s_total + r_total
    c = s_total / n
    both = synthetic + reference
    used = both > 0
    propensity = synthetic[used] / both[used]
    pmse = float((both[used] * (propensity - c) ** 2).sum() / n)
    k = int(used.sum())
    expected = (k - 1) * (1 - c) ** 2 * c / n
    return {
        "pmse": pmse,
        "cells": k,
        "null_expectation": expected,
        "ratio": pmse / expected if expected else math.nan,
    }


def _target_analyses(model: Model, aggregated: Aggregated) -> tuple[dict[str, Any], dict[str, Any]]:
    cells: list[dict[str, Any]] = []
    totals: list[dict[str, Any]] = []
    for (subject, sex, yag), published in sorted(model.published.cells.items()):
        row = _compare(aggregated, subject, sex, yag, published)
        (totals if sex == "all" or subject == "all" else cells).append(row)
    return _summary(cells, total=False), _summary(totals, total=True)


def _compare(
    aggregated: Aggregated, subject: str, sex: str, yag: int, published: PublishedCell
) -> dict[str, Any]:
    s = SUBJECT_CODES.index(subject) if subject in SUBJECT_CODES else len(SUBJECT_CODES)
    x = {"F": 0, "M": 1, "all": 2}[sex]
    y = YAGS.index(yag)
    earners = int(aggregated.earners[s, x, y])
    quartiles = [float(v) for v in aggregated.quartiles[s, x, y]]
    grads = int(aggregated.grads[s, x, y])
    found: dict[str, Any] = {
        "subject": subject,
        "sex": sex,
        "yag": yag,
        "synthetic_earners": earners,
        "published_earners": published.included,
    }
    for name, value, target in zip(
        ("lq", "median", "uq"),
        quartiles,
        (published.lq, published.median, published.uq),
        strict=True,
    ):
        rounded = None if math.isnan(value) else round(value / 100) * 100
        found[name] = {
            "synthetic": None if math.isnan(value) else round(value, 1),
            "synthetic_rounded": rounded,
            "published": target if target is not None else published.symbols.get(name, "x"),
            "difference": None if rounded is None or target is None else rounded - target,
        }
    rate = 100.0 * aggregated.sustained[s, x, y] / grads if grads else None
    found["sustained_rate"] = {
        "synthetic": None if rate is None else round(rate, 2),
        "published": published.rate,
    }
    return found


def _summary(rows: list[dict[str, Any]], *, total: bool) -> dict[str, Any]:
    compared = [r for r in rows if r["median"]["difference"] is not None]
    relative = [abs(r["median"]["difference"]) / r["median"]["published"] for r in compared]
    if total:
        failing = [
            r for r, rel in zip(compared, relative, strict=True) if rel > TOLERANCE.total_relative
        ]
    else:
        failing = [
            r
            for r in compared
            if r["synthetic_earners"] >= TOLERANCE.cell_min_earners
            and abs(r["median"]["difference"]) > TOLERANCE.cell_pounds
        ]
    exact = sum(1 for r in compared if r["median"]["difference"] == 0)
    return {
        "compared": len(compared),
        "not_published": len(rows) - len(compared),
        "median_exact_after_rounding": exact,
        "median_max_relative_difference": round(max(relative, default=0.0), 6),
        "median_mean_relative_difference": round(float(np.mean(relative)) if relative else 0.0, 6),
        "outside_tolerance": [
            {k: r[k] for k in ("subject", "sex", "yag", "synthetic_earners", "median")}
            for r in failing
        ],
        "within_tolerance": not failing,
        "rows": rows,
    }


# -- disclosure --------------------------------------------------------------------------------


def disclosure_report(
    path: Path, model: Model, table: pa.Table, file_meta: dict[str, str]
) -> dict[str, Any]:
    checks = {
        "labelling": _labelling(path, table, file_meta),
        "disclosure": _disclosure(model, table),
        "structure": _structure(table),
        "documentation": _documentation(path),
    }
    return {
        "file": path.name,
        "tier": model.tier,
        "rows": table.num_rows,
        "checks": checks,
        "passed": all(c["passed"] for c in checks.values()),
    }


def _labelling(path: Path, table: pa.Table, file_meta: dict[str, str]) -> dict[str, Any]:
    synthetic = table.column("synthetic")
    all_true = synthetic.null_count == 0 and bool(pc.all(synthetic).as_py())
    sidecar = path.with_name(path.name + ".metadata.json")
    found: dict[str, Any] = {
        "synthetic_column_true_on_every_record": all_true,
        "sidecar_metadata": sidecar.is_file(),
    }
    if path.suffix == ".parquet":
        found["parquet_metadata_watermark"] = (
            file_meta.get("synthetic") == "true" and file_meta.get("watermark") == WATERMARK
        )
    found["passed"] = all(v for v in found.values())
    return found


def _disclosure(model: Model, table: pa.Table) -> dict[str, Any]:
    subject = _strings(table, "subject_cah2").to_numpy(zero_copy_only=False)
    sex = _strings(table, "sex").to_numpy(zero_copy_only=False)
    yag = table.column("yag").to_numpy()
    earnings = table.column("earnings").cast(pa.float64()).to_numpy(zero_copy_only=False)
    small = [
        (key, cell)
        for key, cell in model.published.cells.items()
        if key[0] != "all"
        and key[1] != "all"
        and (cell.included is None or cell.included < SMALL_CELL or "median" in cell.symbols)
    ]
    matches, checked = 0, []
    for (subj, sx, y), cell in small:
        in_cell = (subject == subj) & (sex == sx) & (yag == y)
        figures = [v for v in (cell.lq, cell.median, cell.uq) if v is not None]
        equal = int(np.isin(earnings[in_cell], figures).sum()) if figures else 0
        matches += equal
        checked.append(
            {
                "subject": subj,
                "sex": sx,
                "yag": y,
                "published_earners": cell.included if cell.included is not None else "c",
                "synthetic_records": int(in_cell.sum()),
                "records_equal_to_a_published_figure": equal,
            }
        )
    uniques = _uniques(table)
    return {
        "inputs": "published, disclosure-checked LEO table only (counts rounded to 5, earnings "
        "to £100, small cells suppressed by DfE); stand-in marginals are assumptions",
        "small_cells_checked": len(checked),
        "small_cell_definition": f"fewer than {SMALL_CELL} graduates with earnings, or c",
        "records_equal_to_published_small_cell_figures": matches,
        "small_cells": checked,
        "quasi_identifiers": list(QUASI_IDENTIFIERS),
        **uniques,
        "note": "unique combinations are of synthetic records drawn independently for the "
        "stand-in variables; they correspond to no real person",
        "passed": matches == 0,
    }


def _uniques(table: pa.Table) -> dict[str, Any]:
    key = np.zeros(table.num_rows, dtype=np.int64)
    for name in QUASI_IDENTIFIERS:
        column = table.column(name).combine_chunks()
        if not pa.types.is_dictionary(column.type):
            column = pc.dictionary_encode(column)
        size = len(column.dictionary) + 1
        codes = pc.fill_null(column.indices, size - 1).to_numpy(zero_copy_only=False)
        key = key * size + codes.astype(np.int64)
    _, counts = np.unique(key, return_counts=True)
    unique = int((counts == 1).sum())
    return {
        "records_unique_on_quasi_identifiers": unique,
        "share_unique": round(unique / max(table.num_rows, 1), 6),
        "combinations": int(counts.size),
    }


def _structure(table: pa.Table) -> dict[str, Any]:
    activity = _strings(table, "activity")
    earning = pc.equal(activity, ACTIVITIES[EARNING_ACTIVITY]).to_numpy(zero_copy_only=False)
    earnings = table.column("earnings")
    has_earnings = np.asarray(earnings.is_valid())
    values = earnings.cast(pa.float64()).to_numpy(zero_copy_only=False)
    sustained_expected = pc.is_in(
        activity, pa.array([ACTIVITIES[i] for i in SUSTAINED_ACTIVITIES])
    ).to_numpy(zero_copy_only=False)
    sustained = table.column("sustained").to_numpy()
    yag = table.column("yag").to_numpy()
    tax_year = _strings(table, "tax_year").to_numpy(zero_copy_only=False)
    cohort = _strings(table, "academic_year").to_numpy(zero_copy_only=False)
    expected = np.empty(table.num_rows, dtype=object)
    for ty in set(tax_year.tolist()):
        for y in YAGS:
            expected[(tax_year == ty) & (yag == y)] = cohort_of(y, str(ty))
    english = pc.is_in(_strings(table, "home_region"), pa.array(ENGLISH_REGIONS)).to_numpy(
        zero_copy_only=False
    )
    fsm_set = np.asarray(table.column("fsm").is_valid())
    ids = table.column("person_id").to_numpy()
    bad_codes = {
        name: sorted(
            str(v)
            for v in pc.unique(_strings(table, name)).to_pylist()
            if v is not None and v not in CODES[name]
        )
        for name in CODES
    }
    found: dict[str, Any] = {
        "columns_as_documented": list(table.column_names) == list(COLUMNS),
        "earnings_only_with_sustained_employment": int((has_earnings & ~earning).sum()) == 0,
        "earnings_for_every_earner": int((earning & ~has_earnings).sum()) == 0,
        "earnings_positive": bool((values[has_earnings] > 0).all()),
        "sustained_flag_matches_activity": bool((sustained == sustained_expected).all()),
        "cohort_matches_yag_and_tax_year": bool((cohort == expected).all()),
        "yag_in_code_list": bool(np.isin(yag, YAGS).all()),
        "person_ids_unique": int(np.unique(ids).size) == table.num_rows,
        "fsm_only_for_english_domicile": int((fsm_set & ~english).sum()) == 0,
        "codes_in_code_lists": not any(bad_codes.values()),
    }
    found["passed"] = all(found.values())
    if any(bad_codes.values()):
        found["unknown_codes"] = {k: v[:5] for k, v in bad_codes.items() if v}
    return found


def _documentation(path: Path) -> dict[str, Any]:
    sidecar = path.with_name(path.name + ".metadata.json")
    try:
        meta = json.loads(sidecar.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        meta = {}
    needed = ("watermark", "tier", "seed", "sources", "variables", "assumptions", "structure")
    found: dict[str, Any] = {f"metadata_has_{k}": k in meta for k in needed}
    found["stand_ins_marked_as_assumptions"] = all(
        v.get("assumption")
        for v in meta.get("variables", [])
        if v.get("source") == "stand-in marginal"
    )
    found["reports_written"] = True  # set after writing (see write_reports)
    found["passed"] = all(found.values())
    return found


# -- writing -----------------------------------------------------------------------------------


def write_reports(path: Path, model: Model, rules: Rules | None = None) -> dict[str, Path]:
    """Write ``<file>.utility.json|md`` and ``<file>.disclosure.json|md`` beside ``path``."""
    table, file_meta = _read(path)
    aggregated = aggregate(read_records([path]), rules)
    utility = utility_report(path, model, aggregated, table)
    disclosure = disclosure_report(path, model, table, file_meta)
    written = {
        "utility_json": path.with_name(path.name + ".utility.json"),
        "utility_md": path.with_name(path.name + ".utility.md"),
        "disclosure_json": path.with_name(path.name + ".disclosure.json"),
        "disclosure_md": path.with_name(path.name + ".disclosure.md"),
    }
    written["utility_json"].write_text(_json(utility), encoding="utf-8")
    written["utility_md"].write_text(_utility_md(utility), encoding="utf-8")
    documentation = disclosure["checks"]["documentation"]
    documentation["reports_written"] = all(
        written[k].is_file() for k in ("utility_json", "utility_md")
    )
    documentation["passed"] = all(v for k, v in documentation.items() if k != "passed")
    disclosure["passed"] = all(c["passed"] for c in disclosure["checks"].values())
    written["disclosure_json"].write_text(_json(disclosure), encoding="utf-8")
    written["disclosure_md"].write_text(_disclosure_md(disclosure), encoding="utf-8")
    return written


def _json(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False, default=_plain) + "\n"


def _plain(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(type(value).__name__)


def _utility_md(report: dict[str, Any]) -> str:
    target = report["target_analyses"]
    lines = [
        f"# Utility report: {report['file']}",
        "",
        f"{WATERMARK}",
        "",
        f"Tier **{report['tier']}**, {report['rows']:,} records.",
        "",
        "## Marginals",
        "",
        "| variable | source | max abs difference | total variation |",
        "|---|---|---|---|",
    ]
    for name, m in report["marginals"].items():
        lines.append(
            f"| {name} | {m['source']} | {m['max_abs_difference']:.4f} | "
            f"{m['total_variation']:.4f} |"
        )
    lines += ["", "## pMSE (saturated propensity model, reference: the published table)", ""]
    for name, p in report["pmse"].items():
        if isinstance(p, dict):
            lines.append(
                f"* {name}: pMSE {p['pmse']:.3g} over {p['cells']} cells (null expectation "
                f"{p['null_expectation']:.3g}, ratio {p['ratio']:.3g})"
            )
    lines += ["", "## Target analyses: medians by subject × sex × YAG", "", target["tolerance"], ""]
    for label in ("cells", "totals"):
        s = target[label]
        lines.append(
            f"* {label}: {s['compared']} compared ({s['not_published']} not published), "
            f"{s['median_exact_after_rounding']} exact after rounding to £100, max relative "
            f"difference {s['median_max_relative_difference']:.2%}, mean "
            f"{s['median_mean_relative_difference']:.2%}, outside tolerance: "
            f"{len(s['outside_tolerance'])}"
        )
    verdict = "yes" if target["within_tolerance"] else "no"
    lines += ["", f"**Within the stated tolerance: {verdict}.**", ""]
    return "\n".join(lines)


def _disclosure_md(report: dict[str, Any]) -> str:
    lines = [
        f"# Disclosure report: {report['file']}",
        "",
        WATERMARK,
        "",
        f"Tier **{report['tier']}**, {report['rows']:,} records. "
        f"All four checks passed: **{'yes' if report['passed'] else 'no'}**.",
        "",
    ]
    for name, check in report["checks"].items():
        lines += [f"## {name.capitalize()}: {'passed' if check['passed'] else 'FAILED'}", ""]
        for key, value in check.items():
            if key in ("passed", "small_cells"):
                continue
            lines.append(f"* {key.replace('_', ' ')}: {value}")
        lines.append("")
    return "\n".join(lines)
