"""Exit codes, and the one place that turns an exception into its code (`exit_code_for`)
and the fields of its JSON error line (`error_fields`; mxgw._json writes the line).

    0   success (a stream that ended at its own limit, or a reader that closed the pipe)
    1   internal error (a bug: please report it with the output of --debug)
    2   usage error (bad flag, bad value, read-only profile, --collect over its cap;
        every MxGatewayConfigError the library raises, a corrupt or unwritable
        known_gateways.json among them)
    3   connection or transport (unavailable, deadline, TLS, name resolution, a gateway
        certificate other than the trusted one; the Galaxy database unreachable in
        galaxy-test-connection)
    4   authentication or authorization (API key missing, unknown, or without the scope)
    5   session (not found, not ready, faulted, closed; events lost)
    6   the gateway refused the command (invalid request, protocol status, a message over
        the size limit)
    7   MXAccess failure (and, with --strict, any failed item of a bulk result)
    8   worker error (also the protocol status TIMEOUT)
    10  the --until condition did not hold in time
    130 interrupted (Ctrl-C, SIGTERM, SIGHUP, Ctrl-Break)

This module imports only mxgw._errors and mxgw._json (no grpc) so `mxgw --help` stays
cheap.
"""

from __future__ import annotations

from .. import _errors, _json

# typing is not imported at run time: this module is on `mxgw version`'s start-up path.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Any

OK = 0
INTERNAL = 1
USAGE = 2
TRANSPORT = 3
AUTH = 4
SESSION = 5
REFUSED = 6
MXACCESS = 7
WORKER = 8
CONDITION_NOT_MET = 10
INTERRUPTED = 130

EXIT_CODES_HELP = """exit codes:
  0    success (a stream that ended at its own limit counts)
  1    internal error
  2    usage error (bad flag or value, read-only profile, --collect cap,
       bad known_gateways.json)
  3    connection or transport (unavailable, deadline, TLS, name resolution,
       changed gateway certificate; galaxy-test-connection: the Galaxy database
       is unreachable)
  4    authentication or authorization
  5    session (not found, not ready, faulted, closed, too many; events lost)
  6    gateway refused the command (invalid request, protocol status, message too large)
  7    MXAccess failure (with --strict: any failed item in a bulk result)
  8    worker error (protocol status TIMEOUT too)
  9    mxgw.pyz could not start (wrong platform or Python, no folder to extract to)
  10   the --until condition did not hold in time
  130  interrupted (Ctrl-C, SIGTERM, SIGHUP, Ctrl-Break); sessions closed first"""


class UsageError(Exception):
    """The command line is wrong; the message says what to do instead."""


class CollectLimitError(UsageError):
    """--collect was asked to hold more items than its cap."""


class UnavailableError(Exception):
    """The command is not part of this build (exit 1, with a clear message)."""


class StrictFailureError(Exception):
    """--strict: a bulk result had failed items (exit 7)."""


# Most specific first: MxAccessError is a MxGatewayCommandError.
_TABLE: tuple[tuple[type[BaseException], int], ...] = (
    (UsageError, USAGE),
    (_errors.MxGatewayReadOnlyError, USAGE),
    (_errors.MxGatewayConfigError, USAGE),  # KnownGatewaysFileError among them
    (UnavailableError, INTERNAL),
    (StrictFailureError, MXACCESS),
    (_errors.MxAccessError, MXACCESS),
    (_errors.MxGatewayCommandError, REFUSED),
    (_errors.MxGatewayContractError, REFUSED),
    (_errors.MxGatewayTransportError, TRANSPORT),
    (_errors.MxGatewayAuthenticationError, AUTH),
    (_errors.MxGatewayAuthorizationError, AUTH),
    (_errors.MxGatewaySessionError, SESSION),
    (_errors.MxGatewayStreamGapError, SESSION),
    (_errors.MxGatewayWorkerError, WORKER),
    (_errors.MxGatewayConditionTimeoutError, CONDITION_NOT_MET),
)


def exit_code_for(exc: BaseException) -> int:
    """The documented exit code for an exception (1 for anything unexpected)."""
    for cls, code in _TABLE:
        if isinstance(exc, cls):
            return code
    if isinstance(exc, _errors.MxGatewayError):
        return REFUSED
    if isinstance(exc, KeyboardInterrupt):
        return INTERRUPTED
    return INTERNAL


def error_fields(exc: BaseException, secrets: Iterable[str] = (),
                 warnings: Iterable[str] = (), *, message: str | None = None,
                 notices: Iterable[Any] = ()) -> dict[str, Any]:
    """The fields of the JSON error: type, message, exitCode, grpcCode, protocolStatus,
    hresult, and `warnings` (only when there are any: e.g. a session close that failed
    after the error, which is secondary to it) and `notices` (first-contact notices not yet
    printed). A bug (exit 1) says so in its message;
    `message` replaces the exception's own."""
    code = exit_code_for(exc)
    if message is None and code == INTERNAL and not isinstance(exc, UnavailableError):
        message = (f"internal error: {type(exc).__name__}: {str(exc) or type(exc).__name__}"
                   " (run with --debug)")
    return _json.error_fields(exc, code, message=message, secrets=secrets, warnings=warnings,
                              notices=notices)
