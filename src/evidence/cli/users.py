"""`evidence users`: who can sign in to the web app, and with which role."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

app = typer.Typer(help="Manage who can sign in to the web app (the users file in $EVIDENCE_HOME).",
                  no_args_is_help=True)


@app.command("add")
def users_add(
    name: Annotated[str, typer.Argument(metavar="NAME")],
    role: Annotated[str, typer.Option("--role", help="recruiter, reviewer or admin.")],
    password_stdin: Annotated[bool, typer.Option(
        "--password-stdin", help="Read the password from the first line of standard input (for scripts).")] = False,
    password: Annotated[str | None, typer.Option(
        help="UNSAFE: the password on the command line, where other local users see it (ps, /proc) and "
             "shell history keeps it. Use the prompt or --password-stdin.")] = None,
    replace: Annotated[bool, typer.Option(help="Change an existing user's role or password.")] = False,
) -> None:
    """Add a user who can sign in to the app with a role (recruiter, reviewer, admin).

    The password is prompted for (twice, hidden), or read from standard input with --password-stdin.
    It needs at least 15 characters and may not be a common password or the user name.
    """
    from evidence.services.auth import add_user  # lazy: see the evidence.cli docstring

    if password is not None:
        typer.echo("warning: --password is visible to other users of this machine and stays in shell history; "
                   "use the prompt or --password-stdin", err=True)
    elif password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    user = add_user(name, password, role, replace=replace)
    typer.echo(f"saved {user.name} ({user.role.value})")


@app.command("list")
def users_list() -> None:
    """List the users and their roles."""
    from evidence.services.auth import load_users, users_path  # lazy: see the evidence.cli docstring

    users = load_users()
    typer.echo(f"{users_path()}: {len(users)} users", err=True)
    for name, record in sorted(users.items()):
        marks = " (demo password: change it)" if record.get("demo") else ""
        typer.echo(f"{name:<30} {record.get('role')}{marks}")
