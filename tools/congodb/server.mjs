// Starts CongoDB (an in-memory MongoDB-wire server) on 127.0.0.1 for the Mongo engine's tests.
// Usage: node server.mjs <port>    (port 0 picks a free one)
// Prints one line "CONGODB READY 127.0.0.1:<port>" once it accepts connections; the test fixture
// waits for exactly that line. Stops on SIGTERM/SIGINT or when stdin closes (the parent died).
//
// The package's main entry also loads mongodb-memory-server, which is not installed here, so the
// CongoDB part is imported directly from its compiled folder.
import { CongoServer } from '@push.rocks/smartmongo/dist_ts/congodb/index.js';

const port = Number.parseInt(process.argv[2] ?? '0', 10);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`usage: node server.mjs <port>   (got '${process.argv[2]}')`);
  process.exit(2);
}

const server = new CongoServer({ host: '127.0.0.1', port });
try {
  await server.start();
} catch (error) {
  console.error(`CONGODB FAILED ${error.message}`);
  process.exit(1);
}

const actualPort = server.server.address().port;
console.log(`CONGODB READY 127.0.0.1:${actualPort}`);

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await server.stop();
  process.exit(0);
}

process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdin.on('end', stop);
process.stdin.on('error', stop);
process.stdin.resume();
