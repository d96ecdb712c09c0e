// server.mjs -- start a real alliance server for one test file, and talk to it
// in ways fetch cannot.
//
// startServer() makes a fresh data folder (and, with
// ALLIANCE_TEST_DATABASE=postgresql, a PostgreSQL database for it, passed as
// ALLIANCE_DATABASE: tests/lib/testdb.mjs), runs `$ALLIANCE_BIN init`, picks a
// free loopback port and runs `$ALLIANCE_BIN serve` on it, and resolves once
// GET /healthz answers 200.  It hands back {url, port, dataDir, stop(), ...};
// stop() sends SIGTERM, waits for the process to end and asserts it exited 0.
//
// The rest are small clients:
//   httpRequest()  one request, nothing decompressed; an answer that arrives
//                  early (a 413 while the body is still being sent) is kept
//   rawRequest()   bytes in, bytes out over node:net, for requests that are
//                  not well-formed HTTP (huge headers, broken request lines)
//   RawConnection  one kept-alive connection, request after request
//   parseResponses() HTTP/1.1 response parsing for the raw clients
import { spawn, execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import net from 'node:net';
import assert from 'node:assert/strict';
import { prepareData, allianceEnv } from './testdb.mjs';

/** The binary under test: $ALLIANCE_BIN, else build/alliance of this tree. */
export function allianceBin() {
  return process.env.ALLIANCE_BIN ||
    resolve(new URL('../..', import.meta.url).pathname, 'build/alliance');
}

/** A loopback port that was free a moment ago (listen on 0, close). */
export function freePort() {
  return new Promise((ok, fail) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => ok(port));
    });
  });
}

function run(bin, args, opts = {}) {
  return new Promise((ok, fail) => {
    execFile(bin, args, { timeout: 30_000, ...opts }, (err, stdout, stderr) => {
      if (err) {
        err.message += `\n--- stdout\n${stdout}\n--- stderr\n${stderr}`;
        fail(err);
      } else {
        ok({ stdout, stderr });
      }
    });
  });
}

/**
 * Start a server on a fresh database.
 *   opts.workers   --workers (default 4)
 *   opts.args      more arguments for `serve`
 *   opts.env       more environment variables
 *   opts.timeoutMs how long to wait for /healthz (default 60 s: a slow,
 *                  busy machine; a healthy start takes milliseconds)
 *   opts.beforeServe async ({bin, dataDir, env}) => ..., run after `init`
 *                  and before `serve` (to put work in the database first)
 * Resolves to {url, port, dataDir, proc, stdout(), stderr(), waitForLog(re),
 * exited, stop()}.  Rejects, with the server's output, if it does not come up.
 */
export async function startServer(opts = {}) {
  const bin = allianceBin();
  const dataDir = await mkdtemp(join(tmpdir(), 'alliance-test-'));
  // on PostgreSQL (ALLIANCE_TEST_DATABASE) a database of its own, unless
  // the test chose one (opts.env.ALLIANCE_DATABASE)
  if (!opts.env?.ALLIANCE_DATABASE) await prepareData(dataDir, { initializedBy: bin });
  const env = allianceEnv(dataDir, { ...process.env, ...(opts.env || {}) });
  await run(bin, ['init', '--data', dataDir], { env });
  if (opts.beforeServe) await opts.beforeServe({ bin, dataDir, env });

  // A port found free may be taken by another test file before serve binds
  // it (files run side by side): serve then says it cannot listen, and we
  // try another port.
  const waiters = new Set();
  let port, url, args, proc, out, err, exited, gone;
  for (let attempt = 1; ; attempt++) {
    port = await freePort();
    url = `http://127.0.0.1:${port}`;
    args = ['serve', '--data', dataDir, '--listen', `127.0.0.1:${port}`,
      '--workers', String(opts.workers ?? 4), ...(opts.args || [])];
    proc = spawn(bin, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    out = '';
    err = '';
    proc.stdout.setEncoding('utf8');
    proc.stderr.setEncoding('utf8');
    proc.stdout.on('data', (d) => { out += d; });
    proc.stderr.on('data', (d) => {
      err += d;
      for (const w of waiters) w();
    });
    if (process.env.ALLIANCE_TEST_VERBOSE) {
      proc.stderr.on('data', (d) => process.stderr.write(d));
    }
    const self = proc;
    exited = new Promise((ok) => {
      self.on('exit', (code, signal) => ok({ code, signal }));
    });
    gone = null;
    exited.then((r) => { if (proc === self) gone = r; });

    const waitMs = opts.timeoutMs ?? 60_000;
    const deadline = Date.now() + waitMs;
    let last = 'no answer';
    let retry = false;
    for (;;) {
      if (gone) {
        if (attempt < 5 && /cannot listen/.test(err)) {
          retry = true;
          break;
        }
        await rm(dataDir, { recursive: true, force: true });
        throw new Error(`alliance serve exited (${JSON.stringify(gone)}) before ` +
          `answering /healthz\n--- command\n${bin} ${args.join(' ')}` +
          `\n--- stdout\n${out}\n--- stderr\n${err}`);
      }
      try {
        const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(5000) });
        await res.arrayBuffer();
        if (res.status === 200) break;
        last = `status ${res.status}`;
      } catch (e) {
        last = e.cause?.code || e.message;
      }
      if (Date.now() > deadline) {
        proc.kill('SIGKILL');
        await exited;
        await rm(dataDir, { recursive: true, force: true });
        throw new Error(`alliance serve did not answer GET /healthz with 200 ` +
          `within ${waitMs} ms (last: ${last})\n--- command\n` +
          `${bin} ${args.join(' ')}\n--- stdout\n${out}\n--- stderr\n${err}`);
      }
      await sleep(50);
    }
    if (!retry) break;
  }

  let stopped = false;
  const server = {
    url,
    port,
    dataDir,
    proc,
    exited,
    stdout: () => out,
    stderr: () => err,

    /** Resolve to the first stderr line matching re, or throw after ms. */
    async waitForLog(re, ms = 3000) {
      const find = () => err.split('\n').find((l) => re.test(l));
      const end = Date.now() + ms;
      for (;;) {
        const hit = find();
        if (hit !== undefined) return hit;
        const left = end - Date.now();
        if (left <= 0) {
          throw new Error(`no stderr line matched ${re} within ${ms} ms\n` +
            `--- stderr\n${err}`);
        }
        await new Promise((ok) => {
          const t = setTimeout(done, Math.min(left, 100));
          function done() { clearTimeout(t); waiters.delete(done); ok(); }
          waiters.add(done);
        });
      }
    },

    /** Send SIGTERM (unless already sent), await exit, assert status 0. */
    async stop({ keepData = false, timeoutMs = 30_000 } = {}) {
      if (!stopped) {
        stopped = true;
        if (!gone) proc.kill('SIGTERM');
      }
      const timer = setTimeout(() => proc.kill('SIGKILL'), timeoutMs);
      const r = await exited;
      clearTimeout(timer);
      if (!keepData && !process.env.ALLIANCE_TEST_KEEP) {
        await rm(dataDir, { recursive: true, force: true });
      }
      assert.deepEqual(r, { code: 0, signal: null },
        `alliance serve should exit 0 on SIGTERM (within ${timeoutMs} ms)` +
        `\n--- stderr (last 4000 chars)\n${err.slice(-4000)}`);
      return r;
    },

    /** Send SIGTERM now, without waiting; stop() then waits. */
    terminate() {
      if (!stopped && !gone) proc.kill('SIGTERM');
      stopped = true;
    },
  };
  return server;
}

/**
 * One request on a fresh connection, nothing decoded: resolves to
 * {status, headers, body: Buffer}.  Written over node:net so that an answer
 * the server sends before it has read the whole request body (a 413 while a
 * large upload is still going) is kept even when the server then closes and
 * the rest of the upload fails to send.
 *   opts: {method, path, headers, body (string|Buffer), timeoutMs}
 */
export async function httpRequest(base, opts = {}) {
  const u = new URL(opts.path || '/', base);
  const method = opts.method || 'GET';
  const body = opts.body === undefined ? null : Buffer.from(opts.body);
  const headers = { host: u.host, connection: 'close', ...lowerKeys(opts.headers || {}) };
  if (body) headers['content-length'] = String(body.length);
  let head = `${method} ${u.pathname}${u.search} HTTP/1.1\r\n`;
  for (const [k, v] of Object.entries(headers)) head += `${k}: ${v}\r\n`;
  head += '\r\n';
  const parts = [Buffer.from(head, 'latin1')];
  if (body) parts.push(body);
  const r = await rawRequest(Number(u.port), parts, {
    host: u.hostname, timeoutMs: opts.timeoutMs ?? 15_000,
    until: (data) => parseResponses(data, { headOnly: [method === 'HEAD'], closed: false, max: 1 })
      .responses.length > 0,
  });
  const parsed = parseResponses(r.data, { headOnly: [method === 'HEAD'], closed: r.closed, max: 1 });
  if (parsed.responses.length === 0) {
    throw new Error(`${method} ${u.pathname}: no whole answer (${r.data.length} bytes, ` +
      `${r.closed ? 'closed' : 'timed out'}${r.error ? `, ${r.error.code}` : ''})`);
  }
  const res = parsed.responses[0];
  return { status: res.status, headers: res.headers, body: res.body };
}

function lowerKeys(o) {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k.toLowerCase(), v]));
}

/**
 * Parse HTTP/1.1 responses from buf, in order.  headOnly: a list of booleans,
 * one per request, true where the request was HEAD (no body follows).
 * closed: the connection has ended (a body without a length runs to the end).
 * max: stop after this many responses.
 * Returns {responses: [{status, reason, headers, rawHeaders, body}],
 * rest: Buffer (the bytes after the last whole response), complete: boolean}.
 * Header names are lower-cased; repeated headers are joined with ", ".
 */
export function parseResponses(buf, { headOnly = [], closed = true, max = Infinity } = {}) {
  const responses = [];
  let pos = 0;
  while (responses.length < max) {
    const end = buf.indexOf('\r\n\r\n', pos);
    if (end < 0) break;
    const head = buf.subarray(pos, end).toString('latin1');
    const lines = head.split('\r\n');
    const m = /^HTTP\/1\.[01] (\d{3})(?: (.*))?$/.exec(lines[0]);
    if (!m) throw new Error(`not an HTTP status line: ${JSON.stringify(lines[0])}`);
    const headers = {};
    const rawHeaders = [];
    for (const line of lines.slice(1)) {
      const i = line.indexOf(':');
      if (i <= 0) throw new Error(`bad header line: ${JSON.stringify(line)}`);
      const k = line.slice(0, i).trim().toLowerCase();
      const v = line.slice(i + 1).trim();
      rawHeaders.push([k, v]);
      headers[k] = k in headers ? `${headers[k]}, ${v}` : v;
    }
    const status = Number(m[1]);
    let bodyStart = end + 4;
    let body;
    let next;
    const noBody = headOnly[responses.length] || status === 204 || status === 304 ||
      (status >= 100 && status < 200);
    if (noBody) {
      body = Buffer.alloc(0);
      next = bodyStart;
    } else if (/chunked/i.test(headers['transfer-encoding'] || '')) {
      const parts = [];
      let p = bodyStart;
      let done = false;
      for (;;) {
        const le = buf.indexOf('\r\n', p);
        if (le < 0) break;
        const size = parseInt(buf.subarray(p, le).toString('latin1'), 16);
        if (Number.isNaN(size)) throw new Error('bad chunk size');
        if (size === 0) {
          // the last chunk, then trailer lines up to an empty line
          if (buf.length >= le + 4 && buf.subarray(le + 2, le + 4).toString() === '\r\n') {
            p = le + 4;
            done = true;
          } else {
            const tEnd = buf.indexOf('\r\n\r\n', le);
            if (tEnd >= 0) { p = tEnd + 4; done = true; }
          }
          break;
        }
        if (buf.length < le + 2 + size + 2) break;
        parts.push(buf.subarray(le + 2, le + 2 + size));
        p = le + 2 + size + 2;
      }
      if (!done) break;
      body = Buffer.concat(parts);
      next = p;
    } else if (headers['content-length'] !== undefined) {
      const n = Number(headers['content-length']);
      if (buf.length < bodyStart + n) break;
      body = buf.subarray(bodyStart, bodyStart + n);
      next = bodyStart + n;
    } else {
      // delimited by the end of the connection
      if (!closed) break;
      body = buf.subarray(bodyStart);
      next = buf.length;
    }
    responses.push({ status, reason: m[2] || '', headers, rawHeaders, body });
    pos = next;
  }
  const rest = buf.subarray(pos);
  return { responses, rest, complete: rest.length === 0 };
}

/**
 * Write data (string or Buffer, or an array of them written one after the
 * other) to a fresh connection and collect everything until the server closes
 * or timeoutMs passes (or until(data) says enough has come).  Resolves to
 * {data: Buffer, closed, error, ms}; write errors and resets are recorded in
 * error, not thrown: what arrived before them is what counts here.
 */
export function rawRequest(port, data, { timeoutMs = 5000, host = '127.0.0.1', until = null } = {}) {
  return new Promise((ok) => {
    const t0 = performance.now();
    const chunks = [];
    let closed = false;
    let error = null;
    let done = false;
    const sock = net.connect({ port, host, noDelay: true });
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      ok({ data: Buffer.concat(chunks), closed, error, ms: performance.now() - t0 });
    };
    const timer = setTimeout(finish, timeoutMs);
    sock.on('connect', () => {
      for (const d of Array.isArray(data) ? data : [data]) sock.write(d);
    });
    sock.on('data', (c) => {
      chunks.push(c);
      if (until && until(Buffer.concat(chunks))) finish();
    });
    sock.on('error', (e) => { error = e; });
    sock.on('close', () => { closed = true; finish(); });
  });
}

/**
 * One kept-alive raw connection.  request(text, {head}) writes one request and
 * resolves to {response, ms} once one whole response has arrived.
 */
export class RawConnection {
  constructor(port, host = '127.0.0.1') {
    this.port = port;
    this.host = host;
    this.buf = Buffer.alloc(0);
    this.closed = false;
    this.pending = null;
    this.error = null;
    this.sock = null;
  }

  open() {
    return new Promise((ok, fail) => {
      this.sock = net.connect({ port: this.port, host: this.host, noDelay: true });
      this.sock.once('connect', ok);
      this.sock.once('error', fail);
      this.sock.on('error', (e) => { this.error = e; this.poke(); });
      this.sock.on('data', (c) => { this.buf = Buffer.concat([this.buf, c]); this.poke(); });
      this.sock.on('close', () => { this.closed = true; this.poke(); });
    });
  }

  poke() {
    if (this.pending) this.pending();
  }

  request(text, { head = false, timeoutMs = 5000 } = {}) {
    return new Promise((ok, fail) => {
      const t0 = performance.now();
      const timer = setTimeout(() => {
        this.pending = null;
        fail(new Error(`no whole response within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending = () => {
        let parsed;
        try {
          parsed = parseResponses(this.buf, { headOnly: [head], closed: this.closed, max: 1 });
        } catch (e) {
          clearTimeout(timer);
          this.pending = null;
          fail(e);
          return;
        }
        if (parsed.responses.length > 0) {
          clearTimeout(timer);
          this.pending = null;
          this.buf = parsed.rest;
          ok({ response: parsed.responses[0], ms: performance.now() - t0 });
        } else if (this.closed || this.error) {
          clearTimeout(timer);
          this.pending = null;
          fail(new Error(`connection ${this.closed ? 'closed' : 'failed'} before ` +
            `a whole response (${this.buf.length} bytes): ${this.error?.code || ''}`));
        }
      };
      this.sock.write(text);
    });
  }

  close() {
    if (this.sock) this.sock.destroy();
  }
}

/** A plain GET request as text, for the raw clients. */
export function getRequest(path, { host = '127.0.0.1', headers = {}, method = 'GET' } = {}) {
  let s = `${method} ${path} HTTP/1.1\r\nHost: ${host}\r\n`;
  for (const [k, v] of Object.entries(headers)) s += `${k}: ${v}\r\n`;
  return `${s}\r\n`;
}
