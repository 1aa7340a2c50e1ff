"""The REPL's preloaded namespace and its helpers.

    client, session, server, galaxy    connected objects (server = registered handle)
    mxgw, asyncio, gateway_pb2, galaxy_pb2, gateway_pb2_grpc, galaxy_pb2_grpc
    read, write, watch, watches, unwatch, browse, alarms, ack, mxhelp

The helpers are thin: each calls one library method, so what works here works in a
script. Helpers that change the plant (`write`, `ack`) refuse on a read-only
profile before anything is sent, like the one-shot commands do.
"""

from __future__ import annotations

import asyncio
import builtins
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .. import _errors
from ._watch import Watch, Watches

# What the banner lists; build_namespace() provides exactly these (a test checks).
PRELOADED = (
    "client", "session", "server", "galaxy", "mxgw", "asyncio",
    "gateway_pb2", "galaxy_pb2", "gateway_pb2_grpc", "galaxy_pb2_grpc",
)
_HELPER_METHODS = ("read", "write", "watch", "watches", "unwatch", "browse", "alarms", "ack")
HELPER_NAMES = (*_HELPER_METHODS, "mxhelp")

HELP = """\
mxgw REPL: a Python prompt with top-level await.

  await read("TestChildObject.TestInt")      one TagValue (several tags: a dict)
  await write("Tank001.HiHiLimit", 95.0)     write and wait for OnWriteComplete
  w = watch("Pump001.Speed", "Tank001.Level") data changes above the prompt
  watches()  /  w.stop()  /  unwatch()       list, stop one, stop all
  await browse("Area_Pumps")                 Galaxy children of an object or area
  await alarms("Galaxy!Area_Tanks")          active alarms (prefix optional)
  await ack("Galaxy!Area_Tanks.Tank001.Level.HiHi", comment="checked")

  client, session, server, galaxy            the connected library objects
  mxgw, gateway_pb2, galaxy_pb2, asyncio     modules; help(session.read) for details

Ctrl-C cancels a running call; Ctrl-D or exit() closes the session and quits.
Lines mentioning a password, key or secret are not saved to the history."""


class _Help:
    """Typing `mxhelp` (or calling it) shows the cheat sheet."""

    def __repr__(self) -> str:
        return HELP

    def __call__(self) -> _Help:
        return self


class _Quitter:
    """`exit(n)` / `quit(n)` in a script: SystemExit(n), which the caller turns into the
    exit code after closing the session.

    Python's own `exit` and `quit` come from the `site` module, which the embeddable
    Windows Python (its `._pth` file) and `python -S` never import, so a script that
    ends with `exit(3)` would fail with NameError there. The interactive prompt
    replaces these with ptpython's own `exit`.
    """

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"Use {self.name}() or Ctrl-D (i.e. EOF) to exit"

    def __call__(self, code: object = None) -> None:
        raise SystemExit(code)


@dataclass(frozen=True)
class Row:
    """One line of `browse()`: an attribute, object or area; `item` is the message."""

    name: str
    kind: str
    detail: str
    has_children: bool
    item: Any = field(repr=False, compare=False)

    def __repr__(self) -> str:
        more = "  +" if self.has_children else ""
        return f"{self.name}  {self.kind}  {self.detail}{more}"


class Listing(list[Row]):
    """`browse()` results: a list of Row, shown one per line (`+` has children)."""

    def __repr__(self) -> str:
        if not self:
            return "(nothing here)"
        width = max(len(r.name) for r in self)
        kinds = max(len(r.kind) for r in self)
        return "\n".join(
            f"{r.name.ljust(width)}  {r.kind.ljust(kinds)}  {r.detail}"
            + ("  +" if r.has_children else "")
            for r in self
        )


def _read_only_error(action: str) -> _errors.MxGatewayError:
    return _errors.MxGatewayReadOnlyError(f"{action} refused: this profile is read-only")


class Helpers:
    """Bound to one client and session; its methods are what the namespace exposes."""

    def __init__(self, client: Any, session: Any, watches: Watches) -> None:
        self._client = client
        self._session = session
        self._watches = watches

    @property
    def read_only(self) -> bool:
        return bool(getattr(self._client.options, "read_only", False))

    def _guard(self, action: str) -> None:
        if self.read_only:
            raise _read_only_error(action)

    async def read(self, *tags: str) -> Any:
        """Read tags: one tag gives its TagValue, several give {tag: TagValue}."""
        if not tags:
            raise TypeError('read() needs at least one tag, e.g. read("Pump001.Speed")')
        values = await self._session.read(*tags)
        return values[tags[0]] if len(tags) == 1 else values

    async def write(self, tag: str, value: Any, data_type: str | None = None) -> None:
        """Write `value` to `tag` and wait for the gateway's OnWriteComplete."""
        self._guard(f"write to {tag}")
        await self._session.write_tag(tag, value, data_type=data_type)

    def watch(self, *tags: str) -> Watch:
        """Print data changes of `tags` above the prompt until stopped (`.stop()`)."""
        if not tags:
            raise TypeError('watch() needs at least one tag, e.g. watch("Pump001.Speed")')
        return self._watches.start(tags)

    def watches(self) -> list[Watch]:
        """The watches of this REPL, running or stopped."""
        return self._watches.list()

    def unwatch(self, watch: Watch | int | None = None) -> None:
        """Stop one watch (a Watch or its number), or all of them."""
        if watch is None:
            for each in self._watches.list():
                each.stop()
            return
        (watch if isinstance(watch, Watch) else self._watches.get(watch)).stop()

    async def browse(self, path: str = "") -> Listing:
        """An object's attributes and children, or the top level when `path` is empty.

        `path` is a tag name (`Pump001`, `Area_Pumps`) or a contained path (`a/b`).
        Each row keeps the Galaxy message in `.item`.
        """
        galaxy = self._client.galaxy
        key = "contained_path" if "/" in path else "tag_name"
        rows = Listing()
        if path:
            # The object itself (depth 0) carries the attributes.
            async for obj in galaxy.iter_hierarchy(
                **{f"root_{key}": path}, max_depth=0, include_attributes=True
            ):
                rows.extend(
                    Row(a.full_tag_reference, "attribute",
                        a.data_type_name + ("[]" if a.is_array else ""), False, a)
                    for a in obj.attributes
                )
                break
        parent = {f"parent_{key}": path} if path else {}
        for child, has_children in await galaxy.browse_children(
            **parent, include_attributes=False
        ):
            template = child.template_chain[0] if child.template_chain else ""
            rows.append(Row(child.tag_name, "area" if child.is_area else "object",
                            template, bool(has_children), child))
        return rows

    async def alarms(self, prefix: str = "") -> list[Any]:
        """A snapshot of the active alarms whose reference starts with `prefix`."""
        return [alarm async for alarm in self._client.query_active_alarms(prefix)]

    async def ack(self, reference: str, comment: str = "") -> Any:
        """Acknowledge an alarm by its full reference."""
        self._guard(f"acknowledge {reference}")
        return await self._client.acknowledge_alarm(reference, comment=comment)


def build_namespace(client: Any, session: Any, server: int, helpers: Helpers) -> dict[str, Any]:
    """The globals the prompt and `--exec` scripts run in."""
    import mxgw
    from mxgw._proto import galaxy_pb2, galaxy_pb2_grpc, gateway_pb2, gateway_pb2_grpc

    names: dict[str, Callable[..., Any]] = {
        name: getattr(helpers, name) for name in _HELPER_METHODS
    }
    return {
        "__name__": "__main__",
        "__doc__": None,
        "__builtins__": builtins,
        "client": client,
        "session": session,
        "server": server,
        "galaxy": client.galaxy,
        "mxgw": mxgw,
        "asyncio": asyncio,
        "gateway_pb2": gateway_pb2,
        "gateway_pb2_grpc": gateway_pb2_grpc,
        "galaxy_pb2": galaxy_pb2,
        "galaxy_pb2_grpc": galaxy_pb2_grpc,
        "mxhelp": _Help(),
        "exit": _Quitter("exit"),
        "quit": _Quitter("quit"),
        **names,
    }

