"""The feeds a deployment has configured, from settings (keys read from files, never logged)."""

from __future__ import annotations

from pathlib import Path

from lmi.errors import ConfigurationError
from lmi.settings import Settings
from lmi.vacancies.connectors import AdzunaFeed, Feed, FileFeed, JobPostingFeed, ReedFeed
from lmi.vacancies.synthetic import SyntheticFeed

__all__ = ["FEED_NAMES", "configured_feeds", "describe_feeds"]

FEED_NAMES = ("adzuna", "reed", "jobposting", "files", "synthetic")


def _secret(path: Path, setting: str) -> str:
    try:
        value = path.read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise ConfigurationError(f"{setting}: cannot read {path} ({exc.strerror})") from None
    if not value:
        raise ConfigurationError(f"{setting}: {path} is empty")
    return value


def configured_feeds(settings: Settings, names: tuple[str, ...] = ()) -> list[Feed]:
    """The feeds settings enable (or those named; ``synthetic`` only when named)."""
    unknown = [n for n in names if n not in FEED_NAMES]
    if unknown:
        raise ConfigurationError(
            f"unknown feed {', '.join(unknown)}: choose from {', '.join(FEED_NAMES)}"
        )
    feeds: list[Feed] = []
    wanted = set(names) or set(FEED_NAMES) - {"synthetic"}
    if "adzuna" in wanted and (settings.vacancies_adzuna_key_file or "adzuna" in names):
        if not settings.vacancies_adzuna_app_id or not settings.vacancies_adzuna_key_file:
            raise ConfigurationError(
                "the adzuna feed needs LMI_VACANCIES_ADZUNA_APP_ID and "
                "LMI_VACANCIES_ADZUNA_KEY_FILE"
            )
        key = _secret(settings.vacancies_adzuna_key_file, "LMI_VACANCIES_ADZUNA_KEY_FILE")
        feeds.append(
            AdzunaFeed(
                settings.vacancies_adzuna_app_id,
                key,
                settings.vacancies_adzuna_url,
                settings.vacancies_adzuna_what,
            )
        )
    if "reed" in wanted and (settings.vacancies_reed_key_file or "reed" in names):
        if not settings.vacancies_reed_key_file:
            raise ConfigurationError("the reed feed needs LMI_VACANCIES_REED_KEY_FILE")
        key = _secret(settings.vacancies_reed_key_file, "LMI_VACANCIES_REED_KEY_FILE")
        feeds.append(ReedFeed(key, settings.vacancies_reed_url, settings.vacancies_reed_keywords))
    urls_file = settings.vacancies_jobposting_urls_file
    sitemap = settings.vacancies_jobposting_sitemap
    if "jobposting" in wanted and (urls_file or sitemap or "jobposting" in names):
        if urls_file is None and not sitemap:
            raise ConfigurationError(
                "the jobposting feed needs LMI_VACANCIES_JOBPOSTING_URLS_FILE or "
                "LMI_VACANCIES_JOBPOSTING_SITEMAP"
            )
        urls: list[str] = []
        if urls_file is not None:
            text = _secret(urls_file, "LMI_VACANCIES_JOBPOSTING_URLS_FILE")
            urls = [u.strip() for u in text.splitlines() if u.strip() and not u.startswith("#")]
        feeds.append(JobPostingFeed(urls, sitemap))
    if "files" in wanted and (settings.vacancies_files or "files" in names):
        if not settings.vacancies_files:
            raise ConfigurationError("the files feed needs LMI_VACANCIES_FILES")
        paths = [Path(p.strip()) for p in settings.vacancies_files.split(",") if p.strip()]
        missing = [str(p) for p in paths if not p.exists()]
        if missing:
            raise ConfigurationError(f"LMI_VACANCIES_FILES: no such file {', '.join(missing)}")
        feeds.append(FileFeed(paths))
    if "synthetic" in names:
        feeds.append(SyntheticFeed())
    return feeds


def describe_feeds(settings: Settings) -> list[dict[str, str]]:
    """Which feeds are configured, without secrets (for `lmi vacancies feeds` and /admin)."""
    out: list[dict[str, str]] = []
    if settings.vacancies_adzuna_key_file:
        out.append({"feed": "adzuna", "source": settings.vacancies_adzuna_url})
    if settings.vacancies_reed_key_file:
        out.append({"feed": "reed", "source": settings.vacancies_reed_url})
    if settings.vacancies_jobposting_urls_file or settings.vacancies_jobposting_sitemap:
        source = settings.vacancies_jobposting_sitemap or str(
            settings.vacancies_jobposting_urls_file
        )
        out.append({"feed": "jobposting", "source": source})
    if settings.vacancies_files:
        out.append({"feed": "files", "source": settings.vacancies_files})
    return out
