"""Galaxy Repository commands: test connection, last deploy, discover, browse, watch."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from ._common import add_bounds, print_stream
from ._context import Command, CommandContext, no_arguments
from ._parser import non_negative_int

if TYPE_CHECKING:
    from .._galaxy import GalaxyConnection


def connection_failure(result: GalaxyConnection) -> Exception | None:
    """TestConnection's `ok: false` is a failure (exit 3): a script must not see success
    while the gateway cannot reach the Galaxy Repository database (`doctor` too)."""
    if result.ok:
        return None
    from .._errors import MxGatewayTransportError

    return MxGatewayTransportError(
        "galaxy test connection: the gateway cannot reach the Galaxy Repository database"
        + (f": {result.message}" if result.message else ""))


async def test_connection(ctx: CommandContext, args: argparse.Namespace) -> int:
    client = await ctx.client()
    result = await client.galaxy.test_connection()
    failure = connection_failure(result)
    if failure is not None:
        raise failure
    ctx.out.emit(result)
    return 0


async def last_deploy(ctx: CommandContext, args: argparse.Namespace) -> int:
    client = await ctx.client()
    ctx.out.emit(await client.galaxy.last_deploy_time())
    return 0


def add_filters(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--glob", metavar="PATTERN", help="tag name glob, e.g. Pump*")
    parser.add_argument("--no-attributes", action="store_true",
                        help="leave out the attribute lists")
    parser.add_argument("--alarm-bearing-only", action="store_true")
    parser.add_argument("--historized-only", action="store_true")


def filters(args: argparse.Namespace) -> dict[str, Any]:
    found: dict[str, Any] = {"include_attributes": not args.no_attributes}
    if args.glob:
        found["tag_name_glob"] = args.glob
    if args.alarm_bearing_only:
        found["alarm_bearing_only"] = True
    if args.historized_only:
        found["historized_only"] = True
    return found


def _discover_arguments(parser: argparse.ArgumentParser) -> None:
    root = parser.add_mutually_exclusive_group()
    root.add_argument("--root-tag", metavar="TAG", help="start at this object (tag name)")
    root.add_argument("--root-path", metavar="PATH", help="start at this contained path")
    parser.add_argument("--max-depth", type=non_negative_int, metavar="N")
    add_filters(parser)


async def discover(ctx: CommandContext, args: argparse.Namespace) -> int:
    client = await ctx.client()
    kwargs = filters(args)
    if args.root_tag:
        kwargs["root_tag_name"] = args.root_tag
    if args.root_path:
        kwargs["root_contained_path"] = args.root_path
    if args.max_depth is not None:
        kwargs["max_depth"] = args.max_depth
    return await print_stream(ctx, client.galaxy.iter_hierarchy(**kwargs))


def located(prefix: str, path: str | None) -> dict[str, Any]:
    """`{prefix}_tag_name` for a tag name, `{prefix}_contained_path` for a path with `/`."""
    if not path:
        return {}
    return {f"{prefix}_{'contained_path' if '/' in path else 'tag_name'}": path}


def _browse_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("parent", nargs="?", metavar="TAG",
                        help="parent tag name or contained path a/b (default: the top level)")
    add_filters(parser)


async def browse(ctx: CommandContext, args: argparse.Namespace) -> int:
    client = await ctx.client()
    kwargs = {**filters(args), **located("parent", args.parent)}
    children = await client.galaxy.browse_children(**kwargs)
    ctx.out.emit({"parent": args.parent, "children": [
        {"object": child, "hasChildren": has_children} for child, has_children in children]})
    return 0


def _watch_arguments(parser: argparse.ArgumentParser) -> None:
    add_bounds(parser)


async def watch(ctx: CommandContext, args: argparse.Namespace) -> int:
    client = await ctx.client()
    return await print_stream(ctx, client.galaxy.watch_deploy_events(), args.count,
                              args.duration)


COMMANDS = {
    "galaxy-test-connection": Command(no_arguments, test_connection),
    "galaxy-last-deploy": Command(no_arguments, last_deploy),
    "galaxy-discover": Command(_discover_arguments, discover),
    "galaxy-browse": Command(_browse_arguments, browse),
    "galaxy-watch": Command(_watch_arguments, watch),
}
