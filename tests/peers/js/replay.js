'use strict';
// A gateway that answers from prebuilt bytes: a benchmark producer faster than any Python
// consumer (tests/bench_json_output.py). Python builds the messages; this only sends them.
// Usage: node replay.js --config FILE; prints {"port": N} once listening, on 127.0.0.1.
//
// FILE is JSON: {"log": PATH, "methods": {"/package.Service/Method": SPEC, ...}} where SPEC
// is, for a unary method, {"key": "command.kind", "replies": {"<key value>": FILE}}: the
// request is decoded and the reply chosen by the value at that dotted path (no "key": the
// reply under ""); for a server-streaming method, {"stream": FILE}: the messages in FILE,
// sent as fast as the client takes them, then a clean end. FILEs hold messages as
// [4-byte big-endian length][message], any number of them (a reply file holds one).
// Each call appends {"path", "request" (base64)} as a line to the log, so a bare consumer
// can replay exactly the calls a command made.

const fs = require('fs');
const { grpc, definition, parseArgs } = require('./gateway');

function messages(file) {
  const data = fs.readFileSync(file);
  const out = [];
  for (let at = 0; at < data.length;) {
    const size = data.readUInt32BE(at);
    out.push(data.subarray(at + 4, at + 4 + size));
    at += 4 + size;
  }
  return out;
}

function valueAt(object, dotted) {
  return dotted.split('.').reduce((found, name) => (found == null ? found : found[name]), object);
}

function decoders() {
  const byPath = {};
  for (const service of Object.values(definition())) {
    for (const method of Object.values(service)) {
      if (method && method.path) byPath[method.path] = method.requestDeserialize;
    }
  }
  return byPath;
}

async function send(call, items) {
  let cancelled = false;
  call.on('cancelled', () => { cancelled = true; });
  for (const item of items) {
    if (cancelled) return;
    if (!call.write(item)) {
      await new Promise((resolve) => { call.once('drain', resolve); call.once('cancelled', resolve); });
    }
  }
  if (!cancelled) call.end();
}

function main() {
  const args = parseArgs(process.argv.slice(2), { config: '' });
  const config = JSON.parse(fs.readFileSync(args.config, 'utf8'));
  const decode = decoders();
  const log = (path, request) => fs.appendFileSync(config.log,
    `${JSON.stringify({ path, request: request.toString('base64') })}\n`);
  const pass = (value) => value;
  const service = {};
  const handlers = {};
  for (const [path, spec] of Object.entries(config.methods)) {
    const streaming = Boolean(spec.stream);
    service[path] = {
      path, requestStream: false, responseStream: streaming,
      requestSerialize: pass, requestDeserialize: pass,
      responseSerialize: pass, responseDeserialize: pass,
    };
    if (streaming) {
      const items = messages(spec.stream);
      handlers[path] = (call) => { log(path, call.request); send(call, items); };
    } else {
      const replies = Object.fromEntries(Object.entries(spec.replies)
        .map(([key, file]) => [key, messages(file)[0]]));
      handlers[path] = (call, callback) => {
        log(path, call.request);
        const key = spec.key ? String(valueAt(decode[path](call.request), spec.key)) : '';
        if (key in replies) callback(null, replies[key]);
        else callback({ code: grpc.status.UNIMPLEMENTED, details: `no reply for ${key}` });
      };
    }
  }
  const server = new grpc.Server();
  server.addService(service, handlers);
  server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, port) => {
    if (error) throw error;
    process.stdout.write(`${JSON.stringify({ port })}\n`);
  });
  process.on('SIGTERM', () => server.forceShutdown());
}

main();
