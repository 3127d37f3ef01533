"""Format specifications of the ESS 2017 files (validator and docs/datasets.md)."""

from __future__ import annotations

from lmi.checks.spec import Column, FileSpec

__all__ = ["INDEX_SPEC", "LEA_SPEC", "LONG_SPEC", "SHEETS", "SYMBOLS"]

#: sheets read → (stored column, whether it is a base table read for its shares)
SHEETS: dict[str, str] = {
    "T7": "employment",
    "T54": "vacancies",
    "T56": "htf",
    "T63": "ssv",
    "53": "skills_gaps",
    "3": "n_employing",
    "20": "n_vacancies",
    "25": "n_htf",
}
#: words each sheet's title must contain (a renumbered workbook is caught, not misread)
TITLE_WORDS: dict[str, tuple[str, ...]] = {
    "T7": ("employment by occupation",),
    "T54": ("vacancies by occupation",),
    "T56": ("hard-to-fill vacancies by occupation",),
    "T63": ("skill-shortage vacancies by occupation",),
    "53": ("not fully proficient by occupation",),
    "3": ("employment by occupation",),
    "20": ("vacancies by occupation",),
    "25": ("hard-to-fill vacancies by occupation",),
}

SYMBOLS = (
    ("**", "suppressed: fewer than 30 establishments in the column's unweighted base (ESS Notes)"),
    ("*%", "share above zero but below 0.5 % (IFF convention; the count beside it is published)"),
)

LONG_SPEC = FileSpec(
    columns=(
        Column(
            "sheet", "code", "sheet of the ESS 2017 LEP workbook", r"T?\d{1,3}[A-Z]?X?", blank=False
        ),
        Column(
            "row_label",
            "text",
            "row label (an occupation, 'Total', 'Unweighted row', …)",
            blank=False,
        ),
        Column(
            "row_kind",
            "code",
            "value: the labelled row; column_share: the unlabelled share row under it",
            values=("value", "column_share"),
            blank=False,
        ),
        Column(
            "area_type",
            "code",
            "england_total, lep, or other_column (cross-tab sheets whose columns are categories)",
            values=("england_total", "lep", "other_column"),
            blank=False,
        ),
        Column(
            "column_heading",
            "text",
            "England total ('Total'), a LEP (2017 geography) or a category",
            blank=False,
        ),
        Column(
            "value",
            "number",
            "weighted count, unweighted base ('Unweighted row') or proportion 0–1 (share rows)",
            unit="establishments, staff, vacancies or proportion",
            symbols=SYMBOLS,
            blank=False,
        ),
    ),
    min_rows=100,
    notes=(
        "Every standard-layout table of `ESS_2017_England_LEP_Standard_Tables_Controlled_v03.01"
        ".xlsx` (DfE / IFF Research, 2018) stacked long: columns England total + 39 LEPs (2017 "
        "geography, Northamptonshire has no sample). Read: T7 employment, T54 vacancies, T56 "
        "hard-to-fill and T63 skill-shortage vacancies, 53 staff not fully proficient (counts by "
        "occupation), and the establishment tables 3, 20 and 25 whose `Unweighted row` times an "
        "occupation's weighted share estimates the establishments behind that occupation's "
        "figures. Occupations are the 9 SOC 2010 major groups with ESS labels, plus "
        "'Unclassified staff'. A few other sheets (e.g. 44) repeat a row label in another "
        "section, so the file has no unique key; in the sheets read, sheet + row label + row "
        "kind + column is unique."
    ),
)

INDEX_SPEC = FileSpec(
    columns=(
        Column("sheet", "code", "sheet name", r"T?\d{1,3}[A-Z]?X?", blank=False),
        Column("table_ref", "text", "IFF table reference (e.g. 'Table T56/ 1')", blank=False),
        Column("table_title", "text", "question and title", blank=True),
        Column("base", "text", "the table's base ('Base: All vacancies')", blank=True),
    ),
    key=("sheet",),
    min_rows=8,
    notes="One row per sheet of the LEP workbook converted to the long table.",
)

LEA_SPEC = FileSpec(
    columns=(),
    format="xlsx",
    notes=(
        "`ESS_2017_England_LEA_Standard_Tables_Controlled_v03.01.xlsx` (optional): the same "
        "84 sheets, columns England `Total` + 152 local education authorities (upper-tier "
        "local authorities) + 'Not in England'. Each table sheet: title lines, a row with "
        "`LEA` above the area headings, the heading row (`Total` in column B), then label rows "
        "(`Unweighted row`, `Total`, occupations) each followed by an unlabelled share row, "
        "ending at 'Tables produced by IFF'. Same sheets and symbols as the long table. "
        "Regions are summed from these columns."
    ),
)
