// The same JSON list route in raw node:http: the ceiling any framework on node can reach.
'use strict';
const http = require('node:http');
const characters = require('./data');

const server = http.createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/api/characters/') {
    const body = JSON.stringify({ data: characters });
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  } else {
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('Not Found');
  }
});
server.listen(Number(process.env.PORT), '127.0.0.1', () => process.send?.('listening'));
// run.js asks for the CPU time used, to report CPU µs per request (robust when the machine is shared).
process.on('message', (m) => {
  if (m === 'cpu') process.send({ cpu: process.cpuUsage() });
  // memory.js asks for the memory in use, after a full collection when node runs with --expose-gc.
  if (m === 'mem') { global.gc?.(); process.send({ mem: process.memoryUsage() }); }
});
process.on('disconnect', () => server.close(() => process.exit(0)));
