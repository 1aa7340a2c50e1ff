"""The library's logger, `mxgw`, with a NullHandler on it.

Without one, Python's last-resort handler printed the library's warnings (for example
`unsubscribing N tags failed`) on stderr of every application and of `mxgw watch`. Now
nothing is printed unless the application configures logging; the CLI does with --debug.
"""

from __future__ import annotations

import logging

log = logging.getLogger("mxgw")
log.addHandler(logging.NullHandler())
