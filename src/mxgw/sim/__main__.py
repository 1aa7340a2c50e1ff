"""`python -m mxgw.sim` (and `mxgw sim`): serve the simulator until Ctrl-C or SIGTERM.

Prints one JSON line on start: endpoint, transport, the API keys it accepts, galaxy size.
Exit codes: 0 stopped cleanly, 2 bad options (flags, galaxy file, TLS setup, a contract
file that is not a descriptor set), 3 cannot listen on the address, 6 a contract that lacks
(or types differently) a name the simulator uses.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import logging
import math
import signal
import sys
from collections.abc import Callable, Sequence
from typing import Any, NoReturn

from ._options import MAX_OBJECTS, SimOptions

EXIT_OK, EXIT_USAGE, EXIT_LISTEN, EXIT_CONTRACT = 0, 2, 3, 6
DEFAULT_PORT = 5120  # where deployed gateways listen


def _optional_seconds(text: str) -> float | None:
    if text.lower() in ("none", "off", "0"):
        return None
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not 0 < value < math.inf:
        raise argparse.ArgumentTypeError(f"must be a finite number > 0, or 'none': {text!r}")
    return value


class _Parser(argparse.ArgumentParser):
    """Usage errors are one line on stderr (exit 2), like every other bad option."""

    def error(self, message: str) -> NoReturn:
        if message.startswith("unrecognized arguments:"):
            from ..cli._parser import unrecognized

            message = unrecognized(message.split(":", 1)[1].split())
        self.exit(EXIT_USAGE, f"{self.prog}: {message} (`mxgw sim --help` lists the "
                              "options)\n")


_EPILOG = """\
Prints one JSON line when it is serving (endpoint, transport, apiKey, readOnlyApiKey,
auth, reflection, contract, galaxy; certificateSha256 with --tls), then serves until
Ctrl-C or SIGTERM. gRPC server reflection (v1 and v1alpha, no API key needed) is served,
for the contract in use, unless --no-reflection.

exit codes:
  0  stopped cleanly
  2  bad options (a flag, the galaxy file, TLS setup, a contract file that is not a
     descriptor set; one line on stderr)
  3  cannot listen on the address
  6  the --contract file lacks (or types differently) a message, field, enum value or
     rpc the simulator uses (one line naming each, before it listens)
"""


def build_parser() -> argparse.ArgumentParser:
    d = SimOptions()
    p = _Parser(
        prog="mxgw sim", epilog=_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Serve the MXAccess Gateway simulator (both gRPC services) until Ctrl-C "
                    "or SIGTERM.")
    add = p.add_argument
    add("--host", default=d.host, help=f"address to listen on (default {d.host})")
    add("--port", type=int, default=DEFAULT_PORT, help="port, 0 for any (default 5120)")
    add("--objects", type=int, default=d.objects, metavar="N",
        help=f"pumps + tanks in the demo galaxy, at most {MAX_OBJECTS:,} "
             f"(default {d.objects})")
    add("--tick-interval", type=_optional_seconds, default=d.tick_interval, metavar="SECONDS",
        help="seconds between value changes, or none/off/0: values change only when set "
             f"(default {d.tick_interval:g})")
    add("--seed", type=int, default=d.seed, metavar="N",
        help=f"makes the moving values repeatable (default {d.seed})")
    add("--galaxy-file", metavar="FILE",
        help="load this JSON galaxy instead of the demo galaxy")
    add("--no-auth", dest="auth", action="store_false", help="accept calls without an API key")
    transport = p.add_mutually_exclusive_group()
    transport.add_argument("--plaintext", dest="tls", action="store_false", default=False,
                           help="serve unencrypted h2c (the default; the same flag as clients)")
    transport.add_argument("--tls", dest="tls", action="store_true", default=False,
                           help="serve TLS (self-signed unless --cert-file)")
    add("--cert-file", metavar="PEM", help="PEM certificate for --tls")
    add("--key-file", metavar="PEM", help="PEM private key for --tls")
    add("--max-sessions", type=int, default=d.max_sessions, metavar="N",
        help=f"more sessions get RESOURCE_EXHAUSTED (default {d.max_sessions})")
    add("--event-queue-limit", type=int, default=d.event_queue_limit, metavar="N",
        help="undelivered events per session before it faults with EventQueueOverflow "
             f"(default {d.event_queue_limit})")
    add("--replay-ring", type=int, default=d.replay_ring, metavar="N",
        help=f"events kept for after_worker_sequence (default {d.replay_ring})")
    add("--replay-seconds", type=float, default=d.replay_seconds, metavar="SECONDS",
        help=f"how long they are kept (default {d.replay_seconds:g})")
    add("--lease-seconds", type=float, default=d.lease_seconds, metavar="SECONDS",
        help="idle sessions close after this; any call or an attached stream renews it "
             f"(default {d.lease_seconds:g}, at most a year)")
    add("--max-pending-commands", type=int, default=d.max_pending_commands, metavar="N",
        help="concurrent Invokes per session before RESOURCE_EXHAUSTED "
             f"(default {d.max_pending_commands})")
    add("--deploy-period", type=_optional_seconds, default=d.deploy_period, metavar="SECONDS",
        help="simulate a galaxy deploy every SECONDS (default, or none/off/0: never)")
    add("--verbose", action="store_true",
        help="log one line per call to stderr (never a key, a password or a value)")
    add("--contract", metavar="FILE",
        help="speak this contract (a descriptor set, as protoc --include_imports "
             "--descriptor_set_out writes it) instead of the built-in one: its numbers on "
             "the wire, its files by reflection")
    add("--no-reflection", dest="reflection", action="store_false",
        help="do not serve gRPC server reflection (served by default, v1 and v1alpha, "
             "for the contract the simulator speaks)")
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
        "reflection": sim.options.reflection,
        "contract": sim.wire.contract.describe(),
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
    from .._errors import MxGatewayConfigError, MxGatewayContractError
    from ._galaxy_file import GalaxyFileError
    from ._tls import TlsSetupError

    try:
        asyncio.run(serve(options))
    except KeyboardInterrupt:
        return EXIT_OK  # Ctrl-C where signal handlers are unavailable: already cleaned up
    except MxGatewayContractError as exc:
        sys.stderr.write(f"mxgw sim: {exc}\n")
        return EXIT_CONTRACT
    except (GalaxyFileError, TlsSetupError, MxGatewayConfigError) as exc:
        sys.stderr.write(f"mxgw sim: {exc}\n")
        return EXIT_USAGE
    except OSError as exc:
        sys.stderr.write(f"mxgw sim: {exc}\n")
        return EXIT_LISTEN
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
