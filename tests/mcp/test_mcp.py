"""``lmi mcp`` tested with the MCP SDK's own client, against a live lmi on loopback.

The MCP server runs as a real process over stdio and over streamable HTTP, and in-process for
the per-tool checks; its tools reach lmi over HTTP through lmi-client in every case.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from lmi.mcp import build_server
from lmi.mcp.answers import flag_counts
from lmi.mcp.server import TOOLS
from mcp import Client, StdioServerParameters
from tests.client.conftest import Live, run_async
from tests.widgets.conftest import free_port

ROOT = Path(__file__).resolve().parents[2]


def _env() -> dict[str, str]:
    """This interpreter's environment with lmi and lmi-client importable in a child process."""
    paths = [str(ROOT / "src"), str(ROOT / "clients" / "python" / "src"), str(ROOT)]
    existing = os.environ.get("PYTHONPATH")
    return {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([*paths, *([existing] if existing else [])]),
    }


async def _call(target: Any, tool: str, arguments: dict[str, Any]) -> Any:
    async with Client(target) as client:
        return await client.call_tool(tool, arguments)


def call(target: Any, tool: str, **arguments: Any) -> Any:
    return run_async(_call(target, tool, arguments))


def answer_of(result: Any) -> dict[str, Any]:
    assert not result.is_error, result.content
    structured: dict[str, Any] = result.structured_content
    return structured


def assert_attributed(answer: dict[str, Any]) -> None:
    """Every answer names its release, its sources and their method, and its quality flags."""
    assert answer["release"]["id"] >= 1
    assert answer["provenance"], answer
    for item in answer["provenance"]:
        assert item["source"] and item["method"] in ("observed", "modelled", "synthetic")
    assert "flags" in answer["quality"] and "synthetic" in answer["quality"]["note"]
    assert isinstance(answer["synthetic"], bool)
    assert answer["sources"] and all(
        url.startswith("http://127.0.0.1:") for url in answer["sources"]
    )


# -- over real transports ----------------------------------------------------------------------


def test_stdio_lists_every_tool_and_answers_a_search(live: Live) -> None:
    params = StdioServerParameters(
        command=sys.executable, args=["-m", "lmi", "mcp", "--api", live.url], env=_env()
    )

    async def session() -> tuple[list[str], Any]:
        async with Client(params) as client:
            tools = await client.list_tools()
            occupations = await client.call_tool("search_job_titles", {"title": "manager"})
            return [t.name for t in tools.tools], occupations

    names, result = run_async(session())
    assert names == list(TOOLS)
    answer = answer_of(result)
    assert_attributed(answer)
    assert answer["data"]["query"] == "manager"


@pytest.fixture
def http_mcp(live: Live, tmp_path: Path) -> Iterator[str]:
    port = free_port()
    log = tmp_path / "mcp.log"
    with log.open("wb") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "lmi", "mcp", "--api", live.url, "--transport", "http"]
            + ["--port", str(port)],
            env=_env(),
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError(f"lmi mcp did not start: {log.read_text()}") from None
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}/mcp"
    finally:
        process.terminate()
        process.wait(10)


def test_http_transport_answers_an_occupation_and_names_lmi_errors(
    http_mcp: str, live: Live
) -> None:
    from lmi_client import LMI

    with LMI(live.url) as lmi:
        code = lmi.get("/v1/occupations", soc="2020", level="unit_group").data[0]["code"]
    answer = answer_of(call(http_mcp, "occupation_profile", code=code))
    assert_attributed(answer)
    assert answer["data"]["code"] == code
    missing = call(http_mcp, "occupation_profile", code="9999")
    assert missing.is_error and "lmi answered 404" in missing.content[0].text


# -- each tool, in-process (same client, no subprocess) --------------------------------------


@pytest.fixture(scope="module")
def mcp_server(live: Live) -> Any:
    return build_server(live.url)


def test_coding_keeps_input_order(mcp_server: Any) -> None:
    answer = answer_of(call(mcp_server, "code_job_titles", titles=["manager", "zzzz qqq"]))
    assert_attributed(answer)
    assert [r["input"] for r in answer["data"]["results"]] == ["manager", "zzzz qqq"]


def test_pathways_from_a_subject_name_or_code(mcp_server: Any, live: Live) -> None:
    by_name = answer_of(call(mcp_server, "pathways_from_subject", subject="nursing"))
    by_code = answer_of(call(mcp_server, "pathways_from_subject", subject="CAH02-04"))
    for answer in (by_name, by_code):
        assert_attributed(answer)
        assert answer["data"]["subject"]["code"] == "02-04"
    unknown = call(mcp_server, "pathways_from_subject", subject="underwater basket weaving")
    assert unknown.is_error and "CAH code" in unknown.content[0].text


def test_release_info_is_the_served_release(mcp_server: Any, live: Live) -> None:
    from lmi_client import LMI

    answer = answer_of(call(mcp_server, "release_info"))
    with LMI(live.url) as lmi:
        assert answer["release"]["id"] == lmi.release_info().release_id


def test_pay_names_an_unknown_region_and_a_dataset_not_loaded(mcp_server: Any) -> None:
    unknown = call(mcp_server, "pay_and_hours", code="2134", region="Atlantis")
    assert unknown.is_error and "London" in unknown.content[0].text  # the regions it knows
    absent = call(mcp_server, "pay_and_hours", code="2134", region="London")
    assert absent.is_error and "ashe" in absent.content[0].text  # the fixture has no ASHE


def test_outlook_and_skills_say_which_dataset_is_missing(mcp_server: Any) -> None:
    outlook = call(mcp_server, "outlook", code="2134")
    assert outlook.is_error and "working_futures" in outlook.content[0].text
    skills = call(mcp_server, "skills_and_related_jobs", code="2134")
    assert skills.is_error and "O*NET" in skills.content[0].text


def test_a_pinned_server_refuses_another_release(live: Live) -> None:
    pinned = build_server(live.url, release=10_000)
    refused = call(pinned, "release_info")
    assert refused.is_error and "10000" in refused.content[0].text


def test_flag_counts_summarise_every_figure() -> None:
    data = {
        "series": [
            {"year": 1, "value": 10, "status": "ok", "quality": "precise", "method": "observed"},
            {"year": 2, "value": None, "status": "suppressed_quality", "quality": "none"},
            {"year": 3, "value": 12, "status": "ok", "quality": "precise", "method": "observed"},
        ],
        "nested": [{"inner": {"value": 1, "status": "caution", "method": "modelled"}}],
    }
    assert flag_counts(data) == [
        {"status": "ok", "quality": "precise", "method": "observed", "figures": 2},
        {"status": "suppressed_quality", "quality": "none", "method": "None", "figures": 1},
        {"status": "caution", "quality": "None", "method": "modelled", "figures": 1},
    ]


# -- the real release: the question from the issue --------------------------------------------


@pytest.mark.realdata
def test_median_pay_of_software_developers_in_london(real_live: Live) -> None:
    server = build_server(real_live.url)
    found = answer_of(call(server, "search_job_titles", title="software developer"))
    code = found["data"]["results"][0]["code"]
    answer = answer_of(call(server, "pay_and_hours", code=code, region="London"))
    assert_attributed(answer)
    served = [p for p in answer["data"]["pay"]["series"] if p["value"] is not None]
    assert served and all(p["status"] in ("ok", "caution") for p in served)
    assert answer["data"]["pay"]["region"] == 1 and answer["quality"]["flags"]
