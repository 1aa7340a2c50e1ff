'use strict';
// The gateway contract for grpc-js, loaded from the repository's proto/ files at run time
// (no generated code), plus the few helpers every peer script needs.

const path = require('path');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

const PROTO_DIR = path.resolve(__dirname, '..', '..', '..', 'proto');
const FILES = [
  'mxaccess_gateway/v1/mxaccess_gateway.proto',
  'galaxy_repository/v1/galaxy_repository.proto',
];

// The package definition: per service full name, each method's path and (de)serializers.
function definition() {
  return protoLoader.loadSync(FILES, {
    includeDirs: [PROTO_DIR], keepCase: true, longs: Number, enums: String,
    defaults: true, oneofs: true,
  });
}

function load() {
  return grpc.loadPackageDefinition(definition());
}

// "--name value" pairs into an object; numbers stay strings (the caller converts).
function parseArgs(argv, defaults) {
  const out = { ...defaults };
  for (let i = 0; i < argv.length; i += 2) {
    const name = argv[i];
    if (!name.startsWith('--') || i + 1 >= argv.length) {
      throw new Error(`expected --name value pairs, got ${JSON.stringify(name)}`);
    }
    out[name.slice(2)] = argv[i + 1];
  }
  return out;
}

// A connected MxAccessGateway client; the API key comes from MXGATEWAY_API_KEY, never argv.
function connect(endpoint) {
  const proto = load();
  const client = new proto.mxaccess_gateway.v1.MxAccessGateway(
    endpoint, grpc.credentials.createInsecure());
  const metadata = new grpc.Metadata();
  const key = process.env.MXGATEWAY_API_KEY;
  if (key) metadata.set('authorization', `Bearer ${key}`);
  const unary = (method, request) => new Promise((resolve, reject) => {
    client[method](request, metadata, { deadline: Date.now() + 10000 }, (error, reply) => {
      if (error) reject(error); else resolve(reply);
    });
  });
  const invoke = async (sessionId, kind, field, payload) => {
    const reply = await unary('Invoke', {
      session_id: sessionId, command: { kind: `MX_COMMAND_KIND_${kind}`, [field]: payload },
    });
    if (reply.protocol_status.code !== 'PROTOCOL_STATUS_CODE_OK') {
      throw new Error(`${kind}: ${reply.protocol_status.code} ${reply.diagnostic_message}`);
    }
    return reply;
  };
  return { grpc, client, metadata, unary, invoke };
}

// A new session with `tag` added and advised: { sessionId, server, item }.
async function subscribe(gw, tag) {
  const opened = await gw.unary('OpenSession', { client_session_name: 'js-peer' });
  const sessionId = opened.session_id;
  const registered = await gw.invoke(sessionId, 'REGISTER', 'register_command',
    { client_name: 'js-peer' });
  const server = registered.register.server_handle;
  const added = await gw.invoke(sessionId, 'ADD_ITEM', 'add_item_command',
    { server_handle: server, tag_address: tag });
  const item = added.add_item.item_handle;
  await gw.invoke(sessionId, 'ADVISE', 'advise_command', { server_handle: server, item_handle: item });
  return { sessionId, server, item };
}

module.exports = { grpc, connect, definition, parseArgs, subscribe };
