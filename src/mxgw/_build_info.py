"""What this copy of mxgw is, for `mxgw version`.

build.py replaces this module in the pyz's staging tree (never in src/) with the build's
facts: version from the wheel's metadata, the git commit, the target platform, the Python
versions bundled and the contract it was generated from. A source checkout or a wheel
install reports `pyz: False` and leaves what it cannot know as None.
"""

from __future__ import annotations

from ._version import __version__

# typing is not imported at run time: this module is on `mxgw version`'s start-up path.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

INFO: dict[str, Any] = {
    "version": __version__,
    "commit": None,
    "dirty": None,
    "target": None,
    "pythons": None,
    "contract": "built-in",
    "pyz": False,
}
