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

import importlib
from typing import TYPE_CHECKING, Any

from ._version import __version__

# Public name -> private module that defines it. tests/test_exports.py keeps this,
# __all__ and the TYPE_CHECKING imports in step.
_EXPORTS: dict[str, str] = {
    "MxAccessError": "._errors",
    "MxGatewayAuthenticationError": "._errors",
    "MxGatewayAuthorizationError": "._errors",
    "MxGatewayCommandError": "._errors",
    "MxGatewayError": "._errors",
    "MxGatewaySessionError": "._errors",
    "MxGatewayStreamGapError": "._errors",
    "MxGatewayTransportError": "._errors",
    "MxGatewayWorkerError": "._errors",
}

if TYPE_CHECKING:
    from ._errors import (
        MxAccessError,
        MxGatewayAuthenticationError,
        MxGatewayAuthorizationError,
        MxGatewayCommandError,
        MxGatewayError,
        MxGatewaySessionError,
        MxGatewayStreamGapError,
        MxGatewayTransportError,
        MxGatewayWorkerError,
    )

__all__ = [
    "MxAccessError",
    "MxGatewayAuthenticationError",
    "MxGatewayAuthorizationError",
    "MxGatewayCommandError",
    "MxGatewayError",
    "MxGatewaySessionError",
    "MxGatewayStreamGapError",
    "MxGatewayTransportError",
    "MxGatewayWorkerError",
    "__version__",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'mxgw' has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
