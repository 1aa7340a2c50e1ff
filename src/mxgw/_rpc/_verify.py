"""Before the first call on a channel: does the contract in use agree with the gateway's?

    verification = await verify(channel, metadata, timeout, contract)
    verification.verified, verification.how      # True, "reflection" / False, "not offered"

The gateway's descriptors come by server reflection (`mxgw._reflection`: the services the
tool calls and their imports, one exchange); every message, field, enum value and rpc of
the seam's table is compared (`Contract.disagreements`: numbers, types, labels, names).
A disagreement raises MxGatewayContractError naming each, and nothing else is sent: a
write carrying its value in a field the gateway reads as another is a wrong value in a
plant. A gateway without reflection (UNIMPLEMENTED) is not an error: the contract is then
unverified, and `ping` and the REPL banner say so. Any other failure of reflection (the
gateway down, a deadline, a refused key) is raised, mapped as every call's failures are:
the call that would have followed cannot be known to be safe.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import grpc

from ._contract import Contract, refusal, services

if TYPE_CHECKING:
    from .._reflection import Errors

# Reflection answers fast or not at all: the exchange gets at most this long (the
# caller passes its own deadline when shorter).
VERIFY_TIMEOUT = 30.0


@dataclass(frozen=True)
class ContractVerification:
    """The outcome of comparing the contract in use with the gateway's.

    `how` is "reflection" (compared; `reflection` names the service that answered) or
    "not offered" (the gateway serves no reflection). `undescribed` lists the services
    the tool uses that the gateway's reflection does not know (not compared)."""

    verified: bool
    how: str
    reflection: str | None = None
    undescribed: tuple[str, ...] = ()
    gateway: Contract | None = field(default=None, repr=False)  # the gateway's, when offered

    def describe(self) -> dict[str, object]:
        """What `ping` and the REPL banner print."""
        found: dict[str, object] = {"verified": self.verified, "how": self.how}
        if self.undescribed:
            found["undescribed"] = list(self.undescribed)
        return found


async def _reflected(channel: grpc.aio.Channel, metadata: Sequence[tuple[str, str]],
                     timeout: float | None, errors: Errors | None
                     ) -> tuple[str, list[bytes], list[str]] | None:
    """The files of the services the tool calls, as `fetch_files` returns them."""
    from .._reflection import fetch_files

    limit = min(timeout or VERIFY_TIMEOUT, VERIFY_TIMEOUT)  # within the call's deadline
    return await fetch_files(channel, metadata, limit, services(), errors)


async def fetch(channel: grpc.aio.Channel, metadata: Sequence[tuple[str, str]],
                timeout: float | None, errors: Errors | None = None
                ) -> tuple[Contract, bytes, str, list[str]] | None:
    """The gateway's contract by reflection: (the contract, its descriptor set
    serialized, the reflection service, the services it does not describe), or None
    when reflection is not offered."""
    found = await _reflected(channel, metadata, timeout, errors)
    if found is None:
        return None
    reflection, files, undescribed = found
    gateway, data = _parsed(files, reflection)
    return gateway, data, reflection, undescribed


def _parsed(files: Sequence[bytes], reflection: str) -> tuple[Contract, bytes]:
    """The gateway's contract from the files reflection sent, and them as a descriptor
    set serialized."""
    from google.protobuf import descriptor_pb2

    protos = [descriptor_pb2.FileDescriptorProto.FromString(data) for data in files]
    data = descriptor_pb2.FileDescriptorSet(file=protos).SerializeToString(deterministic=True)
    gateway = Contract.from_files(protos, source="gateway", details={"reflection": reflection},
                                  check=False)
    return gateway, data


async def verify(channel: grpc.aio.Channel, metadata: Sequence[tuple[str, str]],
                 timeout: float | None, contract: Contract, errors: Errors
                 ) -> ContractVerification:
    """Compare `contract` with the gateway's; MxGatewayContractError on disagreement.
    A failed reflection call is reported through `errors` (as the call it precedes)."""
    found = await _reflected(channel, metadata, timeout, errors)
    if found is None:
        return ContractVerification(False, "not offered")
    reflection, files, undescribed = found
    packages = [name.rsplit(".", 1)[0] for name in services() if name not in undescribed]
    # The gateway's own files (the usual case: built from the same proto/) need no parse.
    gateway = contract.serves_as(files, source="gateway", details={"reflection": reflection})
    if gateway is None:
        gateway = _parsed(files, reflection)[0]
        problems = contract.disagreements(gateway, packages) if packages else []
        if problems:
            raise refusal(
                f"the contract in use ({contract.describe()['source']}) disagrees with the "
                "gateway's", problems, then=", so nothing was sent",
                hint="(speak the gateway's with `mxgw contract fetch`, or --contract FILE)")
    return ContractVerification(bool(packages), "reflection" if packages else "not described",
                                reflection, tuple(undescribed), gateway)
