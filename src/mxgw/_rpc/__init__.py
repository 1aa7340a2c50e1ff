"""The RPC seam: the only code that knows the wire contract. One job per part:

    _table, _names, _galaxy_names   the table of every proto name the tool uses (messages
                                    and their fields, enum values, rpcs), as typed Protocols
    _contract    Contract: the contract in use (message classes, enum numbers, rpc paths
                 for the table's names); the built-in one is mxgw._proto
    _errors      the one error mapping: gRPC codes and protocol statuses -> exceptions
    _calls       Rpc: stubs made from the table's rpc rows, deadlines, API-key metadata,
                 and the one read-only guard (every write goes through Invoke or
                 AcknowledgeAlarm, and both pass it)
    _commands    MxCommandRequest builders, one row per command
    _records     replies -> the public records (bulk results, TagValue, StatusInfo)
    _events      MxEvent: what streams and listeners read of an event
    _alarms      the alarm feed and alarm records: provider status, the REPL's alarm rows
    _values      Python values <-> MxValue (`mxgw.to_mx_value`, `mxgw.from_mx_value`)
    _galaxy      Galaxy requests and records (`mxgw.GalaxyObject`, `mxgw.GalaxyAttribute`)
    _types       the generated classes as static types of the public API (TYPE_CHECKING)

Nothing outside this package imports mxgw._proto (tests/test_seam.py keeps it so; the
simulator, which is the other side of the wire, aside): the rest of mxgw talks in plain
Python and passes messages through opaquely. Swapping the contract (issue 12: one read
from a descriptor set or by server reflection) is a second `Contract`, nothing else.
"""

from __future__ import annotations

from .._channel import prepare_grpc_environment

prepare_grpc_environment()  # before grpc loads: the resolver is chosen at grpc init
