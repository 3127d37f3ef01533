"""Reports on a synthetic standard extract, computed with SQL on its SQLite file.

Follows the structure a researcher expects of synthetic administrative data (Raab, McCall & Cavin's
four checks; synthpop's fit-for-purpose / specific utility / disclosure split):

* **fit for purpose** (:func:`consistency`): keys join along the documented paths, spells are
  valid and ordered, dates and years inside each table's coverage, an earnings row only with an
  employment spell in that tax year, HE before the graduate outcomes, KS4 before KS5 before HE,
  six-digit tax years, era-dependent columns NULL outside their era;
* **marginals and missingness** (:func:`marginals`): rows per table and year, the share NULL per
  column, and the documented structural patterns;
* **specific utility, L2** (:func:`recompute_published`): the published LEO table recomputed from
  the extract the way a researcher would (HESA qualifiers → PMR → AE_ID → EDUKEY → spells and
  earnings in 2022-23), beside the published values;
* **disclosure evidence** (:func:`disclosure`): what the generator saw, no record carrying a
  published small cell's figure, uniqueness on quasi-identifiers, and why record-linkage risk
  measures (synthpop's replicated uniques, DiSCO) cannot apply.

Every check is an SQL query that also runs on the SRS views (the table names are the physical
``<db>__<table>`` names here; the queries are listed in the JSON report).
"""

from __future__ import annotations

import json
import math
import sqlite3
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from lmi.synth.leo.extract import PUBLISHED_TAX_YEAR
from lmi.synth.leo.extract_write import JACS_TABLE, SQLITE_NAME
from lmi.synth.leo.fitting import Model
from lmi.synth.leo.layout import TABLES, table, tax_year_code
from lmi.synth.leo.variables import SEXES, SUBJECTS, WATERMARK, YAGS

__all__ = [
    "EXTRACT_TOLERANCE",
    "consistency",
    "disclosure",
    "marginals",
    "recompute_published",
    "write_extract_reports",
]

#: L2: recomputed medians within this relative difference of the published ones, in cells
#: with at least ``EXTRACT_MIN_EARNERS`` synthetic earners (earners in employment and further
#: study are independent draws, so small cells carry sampling noise)
EXTRACT_TOLERANCE = 0.05
EXTRACT_MIN_EARNERS = 400
SMALL_CELL = 50
#: code-list shares are computed on at most this many rows of each table
VALUE_SAMPLE = 100_000


def _t(name: str) -> str:
    return f'"{table(name).sqlite_name}"'


EMP, EARN, BEN, SA, GEO = (
    _t("leo_employment"),
    _t("leo_earnings"),
    _t("leo_benefit"),
    _t("leo_self_assessment"),
    _t("LEO_Geography"),
)
PMRL, EDUL, RECL = (
    _t("learner_ae_id_to_pmr_lookup"),
    _t("learner_ae_id_to_edukey_lookup"),
    _t("education_records_lookup"),
)
HESA, CENSUS, KS4, KS5 = _t("hesa"), _t("spring_census"), _t("KS4_Pupil"), _t("KS5_Student")
LEARNERS, AIMS, LARS = _t("learners"), _t("aims"), _t("lars")
AUTUMN, SUMMER, KS2, KS4X, KS5X = (
    _t("autumn_census"),
    _t("summer_census"),
    _t("KS2"),
    _t("KS4_Exam"),
    _t("KS5_Exam"),
)
ABS, EXCL, CIN, CLA = (
    _t("Absence_3term"),
    _t("exclusions"),
    _t("cin_2009_to_2021"),
    _t("cla_2006_to_2021"),
)
NCCIS, UCAS, YPMAD, SEISS = _t("nccis_2011_to_2021"), _t("ucas"), _t("YPMAD"), _t("leo_seiss")
#: every PMR-keyed table (NPD, UCAS and HESA) and its PMR column
PMR_TABLES = [
    (f'"{t.sqlite_name}"', t.columns[0].name)
    for t in TABLES
    if t.columns[0].name.lower().endswith("pupilmatchingrefanonymous")
]

#: check name → SQL counting violations (0 = passed)
CHECKS: dict[str, str] = {
    "earnings_without_employment_spell": f"""
        SELECT COUNT(*) FROM {EARN} e WHERE NOT EXISTS (
          SELECT 1 FROM {EMP} s WHERE s.EduKey = e.Edukey
            AND s.StartDate <= (e.TaxYear / 100 + 1) || '-04-05'
            AND s.EndDate >= (e.TaxYear / 100) || '-04-06')""",
    "tax_year_not_yyyyyy": f"""
        SELECT (SELECT COUNT(*) FROM {EARN} WHERE TaxYear % 100 != (TaxYear / 100 + 1) % 100
                  OR TaxYear < 200304 OR TaxYear > 202324)
             + (SELECT COUNT(*) FROM {SA} WHERE TaxYear % 100 != (TaxYear / 100 + 1) % 100
                  OR TaxYear < 201314)
             + (SELECT COUNT(*) FROM {GEO} WHERE TaxYear % 100 != (TaxYear / 100 + 1) % 100
                  OR TaxYear < 200405)""",
    "spell_dates_invalid_or_outside_coverage": f"""
        SELECT (SELECT COUNT(*) FROM {EMP} WHERE StartDate > EndDate
                  OR StartDate < '1997-04-06' OR EndDate > '2024-04-05')
             + (SELECT COUNT(*) FROM {BEN} WHERE StartDate > EndDate
                  OR StartDate < '1999-04-06' OR EndDate > '2024-04-05')""",
    "employment_spells_overlapping": f"""
        SELECT COUNT(*) FROM (SELECT EduKey, StartDate,
          LAG(EndDate) OVER (PARTITION BY EduKey ORDER BY StartDate) AS previous_end
          FROM {EMP}) WHERE previous_end >= StartDate""",
    "uncertain_dates_not_on_default": f"""
        SELECT COUNT(*) FROM {EMP} WHERE (UncertainStartDate = 1
          AND substr(StartDate, 6) != '04-06') OR (UncertainEndDate = 1
          AND substr(EndDate, 6) != '04-05')""",
    "outcome_keys_without_ae_id_not_orphans": f"""
        SELECT COUNT(*) FROM (SELECT DISTINCT Edukey FROM {EARN}) e
        WHERE NOT EXISTS (SELECT 1 FROM {EDUL} k WHERE k.EDUKEY = e.Edukey)
          AND e.Edukey NOT LIKE 'X%'""",
    "npd_hesa_pmr_not_in_lookup": "SELECT "
    + " + ".join(
        f"(SELECT COUNT(*) FROM {name} h WHERE NOT EXISTS (SELECT 1 FROM {PMRL} p "
        f"WHERE p.PupilMatchingRefAnonymous = h.{column}))"
        for name, column in PMR_TABLES
    ),
    "ilr_records_not_linked": f"""
        SELECT (SELECT COUNT(*) FROM {LEARNERS} l WHERE NOT EXISTS (SELECT 1 FROM {RECL} r
                  WHERE r.RECORDID = l.RECORDID))
             + (SELECT COUNT(*) FROM {AIMS} a WHERE NOT EXISTS (SELECT 1 FROM {LEARNERS} l
                  WHERE l.external_id = a.external_id))""",
    "he_outcome_before_graduation": f"""
        SELECT COUNT(*) FROM {HESA} h
        JOIN {PMRL} p ON p.PupilMatchingRefAnonymous = h.HE_PUPILMATCHINGREFANONYMOUS
        JOIN {EDUL} k ON k.AE_ID = p.AE_ID
        JOIN {EMP} s ON s.EduKey = k.EDUKEY
        WHERE h.HE_XPQUAL01 = 1 AND s.StartDate < h.HE_Year || '-06-01'""",
    "ks4_ks5_he_out_of_order": f"""
        SELECT COUNT(*) FROM {KS4} a
        JOIN {KS5} b ON b.KS5_PupilMatchingRefAnonymous = a.KS4_PupilMatchingRefAnonymous
        LEFT JOIN {HESA} h ON h.HE_PUPILMATCHINGREFANONYMOUS = a.KS4_PupilMatchingRefAnonymous
        WHERE b.KS5_ACADYR <= a.KS4_ACADYR OR h.HE_Year <= CAST(substr(b.KS5_ACADYR, 6) AS int)""",
    "sex_differs_between_sources": f"""
        SELECT (SELECT COUNT(*) FROM {KS4} a JOIN {HESA} h
                  ON h.HE_PUPILMATCHINGREFANONYMOUS = a.KS4_PupilMatchingRefAnonymous
                  WHERE CASE COALESCE(h.HE_SEXID, h.HE_GENDER) WHEN 1 THEN 'M' ELSE 'F' END
                    != a.KS4_GENDER)
             + (SELECT COUNT(*) FROM {KS4} a JOIN {CENSUS} c
                  ON c.PupilMatchingRefAnonymous = a.KS4_PupilMatchingRefAnonymous
                  WHERE c.Gender != a.KS4_GENDER)""",
    "birth_date_differs_between_census_years": f"""
        SELECT COUNT(*) FROM (SELECT PupilMatchingRefAnonymous FROM {CENSUS}
          GROUP BY PupilMatchingRefAnonymous
          HAVING COUNT(DISTINCT YearOfBirth * 100 + MonthOfBirth) > 1)""",
    "census_duplicates_without_main_record": f"""
        SELECT COUNT(*) FROM {CENSUS} d WHERE d.RecordStatus >= 101 AND NOT EXISTS (
          SELECT 1 FROM {CENSUS} m WHERE m.PupilMatchingRefAnonymous = d.PupilMatchingRefAnonymous
            AND m.CensusYear = d.CensusYear AND m.RecordStatus = d.RecordStatus - 100)""",
    "education_years_outside_coverage": f"""
        SELECT (SELECT COUNT(*) FROM {HESA} WHERE HE_Year < 2005 OR HE_Year > 2020)
             + (SELECT COUNT(*) FROM {CENSUS} WHERE CensusYear < 2002 OR CensusYear > 2021)
             + (SELECT COUNT(*) FROM {AUTUMN} WHERE CensusYear < 2007 OR CensusYear > 2021)
             + (SELECT COUNT(*) FROM {SUMMER} WHERE CensusYear < 2007 OR CensusYear > 2021
                  OR CensusYear = 2020)
             + (SELECT COUNT(*) FROM {ABS} WHERE AbsenceYear < 2006 OR AbsenceYear > 2021
                  OR AbsenceYear = 2020)
             + (SELECT COUNT(*) FROM {KS2} WHERE KS2_ACADYR < '1995' OR KS2_ACADYR > '2016')
             + (SELECT COUNT(*) FROM {NCCIS} WHERE NCCIS_ACADYR < '2010' OR NCCIS_ACADYR > '2021')
             + (SELECT COUNT(*) FROM {UCAS} WHERE application_cycle < 2007
                  OR application_cycle > 2021)
             + (SELECT COUNT(*) FROM {LEARNERS} WHERE Year < 2002 OR Year > 2020)""",
    "census_terms_disagree": f"""
        SELECT (SELECT COUNT(*) FROM {AUTUMN} a WHERE NOT EXISTS (SELECT 1 FROM {CENSUS} s
                  WHERE s.PupilMatchingRefAnonymous = a.PupilMatchingRefAnonymous
                    AND s.CensusYear = a.CensusYear AND s.NCyearActual = a.NCyearActual))
             + (SELECT COUNT(*) FROM {SUMMER} a WHERE NOT EXISTS (SELECT 1 FROM {CENSUS} s
                  WHERE s.PupilMatchingRefAnonymous = a.PupilMatchingRefAnonymous
                    AND s.CensusYear = a.CensusYear AND s.NCyearActual = a.NCyearActual))""",
    "key_stages_out_of_order": f"""
        SELECT (SELECT COUNT(*) FROM {KS2} a JOIN {KS4} b
                  ON b.KS4_PupilMatchingRefAnonymous = a.KS2_PupilMatchingRefAnonymous
                  WHERE a.KS2_ACADYR >= b.KS4_ACADYR)
             + (SELECT COUNT(*) FROM {_t("KS1")} a JOIN {KS2} b
                  ON b.KS2_PupilMatchingRefAnonymous = a.KS1_PupilMatchingRefAnonymous
                  WHERE a.KS1_ACADYR >= b.KS2_ACADYR)
             + (SELECT COUNT(*) FROM {_t("EYFSP")} a JOIN {_t("KS1")} b
                  ON b.KS1_PupilMatchingRefAnonymous = a.EYFSP_PupilMatchingRefAnonymous
                  WHERE a.EYFSP_ACADYR >= b.KS1_ACADYR)
             + (SELECT COUNT(*) FROM {_t("KS3")} a JOIN {KS4} b
                  ON b.KS4_PupilMatchingRefAnonymous = a.KS3_PupilMatchingRefAnonymous
                  WHERE a.KS3_ACADYR >= b.KS4_ACADYR)""",
    "exam_results_without_their_pupil_row": f"""
        SELECT (SELECT COUNT(*) FROM {KS4X} x WHERE NOT EXISTS (SELECT 1 FROM {KS4} k
                  WHERE k.KS4_PupilMatchingRefAnonymous = x.KS4_PupilMatchingRefAnonymous
                    AND k.KS4_ACADYR = x.KS4_ACADYR))
             + (SELECT COUNT(*) FROM {KS5X} x WHERE NOT EXISTS (SELECT 1 FROM {KS5} k
                  WHERE k.KS5_PupilMatchingRefAnonymous = x.KS5_PupilMatchingRefAnonymous
                    AND k.KS5_ACADYR = x.KS5_ACADYR))""",
    "ks5_points_or_aab_disagree_with_results": f"""
        SELECT COUNT(*) FROM {KS5} k JOIN (
          SELECT KS5_PupilMatchingRefAnonymous AS pmr, KS5_ACADYR AS yr, SUM(KS5_POINTS) AS pts,
                 SUM(KS5_GRADE IN ('A*', 'A')) AS top, SUM(KS5_GRADE IN ('A*', 'A', 'B')) AS good
          FROM {KS5X} GROUP BY 1, 2) x
          ON x.pmr = k.KS5_PupilMatchingRefAnonymous AND x.yr = k.KS5_ACADYR
        WHERE ABS(k.KS5_TOTPTSE - x.pts) > 0.01
           OR k.KS5_GRADE_AAB_ALL != (CASE WHEN x.top >= 2 AND x.good >= 3 THEN 1 ELSE 0 END)
           OR k.KS5_AAB_FAC > k.KS5_GRADE_AAB_ALL""",
    "aims_or_results_not_in_lars": f"""
        SELECT (SELECT COUNT(*) FROM {AIMS} a WHERE NOT EXISTS (SELECT 1 FROM {LARS} l
                  WHERE l.LearnAimRef = a.learning_aim_id
                    AND l.Notional_Level_v2 = a.Notional_Level_v2))
             + (SELECT COUNT(*) FROM {KS4X} a WHERE NOT EXISTS (SELECT 1 FROM {LARS} l
                  WHERE l.LearnAimRef = a.KS4_QAN AND l.QualType = '0003'))
             + (SELECT COUNT(*) FROM {KS5X} a WHERE NOT EXISTS (SELECT 1 FROM {LARS} l
                  WHERE l.LearnAimRef = a.KS5_QAN AND l.QualType = '0002'))""",
    "learner_flags_disagree_with_aims": f"""
        SELECT COUNT(*) FROM {LEARNERS} l JOIN (
          SELECT external_id, MAX(FullL3) AS l3, MAX(FullL3 * achievement) AS l3a,
                 MAX(FullL2) AS l2, MAX(FullL2 * achievement) AS l2a
          FROM {AIMS} GROUP BY external_id) a ON a.external_id = l.external_id
        WHERE l.L_FullLevel3 != a.l3 OR l.L_FullLevel3_Ach != a.l3a
           OR l.L_FullLevel2 != a.l2 OR l.L_FullLevel2_Ach != a.l2a""",
    "aims_benefit_flag_disagrees_with_spells": f"""
        SELECT COUNT(*) FROM {AIMS} a
        JOIN {LEARNERS} l ON l.external_id = a.external_id
        JOIN {RECL} r ON r.RECORDID = l.RECORDID
        WHERE a.OnBenefits_AtStart != (CASE WHEN EXISTS (
          SELECT 1 FROM {EDUL} k JOIN {BEN} b ON b.EduKey = k.EDUKEY
          WHERE k.AE_ID = r.AE_ID AND b.StartDate <= a.start_date
            AND b.EndDate >= a.start_date) THEN 1 ELSE 0 END)""",
    "absence_inconsistent_or_without_census": f"""
        SELECT COUNT(*) FROM {ABS} a WHERE a.OverallAbsence
            != a.AuthorisedAbsence + a.UnauthorisedAbsence
          OR a.OverallAbsence > a.SessionsPossible
          OR NOT EXISTS (SELECT 1 FROM {CENSUS} c
            WHERE c.PupilMatchingRefAnonymous = a.PupilMatchingRefAnonymous
              AND c.CensusYear = a.AbsenceYear)""",
    "exclusions_outside_their_year_or_roll": f"""
        SELECT COUNT(*) FROM {EXCL} e
        WHERE e.StartDate < (e.ExclusionYear - 1) || '-08-01'
           OR e.StartDate > e.ExclusionYear || '-07-31'
           OR NOT EXISTS (SELECT 1 FROM {CENSUS} c
             WHERE c.PupilMatchingRefAnonymous = e.PupilMatchingRefAnonymous
               AND c.CensusYear = e.ExclusionYear)""",
    "social_care_inconsistent": f"""
        SELECT (SELECT COUNT(*) FROM {CLA} c WHERE NOT EXISTS (SELECT 1 FROM {CIN} n
                  WHERE n.PupilMatchingRefAnonymous = c.PupilMatchingRefAnonymous
                    AND n.CIN_ReferralDate <= c.CLA_PeriodStart))
             + (SELECT COUNT(*) FROM {CIN} WHERE CIN_ClosureDate < CIN_ReferralDate
                  OR CIN_ReferralDate < '2008-04-01' OR CIN_ReferralDate > '2021-03-31')
             + (SELECT COUNT(*) FROM {CLA} WHERE CLA_PeriodEnd < CLA_PeriodStart
                  OR CLA_PeriodStart > '2021-03-31')""",
    "care_leaver_flag_disagrees_with_cla": f"""
        SELECT COUNT(*) FROM {HESA} h WHERE h.HE_Year >= 2014
          AND (h.HE_CARELEAVER = 1) != EXISTS (SELECT 1 FROM {CLA} c
            WHERE c.PupilMatchingRefAnonymous = h.HE_PUPILMATCHINGREFANONYMOUS)""",
    "attainment_at_19_disagrees_with_ks5": f"""
        SELECT COUNT(*) FROM {YPMAD} y WHERE y.YPMAD_LEVEL3_BY19 > y.YPMAD_LEVEL2_BY19
           OR (y.YPMAD_LEVEL3_BY19 = 0 AND EXISTS (SELECT 1 FROM {KS5} k
             WHERE k.KS5_PupilMatchingRefAnonymous = y.YPMAD_PupilMatchingRefAnonymous
               AND k.KS5_ACADYR <= y.YPMAD_ACADYR))""",
    "nccis_activity_inconsistent": f"""
        SELECT COUNT(*) FROM {NCCIS} n
        WHERE (n.NCCIS_NEET_Start_Date IS NOT NULL)
              != (substr(n.NCCIS_Current_Activity_Code, 1, 1) IN ('5', '6'))
           OR (n.NCCIS_Current_Activity_Code != '210' AND EXISTS (SELECT 1 FROM {KS5} k
             WHERE k.KS5_PupilMatchingRefAnonymous = n.NCCIS_PupilMatchingRefAnonymous
               AND k.KS5_ACADYR = n.NCCIS_ACADYR))""",
    "ucas_inconsistent_with_he_entry": f"""
        SELECT (SELECT COUNT(*) FROM {UCAS} u WHERE u.accept_flag = 1 AND NOT EXISTS (
                  SELECT 1 FROM {HESA} h
                  WHERE h.HE_PUPILMATCHINGREFANONYMOUS = u.PupilMatchingRefAnonymous
                    AND substr(h.HE_COMDATE, 1, 4) = CAST(u.entry_year AS text))
                  AND u.entry_year <= 2019)
             + (SELECT COUNT(*) FROM {UCAS} u WHERE EXISTS (SELECT 1 FROM {HESA} h
                  WHERE h.HE_PUPILMATCHINGREFANONYMOUS = u.PupilMatchingRefAnonymous
                    AND h.HE_COMDATE < u.application_cycle || '-01-01'))""",
    "seiss_without_self_employment": f"""
        SELECT COUNT(*) FROM {SEISS} s WHERE s.TAXYEAR != 202021 OR NOT EXISTS (
          SELECT 1 FROM {EDUL} k JOIN {EDUL} k2 ON k2.AE_ID = k.AE_ID
          JOIN {SA} a ON a.Edukey = k2.EDUKEY AND a.TaxYear = 201920
          WHERE k.EDUKEY = s.EDUKEY)""",
    "earnings_splits_disagree": f"""
        SELECT COUNT(*) FROM {EARN} WHERE enterprise_earnings > Earnings
          OR Section_Earnings > Earnings OR SIC_Earnings > Earnings OR Num_Employments < 1""",
}


def consistency(conn: sqlite3.Connection) -> dict[str, Any]:
    """Run every fit-for-purpose check: violations per check (all 0 to pass)."""
    found: dict[str, Any] = {}
    for name, sql in CHECKS.items():
        violations = int(conn.execute(sql).fetchone()[0])
        found[name] = {
            "violations": violations,
            "passed": violations == 0,
            "sql": " ".join(sql.split()),
        }
    quirks = {
        "ae_ids_with_several_edukeys": f"SELECT COUNT(*) FROM (SELECT AE_ID FROM {EDUL} "
        "GROUP BY AE_ID HAVING COUNT(*) > 1)",
        "edukeys_without_ae_id": f"SELECT COUNT(DISTINCT Edukey) FROM {EARN} e WHERE NOT EXISTS "
        f"(SELECT 1 FROM {EDUL} k WHERE k.EDUKEY = e.Edukey)",
        "ae_ids_not_matched_to_cis": f"SELECT COUNT(*) FROM {PMRL} p WHERE NOT EXISTS "
        f"(SELECT 1 FROM {EDUL} k WHERE k.AE_ID = p.AE_ID)",
        "duplicate_census_records": f"SELECT COUNT(*) FROM {CENSUS} WHERE RecordStatus >= 101",
        "ilr_people_with_several_learner_rows": f"SELECT COUNT(*) FROM (SELECT r.AE_ID FROM "
        f"{RECL} r GROUP BY r.AE_ID HAVING COUNT(*) > 1)",
        "uncertain_start_dates": f"SELECT COUNT(*) FROM {EMP} WHERE UncertainStartDate = 1",
        "looked_after_children": f"SELECT COUNT(DISTINCT PupilMatchingRefAnonymous) FROM {CLA}",
        "care_leavers_in_hesa": f"SELECT COUNT(DISTINCT HE_PUPILMATCHINGREFANONYMOUS) FROM "
        f"{HESA} WHERE HE_CARELEAVER = 1",
        "neet_young_people": f"SELECT COUNT(DISTINCT NCCIS_PupilMatchingRefAnonymous) FROM "
        f"{NCCIS} WHERE NCCIS_NEET_Start_Date IS NOT NULL",
        "ucas_acceptances": f"SELECT COUNT(*) FROM {UCAS} WHERE accept_flag = 1",
        "aims_started_on_benefits": f"SELECT COUNT(*) FROM {AIMS} WHERE OnBenefits_AtStart = 1",
        "summer_census_rows_2019_20": f"SELECT COUNT(*) FROM {SUMMER} WHERE CensusYear = 2020",
    }
    return {
        "checks": found,
        "passed": all(c["passed"] for c in found.values()),
        "quirks_present": {k: int(conn.execute(q).fetchone()[0]) for k, q in quirks.items()},
    }


def marginals(conn: sqlite3.Connection) -> dict[str, Any]:
    """Rows and NULL share per column of every table; era columns NULL outside their era."""
    found: dict[str, Any] = {}
    era_violations = 0
    for spec in TABLES:
        name = f'"{spec.sqlite_name}"'
        rows = int(conn.execute(f"SELECT COUNT(*) FROM {name}").fetchone()[0])
        nulls = {}
        if rows:
            parts = ", ".join(f'AVG("{c.name}" IS NULL)' for c in spec.columns)
            shares = conn.execute(f"SELECT {parts} FROM {name}").fetchone()
            nulls = {c.name: round(float(s), 4) for c, s in zip(spec.columns, shares, strict=True)}
        entry: dict[str, Any] = {"rows": rows, "null_share": nulls, "value_shares": {}}
        for c in spec.columns:
            if c.key or not rows or c.arrow not in (pa.string(), pa.int8(), pa.int16()):
                continue  # keys, amounts (int32/64, float) and dates are not code lists
            # on the first rows only: people are drawn independently chunk after chunk
            counts = conn.execute(
                f'SELECT "{c.name}", COUNT(*) FROM (SELECT "{c.name}" FROM {name} '
                f"LIMIT {VALUE_SAMPLE}) GROUP BY 1 ORDER BY 2 DESC LIMIT 31"
            ).fetchall()
            if len(counts) <= 30:  # a code list, not an identifier or an amount
                sampled = min(rows, VALUE_SAMPLE)
                entry["value_shares"][c.name] = {
                    str(v): round(n / sampled, 4) for v, n in counts if v is not None
                }
        if spec.per_year is not None and rows:
            entry["rows_by_year"] = dict(
                conn.execute(
                    f'SELECT "{spec.per_year}", COUNT(*) FROM {name} GROUP BY 1 ORDER BY 1'
                ).fetchall()
            )
            # one pass per table: a column's values outside its years (per_year = end year)
            tests = [
                f'SUM("{c.name}" IS NOT NULL AND ("{spec.per_year}" < '
                f'{-1 if c.first is None else c.first + 1} OR "{spec.per_year}" > '
                f"{9999 if c.last is None else c.last + 1}))"
                for c in spec.columns
                if c.first is not None or c.last is not None
            ]
            if tests:
                counts = conn.execute(f"SELECT {', '.join(tests)} FROM {name}").fetchone()
                era_violations += sum(int(v or 0) for v in counts)
        found[spec.name] = entry
    tax = {}
    for label, tbl in (("leo_earnings", EARN), ("leo_self_assessment", SA)):
        tax[label] = dict(
            conn.execute(f"SELECT TaxYear, COUNT(*) FROM {tbl} GROUP BY 1").fetchall()
        )
    benefit_types = dict(conn.execute(f"SELECT Benefit_type, COUNT(*) FROM {BEN} GROUP BY 1"))
    return {
        "tables": found,
        "rows_by_tax_year": tax,
        "benefit_types": benefit_types,
        "era_columns_populated_outside_their_years": era_violations,
        "documented_patterns": [
            "no row rather than NULL: earnings only in tax years with PAYE pay, SA only when "
            "self-employed, spells only when in work or on benefit",
            "HE_DATELEFT/HE_QUALAIM/HE_GENDER/HE_SBJQA1 only in their early years, "
            "HE_ENDDATE/HE_COURSEAIM/HE_SEXID/JACS after; HE_XCAH02_1 from 2019/20",
            "census LSOA01 to 2013/14, LSOA11 from 2012/13, OnRoll from 2008/09",
            "KS4 LEVEL2_EM 2003/04–2012/13, ATT8/P8 from 2015/16; no amended KS4/KS5 version "
            "in 2019/20 and 2020/21",
            "ILR -1 sentinels in LLDD and PriorAttain; NULL Achievement_date when not achieved",
            "autumn and summer censuses from 2006/07, none in summer 2019/20; no absence "
            "2019/20; KS2 levels to 2014/15 and scaled scores from 2015/16; GCSE letters to "
            "2015/16 and 9-1 after; KS4 teacher-assessed/COVID flags from 2019/20",
            "open CIN and CLA episodes at the end of coverage have NULL end dates; NEET start "
            "dates only for NEET activity codes; UCAS grades NULL while pending",
        ],
    }


RECOMPUTE_SQL = f"""
WITH grads AS (
  SELECT DISTINCT p.AE_ID, h.HE_Year AS grad_year,
         COALESCE(h.HE_SEXID, h.HE_GENDER) AS sex,
         COALESCE(j.CAH2, substr(h.HE_XCAH02_1, 4)) AS cah2
  FROM {HESA} h
  JOIN {PMRL} p ON p.PupilMatchingRefAnonymous = h.HE_PUPILMATCHINGREFANONYMOUS
  LEFT JOIN "{JACS_TABLE}" j ON j.JACS = h.HE_XJACSA01_1
  WHERE h.HE_XPQUAL01 = 1
), keyed AS (
  SELECT g.AE_ID, k.EDUKEY FROM grads g JOIN {EDUL} k ON k.AE_ID = g.AE_ID
), sustained AS (
  SELECT DISTINCT k.AE_ID FROM keyed k JOIN {EMP} s ON s.EduKey = k.EDUKEY
  WHERE s.StartDate <= '{PUBLISHED_TAX_YEAR}-10-01'
    AND s.EndDate >= '{PUBLISHED_TAX_YEAR + 1}-03-31'
), pay AS (
  SELECT k.AE_ID, SUM(e.Earnings) AS earnings FROM keyed k
  JOIN {EARN} e ON e.Edukey = k.EDUKEY AND e.TaxYear = {tax_year_code(PUBLISHED_TAX_YEAR)}
  GROUP BY k.AE_ID
)
SELECT g.cah2, g.sex, {PUBLISHED_TAX_YEAR} - g.grad_year AS yag,
       CASE WHEN s.AE_ID IS NULL THEN 0 ELSE 1 END AS sustained, pay.earnings
FROM grads g LEFT JOIN sustained s ON s.AE_ID = g.AE_ID LEFT JOIN pay ON pay.AE_ID = g.AE_ID
"""


def recompute_published(conn: sqlite3.Connection, model: Model) -> dict[str, Any]:
    """The published table's cells recomputed from the extract, beside the published values."""
    rows = conn.execute(RECOMPUTE_SQL).fetchall()
    cells: dict[tuple[str, str, int], dict[str, Any]] = {}
    for cah2, sex, yag, sustained, earnings in rows:
        key = (str(cah2), "M" if sex == 1 else "F", int(yag))
        cell = cells.setdefault(key, {"grads": 0, "sustained": 0, "earnings": []})
        cell["grads"] += 1
        if sustained:
            cell["sustained"] += 1
            if earnings is not None:
                cell["earnings"].append(float(earnings))
    compared = []
    cell_index = {c: i for i, c in enumerate(model.cells)}
    for subject in SUBJECTS:
        for sex in SEXES:
            for yag in YAGS:
                published = model.published.get(subject, sex, yag)
                found = cells.get((subject, sex, yag))
                if published is None:
                    continue
                entry: dict[str, Any] = {
                    "subject": subject,
                    "sex": sex,
                    "yag": yag,
                    "published": {
                        "grads": published.grads,
                        "earnings_include": published.included,
                        "lq": published.lq,
                        "median": published.median,
                        "uq": published.uq,
                        "sust_emp_fs_or_both": published.rate,
                    },
                }
                if found is None:
                    entry["synthetic"] = None
                    entry["why_missing"] = (
                        "cohort 2020/21 graduates in 2021 are outside the I2 HESA coverage "
                        "(hesa_2005–hesa_2020)"
                        if yag == 1
                        else "no synthetic graduates (or no JACS → CAH2 mapping) for this cell"
                    )
                else:
                    values = np.array(found["earnings"])
                    q = np.quantile(values, [0.25, 0.5, 0.75]) if values.size else [math.nan] * 3
                    entry["synthetic"] = {
                        "grads": found["grads"],
                        "sustained_employment_share": round(found["sustained"] / found["grads"], 4),
                        "earners": int(values.size),
                        "lq": _round(q[0]),
                        "median": _round(q[1]),
                        "uq": _round(q[2]),
                    }
                    # the share the generator aimed at: published activity shares (sustained
                    # employment only, plus the assumed part of "and further study")
                    implied = float(model.activity[cell_index[(subject, sex, yag)], :2].sum())
                    entry["implied_sustained_employment_share"] = round(implied, 4)
                    entry["sustained_share_difference"] = round(
                        found["sustained"] / found["grads"] - implied, 4
                    )
                    if published.median is not None and values.size:
                        rel = abs(float(q[1]) - published.median) / published.median
                        entry["median_relative_difference"] = round(rel, 4)
                compared.append(entry)
    judged = [
        c
        for c in compared
        if c.get("median_relative_difference") is not None
        and c["synthetic"]["earners"] >= EXTRACT_MIN_EARNERS
    ]
    outside = [c for c in judged if c["median_relative_difference"] > EXTRACT_TOLERANCE]
    diffs = [c["median_relative_difference"] for c in judged]
    shares = [abs(c["sustained_share_difference"]) for c in judged]
    return {
        "tier": model.tier,
        "sql": " ".join(RECOMPUTE_SQL.split()),
        "how": "HESA qualifiers (HE_XPQUAL01 = 1) → PMR → AE_ID → all their EDUKEYs; YAG = "
        f"{PUBLISHED_TAX_YEAR} − graduation year; sustained = an employment spell covering 1 "
        "October to 31 March of 2022-23; earnings = their 2022-23 PAYE earnings (all EDUKEYs "
        "summed); quartiles numpy-linear, unrounded",
        "caveat": "the published quartiles are of graduates in sustained employment only, "
        "not in further study; further study in 2022-23 is outside the extract's HESA "
        "coverage, so the recomputation includes graduates in employment and further study "
        "(the generator draws their earnings from the same cell law)",
        "sustained_share": "published activity shares give sustained employment only; the "
        "recomputed share (a spell over October–March) is compared with that plus the assumed "
        "60 % of the published 'further study' remainder that is also employed",
        "tolerance": f"L2: median within {EXTRACT_TOLERANCE:.0%} of the published median in "
        f"cells with at least {EXTRACT_MIN_EARNERS} synthetic earners; L1 claims none",
        "cells_compared": len(judged),
        "cells_outside_tolerance": len(outside),
        "median_max_relative_difference": round(max(diffs, default=0.0), 4),
        "median_mean_relative_difference": round(float(np.mean(diffs)) if diffs else 0.0, 4),
        "sustained_share_max_abs_difference": round(max(shares, default=0.0), 4),
        # None: not judged (no cell is large enough; generate more people)
        "within_tolerance": (not outside) if judged and model.tier == "L2" else None,
        "cells": compared,
    }


def _verdict(value: bool | None) -> str:
    if value is None:
        return "not judged (L1 claims no relationships, or no cell has enough synthetic earners)"
    return "yes" if value else "no"


def _round(value: float) -> float | None:
    return None if math.isnan(float(value)) else round(float(value), 1)


def disclosure(conn: sqlite3.Connection, model: Model, out: Path) -> dict[str, Any]:
    """Disclosure evidence: inputs, small-cell figures, uniqueness, what cannot be measured."""
    labelled = dict(conn.execute('SELECT "key", "value" FROM "lmi_metadata"').fetchall())
    copies, checked = 0, 0
    rows = conn.execute(RECOMPUTE_SQL).fetchall()
    by_cell: dict[tuple[str, str, int], list[float]] = {}
    for cah2, sex, yag, _, earnings in rows:
        if earnings is not None:
            by_cell.setdefault((str(cah2), "M" if sex == 1 else "F", int(yag)), []).append(earnings)
    for (subject, sex, yag), cell in model.published.cells.items():
        if "all" in (subject, sex) or (cell.included is not None and cell.included >= SMALL_CELL):
            continue
        figures = {v for v in (cell.lq, cell.median, cell.uq) if v is not None}
        values = by_cell.get((subject, sex, yag), [])
        checked += 1
        copies += sum(1 for v in values if v in figures)
    quasi = conn.execute(
        f"""SELECT COUNT(*), SUM(n = 1) FROM (
              SELECT COUNT(*) AS n FROM {HESA}
              WHERE HE_XPQUAL01 = 1
              GROUP BY COALESCE(HE_SEXID, HE_GENDER), HE_XAGEA01, HE_XJACSA01_1, HE_XCAH02_1,
                       HE_Year, HE_XINSTID01__ANON)"""
    ).fetchone()
    graduates = int(
        conn.execute(f"SELECT COUNT(*) FROM {HESA} WHERE HE_XPQUAL01 = 1").fetchone()[0]
    )
    uniques = int(quasi[1] or 0)
    return {
        "labelling": {
            "sqlite_lmi_metadata_synthetic": labelled.get("synthetic") == "true",
            "watermark": labelled.get("watermark") == WATERMARK,
            "metadata_json": (out / "extract.metadata.json").is_file(),
            "csv_sidecars": all(
                p.with_name(p.name + ".metadata.json").is_file()
                for p in (out / "tables").glob("*.csv")
            ),
            "passed": labelled.get("synthetic") == "true"
            and labelled.get("watermark") == WATERMARK
            and (out / "extract.metadata.json").is_file()
            and (out / "tables" / "SYNTHETIC_DATA.txt").is_file(),
        },
        "inputs": [
            model.published.path + " (published, rounded and suppressed aggregates)",
            "public JACS → CAH mapping (a classification, no data about people)",
            "stand-in shares stated as assumptions (no source)",
        ],
        "microdata_seen": False,
        "small_cells": {
            "definition": f"subject × sex × YAG cells with fewer than {SMALL_CELL} published "
            "earners or suppressed quartiles",
            "checked": checked,
            "synthetic_earnings_equal_to_a_published_figure_of_their_cell": copies,
            "passed": copies == 0,
        },
        "uniqueness": {
            "quasi_identifiers": "sex, age at entry, JACS/CAH subject, graduation year, provider",
            "graduates": graduates,
            "unique_records": uniques,
            "unique_share": round(uniques / graduates, 4) if graduates else 0.0,
            "meaning": "synthetic combinations, not people: the generator holds no records to "
            "be unique in",
        },
        "not_applicable": {
            "replicated_uniques_repU": "needs the original microdata to count synthetic "
            "uniques that are also unique (and equal) in the real data; lmi has only published "
            "aggregates, so there is nothing to replicate and the measure cannot be computed",
            "DiSCO_attribute_risk": "likewise needs the original records to test whether a "
            "disclosive synthetic attribute is correct in the original",
            "DCR_distance_to_closest_record": "needs a real training set and a holdout",
        },
    }


def write_extract_reports(out: Path, model: Model) -> dict[str, Path]:
    """Run every report on ``out/leo_synthetic_extract.sqlite``; write JSON and Markdown."""
    conn = sqlite3.connect(out / SQLITE_NAME)
    try:
        report = {
            "synthetic": True,
            "watermark": WATERMARK,
            "tier": model.tier,
            "fit_for_purpose": consistency(conn),
            "marginals": marginals(conn),
            "published_recomputed": recompute_published(conn, model),
            "disclosure": disclosure(conn, model, out),
        }
    finally:
        conn.close()
    reports = out / "reports"
    reports.mkdir(exist_ok=True)
    paths = {"json": reports / "extract_report.json", "md": reports / "extract_report.md"}
    paths["json"].write_text(json.dumps(report, indent=2, default=str) + "\n", encoding="utf-8")
    paths["md"].write_text(_markdown(report), encoding="utf-8")
    return paths


def _markdown(report: dict[str, Any]) -> str:
    fit = report["fit_for_purpose"]
    lines = [
        "# Synthetic LEO standard extract: report",
        "",
        WATERMARK,
        "",
        f"Tier **{report['tier']}**.",
        "",
        f"## Fit for purpose: {'passed' if fit['passed'] else 'FAILED'}",
        "",
        "| check | violations |",
        "|---|---|",
        *(f"| {k} | {v['violations']} |" for k, v in fit["checks"].items()),
        "",
        "Documented quirks present: "
        + ", ".join(f"{k} = {v:,}" for k, v in fit["quirks_present"].items()),
        "",
        "## Rows and missingness",
        "",
        "| table | rows | columns with NULLs (share) |",
        "|---|---|---|",
    ]
    for name, entry in report["marginals"]["tables"].items():
        nulls = ", ".join(f"{c} {s:.1%}" for c, s in entry["null_share"].items() if s > 0)
        lines.append(f"| {name} | {entry['rows']:,} | {nulls or '—'} |")
    era = report["marginals"]["era_columns_populated_outside_their_years"]
    lines += ["", f"Era-dependent columns populated outside their years: {era}.", ""]
    lines += [f"### Code lists (share of rows; the first {VALUE_SAMPLE:,} rows of a table)", ""]
    for name, entry in report["marginals"]["tables"].items():
        for column, shares in entry["value_shares"].items():
            top = ", ".join(f"{v} {s:.1%}" for v, s in list(shares.items())[:8])
            more = " …" if len(shares) > 8 else ""
            lines.append(f"* {name}.{column}: {top}{more}")
    lines.append("")
    pub = report["published_recomputed"]
    lines += [
        "## Published LEO table recomputed (L2)",
        "",
        pub["how"] + ".",
        "",
        pub["caveat"] + ".",
        "",
        f"{pub['tolerance']}. Cells judged: {pub['cells_compared']}, outside: "
        f"{pub['cells_outside_tolerance']}, max relative difference "
        f"{pub['median_max_relative_difference']:.2%}, mean "
        f"{pub['median_mean_relative_difference']:.2%}; share in sustained employment against "
        f"the published activity shares: max difference "
        f"{pub['sustained_share_max_abs_difference']:.3f}. Within tolerance: "
        f"**{_verdict(pub['within_tolerance'])}**.",
        "",
        "| subject | sex | YAG | published median | synthetic median | synthetic earners |",
        "|---|---|---|---|---|---|",
    ]
    for cell in pub["cells"]:
        syn = cell["synthetic"]
        if syn is None or cell["sex"] != "F" or cell["yag"] != 5:
            continue
        lines.append(
            f"| {cell['subject']} | {cell['sex']} | {cell['yag']} | "
            f"{cell['published']['median']} | {syn['median']} | {syn['earners']} |"
        )
    lines += ["", "(Female, 5 YAG shown; every cell is in the JSON report.)", ""]
    dis = report["disclosure"]
    lines += [
        "## Disclosure evidence",
        "",
        f"* labelled: {dis['labelling']['passed']}; microdata seen: {dis['microdata_seen']}",
        f"* small cells checked: {dis['small_cells']['checked']}, synthetic earnings equal to "
        f"a published figure of their cell: "
        f"{dis['small_cells']['synthetic_earnings_equal_to_a_published_figure_of_their_cell']}",
        f"* unique graduates on ({dis['uniqueness']['quasi_identifiers']}): "
        f"{dis['uniqueness']['unique_records']:,} of {dis['uniqueness']['graduates']:,} "
        f"({dis['uniqueness']['unique_share']:.1%}); {dis['uniqueness']['meaning']}",
        "",
        "Measures that cannot apply:",
        "",
        *(f"* {k}: {v}" for k, v in dis["not_applicable"].items()),
        "",
    ]
    return "\n".join(lines)
