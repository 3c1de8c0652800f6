"""`yusuan serve`: the web application (upload → report, JSON API) under uvicorn.

Loaded by `yusuan.cli` (see `_PLUGIN_MODULES`). Needs the `web` extra.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import Annotated, NoReturn

import typer

EXIT_INPUT = 2
TOKEN_ENV = "YUSUAN_WRITE_TOKEN"  # an environment variable, not an option: `ps` shows options
MIN_TOKEN = 16


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
    """启动网页服务：上传公开文件，查看审核报告；提供 JSON 接口（/api）。

    设置环境变量 YUSUAN_WRITE_TOKEN（至少 16 个字符）并给出 --db 时，持有该令牌的
    接口请求可以把上传的文件写入语料库；浏览语料库不需要令牌。
    """
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
    write_token = os.environ.get(TOKEN_ENV) or None
    if write_token is not None:
        if db is None:
            _fail(f"设置了 {TOKEN_ENV}，但没有用 --db 指定要写入的语料库")
        if len(write_token) < MIN_TOKEN:
            _fail(f"{TOKEN_ENV} 太短：写入令牌至少 {MIN_TOKEN} 个字符")
    if data is None:
        data = Path(tempfile.mkdtemp(prefix="yusuan-web-"))
    try:
        data.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        _fail(f"无法创建目录 {data}：{exc.strerror}")
    settings = Settings(
        data_dir=data,
        max_upload_bytes=int(max_upload_mb * 1024 * 1024),
        workers=jobs,
        db=db,
        write_token=write_token,
    )
    shown = f"[{host}]" if ":" in host else host
    sys.stderr.write(f"yusuan 网页服务：http://{shown}:{port}/ （数据目录 {data}；Ctrl+C 停止）\n")
    if settings.writable:
        sys.stderr.write(f"持有 {TOKEN_ENV} 令牌的接口请求可以写入语料库 {db}\n")
    uvicorn.run(create_app(settings), host=host, port=port, log_level="warning")


def register(app: typer.Typer) -> None:
    app.command(name="serve")(serve)
