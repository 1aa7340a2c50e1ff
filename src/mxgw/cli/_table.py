"""The command table: name -> module and one-line help. Modules are imported only to run.

`kind` says which option groups the dispatcher adds:
    offline   no connection and no event loop, so start-up stays minimal (version)
    either    the connection options; offline unless the module's `connects(args)` says
              this invocation needs the gateway (`contract` vs `contract fetch`)
    local     no connection options, but runs in the event loop (batch)
    connect   the connection options
    session   connection options plus --session-id / MXGW_SESSION_ID
    raw       arguments are passed through untouched (sim)
`write` adds --dry-run and --no-audit and makes a read-only profile refuse the command;
`stream` adds --collect.
"""

from __future__ import annotations


class CommandSpec:
    """One row of the table. A plain class, not a dataclass: dataclasses imports `inspect`,
    which would cost `mxgw version` several milliseconds at start-up."""

    __slots__ = ("help", "kind", "module", "name", "stream", "write")

    def __init__(self, name: str, module: str, help: str, kind: str = "connect",
                 write: bool = False, stream: bool = False) -> None:
        self.name = name
        self.module = module
        self.help = help
        self.kind = kind
        self.write = write
        self.stream = stream

    def __repr__(self) -> str:
        return f"CommandSpec({self.name!r}, {self.module!r}, kind={self.kind!r})"


def _c(name: str, module: str, help: str, kind: str = "connect", *,
       write: bool = False, stream: bool = False) -> CommandSpec:
    return CommandSpec(name, "mxgw.cli." + module, help, kind, write, stream)


_SPECS = [
    _c("version", "cmd_version", "print the mxgw version (no connection)", "offline"),
    # sessions
    _c("ping", "cmd_session", "open and close a session; report transport and round trip"),
    _c("open-session", "cmd_session", "open a session and print its id (close it yourself)"),
    _c("close-session", "cmd_session", "close a session", "session"),
    _c("smoke", "cmd_session", "connect, open, register, add, advise, first event, close"),
    # single-item MXAccess calls
    _c("register", "cmd_items", "Register: get a server handle", "session"),
    _c("unregister", "cmd_items", "Unregister a server handle", "session"),
    _c("add-item", "cmd_items", "AddItem: get an item handle for a tag", "session"),
    _c("add-item2", "cmd_items", "AddItem2: AddItem with an item context", "session"),
    _c("remove-item", "cmd_items", "RemoveItem", "session"),
    _c("advise", "cmd_items", "Advise an item (data changes become events)", "session"),
    _c("advise-supervisory", "cmd_items", "AdviseSupervisory an item", "session"),
    _c("unadvise", "cmd_items", "UnAdvise an item", "session"),
    _c("authenticate-user", "cmd_items", "AuthenticateUser: get a user id for secured writes",
       "session"),
    _c("write", "cmd_writes", "Write a value to an item handle", "session", write=True),
    _c("write2", "cmd_writes", "Write2: write with a timestamp", "session", write=True),
    _c("write-secured", "cmd_writes", "WriteSecured (needs user ids)", "session", write=True),
    _c("write-secured2", "cmd_writes", "WriteSecured2: secured write with a timestamp",
       "session", write=True),
    # bulk
    _c("add-item-bulk", "cmd_bulk", "AddItem for many tags", "session"),
    _c("advise-item-bulk", "cmd_bulk", "Advise many item handles", "session"),
    _c("remove-item-bulk", "cmd_bulk", "RemoveItem for many item handles", "session"),
    _c("unadvise-item-bulk", "cmd_bulk", "UnAdvise many item handles", "session"),
    _c("subscribe-bulk", "cmd_bulk", "AddItem and Advise many tags", "session"),
    _c("unsubscribe-bulk", "cmd_bulk", "UnAdvise and RemoveItem many item handles", "session"),
    _c("read-bulk", "cmd_bulk", "read many tags (cached when advised)", "session"),
    _c("write-bulk", "cmd_bulk_writes", "Write many item handles", "session", write=True),
    _c("write2-bulk", "cmd_bulk_writes", "Write2 many item handles", "session", write=True),
    _c("write-secured-bulk", "cmd_bulk_writes", "WriteSecured many item handles", "session",
       write=True),
    _c("write-secured2-bulk", "cmd_bulk_writes", "WriteSecured2 many item handles", "session",
       write=True),
    # events
    _c("stream-events", "cmd_events", "stream a session's events as JSON Lines", "session",
       stream=True),
    _c("drain-events", "cmd_events", "DrainEvents: take queued events", "session"),
    # alarms
    _c("stream-alarms", "cmd_alarms", "the alarm feed: snapshot, then transitions",
       stream=True),
    _c("query-active-alarms", "cmd_alarms", "the active alarms now", stream=True),
    _c("acknowledge-alarm", "cmd_alarms", "acknowledge an alarm by reference or GUID",
       write=True),
    # galaxy
    _c("galaxy-test-connection", "cmd_galaxy", "Galaxy Repository: test the connection"),
    _c("galaxy-last-deploy", "cmd_galaxy", "Galaxy Repository: time of the last deploy"),
    _c("galaxy-discover", "cmd_galaxy", "Galaxy Repository: objects below a root",
       stream=True),
    _c("galaxy-browse", "cmd_galaxy", "Galaxy Repository: children of one object"),
    _c("galaxy-watch", "cmd_galaxy", "Galaxy Repository: deploy events", stream=True),
    # engineers' tasks (transient session, always closed)
    _c("get", "cmd_tasks", "read tags: value, quality, timestamp"),
    _c("put", "cmd_tasks", "write TAG=VALUE pairs and wait for each write to complete",
       write=True),
    _c("watch", "cmd_tasks", "data changes of tags as JSON Lines", stream=True),
    _c("browse", "cmd_tasks", "Galaxy children of PATH with types and writability"),
    _c("alarms", "cmd_tasks", "active alarms (--follow for transitions)", stream=True),
    _c("ack", "cmd_tasks", "acknowledge an alarm", write=True),
    # tools
    _c("bench-read-bulk", "cmd_bench", "benchmark ReadBulk (cross-language JSON schema)"),
    _c("bench-stream-events", "cmd_bench", "benchmark StreamEvents (cross-language JSON schema)"),
    _c("batch", "cmd_batch", "run one command line per stdin line (connections reused)",
       "local"),
    _c("doctor", "cmd_doctor", "check the connection step by step (name, TCP, TLS, key, "
       "session, ...)"),
    _c("trust", "cmd_trust", "known gateways' TLS certificates: list, add ENDPOINT "
       "[--pin SHA256], forget ENDPOINT", "local"),
    _c("contract", "cmd_contract", "show the contract in use; `contract fetch` (by reflection), "
       "`contract diff [--protoset F]`", "either"),
    _c("sim", "cmd_sim", "run the gateway simulator (see `mxgw sim --help`)", "raw"),
    _c("repl", "cmd_repl", "async Python prompt with a connected client and a session"),
]

COMMANDS: dict[str, CommandSpec] = {spec.name: spec for spec in _SPECS}
