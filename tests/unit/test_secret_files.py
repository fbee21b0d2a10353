"""Key files made on first use: processes starting together all read one whole key."""

from concurrent.futures import ProcessPoolExecutor

from tix.adapters.secret_files import created_once


def _make(args: tuple[str, str]) -> str:
    from pathlib import Path

    path, text = args
    return created_once(Path(path), text)


def test_processes_starting_together_read_the_first_whole_key(tmp_path):
    path = tmp_path / "keys" / "ticket.key"
    with ProcessPoolExecutor(4) as pool:
        got = list(pool.map(_make, [(str(path), f"key-{n}-" + "x" * 4000) for n in range(8)]))
    assert len(set(got)) == 1 and got[0] == path.read_text()  # one key, never half a file
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert sorted(p.name for p in path.parent.iterdir()) == ["ticket.key"]  # nothing aside
