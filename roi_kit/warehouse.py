"""Point roi_kit at tables in a SQL warehouse (PostgreSQL) instead of exporting CSVs.

:func:`warehouse_table` returns a lazy Ibis table; every analysis that accepts a frame
(``rk.attribute``, ``rk.funnel``, ``rk.rates``, ``rk.define_followers``, ``rk.post_metrics`` ...)
runs its filters, joins and group-bys inside the database through narwhals and fetches only the
aggregated result (per-group sums and counts, path counts). The optional extra installs Ibis
and a PostgreSQL driver::

    pip install "roi_kit[warehouse]"

Why Ibis and not SQLFrame, and the measured times: docs/scale.md.
"""

from __future__ import annotations

from typing import Any

from roi_kit.errors import ConfigError, InputError

__all__ = ["warehouse_table"]

_INSTALL = 'install the extra: pip install "roi_kit[warehouse]" (Ibis with its PostgreSQL driver).'


def _connect(url: str) -> Any:
    try:
        import ibis
    except ImportError as exc:
        raise ConfigError("rk.warehouse_table needs Ibis, which is not installed.",
                          hint=_INSTALL) from exc
    try:
        return ibis.connect(url)
    except ImportError as exc:
        raise ConfigError(f"Ibis cannot load the driver for {url.split(':', 1)[0]!r}.",
                          hint=_INSTALL) from exc


def warehouse_table(connection: Any, table: str) -> Any:
    """A warehouse table as a lazy frame that every roi_kit analysis accepts.

    Parameters
    ----------
    connection
        A database URL such as ``"postgresql://analyst@db.example.com:5432/marketing"`` (a unix
        socket: ``"postgresql://analyst@/marketing?host=/run/postgresql"``), or an open Ibis
        connection (``ibis.postgres.connect(...)``) — pass one connection when several tables
        are used together, since tables are joined inside one database session.
    table
        ``"table"`` or ``"schema.table"``. The column names must be roi_kit's canonical names
        (``user_id``, ``timestamp``, ``channel``, ...); rename them in a SQL view otherwise.

    Returns
    -------
    ibis.Table
        Lazy: nothing is read until an analysis runs, and then only its aggregates come back.

    Raises
    ------
    ConfigError
        When Ibis or the database driver is not installed (the hint says which extra to install).
    InputError
        When the table is not found (the message names the table and the tables found).

    Examples
    --------
    A SQLite database stands in for PostgreSQL here (docs/scale.md has a PostgreSQL session):

    >>> import ibis
    >>> con = ibis.sqlite.connect()
    >>> _ = con.raw_sql("create table ads as select 'x' as platform, 10.0 as spend, "
    ...                 "1000 as impressions, 20 as clicks")
    >>> import roi_kit as rk
    >>> rk.rates(rk.warehouse_table(con, "ads")).value("cpc")
    0.5
    """
    con = _connect(connection) if isinstance(connection, str) else connection
    if not hasattr(con, "table"):
        raise InputError(f"connection is a {type(connection).__name__}, not a URL or an Ibis "
                         "connection.", hint="pass a URL like 'postgresql://user@host:5432/db' "
                         "or ibis.postgres.connect(...).")
    schema, _, name = table.rpartition(".")
    try:
        return con.table(name, database=schema or None)
    except Exception as exc:  # Ibis raises the driver's own error types
        try:
            found = ", ".join(sorted(con.list_tables(database=schema or None))[:20]) or "(none)"
        except Exception:  # pragma: no cover - listing failed as well: say what we know
            found = "(could not list)"
        raise InputError(f"warehouse table {table!r} was not found ({type(exc).__name__}). "
                         f"Tables found: {found}.",
                         hint="check the schema and table name (\"schema.table\") and that "
                         "the connected user may read it.") from exc
