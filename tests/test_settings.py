from __future__ import annotations

import re
from pathlib import Path

import pytest

from lmi.errors import ConfigurationError
from lmi.settings import Settings

DOCS = Path(__file__).parents[1] / "docs" / "settings.md"


def test_defaults_and_sqlite_url() -> None:
    settings = Settings.from_env({})
    assert settings.port == 8000 and settings.workers == 1
    assert settings.effective_database_url.startswith("sqlite:///")
    assert settings.effective_database_url.endswith("var/lmi.sqlite")


def test_environment_values_are_cast() -> None:
    settings = Settings.from_env(
        {
            "LMI_PORT": "9001",
            "LMI_RELEASE_POLL_SECONDS": "0.5",
            "LMI_DEMO_WHEN_NO_SOURCE": "no",
            "LMI_SOURCE_DIR": "/data/lmi",
        }
    )
    assert settings.port == 9001 and settings.release_poll_seconds == 0.5
    assert settings.demo_when_no_source is False and settings.source_dir == Path("/data/lmi")


def test_overrides_win_over_environment() -> None:
    settings = Settings.from_env({"LMI_PORT": "9001"}, port=9002)
    assert settings.port == 9002


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("LMI_PORT", "eighty"),
        ("LMI_DEMO_WHEN_NO_SOURCE", "maybe"),
        ("LMI_RELEASE_POLL_SECONDS", "soon"),
    ],
)
def test_invalid_values_are_clear_errors(name: str, value: str) -> None:
    with pytest.raises(ConfigurationError, match=name):
        Settings.from_env({name: value})


def test_every_setting_is_documented() -> None:
    documented = set(re.findall(r"`(LMI_[A-Z_]+)`", DOCS.read_text()))
    assert set(Settings.documented()) <= documented
    assert DOCS.read_text() == Settings.markdown(), (
        "docs/settings.md is stale: run `lmi settings --markdown > docs/settings.md`"
    )


def test_datasets_doc_is_current() -> None:
    from lmi.cli.main import datasets_markdown

    doc = Path(__file__).parents[1] / "docs" / "datasets.md"
    assert doc.read_text() == datasets_markdown() + "\n", (
        "docs/datasets.md is stale: run `lmi data sources --markdown > docs/datasets.md`"
    )


def test_workers_zero_means_one_per_available_core(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1, 2}, raising=False)
    assert Settings.from_env({"LMI_WORKERS": "0"}).effective_workers == 3
    assert Settings.from_env({"LMI_WORKERS": "5"}).effective_workers == 5
    with pytest.raises(ConfigurationError, match="LMI_WORKERS must be 0"):
        _ = Settings.from_env({"LMI_WORKERS": "-1"}).effective_workers
