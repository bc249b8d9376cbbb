"""Server settings: one typed object, each field with its environment variable and a line of help."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

ENV_PREFIX = "AKIYA_"


class Settings(BaseModel):
    """Every setting can come from the environment as AKIYA_<NAME> (e.g. AKIYA_DB)."""

    # An error names the setting and what it expects, never the value given: URLs may carry passwords.
    model_config = ConfigDict(hide_input_in_errors=True)

    db: Path | str = Field(Path("var/akiya.sqlite3"),
                           description="SQLite database file, or a PostgreSQL URL (postgresql://user@host:port/dbname)")
    data_dir: Path = Field(Path("var/data"), description="Photos live here (unless AKIYA_STORAGE_URL is set); uploads in progress always do")
    storage_url: str | None = Field(None, description="Object storage for photos: s3://bucket/prefix (credentials from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY); unset: the data folder")
    s3_endpoint_url: str | None = Field(None, description="S3-compatible endpoint for AKIYA_STORAGE_URL when it is not AWS, e.g. http://127.0.0.1:9000")
    photo_cache_mb: int = Field(1024, ge=16, description="With object storage: report-size photos kept on local disk for PDFs (MB, under the data folder)")
    host: str = Field("127.0.0.1", description="Address to listen on (0.0.0.0 for phones on the LAN)")
    port: int = Field(8000, ge=1, le=65535, description="TCP port")
    workers: int = Field(1, ge=1, le=64, description="Server processes sharing the port (akiya serve --workers); each has its own connection limits and PDF workers")
    ssl_certfile: Path | None = Field(None, description="TLS certificate (phones need HTTPS)")
    ssl_keyfile: Path | None = Field(None, description="TLS private key")
    header_timeout: float = Field(10.0, gt=0, description="Seconds a client has to send a whole request header before the connection is closed")
    timeout_keep_alive: float = Field(5.0, gt=0, description="Seconds an idle kept-alive connection stays open")
    limit_concurrency: int = Field(1000, ge=8, description="Open connections at most (past it the oldest one still waiting for its header is closed); requests in progress past it get 503")
    backlog: int = Field(1024, ge=16, description="Connections the kernel queues before they are accepted")
    max_header_bytes: int = Field(16384, ge=1024, description="Largest request header (bytes): one still unfinished past this size gets 400")
    forwarded_allow_ips: str | None = Field(None, description="Proxy addresses trusted to say the client address and scheme (X-Forwarded-For/-Proto), e.g. 127.0.0.1 behind nginx; unset: nobody")
    hsts_max_age: int = Field(31536000, ge=0, description="Strict-Transport-Security max-age (seconds) sent on HTTPS responses; 0: not sent")
    rubrics_dir: Path = Field(Path(__file__).resolve().parents[2] / "rubrics", description="Rubric files")
    demo: bool = Field(False, description="Demo mode, only on a database made by seed-demo: shows the demo logins and password on the sign-in page")
    demo_public: bool = Field(False, description="Allow demo mode on a non-loopback host (everyone who reaches it sees the demo password)")
    token_days: int = Field(30, ge=1, le=365, description="How long a sign-in token lasts (days)")
    photo_max_bytes: int = Field(20 * 1024 * 1024, ge=1024, description="Largest photo upload accepted")
    upload_partial_days: int = Field(7, ge=1, description="Unfinished chunked photo uploads are deleted after this many days (checked at start and daily)")
    photo_window_minutes: int = Field(30, ge=0, description="Capture time tolerance around a visit")
    photo_max_distance_m: float = Field(150.0, gt=0, description="Photo GPS farther than this from the house is flagged")
    font_gothic: Path | None = Field(None, description="TrueType Gothic font for PDFs (default: IPAex Gothic)")
    font_mincho: Path | None = Field(None, description="TrueType Mincho font for PDFs (default: IPAex Mincho)")
    font_fallback: Path | None = Field(None, description="TrueType font for characters IPAex lacks, e.g. 𠮷 "
                                       "(default: IPAmj明朝 from fonts-ipamj-mincho, if installed)")
    smtp_host: str | None = Field(None, description="SMTP server for owners' e-mailed reports (unset: no e-mail is sent)")
    smtp_port: int = Field(587, ge=1, le=65535, description="SMTP port")
    smtp_user: str | None = Field(None, description="SMTP login (unset: no authentication)")
    smtp_password: str | None = Field(None, description="SMTP password")
    smtp_starttls: bool = Field(True, description="Upgrade the SMTP connection with STARTTLS")
    mail_from: str = Field("akiya@localhost", description="Sender address of owners' report e-mails")
    public_url: str | None = Field(None, description="The address owners reach the server at, for links in e-mails (one-time sign-in links), e.g. https://akiya.example.jp (unset: http(s)://HOST:PORT); never taken from a request's Host header")
    office_mail_to: str | None = Field(None, description="Office address told by e-mail of each new message from an owner (needs SMTP; unset: the owner's page on the office side only)")
    urgent_mail_to: str | None = Field(None, description="Office address that gets an e-mail for each urgent finding as it syncs (needs SMTP; unset: the office home only)")
    mail_interval_seconds: float = Field(60.0, gt=0, description="How often the e-mail sender looks for reports to send")
    lease_seconds: float = Field(60.0, ge=1, description="With several server processes: the scheduler and the mail sender run in one of them; when it dies another takes over after this many seconds")
    db_start_seconds: float = Field(30.0, gt=0, description="PostgreSQL: how long the server waits at start for the database to accept connections (it may be starting too) before it gives up")
    log_format: Literal["text", "json"] = Field("text", description="Log lines as text (for people) or json (one object a line with time, request id, route, status, duration, user id: for a log collector)")
    metrics_token: str | None = Field(None, description="Bearer token Prometheus sends to scrape /metrics (unset: /metrics answers only clients on this machine)")
    tile_url: str | None = Field(None, description="Map tile URL template for the office map, e.g. https://tiles.example/{z}/{x}/{y}.png (unset: plain plot)")
    tile_attribution: str = Field("", description="Attribution text shown under the office map when tiles are used")

    @field_validator("db", mode="before")
    @classmethod
    def _db_path_or_url(cls, value):
        """A postgresql:// URL stays text (pathlib would collapse its `//`); anything else is a path."""
        from server.db import is_postgres_url

        if isinstance(value, str) and not is_postgres_url(value):
            return Path(value)
        return value

    @field_validator("storage_url", mode="before")
    @classmethod
    def _storage_url(cls, value):
        """Unset / empty, or s3://bucket[/prefix]; credentials belong in the AWS variables, not here."""
        from server.storage import parse_storage_url

        if value is None or value == "":
            return None
        parse_storage_url(value)  # ValueError with a message that never repeats the value
        return str(value).rstrip("/")

    @field_validator("s3_endpoint_url", mode="before")
    @classmethod
    def _endpoint_url(cls, value):
        if value is None or value == "":
            return None
        if not re.match(r"^https?://[^/@\s]+(/\S*)?$", str(value)):
            raise ValueError("AKIYA_S3_ENDPOINT_URL must be http(s)://host[:port] without credentials "
                             "(they go in AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY)")
        return str(value)

    @property
    def db_is_postgres(self) -> bool:
        from server.db import is_postgres_url

        return is_postgres_url(self.db)

    @property
    def db_shown(self) -> str:
        """The database as it may appear in messages and logs: a URL's password replaced by ***."""
        from server.db.url_password import shown

        return shown(str(self.db))

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides) -> "Settings":
        """Settings from AKIYA_* variables, then explicit overrides (None values are ignored)."""
        environ = os.environ if environ is None else environ
        values = {}
        for name in cls.model_fields:
            raw = environ.get(ENV_PREFIX + name.upper())
            if raw is not None and raw != "":
                values[name] = raw
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    @property
    def base_url(self) -> str:
        """Where links in e-mails point: AKIYA_PUBLIC_URL, else this server's own address."""
        if self.public_url:
            return self.public_url.rstrip("/")
        return f"{'https' if self.ssl_certfile else 'http'}://{self.host}:{self.port}"

    @property
    def photos_dir(self) -> Path:
        return self.data_dir / "photos"

    @property
    def reports_dir(self) -> Path:
        return self.data_dir / "reports"


def settings_help() -> list[tuple[str, str, str]]:
    """(environment variable, default, help) for every setting, for docs and `akiya serve --help`."""
    return [
        (ENV_PREFIX + name.upper(), str(field.default), field.description or "")
        for name, field in Settings.model_fields.items()
    ]


__all__ = ["Settings", "ValidationError", "settings_help"]
