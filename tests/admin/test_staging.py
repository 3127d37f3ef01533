"""The staging directory and background jobs, without HTTP: atomic writes, build folders,
validation state."""

from __future__ import annotations

import io
import os
import threading
from pathlib import Path
from typing import Any

import pytest

from lmi.admin import jobs as jobs_module
from lmi.admin.jobs import Jobs, validation_alive
from lmi.admin.staging import Staging, UploadTooLarge
from lmi.datasets import registry
from lmi.errors import InvalidQuery, NotFound
from lmi.etl.runs import OpsConfig
from lmi.store import Database, migrate
from tests.soc_fixtures import write_soc_sources

STRUCTURE = "soc2010/soc2010_structure.csv"
UNITS = "soc2010/soc2010_unit_groups.csv"


@pytest.fixture
def source(tmp_path: Path) -> Path:
    return write_soc_sources(tmp_path / "source")


@pytest.fixture
def staging(tmp_path: Path, source: Path) -> Staging:
    return Staging(
        tmp_path / "staging", source_dir=source, datasets=registry.DATASETS, max_bytes=100_000
    )


class Broken(io.BytesIO):
    """A stream that fails after its first chunk (a client that disconnects mid-upload)."""

    def read(self, size: int | None = -1) -> bytes:
        if self.tell():
            raise OSError("connection reset")
        return super().read(10)


def test_a_failed_upload_leaves_the_staged_file_as_it_was(staging: Staging) -> None:
    staging.save("soc2010_structure.csv", io.BytesIO(b"first version\n"))
    with pytest.raises(OSError):
        staging.save("soc2010_structure.csv", Broken(b"second version, never complete\n"))
    with pytest.raises(UploadTooLarge):
        staging.save("soc2010_structure.csv", io.BytesIO(b"x" * 100_001))
    assert (staging.folder / STRUCTURE).read_bytes() == b"first version\n"
    assert [p.name for p in staging.folder.rglob("*") if p.is_file()] == [
        "soc2010_structure.csv"
    ]  # no partial file left behind


def test_names_map_to_declared_paths_only(staging: Staging) -> None:
    for name in ("C:\\Users\\me\\soc2010_structure.csv", "../../soc2010_structure.csv"):
        dataset, source, relative = staging.target_for(name)
        assert (dataset.name, source.path, relative) == ("soc2010", STRUCTURE, STRUCTURE)
    for bad in ("", "../", "soc2010_structure.csv\x00.sh", "run.sh", "soc2010"):
        with pytest.raises(InvalidQuery):
            staging.target_for(bad)
    elsewhere = staging.folder / "soc2010" / "x_UK.csv"  # not a staged file, whatever it is
    elsewhere.parent.mkdir(parents=True)
    elsewhere.write_bytes(b"keep\n")
    for outside in ("../../etc/passwd", "onspd/Data/ONSPD_x/../../../soc2010/x_UK.csv"):
        with pytest.raises(NotFound, match="not a staged file"):
            staging.remove(outside)
    assert elsewhere.read_bytes() == b"keep\n"


def test_build_folder_reads_staged_files_over_the_source(staging: Staging, source: Path) -> None:
    staging.save("soc2010_unit_groups.csv", io.BytesIO(b"staged\n"))
    folder = staging.build_folder()
    assert (folder / UNITS).read_bytes() == b"staged\n" and not (folder / UNITS).is_symlink()
    assert (folder / STRUCTURE).is_symlink()
    assert (folder / STRUCTURE).resolve() == (source / STRUCTURE).resolve()
    staging.save("soc2010_unit_groups.csv", io.BytesIO(b"replaced during the build\n"))
    assert (folder / UNITS).read_bytes() == b"staged\n"  # what the build reads did not change
    for _ in range(11):
        staging.build_folder()
    assert len(list(staging.builds_dir.iterdir())) == 10


def test_files_published_under_dated_names_are_staged_by_their_pattern(
    staging: Staging, source: Path
) -> None:
    """The postcode directory's file is ONSPD_<MONTH>_<YEAR>_UK.csv: any month is accepted, the
    newest upload replaces the older one, and the build reads it instead of the source's."""
    dataset, pattern, relative = staging.target_for("ONSPD_MAY_2025_UK.csv")
    assert (dataset.name, pattern.path) == ("onspd", "onspd/Data/ONSPD_*_UK.csv")
    assert relative == "onspd/Data/ONSPD_MAY_2025_UK.csv"
    (source / "onspd/Data").mkdir(parents=True)
    (source / "onspd/Data/ONSPD_FEB_2025_UK.csv").write_bytes(b"from the source\n")
    assert (staging.build_folder() / "onspd/Data/ONSPD_FEB_2025_UK.csv").is_symlink()
    staging.save("ONSPD_MAY_2025_UK.csv", io.BytesIO(b"may\n"))
    staging.save("ONSPD_AUG_2025_UK.csv", io.BytesIO(b"august\n"))
    [staged] = staging.files()
    assert (staged.dataset, staged.path) == ("onspd", "onspd/Data/ONSPD_AUG_2025_UK.csv")
    folder = staging.build_folder()
    assert [p.name for p in (folder / "onspd/Data").iterdir()] == ["ONSPD_AUG_2025_UK.csv"]
    assert (folder / "onspd/Data/ONSPD_AUG_2025_UK.csv").read_bytes() == b"august\n"
    staging.remove("onspd/Data/ONSPD_AUG_2025_UK.csv")
    assert staging.files() == []
    with pytest.raises(InvalidQuery):
        staging.target_for("ONSPD_MAY_2025_EN.csv")


def test_files_and_fingerprint_follow_the_content(staging: Staging) -> None:
    assert staging.files() == [] and staging.fingerprint() == staging.fingerprint([])
    staging.save("soc2010_structure.csv", io.BytesIO(b"a\n"))
    first = staging.fingerprint()
    staging.save("soc2010_structure.csv", io.BytesIO(b"b\n"))
    assert staging.fingerprint() != first
    [found] = staging.files()
    assert (found.dataset, found.path, found.bytes) == ("soc2010", STRUCTURE, 2)


def test_an_older_validation_never_overwrites_a_newer_one(
    staging: Staging, source: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = threading.Event()
    original = jobs_module.check_files
    calls = 0

    def check(*args: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls == 1:  # the first validation is slow
            assert release.wait(30)
        return original(*args)

    monkeypatch.setattr(jobs_module, "check_files", check)
    jobs = Jobs()
    body = (source / STRUCTURE).read_bytes()
    staging.save("soc2010_structure.csv", io.BytesIO(body.replace(b"parent_code", b"parent")))
    jobs.validate(staging, "lou", registry.DATASETS, source)
    staging.save("soc2010_structure.csv", io.BytesIO(body))  # fixed before the first finished
    jobs.validate(staging, "lou", registry.DATASETS, source)
    while calls < 2 or (staging.validation() or {}).get("state") != "done":
        threading.Event().wait(0.05)
    release.set()
    assert jobs.wait(60)
    state = staging.validation()
    assert state is not None and state["fingerprint"] == staging.fingerprint()
    assert state["report"]["ok"], state["report"]


def test_builds_need_a_current_passing_validation(
    tmp_path: Path, staging: Staging, source: Path
) -> None:
    db = Database(f"sqlite:///{tmp_path / 'lmi.sqlite'}")
    migrate(db)
    jobs = Jobs()
    with pytest.raises(InvalidQuery, match="nothing is staged"):
        jobs.build(db, staging, "lou", OpsConfig())
    staging.save("soc2010_structure.csv", io.BytesIO((source / STRUCTURE).read_bytes()))
    with pytest.raises(InvalidQuery, match="validate the staged files first"):
        jobs.build(db, staging, "lou", OpsConfig())
    jobs.validate(staging, "lou", registry.DATASETS, source)
    assert jobs.wait(60)
    staging.save("soc2010_structure.csv", io.BytesIO(b"changed after validation\n"))
    with pytest.raises(InvalidQuery, match="validate the staged files first"):
        jobs.build(db, staging, "lou", OpsConfig())
    db.close()


def test_validation_alive() -> None:
    import socket

    from lmi.store.releases import utc_now

    here = {"state": "running", "host": socket.gethostname(), "started_at": utc_now()}
    assert validation_alive({**here, "pid": os.getpid()})
    assert not validation_alive({**here, "pid": 2**22 + 12345})  # no such process
    assert not validation_alive(
        {**here, "pid": os.getpid(), "started_at": "2020-01-01T00:00:00+00:00"}
    )
    assert not validation_alive({**here, "state": "done", "pid": os.getpid()})


def test_a_set_of_files_is_staged_whole(staging: Staging) -> None:
    """ONS workbooks and ONSPD per-area files are sets: each upload is kept beside the others,
    in the pattern's fixed folder (never in a folder named after a glob)."""
    weekly = "PROV - Occupation SOC20 (4) Table 14.1a   Weekly pay - Gross 2024.xlsx"
    weekly_cv = "PROV - Occupation SOC20 (4) Table 14.1b   Weekly pay - Gross 2024 CV.xlsx"
    dataset, _, relative = staging.target_for(weekly)
    assert (dataset.name, relative) == ("ashe", f"ashe_workbooks/{weekly}")
    staging.save(weekly, io.BytesIO(b"a"))
    staging.save(weekly_cv, io.BytesIO(b"b"))
    staging.save("ONSPD_NOV_2025_UK_HG.csv", io.BytesIO(b"hg\n"))
    staging.save("ONSPD_NOV_2025_UK_ZE.csv", io.BytesIO(b"ze\n"))
    assert sorted(f.path for f in staging.files()) == [
        f"ashe_workbooks/{weekly}",
        f"ashe_workbooks/{weekly_cv}",
        "onspd/Data/multi_csv/ONSPD_NOV_2025_UK_HG.csv",
        "onspd/Data/multi_csv/ONSPD_NOV_2025_UK_ZE.csv",
    ]
