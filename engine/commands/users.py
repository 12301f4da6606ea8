"""`commune-health users add|list|remove`: the people who sign in to the web application (`serve`)."""

from __future__ import annotations

import argparse
import getpass
import sys

from engine.commands.args import add_db, add_lang, open_register
from engine.errors import UserError
from engine.i18n import msg
from engine.register.users import ROLES, Users

HELP = "users of the web application: add (password asked twice), list, remove"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("users", help=HELP, description=HELP)
    cmds = p.add_subparsers(dest="users_command", required=True, metavar="{add,list,remove}")
    add = cmds.add_parser("add", help="add a user; the password is asked twice (never on the command line)")
    add.add_argument("name", metavar="NAME")
    add.add_argument(
        "--role",
        choices=ROLES,
        required=True,
        help="viewer reads the register; appraiser also stores evaluations; approver also records "
        "decisions and waivers",
    )
    add.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from the first line of standard input (for scripts)",
    )
    add.set_defaults(run=run_add)
    ls = cmds.add_parser("list", help="list the users and their roles")
    ls.set_defaults(run=run_list)
    rm = cmds.add_parser("remove", help="remove a user")
    rm.add_argument("name", metavar="NAME")
    rm.set_defaults(run=run_remove)
    for c in (add, ls, rm):
        add_db(c)
        add_lang(c)


def _password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not sys.stdin.isatty():
        raise UserError.single(
            "users add",
            "the password is asked on a terminal",
            "run it in a terminal, or pipe the password with --password-stdin",
        )
    first = getpass.getpass(msg("web.users_password", args.lang))
    second = getpass.getpass(msg("web.users_password_again", args.lang))
    if first != second:
        raise UserError.single("users add", "the two passwords differ", "type the same password twice")
    return first


def run_add(args: argparse.Namespace) -> int:
    password = _password(args)
    with open_register(args, create=True) as reg:  # the first user sets a new register up
        user = Users(reg).add(args.name, args.role, password, created_by=f"cli:{getpass.getuser()}")
    print(msg("web.users_added", args.lang, name=user.name, role=msg(f"web.role_{user.role}", args.lang)))
    return 0


def run_list(args: argparse.Namespace) -> int:
    with open_register(args, read_only=True) as reg:
        users = Users(reg).list()
    if not users:
        print(msg("web.users_none", args.lang))
    for u in users:
        print(f"{u.name}\t{msg(f'web.role_{u.role}', args.lang)}")
    return 0


def run_remove(args: argparse.Namespace) -> int:
    with open_register(args) as reg:
        Users(reg).remove(args.name, removed_by=f"cli:{getpass.getuser()}")
    print(msg("web.users_removed", args.lang, name=args.name))
    return 0
