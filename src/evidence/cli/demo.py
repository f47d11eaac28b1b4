"""`evidence demo`: set up the embedded default (store, demo users, the sample batch screened) and serve the app."""

from __future__ import annotations

import subprocess
from typing import Annotated

import typer

LOCAL_ADDRESSES = ("0.0.0.0", "")  # listening on every interface: the app is still reached at localhost


def demo(
    port: Annotated[int, typer.Option(help="Port to serve the app on.")] = 8501,
    address: Annotated[str, typer.Option(help="Address to listen on (0.0.0.0 for every interface).")] = "localhost",
    serve: Annotated[bool, typer.Option("--serve/--no-serve", help="--no-serve only prepares the store.")] = True,
) -> None:
    """Set up the embedded default (store, demo users, the sample batch screened) and serve the web app."""
    from evidence.app.serve import serve_command  # lazy: see the evidence.cli docstring
    from evidence.services.demo import prepare_demo

    typer.echo("preparing the demo (the first run screens 24 sample statements; this takes a minute)...", err=True)
    setup = prepare_demo()
    command = serve_command(port, address) if serve else []
    typer.echo(f"store: {setup.store_url}")
    typer.echo(f"sample batch: #{setup.batch_id} ({'screened now' if setup.batch_created else 'already there'})")
    if setup.credentials:
        typer.echo(f"demo users ({setup.users_file}); change them before real use:")
        for name, (role, password) in setup.credentials.items():
            typer.echo(f"  {name:<10} password {password:<16} ({role.value})")
    else:
        typer.echo(f"users: {setup.users_file} (add one with `evidence users add NAME --role admin`)")
    if not serve:
        return
    typer.echo(f"serving the app at http://{'localhost' if address in LOCAL_ADDRESSES else address}:{port} "
               "(Ctrl+C to stop)")
    raise typer.Exit(code=subprocess.call(command))
