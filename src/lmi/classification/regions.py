"""The 12 UK countries and English regions, with the 1–12 codes LMI for All used.

LMI for All numbered ITL1 regions 1 London … 12 Northern Ireland (see
``shared/reference/lmiforall-v1-api.md`` §2). Names are those of the ONS ITL1 code list.
"""

from __future__ import annotations

__all__ = ["LMI_REGION_CODES", "LMI_REGION_NAMES"]

#: LMI for All region code → ITL1 (January 2021) code
LMI_REGION_CODES: dict[int, str] = {
    1: "TLI",  # London
    2: "TLJ",  # South East
    3: "TLH",  # East of England
    4: "TLK",  # South West
    5: "TLG",  # West Midlands
    6: "TLF",  # East Midlands
    7: "TLE",  # Yorkshire and The Humber
    8: "TLD",  # North West
    9: "TLC",  # North East
    10: "TLL",  # Wales
    11: "TLM",  # Scotland
    12: "TLN",  # Northern Ireland
}

#: LMI for All region code → its name (ONS ITL1), for filter codings
LMI_REGION_NAMES: dict[int, str] = {
    1: "London",
    2: "South East",
    3: "East of England",
    4: "South West",
    5: "West Midlands",
    6: "East Midlands",
    7: "Yorkshire and The Humber",
    8: "North West",
    9: "North East",
    10: "Wales",
    11: "Scotland",
    12: "Northern Ireland",
}
