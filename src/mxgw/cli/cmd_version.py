"""`mxgw version`: no connection, no grpc import (nor protobuf: a contract file is named
by its path and sha256, not parsed)."""

from __future__ import annotations

import argparse
import os
import platform
import sys

from .._build_info import INFO
from ._output import Output


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from ._parser import add_contract_option

    group = parser.add_argument_group("the contract in use")
    add_contract_option(group)
    group.add_argument("--endpoint", metavar="HOST:PORT",
                       help="the gateway whose fetched contract to name (or "
                            "MXGATEWAY_ENDPOINT)")


def run_offline(args: argparse.Namespace, out: Output) -> int:
    from .._contract_store import describe_choice

    contract = args.contract or os.environ.get("MXGW_CONTRACT") or None
    endpoint = args.endpoint or os.environ.get("MXGATEWAY_ENDPOINT") or None
    out.emit({
        **INFO,  # version, and in a pyz: commit, dirty, target, pythons, contract
        # What a command would speak (flag, MXGW_CONTRACT, the endpoint's fetched one,
        # else the built-in one); profiles are not read here: `ping` reports theirs.
        "contractInUse": describe_choice(contract, None if endpoint == "sim" else endpoint),
        "python": platform.python_version(),
        "platform": sys.platform,
        "executable": sys.executable,
    })
    return 0
