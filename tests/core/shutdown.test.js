// Regression (issue 10): at SIGTERM serve kept serving keep-alive sockets and reset some; runserver reset every
// in-flight request at Ctrl-C; a hung request kept the server alive forever; slow clients were never cut off; client
// aborts were logged as "Internal Server Error".
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const net = require('node:net');
const path = require('node:path');
const { startNode } = require('./fixtures/h3-helpers');

const APP = path.join(__dirname, 'fixtures', 'w10-shutdown', 'app.js');

async function serve(t, env = {}, args = ['serve', '--port', '0']) {
  const srv = startNode(APP, args, { env });
  t.after(() => srv.kill());
  const [, port] = await srv.waitFor(/(?:Serving at|Starting development server at) http:\/\/127\.0\.0\.1:(\d+)\//);
  return { srv, port: Number(port) };
}

function get(port, urlPath, agent = false) {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: urlPath, agent }, (res) => {
      let body = '';
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body }));
    });
    req.on('error', reject);
  });
}

// One server for three cases: each start costs seconds on a busy machine.
test('serve: an abort is logged at info; slow clients are cut off; SIGTERM drains (idle sockets close at once, in-flight requests finish with Connection: close)', async (t) => {
  const { srv, port } = await serve(t, { SERVER_HEADERS_TIMEOUT: '1', SERVER_REQUEST_TIMEOUT: '2' });

  // A client that leaves before its answer: an abort at info level, never a 500.
  const gone = http.get({ host: '127.0.0.1', port, path: '/gone/', agent: false });
  gone.on('error', () => {});
  await srv.waitFor(/gone request started/);
  gone.destroy();
  await srv.waitFor(/Client aborted: GET \/gone\/ \(the client left before the answer\)/);
  assert.doesNotMatch(srv.output, /Internal Server Error/);

  // Slow headers and an endless chunked body are cut off (408) by SERVER_HEADERS_TIMEOUT and SERVER_REQUEST_TIMEOUT.
  const closed = (socket) => new Promise((resolve) => { let data = ''; socket.on('data', (d) => { data += d; }); socket.on('error', () => {}); socket.on('close', () => resolve(data)); });
  const slowHeaders = net.connect(port, '127.0.0.1', () => slowHeaders.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n'));
  const endless = net.connect(port, '127.0.0.1', () => endless.write('POST /sink/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/octet-stream\r\nTransfer-Encoding: chunked\r\n\r\n'));
  const drip = setInterval(() => { if (!endless.destroyed) endless.write('1\r\nx\r\n'); }, 100);
  t.after(() => clearInterval(drip));
  assert.match(await closed(slowHeaders), /^HTTP\/1\.1 408/);
  assert.match(await closed(endless), /^HTTP\/1\.1 408|^$/);

  // SIGTERM drains.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  t.after(() => agent.destroy());
  assert.equal((await get(port, '/', agent)).status, 200);
  const [idle] = Object.values(agent.freeSockets).flat();
  assert.ok(idle, 'a kept-alive idle socket');
  const events = [];
  idle.once('close', () => events.push('idle closed'));
  const slow = [1, 2, 3].map(() => get(port, '/slow/').then((res) => { events.push('slow answered'); return res; }));
  for (let i = 0; i < 3; i++) await srv.waitFor(/slow request started/);
  srv.child.kill('SIGTERM');
  for (const res of await Promise.all(slow)) {
    assert.equal(res.status, 200);
    assert.equal(res.headers.connection, 'close');
  }
  assert.equal(events[0], 'idle closed', events.join(', '));
  assert.equal((await srv.exited).code, 0, srv.output);
});

test('a request still running when SHUTDOWN_GRACE_TIMEOUT runs out is cut off, and the exit is non-zero and says so', async (t) => {
  const { srv, port } = await serve(t, { SHUTDOWN_GRACE_TIMEOUT: '1' });
  const hung = get(port, '/hang/').catch((err) => err);
  await srv.waitFor(/hanging request started/);
  srv.child.kill('SIGTERM');
  assert.equal((await srv.exited).code, 1);
  assert.match(srv.output, /Shutdown grace period \(1s\) ran out; 1 request\(s\) were cut off: GET \/hang\/ \(running for [\d.]+s\)/);
  assert.ok((await hung) instanceof Error);
});

test('runserver lets a request in progress finish at Ctrl-C', async (t) => {
  const { srv, port } = await serve(t, {}, ['runserver', '0', '--noreload']);
  const slow = get(port, '/slow/');
  await srv.waitFor(/slow request started/);
  srv.child.kill('SIGINT');
  const res = await slow;
  assert.equal(res.status, 200);
  assert.equal(JSON.parse(res.body).finished, true);
  assert.equal((await srv.exited).code, 0, srv.output);
});

