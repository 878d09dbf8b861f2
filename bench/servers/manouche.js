// The JSON list route in manouche, as an app file would write it (no DEBUG, one route, default pipeline).
'use strict';
const { configure, route, getApp } = require('manouche');
const characters = require('./data');

configure({ SECRET_KEY: 'bench-only-secret-key', ALLOWED_HOSTS: ['*'], DATABASE_URL: 'sqlite::memory:' });
route('api/characters/', () => ({ data: characters }), { name: 'characters' });

// BENCH_PLAIN_SERVER=1: a server made with http.createServer(app), as a user's own server code would, instead of
// app.listen() (which passes app.serverOptions so that requests are born with express's prototypes).
const app = getApp();
const server = (process.env.BENCH_PLAIN_SERVER ? require('node:http').createServer(app) : app)
  .listen(Number(process.env.PORT), '127.0.0.1', () => process.send?.('listening'));
// run.js asks for the CPU time used, to report CPU µs per request (robust when the machine is shared).
process.on('message', (m) => { if (m === 'cpu') process.send({ cpu: process.cpuUsage() }); });
process.on('disconnect', () => server.close(() => process.exit(0)));
