"""The `mxgw` command line. `main(argv=None) -> int` is the console script.

Importing this package is cheap: command modules, grpc and protobuf load only when a
command that needs them runs.
"""

from __future__ import annotations

from ._main import main, run

__all__ = ["main", "run"]
