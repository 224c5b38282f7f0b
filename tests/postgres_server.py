"""A throw-away PostgreSQL server for the warehouse tests and benchmarks (a real server, no mock).

``running_postgres()`` initdb's a cluster in a fresh temp dir, starts it on a free port with its
unix socket in that dir (no TCP listener), yields a :class:`Postgres`, and stops the server and
removes the dir afterwards — also when the block raises. PostgreSQL refuses to run as root, so
as root the cluster belongs to the ``postgres`` user of Debian's package and its commands run
through ``runuser -u postgres``. ``load_table`` copies a pandas frame in with one ``COPY``.

The binaries come from ``$ROI_KIT_PG_BIN``, else ``initdb`` on the PATH, else the newest
``/usr/lib/postgresql/<version>/bin`` (scripts/ensure_postgres.sh installs them).
"""

from __future__ import annotations

import io
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

USER, DATABASE = "roi", "postgres"


def pg_bin() -> Path | None:
    """Folder holding initdb and pg_ctl, or None when PostgreSQL is not installed."""
    if os.environ.get("ROI_KIT_PG_BIN"):
        return Path(os.environ["ROI_KIT_PG_BIN"])
    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"),
                      key=lambda p: int(p.parts[-3]) if p.parts[-3].isdigit() else 0)
    return versions[-1].parent if versions else None


@dataclass(frozen=True)
class Postgres:
    """Where the running server listens."""

    socket_dir: str
    port: int
    user: str = USER
    database: str = DATABASE

    @property
    def url(self) -> str:
        return f"postgresql://{self.user}@/{self.database}?host={self.socket_dir}&port={self.port}"

    def connect(self) -> Any:
        """A psycopg connection (autocommit)."""
        import psycopg

        return psycopg.connect(host=self.socket_dir, port=self.port, user=self.user,
                               dbname=self.database, autocommit=True)

    def ibis(self) -> Any:
        """An Ibis connection: tables from it are what rk.warehouse_table returns."""
        import ibis

        return ibis.postgres.connect(host=self.socket_dir, port=self.port, user=self.user,
                                     database=self.database)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def running_postgres() -> Iterator[Postgres]:
    """Start a fresh cluster; stop it and delete its files on exit (also on failure)."""
    bindir = pg_bin()
    if bindir is None:
        raise FileNotFoundError("PostgreSQL is not installed: run `bash scripts/ensure_postgres.sh` "
                                "(as root it installs Debian's postgresql) or set ROI_KIT_PG_BIN.")
    root = tempfile.mkdtemp(prefix="roi_kit_pg_")
    prefix: list[str] = []
    if os.geteuid() == 0:  # initdb refuses root: the cluster belongs to the postgres user
        owner = pwd.getpwnam("postgres")
        os.chown(root, owner.pw_uid, owner.pw_gid)
        prefix = ["runuser", "-u", "postgres", "--"]
    data, port = os.path.join(root, "data"), _free_port()

    def run(*args: str) -> None:
        subprocess.run([*prefix, *args], check=True, capture_output=True, text=True, cwd=root)

    started = False
    try:
        run(str(bindir / "initdb"), "-D", data, "-A", "trust", "-U", USER, "-E", "UTF8",
            "--no-sync", "--locale=C")
        options = f"-k {root} -p {port} -c listen_addresses='' -c fsync=off -c full_page_writes=off"
        run(str(bindir / "pg_ctl"), "-D", data, "-o", options, "-l", os.path.join(root, "log"),
            "-w", "start")
        started = True
        yield Postgres(socket_dir=root, port=port)
    finally:
        if started:
            run(str(bindir / "pg_ctl"), "-D", data, "-m", "immediate", "-w", "stop")
        shutil.rmtree(root, ignore_errors=True)


def _sql_type(series: pd.Series) -> str:
    if pd.api.types.is_bool_dtype(series):
        return "boolean"
    if pd.api.types.is_datetime64_any_dtype(series):
        return "timestamp"
    if pd.api.types.is_integer_dtype(series):
        return "bigint"
    if pd.api.types.is_float_dtype(series):
        return "double precision"
    return "text"


def load_table(server: Postgres, name: str, frame: pd.DataFrame) -> None:
    """Create table ``name`` with the frame's columns, copy its rows in (one COPY), analyze it."""
    columns = ", ".join(f'"{c}" {_sql_type(frame[c])}' for c in frame.columns)
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, header=False, date_format="%Y-%m-%d %H:%M:%S.%f")
    with server.connect() as con, con.cursor() as cur:
        cur.execute(f'drop table if exists "{name}"')
        cur.execute(f'create table "{name}" ({columns})')
        with cur.copy(f'copy "{name}" from stdin with (format csv)') as copy:
            copy.write(buffer.getvalue())
        cur.execute(f'analyze "{name}"')  # statistics now, so the planner does not guess
