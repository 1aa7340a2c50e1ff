"""`mxgw version`: no connection, no grpc import."""

from __future__ import annotations

import argparse
import platform
import sys

from .._version import __version__
from ._context import CommandContext


def add_arguments(parser: argparse.ArgumentParser) -> None:
    del parser  # no options of its own


async def run(ctx: CommandContext, args: argparse.Namespace) -> int:
    ctx.out.emit({
        "version": __version__,
        "python": platform.python_version(),
        "platform": sys.platform,
        "executable": sys.executable,
    })
    return 0
