"""`lmi data build --only`: reload one dataset, copy the others from production."""

from __future__ import annotations

from pathlib import Path

import pytest

from lmi.datasets import registry
from lmi.datasets.regions import REGIONS
from lmi.datasets.soc import SOC2010, SOC2020
from lmi.errors import ReleaseError
from lmi.etl import build_release
from lmi.etl.diff import diff_releases
from lmi.etl.reuse import plan_only
from lmi.store import Database, ReleaseStore
from tests.datasets.helpers import copy_fixture
from tests.soc_fixtures import write_soc_sources


def test_plan_follows_shared_tables_and_derived_datasets() -> None:
    load, copy = plan_only(["soc2010"], registry.DATASETS)
    names = [d.name for d in load]
    assert names[:2] == ["soc2010", "soc2020"]  # they share soc_groups
    assert "soc_crosswalks" in names and "onet_uk_soc" in names  # derived from them
    assert "regions" in [d.name for d in copy]
    load, _ = plan_only(["regions"], registry.DATASETS)
    assert [d.name for d in load] == ["regions"]
    with pytest.raises(KeyError):
        plan_only(["nope"], registry.DATASETS)


def test_only_reloads_one_dataset_and_copies_the_rest(tmp_path: Path, database: Database) -> None:
    source = write_soc_sources(tmp_path / "src")
    copy_fixture(source, "regions")
    first = build_release(database, source, [SOC2010, SOC2020, REGIONS])
    assert first.promoted
    itl2 = source / "regions" / "uk_itl2_2021.csv"
    itl2.write_text(itl2.read_text().replace(",Inner London - West,", ",Inner London West,"))
    second = build_release(database, source, [REGIONS], reuse=[SOC2010, SOC2020], promote=False)
    assert second.ok, [p.render() for d in second.datasets for p in d.all_problems()]
    assert {d.dataset: d.status for d in second.datasets} == {
        "soc2010": "copied",
        "soc2020": "copied",
        "regions": "loaded",
    }
    tables = {
        t.table: t for t in diff_releases(database, first.release_id, second.release_id).tables
    }
    assert tables["soc_groups"].unchanged and tables["soc_index_entries"].unchanged
    assert tables["itl_areas"].changed == 1
    store = ReleaseStore(database)
    assert store.table_counts(second.release_id) == store.table_counts(first.release_id)
    recorded = {d["dataset"]: d["status"] for d in store.datasets(second.release_id)}
    assert recorded == {"soc2010": "copied", "soc2020": "copied", "regions": "loaded"}
    assert len(store.files(second.release_id)) == len(store.files(first.release_id))


def test_only_needs_a_production_release(tmp_path: Path, database: Database) -> None:
    source = write_soc_sources(tmp_path / "src")
    copy_fixture(source, "regions")
    with pytest.raises(ReleaseError, match="no release is in production"):
        build_release(database, source, [REGIONS], reuse=[SOC2010, SOC2020])
