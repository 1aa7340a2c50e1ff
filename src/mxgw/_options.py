"""Client options: one frozen dataclass, resolved from flags, environment and a profile.

Precedence, highest first: explicit flags > environment (`MXGATEWAY_ENDPOINT`,
`MXGATEWAY_API_KEY`, `MXGW_CONTRACT`) > the named profile in config.toml > defaults.
No grpc here.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from . import _paths
from ._endpoint import parse_endpoint
from ._errors import MxGatewayConfigError

if TYPE_CHECKING:
    from pathlib import Path  # (made only for a config file that exists: see _load_profile)

    from ._rpc._contract import Contract

ENV_ENDPOINT = "MXGATEWAY_ENDPOINT"
ENV_API_KEY = "MXGATEWAY_API_KEY"
ENV_PROFILE = "MXGATEWAY_PROFILE"
ENV_CONTRACT = "MXGW_CONTRACT"

# The deadline range: below a millisecond nothing can answer; far above a day grpc's
# deadline arithmetic overflows (1e10 s made every call fail at once with DEADLINE_EXCEEDED).
TIMEOUT_RANGE = (0.001, 86400.0)
KEEPALIVE_RANGE = (1.0, 86400.0)

# Profile keys that are not option fields: the name of an environment variable holding
# the key, so config.toml need not contain the secret itself.
_PROFILE_EXTRA = ("api_key_env",)


@dataclass(frozen=True, repr=False)
class ClientOptions:
    """How to reach the gateway. Frozen; derive variants with `dataclasses.replace`.

        options = ClientOptions("gateway01:5120", api_key=key, plaintext=True)
        options = ClientOptions.resolve({"endpoint": None}, profile="plant")

    TLS is the default. `plaintext=True` or an `http://` endpoint asks for h2c; it is never
    inferred from the host name. With TLS and neither `ca_file` nor
    `require_certificate_validation`:
      - `tls_pin="3f:a0:..."` (SHA-256 of the certificate, colons optional) accepts only
        that certificate;
      - otherwise the certificate is trusted on first use, remembered in `known_gateways`
        (default: known_gateways.json in the user's config folder, shared with the CLI),
        and a different one later is refused (MxGatewayCertificateChangedError);
        `known_gateways=None` remembers nothing (tests), a path uses another file.
    `api_key` never appears in repr(), str() or error messages. `timeout` is the deadline
    of every call that ends by itself (0.001 to 86400 s); streams that run until you stop
    them have none, and `keepalive_seconds` pings the gateway while they run, so a dead
    connection ends them. Bad values raise MxGatewayConfigError.

    `contract` is the wire contract to speak: an `mxgw.Contract`, or the path of a
    descriptor set (`protoc --include_imports --descriptor_set_out`), loaded and checked
    when the client connects; None speaks the one `mxgw contract fetch` stored for the
    endpoint, else the built-in one.
    """

    endpoint: str
    api_key: str | None = field(default=None, repr=False)
    plaintext: bool = False
    ca_file: str | None = None
    require_certificate_validation: bool = False
    server_name_override: str | None = None
    timeout: float | None = 30.0  # seconds per call; None = no deadline
    max_message_bytes: int = 16 * 1024 * 1024
    keepalive_seconds: float | None = 60.0  # HTTP/2 ping interval on busy channels; 0/None off
    use_proxy: bool = False  # honour http_proxy/https_proxy (grpc would route loopback too)
    read_only: bool = False  # refuse writes and alarm acknowledgements locally
    profile: str | None = None  # the profile these options came from, for display
    tls_pin: str | None = None  # SHA-256 of the one certificate to accept; normalised
    known_gateways: str | Path | None = field(default_factory=lambda: default_known_gateways())
    contract: Contract | str | Path | None = None  # a Contract or a descriptor set's path

    def __post_init__(self) -> None:
        endpoint = parse_endpoint(self.endpoint)
        if self.api_key is not None:
            # A key pasted with its line break (Get-Content, a file) still works.
            object.__setattr__(self, "api_key", self.api_key.strip() or None)
        if self.api_key is not None and not all("!" <= c <= "~" for c in self.api_key):
            # Never echo the key: say what kind of character is wrong, not which.
            raise MxGatewayConfigError(
                "the API key holds a character an HTTP header cannot carry (a space, a line "
                "break or a non-ASCII letter); keys look like mxgw_<keyId>_<secret>")
        tls_asked = self.ca_file is not None or self.require_certificate_validation
        plaintext = self.plaintext or endpoint.scheme == "http"
        if plaintext and tls_asked:
            raise MxGatewayConfigError(
                "plaintext cannot be combined with ca_file or certificate validation")
        if self.tls_pin is not None:
            from ._known import parse_fingerprint  # with _files: TLS only, not every start

            object.__setattr__(self, "tls_pin", parse_fingerprint(self.tls_pin))
            if plaintext or tls_asked:
                raise MxGatewayConfigError("tls_pin is for TLS without ca_file or certificate "
                                           "validation; drop one of them")
        if self.known_gateways is not None:
            if not str(self.known_gateways).strip():
                raise MxGatewayConfigError("known_gateways is empty: give a path, or None")
            object.__setattr__(self, "known_gateways", str(self.known_gateways))
        if isinstance(self.contract, (str, os.PathLike)):
            if not str(self.contract).strip():
                raise MxGatewayConfigError("contract is empty: give a descriptor set's path")
            object.__setattr__(self, "contract", str(self.contract))
        if self.plaintext and endpoint.scheme == "https":
            raise MxGatewayConfigError("an https:// endpoint cannot be plaintext")
        check_range("timeout", self.timeout, TIMEOUT_RANGE, none="no deadline")
        if self.keepalive_seconds == 0:
            object.__setattr__(self, "keepalive_seconds", None)
        check_range("keepalive_seconds", self.keepalive_seconds, KEEPALIVE_RANGE,
                     none="no keepalive pings", zero=True)
        if not 1024 <= self.max_message_bytes <= 2**31 - 1:
            raise MxGatewayConfigError("max_message_bytes must be 1024..2147483647")

    def __repr__(self) -> str:
        parts = []
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if f.name == "api_key":
                parts.append(f"api_key={'<redacted>' if value else None}")
            else:
                parts.append(f"{f.name}={value!r}")
        return f"ClientOptions({', '.join(parts)})"

    __str__ = __repr__

    @property
    def uses_plaintext(self) -> bool:
        """True when the channel is h2c: `plaintext=True` or an `http://` endpoint."""
        return self.plaintext or parse_endpoint(self.endpoint).scheme == "http"

    @classmethod
    def from_env(
        cls, env: Mapping[str, str] | None = None, **overrides: Any
    ) -> ClientOptions:
        """Options from `MXGATEWAY_ENDPOINT` / `MXGATEWAY_API_KEY`, overridden by keywords.

        Reads no config file; use `resolve()` for profiles.
        """
        env = os.environ if env is None else env
        values = _from_env(env)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls._build(values)

    @classmethod
    def resolve(
        cls,
        flags: Mapping[str, Any] | None = None,
        *,
        env: Mapping[str, str] | None = None,
        profile: str | None = None,
        config_path: str | Path | None = None,
    ) -> ClientOptions:
        """Flags beat environment beat profile beat defaults.

        `flags` maps field names to values; None means "not given". The profile is
        `profile`, else `flags["profile"]`, else `MXGATEWAY_PROFILE`, else the file's
        `default_profile`; it is read from `config_path` or the user's config.toml:

            default_profile = "plant"
            [profiles.plant]
            endpoint = "gateway01:5120"
            plaintext = true
            api_key_env = "PLANT_GATEWAY_KEY"   # or api_key = "..." (kept out of output)
            read_only = true
        """
        env = os.environ if env is None else env
        flags = dict(flags or {})
        unknown = set(flags) - _FIELD_NAMES
        if unknown:
            raise TypeError(f"unknown option(s): {', '.join(sorted(unknown))}")
        name = profile or flags.get("profile") or env.get(ENV_PROFILE) or None
        if config_path:
            from pathlib import Path

            path = str(Path(config_path))
        else:  # the same text, without pathlib (~3.5 ms of every start)
            path = _paths.text("config", "config.toml", env=env)
        values, name = _load_profile(path, name, env, explicit=config_path is not None)
        values.update(_from_env(env))
        values.update({k: v for k, v in flags.items() if v is not None})
        if name is not None:
            values["profile"] = name
        values.setdefault("known_gateways", default_known_gateways(env))
        return cls._build(values)

    @classmethod
    def _build(cls, values: dict[str, Any]) -> ClientOptions:
        if not values.get("endpoint"):
            raise MxGatewayConfigError(
                f"no gateway endpoint: pass --endpoint, set {ENV_ENDPOINT} or use a profile"
            )
        return cls(**values)


def check_range(name: str, value: float | None, bounds: tuple[float, float], *, none: str,
                zero: bool = False) -> None:
    """The one check of a seconds option's range (MxGatewayConfigError: exit 2 in the CLI);
    None passes (it means `none`)."""
    low, high = bounds
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not (
            low <= value <= high):  # NaN fails the comparison too
        off = "0 or None" if zero else "None"
        raise MxGatewayConfigError(
            f"{name} must be {low:g} to {high:g} seconds, or {off} for {none} (got {value!r})")


def default_known_gateways(env: Mapping[str, str] | None = None) -> str:
    """known_gateways.json in the user's config folder (MXGW_HOME when set)."""
    return _paths.text("config", "known_gateways.json", env=env)


_FIELD_NAMES = frozenset(f.name for f in dataclasses.fields(ClientOptions))
# Not a profile key: the CLI's `trust` commands manage the default file only.
_NOT_IN_PROFILE = frozenset({"profile", "known_gateways"})
_TYPES: dict[str, tuple[type, ...]] = {
    "endpoint": (str,), "api_key": (str,), "plaintext": (bool,), "ca_file": (str,),
    "require_certificate_validation": (bool,), "server_name_override": (str,),
    "timeout": (int, float), "max_message_bytes": (int,), "keepalive_seconds": (int, float),
    "use_proxy": (bool,), "read_only": (bool,), "api_key_env": (str,), "tls_pin": (str,),
    "contract": (str,),
}


def _from_env(env: Mapping[str, str]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    if env.get(ENV_ENDPOINT):
        values["endpoint"] = env[ENV_ENDPOINT]
    if env.get(ENV_API_KEY):
        values["api_key"] = env[ENV_API_KEY]
    if env.get(ENV_CONTRACT):
        values["contract"] = env[ENV_CONTRACT]
    return values


def _load_profile(
    where: str, name: str | None, env: Mapping[str, str], *, explicit: bool
) -> tuple[dict[str, Any], str | None]:
    """The profile's values and name from the config file at `where` (str() of its Path)."""
    if not _paths.exists(where):
        if name is not None or explicit:
            raise MxGatewayConfigError(f"profile {name!r} needs {where}, which does not exist"
                                       if name else f"config file {where} does not exist")
        return {}, None
    import tomllib  # only when there is a config file: one-shot commands start faster
    from pathlib import Path

    path = Path(where)
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise MxGatewayConfigError(f"cannot read {path}: {exc}") from exc
    profiles = doc.get("profiles", {})
    if name is None:
        name = doc.get("default_profile")
        if name is None:
            return {}, None
    if not isinstance(profiles, dict) or not isinstance(profiles.get(name), dict):
        known = ", ".join(sorted(profiles)) if isinstance(profiles, dict) else ""
        raise MxGatewayConfigError(
            f"no profile {name!r} in {path} (known: {known or 'none'})")
    raw = dict(profiles[name])
    allowed = (_FIELD_NAMES - _NOT_IN_PROFILE) | set(_PROFILE_EXTRA)
    unknown = set(raw) - allowed
    if unknown:
        raise MxGatewayConfigError(
            f"profile {name!r} in {path}: unknown key(s) {', '.join(sorted(unknown))}")
    for key, value in raw.items():
        types = _TYPES[key]
        if not isinstance(value, types) or (isinstance(value, bool) and bool not in types):
            raise MxGatewayConfigError(f"profile {name!r} in {path}: {key} has the wrong type")
    if "contract" in raw:
        # Relative to the config file, so a profile and its descriptor set travel together.
        raw["contract"] = str(path.parent / Path(raw["contract"]).expanduser())
    key_env = raw.pop("api_key_env", None)
    if key_env and env.get(key_env):
        raw.setdefault("api_key", env[key_env])
    return raw, name
