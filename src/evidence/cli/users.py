"""`evidence users`: who can sign in to the web app, and with which role."""

from __future__ import annotations

from typing import Annotated

import typer

app = typer.Typer(help="Manage who can sign in to the web app (the users file in $EVIDENCE_HOME).",
                  no_args_is_help=True)


@app.command("add")
def users_add(
    name: Annotated[str, typer.Argument(metavar="NAME")],
    role: Annotated[str, typer.Option("--role", help="recruiter, reviewer or admin.")],
    password: Annotated[str | None, typer.Option(help="The password; prompted for when left out.")] = None,
    replace: Annotated[bool, typer.Option(help="Change an existing user's role or password.")] = False,
) -> None:
    """Add a user who can sign in to the app with a role (recruiter, reviewer, admin)."""
    from evidence.services.auth import add_user  # lazy: see the evidence.cli docstring

    if password is None:
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
        typer.echo(f"{name:<30} {record.get('role')}")
