"""Formats of the Census 2021 bulk CSV files (ONS / Nomis "census2021-tsNNN-<level>.csv").

Each file: one row per area, columns ``date``, ``geography``, ``geography code``, then one
column per category headed ``<Topic>: <category>``, the first being ``<Topic>: Total: All usual
residents aged 16 years and over in employment the week before the census``.
"""

from __future__ import annotations

from lmi.checks.spec import Column, FileSpec

__all__ = ["DISTANCE", "LEVELS", "OCCUPATION", "Topic", "spec_of"]

#: geography level of a bulk file → what it holds
LEVELS = {
    "ctry": "countries",
    "rgn": "English regions",
    "utla": "upper-tier local authorities",
    "ltla": "lower-tier local authorities",
}
TOTAL = "Total: All usual residents aged 16 years and over in employment the week before the census"


class Topic:
    def __init__(self, code: str, name: str, categories: dict[str, str]) -> None:
        self.code = code
        self.name = name
        #: category code → label as in the column heading (after "<name>: ")
        self.categories = categories

    def heading(self, category: str) -> str:
        return f"{self.name}: {self.categories[category]}"

    @property
    def headings(self) -> dict[str, str]:
        return {self.heading(c): c for c in self.categories}


OCCUPATION = Topic(
    "ts063",
    "Occupation (current)",
    {
        "all": TOTAL,
        "1": "1. Managers, directors and senior officials",
        "2": "2. Professional occupations",
        "3": "3. Associate professional and technical occupations",
        "4": "4. Administrative and secretarial occupations",
        "5": "5. Skilled trades occupations",
        "6": "6. Caring, leisure and other service occupations",
        "7": "7. Sales and customer service occupations",
        "8": "8. Process, plant and machine operatives",
        "9": "9. Elementary occupations",
    },
)
DISTANCE = Topic(
    "ts058",
    "Distance travelled to work",
    {
        "all": TOTAL,
        "lt2": "Less than 2km",
        "2-5": "2km to less than 5km",
        "5-10": "5km to less than 10km",
        "10-20": "10km to less than 20km",
        "20-30": "20km to less than 30km",
        "30-40": "30km to less than 40km",
        "40-60": "40km to less than 60km",
        "60+": "60km and over",
        "home": "Works mainly from home",
        "other": "Works mainly at an offshore installation, in no fixed place, or outside the UK",
    },
)


def spec_of(topic: Topic, level: str) -> FileSpec:
    return FileSpec(
        columns=(
            Column("date", "integer", "census year", r"2021", blank=False),
            Column("geography", "text", "area name", blank=False),
            Column(
                "geography code",
                "code",
                f"GSS code of one of the {LEVELS[level]}",
                r"[EWKNS]\d{8}",
                blank=False,
            ),
        ),
        key=("geography code",),
        read_by_form=r".+: .+",  # one column per category, `<topic>: <category>`
        notes=(
            f"Census 2021 {topic.code.upper()} ({topic.name}) bulk file for {LEVELS[level]}, "
            "as downloaded from ONS / Nomis: one row per area; counts of usual residents "
            "aged 16+ in employment the week before the census, after ONS's cell-key "
            "perturbation (categories may not sum exactly to the total). Then one column per "
            "category, headed `<topic>: <category>` (the topic wording is not relied on): "
            + "; ".join(f"`{label}`" for label in topic.categories.values())
            + ". The loader matches categories by label (case and punctuation ignored) and "
            "reports a missing one as an error."
        ),
    )
