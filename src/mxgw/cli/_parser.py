"""argparse pieces: a parser that raises instead of exiting, and the shared option groups."""

from __future__ import annotations

import argparse
import math

from ._exit import EXIT_CODES_HELP, UsageError
from ._table import COMMANDS, CommandSpec

# typing is not imported at run time: this module is on `mxgw version`'s start-up path.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import Any, NoReturn

# Global options that take a value: needed to find the command word when options come first.
VALUE_OPTIONS = frozenset({
    "--endpoint", "--ca-file", "--server-name-override", "--api-key-env", "--api-key",
    "--profile", "--config", "--timeout", "--tls-pin", "--session-id", "--contract",
})
# Global options without a value (connection, output, write safety, --collect).
FLAG_OPTIONS = frozenset({
    "--plaintext", "--tls", "--require-cert-validation", "--use-proxy", "--pretty",
    "--compact", "--debug", "--dry-run", "--no-audit", "--collect", "--quiet",
})


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors become UsageError (one JSON line, exit 2).

    Abbreviations are off: `--password X` must not quietly become `--password-env X`, and
    a script keeps working when a longer option is added later.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("allow_abbrev", False)
        self._checking_metavar = False
        super().__init__(*args, **kwargs)

    # argparse makes a help formatter in every add_argument, only to check the metavar,
    # and each formatter asks shutil for the terminal's width: importing shutil (with
    # bz2, lzma and fnmatch) was ~3 ms of every command's start. The check gets a
    # formatter of a fixed width (it lays nothing out); help still follows the terminal.
    def add_argument(self, *args: Any, **kwargs: Any) -> argparse.Action:
        self._checking_metavar = True
        try:
            return super().add_argument(*args, **kwargs)
        finally:
            self._checking_metavar = False

    def _get_formatter(self) -> argparse.HelpFormatter:
        if self._checking_metavar:
            make: Any = self.formatter_class  # (typeshed's protocol knows only prog)
            formatter: argparse.HelpFormatter = make(prog=self.prog, width=80)
            return formatter
        return super()._get_formatter()

    def error(self, message: str) -> NoReturn:
        hint = ""
        if message.startswith("unrecognized arguments:"):
            unknown = message.split(":", 1)[1].split()
            known = [o for a in self._actions for o in a.option_strings]
            for word in unknown:
                if word.startswith("-"):
                    flag = word.split("=", 1)[0]
                    import difflib

                    close = difflib.get_close_matches(flag, known, n=1)
                    if close:
                        hint = f"; did you mean {close[0]}?"
                        break
            message = unrecognized(unknown)
        raise UsageError(f"{self.prog}: {message}{hint}")

    def exit(self, status: int = 0, message: str | None = None) -> NoReturn:
        if status:
            raise UsageError(message or f"{self.prog}: usage error")
        raise SystemExit(0)


def unrecognized(words: Sequence[str]) -> str:
    """argparse's "unrecognized arguments: ..." without the values: an unknown
    `--api-kye SECRET` (or `--api-kye=SECRET`) must not leak, so options are named and
    every other word is `<value>`."""
    return "unrecognized arguments: " + " ".join(
        w.split("=", 1)[0] if w.startswith("-") else "<value>" for w in words)


def top_level_help() -> str:
    width = max(len(n) for n in COMMANDS) + 2
    lines = ["usage: mxgw COMMAND [OPTIONS]", "",
             "Ops tool for the MXAccess Gateway. Every command prints JSON on stdout.",
             "`mxgw COMMAND --help` lists a command's options.", "", "commands:"]
    lines += [f"  {name.ljust(width)}{spec.help}" for name, spec in COMMANDS.items()]
    lines += ["", EXIT_CODES_HELP, "",
              "On failure stdout stays empty and stderr gets one JSON line:",
              ('  {"error": {"type", "message", "exitCode", "grpcCode", "protocolStatus", '
               '"hresult"}}')]
    return "\n".join(lines) + "\n"


def split_command(argv: Sequence[str]) -> tuple[str | None, list[str]]:
    """Find the command word; options may come before it. Returns (command, its args).

    Before the command word only the global options are known. Another option there
    followed by a word that is not a command is refused naming the option only: the word
    after a mistyped `--api-kye` is its value, a secret, and must never be echoed.
    """
    i = 0
    while i < len(argv) and argv[i].startswith("-") and argv[i] != "-":
        word = argv[i]
        if word in ("-h", "--help", "--version"):
            return None, list(argv)
        if word in VALUE_OPTIONS:
            i += 2
            continue
        following = argv[i + 1] if i + 1 < len(argv) else None
        if (word not in FLAG_OPTIONS and "=" not in word and following is not None
                and not following.startswith("-") and following not in COMMANDS):
            raise _unknown_global(word)
        i += 1
    if i >= len(argv):
        return None, list(argv)
    return argv[i], list(argv[:i]) + list(argv[i + 1:])


def _unknown_global(word: str) -> UsageError:
    import difflib

    close = difflib.get_close_matches(word, sorted(VALUE_OPTIONS | FLAG_OPTIONS), n=1)
    hint = f"did you mean {close[0]}? " if close else ""
    return UsageError(f"{word} is not an option mxgw takes before the command word; {hint}"
                      "a command's own options go after it (mxgw COMMAND --help)")


def unknown_command(word: str) -> UsageError:
    import difflib

    close = difflib.get_close_matches(word, list(COMMANDS), n=1)
    hint = f"; did you mean '{close[0]}'?" if close else "; `mxgw --help` lists the commands"
    return UsageError(f"unknown command '{word}'{hint}")


def add_output_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("output")
    layout = group.add_mutually_exclusive_group()
    layout.add_argument("--pretty", dest="pretty", action="store_const", const=True,
                        default=None, help="indented JSON (default when stdout is a terminal)")
    layout.add_argument("--compact", dest="pretty", action="store_const", const=False,
                        help="one-line JSON (default when stdout is a pipe or file)")
    group.add_argument("--debug", action="store_true",
                       help="print a traceback on errors (secrets still redacted)")


def add_connection_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("connection")
    group.add_argument("--endpoint", metavar="HOST:PORT",
                       help="gateway address (or MXGATEWAY_ENDPOINT, or the profile); "
                            "http:// means plaintext, https:// TLS; `sim` starts the built-in "
                            "simulator in-process for this one command")
    transport = group.add_mutually_exclusive_group()
    transport.add_argument("--plaintext", dest="plaintext", action="store_const", const=True,
                           default=None, help="unencrypted h2c channel (never implied)")
    transport.add_argument("--tls", dest="plaintext", action="store_const", const=False,
                           help="TLS channel (the default)")
    group.add_argument("--ca-file", metavar="PEM", help="verify the gateway against this CA")
    group.add_argument("--server-name-override", metavar="NAME",
                       help="TLS host name to verify instead of the endpoint's")
    group.add_argument("--require-cert-validation", action="store_true", default=None,
                       help="verify against the system trust roots (no trust-on-first-use)")
    group.add_argument("--tls-pin", metavar="SHA256",
                       help="accept only the certificate with this SHA-256 (colon or plain "
                            "hex; `mxgw sim --tls` prints it as certificateSha256); without "
                            "it, the one in known_gateways.json (`mxgw trust`)")
    group.add_argument("--quiet", action="store_true", default=None,
                       help="no notice on stderr when a new gateway certificate is trusted")
    group.add_argument("--use-proxy", action="store_true", default=None,
                       help="route through the http_proxy/https_proxy environment variables "
                            "(ignored by default: they would catch even loopback calls)")
    group.add_argument("--api-key-env", metavar="NAME",
                       help="environment variable holding the API key "
                            "(default MXGATEWAY_API_KEY)")
    group.add_argument("--api-key", metavar="KEY",
                       help="the API key itself (discouraged: visible in the process list; "
                            "redacted in all output)")
    group.add_argument("--profile", metavar="NAME", help="[profiles.NAME] in config.toml")
    group.add_argument("--config", metavar="PATH", help="config file instead of the default")
    group.add_argument("--timeout", metavar="SECONDS", type=number,
                       help="deadline of every call that ends by itself, 0.001 to 86400 "
                            "(default 30; opening and closing a session get at least 5)")
    add_contract_option(group)


def add_contract_option(group: Any) -> None:
    group.add_argument("--contract", metavar="FILE",
                       help="speak the gateway's contract from this descriptor set (or "
                            "MXGW_CONTRACT, or the profile's contract; default: the one "
                            "`mxgw contract fetch` stored for the endpoint, else the "
                            "built-in one)")


def add_session_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--session-id", metavar="ID",
                        help="the session to use (or MXGW_SESSION_ID); from `open-session`")


def add_write_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("write safety")
    group.add_argument("--dry-run", action="store_true",
                       help="print what would be sent and send nothing")
    group.add_argument("--no-audit", action="store_true",
                       help="do not append this write to the audit log")


def add_stream_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--collect", action="store_true",
                        help="print one JSON array at the end instead of JSON Lines "
                             "(at most 10000 items)")


def number(text: str) -> float:
    """A float; its range is the library's to check (ClientOptions: exit 2 when wrong)."""
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None


def _finite(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"must be a finite number: {text!r}")
    return value


def positive_float(text: str) -> float:
    value = _finite(text)
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be a positive finite number: {text!r}")
    return value


def non_negative_float(text: str) -> float:
    value = _finite(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more: {text!r}")
    return value


def _integer(low: int, high: int, what: str) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text, 0)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{what}: {text!r}")
        return value
    return parse


non_negative_int = _integer(0, 2**63 - 1, "must be 0 or more")
positive_int = _integer(1, 2**63 - 1, "must be 1 or more")
int32 = _integer(-(2**31), 2**31 - 1, "out of the int32 range")


def command_parser(spec: CommandSpec) -> Parser:
    """The parser for one command, with the option groups its kind asks for."""
    parser = Parser(prog=f"mxgw {spec.name}", description=spec.help,
                    epilog=EXIT_CODES_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_output_options(parser)
    if spec.kind in ("connect", "session", "either"):
        add_connection_options(parser)
    if spec.kind == "session":
        add_session_option(parser)
    if spec.write:
        add_write_options(parser)
    if spec.stream:
        add_stream_options(parser)
    return parser

