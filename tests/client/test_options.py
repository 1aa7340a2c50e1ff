"""ClientOptions: validation, redaction, and flags > env > profile > defaults."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from sharedkit import modules_loaded

from mxgw import ClientOptions
from mxgw._endpoint import parse_endpoint

KEY = "mxgw_k1_" + "s" * 43


def write_config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_are_tls_and_16_mib() -> None:
    options = ClientOptions("gw:5120")
    assert not options.uses_plaintext
    assert options.max_message_bytes == 16 * 1024 * 1024
    assert options.timeout == 30.0
    assert not options.use_proxy and not options.read_only


@pytest.mark.parametrize("endpoint", ["localhost:5120", "127.0.0.1:5120", "[::1]:5120"])
def test_plaintext_is_never_inferred_from_the_host(endpoint: str) -> None:
    assert not ClientOptions(endpoint).uses_plaintext


def test_http_scheme_asks_for_plaintext() -> None:
    assert ClientOptions("http://gw:5120").uses_plaintext
    assert not ClientOptions("https://gw:5120").uses_plaintext


@pytest.mark.parametrize("kwargs", [
    {"endpoint": "http://gw:1", "ca_file": "ca.pem"},
    {"endpoint": "gw:1", "plaintext": True, "require_certificate_validation": True},
    {"endpoint": "https://gw:1", "plaintext": True},
    {"endpoint": "gw:1", "timeout": 0},
    {"endpoint": "gw:1", "timeout": float("nan")},
    {"endpoint": "gw:1", "max_message_bytes": 10},
    {"endpoint": ""},
    {"endpoint": "ftp://gw:1"},
    {"endpoint": "gw:99999"},
    {"endpoint": "gw:1/path"},
])
def test_contradictions_are_refused(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        ClientOptions(**kwargs)  # type: ignore[arg-type]


def test_api_key_is_not_in_repr_or_str() -> None:
    options = ClientOptions("gw:5120", api_key=KEY)
    assert KEY not in repr(options) and KEY not in str(options)
    assert "api_key=<redacted>" in repr(options)
    assert "api_key=None" in repr(ClientOptions("gw:5120"))


def test_frozen_and_replace() -> None:
    options = ClientOptions("gw:5120")
    with pytest.raises(dataclasses.FrozenInstanceError):
        options.plaintext = True  # type: ignore[misc]
    assert dataclasses.replace(options, plaintext=True).uses_plaintext


def test_from_env_reads_endpoint_and_key() -> None:
    env = {"MXGATEWAY_ENDPOINT": "envhost:1", "MXGATEWAY_API_KEY": KEY}
    options = ClientOptions.from_env(env)
    assert (options.endpoint, options.api_key) == ("envhost:1", KEY)
    assert ClientOptions.from_env(env, endpoint="flag:2").endpoint == "flag:2"


def test_missing_endpoint_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="--endpoint"):
        ClientOptions.from_env({})


def test_precedence_flags_env_profile_defaults(tmp_path: Path) -> None:
    config = write_config(tmp_path, """
default_profile = "plant"
[profiles.plant]
endpoint = "profilehost:5120"
plaintext = true
timeout = 5
read_only = true
api_key_env = "PLANT_KEY"
""")
    env = {"PLANT_KEY": "mxgw_plant_" + "p" * 43}
    # profile alone
    options = ClientOptions.resolve({}, env=env, config_path=config)
    assert options.endpoint == "profilehost:5120" and options.plaintext and options.read_only
    assert options.timeout == 5 and options.api_key == env["PLANT_KEY"]
    assert options.profile == "plant"
    # env beats profile
    env2 = {**env, "MXGATEWAY_ENDPOINT": "envhost:1", "MXGATEWAY_API_KEY": KEY}
    options = ClientOptions.resolve({}, env=env2, config_path=config)
    assert options.endpoint == "envhost:1" and options.api_key == KEY
    # flags beat env; None means not given
    options = ClientOptions.resolve({"endpoint": "flaghost:2", "timeout": None,
                                     "read_only": False}, env=env2, config_path=config)
    assert options.endpoint == "flaghost:2" and options.timeout == 5 and not options.read_only
    # defaults fill the rest
    assert options.max_message_bytes == 16 * 1024 * 1024


def test_profile_chosen_by_argument_flag_or_env(tmp_path: Path) -> None:
    config = write_config(tmp_path, """
[profiles.a]
endpoint = "a:1"
[profiles.b]
endpoint = "b:1"
""")
    assert ClientOptions.resolve(env={}, profile="a", config_path=config).endpoint == "a:1"
    assert ClientOptions.resolve({"profile": "b"}, env={}, config_path=config).endpoint == "b:1"
    env = {"MXGATEWAY_PROFILE": "b"}
    assert ClientOptions.resolve(env=env, config_path=config).endpoint == "b:1"


def test_profile_file_from_mxgw_home(tmp_path: Path) -> None:
    write_config(tmp_path, '[profiles.home]\nendpoint = "home:1"\n')
    options = ClientOptions.resolve(env={"MXGW_HOME": str(tmp_path)}, profile="home")
    assert options.endpoint == "home:1"


@pytest.mark.parametrize("text, message", [
    ('[profiles.p]\nendpoint = "x:1"\nplaintxt = true\n', "unknown key"),
    ('[profiles.p]\nendpoint = 5\n', "wrong type"),
    ('[profiles.p]\nplaintext = "yes"\n', "wrong type"),
    ('[profiles.q]\nendpoint = "x:1"\n', "no profile 'p'"),
    ("[profiles.p\n", "cannot read"),
])
def test_bad_profiles_are_clear_errors(tmp_path: Path, text: str, message: str) -> None:
    config = write_config(tmp_path, text)
    with pytest.raises(ValueError, match=message):
        ClientOptions.resolve(env={}, profile="p", config_path=config)


def test_named_profile_without_file(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="does not exist"):
        ClientOptions.resolve(env={"MXGW_HOME": str(tmp_path)}, profile="p")


def test_unknown_flag_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="bogus"):
        ClientOptions.resolve({"bogus": 1, "endpoint": "x:1"}, env={})


@pytest.mark.parametrize("text, host, port, scheme", [
    ("gw", "gw", 5120, None),
    ("gw:1234", "gw", 1234, None),
    ("http://gw:1", "gw", 1, "http"),
    ("HTTPS://gw:1/", "gw", 1, "https"),
    ("[::1]:7", "::1", 7, None),
    ("[::1]", "::1", 5120, None),
])
def test_parse_endpoint(text: str, host: str, port: int, scheme: str | None) -> None:
    endpoint = parse_endpoint(text)
    assert (endpoint.host, endpoint.port, endpoint.scheme) == (host, port, scheme)


def test_ipv6_target_is_bracketed() -> None:
    assert parse_endpoint("[::1]:7").target == "[::1]:7"
    with pytest.raises(ValueError, match="brackets"):
        parse_endpoint("::1:7")


def test_options_and_errors_do_not_import_grpc() -> None:
    # The CLI builds options and names error classes before it pays for grpc.
    code = ("import mxgw; mxgw.ClientOptions.from_env({}, endpoint='gw:1'); "
            "mxgw.MxGatewayError; mxgw.MxGatewayReadOnlyError")
    assert modules_loaded(code, "grpc", "google") == []
