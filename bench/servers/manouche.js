// The JSON list route in manouche, as an app file would write it (no DEBUG, one route, default pipeline).
'use strict';
const { configure, route, getApp, callCommand } = require('manouche');
const characters = require('./data');

// BENCH_MIDDLEWARE=1: helmet + compression + cors in MIDDLEWARE, as their READMEs wire them (express.js does the same).
const middleware = process.env.BENCH_MIDDLEWARE ? [require('helmet')(), require('compression')(), require('cors')()] : [];
configure({ SECRET_KEY: 'bench-only-secret-key', ALLOWED_HOSTS: ['*'], DATABASE_URL: 'sqlite::memory:', MIDDLEWARE: middleware });
route('api/characters/', () => ({ data: characters }), { name: 'characters' });

const app = getApp();
const port = Number(process.env.PORT);
let server;
if (process.env.BENCH_SERVE) {
  // The production command, one worker (in this process): `node app.js serve --port N --workers 1`.
  callCommand('serve', ['--port', String(port), '--workers', '1'], { stdout: { write() {} } }).then((code) => process.exit(code));
  const ready = () => fetch(`http://127.0.0.1:${port}/api/characters/`).then(() => process.send?.('listening'), () => setTimeout(ready, 50));
  ready();
} else {
  // BENCH_PLAIN_SERVER=1: http.createServer(app), as the README's example and a user's own server code do,
  // instead of app.listen() (which passes app.serverOptions so that requests are born with express's prototypes).
  server = (process.env.BENCH_PLAIN_SERVER ? require('node:http').createServer(app) : app)
    .listen(port, '127.0.0.1', () => process.send?.('listening'));
}
// run.js asks for the CPU time used, to report CPU µs per request (robust when the machine is shared).
process.on('message', (m) => {
  if (m === 'cpu') process.send({ cpu: process.cpuUsage() });
  // memory.js asks for the memory in use, after a full collection when node runs with --expose-gc.
  if (m === 'mem') { global.gc?.(); process.send({ mem: process.memoryUsage() }); }
});
process.on('disconnect', () => (server ? server.close(() => process.exit(0)) : process.exit(0)));
