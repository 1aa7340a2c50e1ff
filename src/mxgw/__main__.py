"""`python -m mxgw` is the `mxgw` command."""

from __future__ import annotations

import sys

from mxgw.cli import main

if __name__ == "__main__":
    sys.exit(main())
