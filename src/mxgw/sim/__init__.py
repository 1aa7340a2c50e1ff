"""The MXAccess Gateway simulator: both gRPC services over a simulated galaxy.

    python -m mxgw.sim --port 5120            # standalone (prints one JSON line)
    mxgw.testing.run_simulator()              # in-process, for tests

See the README, section Simulator.
"""

from __future__ import annotations

from ._control import SimControl
from ._options import SimOptions
from ._server import Simulator

__all__ = ["SimControl", "SimOptions", "Simulator"]
