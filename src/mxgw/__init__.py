"""mxgw: async client library, ops tool and simulator for the MXAccess Gateway.

    import asyncio, mxgw

    async def main() -> None:
        options = mxgw.ClientOptions.from_env(endpoint="gateway01:5120", plaintext=True)
        async with await mxgw.GatewayClient.connect(options) as client:
            async with await client.open_session() as session:
                print(await session.read("Pump001.Speed"))

    asyncio.run(main())

Names are imported lazily (PEP 562) so that `import mxgw` and `mxgw version` do not
pay for grpc and protobuf; type checkers see the real imports below.
"""

from __future__ import annotations

from ._version import __version__

# typing and importlib are not imported at run time: `import mxgw` must stay cheap.
TYPE_CHECKING = False

# Public name -> private module that defines it. tests/test_exports.py keeps this,
# __all__ and the TYPE_CHECKING imports in step.
_EXPORTS: dict[str, str] = {
    "BulkReadResult": "._results",
    "BulkWriteResult": "._write_results",
    "CertificateTrust": "._known",
    "ClientOptions": "._options",
    "Condition": "._until",
    "ConditionError": "._until",
    "Contract": "._rpc._contract",
    "DataChange": "._changes",
    "DeployEvent": "._galaxy_records",
    "DeployInfo": "._galaxy_records",
    "GalaxyAttribute": "._galaxy_records",
    "GalaxyConnection": "._galaxy_records",
    "GalaxyObject": "._galaxy_records",
    "GalaxyRepositoryClient": "._galaxy",
    "GatewayClient": "._client",
    "KnownGatewaysFileError": "._errors",
    "MxAccessError": "._errors",
    "MxGatewayAuthenticationError": "._errors",
    "MxGatewayAuthorizationError": "._errors",
    "MxGatewayCertificateChangedError": "._errors",
    "MxGatewayCommandError": "._errors",
    "MxGatewayConditionTimeoutError": "._errors",
    "MxGatewayConfigError": "._errors",
    "MxGatewayContractError": "._errors",
    "MxGatewayError": "._errors",
    "MxGatewayReadOnlyError": "._errors",
    "MxGatewaySessionError": "._errors",
    "MxGatewayStreamGapError": "._errors",
    "MxGatewayTransportError": "._errors",
    "MxGatewayWorkerError": "._errors",
    "ResumePolicy": "._resume",
    "Session": "._session",
    "StatusInfo": "._status",
    "StreamGap": "._resume",
    "SubscribeResult": "._write_results",
    "TagValue": "._values",
    "alarm_feed_kind": "._rpc._alarms",
    "from_mx_value": "._rpc._values",
    "parse_value": "._values",
    "quality_text": "._status",
    "to_mx_value": "._rpc._values",
}

if TYPE_CHECKING:
    from typing import Any

    from ._changes import (
        DataChange,
    )
    from ._client import (
        GatewayClient,
    )
    from ._errors import (
        KnownGatewaysFileError,
        MxAccessError,
        MxGatewayAuthenticationError,
        MxGatewayAuthorizationError,
        MxGatewayCertificateChangedError,
        MxGatewayCommandError,
        MxGatewayConditionTimeoutError,
        MxGatewayConfigError,
        MxGatewayContractError,
        MxGatewayError,
        MxGatewayReadOnlyError,
        MxGatewaySessionError,
        MxGatewayStreamGapError,
        MxGatewayTransportError,
        MxGatewayWorkerError,
    )
    from ._galaxy import (
        GalaxyRepositoryClient,
    )
    from ._galaxy_records import (
        DeployEvent,
        DeployInfo,
        GalaxyAttribute,
        GalaxyConnection,
        GalaxyObject,
    )
    from ._known import (
        CertificateTrust,
    )
    from ._options import (
        ClientOptions,
    )
    from ._results import (
        BulkReadResult,
    )
    from ._resume import (
        ResumePolicy,
        StreamGap,
    )
    from ._rpc._alarms import (
        alarm_feed_kind,
    )
    from ._rpc._contract import (
        Contract,
    )
    from ._rpc._values import (
        from_mx_value,
        to_mx_value,
    )
    from ._session import (
        Session,
    )
    from ._status import (
        StatusInfo,
        quality_text,
    )
    from ._until import (
        Condition,
        ConditionError,
    )
    from ._values import (
        TagValue,
        parse_value,
    )
    from ._write_results import (
        BulkWriteResult,
        SubscribeResult,
    )

__all__ = [
    "BulkReadResult",
    "BulkWriteResult",
    "CertificateTrust",
    "ClientOptions",
    "Condition",
    "ConditionError",
    "Contract",
    "DataChange",
    "DeployEvent",
    "DeployInfo",
    "GalaxyAttribute",
    "GalaxyConnection",
    "GalaxyObject",
    "GalaxyRepositoryClient",
    "GatewayClient",
    "KnownGatewaysFileError",
    "MxAccessError",
    "MxGatewayAuthenticationError",
    "MxGatewayAuthorizationError",
    "MxGatewayCertificateChangedError",
    "MxGatewayCommandError",
    "MxGatewayConditionTimeoutError",
    "MxGatewayConfigError",
    "MxGatewayContractError",
    "MxGatewayError",
    "MxGatewayReadOnlyError",
    "MxGatewaySessionError",
    "MxGatewayStreamGapError",
    "MxGatewayTransportError",
    "MxGatewayWorkerError",
    "ResumePolicy",
    "Session",
    "StatusInfo",
    "StreamGap",
    "SubscribeResult",
    "TagValue",
    "__version__",
    "alarm_feed_kind",
    "from_mx_value",
    "parse_value",
    "quality_text",
    "to_mx_value",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'mxgw' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
