"""The banner printed before the first prompt and the toolbar under the prompt.

    mxgw 0.1.0 REPL - 127.0.0.1:50051 over plaintext
    session session-3f2a... (client name mxgw-repl, server handle 1)
    contract built-in, verified against the gateway by reflection
    loaded: client, session, server, galaxy, mxgw, asyncio, gateway_pb2, ...
    helpers: read write watch watches unwatch browse alarms ack mxhelp
    Top-level await works. mxhelp for examples, Ctrl-D or exit() to quit.

The toolbar reads only plain attributes (no awaits, no RPCs): it is rendered by
prompt_toolkit in the prompt's thread.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from prompt_toolkit.filters import is_done
from prompt_toolkit.formatted_text import StyleAndTextTuples
from prompt_toolkit.layout.containers import ConditionalContainer, Window
from prompt_toolkit.layout.controls import FormattedTextControl

from .._version import __version__
from ._namespace import HELPER_NAMES, PRELOADED


@dataclass
class ReplInfo:
    """What the banner and the toolbar show; `connection` is polled by the toolbar."""

    endpoint: str
    transport: str
    session_id: str
    client_name: str
    server: int
    profile: str | None = None
    read_only: bool = False
    connection: Callable[[], str] = field(default=lambda: "up")
    tags: Callable[[], str] = field(default=lambda: "")
    contract: str = ""  # "contract built-in, verified by reflection"


def contract_line(status: dict[str, object]) -> str:
    """`client.contract_status()` as one banner line."""
    where = str(status["source"])
    if status.get("path"):
        where += f" {status['path']} (sha256 {str(status.get('sha256'))[:12]}...)"
    elif status.get("endpoint"):
        where += f" from {status['endpoint']} at {status.get('fetched')}"
    how = status.get("how")
    checked = ("verified against the gateway by reflection" if status.get("verified")
               else f"unverified (reflection {how})" if how == "not offered"
               else f"unverified ({how})")
    return f"contract {where}, {checked}"


def banner(info: ReplInfo) -> str:
    lines = [
        f"mxgw {__version__} REPL - {info.endpoint} over {info.transport}",
        f"session {info.session_id} (client name {info.client_name}, server handle "
        f"{info.server})"
        + (f", profile {info.profile}" if info.profile else "")
        + (" [read-only: write and ack refused]" if info.read_only else ""),
        *([info.contract] if info.contract else []),
        "loaded: " + ", ".join(PRELOADED),
        "helpers: " + " ".join(HELPER_NAMES),
        (
            'Top-level await works: await read("TestChildObject.TestInt"). '
            "mxhelp for examples, Ctrl-C cancels a call, Ctrl-D or exit() quits."
        ),
    ]
    return "\n".join(lines) + "\n"


def toolbar_fragments(info: ReplInfo) -> StyleAndTextTuples:
    connection = info.connection()
    parts: StyleAndTextTuples = [
        ("class:mxgw-toolbar", f" {info.endpoint} "),
        ("class:mxgw-toolbar", f"| {info.session_id} "),
    ]
    if info.profile:
        parts.append(("class:mxgw-toolbar", f"| profile {info.profile} "))
    if info.read_only:
        parts.append(("class:mxgw-toolbar.read-only", "| read-only "))
    style = "class:mxgw-toolbar" if connection == "up" else "class:mxgw-toolbar.down"
    parts.append((style, f"| connection {connection} "))
    tags = info.tags()
    if tags:
        parts.append(("class:mxgw-toolbar", f"| tags {tags} "))
    return parts


def toolbar_window(info: ReplInfo) -> ConditionalContainer:
    """The toolbar, shown only while a line is being edited.

    When a line is accepted, prompt_toolkit renders the layout once more with the
    application done and leaves that render in the terminal: an unconditional toolbar
    would stay in the scrollback above every output. ptpython hides its own bars the
    same way (`~is_done`).
    """
    return ConditionalContainer(
        Window(
            FormattedTextControl(lambda: toolbar_fragments(info)),
            height=1,
            style="class:mxgw-toolbar reverse",
        ),
        filter=~is_done,
    )
