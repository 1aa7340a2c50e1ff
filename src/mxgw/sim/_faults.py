"""Fault injection state, set through the control handle and read by every call."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import grpc


@dataclass
class _Failure:
    remaining: int
    code: grpc.StatusCode
    message: str
    method: str | None  # rpc name like "Invoke", or None for any


class Faults:
    def __init__(self) -> None:
        self.latency = 0.0
        self.accepting = True
        self.cancelled_streams = 0
        self._failures: list[_Failure] = []

    def fail_next(self, n: int, code: grpc.StatusCode, message: str = "",
                  method: str | None = None) -> None:
        if n < 1:
            raise ValueError("n must be >= 1")
        if method is not None:
            method = method.rsplit("/", 1)[-1]
        self._failures.append(_Failure(n, code, message or f"injected {code.name}", method))

    def take_failure(self, method: str) -> tuple[grpc.StatusCode, str] | None:
        """The injected failure for this call, if any (each counts down once per call)."""
        for failure in self._failures:
            if failure.method in (None, method):
                failure.remaining -= 1
                if failure.remaining <= 0:
                    self._failures.remove(failure)
                return failure.code, failure.message
        return None

    async def delay(self) -> None:
        if self.latency > 0:
            await asyncio.sleep(self.latency)
