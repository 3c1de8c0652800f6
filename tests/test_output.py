"""Output files: temp file + rename, regular files only, symlinks followed, umask honoured."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from yusuan.errors import OutputError
from yusuan.output import write_atomic, write_text_atomic

from .conftest import SAMPLE


def test_new_file_gets_the_umask_mode(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        out = write_text_atomic(tmp_path / "a.md", "内容\n")
    finally:
        os.umask(old)
    assert stat.S_IMODE(out.stat().st_mode) == 0o644
    assert out.read_text("utf-8") == "内容\n"
    assert [p.name for p in tmp_path.iterdir()] == ["a.md"]


def test_replaced_file_keeps_its_mode(tmp_path: Path) -> None:
    out = tmp_path / "a.md"
    out.write_text("old", "utf-8")
    out.chmod(0o640)
    write_text_atomic(out, "new")
    assert stat.S_IMODE(out.stat().st_mode) == 0o640
    assert out.read_text("utf-8") == "new"


@pytest.mark.skipif(not Path("/dev/null").exists(), reason="no /dev/null")
def test_device_is_refused_not_replaced() -> None:
    with pytest.raises(OutputError, match="是设备，不是普通文件：拒绝写入"):
        write_text_atomic(Path("/dev/null"), "x")
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="是目录"):
        write_text_atomic(tmp_path, "x")


def test_symlink_is_followed(tmp_path: Path) -> None:
    real = tmp_path / "real.md"
    real.write_text("old", "utf-8")
    link = tmp_path / "link.md"
    link.symlink_to(real)
    write_text_atomic(link, "new")
    assert link.is_symlink()
    assert real.read_text("utf-8") == "new"


def test_failure_leaves_nothing(tmp_path: Path) -> None:
    out = tmp_path / "new" / "deeper" / "a.xlsx"

    def broken(tmp: Path) -> None:
        tmp.write_bytes(b"half")
        raise RuntimeError("renderer failed")

    with pytest.raises(RuntimeError):
        write_atomic(out, broken)
    assert list(tmp_path.iterdir()) == []  # neither the temp file nor the folders it made


def test_existing_file_survives_a_failed_write(tmp_path: Path) -> None:
    out = tmp_path / "a.md"
    out.write_text("good", "utf-8")

    def broken(tmp: Path) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_atomic(out, broken)
    assert out.read_text("utf-8") == "good"
    assert [p.name for p in tmp_path.iterdir()] == ["a.md"]


def test_cli_refuses_a_device_as_output() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "yusuan.cli", "audit", str(SAMPLE), "-o", "/dev/null"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )
    assert result.returncode == 2
    assert "拒绝写入" in result.stderr
    assert "Traceback" not in result.stderr


def test_build_writes_with_the_umask_and_lists_its_warnings(tmp_path: Path) -> None:
    examples = Path(__file__).parent.parent / "examples" / "ledger"
    out = tmp_path / "new" / "b.md"
    old = os.umask(0o022)
    try:
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "yusuan.cli",
                "build",
                str(examples / "2024_xinjiang_hrss_ledger.csv"),
                "-d",
                str(examples / "2024_xinjiang_hrss_department.toml"),
                "-o",
                str(out),
            ],
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=120,
        )
    finally:
        os.umask(old)
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o644
    warnings = int(result.stderr.split("警告 ", 1)[1].split("）", 1)[0])
    listed = [line for line in result.stderr.splitlines() if line.startswith("  警告 ")]
    assert warnings > 0 and len(listed) == warnings
    assert [p.name for p in out.parent.iterdir()] == ["b.md"]
