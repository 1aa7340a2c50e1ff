"""CPU per event of the simulator's event path, in-process (a script; not collected).

    .venv/bin/python tests/bench_sim_events.py [--contract FILE] [--rounds 40]

10,000 objects, one session advised on 10,000 items, then ticks: every tick changes each
attribute once, so each round is 10,000 fragments built (value, quality, statuses,
timestamps, by hand from the contract's field numbers) and queued with their sequence
numbers. No gRPC: this is the part a contract loaded at run time could make slower
(`--contract` with a renumbered variant from tests/contractkit.py). Prints the best of 3
runs as events per CPU second; compare runs made one after the other on the same machine.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from mxgw.sim import SimOptions, Simulator
from mxgw.sim._galaxy import parse_address


def run(contract: str | None, rounds: int) -> float:
    extra = {"contract": contract} if contract else {}
    sim = Simulator(SimOptions(objects=10000, tick_interval=None, event_queue_limit=10**9,
                               **extra))
    session = sim.sessions.open("bench", None)
    server = session.servers[session.register("bench")]
    for kind in ("Pump", "Tank"):
        for i in range(1, 5001):
            tag = f"{kind}{i:03d}.{'Speed' if kind == 'Pump' else 'Level'}"
            address = parse_address(tag)
            assert address is not None
            session.advise(session.add_item(server, address))
    session.take()
    events = 0
    start = time.process_time()
    for _ in range(rounds):
        sim.galaxy.tick()
        events += len(session.take())
    return events / (time.process_time() - start)


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--contract", metavar="FILE")
    parser.add_argument("--rounds", type=int, default=40)
    args = parser.parse_args()
    best = max(run(args.contract, args.rounds) for _ in range(3))
    print(json.dumps({"contract": args.contract or "built-in",
                      "events_per_cpu_second": round(best)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
