"""The doctor's step runner on its own: outcomes, blocking, the deadline, exit codes,
secrets and the progress lines (the steps against simulators: test_commands_doctor.py)."""

from __future__ import annotations

import asyncio
import io

import pytest

from mxgw import MxGatewayAuthenticationError, MxGatewayTransportError
from mxgw.cli._doctor import Doctor, Failed, NotApplicable
from mxgw.cli._exit import exit_code_for

SECRET = "mxgw_abc_" + "s" * 43


def run(doctor: Doctor, *steps: tuple[str, tuple[str, ...], object]) -> None:
    async def main() -> None:
        for name, needs, outcome in steps:
            async def body(outcome: object = outcome) -> str:
                if isinstance(outcome, BaseException):
                    raise outcome
                if outcome == "sleep":
                    await asyncio.sleep(10)
                return str(outcome)
            await doctor.step(name, needs, body)

    asyncio.run(main())


def test_outcomes_blocking_and_the_first_failure() -> None:
    doctor = Doctor(timeout=5)
    refused = MxGatewayAuthenticationError("refused", grpc_code="UNAUTHENTICATED")
    run(doctor,
        ("resolve", (), "found"),
        ("connect", ("resolve",), NotApplicable("not here", "try there")),
        ("transport", ("connect",), "fine"),  # a skip that does not apply blocks nothing
        ("auth", ("transport",), Failed(refused, "check the key")),
        ("session", ("auth",), "never runs"),
        ("read", ("session",), "never runs either"),
        ("galaxy", ("transport",), ConnectionResetError(104, "Connection reset by peer")))
    report = doctor.report("gw01:5120")
    found = {s["name"]: s for s in report["steps"]}
    assert report["ok"] is False and report["endpoint"] == "gw01:5120"
    assert (found["connect"]["status"], found["connect"]["hint"]) == ("skip", "try there")
    assert found["transport"]["status"] == "ok"
    assert found["auth"] == {"name": "auth", "status": "fail", "ms": found["auth"]["ms"],
                             "detail": "refused", "hint": "check the key"}
    assert found["session"]["detail"] == "skipped: the auth step did not pass"
    assert found["read"]["detail"] == "skipped: the session step did not pass"
    assert doctor.records["read"].blocked and not doctor.records["connect"].blocked
    # an OSError nobody expected is still a transport failure (exit 3), never exit 1
    assert found["galaxy"]["detail"] == "galaxy: Connection reset by peer"
    assert isinstance(doctor.records["galaxy"].error, MxGatewayTransportError)
    assert doctor.failure is refused and exit_code_for(refused) == 4
    assert found["alarms"]["status"] is None  # never run: not part of this run


def test_the_deadline_is_per_step() -> None:
    doctor = Doctor(timeout=0.05)
    run(doctor, ("resolve", (), "sleep"), ("connect", (), "quick"))
    resolve = doctor.records["resolve"]
    assert (resolve.status, resolve.detail) == ("fail", "resolve: no answer within 0.05 s")
    assert exit_code_for(doctor.failure or Exception()) == 3
    assert doctor.records["connect"].status == "ok"  # its own deadline, not what was left


def test_secrets_are_scrubbed_from_report_and_progress() -> None:
    progress = io.StringIO()
    doctor = Doctor(timeout=5, secrets=[SECRET], progress=progress)
    run(doctor, ("resolve", (), f"key {SECRET} seen"),
        ("connect", (), Failed(MxGatewayTransportError("down"), f"hint {SECRET}")))
    text = str(doctor.report("gw")) + progress.getvalue()
    assert SECRET not in text and text.count("<redacted>") == 4


def test_progress_shows_each_step_in_order_once_it_is_final() -> None:
    progress = io.StringIO()
    doctor = Doctor(timeout=5, progress=progress)

    async def main() -> None:
        async def session() -> str:
            doctor.took("session", 12.34)  # reports work done earlier
            return "opened"

        await doctor.step("resolve", (), lambda: asyncio.sleep(0, "found"))
        await doctor.step("session", (), session)  # connect..auth have not run yet
        assert progress.getvalue().count("\n") == 1
        for name in ("connect", "transport", "certificate", "auth"):
            await doctor.step(name, (), lambda: asyncio.sleep(0, "ok"))

    asyncio.run(main())
    lines = progress.getvalue().splitlines()
    assert [line.split()[2] for line in lines] == [
        "resolve", "connect", "transport", "certificate", "auth", "session"]
    assert lines[-1] == "doctor: ok   session         12.3 ms  opened"
    assert doctor.records["session"].ms == 12.3


@pytest.mark.parametrize("status", ["ok", "skip"])
def test_no_failure_is_ok(status: str) -> None:
    doctor = Doctor(timeout=5)
    run(doctor, ("resolve", (), "fine" if status == "ok" else NotApplicable("n/a")))
    assert doctor.report("gw")["ok"] is True and doctor.failure is None
