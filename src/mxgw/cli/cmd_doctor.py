"""mxgw doctor: check the way to the gateway step by step and say where it breaks.

Prints one JSON object, `{"ok", "endpoint", "steps": [{"name", "status", "ms", "detail",
"hint"}]}`, whatever the outcome. When a step failed, the first failure is raised after
the report, so the dispatcher writes its usual error line and exits with the code the
CLI's exit-code table gives it. On a terminal the steps also show on stderr as they run.
"""

from __future__ import annotations

import argparse
import sys

from .._endpoint import parse_endpoint
from . import _doctor_gateway as gw
from . import _doctor_net as net
from ._context import CommandContext
from ._doctor import Doctor

SIM_TAG = "TestChildObject.TestInt"  # read by default only against `--endpoint sim`


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--tag", metavar="TAG",
                        help=f"tag the read step reads (default {SIM_TAG} with --endpoint "
                             "sim; elsewhere the read step is skipped without it)")


def _plaintext_source(ctx: CommandContext) -> str | None:
    """What asked for plaintext, for the transport step's hint; None when TLS was asked."""
    options = ctx.options
    if not options.uses_plaintext:
        return None
    if ctx.args.plaintext:
        return "--plaintext"
    if parse_endpoint(options.endpoint).scheme == "http":
        return "the http:// endpoint"
    if ctx.sim is not None:
        return "--endpoint sim"
    return f"plaintext = true in profile {options.profile}" if options.profile else (
        "plaintext")


async def run(ctx: CommandContext, args: argparse.Namespace) -> int:
    options = ctx.options
    timeout = options.timeout or 30.0
    doctor = Doctor(timeout, ctx.runtime.secrets,
                    sys.stderr if sys.stderr.isatty() else None)
    target = net.Target(doctor, options, parse_endpoint(options.endpoint),
                        _plaintext_source(ctx))
    gateway = gw.Gateway(target, args.tag or (SIM_TAG if ctx.sim is not None else None))
    network = ("transport", "certificate")
    try:
        await doctor.step("resolve", (), lambda: net.resolve(target))
        await doctor.step("connect", ("resolve",), lambda: net.connect(target))
        await doctor.step("transport", ("connect",), lambda: net.transport(target))
        await doctor.step("certificate", ("transport",), lambda: net.certificate(target))
        await doctor.step("auth", network, lambda: gw.auth(gateway))
        await doctor.step("session", ("auth",), lambda: gw.session(gateway))
        await doctor.step("read", ("session",), lambda: gw.read(gateway))
        await doctor.step("galaxy", ("auth",), lambda: gw.galaxy(gateway))
        await doctor.step("alarms", ("auth",), lambda: gw.alarms(gateway))
        await doctor.step("contract", network, lambda: gw.contract(gateway))
    finally:
        await gateway.aclose()
    ctx.out.emit(doctor.report(options.endpoint))
    failure = doctor.failure
    if failure is not None:
        raise failure
    return 0
