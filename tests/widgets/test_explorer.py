"""The try-it explorer on /docs in headless Chromium: it calls the API from the page, offline."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlparse
from urllib.request import urlopen

import pytest

pytestmark = pytest.mark.browser


@pytest.fixture
def docs(browser: Any, lmi_server: str) -> Iterator[tuple[Any, list[str], list[str]]]:
    """The /docs page once its explorer is ready, with every URL it requested and its errors."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    requested: list[str] = []
    errors: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{lmi_server}/docs")
    page.wait_for_selector("html[data-explorer=ready]")
    yield page, requested, errors
    context.close()


def _unit_group(lmi_server: str) -> str:
    with urlopen(f"{lmi_server}/v1/occupations?soc=2010&level=unit_group") as answer:
        code: str = json.load(answer)["data"][0]["code"]
    return code


def _send(section: Any) -> str:
    section.locator("details.try-it > summary").click()
    section.locator("button[type=submit]").click()
    status = section.locator(".status")
    status.and_(section.locator(".status.ok, .status.bad")).wait_for()
    return str(status.text_content())


def test_every_endpoint_gets_a_try_it_form(docs: tuple[Any, list[str], list[str]]) -> None:
    page, requested, errors = docs
    sections = page.locator("section.endpoint").count()
    assert sections > 50
    assert page.locator("section.endpoint details.try-it").count() == sections
    assert errors == []
    # offline: every asset and call stays on this server (no CDN)
    assert {urlparse(url).netloc for url in requested} == {urlparse(page.url).netloc}


def test_calls_an_occupation_from_the_page(
    docs: tuple[Any, list[str], list[str]], lmi_server: str
) -> None:
    page, _, errors = docs
    code = _unit_group(lmi_server)
    section = page.locator("section#get_occupation")
    section.locator("details.try-it > summary").click()
    section.locator("select[name=version]").select_option("soc2010")
    section.locator("input[name=code]").fill(code)
    section.locator("button[type=submit]").click()
    section.locator(".status.ok").wait_for()
    assert section.locator(".status").text_content().startswith("200")
    body = json.loads(section.locator("pre.body").text_content())
    assert body["ok"] is True and body["data"]["code"] == code
    assert body["meta"]["provenance"][0]["method"] in ("observed", "modelled", "synthetic")
    assert f"/v1/occupations/soc2010/{code}" in section.locator("pre.curl").text_content()
    assert "etag:" in section.locator("pre.headers").text_content()
    assert errors == []


def test_search_with_its_example_then_a_bad_parameter(
    docs: tuple[Any, list[str], list[str]],
) -> None:
    page, _, _ = docs
    section = page.locator("section#search_occupations")
    query = section.locator("input[name=q]")
    assert query.input_value() == "software developer"  # prefilled from the example URL
    assert _send(section).startswith("200")
    results = json.loads(section.locator("pre.body").text_content())["data"]
    assert results["query"] == "software developer" and isinstance(results["results"], list)
    section.locator("input[name=limit]").fill("0")
    section.locator("button[type=submit]").click()
    section.locator(".status.bad").wait_for()
    assert section.locator(".status").text_content().startswith("400")
    error = json.loads(section.locator("pre.body").text_content())
    assert error["ok"] is False and error["errors"][0]["parameter"] == "limit"


def test_a_missing_path_parameter_is_named_not_sent(
    docs: tuple[Any, list[str], list[str]],
) -> None:
    page, requested, _ = docs
    section = page.locator("section#get_children")
    section.locator("details.try-it > summary").click()
    section.locator("input[name=code]").fill("")
    before = len(requested)
    section.locator("button[type=submit]").click()
    assert section.locator(".status.bad").text_content() == "Fill in: code"
    assert len(requested) == before


def test_posts_a_json_body_where_an_endpoint_takes_one(
    docs: tuple[Any, list[str], list[str]],
) -> None:
    page, _, errors = docs
    section = page.locator("section#code_titles")
    section.locator("details.try-it > summary").click()
    body = section.locator("textarea.body-input")
    assert not body.is_visible()  # GET first: the body field shows only for POST
    section.locator("select.method-choice").select_option("POST")
    body.fill('["nurse", "care assistant"]')
    section.locator("button[type=submit]").click()
    section.locator(".status.ok").wait_for()
    answer = json.loads(section.locator("pre.body").text_content())
    assert [r["input"] for r in answer["data"]["results"]] == ["nurse", "care assistant"]
    assert "-X POST" in section.locator("pre.curl").text_content()
    assert errors == []
