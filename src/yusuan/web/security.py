"""Defences that apply to every request: body size, cross-site requests, response headers.

- The body size is bounded while it arrives (`BodyLimit`): a declared Content-Length over the
  limit is refused before reading, a streamed body as soon as it passes the limit.
- Forms carry a token that must match a cookie (double submit; `csrf_token`, `check_csrf`), and
  any state-changing request whose Origin is another site is refused (`SecurityHeaders`).
- Every response forbids inline scripts and foreign resources (Content-Security-Policy), MIME
  sniffing, framing and a Referer to other sites (report URLs are the only key to a report).
"""

from __future__ import annotations

import hmac
import json
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import urlsplit

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

CSRF_COOKIE = "yusuan_csrf"
CSRF_FIELD = "csrf_token"

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    # Same-origin requests keep their Origin (Chromium sends `Origin: null` under no-referrer);
    # another site never learns a report's URL from a link.
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
]
_UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def token_matches(expected: str | None, given: str | None) -> bool:
    """A bearer token compared in constant time; never true when no token is configured."""
    if not expected or not given:
        return False
    return hmac.compare_digest(expected.encode(), given.encode())


def csrf_token() -> str:
    return secrets.token_urlsafe(24)


def check_csrf(cookie: str | None, form_value: str | None) -> bool:
    if not cookie or not form_value:
        return False
    return hmac.compare_digest(cookie.encode(), form_value.encode())


class _TooLarge(Exception):
    pass


def _is_api(scope: Scope) -> bool:
    return str(scope.get("path", "")).startswith("/api/")


async def _refuse(send: Send, scope: Scope, status: int, message: str) -> None:
    """A short answer in the form the client asked for: JSON for the API, a page otherwise."""
    if _is_api(scope):
        body = json.dumps({"detail": message}, ensure_ascii=False).encode()
        ctype = b"application/json"
    else:
        from yusuan.web.pages import error_page

        body = error_page(message, status).encode()
        ctype = b"text/html; charset=utf-8"
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", ctype), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})


class BodyLimit:
    """Refuse request bodies over `limit` bytes with 413 and a message naming the limit."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    def _message(self) -> str:
        mb = self.limit / (1024 * 1024)
        shown = f"{mb:g} MB" if mb >= 1 else f"{self.limit} 字节"
        return f"上传的文件太大：一次最多 {shown}，请拆分或压缩后再上传"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await _drain(receive, self.limit)
            await _refuse(send, scope, 413, self._message())
            return
        seen = 0
        started = False

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise _TooLarge
            return message

        async def tracking(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited, tracking)
        except _TooLarge:
            if not started:
                await _refuse(send, scope, 413, self._message())


async def _drain(receive: Receive, limit: int) -> None:
    """Read and drop a refused body (up to 4× the limit) so the client sees the answer, not a reset."""
    seen = 0
    while seen <= 4 * limit:
        message = await receive()
        if message["type"] != "http.request":
            return
        seen += len(message.get("body", b""))
        if not message.get("more_body"):
            return


class SecurityHeaders:
    """Headers on every response; state-changing requests from another origin refused."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        origin = headers.get(b"origin")
        if scope.get("method") in _UNSAFE and origin is not None:
            host = headers.get(b"host", b"").decode("latin-1")
            if urlsplit(origin.decode("latin-1")).netloc != host:
                await _refuse(send, scope, 403, "拒绝来自其他网站的请求")
                return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [
                    (k, v) for k, v in HEADERS if k not in present
                ]
            await send(message)

        await self.app(scope, receive, with_headers)
