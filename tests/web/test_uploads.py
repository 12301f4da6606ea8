"""Uploads without a server: type by content, private folders, limits, ZIP members; serve's binding."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from cli import main
from engine.web.serve import is_loopback
from engine.web.uploads import CSV, FACTS_ZIP, XLSX, Limits, TooLarge, Unsupported, sniff, store
from tests.web.support import SAMPLE_DIR, SAMPLE_XLSX, add_users, zip_bytes


def test_the_kind_comes_from_the_bytes():
    assert sniff(SAMPLE_XLSX.read_bytes()) == XLSX
    assert sniff("mã,tên\n1,Xã A\n".encode()) == CSV
    assert sniff(zip_bytes([("a.yaml", b"x: 1", None)])) == FACTS_ZIP
    for bad in (b"", b"\x00\x01binary", "tên".encode("utf-16"), b"PK\x03\x04broken"):
        with pytest.raises(Unsupported):
            sniff(bad)


def test_an_upload_is_stored_in_a_new_private_folder_under_a_fixed_name(tmp_path: Path):
    s = store(SAMPLE_XLSX.read_bytes(), tmp_path, Limits())
    assert s.path.name == "upload.xlsx" and s.folder.parent == tmp_path
    assert stat.S_IMODE(s.folder.stat().st_mode) == 0o700 and stat.S_IMODE(s.path.stat().st_mode) == 0o600


def test_limits_leave_nothing_behind(tmp_path: Path):
    with pytest.raises(TooLarge):
        store(SAMPLE_XLSX.read_bytes(), tmp_path, Limits(max_bytes=1000))
    with pytest.raises(TooLarge):
        store(SAMPLE_XLSX.read_bytes(), tmp_path, Limits(max_rows=10))  # 16 communes
    bomb = zip_bytes([("a.yaml", b"0" * 2_000_000, None)])
    with pytest.raises(TooLarge):
        store(bomb, tmp_path, Limits(max_unpacked=1_000_000))
    assert list(tmp_path.iterdir()) == []


def test_zip_members_are_renamed_and_only_safe_fact_files_unpacked(tmp_path: Path):
    good = (SAMPLE_DIR / "ta-ma.yaml").read_bytes()
    s = store(
        zip_bytes(
            [("x/../../up.yaml", good, None), ("dev.yaml", good, 0o020644), ("a/b/ta-ma.yaml", good, None)]
        ),
        tmp_path,
        Limits(),
    )
    assert sorted(p.name for p in s.path.iterdir()) == ["f00001.yaml"]
    assert s.members == {"f00001.yaml": "a/b/ta-ma.yaml"}
    assert [x.split(":")[1].strip() for x in s.skipped] == ["a path outside the folder", "not a regular file"]


def test_loopback_addresses():
    assert all(is_loopback(h) for h in ("127.0.0.1", "127.3.4.5", "::1", "[::1]", "localhost"))
    assert not any(is_loopback(h) for h in ("0.0.0.0", "192.168.1.10", "::", "example.org"))


def test_serve_refuses_a_non_loopback_address_until_a_user_exists(tmp_path: Path, capsys):
    db = tmp_path / "r.sqlite3"
    assert main(["serve", "--host", "0.0.0.0", "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert "refusing to listen on 0.0.0.0" in err and "users add" in err
    add_users(db, [("lan", "approver")])
    assert (
        main(["serve", "--host", "0.0.0.0", "--port", "0", "--db", str(db)]) == 2
    )  # bad port: checked first
