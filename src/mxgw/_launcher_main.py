# The pyz's __main__.py (build.py copies this file there and fills in BUILD).
#
# Deliberately written so that every Python parses it, 2.7 included: old interpreters are
# common on gateway hosts, and they must get the same one-line JSON error (exit 9) as any
# other host the pyz was not built for, not a SyntaxError from the real launcher
# (_launcher.py, stored in the pyz as _mxgw_launcher.py), which needs Python 3.7+. Hence
# no `from __future__ import annotations`, no f-strings and no type hints here.
"""Entry point of mxgw.pyz; see _launcher.py."""

import sys

BUILD = {}  # build.py replaces this line with the build's facts

if sys.version_info < (3, 7):  # noqa: UP036  (the point of this file)
    import json

    sys.stderr.write(json.dumps({"error": {
        "type": "UnsupportedPython", "exitCode": 9, "grpcCode": None,
        "protocolStatus": None, "hresult": None,
        "message": "%s is built for %s with CPython %s; this is Python %d.%d" % (  # noqa: UP031
            BUILD.get("name"), BUILD.get("target"), ", ".join(BUILD.get("pythons", [])),
            sys.version_info[0], sys.version_info[1]),
        "supportedTarget": BUILD.get("target"), "supportedPythons": BUILD.get("pythons"),
    }}, sort_keys=True) + "\n")
    sys.exit(9)

from _mxgw_launcher import main  # only once the version is known to be fit

main(BUILD)
