"""`akiya restore` checks the whole backup before it writes a byte: a manifest edited to point outside
its folder, at a symbolic link, with a false size, or at something that is not this program's SQLite
database is refused with a message, and nothing is written anywhere."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from pathlib import Path

import pytest

from server.ops.backup import backup
from server.ops.cli import main
from tests.support.world import build_world

# `akiya restore` works on a SQLite file and a data folder; on PostgreSQL it refuses and names
# pg_restore (tests/backends/test_postgres_wiring.py): there is no copy loop to attack there.
pytestmark = pytest.mark.backends("sqlite")


class Backup:
    """A real backup of the test world with one report file, and a place to restore it to."""

    def __init__(self, root: Path):
        db, data = root / "live" / "akiya.sqlite3", root / "live" / "data"
        db.parent.mkdir()
        build_world(db)
        (data / "reports").mkdir(parents=True)
        (data / "reports" / "monthly.pdf").write_bytes(b"%PDF-1.4 a report\n")
        self.folder = root / "a" / "b" / "c" / "backup"  # deep, so that ../../../../ stays inside tmp_path
        backup(db, data, self.folder)
        self.target = root / "restored" / "deep" / "deeper"
        self.db, self.data = self.target / "akiya.sqlite3", self.target / "data"

    @property
    def manifest(self) -> dict:
        return json.loads((self.folder / "manifest.json").read_text())

    def rewrite(self, change) -> None:
        manifest = self.manifest
        change(manifest)
        (self.folder / "manifest.json").write_text(json.dumps(manifest))

    def add_file(self, path: str, content: bytes) -> None:
        """List one more file, with its true sha256 and size, as anyone editing the manifest can."""
        self.rewrite(lambda m: m["files"].append(
            {"path": path, "sha256": hashlib.sha256(content).hexdigest(), "bytes": len(content)}))

    def restore(self, capsys) -> tuple[int, str]:
        code = main(["restore", "--db", str(self.db), "--data-dir", str(self.data), str(self.folder)])
        return code, capsys.readouterr().err

    def nothing_written(self) -> bool:
        return not self.target.parent.parent.exists()


@pytest.fixture
def made(tmp_path) -> Backup:
    return Backup(tmp_path)


def test_an_untouched_backup_restores(made, capsys):
    assert made.restore(capsys) == (0, "")
    assert (made.data / "reports" / "monthly.pdf").read_bytes() == b"%PDF-1.4 a report\n"
    with sqlite3.connect(made.db) as conn:
        assert conn.execute("SELECT count(*) FROM users").fetchone()[0] > 0


def test_a_path_climbing_out_with_dotdot_is_refused_before_anything_is_written(made, capsys, tmp_path):
    content = b"written outside the target\n"
    named = Path(os.path.normpath(made.folder / "data/../../../../x.txt"))  # where the entry reads from
    named.write_bytes(content)
    made.add_file("data/../../../../x.txt", content)
    code, err = made.restore(capsys)
    assert code == 1 and "data/../../../../x.txt" in err and "「..」" in err
    assert made.nothing_written()
    assert list(tmp_path.rglob("x.txt")) == [named]  # and no copy of it anywhere else


def test_an_absolute_path_is_refused_before_the_database_or_any_photo_is_copied(made, capsys, tmp_path):
    outside = tmp_path / "elsewhere.txt"
    outside.write_bytes(b"somebody else's file\n")
    made.add_file(str(outside), outside.read_bytes())
    code, err = made.restore(capsys)
    assert code == 1 and "絶対パス" in err and "Traceback" not in err
    assert made.nothing_written()


def test_a_database_entry_pointing_at_etc_hostname_is_refused(made, capsys):
    hostname = Path("/etc/hostname").read_bytes()
    made.rewrite(lambda m: m.update(database={"path": "/etc/hostname", "bytes": len(hostname),
                                              "sha256": hashlib.sha256(hostname).hexdigest()}))
    code, err = made.restore(capsys)
    assert code == 1 and "/etc/hostname" in err and "絶対パス" in err
    assert made.nothing_written()


def test_a_database_file_that_is_not_sqlite_is_refused(made, capsys):
    hostname = Path("/etc/hostname").read_bytes()
    (made.folder / "akiya.sqlite3").write_bytes(hostname)
    made.rewrite(lambda m: m["database"].update(bytes=len(hostname), sha256=hashlib.sha256(hostname).hexdigest()))
    code, err = made.restore(capsys)
    assert code == 1 and "SQLite のデータベースではありません" in err
    assert made.nothing_written()


def test_a_sqlite_database_of_another_program_is_refused(made, capsys):
    other = made.folder / "akiya.sqlite3"
    other.unlink()
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE notes (body TEXT)")
    content = other.read_bytes()
    made.rewrite(lambda m: m["database"].update(bytes=len(content), sha256=hashlib.sha256(content).hexdigest()))
    code, err = made.restore(capsys)
    assert code == 1 and "このプログラムのデータベースではありません" in err
    assert made.nothing_written()


def test_a_symbolic_link_in_the_backup_is_refused_not_followed(made, capsys, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_bytes(b"not part of any backup\n")
    (made.folder / "data" / "reports" / "link.pdf").symlink_to(secret)
    made.add_file("data/reports/link.pdf", secret.read_bytes())
    code, err = made.restore(capsys)
    assert code == 1 and "シンボリックリンク" in err
    assert made.nothing_written()


def test_a_linked_folder_on_the_way_to_a_file_is_refused(made, capsys, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "a.pdf").write_bytes(b"from outside\n")
    (made.folder / "data" / "outside").symlink_to(elsewhere, target_is_directory=True)
    made.add_file("data/outside/a.pdf", b"from outside\n")
    code, err = made.restore(capsys)
    assert code == 1 and "シンボリックリンク data/outside" in err
    assert made.nothing_written()


def test_a_file_larger_than_its_declared_size_is_refused_without_reading_it(made, capsys):
    sparse = made.folder / "data" / "reports" / "huge.pdf"
    with open(sparse, "wb") as f:
        f.truncate(1 << 30)  # 1 GiB, sparse: hashing it would take seconds
    made.rewrite(lambda m: m["files"].append({"path": "data/reports/huge.pdf", "bytes": 5,
                                              "sha256": hashlib.sha256(b"small").hexdigest()}))
    code, err = made.restore(capsys)
    assert code == 1 and "5 バイトではなく 1073741824 バイト" in err
    assert made.nothing_written()


def test_a_file_listed_twice_is_refused(made, capsys):
    made.rewrite(lambda m: m["files"].append(dict(m["files"][0])))
    code, err = made.restore(capsys)
    assert code == 1 and "二度" in err
    assert made.nothing_written()


def test_a_file_outside_the_data_folder_is_refused(made, capsys):
    made.add_file("manifest.json", (made.folder / "manifest.json").read_bytes())
    code, err = made.restore(capsys)
    assert code == 1 and "data/ の下" in err
    assert made.nothing_written()


def test_a_changed_byte_is_still_found_by_its_hash(made, capsys):
    report = made.folder / "data" / "reports" / "monthly.pdf"
    report.write_bytes(report.read_bytes().replace(b"a report", b"b report"))
    code, err = made.restore(capsys)
    assert code == 1 and "壊れている" in err
    assert made.nothing_written()
