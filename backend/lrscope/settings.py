"""One frozen settings object, read from LRSCOPE_* environment variables and CLI flags."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Limits:
    """Caps on what one request may ask for; each gives a clear 422 or 413 when exceeded."""

    max_total_steps: int = 2_000_000
    max_body_bytes: int = 1_000_000
    max_depth: int = 4
    max_children: int = 16
    max_param_groups: int = 16
    max_list_length: int = 10_000
    max_expression_length: int = 500
    cache_entries: int = 64
    # Logged runs (POST /api/compare, lrscope compare): the log's text, its rows, and how
    # many parsed logs the server keeps for share links (oldest evicted).
    max_log_bytes: int = 900_000
    max_log_rows: int = 200_000
    stored_logs: int = 500
    # Short links (POST /api/short): how many the server keeps (then it refuses new ones)
    # and the longest state one may hold, in bytes.
    max_short_links: int = 10_000
    max_short_link_bytes: int = 16_384


def _default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "lrscope"


def _default_static_dir() -> Path:
    # The page ships inside the package (package data), so any install serves it.
    return Path(__file__).resolve().parent / "web" / "static"


@dataclass(frozen=True)
class Settings:
    host: str = "127.0.0.1"
    port: int = 8000
    data_dir: Path = field(default_factory=_default_data_dir)
    static_dir: Path = field(default_factory=_default_static_dir)
    limits: Limits = field(default_factory=Limits)
    # Training jobs
    workers: int = field(default_factory=lambda: os.cpu_count() or 1)
    queue_size: int = 64  # a class of thirty can each queue a job
    jobs_per_client: int = 4  # unfinished jobs of one client (its token, web/identity.py)
    jobs_per_ip: int = 64  # unfinished jobs of all clients behind one address together
    # Jobs one client may run at once in each pool; 0: one fewer than the pool's slots
    # (at least 1), so one client never holds every worker (``running_cap``).
    running_per_client: int = 0
    # A paced job (steps_per_second low enough that it needs at most paced_max_cpu of a
    # core, estimated from its model and batch: caps.cpu_share) sleeps most of the time, so
    # it runs in a pool of its own (paced_workers slots) and holds no CPU worker.
    paced_workers: int = 8
    paced_max_cpu: float = 0.25
    admin_token: str = ""  # sent as X-Lrscope-Admin: see and stop everyone's runs
    # Proxies whose X-Forwarded-For/-Proto are believed (uvicorn's forwarded_allow_ips);
    # none by default, so a client cannot pick its own address.
    forwarded_allow_ips: tuple[str, ...] = ()
    job_timeout_s: float = 600.0
    # Where jobs run: "local" worker processes, or "ray" tasks (pip install 'lrscope[ray]')
    # on the Ray cluster at ray_address ("" starts a local Ray inside this server).
    job_backend: str = "local"
    ray_address: str = ""
    allowed_origins: tuple[str, ...] = ()
    # Host names this server answers to besides localhost, IP literals and ``host``
    # (web/security.py: against DNS rebinding); "*" allows any.
    allowed_hosts: tuple[str, ...] = ()
    # The URLs students open, when the machine's own addresses are not them (in a container,
    # behind a proxy); default: found from the network interfaces (sharing/addresses.py).
    public_urls: tuple[str, ...] = ()
    cancel_grace_s: float = 3.0  # a stopped job that has not ended by then is killed
    abandon_after_s: float = 30.0  # a job nobody has watched (or polled) for this long is cancelled
    prewarm_workers: bool = True  # start the worker fork server (torch import) at boot
    # Schedule evaluation (admission.py): at most eval_workers at once, eval_queue waiting,
    # answers estimated within eval_memory_mb, each within eval_deadline_s; else a 503.
    eval_workers: int = field(default_factory=lambda: os.cpu_count() or 1)
    eval_queue: int = 64
    eval_memory_mb: int = 1024
    eval_deadline_s: float = 30.0
    max_connections: int = 256  # uvicorn's limit_concurrency: more get a 503

    def running_cap(self, slots: int) -> int:
        """How many jobs one client may run at once in a pool of ``slots``."""
        return self.running_per_client or max(1, slots - 1)

    @property
    def url(self) -> str:
        host = "127.0.0.1" if self.host in ("0.0.0.0", "::") else self.host
        return f"http://{host}:{self.port}/"

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None, **overrides: Any) -> Settings:
        """Build settings from LRSCOPE_<NAME> variables; keyword overrides win (CLI flags)."""
        env = dict(os.environ if env is None else env)
        values: dict[str, Any] = {}
        limits: dict[str, Any] = {}
        for f in fields(cls):
            raw = env.get(f"LRSCOPE_{f.name.upper()}")
            if raw is not None and f.name != "limits":
                values[f.name] = _parse(f.name, raw, cls)
        for f in fields(Limits):
            raw = env.get(f"LRSCOPE_{f.name.upper()}")
            if raw is not None:
                limits[f.name] = int(raw)
        settings = cls(**values)
        if limits:
            settings = replace(settings, limits=replace(settings.limits, **limits))
        overrides = {k: v for k, v in overrides.items() if v is not None}
        return replace(settings, **overrides)


def _parse(name: str, raw: str, cls: type) -> Any:
    default = getattr(cls(), name)
    if isinstance(default, Path):
        return Path(raw).expanduser()
    if isinstance(default, bool):
        return raw.lower() in ("1", "true", "yes")
    if isinstance(default, int):
        return int(raw)
    if isinstance(default, float):
        return float(raw)
    if isinstance(default, tuple):
        return tuple(s.strip() for s in raw.split(",") if s.strip())
    return raw
