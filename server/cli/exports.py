"""``salesfloor export`` and ``salesfloor import``: the instructor's downloads, from the command line.

Both work on the database directly (``--database``, else DATABASE_URL, else salesfloor.db),
with or without a server running: an export rebuilds the competition from its command log
and writes nothing to the database; an import replays the archive first and stores it only
if it gives the archive's digest.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from server.exports.competition import (
    FORMATS,
    TABLES,
    archive_of,
    export_file,
    open_competition,
    store_archive,
)
from server.persistence.archive.contents import MAX_ARCHIVE_BYTES, ArchiveError, write_archive

WHAT = (*TABLES, "all", "archive")


class ExportError(Exception):
    """A problem to report in one line with exit code 2."""


def _store(args: argparse.Namespace) -> Any:
    from server.persistence.db.engine import make_engine, migrate
    from server.persistence.store import Store
    from server.settings import Settings

    url = args.database or Settings().database_url
    try:
        engine = make_engine(url)
        migrate(engine)
    except Exception as exc:
        raise ExportError(f"cannot open the database {url}: {str(exc).splitlines()[0]}") from None
    return Store(engine)


def cmd_export(args: argparse.Namespace) -> int:
    fmt = "zip" if args.what == "archive" else args.format or ("xlsx" if args.what == "all" else "csv")
    if args.what == "all" and fmt != "xlsx":
        raise ExportError("--what all writes one workbook: use --format xlsx")
    if args.what == "archive" and args.format not in (None, "zip"):
        raise ExportError("--what archive writes a ZIP; leave out --format")
    store = _store(args)
    try:
        live = open_competition(store, args.competition)
    except ArchiveError as exc:
        raise ExportError(str(exc)) from None
    data = write_archive(archive_of(live)) if args.what == "archive" else export_file(live, args.what, fmt)
    out = args.out or f"salesfloor-{args.competition}-{args.what}.{fmt}"
    try:
        Path(out).write_bytes(data)
    except OSError as exc:
        raise ExportError(f"cannot write {out}: {exc.strerror}") from None
    print(f"{out}: {len(data):,} bytes ({args.what} of competition {args.competition}, {live.name})")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    try:
        source = Path(args.archive).open("rb")  # noqa: SIM115 - closed below; read as a stream, never whole
    except OSError as exc:
        raise ExportError(f"cannot read {args.archive}: {exc.strerror}") from None
    with source:
        size = source.seek(0, 2)
        if size > MAX_ARCHIVE_BYTES:
            raise ExportError(f"archive refused: the archive is larger than {MAX_ARCHIVE_BYTES // 2**20} MiB")
        store = _store(args)
        try:
            row = store_archive(store, source)
        except ArchiveError as exc:
            raise ExportError(f"archive refused: {exc}") from None
        except OSError as exc:
            raise ExportError(f"cannot read {args.archive}: {exc.strerror or exc}") from None
    print(f"imported {row.name!r} as competition {row.id} ({row.state}); judge code {row.judge_code}")
    return 0


def add_parsers(sub: Any) -> None:
    ex = sub.add_parser(
        "export", help="write a competition's standings, rounds, rubric, events, grades or archive"
    )
    ex.add_argument("--competition", type=int, required=True, help="the competition's id")
    ex.add_argument(
        "--what", choices=WHAT, default="standings", help="which table, all of them, or the archive"
    )
    ex.add_argument("--format", choices=(*FORMATS, "zip"), default=None, help="csv or xlsx (default csv)")
    ex.add_argument("--out", default=None, help="the file to write (default salesfloor-ID-WHAT.FORMAT)")
    ex.add_argument("--database", default=None, help="database URL (default DATABASE_URL or salesfloor.db)")
    ex.set_defaults(run=cmd_export)

    im = sub.add_parser("import", help="import a competition archive (replayed and checked first)")
    im.add_argument("archive", help="an archive.zip exported by any Salesfloor server")
    im.add_argument("--database", default=None, help="database URL (default DATABASE_URL or salesfloor.db)")
    im.set_defaults(run=cmd_import)
