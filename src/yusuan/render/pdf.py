"""PDF of the whole disclosure: the DOCX renderer's document, converted by LibreOffice.

Why this route (docs/render.md has the measurements): the PDF is then the very document a
finance office edits and publishes, laid out once (by the DOCX renderer) instead of twice;
LibreOffice draws merged headers, header rows repeated on every page, landscape sections and
page numbers as Word does, and embeds subsets of the fonts it uses. It runs offline; the fonts
come from Debian (fonts-noto-cjk), installed with LibreOffice by scripts/ensure-libreoffice.

`convert` is public so that tests (and callers with several files) pay LibreOffice's start-up
once for many files.
"""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path

from yusuan.errors import YusuanError
from yusuan.model.document import Document
from yusuan.render import docx

SOFFICE_ENV = "YUSUAN_SOFFICE"  # path of soffice when it is not on PATH
TIMEOUT = 600  # seconds for one conversion call
_CANDIDATES = (
    "soffice",
    "libreoffice",
    "/usr/lib/libreoffice/program/soffice",
    "/opt/libreoffice/program/soffice",
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
)
INSTALL_HINT = (
    "请运行 scripts/ensure-libreoffice，或安装 libreoffice-writer-nogui、"
    f"libreoffice-calc-nogui 与 fonts-noto-cjk；soffice 不在 PATH 中时可用环境变量 {SOFFICE_ENV} 指定"
)

# The official documents name 宋体 / 黑体 / Times New Roman. Where those are missing (Linux),
# LibreOffice asks fontconfig, whose default for an unknown Chinese font is a sans face, often
# the Japanese one; these aliases pick the Chinese serif and sans faces instead. They apply to
# the conversion process only: the system's configuration is included, not changed.
_FONT_ALIASES = {
    "宋体": ("Noto Serif CJK SC", "Source Han Serif SC", "AR PL UMing CN", "WenQuanYi Zen Hei"),
    "SimSun": ("Noto Serif CJK SC", "Source Han Serif SC", "AR PL UMing CN", "WenQuanYi Zen Hei"),
    "黑体": ("Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei", "WenQuanYi Micro Hei"),
    "SimHei": ("Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei"),
    "Times New Roman": ("Liberation Serif", "Noto Serif CJK SC", "DejaVu Serif"),
}
_SYSTEM_FONTS_CONF = Path("/etc/fonts/fonts.conf")


def write(doc: Document, path: Path) -> None:
    path = Path(path)
    soffice = require_soffice()
    with tempfile.TemporaryDirectory(prefix="yusuan-pdf-") as tmp:
        work = Path(tmp)
        source = work / "document.docx"
        docx.write(doc, source)
        [pdf] = convert([source], work / "out", soffice=soffice)
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(pdf), str(path))


def find_soffice() -> str | None:
    """The LibreOffice program, or None when it is not installed."""
    configured = os.environ.get(SOFFICE_ENV)
    if configured:
        return configured if Path(configured).exists() else shutil.which(configured)
    for name in _CANDIDATES:
        found = shutil.which(name) if "/" not in name else (name if Path(name).exists() else None)
        if found:
            return found
    return None


def require_soffice() -> str:
    """soffice, with a Chinese font to draw with; a clear error when either is missing."""
    soffice = find_soffice()
    if soffice is None:
        raise YusuanError(f"生成 PDF 需要 LibreOffice，但未找到 soffice：{INSTALL_HINT}")
    if not has_chinese_font():
        raise YusuanError(
            f"生成 PDF 需要中文字体（否则汉字无法显示），但系统中没有：{INSTALL_HINT}"
        )
    return soffice


def has_chinese_font() -> bool:
    """Whether fontconfig knows a font covering Chinese (True where fontconfig is not used)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return True
    try:
        done = subprocess.run(
            [fc_list, ":lang=zh", "family"], capture_output=True, text=True, timeout=60
        )
    except (OSError, subprocess.TimeoutExpired):
        return True  # cannot tell: let LibreOffice try
    return bool(done.stdout.strip())


def convert(
    paths: Sequence[Path], outdir: Path, fmt: str = "pdf", soffice: str | None = None
) -> list[Path]:
    """Convert files with one LibreOffice run; returns the converted files, in order.

    The files' names without extension must differ: LibreOffice names its output after them.
    Each process has its own LibreOffice profile, so that processes converting at the same
    time do not wait for one another's lock; it is kept for the process's later conversions,
    because building a profile is a good part of LibreOffice's start-up.
    """
    stems = [Path(p).stem for p in paths]
    if len(set(stems)) != len(stems):
        raise YusuanError(f"同一次转换的文件名（不含扩展名）不能重复：{'、'.join(stems)}")
    program = soffice or require_soffice()
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    results = [outdir / f"{stem}.{fmt.split(':')[0]}" for stem in stems]
    for old in results:  # a file left from before must not pass for this run's output
        old.unlink(missing_ok=True)
    with _LOCK:
        home = _workdir()
        env = dict(os.environ)
        if _SYSTEM_FONTS_CONF.exists():
            env["FONTCONFIG_FILE"] = str(home / "fonts.conf")
        cmd = [
            program,
            f"-env:UserInstallation={(home / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            fmt,
            "--outdir",
            str(outdir),
            *[str(Path(p).resolve()) for p in paths],
        ]
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT, env=env)
        except subprocess.TimeoutExpired as exc:
            raise YusuanError(f"LibreOffice 转换超时（{TIMEOUT} 秒）") from exc
        except OSError as exc:
            raise YusuanError(f"无法运行 LibreOffice（{program}）：{exc}") from exc
    missing = [p.name for p in results if not p.exists()]
    if missing:
        detail = (done.stderr or done.stdout).strip().splitlines()[-3:]
        raise YusuanError(
            f"LibreOffice 未能生成 {'、'.join(missing)}（退出码 {done.returncode}）："
            + " ".join(detail)
        )
    return results


_LOCK = threading.Lock()  # one LibreOffice at a time per profile
_WORKDIR: list[Path] = []


def _workdir() -> Path:
    """This process's LibreOffice profile and fontconfig file, made on first use."""
    if not _WORKDIR:
        home = Path(tempfile.mkdtemp(prefix="yusuan-lo-"))
        atexit.register(shutil.rmtree, home, True)
        (home / "fonts.conf").write_text(fonts_conf(), encoding="utf-8")
        _WORKDIR.append(home)
    return _WORKDIR[0]


def fonts_conf() -> str:
    """A fontconfig file: the system's configuration plus the Chinese font aliases."""
    aliases = "\n".join(
        f'  <alias binding="same"><family>{name}</family><prefer>'
        + "".join(f"<family>{f}</family>" for f in prefer)
        + "</prefer></alias>"
        for name, prefer in _FONT_ALIASES.items()
    )
    return (
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        f'  <include ignore_missing="yes">{_SYSTEM_FONTS_CONF}</include>\n{aliases}\n'
        "</fontconfig>\n"
    )
