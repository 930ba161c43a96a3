#!/usr/bin/python3
"""A minimal CRI client: one RuntimeService call, the way kubelet makes it.

    cri.py SOCKET METHOD [REQUEST]

REQUEST is the request message as JSON (proto field names, "{}" when
omitted); the response is printed as JSON with every field, defaults
included (SANDBOX_READY and CONTAINER_CREATED are the zero values). A call
the runtime refuses prints "CODE: details" on stderr and exits 1: the
details are the error kubelet records and `kubectl describe` shows.

The messages come from cri.proto beside this file, compiled by protoc into
the directory named by $CRI_PB_DIR (test-cri.sh does that at test time); the
calls are grpc's generic unary calls, so no service stubs are generated.
"""
import os
import sys

import grpc
from google.protobuf import json_format

sys.path.insert(0, os.environ["CRI_PB_DIR"])
import cri_pb2  # noqa: E402  (generated at test time)

SERVICE = "runtime.v1.RuntimeService"


def main(argv):
    if len(argv) not in (3, 4):
        print("usage: cri.py SOCKET METHOD [REQUEST]", file=sys.stderr)
        return 2
    socket, method = argv[1], argv[2]
    request_json = argv[3] if len(argv) == 4 else "{}"
    service = cri_pb2.DESCRIPTOR.services_by_name["RuntimeService"]
    rpc = service.methods_by_name.get(method)
    if rpc is None:
        print(f"cri.py: no method {method} in cri.proto", file=sys.stderr)
        return 2
    request_class = getattr(cri_pb2, rpc.input_type.name)
    response_class = getattr(cri_pb2, rpc.output_type.name)
    request = json_format.Parse(request_json, request_class())
    with grpc.insecure_channel("unix://" + socket) as channel:
        call = channel.unary_unary(
            f"/{SERVICE}/{method}",
            request_serializer=request_class.SerializeToString,
            response_deserializer=response_class.FromString,
        )
        try:
            response = call(request, timeout=float(os.environ.get("CRI_TIMEOUT", "120")))
        except grpc.RpcError as e:
            print(f"{e.code().name}: {e.details()}", file=sys.stderr)
            return 1
    print(json_format.MessageToJson(response, preserving_proto_field_name=True,
                                    including_default_value_fields=True, indent=None))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
