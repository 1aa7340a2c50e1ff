"""The embedded REPL behind `mxgw repl`: a ptpython prompt with a connected client.

Only the `repl` command imports this package; it is the one place that pulls in
ptpython and prompt_toolkit, so `import mxgw` and the other commands stay cheap.

    interactive  ptpython on the event loop that owns the grpc.aio channel
                 (`_console`), with a toolbar, tag completion, filtered history
    scripted     stdin that is not a terminal, or `--exec FILE` (`_runner`)

Both run in the same preloaded namespace (`_namespace`). The interactive prompt keeps
its session across a gateway restart (`_reconnect`; `session` is `_proxy.ReplSession`).
"""

from __future__ import annotations
