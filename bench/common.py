"""What every benchmark here needs: its database, and a process's own peak memory."""

from __future__ import annotations

import contextlib
import resource
import urllib.parse
from pathlib import Path


def ensure_database(url: str) -> None:
    """CREATE DATABASE when it does not exist yet (connecting to the `postgres` database)."""
    import psycopg
    from psycopg import sql

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            print(f"creating database {name}")
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def reset_peak_rss() -> None:
    """Linux keeps a process's peak RSS across fork and exec: a child measuring itself
    resets the high-water mark first (VmHWM; ru_maxrss cannot be reset)."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def rss_mb() -> float:
    """This process's peak resident set size in MB: VmHWM, else ru_maxrss."""
    with contextlib.suppress(OSError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
