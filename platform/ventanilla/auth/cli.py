"""`ventanilla keys …`: create, list and revoke API keys (the token is printed once, at creation)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from ventanilla.auth.keys import CHANNELS, ROLES

if TYPE_CHECKING:
    from ventanilla.auth.keys import KeyStore

keys_app = typer.Typer(
    help="API keys: channel (citizen, clinician, internal), domains, roles, widget origins, rate limits "
    "(docs/channels.md). Keys are stored hashed; a token is shown only when it is created.",
    no_args_is_help=True,
)
console = Console(stderr=True)
out = Console()


def _store() -> KeyStore:
    from ventanilla.auth.keys import KeyStore
    from ventanilla.settings import get_settings

    return KeyStore(get_settings())


@keys_app.command()
def create(
    name: Annotated[str, typer.Argument(help="Who or what the key is for (e.g. 'sede-web-ayto').")],
    channel: Annotated[str, typer.Option(help=f"One of {', '.join(CHANNELS)}.")] = "citizen",
    domain: Annotated[
        list[str] | None, typer.Option("--domain", "-d", help="A domain it may use (repeat); default: all.")
    ] = None,
    role: Annotated[
        list[str] | None,
        typer.Option("--role", "-r", help=f"A role (repeat): {', '.join(ROLES)}; default ask."),
    ] = None,
    origin: Annotated[
        list[str] | None,
        typer.Option(
            "--origin", "-o", help="Widget key: a browser origin it is bound to (repeat; citizen only)."
        ),
    ] = None,
    per_minute: Annotated[
        int | None, typer.Option(help="Requests per minute (citizen; 0 = unlimited; default: settings).")
    ] = None,
    per_day: Annotated[
        int | None, typer.Option(help="Requests per day (citizen; 0 = unlimited; default: settings).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print {token, key} as JSON.")] = False,
) -> None:
    """Create a key and print its token (store it now: it cannot be shown again)."""
    from ventanilla.auth.keys import KeyStoreError

    store = _store()
    try:
        token, key = store.create(
            name, channel, domains=tuple(domain or ("*",)), roles=tuple(role or ("ask",)),
            origins=tuple(origin or ()), per_minute=per_minute, per_day=per_day,
        )  # fmt: skip
    except KeyStoreError as exc:
        console.print(f"[bold red]error:[/] {exc}")
        raise typer.Exit(2) from exc
    if as_json:
        out.print_json(json.dumps({"token": token, "key": key.public()}))
        return
    out.print(token, highlight=False, soft_wrap=True)
    roles = ", ".join(key.roles)
    console.print(f"[green]created[/] {key.id} ({key.channel}; roles {roles}): the token is shown only once.")


@keys_app.command("list")
def list_keys(
    as_json: Annotated[bool, typer.Option("--json", help="Print the keys as JSON.")] = False,
) -> None:
    """List keys (id, token prefix, channel, domains, roles, origins, limits; never the secret)."""
    store = _store()
    keys = store.list()
    if as_json:
        out.print_json(json.dumps([k.public() for k in keys]))
        return
    table = Table("id", "prefix", "name", "channel", "domains", "roles", "origins", "limits", "state")
    for k in keys:
        minute = "-" if k.per_minute is None else k.per_minute
        limits = f"{minute}/min {'-' if k.per_day is None else k.per_day}/day"
        table.add_row(
            k.id, k.prefix + "…", k.name, k.channel, ",".join(k.domains), ",".join(k.roles),
            ",".join(k.origins) or "-", limits, "[red]revoked[/]" if k.revoked else "[green]active[/]",
        )  # fmt: skip
    out.print(table)


@keys_app.command()
def revoke(
    key_id: Annotated[str, typer.Argument(help="The key id (`key_…`, see `ventanilla keys list`).")],
) -> None:
    """Revoke a key: it fails with 401 from the next request on."""
    store = _store()
    if not store.revoke(key_id):
        console.print(f"[bold red]error:[/] no key {key_id}")
        raise typer.Exit(1)
    console.print(f"[green]revoked[/] {key_id}")
