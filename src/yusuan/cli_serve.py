"""`yusuan serve`: the web application (upload → report, JSON API) under uvicorn.

Loaded by `yusuan.cli` (see `_PLUGIN_MODULES`). Needs the `web` extra.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Annotated, NoReturn

import typer

EXIT_INPUT = 2


def _fail(message: str) -> NoReturn:
    sys.stderr.write(f"错误：{message}\n")
    raise typer.Exit(EXIT_INPUT)


def serve(
    host: Annotated[
        str, typer.Option("--host", help="监听地址；默认只接受本机访问。")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="端口。")] = 8000,
    data: Annotated[
        Path | None,
        typer.Option("--data", help="保存上传文件与报告的目录（默认为临时目录，重启后不保留）。"),
    ] = None,
    max_upload_mb: Annotated[
        float, typer.Option("--max-upload-mb", help="一次上传的大小上限（MB）。")
    ] = 50,
    jobs: Annotated[int, typer.Option("--jobs", help="同时审核的文件数。")] = 2,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="浏览的语料库（只读）：yusuan batch 建立的 DuckDB 文件，或 postgresql://…。",
        ),
    ] = None,
) -> None:
    """启动网页服务：上传公开文件，查看审核报告；提供 JSON 接口（/api）。"""
    try:
        import uvicorn

        from yusuan.web import Settings, create_app
    except ImportError:
        _fail("网页服务需要安装 yusuan[web]：pip install 'yusuan[web]'")
    if not 0 < port < 65536:
        _fail(f"--port 应在 1–65535 之间，而不是 {port}")
    if max_upload_mb <= 0:
        _fail("--max-upload-mb 应大于 0")
    if jobs < 1:
        _fail("--jobs 应至少为 1")
    if db is not None and "://" not in db and not Path(db).is_file():
        _fail(f"语料库文件不存在：{db}（先用 yusuan batch 文件夹 --db {db} 建立）")
    if data is None:
        data = Path(tempfile.mkdtemp(prefix="yusuan-web-"))
    try:
        data.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        _fail(f"无法创建目录 {data}：{exc.strerror}")
    settings = Settings(
        data_dir=data, max_upload_bytes=int(max_upload_mb * 1024 * 1024), workers=jobs, db=db
    )
    shown = f"[{host}]" if ":" in host else host
    sys.stderr.write(f"yusuan 网页服务：http://{shown}:{port}/ （数据目录 {data}；Ctrl+C 停止）\n")
    uvicorn.run(create_app(settings), host=host, port=port, log_level="warning")


def register(app: typer.Typer) -> None:
    app.command(name="serve")(serve)
