"""CommandContext: what a command's `run(ctx, args)` gets from the dispatcher.

    ctx.options     ClientOptions, resolved: flags > environment > profile > defaults
                    (`--endpoint sim` starts the built-in simulator and fills endpoint,
                    API key and plaintext from it)
    ctx.profile     the profile name or None;  ctx.debug: --debug was given
    ctx.sim         RunningSimulator when `--endpoint sim`, else None
    ctx.out         the Output that owns stdout (emit / line / item / finish)
    await ctx.client()          the connected GatewayClient (one per options; the
                                dispatcher closes it; `batch` reuses it across lines)
    ctx.session_id()            --session-id or MXGW_SESSION_ID (usage error if neither)
    async with ctx.transient_session() as session:   opened here (short lease), closed
                                in finally; a close the gateway did not confirm becomes
                                a warning (or a field of the error), never the error
    ctx.check_writable()        MxGatewayReadOnlyError (exit 2) when the options are
                                read-only: the dispatcher asks before connecting a
                                command whose table row says `write`
    ctx.audit(action, details)  append to the audit log unless --no-audit
    (a certificate trusted on first use is audited and announced on stderr by ctx.client())

A command module provides `add_arguments(parser)` and `async run(ctx, args) -> int`, or,
for a family of commands, `COMMANDS = {name: Command(add_arguments, run)}`.
"""

from __future__ import annotations

import argparse
import asyncio
import os
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ._exit import UsageError
from ._output import Output
from ._table import CommandSpec

if TYPE_CHECKING:
    from .._client import GatewayClient
    from .._options import ClientOptions
    from .._session import Session
    from ..testing import RunningSimulator

SESSION_ENV = "MXGW_SESSION_ID"
DEFAULT_KEY_ENV = "MXGATEWAY_API_KEY"
# The lease one-shot commands ask for: every call renews it and an attached stream keeps
# it alive, so it only matters for a session orphaned by a dead network or a killed
# process, which the gateway then reclaims in minutes instead of the default 30.
ONE_SHOT_LEASE = 120.0
# The connection options `batch` takes as defaults for its lines (argparse dests).
CONNECTION_DESTS = ("endpoint", "plaintext", "ca_file", "server_name_override",
                    "require_cert_validation", "tls_pin", "quiet", "use_proxy",
                    "api_key_env", "api_key", "profile", "config", "timeout", "contract")


@dataclass(frozen=True)
class Command:
    """One command of a family module."""

    add_arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[CommandContext, argparse.Namespace], Awaitable[int]]


def no_arguments(parser: argparse.ArgumentParser) -> None:
    """`add_arguments` of a command with no options of its own."""
    del parser


class Runtime:
    """Connections and simulators shared by the commands of one process (or one batch)."""

    def __init__(self, secrets: set[str] | None = None,
                 warnings: list[str] | None = None,
                 notices: list[Any] | None = None) -> None:
        self.stack = AsyncExitStack()
        self.in_batch = False
        self._clients: dict[Any, GatewayClient] = {}
        self._sim: RunningSimulator | None = None
        self.secrets: set[str] = set() if secrets is None else secrets
        self.warnings: list[str] = [] if warnings is None else warnings
        # held back until the command goes on (see _output.flush_notices)
        self.notices: list[Any] = [] if notices is None else notices
        # batch: connection options given to `batch` itself, the default of every line
        self.defaults: dict[str, Any] = {}

    def add_secret(self, value: str | None) -> None:
        """Scrub `value` (and, for an API key, its bare secret part) from all output."""
        from .._json import secret_forms

        if value:
            self.secrets.update(secret_forms(value))

    def warn(self, message: str) -> None:
        """Something went wrong that does not change the outcome (a cleanup): reported on
        stderr after the command, or as the `warnings` field of its error."""
        from .._json import redact

        self.warnings.append(redact(message, self.secrets))

    async def simulator(self) -> RunningSimulator:
        if self._sim is None:
            from ..testing import run_simulator

            self._sim = await self.stack.enter_async_context(run_simulator())
            self.add_secret(self._sim.api_key)
            self.add_secret(self._sim.read_only_api_key)
        return self._sim

    async def client(self, options: ClientOptions,
                     on_connect: Callable[[GatewayClient], None] | None = None
                     ) -> GatewayClient:
        """The client for `options`, connected on first use (then `on_connect(client)`)."""
        client = self._clients.get(options)
        if client is None:
            from .._client import GatewayClient

            client = await GatewayClient.connect(options)
            self.stack.push_async_callback(client.close)
            self._clients[options] = client
            if on_connect is not None:
                on_connect(client)
        return client

    async def aclose(self) -> None:
        await self.stack.aclose()


def check_scheme(endpoint: str, plaintext: bool | None) -> None:
    """`http://` means plaintext and `https://` TLS; a contradicting flag is a usage error."""
    from .._endpoint import parse_endpoint

    scheme = parse_endpoint(endpoint).scheme  # a bad endpoint: MxGatewayConfigError, exit 2
    if scheme is not None and plaintext is not None and plaintext != (scheme == "http"):
        flag = "--plaintext" if plaintext else "--tls"
        raise UsageError(f"{flag} contradicts the {scheme}:// endpoint; drop one of them")


def _pin(text: str | None) -> str | None:
    """--tls-pin, checked here so that the message names the flag."""
    if text is None:
        return None
    from .._known import parse_fingerprint

    try:
        return parse_fingerprint(text, "--tls-pin")
    except ValueError as exc:
        raise UsageError(str(exc)) from None


class CommandContext:
    """See the module docstring. Created by the dispatcher for each command run."""

    def __init__(self, spec: CommandSpec, args: argparse.Namespace, runtime: Runtime,
                 out: Output) -> None:
        self.spec = spec
        self.args = args
        self.runtime = runtime
        self.out = out
        self.debug: bool = bool(getattr(args, "debug", False))
        self.profile: str | None = getattr(args, "profile", None)
        self.sim: RunningSimulator | None = None
        self._options: ClientOptions | None = None

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def options(self) -> ClientOptions:
        if self._options is None:
            raise UsageError(f"`mxgw {self.name}` does not connect to a gateway")
        return self._options

    async def prepare(self) -> None:
        """Resolve the options (and start the simulator) for a connecting command."""
        if self.spec.kind not in ("connect", "session", "either"):
            return
        from .._options import ClientOptions

        args = self.args
        for dest, value in self.runtime.defaults.items():  # batch: the batch's own options
            if getattr(args, dest, None) is None:
                setattr(args, dest, value)
        flags: dict[str, Any] = {
            "ca_file": args.ca_file,
            "server_name_override": args.server_name_override,
            "require_certificate_validation": args.require_cert_validation,
            "timeout": args.timeout,
            "use_proxy": args.use_proxy,
            "tls_pin": _pin(args.tls_pin),
            "contract": args.contract,
        }
        key_env = args.api_key_env or DEFAULT_KEY_ENV
        if args.api_key == "":
            # `--api-key "$KEY"` with KEY unset: another key (the environment's, the
            # profile's) must not be used in its place without a word.
            raise UsageError("--api-key is empty (an unset variable?): leave it out to use "
                             f"{DEFAULT_KEY_ENV} or the profile's key")
        if args.api_key:
            self.runtime.add_secret(args.api_key)
            flags["api_key"] = args.api_key
        elif key_env != DEFAULT_KEY_ENV:
            value = os.environ.get(key_env)
            if not value:
                raise UsageError(f"environment variable {key_env} "
                                 "(from --api-key-env) is not set")
            flags["api_key"] = value
        plaintext = args.plaintext
        if args.endpoint == "sim":
            self.sim = await self.runtime.simulator()
            if plaintext is False and self.sim.plaintext:
                raise UsageError("--tls: the built-in simulator serves plaintext")
            flags.update(endpoint=self.sim.endpoint, plaintext=self.sim.plaintext)
            flags.setdefault("api_key", self.sim.api_key)
        else:
            if args.endpoint is not None:
                check_scheme(args.endpoint, plaintext)
            flags.update(endpoint=args.endpoint, plaintext=plaintext)
        # A bad value (timeout range, endpoint, key characters, profile) raises
        # MxGatewayConfigError: exit 2, with the library's own message.
        options = ClientOptions.resolve(flags, profile=args.profile, config_path=args.config)
        if plaintext is not None and options.endpoint:
            # The same check for an endpoint from MXGATEWAY_ENDPOINT or the profile: the
            # library cannot tell --tls from its default, so an http:// one went plaintext.
            check_scheme(options.endpoint, plaintext)
        self.profile = options.profile
        self.runtime.add_secret(options.api_key)
        self._options = options

    async def client(self) -> GatewayClient:
        return await self.runtime.client(self.options, self._first_contact)

    def _first_contact(self, client: GatewayClient) -> None:
        """A certificate trusted on first use was stored: audit it, and say so on stderr."""
        trust = client.certificate_trust
        if trust is None or trust.status != "new":
            return
        self.audit("trust", {"change": "first-contact", "endpoint": trust.endpoint,
                             "sha256": trust.sha256, "previous": None, "file": trust.file},
                   always=True)
        if not getattr(self.args, "quiet", False):
            self.runtime.notices.append(
                {"notice": "trusting new gateway certificate", "endpoint": trust.endpoint,
                 "sha256": trust.sha256, "file": trust.file})

    def session_id(self) -> str:
        sid = getattr(self.args, "session_id", None) or os.environ.get(SESSION_ENV)
        if not sid:
            raise UsageError(f"`mxgw {self.name}` needs --session-id (or {SESSION_ENV}); "
                             "get one from `mxgw open-session`")
        return str(sid)

    async def attached_session(self) -> Session:
        """The session named by --session-id / MXGW_SESSION_ID (not closed by us)."""
        sid = self.session_id()
        return (await self.client()).attach_session(sid)

    @asynccontextmanager
    async def transient_session(self, name: str | None = None) -> AsyncIterator[Session]:
        """A session for this one command, with a short lease, closed in finally whatever
        happens. A close the gateway does not confirm is a warning: the command's own
        result (or error) stays what it was."""
        client = await self.client()
        session = await client.open_session(name=name or f"mxgw {self.name}",
                                            lease=ONE_SHOT_LEASE)
        try:
            yield session
        finally:
            await self._close_transient(session)

    async def _close_transient(self, session: Session) -> None:
        reason = f"mxgw {self.name} done"
        try:
            await self._close_reporting(session, reason)
        except asyncio.CancelledError:
            # A signal while closing: the close goes on (its deadline bounds it) and its
            # outcome is still reported; then the cancellation goes on too.
            await self._close_reporting(session, reason)
            raise

    async def _close_reporting(self, session: Session, reason: str) -> None:
        from .._errors import MxGatewayError

        try:
            await session.close(reason=reason)
        except MxGatewayError as exc:
            self.runtime.warn(f"{exc.message}: the close was not confirmed, so the session "
                              f"may stay open on the gateway until its {ONE_SHOT_LEASE:g} s "
                              "lease runs out")

    def check_writable(self) -> None:
        """The library's own refusal (same error, same words), before anything connects."""
        if self._options is not None and self._options.read_only:
            from .._errors import read_only_refusal

            raise read_only_refusal(f"mxgw {self.name}", self.profile)

    def audit(self, action: str, details: dict[str, Any], *, always: bool = False) -> None:
        """Append to the audit log; --no-audit skips writes, never trust changes (`always`)."""
        if not always and getattr(self.args, "no_audit", False):
            return
        from .._paths import audit_log_file
        from ._audit import append

        endpoint = self._options.endpoint if self._options is not None else None
        try:
            append(action, details, endpoint=endpoint, profile=self.profile,
                   secrets=self.runtime.secrets)
        except OSError as exc:
            self.runtime.warn(f"audit log {audit_log_file()} not written: "
                              f"{exc.strerror or exc}")
