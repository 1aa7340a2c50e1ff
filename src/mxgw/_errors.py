"""Typed errors raised by the mxgw library.

    MxGatewayError                      anything the gateway or the channel refused
    ├── MxGatewayConfigError            a bad option, value, endpoint or file, refused before
    │   │                               anything is sent (also a ValueError)
    │   └── KnownGatewaysFileError      known_gateways.json cannot be read or written
    ├── MxGatewayTransportError         unavailable, deadline, TLS, name resolution, dropped stream
    │   └── MxGatewayCertificateChangedError   not the certificate trusted for the endpoint
    ├── MxGatewayAuthenticationError    missing, malformed or unknown API key (UNAUTHENTICATED)
    ├── MxGatewayAuthorizationError     key lacks the scope (PERMISSION_DENIED)
    ├── MxGatewaySessionError           session not found, not ready, faulted or closed
    ├── MxGatewayWorkerError            the session's worker is unavailable or failed
    ├── MxGatewayCommandError           the gateway refused a command (invalid request,
    │   │                               protocol status other than MXAccess failure); `.reply`
    │   └── MxAccessError               MXAccess reported failure: `.hresult`, `.statuses`
    ├── MxGatewayStreamGapError         events were lost (sequence gap or replay gap)
    ├── MxGatewayReadOnlyError          a write was refused locally: the options are read-only
    └── MxGatewayConditionTimeoutError  `session.wait_for`: the condition did not hold in time
                                        (also a TimeoutError)

gRPC status codes and protocol status codes are mapped to these classes in exactly one
place, `mxgw._rpc._errors` (map_errors, check_status); nothing else maps errors. This
module imports no grpc, so the CLI can name these classes without paying for grpc at
start-up.

Messages never contain an API key or a password: the library builds them from status
details and names only, and mxgw._json.redact() scrubs anything that looks like a key.
How an error prints as JSON (the CLI's error line) is mxgw._json's business too.
"""

from __future__ import annotations

from ._json import redact

# typing is not imported at run time: this module is on `mxgw version`'s start-up path.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any


class MxGatewayError(Exception):
    """Base class: the gateway, or the channel to it, refused or failed a call.

    Attributes are `None` when they do not apply:
        grpc_code:        the gRPC status name, e.g. "UNAVAILABLE"
        protocol_status:  the protocol status name, e.g. "PROTOCOL_STATUS_CODE_INVALID_REQUEST"
        hresult:          the HRESULT of an MXAccess failure, as a signed 32-bit int
    """

    def __init__(
        self,
        message: str,
        *,
        grpc_code: str | None = None,
        protocol_status: str | None = None,
        hresult: int | None = None,
    ) -> None:
        message = redact(message)
        super().__init__(message)
        self.message = message
        self.grpc_code = grpc_code
        self.protocol_status = protocol_status
        self.hresult = hresult


class MxGatewayConfigError(MxGatewayError, ValueError):
    """An option, value, endpoint or file the library refuses before sending anything:
    a bad endpoint or timeout, an API key with characters a header cannot carry, an
    unreadable CA file, a value that does not fit its type, too many bulk items.

    Also a ValueError, so `except ValueError` keeps working. The CLI maps it to exit 2.
    """


class MxGatewayTransportError(MxGatewayError):
    """The channel failed: gateway unreachable, deadline exceeded, TLS or name resolution."""


class MxGatewayCertificateChangedError(MxGatewayTransportError):
    """The gateway presented a certificate other than the one trusted for its endpoint:
    the one remembered in known_gateways.json, or the one given as `tls_pin`.

    Raised by `GatewayClient.connect` before the channel exists, so no call was made and
    the API key was not sent. `endpoint` (normalised), `expected` and `presented` (colon
    hex SHA-256), `first_seen` (when `expected` was first trusted; None for a `tls_pin`).

        except mxgw.MxGatewayCertificateChangedError as exc:
            print(exc.endpoint, exc.expected, exc.presented)
    """

    def __init__(self, message: str, *, endpoint: str, expected: str, presented: str,
                 first_seen: str | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.endpoint = endpoint
        self.expected = expected
        self.presented = presented
        self.first_seen = first_seen


class MxGatewayAuthenticationError(MxGatewayError):
    """The API key is missing, malformed or unknown (gRPC UNAUTHENTICATED)."""


class MxGatewayAuthorizationError(MxGatewayError):
    """The API key is valid but lacks the scope for the call (gRPC PERMISSION_DENIED)."""


class MxGatewaySessionError(MxGatewayError):
    """The session is not found, not ready, faulted, or already closed."""


class MxGatewayWorkerError(MxGatewayError):
    """The session's worker process is unavailable or failed."""


class MxGatewayCommandError(MxGatewayError):
    """The gateway refused a command; `reply` holds the raw MxCommandReply when there is one."""

    def __init__(self, message: str, *, reply: Any = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.reply = reply


class MxAccessError(MxGatewayCommandError):
    """MXAccess reported a failure: `hresult` and the decoded failing `statuses`.

    `statuses` holds `mxgw.StatusInfo` records (category and detail names decoded from
    the MX_E_ table) for the entries that are real failures.
    """

    def __init__(
        self,
        message: str,
        *,
        statuses: Sequence[Any] = (),
        reply: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(message, reply=reply, **kwargs)
        self.statuses = tuple(statuses)


class MxGatewayStreamGapError(MxGatewayError):
    """Events were lost: a worker_sequence gap or a replay gap the caller asked to see.

    `expected` is the sequence that should have come next, `received` the one that did.
    """

    def __init__(self, message: str, *, expected: int, received: int, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.expected = expected
        self.received = received


class MxGatewayReadOnlyError(MxGatewayError):
    """A write, secured write or alarm acknowledgement on a client whose options say
    `read_only=True`. Raised before anything is sent; the CLI maps it to exit 2.

    The library refuses in one place (its call layer, for every write command kind, the
    bulk writes, prepared write requests and AcknowledgeAlarm); the CLI refuses a write
    command before connecting, with the same error: `read_only_refusal` words both.
    """


def read_only_refusal(operation: str, profile: str | None = None) -> MxGatewayReadOnlyError:
    """The one wording of a read-only refusal: `write: refused, the options are read-only
    (profile 'plant')` (or `(read_only=True)` without a profile)."""
    where = f"profile '{profile}'" if profile else "read_only=True"
    return MxGatewayReadOnlyError(f"{operation}: refused, the options are read-only ({where})")


class MxGatewayContractError(MxGatewayError):
    """The contract in use disagrees with what the tool needs, or with the gateway's.

    Raised before anything is sent: at load time, when a message, field, enum value or rpc
    that the tool uses is missing from a descriptor set or has another type or label; and,
    when the gateway offers server reflection, when the gateway's contract numbers or types
    the tool's fields differently. `problems` lists each, by full name
    (`mxaccess_gateway.v1.MxValue.int32_value: missing`). Renumbered fields are not a
    problem of a loaded contract: using the gateway's numbers is its point. The CLI exits 6.
    """

    def __init__(self, message: str, *, problems: Sequence[str] = (), **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.problems = tuple(problems)


class MxGatewayConditionTimeoutError(MxGatewayError, TimeoutError):
    """`session.wait_for(...)` (and `mxgw watch --until`): the condition did not hold
    within the timeout or the number of changes allowed. `changes` is how many data changes
    were seen, `last` the last of them (a DataChange, or None). The CLI exits 10."""

    def __init__(self, message: str, *, changes: int, last: Any = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.changes = changes
        self.last = last


class KnownGatewaysFileError(MxGatewayConfigError):
    """known_gateways.json is corrupt, cannot be read or written, or stays locked.

    The message names the file and what to do. A MxGatewayConfigError (so a ValueError),
    as the library's other configuration errors are; the CLI maps it to exit 2 (fix the
    file; retrying will not).
    """


__all__ = [
    "KnownGatewaysFileError",
    "MxAccessError",
    "MxGatewayAuthenticationError",
    "MxGatewayAuthorizationError",
    "MxGatewayCertificateChangedError",
    "MxGatewayCommandError",
    "MxGatewayConditionTimeoutError",
    "MxGatewayConfigError",
    "MxGatewayError",
    "MxGatewayReadOnlyError",
    "MxGatewaySessionError",
    "MxGatewayStreamGapError",
    "MxGatewayTransportError",
    "MxGatewayWorkerError",
    "read_only_refusal",
]
