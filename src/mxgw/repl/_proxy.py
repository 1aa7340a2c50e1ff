"""`session` in the REPL: the current mxgw.Session, the same object across reconnects.

After a reconnect the REPL has a new `mxgw.Session`. Rather than rebinding `session` and
leaving a dead object in every variable that held it (`s = session`, a helper, a
function's default), the namespace holds a stand-in whose target is swapped: every
attribute of `mxgw.Session` is here, with its signature and docstring (Tab completion,
`help(session.read)` and `inspect.signature` see them; ptpython's signature pop-up, which
asks jedi about the source, shows none), and goes to whichever session is current.

- Coroutine methods (`await session.read(...)`) called while reconnecting wait for the
  new session, up to the client's timeout; then they fail with a one-line error, not sent.
  A gateway error that says the session is lost starts the reconnect (the call still fails).
- Other methods and properties use the current session as it is (`session.session_id` is
  the old id until the reconnect is done); `session.subscribe(...)` started during a
  reconnect fails: `watch(...)` is the helper that resumes on its own.
"""

from __future__ import annotations

import functools
import inspect
from typing import TYPE_CHECKING, Any

from .. import _errors
from .._session import Session

if TYPE_CHECKING:
    from ._reconnect import SessionLink


class ReplSession:
    """The REPL's `session`: the open mxgw.Session, also after a reconnect replaced it.

    Every mxgw.Session method and property works here. `type(session)` is ReplSession,
    so use `session.session_id` (not identity) to tell sessions apart.
    """

    __slots__ = ("_link",)

    def __init__(self, link: SessionLink) -> None:
        self._link = link

    def __repr__(self) -> str:
        return repr(self._link.session)


def _coroutine(name: str, function: Any) -> Any:
    @functools.wraps(function)
    async def method(self: ReplSession, *args: Any, **kwargs: Any) -> Any:
        link = self._link
        session = await link.ready(link.call_timeout)
        try:
            return await getattr(session, name)(*args, **kwargs)
        except _errors.MxGatewayError as exc:
            link.lost(exc, session)
            raise

    return method


def _plain(name: str, function: Any) -> Any:
    @functools.wraps(function)
    def method(self: ReplSession, *args: Any, **kwargs: Any) -> Any:
        return getattr(self._link.session, name)(*args, **kwargs)

    return method


def _property(name: str, prop: property) -> property:
    return property(lambda self: getattr(self._link.session, name), doc=prop.__doc__)


def _delegate() -> None:
    for name, value in vars(Session).items():
        if name.startswith("_"):
            continue
        if isinstance(value, property):
            setattr(ReplSession, name, _property(name, value))
        elif inspect.iscoroutinefunction(value):
            setattr(ReplSession, name, _coroutine(name, value))
        elif callable(value):
            setattr(ReplSession, name, _plain(name, value))
        else:
            setattr(ReplSession, name, value)  # constants: MAX_BULK_ITEMS


_delegate()
