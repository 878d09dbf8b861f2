// The same JSON list route in bare express 5: app.get + res.json (express's defaults: ETag, X-Powered-By).
'use strict';
const express = require('express');
const characters = require('./data');

const app = express();
// BENCH_MIDDLEWARE=1: helmet + compression + cors, as their READMEs wire them (manouche.js does the same).
if (process.env.BENCH_MIDDLEWARE) app.use(require('helmet')(), require('compression')(), require('cors')());
app.get('/api/characters/', (req, res) => res.json({ data: characters }));

const server = app.listen(Number(process.env.PORT), '127.0.0.1', () => process.send?.('listening'));
// run.js asks for the CPU time used, to report CPU µs per request (robust when the machine is shared).
process.on('message', (m) => {
  if (m === 'cpu') process.send({ cpu: process.cpuUsage() });
  // memory.js asks for the memory in use, after a full collection when node runs with --expose-gc.
  if (m === 'mem') { global.gc?.(); process.send({ mem: process.memoryUsage() }); }
});
process.on('disconnect', () => server.close(() => process.exit(0)));
