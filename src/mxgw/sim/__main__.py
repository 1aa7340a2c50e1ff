"""`python -m mxgw.sim` (and `mxgw sim`): serve the simulator until Ctrl-C or SIGTERM.

Prints one JSON line on start: endpoint, transport, the API keys it accepts, galaxy size.
Exit codes: 0 stopped cleanly, 2 bad options (flags, galaxy file, TLS setup), 3 cannot
listen on the address.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import logging
import signal
import sys
from collections.abc import Callable, Sequence
from typing import Any

from ._options import SimOptions

EXIT_OK, EXIT_USAGE, EXIT_LISTEN = 0, 2, 3
DEFAULT_PORT = 5120  # where deployed gateways listen


def _optional_seconds(text: str) -> float | None:
    if text.lower() in ("none", "off", "0"):
        return None
    value = float(text)
    if value <= 0:
        raise argparse.ArgumentTypeError("must be > 0, or 'none'")
    return value


def build_parser() -> argparse.ArgumentParser:
    d = SimOptions()
    p = argparse.ArgumentParser(
        prog="mxgw sim",
        description="Serve the MXAccess Gateway simulator (both gRPC services) until Ctrl-C.")
    add = p.add_argument
    add("--host", default=d.host, help=f"address to listen on (default {d.host})")
    add("--port", type=int, default=DEFAULT_PORT, help="port, 0 for any (default 5120)")
    add("--objects", type=int, default=d.objects, help="pumps + tanks in the demo galaxy")
    add("--tick-interval", type=_optional_seconds, default=d.tick_interval, metavar="SECONDS",
        help="seconds between value changes, or 'none' (default 0.5)")
    add("--seed", type=int, default=d.seed, help="seed for repeatable values")
    add("--galaxy-file", help="load this JSON galaxy instead of the demo galaxy")
    add("--no-auth", dest="auth", action="store_false", help="accept calls without an API key")
    transport = p.add_mutually_exclusive_group()
    transport.add_argument("--plaintext", dest="tls", action="store_false", default=False,
                           help="serve unencrypted h2c (the default; the same flag as clients)")
    transport.add_argument("--tls", dest="tls", action="store_true", default=False,
                           help="serve TLS (self-signed unless --cert-file)")
    add("--cert-file", help="PEM certificate for --tls")
    add("--key-file", help="PEM private key for --tls")
    add("--max-sessions", type=int, default=d.max_sessions)
    add("--event-queue-limit", type=int, default=d.event_queue_limit)
    add("--replay-ring", type=int, default=d.replay_ring, help="events kept for replay")
    add("--replay-seconds", type=float, default=d.replay_seconds)
    add("--lease-seconds", type=float, default=d.lease_seconds)
    add("--max-pending-commands", type=int, default=d.max_pending_commands)
    add("--deploy-period", type=_optional_seconds, default=d.deploy_period, metavar="SECONDS",
        help="simulate a galaxy deploy every SECONDS (default: never)")
    add("--verbose", action="store_true", help="log one line per call to stderr")
    return p


def options_from_args(args: argparse.Namespace) -> SimOptions:
    names = {f.name for f in dataclasses.fields(SimOptions)}
    return SimOptions(**{k: v for k, v in vars(args).items() if k in names})


def start_line(sim: Any) -> str:
    doc: dict[str, Any] = {
        "endpoint": sim.endpoint,
        "transport": sim.transport,
        "apiKey": sim.api_key,
        "readOnlyApiKey": sim.read_only_api_key,
        "auth": sim.options.auth,
        "galaxy": {**sim.galaxy.size, "alarms": len(sim.galaxy.alarms)},
    }
    if sim.ca_pem:
        # The client's form (colon hex of the DER certificate), so the value can be
        # compared with a refusal's message and passed to `mxgw --tls-pin` as it is.
        from .._channel import fingerprint

        doc["certificateSha256"] = fingerprint(sim.ca_pem)
    return json.dumps(doc, sort_keys=True, ensure_ascii=True)


def install_stop_handlers(loop: asyncio.AbstractEventLoop, stop: Callable[[], None]) -> bool:
    """SIGINT/SIGTERM call `stop`. False where the loop cannot (Windows): there Ctrl-C
    arrives as KeyboardInterrupt, asyncio.run cancels `serve`, and its finally cleans up."""
    try:
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop)
    except (NotImplementedError, RuntimeError, AttributeError):
        return False
    return True


async def serve(options: SimOptions) -> None:
    from ._server import Simulator

    sim = Simulator(options)
    await sim.start()
    loop = asyncio.get_running_loop()
    stopping = asyncio.Event()
    handled = install_stop_handlers(loop, stopping.set)
    try:
        sys.stdout.write(start_line(sim) + "\n")
        sys.stdout.flush()
        await stopping.wait()
    finally:
        if handled:
            for sig in (signal.SIGINT, signal.SIGTERM):
                loop.remove_signal_handler(sig)
        await sim.stop(grace=1.0)
        logging.getLogger("mxgw.sim").info("simulator stopped")


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    except SystemExit as exc:  # --help (0) or a usage error (2, message already printed)
        return int(exc.code or 0)
    try:
        options = options_from_args(args)
    except ValueError as exc:
        sys.stderr.write(f"mxgw sim: {exc}\n")
        return EXIT_USAGE
    if options.verbose:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
        log = logging.getLogger("mxgw.sim")
        log.addHandler(handler)
        log.setLevel(logging.INFO)
    from ._galaxy_file import GalaxyFileError
    from ._tls import TlsSetupError

    try:
        asyncio.run(serve(options))
    except KeyboardInterrupt:
        return EXIT_OK  # Ctrl-C where signal handlers are unavailable: already cleaned up
    except (GalaxyFileError, TlsSetupError) as exc:
        sys.stderr.write(f"mxgw sim: {exc}\n")
        return EXIT_USAGE
    except OSError as exc:
        sys.stderr.write(f"mxgw sim: {exc}\n")
        return EXIT_LISTEN
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
