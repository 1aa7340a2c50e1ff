"""Engineers' tasks, each in a transient session that is always closed:
get, put, watch, browse, alarms, ack."""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from typing import Any

from .._frozen import filled
from .._json import shaped
from .._values import TYPE_NAMES, TagValue, normalize_type, parse_value
from ._common import (
    add_bounds,
    add_credentials,
    drain,
    guarded_write,
    password,
    print_stream,
    words,
)
from ._context import Command, CommandContext
from ._exit import UsageError
from ._words import split_assignment

# cmd_alarms and cmd_galaxy (what alarms, ack and browse share with their families) are
# imported by those commands only: `get` must not load them (tests/cli/test_dispatch.py).

# GalaxyAttribute.security_classification -> how it can be written.
_WRITABILITY = {0: "yes", 1: "yes", 2: "secured", 3: "verified", 4: "tune",
                5: "configure", 6: "no"}


def _tags_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("tags", nargs="+", metavar="TAG",
                        help="tags, @FILE (one per line) or - (stdin)")


@shaped(inline=("value",))
@dataclass(frozen=True)
class Reading:
    """One row of `get`'s document: the tag, and its TagValue's keys beside it."""

    tag: str
    value: TagValue


def _get_arguments(parser: argparse.ArgumentParser) -> None:
    _tags_arguments(parser)
    parser.add_argument("--allow-bad", action="store_true",
                        help="print bad values and exit 0 (default: exit 7 when any is bad)")


NAMED = 10  # how many tags an error line or a warning names


def _first_few(texts: list[str], sep: str = ", ") -> str:
    """The first NAMED texts of a list, and how many more: one line, however long the list
    (a file of 5,000 tags with a wrong prefix made a 200 kB error line)."""
    shown = sep.join(texts[:NAMED])
    return shown + (f"{sep}and {len(texts) - NAMED} more" if len(texts) > NAMED else "")


def _bad_tags_error(bad: dict[str, Any]) -> Exception:
    from .._errors import MxAccessError

    detail = _first_few([f"{tag}: {tv.error or tv.quality_text}" for tag, tv in bad.items()],
                        "; ")
    statuses = [s for tv in bad.values() for s in tv.statuses]
    return MxAccessError(f"{len(bad)} tag(s) bad: {detail} (--allow-bad prints them all)",
                         statuses=statuses)


async def get(ctx: CommandContext, args: argparse.Namespace) -> int:
    tags = words(ctx, args.tags)
    async with ctx.transient_session() as session:
        values = await session.read(*tags)
    bad = {tag: tv for tag, tv in values.items() if not tv.ok}
    if bad and not args.allow_bad:
        raise _bad_tags_error(bad)
    # A row per tag (1,000 for a file of tags): filled, not the frozen __init__.
    ctx.out.emit({"values": [filled(Reading, {"tag": tag, "value": values[tag]})
                             for tag in tags]})
    return 0


def _put_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("assignments", nargs="+", metavar="TAG=VALUE",
                        help="assignments, @FILE (one per line) or - (stdin)")
    parser.add_argument("--type", metavar="TYPE",
                        help=f"type of every value ({', '.join(TYPE_NAMES)}); "
                             "default: the type of the tag's current value")
    add_credentials(parser, verifier=True)


async def _types_from_current(session: Any, tags: list[str]) -> dict[str, str]:
    """The type of each tag's current value (one read); arrays get their `[]`."""
    current = await session.read(*tags)
    bad = {tag: current[tag] for tag in tags if not current[tag].ok}
    if bad:
        raise _bad_tags_error(bad)
    found: dict[str, str] = {}
    for tag in tags:
        tv = current[tag]
        if not tv.data_type:
            raise UsageError(f"cannot tell the type of {tag}: pass --type")
        scalar, _ = normalize_type(tv.data_type)
        found[tag] = scalar + ("[]" if isinstance(tv.value, list) else "")
    return found


def _plan(pairs: list[tuple[str, str]], types: dict[str, str]) -> list[dict[str, Any]]:
    # Every value is parsed before anything is written: a typo in the last pair must not
    # leave the first ones written.
    return [{"tag": tag, "type": types[tag], "value": parse_value([text], types[tag])}
            for tag, text in pairs]


def _emit_dry_run(ctx: CommandContext, writes: list[dict[str, Any]]) -> int:
    ctx.audit("put", {"dryRun": True, "outcome": "dry-run", "writes": writes})
    ctx.out.emit({"dryRun": True, "action": "put", "writes": writes})
    return 0


def _logins(ctx: CommandContext, args: argparse.Namespace) -> list[tuple[str, str, str]]:
    """(user id keyword, user, password) for `put --user NAME [--verifier NAME]`, asked
    before the session opens: a password prompt must not hold a session open."""
    logins = [("current_user_id", args.user, password(ctx, args.user, args.password_env))]
    if args.verifier:
        logins.append(("verifier_user_id", args.verifier, password(
            ctx, args.verifier, args.verifier_password_env, "verifier")))
    return logins


async def _authenticate(session: Any, logins: list[tuple[str, str, str]]) -> dict[str, int]:
    """User ids, authenticated on the server handle `write_tag` uses."""
    server = await session.default_server()
    return {keyword: await session.authenticate_user(server, user, secret)
            for keyword, user, secret in logins}


async def put(ctx: CommandContext, args: argparse.Namespace) -> int:
    if args.verifier and not args.user:
        # Dropping it would send a plain write (or have a VerifiedWrite refused) while the
        # script asked for a verified one.
        raise UsageError("--verifier needs --user NAME: the verifier verifies that user's "
                         "secured write")
    pairs = [split_assignment(w) for w in words(ctx, args.assignments)]
    tags = [tag for tag, _ in pairs]
    if args.dry_run and args.type:
        return _emit_dry_run(ctx, _plan(pairs, {tag: args.type for tag in tags}))
    logins = _logins(ctx, args) if args.user and not args.dry_run else []
    async with ctx.transient_session() as session:
        types = ({tag: args.type for tag in tags} if args.type
                 else await _types_from_current(session, tags))
        writes = _plan(pairs, types)
        if args.dry_run:
            return _emit_dry_run(ctx, writes)
        users = await _authenticate(session, logins) if logins else {}
        audited = {"user": args.user, "verifier": args.verifier} if args.user else {}
        written: list[str] = []
        try:
            for write in writes:
                async def send(write: dict[str, Any] = write) -> None:
                    await session.write_tag(write["tag"], write["value"],
                                            data_type=write["type"], **users)

                await guarded_write(ctx, "put", {"command": "put", **write, **audited}, send)
                written.append(write["tag"])
        except BaseException:
            # The writes already made stay made: the error line says which (the audit
            # log has them too), so a script need not guess what to undo or resend.
            if written:
                ctx.runtime.warn(f"put stopped after {len(written)} of {len(writes)} "
                                 f"writes; written: {_first_few(written)}")
            raise
    ctx.out.emit({"ok": True, "writes": writes})
    return 0


def _condition(text: str) -> Any:
    from .._until import Condition, ConditionError  # only `watch --until` needs the parser

    try:
        return Condition.parse(text)
    except ConditionError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _watch_arguments(parser: argparse.ArgumentParser) -> None:
    _tags_arguments(parser)
    add_bounds(parser)
    parser.add_argument("--until", type=_condition, metavar="EXPR",
                        help="stop at the first change for which EXPR holds (exit 0), e.g. "
                             "\"value >= 80 and quality == Good\"; exit 10 when --count or "
                             "--duration ends first")


async def watch(ctx: CommandContext, args: argparse.Namespace) -> int:
    tags = words(ctx, args.tags)
    if args.until is not None:
        from .._until import ConditionError

        try:
            args.until.check_tags(tags)
        except ConditionError as exc:
            raise UsageError(f"--until: {exc}") from None
    async with ctx.transient_session() as session:
        if args.until is None:
            await drain(session.subscribe(tags), ctx.out.item, args.count, args.duration)
        else:
            # The library's own wait: the CLI only prints every change on the way.
            await session.wait_for(tags, args.until, timeout=args.duration,
                                   max_changes=args.count, on_change=ctx.out.item)
    ctx.out.finish()
    return 0


def _browse_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", nargs="?", metavar="PATH",
                        help="object tag name or contained path (a/b); default: top level")


def _attribute(attr: Any) -> dict[str, Any]:
    return {
        "name": attr.attribute_name,
        "reference": attr.full_tag_reference,
        "type": attr.data_type_name + ("[]" if attr.is_array else ""),
        "writable": _WRITABILITY.get(attr.security_classification, "unknown"),
        "isAlarm": attr.is_alarm,
        "isHistorized": attr.is_historized,
    }


def _summary(obj: Any, has_children: bool | None = None) -> dict[str, Any]:
    found = {"tagName": obj.tag_name, "isArea": obj.is_area,
             "template": obj.template_chain[0] if obj.template_chain else None}
    if has_children is not None:
        found["hasChildren"] = has_children
    return found


async def browse(ctx: CommandContext, args: argparse.Namespace) -> int:
    from .cmd_galaxy import located

    client = await ctx.client()
    doc: dict[str, Any] = {"path": args.path, "object": None}
    if args.path:
        # The object itself (depth 0) carries the attributes; its children are listed below.
        source = client.galaxy.iter_hierarchy(**located("root", args.path), max_depth=0,
                                              include_attributes=True)
        found: list[Any] = []
        await drain(source, found.append, 1)
        for obj in found:
            doc["object"] = {**_summary(obj),
                             "attributes": [_attribute(a) for a in obj.attributes]}
    children = await client.galaxy.browse_children(**located("parent", args.path),
                                                   include_attributes=False)
    doc["children"] = [_summary(child, has) for child, has in children]
    ctx.out.emit(doc)
    return 0


def _alarms_arguments(parser: argparse.ArgumentParser) -> None:
    from .cmd_alarms import add_prefix

    add_prefix(parser)
    parser.add_argument("--follow", action="store_true",
                        help="after the active alarms, stream transitions as JSON Lines")
    add_bounds(parser)


async def alarms(ctx: CommandContext, args: argparse.Namespace) -> int:
    client = await ctx.client()
    source = (client.stream_alarms(prefix=args.prefix) if args.follow
              else client.query_active_alarms(prefix=args.prefix))
    return await print_stream(ctx, source, args.count, args.duration)


def _ack_arguments(parser: argparse.ArgumentParser) -> None:
    from .cmd_alarms import add_ack_operator

    parser.add_argument("reference", help="alarm GUID or full reference")
    add_ack_operator(parser)


async def _acknowledge(ctx: CommandContext, args: argparse.Namespace) -> int:
    from .cmd_alarms import acknowledge

    return await acknowledge(ctx, args)


COMMANDS = {
    "get": Command(_get_arguments, get),
    "put": Command(_put_arguments, put),
    "watch": Command(_watch_arguments, watch),
    "browse": Command(_browse_arguments, browse),
    "alarms": Command(_alarms_arguments, alarms),
    "ack": Command(_ack_arguments, _acknowledge),
}
