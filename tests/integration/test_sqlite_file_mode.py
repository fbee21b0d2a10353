"""The embedded database holds personal data: its files are the owner's alone (0600), like
the key files beside it, whatever the umask lets others read."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from sqlalchemy import text

from tix.adapters.db.engine import make_engine


@pytest.fixture
def open_umask():
    previous = os.umask(0o022)  # the common default: new files readable by everyone
    yield
    os.umask(previous)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_sqlite_database_and_its_wal_files_are_0600(tmp_path: Path, open_umask):
    database = tmp_path / "data" / "tix.db"
    engine = make_engine(f"sqlite:///{database}")
    try:
        with engine.begin() as conn:
            conn.execute(text("CREATE TABLE t (x TEXT)"))
            conn.execute(text("INSERT INTO t VALUES ('personal')"))
        with engine.connect() as conn:  # the WAL and its index exist while connected
            conn.execute(text("SELECT x FROM t")).all()
            files = [database, Path(f"{database}-wal"), Path(f"{database}-shm")]
            assert all(f.exists() for f in files)
            assert {f.name: mode(f) for f in files} == {f.name: 0o600 for f in files}
    finally:
        engine.dispose()


def test_an_existing_database_keeps_the_mode_its_owner_gave_it(tmp_path: Path, open_umask):
    database = tmp_path / "tix.db"
    database.touch(mode=0o640)
    os.chmod(database, 0o640)  # shared with a backup group on purpose
    make_engine(f"sqlite:///{database}").dispose()
    assert mode(database) == 0o640
