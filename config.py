"""The one settings object. Nothing else in the code base reads `os.environ`.

Every value can be set with a `REHEARSE_`-prefixed environment variable or a `.env` file.
"""

from __future__ import annotations

import os
import secrets
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="REHEARSE_", env_file=".env", extra="ignore")

    environment: Literal["development", "production"] = "development"
    var_dir: Path = ROOT / "var"
    database_url: str = ""  # empty: the embedded SQLite file under var_dir
    redis_url: str = "redis://127.0.0.1:6379/0"
    # Prefixes every Redis key we own (streams, rate limits, Dramatiq queues), so that two
    # deployments or two test runs can share one Redis.
    namespace: str = "rehearse"

    jwt_secret: SecretStr | None = None  # development: generated once and kept in var_dir
    jwt_ttl_seconds: int = 8 * 3600
    password_min_length: int = 8

    session_min_minutes: int = 5
    session_max_minutes: int = 120
    session_default_minutes: int = 45
    nudge_after_seconds: float = 120.0
    sweep_interval_seconds: float = 10.0

    stream_maxlen: int = 5000
    relay_max_connections: int = 10_000  # Redis connections per web process (one per open WebSocket)
    worker_heartbeat_timeout_ms: int = 15_000
    # The MiniLM encoder (decision 0007): how many CPU threads one forward pass uses (passes run one
    # at a time per process; lower it when several interviewer or feedback processes share few
    # cores), and its precision, bf16 where the CPU has it (about 4x f32's speed, cosines within 0.003).
    encoder_threads: int = Field(default=2, ge=1, le=64)
    encoder_precision: Literal["bf16", "f32"] = "bf16"
    # Dramatiq's Prometheus exporter in a pool's worker processes, on Dramatiq's own
    # `dramatiq_prom_port` (default 9191). On in the Procfile and compose.yaml; off here, so the web
    # tier and the tests' in-process worker never bind a port.
    worker_metrics: bool = False
    ws_max_message_bytes: int = 64 * 1024
    message_max_chars: int = 4000
    drawing_max_bytes: int = 2 * 1024 * 1024
    drawing_max_elements: int = 5000

    rate_session_starts: str = "30/hour"
    rate_auth_attempts: str = "20/minute"
    rate_code_runs: str = "60/minute"

    # The Docker Engine API the execution pool talks to (Docker, or podman's compatible service);
    # the standard DOCKER_HOST works too, so a user with Docker needs no setting at all.
    docker_host: str = Field(
        default="unix:///var/run/docker.sock",
        validation_alias=AliasChoices("REHEARSE_DOCKER_HOST", "DOCKER_HOST"),
    )
    sandbox_janitor_max_age_s: float = 300.0
    sandbox_pool_size: int = 2
    code_max_bytes: int = 64 * 1024
    run_time_limit_s: float = 5.0
    run_time_limit_max_s: float = 10.0
    run_memory_mb: int = 256

    llm_base_url: str | None = None
    llm_model: str | None = None
    llm_api_key: SecretStr | None = None
    llm_timeout_s: float = 20.0
    # A stalled or slow provider falls back to the built-in wording after this long without a token.
    llm_first_token_timeout_s: float = 1.0
    llm_grading_timeout_s: float = 90.0

    frontend_dir: Path = ROOT / "frontend" / "out"
    cors_origins: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _production_needs_real_secrets(self) -> Settings:
        if self.environment == "production":
            if self.jwt_secret is None or len(self.jwt_secret.get_secret_value()) < 32:
                raise ValueError("REHEARSE_JWT_SECRET (32+ characters) is required in production")
            if not self.database_url or self.database_url.startswith("sqlite"):
                raise ValueError("production needs REHEARSE_DATABASE_URL pointing at PostgreSQL")
        return self

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.var_dir / 'rehearse.db'}"

    def jwt_key(self) -> bytes:
        """The signing key; in development it is generated on first use and kept out of git."""
        if self.jwt_secret is not None:
            return self.jwt_secret.get_secret_value().encode()
        path = self.var_dir / "jwt_secret"
        self.var_dir.mkdir(parents=True, exist_ok=True)
        try:  # O_EXCL: two web processes starting together agree on one key
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return path.read_text().strip().encode()
        with os.fdopen(fd, "w") as file:
            file.write(secrets.token_urlsafe(48))
        return path.read_text().strip().encode()


@cache
def get_settings() -> Settings:
    return Settings()
