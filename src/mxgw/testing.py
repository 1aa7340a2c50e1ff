"""Start the gateway simulator in-process for tests (yours and ours).

    from mxgw.testing import run_simulator

    async def test_read() -> None:
        async with run_simulator(tick_interval=None) as sim:
            # sim.endpoint "127.0.0.1:PORT", sim.api_key, sim.plaintext, sim.control
            # (TLS: sim.ca_pem, sim.certificate_sha256 for ClientOptions(tls_pin=...))
            sim.control.set_value("TestChildObject.TestInt", 42)
            ...

        async with run_simulator(contract="gateway.protoset") as sim:
            # speaks that descriptor set's numbers (sim.contract), its files by reflection
            ...

The simulator serves on the running event loop; its control methods are synchronous.
"""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from mxgw.sim import SimControl, SimOptions, Simulator

if TYPE_CHECKING:
    from mxgw._rpc._contract import Contract


@dataclass(frozen=True)
class RunningSimulator:
    """What `run_simulator` yields. The keys are hidden from repr."""

    endpoint: str  # "127.0.0.1:PORT" (host:port, no scheme)
    api_key: str = field(repr=False)  # every scope
    read_only_api_key: str = field(repr=False)
    plaintext: bool
    ca_pem: bytes | None
    control: SimControl
    contract: Contract  # the contract it speaks (Contract.builtin() unless contract=...)

    @property
    def certificate_sha256(self) -> str | None:
        """The served certificate's SHA-256 in the client's form, for
        `ClientOptions(..., tls_pin=sim.certificate_sha256)`; None for plaintext."""
        if self.ca_pem is None:
            return None
        from ._channel import fingerprint

        return fingerprint(self.ca_pem)


@asynccontextmanager
async def run_simulator(options: SimOptions | None = None, **overrides: Any
                        ) -> AsyncIterator[RunningSimulator]:
    """Serve a simulator on 127.0.0.1 (port 0 by default) until the block ends.

    `contract=` (a descriptor set path or a `mxgw.Contract`) makes it speak that contract:
    each simulator has its own, so simulators with different contracts can serve side by
    side. One that lacks a name the simulator uses raises MxGatewayContractError before
    it listens."""
    options = dataclasses.replace(options or SimOptions(), **overrides)
    simulator = Simulator(options)
    await simulator.start()
    try:
        yield RunningSimulator(
            endpoint=simulator.endpoint,
            api_key=simulator.api_key,
            read_only_api_key=simulator.read_only_api_key,
            plaintext=not options.tls,
            ca_pem=simulator.ca_pem,
            control=SimControl(simulator),
            contract=simulator.wire.contract,
        )
    finally:
        await simulator.stop()
