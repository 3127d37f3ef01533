"""Two more real LMI for All clients played against lmi over HTTP (issue 17).

1. The National Careers Service importer (SkillsFundingAgency/dfc-api-lmi-import,
   ``LmiSocImportService``): for each SOC, ``soc/code``, ``wf/predict`` for this year and for
   this year + 6, ``wf/replacement_demand`` and the qualification, region and industry
   breakdowns of ``wf/predict`` for this year, each body deserialised by Newtonsoft.Json into
   its C# models (``LmiApiData/*.cs``); a non-2xx answer becomes ``null`` (``ApiConnector``).
   The SOCs are imported concurrently, as the orchestrator fans them out.
2. A Vue occupations dashboard that awaits 13 calls together (``Promise.all``): one 4xx and
   the page shows nothing. Here ``asyncio.gather``, each body parsed by the strict
   (Swift ``Codable``-like) models of :mod:`tests.api.compat_models`.

Both run against lmi under uvicorn on a free port (the demo release: every dataset but the
postcode directory), through the standard library's HTTP client in worker threads.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import types
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, Union, get_args, get_origin, get_type_hints

import pytest
from tests.api.compat_models import (
    AnnualChanges,
    Breakdown,
    Courses,
    Ess,
    Hours,
    Pay,
    Prediction,
    ReplacementOrNone,
    SocInfo,
    Unemployment,
    decode,
)


class JsonSerializationError(AssertionError):
    """What ``JsonConvert.DeserializeObject`` throws."""

    body: Any = None


def newtonsoft(model: Any, value: Any, where: str = "$") -> Any:
    """Deserialise ``value`` as Newtonsoft.Json does into C# ``model``.

    Properties match JSON keys case-insensitively; a missing key leaves the C# default (0 for
    ``int``/``decimal``, null for reference types); ``null`` into ``int``/``decimal`` (not
    ``int?``) throws; a string that is not a number into a number throws; a fraction into an
    ``int`` throws; unknown keys are ignored. Reference types (``string``, ``List<T>``,
    classes) take ``null``: ``str | None`` etc. below.
    """
    origin = get_origin(model)
    if origin in (Union, types.UnionType):
        (inner,) = [o for o in get_args(model) if o is not type(None)]
        return None if value is None else newtonsoft(inner, value, where)
    if value is None:
        raise JsonSerializationError(f"{where}: Error converting value {{null}} to {model}")
    if origin is list:
        if not isinstance(value, list):
            raise JsonSerializationError(f"{where}: cannot deserialise an object into a List")
        (item,) = get_args(model)
        return [newtonsoft(item, v, f"{where}[{i}]") for i, v in enumerate(value)]
    if dataclasses.is_dataclass(model):
        if not isinstance(value, dict):
            raise JsonSerializationError(f"{where}: cannot deserialise {value!r} into {model}")
        keys = {k.lower(): k for k in value}
        hints = get_type_hints(model)
        found = {}
        for f in dataclasses.fields(model):
            key = keys.get(f.name.lower())
            if key is None:
                found[f.name] = _default(hints[f.name])
            else:
                found[f.name] = newtonsoft(hints[f.name], value[key], f"{where}.{key}")
        return model(**found)
    if model is int:
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise JsonSerializationError(f"{where}: cannot convert {value!r} to Int32")
        try:
            number = Decimal(str(value))
        except ArithmeticError:
            raise JsonSerializationError(
                f"{where}: could not convert {value!r} to integer"
            ) from None
        if number != number.to_integral_value():
            raise JsonSerializationError(f"{where}: {value!r} is not a valid integer")
        return int(number)
    if model is Decimal:
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise JsonSerializationError(f"{where}: cannot convert {value!r} to Decimal")
        try:
            return Decimal(str(value))
        except ArithmeticError:
            raise JsonSerializationError(
                f"{where}: could not convert {value!r} to decimal"
            ) from None
    if model is str:
        if isinstance(value, dict | list):
            raise JsonSerializationError(f"{where}: unexpected token reading a string")
        return str(value)
    raise TypeError(f"no rule for {model}")


def _default(model: Any) -> Any:
    return 0 if model is int else Decimal(0) if model is Decimal else None


def test_the_newtonsoft_rules_can_fail() -> None:
    """The rules must be able to fail, or the importer test would pass on anything."""
    with pytest.raises(JsonSerializationError, match="null"):
        newtonsoft(LmiReplacementDemandModel, {"soc": 1, "rate": None})
    with pytest.raises(JsonSerializationError, match="integer"):
        newtonsoft(LmiBreakdownYearValueModel, {"code": "A", "employment": 1})
    assert newtonsoft(LmiReplacementDemandModel, {"Soc": 1}).rate == 0  # missing: the default
    assert newtonsoft(LmiBreakdownYearValueModel, {"code": 2.0, "employment": "3"}).code == 2


# -- the importer's models (DFC.Api.Lmi.Import/Models/LmiApiData/*.cs) --------------------------


@dataclass
class LmiSocDatasetModel:
    soc: int
    title: str | None
    description: str | None
    qualifications: str | None
    tasks: str | None
    add_titles: list[str] | None  # [JsonProperty("add_titles")] AdditionalTitles


@dataclass
class LmiPredictedYearModel:
    year: int
    employment: Decimal


@dataclass
class LmiPredictedModel:
    soc: int
    predictedEmployment: list[LmiPredictedYearModel] | None


@dataclass
class LmiReplacementDemandModel:
    soc: int
    start_year: int
    end_year: int
    rate: Decimal


@dataclass
class LmiBreakdownYearValueModel:
    code: int
    note: str | None
    name: str | None
    employment: Decimal


@dataclass
class LmiBreakdownYearModel:
    year: int
    breakdown: list[LmiBreakdownYearValueModel] | None


@dataclass
class LmiBreakdownModel:
    soc: int
    note: str | None
    breakdown: str | None
    predictedEmployment: list[LmiBreakdownYearModel] | None


#: LmiApiClientOptions.ApiCalls (2024)
API_CALLS = {
    "SocDetail": "soc/code/{soc}",
    "JobGrowth": "wf/predict?soc={soc}&minYear={minYear}&maxYear={maxYear}",
    "ReplacementDemand": "wf/replacement_demand?soc={soc}",
    "QualificationLevel": "wf/predict/breakdown/qualification?soc={soc}&minYear={minYear}"
    "&maxYear={minYear}",
    "EmploymentByRegion": "wf/predict/breakdown/region?soc={soc}&minYear={minYear}"
    "&maxYear={minYear}",
    "TopIndustriesInJobGroup": "wf/predict/breakdown/industry?soc={soc}&minYear={minYear}"
    "&maxYear={minYear}",
}


@dataclass
class Call:
    path: str
    status: int
    body: str | None


def _get(url: str) -> Call:
    request = urllib.request.Request(url, headers={"Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return Call(url, response.status, response.read().decode())
    except urllib.error.HTTPError as error:
        return Call(url, error.code, error.read().decode())


class Importer:
    """``LmiSocImportService.ImportAsync`` over ``ApiConnector`` (non-2xx → null content)."""

    def __init__(self, base: str, min_year: int, max_year: int) -> None:
        self.base, self.min_year, self.max_year = base + "/api/v1/", min_year, max_year
        self.calls: list[Call] = []
        #: replacement-demand bodies Newtonsoft could not read into ``decimal Rate``
        self.unread: list[dict[str, Any]] = []

    def uri(self, soc: int, low: int, high: int, query: str) -> str:
        template = API_CALLS[query]
        return self.base + template.format(soc=soc, minYear=low, maxYear=high)

    async def fetch(self, model: Any, url: str) -> Any:
        call = await asyncio.to_thread(_get, url)
        self.calls.append(call)
        if not 200 <= call.status < 300 or not call.body:
            return None
        body = json.loads(call.body)
        try:
            return newtonsoft(model, body)
        except JsonSerializationError as error:
            error.body = body
            raise

    async def import_soc(self, soc: int) -> dict[str, Any] | None:
        low, high = self.min_year, self.max_year
        dataset = await self.fetch(LmiSocDatasetModel, self.uri(soc, low, high, "SocDetail"))
        if dataset is None:
            return None
        growth = await self.fetch(LmiPredictedModel, self.uri(soc, low, low, "JobGrowth"))
        replacement: LmiReplacementDemandModel | None
        try:
            replacement = await self.fetch(
                LmiReplacementDemandModel, self.uri(soc, low, high, "ReplacementDemand")
            )
        except JsonSerializationError as error:
            self.unread.append(error.body)
            replacement = None
        found = {
            "dataset": dataset,
            "growth": growth,
            "replacement": replacement,
            **{
                name: await self.fetch(LmiBreakdownModel, self.uri(soc, low, low, name))
                for name in ("QualificationLevel", "EmploymentByRegion", "TopIndustriesInJobGroup")
            },
        }
        end = await self.fetch(LmiPredictedModel, self.uri(soc, high, high, "JobGrowth"))
        if growth is not None and growth.predictedEmployment is not None and end is not None:
            growth.predictedEmployment.extend(end.predictedEmployment or [])
        return found


def _socs(base: str, terms: tuple[str, ...]) -> list[int]:
    found: list[int] = []
    for term in terms:
        for item in json.loads(_get(f"{base}/api/v1/soc/search?q={term}&limit=3").body or "[]"):
            if item["soc"] not in found:
                found.append(item["soc"])
    return found


def test_national_careers_service_importer(demo_lmi_server: str) -> None:
    _import(demo_lmi_server)


def test_national_careers_service_importer_on_the_official_files(real_lmi_server: str) -> None:
    """The official files hold the APS unit-group × industry table (2021 on, not projected):
    the importer's call for this year is answered with no figures and a note; asked without
    years, the industry breakdown has figures, whose integer codes ``int Code`` must read."""
    assert _import(real_lmi_server) == set()  # this year: beyond the table, said in a note
    importer = Importer(real_lmi_server, 0, 0)
    codes: set[int] = set()
    for soc in _socs(real_lmi_server, ("software", "nurse", "chef")):
        url = f"{importer.base}wf/predict/breakdown/industry?soc={soc}"
        model = asyncio.run(importer.fetch(LmiBreakdownModel, url))
        assert model is not None and model.breakdown == "industry"
        for year in model.predictedEmployment or []:
            codes.update(item.code for item in year.breakdown or [])
    assert codes and all(type(code) is int and 1 <= code <= 21 for code in codes)


def _import(server: str) -> set[int]:
    """Run the importer over some occupations; the industry codes it read."""
    now = datetime.now(UTC).year  # LmiApiClientOptions: MinYear = this year, MaxYear = + 6
    importer = Importer(server, now, now + 6)
    socs = _socs(
        server,
        ("software", "nurse", "teacher", "chef", "electrician", "care", "sales", "driver"),
    )
    assert len(socs) >= 6

    async def run() -> list[dict[str, Any] | None]:
        return await asyncio.gather(*(importer.import_soc(soc) for soc in socs))

    imported = asyncio.run(run())
    industries: set[int] = set()
    refused = [(c.status, c.path) for c in importer.calls if c.status != 200]
    assert refused == []  # no call fell back to null content
    assert len(importer.calls) == 7 * len(socs)
    for soc, found in zip(socs, imported, strict=True):
        assert found is not None and found["dataset"].soc == soc and found["dataset"].title
        assert found["dataset"].add_titles is not None
        years = [y.year for y in found["growth"].predictedEmployment]
        held = [now, now + 6] if now + 6 <= 2035 else [now]  # WF years end in 2035
        assert years == held
        assert all(y.employment > 0 for y in found["growth"].predictedEmployment)
        for name, dim in (
            ("QualificationLevel", "qualification"),
            ("EmploymentByRegion", "region"),
            ("TopIndustriesInJobGroup", "industry"),
        ):
            model: LmiBreakdownModel = found[name]
            assert model.soc == soc and model.breakdown == dim
            for year in model.predictedEmployment or []:
                assert year.year == now
                codes = [item.code for item in year.breakdown or []]
                assert len(codes) == len(set(codes))  # ints a C# dictionary can key on
                if dim == "industry":
                    industries.update(codes)
        if found["replacement"] is not None:
            replacement: LmiReplacementDemandModel = found["replacement"]
            assert replacement.soc == soc and replacement.start_year < replacement.end_year
            assert replacement.rate > 0  # a figure, never a default 0
    for body in importer.unread:  # lmi's documented no-figure form, not a silent 0
        assert body["rate"] is None and body["error"] and body["note"]
    assert len(importer.unread) < len(socs)
    return industries


# -- a dashboard awaiting 13 calls together ----------------------------------------------------


def test_dashboard_awaiting_thirteen_calls_together(demo_lmi_server: str) -> None:
    api = demo_lmi_server + "/api/v1"
    (soc,) = _socs(demo_lmi_server, ("software",))[:1]
    calls = {
        f"soc/code/{soc}": SocInfo,
        f"ashe/estimatePay?soc={soc}": Pay,
        f"ashe/estimatePay?soc={soc}&breakdown=region": Pay,
        f"ashe/estimatePay?soc={soc}&breakdown=qualification": Pay,
        f"ashe/estimateHours?soc={soc}&breakdown=status": Hours,
        f"ashe/annualChanges?soc={soc}&filters=region%3A11": AnnualChanges,
        f"lfs/unemployment?soc={soc}&filterBy=gender:2": Unemployment,
        f"wf/predict?soc={soc}&minYear={2024}&maxYear={2030}": Prediction,
        f"wf/predict/breakdown/region?soc={soc}&minYear=2024&maxYear=2024": Breakdown,
        f"wf/predict/breakdown/status?soc={soc}": Breakdown,
        f"wf/replacement_demand?soc={soc}&minYear=2019": ReplacementOrNone,
        f"ess/uk/{soc}?coarse=true": Ess,
        f"hesa/courses/{soc}": Courses,
    }
    assert len(calls) == 13

    async def run() -> list[Call]:
        return await asyncio.gather(*(asyncio.to_thread(_get, f"{api}/{c}") for c in calls))

    answers = asyncio.run(run())
    assert [(a.status, a.path) for a in answers if a.status != 200] == []  # Promise.all resolves
    for (path, model), answer in zip(calls.items(), answers, strict=True):
        body = json.loads(answer.body or "null")
        decode(model, body)
        if path.startswith("ashe/annualChanges") or path.startswith("wf/replacement"):
            assert "note" in body  # data lmi does not hold: said, not refused
