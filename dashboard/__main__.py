"""Command line: `python -m dashboard sync | export | doctor | purge | where | serve-fake` (demo unless credentials set).

Credentials come from PERSONIO_CLIENT_ID / PERSONIO_CLIENT_SECRET (never from the command line, where
other users could read them); the base URL from --base-url or PERSONIO_BASE_URL. Progress goes to stderr;
an error is one line on stderr and exit code 2.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from dashboard.config import Settings, insecure_base_url_warning, load_settings

if TYPE_CHECKING:  # heavy imports (polars, httpx) wait until a command needs them
    from dashboard.source import Source
    from dashboard.sync import SyncProgress, SyncReport

EXIT_ERROR = 2
DEMO_SIZE = 10000  # dashboard.source.DEMO_SIZE, without importing it for `where`


class CliError(Exception):
    """A problem the user can fix; its message is printed as is."""


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _positive(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be a positive whole number: {text!r}")
    return n


def build_parser() -> argparse.ArgumentParser:
    """The argparse parser of the CLI."""
    p = argparse.ArgumentParser(prog="python -m dashboard", description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def company_args(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("--base-url", help="Personio API base URL (default: $PERSONIO_BASE_URL or https://api.personio.de)")
        sp.add_argument("--demo-size", type=_positive, default=DEMO_SIZE,
                        help=f"applications in the demo company (default {DEMO_SIZE})")

    sp = sub.add_parser("sync", help="fetch new and changed data into the local cache")
    company_args(sp)
    sp.add_argument("--full", action="store_true", help="full pass: list everything and drop deleted records")

    ex = sub.add_parser("export", help="sync, then write tables, metrics and kpis.json as CSV/JSON")
    company_args(ex)
    ex.add_argument("--out", required=True, type=Path, help="output directory")
    ex.add_argument("--from", dest="date_from", type=_date, help="first application date (YYYY-MM-DD)")
    ex.add_argument("--to", dest="date_to", type=_date, help="last application date, inclusive (YYYY-MM-DD)")
    ex.add_argument("--no-sync", action="store_true", help="export the cached data without syncing")
    ex.add_argument("--review", action="store_true",
                    help="also write review.html (HTML review pack) and review.pptx (slide deck) of the whole dashboard")

    dr = sub.add_parser("doctor", help="check the connection: token, then one request to each endpoint used "
                                       "(prints no secret, token, name or e-mail; exit 1 when something is wrong)")
    company_args(dr)

    pu = sub.add_parser("purge", help="delete every cached byte of every company")
    pu.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    sub.add_parser("where", help="print the cache location")

    sf = sub.add_parser("serve-fake", help="serve the demo company as a fake Personio over HTTP (for trying the real path)")
    sf.add_argument("--host", default="127.0.0.1")
    sf.add_argument("--port", type=int, default=8765)
    sf.add_argument("--size", type=_positive, default=DEMO_SIZE, help="applications in the demo company")
    sf.add_argument("--seed", type=int, default=7)
    return p


def _settings(args: argparse.Namespace, env: dict[str, str]) -> Settings:
    overrides = {"base_url": args.base_url} if getattr(args, "base_url", None) else None
    settings = load_settings(env=env, overrides=overrides)
    if args.base_url and settings.is_demo:
        raise CliError("--base-url needs PERSONIO_CLIENT_ID and PERSONIO_CLIENT_SECRET in the environment.")
    return settings


class _ProgressPrinter:
    """Progress lines on stderr: one per finished phase, transitions every 10 %."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.last: tuple[str, int] | None = None

    def __call__(self, p: SyncProgress) -> None:
        if p.waiting:
            print(f"{p.phase}: waiting: {p.waiting}", file=self.out, flush=True)
            return
        if p.total is None:
            return
        if p.phase == "transitions" and p.total:
            step = max(1, p.total // 10)
            if p.done not in (0, p.total) and p.done % step:
                return
        if self.last == (p.phase, p.done):
            return
        self.last = (p.phase, p.done)
        if p.phase == "publishing":
            if p.done == p.total:
                print("publishing: done", file=self.out, flush=True)
            return
        left = ""
        if p.phase == "transitions" and p.requests_left:
            eta = f", about {_duration(p.eta_s)} left" if p.eta_s is not None else ""
            left = f" ({p.requests_left:,} requests to go{eta})"
        print(f"{p.phase}: {p.done}/{p.total}{left}", file=self.out, flush=True)


def _duration(seconds: float) -> str:
    """'45 s', '12 min', '1 h 05 min'."""
    s = max(0, round(seconds))
    if s < 60:
        return f"{s} s"
    if s < 3600:
        return f"{round(s / 60)} min"
    return f"{s // 3600} h {s % 3600 // 60:02d} min"


def _sync(settings: Settings, source: Source, full: bool | None, err: TextIO) -> SyncReport:
    from dashboard.source import make_client, open_store
    from dashboard.sync import run_sync

    store = open_store(source, settings.cache_root)
    if store.warning:
        print(f"warning: {store.warning}", file=err, flush=True)
    insecure = None if source.is_demo else insecure_base_url_warning(settings.base_url)
    if insecure:
        print(f"warning: {insecure}", file=err, flush=True)
    client = make_client(source, settings.client_secret.get() or None,
                         **({} if source.is_demo else {"rate_per_second": settings.rate_per_second}))
    try:
        print(f"Syncing {source.label} into {store.path}", file=err, flush=True)
        report = run_sync(client, store, full=full, progress=_ProgressPrinter(err),
                          publish_every=source.publish_every)
    finally:
        close = getattr(client, "close", None)
        if close is not None:
            close()
        store.close()
    kind = "full" if report.full else "incremental"
    print(f"{kind} sync: {report.applications_fetched} applications, {report.transitions_fetched} transition "
          f"lists, {report.requests} requests in {report.duration_s:.1f}s", file=err, flush=True)
    if report.histories_refreshed:
        print(f"stage histories re-read (stage changed without a new updated_at): {report.histories_refreshed}",
              file=err)
    for note in report.notes[:20]:
        print(f"note: {note}", file=err)
    if report.errors:
        raise CliError(" ".join(report.errors))
    return report


def cmd_sync(args: argparse.Namespace, env: dict[str, str], out: TextIO, err: TextIO) -> int:
    """`sync [--full]`."""
    from dashboard.source import source_from_settings

    settings = _settings(args, env)
    source = source_from_settings(settings, demo_size=args.demo_size)
    _sync(settings, source, True if args.full else None, err)
    return 0


def cmd_export(args: argparse.Namespace, env: dict[str, str], out: TextIO, err: TextIO) -> int:
    """`export --out DIR [--from --to] [--no-sync]`."""
    from dashboard.exports.csv import export_all
    from dashboard.source import open_store, source_from_settings
    from dashboard.store import private_umask

    if args.date_from and args.date_to and args.date_from > args.date_to:
        raise CliError("--from must not be after --to.")
    settings = _settings(args, env)
    source = source_from_settings(settings, demo_size=args.demo_size)
    if not args.no_sync:
        _sync(settings, source, None, err)
    store = open_store(source, settings.cache_root)
    if args.no_sync and store.warning:
        print(f"warning: {store.warning}", file=err, flush=True)
    try:
        tables = store.load_tables()
        errors = store.status().errors
    finally:
        store.close()
    if errors:
        raise CliError(" ".join(errors))
    if tables is None:
        raise CliError("Nothing cached for this company yet; run without --no-sync (or `sync`) first.")
    try:
        from metrics.filters import Filters
    except ImportError:  # the sync path works without the metrics package
        filters = None
    else:
        filters = Filters(date_from=args.date_from, date_to=args.date_to)
    with private_umask():  # exported files carry the cache's private permissions (0700 dirs, 0600 files)
        written = export_all(tables, args.out, filters)
        if args.review:
            if filters is None:
                raise CliError("--review needs the metrics package.")
            written += write_review(tables, filters, source.label, args.out, err)
    for path in written:
        path.chmod(0o600)  # also files that existed before, with other permissions
    print(f"Wrote {len(written)} files to {args.out} (data as of {tables.as_of:%Y-%m-%d %H:%M} UTC)", file=err)
    print(str(args.out), file=out)
    return 0


def write_review(tables: Any, filters: Any, company: str, out_dir: Path, err: TextIO) -> list[Path]:
    """review.html and review.pptx of the whole dashboard for `filters` into `out_dir`."""
    from dashboard.exports import images
    from dashboard.exports.deck import review_deck
    from dashboard.exports.pack import review_html
    from dashboard.exports.review import whole_dashboard

    review = whole_dashboard(tables, filters, company)
    ok, why = images.image_export_status()
    if not ok:
        print(f"warning: the deck's chart slides carry no image ({why})", file=err, flush=True)
    html_path, deck_path = out_dir / "review.html", out_dir / "review.pptx"
    html_path.write_bytes(review_html(review))
    try:
        deck_path.write_bytes(review_deck(review))
    finally:
        images.shutdown()
    return [html_path, deck_path]


def cmd_purge(args: argparse.Namespace, env: dict[str, str], out: TextIO, err: TextIO,
              ask: Callable[[str], str] = input) -> int:
    """`purge [--yes]`: delete every company's cache."""
    from dashboard.config import default_cache_root
    from dashboard.store import purge_root

    root = default_cache_root(env)
    if not args.yes:
        if not sys.stdin.isatty():
            raise CliError(f"Refusing to delete {root} without confirmation; pass --yes.")
        if ask(f"Delete all cached recruiting data under {root}? [y/N] ").strip().lower() not in ("y", "yes"):
            print("Nothing deleted.", file=err)
            return 1
    removed = purge_root(root)
    print(f"Deleted {len(removed)} cached compan{'y' if len(removed) == 1 else 'ies'} under {root}.", file=err)
    return 0


def cmd_where(args: argparse.Namespace, env: dict[str, str], out: TextIO, err: TextIO) -> int:
    """`where`: print the cache root."""
    from dashboard.config import default_cache_root

    print(str(default_cache_root(env)), file=out)
    return 0


def cmd_serve_fake(args: argparse.Namespace, env: dict[str, str], out: TextIO, err: TextIO) -> int:
    """`serve-fake`: run dashboard.demo.serve until interrupted."""
    from dashboard.demo.serve import main as serve_main

    serve_main(["--host", args.host, "--port", str(args.port), "--size", str(args.size), "--seed", str(args.seed)])
    return 0


def cmd_doctor(args: argparse.Namespace, env: dict[str, str], out: TextIO, err: TextIO) -> int:
    """`doctor [--base-url URL]`: the connection report on stdout; exit 0 when all is well, 1 otherwise."""
    from dashboard.doctor import check_settings

    report = check_settings(_settings(args, env), demo_size=args.demo_size)
    print(_redact(report.text(), env), file=out, flush=True)
    if not report.ok:
        print(f"error: {_redact(report.reason, env)}", file=err)
        return 1
    return 0


COMMANDS = {"sync": cmd_sync, "export": cmd_export, "doctor": cmd_doctor, "purge": cmd_purge, "where": cmd_where,
            "serve-fake": cmd_serve_fake}


def _redact(message: str, env: dict[str, str]) -> str:
    secret = env.get("PERSONIO_CLIENT_SECRET") or ""
    return message.replace(secret, "***") if len(secret) >= 4 else message


def main(argv: Sequence[str] | None = None, *, env: dict[str, str] | None = None,
         out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run the CLI; returns the exit code (0 ok, 2 error)."""
    env = dict(os.environ if env is None else env)
    out = out or sys.stdout
    err = err or sys.stderr
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args, env, out, err)
    except KeyboardInterrupt:
        print("error: interrupted; the next sync resumes where this one stopped.", file=err)
        return 130
    except CliError as exc:  # written for the user (this module runs as __main__, not dashboard.*)
        print(f"error: {_redact(str(exc), env)}", file=err)
        return EXIT_ERROR
    except Exception as exc:  # every failure becomes one clear line, never a traceback
        from dashboard.sync import user_message

        print(f"error: {_redact(user_message(exc), env)}", file=err)
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
