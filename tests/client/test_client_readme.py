"""The README's library section names only things that exist, and its profile parses."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

import mxgw

README = Path(__file__).resolve().parents[2] / "README.md"


def section() -> str:
    text = README.read_text(encoding="utf-8")
    match = re.search(r"<!-- section: library -->(.*?)<!-- /section: library -->", text, re.DOTALL)
    assert match, "README has no library section"
    return match.group(1)


def test_every_named_method_exists() -> None:
    owners = {"session": mxgw.Session, "client": mxgw.GatewayClient,
              "client.galaxy": mxgw.GalaxyRepositoryClient, "mxgw": mxgw,
              "mxgw.ClientOptions": mxgw.ClientOptions, "mxgw.GatewayClient": mxgw.GatewayClient}
    found = re.findall(r"\b(client\.galaxy|mxgw\.ClientOptions|mxgw\.GatewayClient|session|"
                       r"client|mxgw)\.([A-Za-z_]+)", section())
    assert found
    for owner, name in found:
        if owner == "mxgw" and name in ("testing", "_rpc"):
            continue
        assert hasattr(owners[owner], name), f"{owner}.{name} in README does not exist"


def _parameters() -> set[str]:
    names = set(mxgw.ClientOptions.__dataclass_fields__)
    for owner in (mxgw.Session, mxgw.GatewayClient, mxgw.GalaxyRepositoryClient):
        for attribute in vars(owner).values():
            if callable(attribute):
                names |= set(inspect.signature(attribute).parameters)
    for name in mxgw.__all__:
        obj = getattr(mxgw, name)
        if inspect.isfunction(obj):
            names |= set(inspect.signature(obj).parameters)
    return names


def test_named_keywords_exist() -> None:
    known = _parameters()
    for name in re.findall(r"\b([a-z_]+)=", section()):
        assert name in known, f"{name}= in README is not a parameter of the library"


def test_profile_example_resolves(tmp_path: Path) -> None:
    toml = re.search(r"```toml\n(.*?)```", section(), re.DOTALL)
    assert toml
    (tmp_path / "config.toml").write_text(toml.group(1), encoding="utf-8")
    env = {"MXGW_HOME": str(tmp_path), "PLANT_GATEWAY_KEY": "mxgw_k_" + "a" * 43}
    options = mxgw.ClientOptions.resolve(env=env)
    assert options.profile == "plant" and options.read_only and options.plaintext
    assert options.api_key == env["PLANT_GATEWAY_KEY"]


@pytest.mark.parametrize("data_type", re.findall(r'`"([a-z0-9]+)"`', section()))
def test_named_data_types_are_accepted(data_type: str) -> None:
    when = "2026-01-01T00:00:00+00:00"
    text: object = {"time": when, "datetime": when, "string": "x", "bytes": b"x"}.get(
        data_type, "1")
    assert mxgw.from_mx_value(mxgw.to_mx_value(text, data_type)) is not None
