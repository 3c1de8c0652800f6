"""Routes: the pages (upload, progress, report) and the JSON API (jobs, reports).

Pages and API share the job manager; the API's schema is served at /openapi.json and
described at /api. Every string from a document reaches a page through an autoescaping
template, never through string building.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, File, Form, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException

from yusuan import __version__
from yusuan.web.corpus import Corpus
from yusuan.web.corpus_routes import corpus_router
from yusuan.web.jobs import DONE, FAILED, Busy, Job, JobManager
from yusuan.web.pages import error_page, render
from yusuan.web.security import (
    CSRF_COOKIE,
    CSRF_FIELD,
    BodyLimit,
    SecurityHeaders,
    check_csrf,
    csrf_token,
    token_matches,
)
from yusuan.web.settings import Settings
from yusuan.web.storage import Refused, Stored, store

STATIC = Path(__file__).parent / "static"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BUSY = "服务器正忙：等待中的任务太多，请稍后再上传"
BEARER = HTTPBearer(
    auto_error=False,
    description="写入语料库的令牌（启动服务时以环境变量 YUSUAN_WRITE_TOKEN 设置）；只读浏览不需要",
)


class FileOut(BaseModel):
    """One uploaded file of a job."""

    name: str = Field(description="上传时的文件名（仅供显示；同名文件加编号区分）")
    kind: str = Field(description="按内容识别的格式")
    size: int = Field(description="字节数")


class JobOut(BaseModel):
    """A job: one uploaded file being read and audited."""

    id: str = Field(description="任务编号，也是报告编号（随机，不可猜测）")
    name: str = Field(description="上传时的文件名（仅供显示）")
    kind: str = Field(
        description="按内容识别的格式：pdf、xlsx、xls、xlsb、ods、text；合为一份的几个文件以 + 相连"
    )
    size: int = Field(description="字节数（几个文件合计）")
    files: list[FileOut] = Field(description="合为这一份文件审核的各个文件（单个文件时只有一个）")
    status: str = Field(description="queued、running、done 或 failed")
    stage: str = Field(description="当前步骤（中文）")
    progress: float = Field(ge=0, le=1, description="进度，0 到 1")
    error: str | None = Field(description="失败原因（中文），未失败时为 null")
    errors: int | None = Field(description="错误数（完成后）")
    warnings: int | None = Field(description="警告数（完成后）")
    notices: int | None = Field(description="提示数（完成后）")
    verdict: str | None = Field(description="结论（完成后）")
    status_url: str
    report_url: str | None = Field(description="报告页（完成后）")
    json_url: str | None = Field(description="JSON 报告（完成后）")
    html_url: str | None = Field(description="可下载的 HTML 报告（完成后）")
    checklist_url: str | None = Field(description="检查表 XLSX（完成后）")
    corpus: bool = Field(description="是否在审核后写入语料库")
    corpus_url: str | None = Field(description="写入语料库后，该文件在语料库中的页面")
    corpus_error: str | None = Field(description="未能写入语料库的原因（报告仍然生成）")


class JobsOut(BaseModel):
    """The jobs of one upload: one per file, or one for all of them (`together`)."""

    jobs: list[JobOut]


class Problem(BaseModel):
    detail: str


def _job_out(job: Job) -> JobOut:
    done = job.status == DONE
    return JobOut(
        id=job.id,
        name=job.name,
        kind=job.kind,
        size=job.size,
        files=[FileOut(**f) for f in job.files]
        or [FileOut(name=job.name, kind=job.kind, size=job.size)],
        status=job.status,
        stage=job.stage,
        progress=job.progress,
        error=job.error,
        errors=job.errors,
        warnings=job.warnings,
        notices=job.notices,
        verdict=job.verdict,
        status_url=f"/api/jobs/{job.id}",
        report_url=f"/reports/{job.id}" if done else None,
        json_url=f"/api/reports/{job.id}" if done else None,
        html_url=f"/reports/{job.id}/report.html" if done else None,
        checklist_url=f"/reports/{job.id}/checklist.xlsx" if done else None,
        corpus=job.corpus,
        corpus_url=f"/corpus/documents/{job.corpus_doc_id}" if job.corpus_doc_id else None,
        corpus_error=job.corpus_error,
    )


def _problem(status: int, detail: str) -> JSONResponse:
    return JSONResponse({"detail": detail}, status_code=status)


def _page(html: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(html, status_code=status)


async def _accept(
    manager: JobManager,
    settings: Settings,
    files: list[UploadFile],
    together: bool,
    corpus: bool = False,
) -> list[Job] | tuple[int, str]:
    """Check every file, then store and queue them all — or none, with (status, message).
    `together`: the files are one document (a 情况说明 and its 报表), read as a set by one job;
    otherwise each file is a job of its own."""
    files = [f for f in files if f.filename or f.size]
    if not files:
        return 422, "请选择要上传的文件"
    if len(files) > settings.max_files:
        return 422, f"一次最多上传 {settings.max_files} 个文件"
    blobs = [(await f.read(), f.filename) for f in files]
    jobs = 1 if together else len(blobs)
    try:
        manager.reserve(jobs)
    except Busy:
        return 503, BUSY
    stored: list[Stored] = []
    try:
        for data, name in blobs:
            stored.append(store(data, name, manager.uploads))
    except Refused as exc:
        manager.release(jobs)
        for s in stored:
            s.path.unlink(missing_ok=True)
        return (
            415,
            f"无法审核：{exc.message}。可上传 PDF、Excel（XLSX/XLS）或文本/Markdown 格式的公开文件",
        )
    if together:
        return [manager.submit(stored)]
    return [manager.submit([s], corpus) for s in stored]


def _may_write(
    settings: Settings, credentials: HTTPAuthorizationCredentials | None
) -> tuple[int, str] | None:
    """None when the request may add to the corpus, else (status, message)."""
    if not settings.writable:
        return 403, "本服务未开放写入语料库（启动时未设置写入令牌 YUSUAN_WRITE_TOKEN 和 --db）"
    if credentials is None or not token_matches(settings.write_token, credentials.credentials):
        return 401, "写入语料库需要有效的令牌：请求头 Authorization: Bearer <令牌>"
    return None


_INVALID: dict[int | str, dict[str, Any]] = {
    422: {"model": Problem, "description": "请求不完整或格式有误"},
}
_ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": Problem, "description": "没有这个编号"},
    **_INVALID,
}


def create_app(settings: Settings) -> FastAPI:
    manager = JobManager(settings)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        manager.close()

    app = FastAPI(
        title="yusuan",
        version=__version__,
        description="上传预算/决算公开文件，审核并取得报告。上传后得到任务；任务完成后报告可按编号取得。",
        docs_url=None,  # Swagger UI would load from a CDN; /api describes the API instead
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.manager = manager
    app.state.settings = settings
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(corpus_router(Corpus(settings.db)))

    # ---- errors: JSON under /api/, a page elsewhere ---------------------------------------

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        message = {
            400: "上传的内容不是有效的表单数据（multipart/form-data）",
            404: "没有这个页面或报告",
            405: "不支持这种请求方式",
        }.get(exc.status_code, str(exc.detail))
        if request.url.path.startswith("/api/"):
            response: Response = _problem(exc.status_code, message)
        else:
            response = _page(error_page(message, exc.status_code), exc.status_code)
        response.headers.update(exc.headers or {})  # e.g. Allow on 405
        return response

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": "请求不完整或格式有误"}, status_code=422)
        return _page(error_page("请求不完整或格式有误", 422), 422)

    # ---- pages -----------------------------------------------------------------------------

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def index(request: Request) -> Response:
        token = request.cookies.get(CSRF_COOKIE) or csrf_token()
        page = _page(
            render(
                "index.html.j2",
                csrf_field=CSRF_FIELD,
                csrf=token,
                max_mb=f"{settings.max_upload_mb:g}",
                max_files=settings.max_files,
            )
        )
        page.set_cookie(
            CSRF_COOKIE,
            token,
            httponly=True,
            samesite="strict",
            secure=settings.secure_cookies,
        )
        return page

    @app.post("/upload", include_in_schema=False)
    async def upload_form(
        request: Request,
        files: Annotated[list[UploadFile], File()],
        csrf: Annotated[str, Form(alias=CSRF_FIELD)] = "",
        together: Annotated[bool, Form()] = False,
    ) -> Response:
        if not check_csrf(request.cookies.get(CSRF_COOKIE), csrf):
            message = "表单已过期或来源不明，请回到首页重新上传"
            return _page(error_page(message, 403), 403)
        accepted = await _accept(manager, settings, files, together)
        if isinstance(accepted, tuple):
            status, message = accepted
            return _page(error_page(message, status), status)
        return RedirectResponse(f"/uploads/{manager.batch(accepted)}", status_code=303)

    @app.get("/uploads/{batch_id}", response_class=HTMLResponse, include_in_schema=False)
    def progress(batch_id: str) -> Response:
        jobs = manager.jobs_of(batch_id)
        if jobs is None:
            raise HTTPException(404)
        pending = any(j.status not in (DONE, FAILED) for j in jobs)
        return _page(render("progress.html.j2", jobs=jobs, pending=pending))

    @app.get("/reports/{job_id}", response_class=HTMLResponse, include_in_schema=False)
    def report_page(job_id: str) -> Response:
        job = manager.get(job_id)
        if job is None:
            raise HTTPException(404)
        if job.status == FAILED:
            return _page(error_page(f"{job.name}：{job.error}", 422), 422)
        view = manager.view(job_id)
        if view is None:  # still running: the progress of this one job
            return _page(render("progress.html.j2", jobs=[job], pending=True))
        return _page(render("report.html.j2", job=job, view=view))

    def _download(job_id: str, name: str, media: str, filename: str) -> Response:
        path = manager.result(job_id, name)
        if path is None:
            raise HTTPException(404)
        return FileResponse(
            path,
            media_type=media,
            filename=filename,
            content_disposition_type="attachment",
        )

    @app.get("/reports/{job_id}/report.html", include_in_schema=False)
    def report_html(job_id: str) -> Response:
        return _download(job_id, "report.html", "text/html; charset=utf-8", "yusuan-report.html")

    @app.get("/reports/{job_id}/report.json", include_in_schema=False)
    def report_json_file(job_id: str) -> Response:
        return _download(job_id, "report.json", "application/json", "yusuan-report.json")

    @app.get("/reports/{job_id}/tables/{key}", response_class=HTMLResponse, include_in_schema=False)
    def report_table(job_id: str, key: str, f: int | None = None) -> Response:
        job = manager.get(job_id)
        table = manager.table(job_id, key) if job is not None else None
        if job is None or table is None:
            raise HTTPException(404)
        view = manager.view(job_id) or {}
        cited = {(r, c) for r, c in table["marks"].get(str(f), [])} if f is not None else set()
        finding = next((x for x in view.get("findings", []) if x["n"] == f), None)
        return _page(
            render("table.html.j2", job=job, view=view, table=table, cited=cited, finding=finding)
        )

    @app.get("/reports/{job_id}/checklist.xlsx", include_in_schema=False)
    def report_checklist(job_id: str) -> Response:
        return _download(job_id, "checklist.xlsx", XLSX, "yusuan-检查表.xlsx")

    @app.get("/reports/{job_id}/regions/{n}.png", include_in_schema=False)
    def region(job_id: str, n: int) -> Response:
        path = manager.result(job_id, f"regions/{n}.png") if n >= 0 else None
        if path is None:
            raise HTTPException(404)
        return FileResponse(path, media_type="image/png")

    @app.get("/api", response_class=HTMLResponse, include_in_schema=False)
    def api_page() -> Response:
        return _page(render("api.html.j2", schema=app.openapi(), settings=settings))

    # ---- JSON API --------------------------------------------------------------------------

    @app.post(
        "/api/jobs",
        status_code=202,
        response_model=JobsOut,
        summary="上传文件并开始审核",
        # The token is asked for only when writing (corpus=true): an alternative without it.
        openapi_extra={"security": [{}]},
        response_description="已接受：每个文件一个任务，或合为一份时一个任务",
        responses={
            400: {"model": Problem, "description": "不是有效的 multipart/form-data"},
            401: {"model": Problem, "description": "写入语料库的令牌缺失或无效"},
            403: {"model": Problem, "description": "来自其他网站的请求，或本服务未开放写入语料库"},
            413: {"model": Problem, "description": "超过上传大小限制"},
            415: {"model": Problem, "description": "不是可审核的文件（按内容判断）"},
            422: {"model": Problem, "description": "没有文件、文件太多或请求格式有误"},
            503: {"model": Problem, "description": "等待中的任务太多"},
        },
    )
    async def create_jobs(
        files: Annotated[
            list[UploadFile],
            File(
                description="一个或多个公开文件：PDF、XLSX/XLS、文本/Markdown；"
                "每个文件一个任务，together 为 true 时合为一个任务"
            ),
        ],
        together: Annotated[
            bool,
            Form(
                description="为 true 时，这些文件是同一部门同一年度的一份公开文件"
                "（如分开发布的情况说明和报表），合为一份审核；报告中每个问题注明所在的文件"
            ),
        ] = False,
        corpus: Annotated[
            bool,
            Form(
                description="为 true 时，审核后把每个文件写入语料库（需要写入令牌；"
                "不能与 together 同用）"
            ),
        ] = False,
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(BEARER)] = None,
    ) -> Response:
        if corpus:
            refused = _may_write(settings, credentials)
            if refused is not None:
                status, message = refused
                response = _problem(status, message)
                if status == 401:
                    response.headers["www-authenticate"] = "Bearer"
                return response
            if together:
                return _problem(422, "写入语料库时请逐个文件审核（不要同时使用 together）")
        accepted = await _accept(manager, settings, files, together, corpus)
        if isinstance(accepted, tuple):
            return _problem(*accepted)
        body = JobsOut(jobs=[_job_out(j) for j in accepted])
        return JSONResponse(body.model_dump(), status_code=202)

    @app.get(
        "/api/jobs/{job_id}",
        response_model=JobOut,
        summary="任务状态",
        response_description="任务",
        responses=_ERRORS,
    )
    def job_status(job_id: str) -> JobOut | JSONResponse:
        job = manager.get(job_id)
        if job is None:
            return _problem(404, "没有这个任务")
        return _job_out(job)

    @app.get(
        "/api/reports/{job_id}",
        summary="审核报告（JSON，格式见 docs/json-report.md）",
        response_description="报告",
        responses={
            200: {"content": {"application/json": {"schema": {"type": "object"}}}},
            404: {"model": Problem, "description": "没有这个报告"},
            409: {"model": Problem, "description": "任务尚未完成或已失败"},
            **_INVALID,
        },
    )
    def report_api(job_id: str) -> Response:
        job = manager.get(job_id)
        if job is None:
            return _problem(404, "没有这个报告")
        path = manager.result(job_id, "report.json")
        if path is None:
            reason = job.error if job.status == FAILED else "任务尚未完成"
            return _problem(409, reason or "任务尚未完成")
        return FileResponse(path, media_type="application/json")

    @app.get("/api/health", summary="服务状态", response_description="正常")
    def health() -> dict[str, str]:
        return {"status": "ok", "version": __version__}

    app.add_middleware(BodyLimit, limit=settings.max_upload_bytes)
    app.add_middleware(SecurityHeaders)  # added last: outermost, so refusals carry the headers too
    return app
