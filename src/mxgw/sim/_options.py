"""Simulator options: one frozen dataclass, validated once."""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mxgw._rpc._contract import Contract

MAX_LEASE_SECONDS = 365 * 24 * 3600.0  # as the client's longest requested lease
# 100,000 pumps and tanks take ~6 s and ~0.7 GB to build; ten times that, a minute and
# 7 GB, and `--objects 99999999999` never started at all.
MAX_OBJECTS = 100_000


@dataclass(frozen=True)
class SimOptions:
    """How the simulator serves and behaves.

    The defaults are the real gateway's limits (contract part A'); tests shrink them with
    `dataclasses.replace` or keyword overrides to `mxgw.testing.run_simulator`::

        async with run_simulator(tick_interval=None, event_queue_limit=10) as sim: ...
    """

    host: str = "127.0.0.1"
    port: int = 0
    objects: int = 10  # pumps + tanks in the demo galaxy
    tick_interval: float | None = 0.5  # None: values change only via control.tick()
    seed: int = 0
    galaxy_file: str | None = None
    auth: bool = True  # False: no-auth mode, every call allowed
    tls: bool = False
    cert_file: str | None = None
    key_file: str | None = None
    max_sessions: int = 64
    event_queue_limit: int = 10_000
    replay_ring: int = 1024
    replay_seconds: float = 300.0
    lease_seconds: float = 1800.0
    max_pending_commands: int = 128
    deploy_period: float | None = None
    verbose: bool = False
    reflection: bool = True  # serve gRPC server reflection (v1 and v1alpha)
    # The contract it speaks: None for the built-in one, else a descriptor set file (as
    # `protoc --include_imports --descriptor_set_out` writes it) or a loaded mxgw.Contract.
    contract: str | os.PathLike[str] | Contract | None = None

    def __post_init__(self) -> None:
        if not 0 <= self.port <= 65535:
            raise ValueError(f"port must be 0..65535, not {self.port}")
        if not 0 <= self.objects <= MAX_OBJECTS:
            raise ValueError(f"objects must be 0..{MAX_OBJECTS}, not {self.objects}")
        for name in ("tick_interval", "deploy_period", "replay_seconds", "lease_seconds"):
            value = getattr(self, name)
            if value is None and name in ("tick_interval", "deploy_period"):
                continue  # never
            # NaN passes `<= 0`: a NaN tick interval ticked without pause (a core at 100%)
            if not (isinstance(value, (int, float)) and 0 < value < math.inf):
                raise ValueError(f"{name} must be a finite number > 0, not {value!r}")
        if self.lease_seconds > MAX_LEASE_SECONDS:
            # the lease end must stay a date (OpenSession failed UNKNOWN past year 9999)
            raise ValueError(f"lease_seconds must be at most {MAX_LEASE_SECONDS:g} (a year)")
        for name in (
            "max_sessions",
            "event_queue_limit",
            "replay_ring",
            "max_pending_commands",
        ):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be >= 1")
        if (self.cert_file is None) != (self.key_file is None):
            raise ValueError("cert_file and key_file go together")
        if self.cert_file is not None and not self.tls:
            raise ValueError("cert_file/key_file need tls=True")
