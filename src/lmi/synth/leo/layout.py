"""The tables of synthetic LEO in the standard-extract layout: names, columns, types, coverage.

Follows the public description of the LEO Iteration 2 standard extract as seen in the ONS
Secure Research Service (DfE's variable request form and researchers' SQL; summarised in the
project's reference ``leo-standard-extract.md``). Each column says whether its name and type are
``verified`` there or ``inferred`` (a guess the generator states in its metadata and reports).

One **physical table** per entry (one Parquet and one CSV file each, one SQLite table
``<database>__<name>``); the SQLite file adds **views** named as in the SRS. Tables that the SRS
splits by year (``spring_census_YYYY``, ``hesa_YYYY``) are one long physical table with a year
column, and one view per year holding only the columns of that year's era (e.g. ``HE_DATELEFT``
to 2006/07, ``HE_ENDDATE`` after; census fields suffixed ``_spr<yy>``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, overload

import numpy.typing as npt
import pyarrow as pa

__all__ = [
    "DATABASES",
    "TABLES",
    "Column",
    "Table",
    "arrow_schema",
    "table",
    "tax_year_code",
]

#: the SRS databases (``<database>.<project schema>.<view>``)
DATABASES = ("LEO_i2", "npd_i2", "LILR_i2", "hesa_i2")


@overload
def tax_year_code(start: int) -> int: ...


@overload
def tax_year_code(start: npt.NDArray[Any]) -> npt.NDArray[Any]: ...


def tax_year_code(start: Any) -> Any:
    """HMRC/DWP six-digit tax year: 2004 → 200405 (6 April 2004 to 5 April 2005); of one
    year or of every year of an array."""
    return start * 100 + (start + 1) % 100


@dataclass(frozen=True)
class Column:
    """A column: its SQL Server type, Arrow type, the years it is populated and its status."""

    name: str
    sql: str
    arrow: pa.DataType
    #: academic or tax years (start year) in which the column exists; None: every year
    first: int | None = None
    last: int | None = None
    #: "verified" in the reference, or "inferred" (name or type a guess)
    status: str = "verified"
    key: bool = False

    def in_year(self, year: int) -> bool:
        return (self.first is None or year >= self.first) and (
            self.last is None or year <= self.last
        )


@dataclass(frozen=True)
class Table:
    """A physical table of the extract."""

    database: str
    name: str
    grain: str
    columns: tuple[Column, ...]
    #: years covered (start year of the academic or tax year), inclusive
    coverage: tuple[int, int]
    #: the column holding the year of a per-year table (views ``<view_prefix><YYYY>``)
    per_year: str | None = None
    view_prefix: str | None = None
    #: census-style column suffix in the per-year views (``_spr`` → ``_spr11``)
    suffix: str | None = None
    status: str = "verified"
    note: str = ""

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @property
    def sqlite_name(self) -> str:
        return f"{self.database}__{self.name}"

    def views(self) -> dict[str, tuple[int | None, list[tuple[str, str]]]]:
        """SRS view name → (year or None, [(physical column, view column)])."""
        if self.per_year is None:
            return {self.name: (None, [(c.name, c.name) for c in self.columns])}
        found: dict[str, tuple[int | None, list[tuple[str, str]]]] = {}
        first, last = self.coverage
        for start in range(first, last + 1):
            end = start + 1  # views are named by the year the academic year ends
            columns = []
            for c in self.columns:
                if c.name == self.per_year or not c.in_year(start):
                    continue
                alias = f"{c.name}{self.suffix}{end % 100:02d}" if self.suffix else c.name
                columns.append((c.name, alias))
            found[f"{self.view_prefix}{end}"] = (end, columns)
        return found


def _c(name: str, sql: str, arrow: pa.DataType, **kw: object) -> Column:
    return Column(name, sql, arrow, **kw)  # type: ignore[arg-type]


S, I8, I16, I32, I64, D = pa.string(), pa.int8(), pa.int16(), pa.int32(), pa.int64(), pa.date32()
F = pa.float64()
INF = "inferred"

TABLES: tuple[Table, ...] = (
    # -- LEO_i2: link tables -------------------------------------------------------------------
    Table(
        "LEO_i2",
        "learner_ae_id_to_pmr_lookup",
        "AE_ID × PMR (one PMR per AE_ID here; the real lookup may hold several)",
        (
            _c("AE_ID", "bigint", I64, key=True),
            _c("PupilMatchingRefAnonymous", "varchar(18)", S, key=True),
        ),
        (2001, 2020),
    ),
    Table(
        "LEO_i2",
        "learner_ae_id_to_edukey_lookup",
        "AE_ID × EDUKEY (an AE_ID may carry several EDUKEYs; no row: not matched to the CIS)",
        (_c("AE_ID", "bigint", I64, key=True), _c("EDUKEY", "varchar(14)", S, key=True)),
        (2001, 2023),
    ),
    Table(
        "LEO_i2",
        "education_records_lookup",
        "one ILR learner record sent for matching",
        (_c("RECORDID", "int", I32, key=True), _c("AE_ID", "bigint", I64, key=True)),
        (2002, 2020),
    ),
    # -- LEO_i2: HMRC and DWP outcome tables (tax years; coverage extended as in I2.1) ---------
    Table(
        "LEO_i2",
        "leo_employment",
        "one PAYE employment spell (merged)",
        (
            _c("EduKey", "varchar(14)", S, key=True),
            _c("StartDate", "date", D),
            _c("EndDate", "date", D),
            _c("UncertainStartDate", "bit", I8),
            _c("UncertainEndDate", "bit", I8),
        ),
        (1997, 2023),
    ),
    Table(
        "LEO_i2",
        "leo_earnings",
        "person × tax year with PAYE pay",
        (
            _c("Edukey", "varchar(14)", S, key=True),
            _c("TaxYear", "int", I32, key=True),
            _c("Earnings", "int", I32),
            _c("main_enterprise", "char(8)", S, status=INF),
            _c("Num_Employments", "int", I16, status=INF),
            _c("Main_Section", "char(1)", S, status=INF),
            _c("Num_Sections", "int", I16, status=INF),
            _c("Main_SIC2007", "char(5)", S, status=INF),
        ),
        (2003, 2023),
    ),
    Table(
        "LEO_i2",
        "leo_self_assessment",
        "self-employed person × tax year",
        (
            _c("Edukey", "varchar(14)", S, key=True),
            _c("TaxYear", "int", I32, key=True),
            _c("Self_Employed", "int", I8, status=INF),
            _c("EARNINGS_SOLE", "int", I32),
            _c("EARNINGS_PTR", "int", I32),
            _c("EARNINGS_SELF_EMPLOYMENT", "int", I32),
        ),
        (2013, 2023),
    ),
    Table(
        "LEO_i2",
        "leo_benefit",
        "one benefit spell (merged per benefit type)",
        (
            _c("EduKey", "varchar(14)", S, key=True),
            _c("StartDate", "date", D),
            _c("EndDate", "date", D),
            _c("Benefit_type", "varchar(3)", S),
            _c("Out_of_work_benefit", "bit", I8),
        ),
        (1999, 2023),
    ),
    Table(
        "LEO_i2",
        "LEO_Geography",
        "person × tax year (address held longest in the year)",
        (
            _c("Edukey", "varchar(14)", S, key=True),
            _c("TaxYear", "int", I32, key=True),
            _c("COA_2011", "varchar(9)", S, status=INF),
            _c("LAUA_anon", "varchar(9)", S, status=INF),
            _c("GOR", "varchar(9)", S, status=INF),
            _c("GORNM", "varchar(40)", S, status=INF),
            _c("CTRY", "varchar(9)", S, status=INF),
            _c("CTRYNM", "varchar(20)", S, status=INF),
        ),
        (2004, 2023),
    ),
    Table(
        "LEO_i2",
        "leo_cjrs",
        "person × tax year on the Coronavirus Job Retention Scheme (furlough)",
        (
            _c("EDUKEY", "varchar(14)", S, key=True),
            _c("TAXYEAR", "int", I32, key=True),
            _c("CJRS_EOM_IND", "char(12)", S, status=INF),
            _c("CJRS_DTM_IND", "char(12)", S, status=INF),
            _c("CJRS_WKS_CAPPED", "int", I16, status=INF),
            _c("CJRS_TOT_WKS", "int", I16, status=INF),
        ),
        (2019, 2020),
        status=INF,
        note="view name inferred (the VRF's logical name is LEO.CJRS)",
    ),
    Table(
        "LEO_i2",
        "idbr_lookup",
        "enterprise × IDBR snapshot (SourceYear)",
        (
            _c("ENTKEY", "char(8)", S, key=True, status=INF),
            _c("SIC2007", "char(5)", S, status=INF),
            _c("SECTIONNAME", "varchar(100)", S, status=INF),
            _c("Govt_Region", "varchar(9)", S, status=INF),
            _c("legalstatus", "char(1)", S, status=INF),
            _c("Employees", "varchar(10)", S, status=INF),
            _c("SourceYear", "int", I16, key=True, status=INF),
        ),
        (2019, 2020),
        status=INF,
        note="view name inferred (the VRF's logical name is LEO.IDBR_LOOKUP)",
    ),
    # -- npd_i2 ------------------------------------------------------------------------------
    Table(
        "npd_i2",
        "spring_census",
        "pupil × spring census (academic years 2001/02–2020/21)",
        (
            _c("PupilMatchingRefAnonymous", "varchar(18)", S, key=True),
            _c("RecordStatus", "int", I16),
            _c("AcademicYear", "varchar(9)", S),
            _c("CensusDate", "date", D),
            _c("CensusTerm", "varchar(3)", S, status=INF),
            _c("OnRoll", "bit", I8, first=2008),
            _c("PHASE", "varchar(2)", S, status=INF),
            _c("EnrolStatus", "char(1)", S),
            _c("NCyearActual", "varchar(2)", S),
            _c("Gender", "char(1)", S),
            _c("YearOfBirth", "int", I16),
            _c("MonthOfBirth", "int", I8),
            _c("EthnicGroupMajor", "varchar(4)", S),
            _c("FSMeligible", "bit", I8),
            _c("SENprovision", "char(1)", S),
            _c("LSOA01", "varchar(9)", S, last=2013),
            _c("LSOA11", "varchar(9)", S, first=2012),
            _c("LA_anon", "varchar(10)", S, status=INF),
            _c("CensusYear", "int", I16, status=INF),
        ),
        (2001, 2020),
        per_year="CensusYear",
        view_prefix="spring_census_",
        suffix="_spr",
        note="one physical table; views spring_census_YYYY with <field>_spr<yy> columns",
    ),
    Table(
        "npd_i2",
        "KS4_Pupil",
        "pupil × KS4 year",
        (
            _c("KS4_PupilMatchingRefAnonymous", "varchar(18)", S, key=True),
            _c("KS4_ACADYR", "varchar(9)", S, status=INF),
            _c("KS4_VERSION", "char(1)", S),
            _c("KS4_GENDER", "char(1)", S),
            _c("KS4_FSM", "bit", I8),
            _c("KS4_FSM6", "bit", I8, first=2011),
            _c("KS4_LEVEL2_EM", "bit", I8, first=2003, last=2012),
            _c("KS4_ATT8", "decimal(5,1)", F, first=2015),
            _c("KS4_P8SCORE", "decimal(5,2)", F, first=2015),
        ),
        (2001, 2020),
        status=INF,
        note="view name inferred (I1 code used KS4Pupil_2002_to_2014)",
    ),
    Table(
        "npd_i2",
        "KS5_Student",
        "student × KS5 year",
        (
            _c("KS5_PupilMatchingRefAnonymous", "varchar(18)", S, key=True),
            _c("KS5_ACADYR", "varchar(9)", S, status=INF),
            _c("KS5_VERSION", "char(1)", S),
            _c("KS5_GENDER", "char(1)", S),
            _c("KS5_FSM", "bit", I8),
            _c("KS5_TOTPTSE", "decimal(6,1)", F, status=INF),
            _c("KS5_AAB_FAC", "bit", I8, status=INF),
        ),
        (2001, 2020),
        status=INF,
        note="view name inferred",
    ),
    # -- LILR_i2 -----------------------------------------------------------------------------
    Table(
        "LILR_i2",
        "learners",
        "learner × provider × year (external_id is not a person)",
        (
            _c("external_id", "bigint", I64, key=True),
            _c("Year", "int", I16),
            _c("AcademicYear", "varchar(9)", S, status=INF),
            _c("dataset_identifier", "varchar(10)", S, status=INF),
            _c("learner_id", "varchar(12)", S, status=INF),
            _c("ukprn_anon", "varbinary(32)", S, status=INF),
            _c("RECORDID", "int", I32, key=True),
            _c("Sex", "char(1)", S),
            _c("Ethnicity", "int", I16),
            _c("AcAge", "int", I16),
            _c("LLDD", "int", I8),
            _c("PriorAttain", "int", I16),
        ),
        (2002, 2020),
    ),
    Table(
        "LILR_i2",
        "aims",
        "learning aim × year",
        (
            _c("external_id", "bigint", I64, key=True),
            _c("sequence_index", "int", I16),
            _c("learning_aim_id", "varchar(8)", S, status=INF),
            _c("RECORDID", "int", I32, key=True),
            _c("start_date", "date", D),
            _c("end_date_expected", "date", D),
            _c("end_date", "date", D),
            _c("Achievement_date", "date", D),
            _c("Compstatus", "int", I8),
            _c("outcome", "int", I8),
            _c("programme_type", "int", I16),
            _c("AimType", "int", I8),
            _c("FundModel", "int", I16),
            _c("NotionalNVQLev", "varchar(2)", S, status=INF),
            _c("FullL2", "bit", I8),
            _c("FullL3", "bit", I8),
            _c("FrameworkApp", "bit", I8),
            _c("achievement", "bit", I8),
        ),
        (2002, 2020),
    ),
    # -- hesa_i2 -----------------------------------------------------------------------------
    Table(
        "hesa_i2",
        "hesa",
        "student instance × academic year (2004/05–2019/20)",
        (
            _c("HE_PUPILMATCHINGREFANONYMOUS", "varchar(18)", S, key=True),
            _c("HE_XINSTID01__ANON", "varchar(10)", S),
            _c("HE_XPQUAL01", "int", I8),
            _c("HE_XPSR01", "int", I8),
            _c("HE_COMDATE", "date", D),
            _c("HE_DATELEFT", "date", D, last=2006),
            _c("HE_ENDDATE", "date", D, first=2007),
            _c("HE_YEARSTU", "int", I8),
            _c("HE_QUALAIM", "varchar(3)", S, last=2006, status=INF),
            _c("HE_COURSEAIM", "varchar(4)", S, first=2007, status=INF),
            _c("HE_XLEV601", "int", I8),
            _c("HE_XMODE01", "int", I8),
            _c("HE_XQOBTN01", "int", I8, status=INF),
            _c("HE_XCLASS01", "varchar(2)", S),
            _c("HE_SBJQA1", "varchar(4)", S, last=2006),
            _c("HE_XJACSA01_1", "varchar(4)", S, first=2007),
            _c("HE_XCAH02_1", "varchar(8)", S, first=2019),
            _c("HE_GENDER", "int", I8, last=2011),
            _c("HE_SEXID", "int", I8, first=2012),
            _c("HE_XAGEA01", "int", I8),
            _c("HE_Year", "int", I16, status=INF),
        ),
        (2004, 2019),
        per_year="HE_Year",
        view_prefix="hesa_",
        note="one physical table; views hesa_YYYY with that year's columns only",
    ),
)

_ARROW = {t.name: t for t in TABLES}


def table(name: str) -> Table:
    return _ARROW[name]


def arrow_schema(spec: Table, metadata: dict[str, str] | None = None) -> pa.Schema:
    return pa.schema([pa.field(c.name, c.arrow) for c in spec.columns], metadata=metadata)
