"""What an operator can set: where files go, how large an upload may be, how many jobs run."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

MB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Settings:
    data_dir: Path  # uploads and reports, under generated names only
    max_upload_bytes: int = 50 * MB  # one request, all its files together
    max_files: int = 10  # files in one upload
    workers: int = 2  # jobs read and audited at the same time
    max_pending: int = 64  # jobs waiting or running; beyond that uploads are refused (503)
    secure_cookies: bool = False  # set the Secure flag (behind HTTPS)
    db: str | None = None  # the corpus store (`yusuan batch --db`), browsed read-only
    # Adding uploads to the corpus (`POST /api/jobs` with corpus=true) needs this token as
    # `Authorization: Bearer …`; None (the default): the corpus is only read.
    write_token: str | None = None

    @property
    def writable(self) -> bool:
        return bool(self.write_token) and self.db is not None

    @property
    def max_upload_mb(self) -> float:
        return self.max_upload_bytes / MB
