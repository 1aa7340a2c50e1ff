"""`mxgw version`: no connection, no grpc import."""

from __future__ import annotations

import argparse
import platform
import sys

from .._build_info import INFO
from ._output import Output


def add_arguments(parser: argparse.ArgumentParser) -> None:
    del parser  # no options of its own


def run_offline(args: argparse.Namespace, out: Output) -> int:
    out.emit({
        **INFO,  # version, and in a pyz: commit, dirty, target, pythons, contract
        "python": platform.python_version(),
        "platform": sys.platform,
        "executable": sys.executable,
    })
    return 0
