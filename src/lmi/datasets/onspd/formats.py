"""Format of the ONS Postcode Directory (ONSPD) and of the National Statistics Postcode Lookup.

ONS publishes both as a zip: ``Data/ONSPD_<MON>_<YEAR>_UK.csv`` (about 2.7 million postcodes,
live and terminated, in about 50 columns) or ``Data/NSPL_<MON>_<YEAR>_UK.csv`` (the same
postcodes, fewer columns), and a ``Documents/`` folder with the names of each geography's codes
(``LA_UA names and codes UK as at 04_23.csv`` …). Unzipped into ``onspd/`` in the source
directory, they are read as published. Only the columns below are read; the rest are ignored.
"""

from __future__ import annotations

from lmi.checks.spec import Column, FileSpec

__all__ = [
    "ALIASES",
    "COLUMN_EDITIONS",
    "DATED",
    "POSTCODE_AREAS",
    "SPLIT_FILES",
    "CODE",
    "DATA_FILES",
    "NAMES_CODE",
    "NAMES_FILES",
    "NAMES_NAME",
    "NAMES_SPEC",
    "ONSPD_SPEC",
    "OPTIONAL",
    "POSTCODE",
    "REQUIRED",
    "YEAR_MONTH",
    "is_pseudo",
]

FOLDER = "onspd"
#: the directory file, as published (one of them)
DATA_FILES = (f"{FOLDER}/Data/ONSPD_*_UK.csv", f"{FOLDER}/Data/NSPL*_UK.csv")
#: the same rows split by postcode area, as the zip also ships them (``…_UK_AB.csv`` …)
SPLIT_FILES = (
    f"{FOLDER}/Data/multi_csv/ONSPD_*_UK_*.csv",
    f"{FOLDER}/Data/multi_csv/NSPL*_UK_*.csv",
)
#: every postcode area of the ONSPD: 121 UK areas and the Crown dependencies (GY, JE, IM)
POSTCODE_AREAS: tuple[str, ...] = tuple(
    """AB AL B BA BB BD BH BL BN BR BS BT CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL DN DT
    DY E EC EH EN EX FK FY G GL GU GY HA HD HG HP HR HS HU HX IG IM IP IV JE KA KT KW KY L LA LD
    LE LL LN LS LU M ME MK ML N NE NG NN NP NR NW OL OX PA PE PH PL PO PR RG RH RM S SA SE SG SK
    SL SM SN SO SP SR SS ST SW SY TA TD TF TN TQ TR TS TW UB W WA WC WD WF WN WR WS WV YO
    ZE""".split()
)
#: names files of the Documents folder: geography → pattern (dated names, hence patterns)
NAMES_FILES = {
    "la": f"{FOLDER}/Documents/LA_UA names and codes*.csv",
    "county": f"{FOLDER}/Documents/County names and codes*.csv",
    "region": f"{FOLDER}/Documents/Region names and codes*.csv",
    "lep": f"{FOLDER}/Documents/LEP names and codes*.csv",
    "country": f"{FOLDER}/Documents/Country names and codes*.csv",
}

#: a full UK postcode, upper case without spaces (outward code 2–4 characters, inward 3; and
#: Girobank's GIR 0AA, the one postcode of another form)
POSTCODE = r"[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}|GIR0AA"
#: a GSS code; ``X99999999`` are ONS's pseudo-codes ("none": e.g. no county for a unitary)
CODE = r"[A-Z][0-9]{8}"
YEAR_MONTH = r"(19|20)[0-9]{2}(0[1-9]|1[0-2])"

#: stored field → header names accepted (ONSPD's first, NSPL's next); headers match in any case
ALIASES: dict[str, tuple[str, ...]] = {
    "postcode": ("pcds", "pcd", "pcd2"),
    "terminated": ("doterm",),
    "county": ("oscty", "cty"),
    "district": ("oslaua", "laua"),
    "region": ("rgn",),
    "country": ("ctry",),
    "lep1": ("lep1",),
    "lep2": ("lep2",),
    "latitude": ("lat",),
    "longitude": ("long",),
}
#: the column-name mapping table, edition by edition: stored field → the column each edition
#: calls it (shown in docs/datasets.md). ONS renamed the geography columns in 2025 after the
#: boundaries' year (``lad25cd``); :data:`DATED` accepts the same names for other years.
COLUMN_EDITIONS: dict[str, dict[str, str]] = {
    "ONSPD up to 2024 (e.g. ONSPD_FEB_2024_UK.csv)": {
        "postcode": "pcds",
        "terminated": "doterm",
        "county": "oscty",
        "district": "oslaua",
        "region": "rgn",
        "country": "ctry",
        "lep1": "lep1",
        "lep2": "lep2",
        "latitude": "lat",
        "longitude": "long",
    },
    "NSPL up to 2024 (e.g. NSPL_FEB_2024_UK.csv)": {
        "postcode": "pcds",
        "terminated": "doterm",
        "county": "cty",
        "district": "laua",
        "region": "rgn",
        "country": "ctry",
        "lep1": "lep1",
        "lep2": "lep2",
        "latitude": "lat",
        "longitude": "long",
    },
    "ONSPD 2025 naming (e.g. ONSPD_NOV_2025_UK.csv and Data/multi_csv/)": {
        "postcode": "pcds",
        "terminated": "doterm",
        "county": "cty25cd",
        "district": "lad25cd",
        "region": "rgn25cd",
        "country": "ctry25cd",
        "lep1": "lep21cd1",
        "lep2": "lep21cd2",
        "latitude": "lat",
        "longitude": "long",
    },
}
#: field → pattern of the dated 2025-style names (any boundary year: ``lad24cd``, ``lad26cd``)
DATED: dict[str, str] = {
    "county": r"cty(\d{2})cd",
    "district": r"lad(\d{2})cd",
    "region": r"rgn(\d{2})cd",
    "country": r"ctry(\d{2})cd",
    "lep1": r"lep(\d{2})cd1",
    "lep2": r"lep(\d{2})cd2",
}
REQUIRED: tuple[str, ...] = ("postcode", "terminated", "county", "district", "region")
REQUIRED += ("country", "latitude", "longitude")
#: missing from some editions (LEPs were wound up in 2024): their absence is a warning
OPTIONAL = ("lep1", "lep2")


def is_pseudo(code: str) -> bool:
    """ONS's pseudo-codes stand for "no such area here" (``E99999999``, ``S99999999`` …)."""
    return code[1:] == "99999999"


_GEOGRAPHY = "GSS code; `{0}99999999` pseudo-codes (no such area) are stored as none"

ONSPD_SPEC = FileSpec(
    columns=(
        Column(
            "pcds",
            "code",
            "postcode, one space between outward and inward code (`SW1A 1AA`); NSPL and older "
            "editions: `pcd` (7 characters) is read when `pcds` is absent",
            r"[A-Za-z]{1,2}[0-9][A-Za-z0-9]? ?[0-9][A-Za-z]{2}",
            blank=False,
        ),
        Column(
            "doterm",
            "code",
            "year and month the postcode was terminated (YYYYMM); blank for a live postcode. "
            "Terminated postcodes are not loaded",
            YEAR_MONTH,
        ),
        Column(
            "oscty",
            "code",
            "county (upper tier of a two-tier area); NSPL: `cty`. " + _GEOGRAPHY.format("E"),
            CODE,
        ),
        Column(
            "oslaua",
            "code",
            "local authority district or unitary authority; NSPL: `laua`",
            CODE,
        ),
        Column("rgn", "code", "English region (E12…); " + _GEOGRAPHY.format("W/S/N"), CODE),
        Column("ctry", "code", "country (E92000001 England, W92…, S92…, N92…)", CODE),
        Column(
            "lep1",
            "code",
            "Local Enterprise Partnership (E37…); optional column. " + _GEOGRAPHY.format("E"),
            CODE,
        ),
        Column("lep2", "code", "second LEP where LEPs overlapped; optional column", CODE),
        Column(
            "lat",
            "number",
            "latitude of the postcode's centroid (WGS84)",
            unit="degrees",
            symbols=(("99.999999", "no grid reference (stored as none)"),),
        ),
        Column("long", "number", "longitude of the postcode's centroid (WGS84)", unit="degrees"),
    ),
    key=("pcds",),
    loader_checks=True,
    notes=(
        "ONS Postcode Directory (`Data/ONSPD_<MON>_<YEAR>_UK.csv`) or National Statistics "
        "Postcode Lookup (`Data/NSPL_<MON>_<YEAR>_UK.csv`), as published: lower-case headers "
        "(any case accepted), values quoted, one row per postcode live or terminated. Only the "
        "columns above are read, in column batches (the full file has about 2.7 million rows "
        "and 50 columns); terminated postcodes (`doterm` set) are dropped and the live ones "
        "stored without spaces (`SW1A1AA`). Every value read is checked: a code that is not a "
        "GSS code, a coordinate that is not a number or a live postcode listed twice is an "
        "error; so are malformed postcodes, unless fewer than 1 live row in 10,000 has one "
        "(those rows are skipped with a warning). Exactly one directory file may be present. "
        "The names files of `Documents/` (`LA_UA names and codes UK as at <MM_YY>.csv`, "
        "`County …`, `Region …`, `LEP …`, `Country …`: a `<XX><YY>CD` and a `<XX><YY>NM` "
        "column) are read when present: local authorities are matched to the areas the API "
        "knows by name, so without them a postcode resolves to its LEP or region. With this "
        "dataset loaded, the API takes a postcode wherever it takes an area."
    ),
)

#: the column headers of a names file: ``LAD23CD``, ``LAD23NM`` (any case)
NAMES_CODE = r"[A-Za-z_]+[0-9]{2}[Cc][Dd]"
NAMES_NAME = r"[A-Za-z_]+[0-9]{2}[Nn][Mm]"
NAMES_SPEC = FileSpec(
    columns=(
        Column("<XX><YY>CD", "code", "GSS code (`LAD23CD`, `CTY23CD`, `RGN20CD` …)", CODE),
        Column("<XX><YY>NM", "text", "the area's name (`LAD23NM` …)"),
    ),
    notes=(
        "A names file of the ONSPD / NSPL `Documents/` folder; other columns (Welsh names "
        "`…NMW`) are ignored. Read as UTF-8, or Windows-1252 when it is not UTF-8."
    ),
    loader_checks=True,
)
