"""The floor for `mxgw.pyz get TAG`: the least a Python script can do to read one tag.

    python tests/bench_startup_floor.py SITE ENDPOINT TAG     (MXGATEWAY_API_KEY in the env)

SITE is a pyz extraction folder (so the floor uses the same grpc, protobuf and generated
stubs as the pyz), ENDPOINT a plaintext simulator. It makes the same RPCs as `mxgw get`
(OpenSession, Invoke REGISTER, Invoke READ_BULK, CloseSession) with the synchronous grpc
API and no library, CLI, asyncio or JSON formatting beyond one line, and like the pyz
it freezes the garbage collector before it exits (the last collection at shutdown would
walk every object left; any script can skip it, so the floor does). tests/bench_startup.py
times it against the pyz; it is not a test (pytest does not collect bench_*.py).
"""

from __future__ import annotations

import os
import sys

sys.path.insert(0, sys.argv[1])

import grpc  # (imported after the path is set)

from mxgw._proto import gateway_pb2 as pb
from mxgw._proto import gateway_pb2_grpc


def main() -> int:
    endpoint, tag = sys.argv[2], sys.argv[3]
    metadata = (("authorization", f"Bearer {os.environ['MXGATEWAY_API_KEY']}"),)
    with grpc.insecure_channel(endpoint) as channel:
        stub = gateway_pb2_grpc.MxAccessGatewayStub(channel)  # type: ignore[no-untyped-call]
        session = stub.OpenSession(pb.OpenSessionRequest(client_session_name="floor"),
                                   metadata=metadata, timeout=30).session_id
        try:
            request = pb.MxCommandRequest(session_id=session)
            request.command.kind = pb.MX_COMMAND_KIND_REGISTER
            request.command.register_command.client_name = "floor"
            server = stub.Invoke(request, metadata=metadata, timeout=30).register.server_handle
            request = pb.MxCommandRequest(session_id=session)
            request.command.kind = pb.MX_COMMAND_KIND_READ_BULK
            request.command.read_bulk_command.server_handle = server
            request.command.read_bulk_command.tag_addresses.append(tag)
            reply = stub.Invoke(request, metadata=metadata, timeout=30)
            result = reply.bulk_read.results[0]
            print(f'{{"tag": "{result.tag_address}", "ok": {str(result.was_successful).lower()},'
                  f' "quality": {result.quality}}}')
        finally:
            stub.CloseSession(pb.CloseSessionRequest(session_id=session), metadata=metadata,
                              timeout=30)
    return 0


if __name__ == "__main__":
    code = main()
    import gc

    gc.freeze()
    sys.exit(code)
