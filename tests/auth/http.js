// Helpers for the real-HTTP auth tests: fixture commands, server processes, a tiny browser with a cookie jar.
'use strict';
const { spawn, spawnSync } = require('node:child_process');
const path = require('node:path');

const SITE = path.join(__dirname, 'fixtures', 'site');

/** Runs `node app.js <args>` of the fixture site; returns { status, stdout, stderr }. */
function manage(args, env) {
  const res = spawnSync(process.execPath, [path.join(SITE, 'app.js'), ...args], { env: { ...process.env, ...env, MANOUCHE_TESTING: '' }, encoding: 'utf8', timeout: 60000 });
  return { status: res.status, stdout: res.stdout, stderr: res.stderr };
}

const running = new Set();
// A failed assertion must not leave a server behind (the test process would wait for it forever).
process.on('exit', () => { for (const child of running) child.kill('SIGKILL'); });

/** Kills every server this process started that is still running. */
function stopAllServers() {
  return Promise.all([...running].map((child) => new Promise((done) => { child.once('exit', done); child.kill('SIGKILL'); })));
}

/** Starts one server process; resolves { port, stop() } once it listens. */
function startServer(env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(SITE, 'server.js')], { env: { ...process.env, ...env, MANOUCHE_TESTING: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(child);
    child.once('exit', () => running.delete(child));
    let out = '';
    let err = '';
    child.stderr.on('data', (d) => { err += d; });
    child.stdout.on('data', (d) => {
      out += d;
      const m = /LISTENING (\d+)/.exec(out);
      if (m) resolve({
        port: Number(m[1]),
        pid: child.pid,
        stderr: () => err,
        stop: () => new Promise((done) => {
          if (child.exitCode !== null || child.signalCode !== null) return done();
          child.once('exit', done);
          child.kill('SIGTERM');
          // A server that doesn't finish shutting down in time is killed: the test is about sessions, not shutdown.
          setTimeout(() => child.kill('SIGKILL'), 10000).unref();
        }),
      });
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${err}`)));
  });
}

/** A browser-like HTTP client: keeps cookies per name, sends the CSRF token from the page's form and an Origin. */
class Browser {
  constructor() { this.cookies = {}; }
  cookieHeader() { return Object.entries(this.cookies).map(([k, v]) => `${k}=${v}`).join('; '); }
  keep(res) {
    for (const c of res.headers.getSetCookie()) {
      const [pair, ...attrs] = c.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      const expired = attrs.some((a) => /max-age=0/i.test(a) || /expires=Thu, 01 Jan 1970/i.test(a));
      if (expired || value === '') delete this.cookies[name];
      else this.cookies[name] = value;
    }
  }
  async request(port, method, p, { form, headers = {} } = {}) {
    const h = { cookie: this.cookieHeader(), ...headers };
    let body;
    if (form) {
      body = new URLSearchParams(form).toString();
      h['content-type'] = 'application/x-www-form-urlencoded';
      h.origin ??= `http://127.0.0.1:${port}`;
    }
    const res = await fetch(`http://127.0.0.1:${port}${p}`, { method, headers: h, body, redirect: 'manual' });
    this.keep(res);
    res.text_ = await res.text();
    return res;
  }
  get(port, p, opts) { return this.request(port, 'GET', p, opts); }
  /** Fetches the page holding the form first, then posts it with its csrfmiddlewaretoken. */
  async submit(port, formPath, fields, postPath = formPath) {
    const page = await this.get(port, formPath);
    const token = /name="csrfmiddlewaretoken" value="([^"]+)"/.exec(page.text_)?.[1];
    if (!token) throw new Error(`no CSRF token in ${formPath}: ${page.status} ${page.text_.slice(0, 200)}`);
    return this.request(port, 'POST', postPath, { form: { csrfmiddlewaretoken: token, ...fields } });
  }
}

module.exports = { manage, startServer, stopAllServers, Browser, SITE };

/**
 * Runs `node app.js <args>` under a real pseudo-terminal (`script`), answering each prompt when it appears.
 * `steps` are [expected text or RegExp, answer or null] pairs; resolves { code, output } when the command exits.
 */
function interact(args, steps, env = {}) {
  return new Promise((resolve, reject) => {
    const quoted = [process.execPath, path.join(SITE, 'app.js'), ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
    const child = spawn('script', ['-qec', quoted, '/dev/null'], { env: { ...process.env, ...env, MANOUCHE_TESTING: '', TERM: 'dumb' }, stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    let from = 0;
    let step = 0;
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`timed out at step ${step}; output so far:\n${output}`)); }, 60000);
    const advance = () => {
      while (step < steps.length) {
        const [expect, answer] = steps[step];
        const rest = output.slice(from);
        const m = typeof expect === 'string' ? (rest.includes(expect) ? { index: rest.indexOf(expect), 0: expect } : null) : expect.exec(rest);
        if (!m) return;
        from += m.index + m[0].length;
        step++;
        // null: only expect the text. A short pause lets a hidden prompt switch the terminal to raw mode first.
        if (answer !== null) setTimeout(() => child.stdin.write(`${answer}\r`), 100);
      }
    };
    child.stdout.on('data', (d) => { output += d.toString('utf8'); advance(); });
    child.stderr.on('data', (d) => { output += d.toString('utf8'); });
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (step < steps.length) reject(new Error(`exited (${code}) before step ${step} (${steps[step][0]}); output:\n${output}`));
      else resolve({ code, output: output.replace(/\r\n/g, '\n') });
    });
  });
}

module.exports.interact = interact;
