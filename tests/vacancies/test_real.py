"""Advert titles coded by the real coding indexes (skipped without the official files), and the
demo: a synthetic release with the synthetic feed says so everywhere."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from lmi.search.coder import load_coders
from lmi.settings import Settings
from lmi.store import Database, ReleaseStore, migrate
from lmi.synth.demo import CLASSIFICATIONS, build_demo_release
from lmi.vacancies.coding import AdvertCoder
from lmi.vacancies.model import RawAdvert, normalise
from lmi.vacancies.pipeline import open_pipeline
from lmi.vacancies.synthetic import SyntheticFeed
from lmi.web import create_app


@pytest.mark.parametrize(
    ("title", "category", "soc2010", "soc2020"),
    [
        ("snr java dev - London", "IT Jobs", "2136", "2134"),
        ("HGV Class 1 Driver (Nights)", "", "8211", "8211"),
        ("Registered Nurse - Band 5", "Healthcare & Nursing Jobs", "2231", "2237"),
        ("Care Assistant | £12.50/hr", "", "6145", "6135"),
        ("Chef de Partie - Leeds", "Hospitality & Catering Jobs", "5434", "5434"),
    ],
)
def test_real_coder_codes_advert_titles(
    real_release_db: Database, title: str, category: str, soc2010: str, soc2020: str
) -> None:
    release = ReleaseStore(real_release_db).production()
    assert release is not None
    coder = AdvertCoder(load_coders(real_release_db, release.id), release.id)
    codes = coder.code(normalise(RawAdvert("f", "1", title, category=category), date.today()))
    assert (codes["soc2010"].code, codes["soc2020"].code) == (soc2010, soc2020)
    assert codes["soc2010"].status == "coded"


def test_demo_adverts_are_labelled_synthetic(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'lmi.sqlite'}")
    migrate(db)
    build_demo_release(db, datasets=CLASSIFICATIONS)  # the SOC indexes code the adverts
    settings = Settings.from_env({}, release_poll_seconds=0, data_dir=tmp_path)
    result = open_pipeline(db, settings).pull([SyntheticFeed(count=300)])
    assert result.ok and result.feeds[0].counts.new == 300
    with TestClient(create_app(settings, db=db)) as client:
        body = client.get("/v1/vacancies?limit=5").json()
        assert body["meta"]["provenance"][0]["method"] == "synthetic"
        for item in body["data"]["adverts"]:
            assert item["provenance"]["method"] == "synthetic"
            assert item["title"].endswith("(synthetic)")
            assert item["link"].startswith("https://example.org/")
            assert "[email removed]" in item["summary"] and "[phone removed]" in item["summary"]
        counts = client.get("/v1/vacancies/counts?weeks=8").json()
        assert counts["meta"]["provenance"][0]["method"] == "synthetic"
        compat = client.get("/api/v1/vacancies/search?limit=3")
        assert compat.headers["x-lmi-method"] == "synthetic" and len(compat.json()) == 3
