"""`commune-health serve`: the web application for appraisal teams (engine/web/), served by uvicorn.

The command lives in ``engine.web`` rather than ``engine.commands``: the two are peers at the top of
the layers and never import each other, and this command's whole job is to start the web layer.

It binds to the loopback address by default. Any other address is refused until at least one user
exists in the register (`commune-health users add`): the register's writes then need a signed-in
user with the right role, and an application open to a network should not be without one.
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import sys
from pathlib import Path

from engine.errors import UserError
from engine.i18n import msg
from engine.register.db import Register, url_for
from engine.register.users import Users
from engine.web.state import Settings
from engine.web.uploads import Limits

HELP = "the web application: upload, league table, score sheets, what-if, plans, register (signed in)"
LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("serve", help=HELP, description=HELP)
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1, loopback)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    p.add_argument("--workers", type=int, default=None, help="evaluation worker processes (default: 2)")
    p.add_argument("--max-upload-mb", type=int, default=20, help="largest upload in MB (default 20)")
    p.add_argument("--max-rows", type=int, default=3000, help="most communes per upload (default 3000)")
    p.add_argument(
        "--secure-cookies",
        action="store_true",
        help="mark the session cookie Secure (when the application is reached over HTTPS, behind a proxy)",
    )
    p.add_argument(
        "--db", type=Path, metavar="PATH", help="the register's SQLite file (default register.sqlite3)"
    )
    p.add_argument(
        "--db-url", metavar="URL", help="a database URL instead, e.g. postgresql+psycopg://user@host/db"
    )
    p.add_argument("--lang", choices=("vi", "en"), default="vi", help="language of the messages printed here")
    p.set_defaults(run=run)


def is_loopback(host: str) -> bool:
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def run(args: argparse.Namespace) -> int:
    import uvicorn  # imported here: only this command needs the server

    from engine.web.app import create_app  # Starlette, Jinja2 and the pages: only when serving

    problems = []
    if not 0 < args.port < 65536:
        problems.append("--port is 1-65535")
    if args.workers is not None and not 1 <= args.workers <= 64:
        problems.append("--workers is 1-64")
    if not 1 <= args.max_upload_mb <= 1024 or not 1 <= args.max_rows <= 1_000_000:
        problems.append("--max-upload-mb is 1-1024 and --max-rows 1-1000000")
    if problems:
        raise UserError.single("serve", "; ".join(problems), "e.g. serve --port 8000")
    url = url_for(args.db, args.db_url)
    with Register(url, create=True) as reg:
        users = Users(reg).count()
    if not is_loopback(args.host) and users == 0:
        raise UserError.single(
            "--host",
            f"refusing to listen on {args.host}: the register has no user yet",
            "add one first (commune-health users add NAME --role approver), or keep the default 127.0.0.1",
        )
    settings = Settings(
        db_url=url,
        host=args.host,
        port=args.port,
        workers=args.workers or min(2, os.cpu_count() or 1),
        limits=Limits(max_bytes=args.max_upload_mb * 1024 * 1024, max_rows=args.max_rows),
        secure_cookies=args.secure_cookies,
    )
    app = create_app(settings)
    print(msg("web.serve_listening", args.lang, host=args.host, port=args.port), file=sys.stderr)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning", proxy_headers=False)
    return 0
