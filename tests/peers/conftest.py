"""Fixtures for the tests that run the grpc-js peer (see jspeer.py)."""

from __future__ import annotations

from jspeer import jspeer

__all__ = ["jspeer"]
