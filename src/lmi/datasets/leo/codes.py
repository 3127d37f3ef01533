"""Code lists of the LEO files: CAH2 subject names, English regions and SIC 2007 sections.

The DfE files name subjects, regions and industries rather than coding them. These are the
published names of three public classifications (CAH v1.3 level 2, ONS English regions
RGN23, SIC 2007 sections), mapped to their codes.
"""

from __future__ import annotations

__all__ = [
    "ALL_SUBJECTS",
    "CAH2_NAMES",
    "CAH2_OF_NAME",
    "REGION_OF_NAME",
    "SECTION_OF_NAME",
    "cah2_of",
]

#: the "all subjects" code (the LEO file's ``Total``, the dashboard's ``All``)
ALL_SUBJECTS = "all"

#: CAH2 code → name as DfE publishes it in LEO
CAH2_NAMES: dict[str, str] = {
    "01-01": "Medicine and dentistry",
    "02-02": "Pharmacology, toxicology and pharmacy",
    "02-04": "Nursing and midwifery",
    "02-05": "Medical sciences",
    "02-06": "Allied health",
    "03-01": "Biosciences",
    "03-02": "Sport and exercise sciences",
    "04-01": "Psychology",
    "05-01": "Veterinary sciences",
    "06-01": "Agriculture, food and related studies",
    "07-01": "Physics and astronomy",
    "07-02": "Chemistry",
    "07-04": "General, applied and forensic sciences",
    "09-01": "Mathematical sciences",
    "10-01": "Engineering",
    "10-03": "Materials and technology",
    "11-01": "Computing",
    "13-01": "Architecture, building and planning",
    "15-01": "Sociology, social policy and anthropology",
    "15-02": "Economics",
    "15-03": "Politics",
    "15-04": "Health and social care",
    "16-01": "Law",
    "17-01": "Business and management",
    "19-01": "English studies",
    "19-02": "Celtic studies",
    "19-04": "Languages and area studies",
    "20-01": "History and archaeology",
    "20-02": "Philosophy and religious studies",
    "22-01": "Education and teaching",
    "23-01": "Combined and general studies",
    "24-01": "Media, journalism and communications",
    "25-01": "Creative arts and design",
    "25-02": "Performing arts",
    "26-01": "Geography, earth and environmental studies",
}


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


#: normalised published name → CAH2 code (``all`` for the totals)
CAH2_OF_NAME: dict[str, str] = {
    **{_key(name): code for code, name in CAH2_NAMES.items()},
    "total": ALL_SUBJECTS,
    "all": ALL_SUBJECTS,
}


def cah2_of(name: str) -> str | None:
    """The CAH2 code (or ``all``) of a subject name as DfE publishes it, case-insensitive."""
    return CAH2_OF_NAME.get(_key(name))


#: English region name (DfE) → GSS RGN code
REGION_OF_NAME: dict[str, str] = {
    "North East": "E12000001",
    "North West": "E12000002",
    "Yorkshire and the Humber": "E12000003",
    "East Midlands": "E12000004",
    "West Midlands": "E12000005",
    "East of England": "E12000006",
    "London": "E12000007",
    "South East": "E12000008",
    "South West": "E12000009",
}

#: SIC 2007 section name as the DfE dashboard writes it (upper case, "-" for ";") → section
SECTION_OF_NAME: dict[str, str] = {
    "AGRICULTURE, FORESTRY AND FISHING": "A",
    "MINING AND QUARRYING": "B",
    "MANUFACTURING": "C",
    "ELECTRICITY, GAS, STEAM AND AIR CONDITIONING SUPPLY": "D",
    "WATER SUPPLY - SEWERAGE, WASTE MANAGEMENT AND REMEDIATION ACTIVITIES": "E",
    "CONSTRUCTION": "F",
    "WHOLESALE AND RETAIL TRADE - REPAIR OF MOTOR VEHICLES AND MOTORCYCLES": "G",
    "TRANSPORTATION AND STORAGE": "H",
    "ACCOMMODATION AND FOOD SERVICE ACTIVITIES": "I",
    "INFORMATION AND COMMUNICATION": "J",
    "FINANCIAL AND INSURANCE ACTIVITIES": "K",
    "REAL ESTATE ACTIVITIES": "L",
    "PROFESSIONAL, SCIENTIFIC AND TECHNICAL ACTIVITIES": "M",
    "ADMINISTRATIVE AND SUPPORT SERVICE ACTIVITIES": "N",
    "PUBLIC ADMINISTRATION AND DEFENCE - COMPULSORY SOCIAL SECURITY": "O",
    "EDUCATION": "P",
    "HUMAN HEALTH AND SOCIAL WORK ACTIVITIES": "Q",
    "ARTS, ENTERTAINMENT AND RECREATION": "R",
    "OTHER SERVICE ACTIVITIES": "S",
    "ACTIVITIES OF HOUSEHOLDS AS EMPLOYERS - UNDIFFERENTIATED GOODS-AND SERVICES-PRODUCING "
    "ACTIVITIES OF HOUSEHOLDS FOR OWN USE": "T",
    "ACTIVITIES OF EXTRATERRITORIAL ORGANISATIONS AND BODIES": "U",
    "NOT KNOWN": "NK",
}
