"""`python -m mxgw` is the `mxgw` command."""

from __future__ import annotations

from mxgw.cli import run

if __name__ == "__main__":
    run()
