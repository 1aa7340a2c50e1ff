"""The doctor's step runner: records, dependencies, the per-step deadline, progress.

A step body is a coroutine that returns its detail text (status ok), or raises
`NotApplicable` (status skip: fine, the step does not apply here), `Failed` (status fail
with an error and a hint) or any error, which becomes a failure with that error. A step
whose `needs` failed, or were skipped because of a failure, is skipped too ("blocked"):
that skip is not ok. The errors are kept, so that the command exits with the code the
CLI's one table (`_exit.exit_code_for`) gives the first failure.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TextIO

from .. import _errors
from ._exit import scrub

STEPS = ("resolve", "connect", "transport", "certificate", "auth", "session", "read",
         "galaxy", "alarms", "contract")
OK, FAIL, SKIP = "ok", "fail", "skip"


class NotApplicable(Exception):
    """The step does not apply (plaintext has no certificate, no --tag): skip, still ok."""

    def __init__(self, detail: str, hint: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.hint = hint


class Failed(Exception):
    """The step failed with `error` (what sets the exit code); `hint` says what to do."""

    def __init__(self, error: BaseException, hint: str | None = None) -> None:
        super().__init__(str(error))
        self.error = error
        self.hint = hint


@dataclass
class Record:
    """One step of the report: `{"name", "status", "ms", "detail", "hint"}`."""

    name: str
    status: str | None = None  # None while the step has not run
    ms: float | None = None  # None until the step has run (a body may set it: `took`)
    detail: str = ""
    hint: str | None = None
    error: BaseException | None = field(default=None, repr=False)
    blocked: bool = False  # skipped because a step it needs failed

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "status": self.status, "ms": self.ms or 0.0,
                "detail": self.detail, "hint": self.hint}


class Doctor:
    """Runs the steps in order and keeps their records; `failure` is the first error."""

    def __init__(self, timeout: float, secrets: Iterable[str] = (),
                 progress: TextIO | None = None) -> None:
        self.timeout = timeout
        self.records = {name: Record(name) for name in STEPS}
        self._secrets = tuple(secrets)
        self._progress = progress
        self._shown = 0

    @property
    def failure(self) -> BaseException | None:
        for record in self.records.values():
            if record.status == FAIL:
                return record.error
        return None

    def report(self, endpoint: str) -> dict[str, Any]:
        steps = [r.to_dict() for r in self.records.values()]
        for step in steps:  # errors are redacted already; keys given on argv may not be
            step["detail"] = scrub(step["detail"], self._secrets)
            step["hint"] = step["hint"] and scrub(step["hint"], self._secrets)
        return {"ok": self.failure is None, "endpoint": endpoint, "steps": steps}

    def ok(self, name: str) -> bool:
        return self.records[name].status == OK

    async def step(self, name: str, needs: tuple[str, ...],
                   body: Callable[[], Awaitable[str]]) -> bool:
        """Run `body` as step `name` within the deadline; True when it ended ok."""
        record = self.records[name]
        blocker = next((n for n in needs if self.records[n].status == FAIL
                        or self.records[n].blocked), None)
        if blocker is not None:
            record.status, record.blocked = SKIP, True
            record.detail = f"skipped: the {blocker} step did not pass"
            self._show()
            return False
        started = time.perf_counter()
        try:
            async with asyncio.timeout(self.timeout):
                record.detail = await body()
            record.status = OK
        except NotApplicable as skip:
            record.status, record.detail, record.hint = SKIP, skip.detail, skip.hint
        except Failed as failed:
            self._fail(record, failed.error, failed.hint)
        except TimeoutError:
            self._fail(record, _errors.MxGatewayTransportError(
                f"{name}: no answer within {self.timeout:g} s"),
                "the gateway or the network is slow or drops packets; a longer --timeout "
                "tells which")
        except (_errors.MxGatewayError, _errors.KnownGatewaysFileError) as exc:
            self._fail(record, exc, None)
        except OSError as exc:  # a socket failing where the step did not expect it to
            self._fail(record, _errors.MxGatewayTransportError(
                f"{name}: {exc.strerror or exc}"), None)
        if record.ms is None:
            record.ms = round((time.perf_counter() - started) * 1000, 1)
        self._show()
        return record.status == OK

    def took(self, name: str, ms: float) -> None:
        """A step that reports work done earlier sets its own duration."""
        self.records[name].ms = round(ms, 1)

    def hint(self, name: str, text: str | None) -> None:
        """Set the hint of a step that ends ok (or skips) while it runs."""
        self.records[name].hint = text

    def _fail(self, record: Record, error: BaseException, hint: str | None) -> None:
        record.status, record.error, record.hint = FAIL, error, hint
        record.detail = str(error) or type(error).__name__

    def _show(self) -> None:
        """Progress on a terminal: each record, in order, once it is final."""
        records = list(self.records.values())
        while self._shown < len(records) and records[self._shown].status is not None:
            record = records[self._shown]
            self._shown += 1
            if self._progress is not None:
                ms = f"{record.ms or 0:8.1f} ms" if record.status != SKIP else " " * 11
                detail = scrub(record.detail, self._secrets)
                self._progress.write(f"doctor: {record.status:<4} {record.name:<11} {ms}  "
                                     f"{detail}\n")
                if record.hint:
                    self._progress.write(f"{'':>30}hint: {scrub(record.hint, self._secrets)}\n")
                self._progress.flush()
