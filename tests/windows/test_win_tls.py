"""TLS from Windows CPython (under Wine) on 3.11, 3.12 and 3.13: trust-on-first-use,
--ca-file, and --require-cert-validation against the machine certificate store, which
mxgw reads itself (ssl.enum_certificates: ROOT and CA) because grpcio ignores it.

The simulator runs on this (Linux) side with a fresh self-signed certificate per test.
grpcio's BoringSSL needs ProcessPrng, which Wine 8 lacks: the prefix has the stand-in
(winekit), without which every TLS connection ends the process with 0xC0000409 (exit 9).
"""

from __future__ import annotations

import asyncio
import json
import ssl
import subprocess
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from conftest import Mxgw

from mxgw.testing import RunningSimulator, run_simulator

pytestmark = [pytest.mark.windows, pytest.mark.slow]

CODE_SIGNING = "1.3.6.1.5.5.7.3.3"


@pytest_asyncio.fixture
async def sim() -> AsyncIterator[RunningSimulator]:
    async with run_simulator(tls=True, tick_interval=None) as running:
        yield running


async def ping(mxgw: Mxgw, sim: RunningSimulator, *flags: str
               ) -> subprocess.CompletedProcess[str]:
    return await asyncio.to_thread(mxgw.run, "ping", "--endpoint", sim.endpoint, *flags,
                                   env={"MXGATEWAY_API_KEY": sim.api_key})


def transport(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 0, done.stderr
    return str(json.loads(done.stdout)["transport"])


@pytest.mark.asyncio
async def test_trust_on_first_use_and_ca_file(mxgw: Mxgw, sim: RunningSimulator,
                                              tmp_path: Path) -> None:
    assert "trust-on-first-use" in transport(await ping(mxgw, sim))
    ca = tmp_path / "gateway ca.pem"
    assert sim.ca_pem is not None
    ca.write_bytes(sim.ca_pem)
    assert "CA file" in transport(await ping(mxgw, sim, "--ca-file",
                                             mxgw.wine.windows_path(ca)))
    assert sim.control.open_session_count == 0


@pytest.mark.asyncio
async def test_require_cert_validation_uses_the_machine_store(
        mxgw: Mxgw, sim: RunningSimulator, tmp_path: Path) -> None:
    added: list[tuple[str, Path]] = []

    async def wintool(*args: str) -> None:
        done = await asyncio.to_thread(mxgw.wine.run, mxgw.python, "C:\\wintool.py", *args)
        assert done.returncode == 0, done.stderr

    async def addcert(gateway: RunningSimulator, store: str, *purpose: str) -> None:
        assert gateway.ca_pem is not None
        der = tmp_path / f"{store}.der"
        der.write_bytes(ssl.PEM_cert_to_DER_cert(gateway.ca_pem.decode()))
        await wintool("addcert", store, mxgw.wine.windows_path(der), *purpose)
        added.append((store, der))

    try:
        await _machine_store_cases(mxgw, sim, addcert)
    finally:
        # The simulators' certificates share their subject; one left in the store would
        # be taken as the issuer of the next test's certificate (the prefix is shared).
        for store, der in added:
            await wintool("delcert", store, mxgw.wine.windows_path(der))


async def _machine_store_cases(mxgw: Mxgw, sim: RunningSimulator, addcert: Any) -> None:

    refused = await ping(mxgw, sim, "--require-cert-validation")
    assert refused.returncode == 3, refused.stderr
    assert "CERTIFICATE_VERIFY_FAILED" in refused.stderr
    # A trusted root of the machine: now the gateway's certificate validates.
    await addcert(sim, "ROOT")
    assert transport(await ping(mxgw, sim, "--require-cert-validation")) == \
        "TLS (system trust roots)"
    # Another gateway, whose certificate is in the machine's CA store but trusted for
    # code signing only: not for TLS.
    async with run_simulator(tls=True, tick_interval=None) as other:
        await addcert(other, "CA", CODE_SIGNING)
        refused = await ping(mxgw, other, "--require-cert-validation")
        assert refused.returncode == 3, refused.stderr
        assert other.control.open_session_count == 0
    assert sim.control.open_session_count == 0
