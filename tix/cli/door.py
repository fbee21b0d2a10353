"""tix door …: the door without a network. `pack` (on the server) writes what a door
device needs; `tix checkin --offline` scans against it; `sync` and `serve` merge the
devices' scan logs (a file, the LAN, the server). `tix door list` and `tix door find`
(tix/cli/door_lists.py) join this group."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from tix.cli.output import JsonFlag, emit, say
from tix.cli.state import state
from tix.json_shapes import door_merge_json, door_pack_json, offline_verdict_json

if TYPE_CHECKING:
    from tix.door_device import DeviceDoor, SyncResult

app = typer.Typer(help="The door: packs for offline check-in, and syncing scan logs.",
                  no_args_is_help=True)

PackFile = Annotated[Path, typer.Argument(help="The door pack (made by tix door pack).",
                                          metavar="PACK")]
KeyOption = Annotated[Path | None, typer.Option(
    "--key", help="The door key (default: door.key in the data dir).")]
DeviceOption = Annotated[str, typer.Option(
    "--device", help="This door device's name, e.g. gate-a.")]
LogOption = Annotated[Path | None, typer.Option(
    "--log", help="This device's scan log (default: DEVICE.scans beside the pack).")]


def _key(ctx: typer.Context, key: Path | None) -> Path:
    from tix.door_device import default_key_path

    return key if key is not None else default_key_path(state(ctx).settings)


@app.command()
def pack(ctx: typer.Context,
         event: Annotated[str, typer.Argument(help="The event (E12 or its id).")],
         output: Annotated[Path, typer.Option("-o", "--output",
                                              help="The pack file to write, e.g. e12.door.")],
         list_: Annotated[str | None, typer.Option(
             "--list", help="Only this check-in list (default: all the event's).")] = None,
         key: KeyOption = None, json_: JsonFlag = False) -> None:
    """Write a signed door pack of the event, for check-in with no network: its tickets
    (holders sealed for the door key), lists, revocations and admissions so far. Copy the
    pack and the door key to each door device."""
    from tix.door_device import make_pack

    cli = state(ctx)
    made = make_pack(cli.runtime, cli.principal(), event, output, key_path=_key(ctx, key),
                     only_list=list_)
    data = {"pack": str(made.path), "key": str(made.key_path),
            **door_pack_json(made.pack), "bytes": made.size}
    emit(data, as_json=json_, human=lambda d: say(
        f"Wrote {d['pack']}: {d['event']}, {d['tickets']} ticket(s), {d['revoked']} "
        f"revoked, {d['scans']} scan(s) so far, list(s) {', '.join(d['lists'])}; holders "
        f"sealed for {d['key']}."))


def checkin_offline(ctx: typer.Context, pack_path: Path, payload: str, *, device: str,
                    log: Path | None, list_name: str, key: Path | None, exit_: bool,
                    json_: JsonFlag) -> None:
    """`tix checkin --offline PACK PAYLOAD`: no database, no network."""
    from tix.core.tickets.door import ScanKind
    from tix.door_device import DeviceDoor

    kind = ScanKind.EXIT if exit_ else ScanKind.ADMIT
    with DeviceDoor(pack_path, _key(ctx, key), device=device, list_name=list_name,
                    clerk=device, log_path=log) as door:
        verdict = door.scan(payload, kind=kind)
        data = offline_verdict_json(verdict, door.pack, device=device, list_name=list_name,
                                    holder=door.holder(verdict.ticket) if verdict.ticket
                                    else "")
        if verdict.refusal is not None:
            if json_:
                emit(data, as_json=True)
            raise verdict.refusal
        data["exited"] = kind is ScanKind.EXIT
    word = "ADMITTED" if kind is ScanKind.ADMIT else "OUT"
    emit(data, as_json=json_, human=lambda d: say(
        f"{word}: {d['holder']} ({d['ticket_type']}, {d['number']}) [offline, {device}]"))


@app.command()
def undo(ctx: typer.Context, pack_path: PackFile,
         ticket: Annotated[str, typer.Argument(help="The ticket: its number (E12-000123), "
                                                    "id or code.")],
         reason: Annotated[str, typer.Option(help="Why the admission is undone.")],
         device: DeviceOption = "gate", log: LogOption = None,
         list_: Annotated[str, typer.Option("--list", help="The check-in list.")] = "main",
         key: KeyOption = None, json_: JsonFlag = False) -> None:
    """Offline: take back a ticket's last admission (a wrong scan), with a reason; the
    undo goes into this device's log like every scan."""
    from tix.core.errors import Invalid
    from tix.core.tickets.door import ScanKind
    from tix.door_device import DeviceDoor

    if not reason.strip():
        raise Invalid("--reason: say why the admission is undone", field="reason")
    with DeviceDoor(pack_path, _key(ctx, key), device=device, list_name=list_,
                    clerk=device, log_path=log) as door:
        verdict = door.scan(ticket, kind=ScanKind.UNDO, reason=reason.strip())
        data = {**offline_verdict_json(verdict, door.pack, device=device, list_name=list_,
                                       holder=door.holder(verdict.ticket)
                                       if verdict.ticket else ""),
                "undone": verdict.refusal is None}
        if verdict.refusal is not None:
            if json_:
                emit(data, as_json=True)
            raise verdict.refusal
        data["reason"] = reason.strip()
    emit(data, as_json=json_, human=lambda d: say(
        f"UNDONE: {d['holder']} ({d['number']}) is no longer admitted [offline, {device}]"))


def _open(ctx: typer.Context, pack_path: Path, key: Path | None, device: str,
          log: Path | None) -> DeviceDoor:
    from tix.door_device import DeviceDoor

    return DeviceDoor(pack_path, _key(ctx, key), device=device, list_name="main",
                      clerk=device, log_path=log)


@app.command()
def sync(ctx: typer.Context, pack_path: PackFile,
         device: DeviceOption = "gate",
         log: LogOption = None,
         with_: Annotated[list[Path] | None, typer.Option(
             "--with", "--from", help="Another device's scan log (a file, e.g. from a USB "
                                      "stick); repeatable.")] = None,
         peer: Annotated[str | None, typer.Option(
             help="Exchange logs with the device running `tix door serve` at HOST:PORT.")
         ] = None,
         server: Annotated[bool, typer.Option(
             "--server", help="Upload this device's scans to the server and replace the "
                              "pack by a fresh one (needs the network and a login).")] = False,
         key: KeyOption = None, json_: JsonFlag = False) -> None:
    """Merge this device's scan log with others: files, a LAN peer, the server. Prints
    the conflicts (a ticket let in at two doors while apart: the first stands) and says
    when the pack is older than a revocation known elsewhere."""
    from tix.door_device import sync as run_sync

    cli = state(ctx)
    with _open(ctx, pack_path, key, device, log) as door:
        result = run_sync(door, files=with_ or [], peer=peer,
                          runtime=cli.runtime if server else None,
                          principal=cli.principal() if server else None)
    emit(_sync_json(result), as_json=json_, human=_print_sync)
    for reason in result.stale:
        say(f"STALE: {reason}")


def _sync_json(result: SyncResult) -> dict[str, Any]:
    return {**door_merge_json(result.merged, result.pack), "new_records": result.new,
            "sent": result.sent, "stale": list(result.stale),
            "uploaded": None if result.uploaded is None else {
                "new": result.uploaded[0], "known": result.uploaded[1]},
            "fresh_pack": str(result.fresh_pack.path) if result.fresh_pack else None}


def _print_sync(data: dict[str, Any]) -> None:
    say(f"Merged: {data['new_records']} new record(s); {data['scans']} scan(s) known, "
        f"{data['admitted']} ticket(s) admitted, {data['inside']} inside.")
    if data["uploaded"] is not None:
        say(f"Server: {data['uploaded']['new']} scan(s) uploaded, "
            f"{data['uploaded']['known']} it had already; fresh pack {data['fresh_pack']}.")
    for conflict in data["conflicts"]:
        typer.echo(f"CONFLICT: {conflict['message']} (the first stands)")


@app.command()
def serve(ctx: typer.Context, pack_path: PackFile,
          port: Annotated[int, typer.Option(help="The TCP port to listen on.", min=0,
                                            max=65535)] = 7700,
          host: Annotated[str, typer.Option(help="The address to listen on.")] = "0.0.0.0",
          device: DeviceOption = "gate", log: LogOption = None,
          once: Annotated[bool, typer.Option(help="Stop after one exchange.")] = False,
          key: KeyOption = None) -> None:
    """Let other door devices exchange scan logs with this one over the LAN (`tix door
    sync --peer HOST:PORT` on theirs), with no server. Both must hold the door key."""
    from tix.core.errors import Unavailable
    from tix.door_device import serve_log

    with _open(ctx, pack_path, key, device, log) as door:
        try:
            serve_log(door, host=host, port=port, once=once,
                      ready=lambda p: say(f"Serving {door.log_path} on {host}:{p} "
                                          "(Ctrl-C to stop)."),
                      told=say)
        except OSError as error:
            raise Unavailable(f"cannot listen on {host}:{port}: {error.strerror}",
                              code="port_taken") from None


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="door")
