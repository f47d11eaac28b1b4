"""`evidence demo`: set up the embedded default (store, demo users, the sample batch screened) and serve the app."""

from __future__ import annotations

import subprocess
from typing import Annotated

import typer

LOCAL_ADDRESSES = ("0.0.0.0", "")  # listening on every interface: the app is still reached at localhost
LOOPBACK = ("localhost", "127.0.0.1", "::1")  # only this machine can connect


def demo(
    port: Annotated[int, typer.Option(help="Port to serve the app on.")] = 8501,
    address: Annotated[str, typer.Option(help="Address to listen on (0.0.0.0 for every interface).")] = "localhost",
    serve: Annotated[bool, typer.Option("--serve/--no-serve", help="--no-serve only prepares the store.")] = True,
) -> None:
    """Set up the embedded default (store, demo users, the sample batch screened) and serve the web app.

    Demo users (admin, recruiter, reviewer, with published passwords) are created only when there are no
    users yet; each is asked for a new password at first sign-in. While any still has its published
    password, the app is served on this machine only (localhost), never on a network address.
    """
    from evidence.app.serve import serve_command  # lazy: see the evidence.cli docstring
    from evidence.errors import EvidenceError
    from evidence.services.demo import prepare_demo

    typer.echo("preparing the demo (the first run screens 24 sample statements; this takes a minute)...", err=True)
    setup = prepare_demo()
    command = serve_command(port, address) if serve else []
    typer.echo(f"store: {setup.store_url}")
    typer.echo(f"sample batch: #{setup.batch_id} ({'screened now' if setup.batch_created else 'already there'})")
    if setup.credentials:
        typer.echo(f"demo users ({setup.users_file}); the admin must choose a new password at first sign-in, "
                   "the others are asked to:")
        for name, (role, password) in setup.credentials.items():
            typer.echo(f"  {name:<10} password {password:<16} ({role.value})")
    else:
        typer.echo(f"users: {setup.users_file} (add one with `evidence users add NAME --role admin`)")
    if not serve:
        return
    if setup.credentials and address not in LOOPBACK:
        raise EvidenceError(
            f"not serving on {address!r}: the demo users {', '.join(setup.credentials)} still have their published "
            "passwords, and whoever signs in first from the network could choose the new one. Serve on localhost "
            "(leave out --address), sign in as each and change the password, or run "
            "`evidence users add NAME --role ROLE --replace`; then serve on the network.")
    typer.echo(f"serving the app at http://{'localhost' if address in LOCAL_ADDRESSES else address}:{port} "
               "(Ctrl+C to stop)")
    raise typer.Exit(code=subprocess.call(command))
