'use strict';
// Cancels its StreamEvents and reconnects at once, --tries times, the way a resuming client
// does (after_worker_sequence = the last sequence it got). Prints one JSON line:
// {"tries", "refused" (reconnects answered ALREADY_EXISTS), "lastSequence",
//  "secondLive" (the code a second stream gets while one is live)}.
// Usage: MXGATEWAY_API_KEY=... node reconnect.js --endpoint HOST:PORT [--tries 20]
//        [--tag TestMachine_001.TestChangingInt]

const { grpc, connect, parseArgs, subscribe } = require('./gateway');

const WAIT_MS = 10000;
const codeName = (code) => Object.keys(grpc.status).find((k) => grpc.status[k] === code);

// Open a stream; resolve with { call, event } on its first event or { code } on its error.
function openStream(gw, sessionId, after) {
  return new Promise((resolve, reject) => {
    const call = gw.client.StreamEvents(
      { session_id: sessionId, after_worker_sequence: after }, gw.metadata);
    const timer = setTimeout(() => reject(new Error('no event within 10 s')), WAIT_MS);
    let settled = false;
    call.on('data', (event) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ call, event });
    });
    call.on('error', (error) => {
      if (settled) return; // the CANCELLED of our own cancel()
      settled = true;
      clearTimeout(timer);
      resolve({ code: codeName(error.code) });
    });
  });
}

async function main() {
  const args = parseArgs(process.argv.slice(2),
    { endpoint: '', tries: '20', tag: 'TestMachine_001.TestChangingInt' });
  const gw = connect(args.endpoint);
  const { sessionId } = await subscribe(gw, args.tag);
  let last = 0;
  let refused = 0;
  let live = null;
  for (let i = 0; i < Number(args.tries); i += 1) {
    let opened = await openStream(gw, sessionId, last);
    if (opened.code === 'ALREADY_EXISTS') {
      refused += 1;
      // Count the refusal once; wait until the old stream is gone to start the next try.
      while (opened.code === 'ALREADY_EXISTS') {
        await new Promise((r) => setTimeout(r, 50));
        opened = await openStream(gw, sessionId, last);
      }
    }
    if (opened.code) throw new Error(`stream ended ${opened.code}`);
    last = Math.max(last, Number(opened.event.worker_sequence));
    if (i + 1 < Number(args.tries)) opened.call.cancel(); // and reconnect at once
    else live = opened.call;
  }
  const second = await openStream(gw, sessionId, last);
  if (second.call) second.call.cancel();
  live.cancel();
  await gw.unary('CloseSession', { session_id: sessionId, reason: 'done' });
  gw.client.close();
  process.stdout.write(`${JSON.stringify({
    tries: Number(args.tries), refused, lastSequence: last, secondLive: second.code || 'OK',
  })}\n`);
}

main().catch((error) => {
  process.stderr.write(`reconnect.js: ${error.message}\n`);
  process.exit(1);
});
