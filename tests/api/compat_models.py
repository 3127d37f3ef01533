"""Strict client models of LMI for All's v1 answers, and the decoder that parses like them.

Each model is what a real client declared (C# Newtonsoft classes of the National Careers
Service importer, Swift ``Codable`` structs of the iOS apps, the Python recommender's asserts):
:func:`decode` parses a body the way those decoders do, and fails on a missing key, a ``null``
where the model has no optional, a string where a number is expected, or a float where an
``Int`` is (Swift refuses ``5.0`` for ``Int``; ``Double`` takes ``5``). Keys the model does not
declare are ignored, as both decoders do, so lmi's additive keys (``note``, ``fallback``,
``area_used``) must never break them.
"""

from __future__ import annotations

import dataclasses
import types
from dataclasses import dataclass
from typing import Any, Union, get_args, get_origin, get_type_hints


class ShapeError(AssertionError):
    """What a strict client would throw (JsonSerializationException, DecodingError)."""


def decode(model: Any, value: Any, where: str = "$") -> Any:
    """Parse ``value`` as ``model`` strictly (see the module docstring)."""
    origin = get_origin(model)
    if origin in (Union, types.UnionType):
        options = get_args(model)
        if value is None and type(None) in options:
            return None
        (inner,) = [o for o in options if o is not type(None)]
        return decode(inner, value, where)
    if value is None:
        raise ShapeError(f"{where}: null for non-optional {model}")
    if origin is list:
        if not isinstance(value, list):
            raise ShapeError(f"{where}: expected an array, got {type(value).__name__}")
        (item,) = get_args(model)
        return [decode(item, v, f"{where}[{i}]") for i, v in enumerate(value)]
    if origin is dict:
        if not isinstance(value, dict):
            raise ShapeError(f"{where}: expected an object")
        _, item = get_args(model)
        return {k: decode(item, v, f"{where}.{k}") for k, v in value.items()}
    if dataclasses.is_dataclass(model):
        if not isinstance(value, dict):
            raise ShapeError(f"{where}: expected an object, got {type(value).__name__}")
        hints = get_type_hints(model)
        found = {}
        for f in dataclasses.fields(model):
            optional = f.default is None
            if f.name not in value:
                if optional:
                    found[f.name] = None
                    continue
                raise ShapeError(f"{where}: missing key {f.name!r}")
            found[f.name] = decode(hints[f.name], value[f.name], f"{where}.{f.name}")
        return model(**found)
    if model is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ShapeError(f"{where}: expected Int, got {value!r}")
        return value
    if model is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ShapeError(f"{where}: expected Double, got {value!r}")
        return float(value)
    if model is str:
        if not isinstance(value, str):
            raise ShapeError(f"{where}: expected String, got {value!r}")
        return value
    if model is Any:
        return value
    raise TypeError(f"no decoder for {model}")


# -- models (as clients declared them) ---------------------------------------------------------


@dataclass
class SocInfo:  # NOCK, DFC LmiSocDatasetModel
    soc: int
    title: str
    description: str
    qualifications: str
    tasks: str
    add_titles: list[str]


@dataclass
class PayBreakdown:  # IOS / regional wage app: reads .region (or .gender …) and .estpay
    estpay: float
    region: int | None = None
    gender: int | None = None
    status: int | None = None
    qualification: int | None = None


@dataclass
class PayItem:
    year: int
    estpay: float
    breakdown: list[PayBreakdown] | None = None


@dataclass
class Pay:  # IOS, VUE, NOCK
    soc: int
    series: list[PayItem]


@dataclass
class HoursItem:
    year: int
    hours: float


@dataclass
class Hours:
    soc: int
    series: list[HoursItem]


@dataclass
class Change:
    year: int
    change: float


@dataclass
class AnnualChanges:  # VUE
    annual_changes: list[Change]


@dataclass
class Coding:
    code: int
    description: str


@dataclass
class FilterInfo:  # SWG13 LFSFilterInfo, IOS
    name: str
    description: str
    coding: list[Coding]


@dataclass
class Rate:
    year: int
    unemprate: float


@dataclass
class Unemployment:  # BOB, IOS (Swift: `years` declared non-optional by the app that indexes it)
    soc: int
    years: list[Rate]
    error: str | None = None


@dataclass
class Predicted:
    year: int
    employment: float


@dataclass
class Prediction:  # DFC LmiPredictedModel, TUT15
    soc: int
    predictedEmployment: list[Predicted]


@dataclass
class BreakdownItem:
    code: int
    name: str
    employment: float
    note: str | None = None


@dataclass
class BreakdownYear:
    year: int
    breakdown: list[BreakdownItem]


@dataclass
class Breakdown:  # DFC LmiBreakdownModel
    soc: int
    breakdown: str
    predictedEmployment: list[BreakdownYear]
    note: str | None = None


@dataclass
class Replacement:  # DFC LmiReplacementDemandModel
    soc: int
    start_year: int
    end_year: int
    rate: float


@dataclass
class RegionRef:
    name: str
    code: int


@dataclass
class Ess:  # VUE, DB13 (percentages may be null: C# double?)
    soc: int
    year: int
    percentHTF: float | None
    percentSSV: float | None
    percentHTFisSSV: float | None
    reliability: int


@dataclass
class EssRegion(Ess):  # C# essRegion template
    region: RegionRef | None = None


@dataclass
class EssPlace(Ess):  # lmi's addition: a LEP, local authority or postcode as ``region``
    region: dict[str, Any] | None = None


@dataclass
class Ranked:  # React/Rails apps: stop at soc == -1
    soc: int
    percentHTF: float | None


@dataclass
class OnetCode:
    code: str


@dataclass
class Soc2Onet:  # PY-REC
    soc: int
    onetCodes: list[OnetCode]


@dataclass
class SocRef:
    soc: int
    title: str


@dataclass
class Onet2Soc:  # BOB
    onetCode: str
    socCodes: list[SocRef]


@dataclass
class Element:
    id: str
    name: str
    value: float


@dataclass
class KnowledgeScale:
    id: str
    knowledge: list[Element]


@dataclass
class Knowledge:
    onetcode: str
    scales: list[KnowledgeScale]


@dataclass
class Course:
    name: str
    percentage: float


@dataclass
class CourseYear:  # LMI for All's year was "2011/12"
    year: str
    courses: list[Course]


@dataclass
class Courses:  # BOB
    years: list[CourseYear]


@dataclass
class Census:
    description: str
    percentage: float


@dataclass
class Residents:  # census Vue page
    totalResidents: int
    residentOccupations: list[Census]


@dataclass
class ReplacementOrNone:  # LmiReplacementDemandModel with `decimal? Rate`: lmi's no-figure form
    soc: int
    start_year: int
    end_year: int
    rate: float | None
    error: str | None = None


@dataclass
class MedianDeciles:  # DFCD JobProfileSalary: median double, deciles IDictionary<int, decimal>
    median: float
    deciles: dict[str, float | None]


@dataclass
class MedianDecilesOrNone:  # the same with `double? Median`: lmi's no-median form
    median: float | None
    deciles: dict[str, float | None]
    error: str | None = None


@dataclass
class JobsItem:
    description: str
    value: int
    percentage: float


@dataclass
class Jobs:  # census Vue page
    totalJobs: int
    jobsBreakdown: list[JobsItem]


@dataclass
class Distance:
    totalResidents: int
    distanceBreakdown: list[Census]


@dataclass
class Scale:
    id: str


@dataclass
class Scales:  # PY-REC, Ruby and C# harvesters take scales[0] after checking the count
    onetcode: str
    scales: list[Scale]


@dataclass
class Likely:
    likely_soc_codes: list[int]
    title: str


@dataclass
class ReverseMatch:  # PY-REC
    selection: dict[str, Any]
    results: list[Likely]


@dataclass
class Place:
    location: str


@dataclass
class Vacancy:  # ids 26967321762, 22197096071: title, company, summary, location, link
    title: str
    company: str
    summary: str
    location: Place
    link: str
