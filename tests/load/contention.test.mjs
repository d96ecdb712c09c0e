// contention.test.mjs -- writers of one process queue for the database
// instead of racing for SQLite's lock (issue 8, point 3).
//
// 24 signed-in members saving their profile through the form and 8 API
// clients saving theirs with a Bearer token write as fast as they can
// against `serve --workers 2`, while a visitor asks for the home page one
// request after the other.  No write may be refused (no 5xx, no connection
// cut), and the visitor's answers keep coming: p99 under 100 ms.
//
// The bound is the issue's 100 ms on a machine that is otherwise quiet.
// Timed tests must not fail because a machine is slow or busy, so the
// visitor first runs alone for a few seconds (the same loop, no writers),
// and again after the writers stop: the bound is the larger of 100 ms and
// 20 times the slower of those two p99s (a shared machine's own load
// changes during the run); on a machine whose load average already
// exceeds its cores the bound is at least 600 ms (bursts of other work no
// quiet spell sees), still a quarter of the 2.6 s it guards against.  The code this
// test was written against took 2.6 s at p99 (workers stuck in SQLite's
// busy wait); this code takes 30-60 ms here, next to a 1-2 ms baseline.
//
// CONTENTION_SECONDS (default 20) sets how long the load runs; the issue's
// figure is 60.  CONTENTION_P99_MS (default 100, the issue's bound) is for
// a machine shared with other heavy work, where the tail is the CPU's.
// Under a sanitizer build (make sanitize: build/san) every request costs
// several times more CPU, so there the latency is printed, not judged;
// the 5xx count is judged everywhere.  CONTENTION_WORKERS (default 2) sets
// `--workers`.  The visitor runs in a worker thread so the 32 writers'
// callbacks in this thread do not count in its latencies.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { cpus, loadavg } from 'node:os';
import { startServer, allianceBin } from '../lib/server.mjs';
import { hiddenFields, personWithRole, FORM_CT } from '../lib/accounts.mjs';

const SECONDS = Number(process.env.CONTENTION_SECONDS || 20);
const FORM_WRITERS = 24;
const API_WRITERS = 8;
const P99_MS = Number(process.env.CONTENTION_P99_MS || 100);
const BUSY_P99_MS = 600; // see the bound
const SANITIZED = /\/build\/san\//.test(allianceBin());
const BASELINE_SECONDS = 3;

let srv;
before(async () => { srv = await startServer({ workers: Number(process.env.CONTENTION_WORKERS || 2) }); });
after(async () => { if (srv) await srv.stop(); });

/** A member's browser, the csrf token of its profile form, an API token. */
async function writer(i) {
  const p = await personWithRole(srv, { role: 'member', name: `Writer ${i}`, password: null });
  const page = await p.browser.html('/account/profile');
  const csrf = hiddenFields(page, '/account/profile').csrf;
  assert.ok(csrf, 'no csrf field on /account/profile');
  const res = await p.browser.submit('/account/tokens', '/account/tokens', { name: `load ${i}` });
  const html = await res.text();
  assert.equal(res.status, 201, html.slice(0, 300));
  const token = /<input id="token"[^>]*value="([^"]+)"/.exec(html)?.[1];
  assert.ok(token, 'the new token is not shown');
  return { browser: p.browser, csrf, token };
}

/** The visitor, in its own thread: GET / in a loop until told to stop;
 * posts back the latencies in ms and the statuses that were not 200. */
const VISITOR = `
const { parentPort, workerData } = require('node:worker_threads');
let stop = false;
parentPort.on('message', () => { stop = true; });
(async () => {
  const ms = [];
  const bad = [];
  while (!stop) {
    const t0 = performance.now();
    try {
      const res = await fetch(workerData.url + '/');
      await res.arrayBuffer();
      if (res.status !== 200) bad.push(res.status);
    } catch (e) {
      bad.push(e.cause?.code || e.message);
    }
    ms.push(performance.now() - t0);
    await new Promise((ok) => setTimeout(ok, 5));
  }
  parentPort.postMessage({ ms, bad });
})();
`;

describe('write contention', () => {
  test(`${FORM_WRITERS} form writers and ${API_WRITERS} API writers against 2 workers: ` +
       'no 5xx, and visitors\' pages stay fast', { timeout: (SECONDS + 120) * 1000 }, async (t) => {
    const people = [];
    for (let i = 0; i < 8; i++) people.push(await writer(i));

    const statuses = new Map();
    const count = (k) => statuses.set(k, (statuses.get(k) || 0) + 1);
    let end;
    let writes = 0;

    const formLoop = async (n) => {
      const p = people[n % people.length];
      for (let k = 0; Date.now() < end; k++) {
        try {
          const res = await fetch(srv.url + '/account/profile', {
            method: 'POST', redirect: 'manual',
            headers: { ...FORM_CT, ...p.browser.headers() },
            body: new URLSearchParams({ csrf: p.csrf, name: `Form ${n} ${k}`, visibility: 'members' }).toString(),
          });
          await res.arrayBuffer();
          count(res.status);
        } catch (e) {
          count(e.cause?.code || e.message);
        }
        writes++;
      }
    };
    const apiLoop = async (n) => {
      const p = people[n % people.length];
      for (let k = 0; Date.now() < end; k++) {
        try {
          const res = await fetch(srv.url + '/api/v1/account/profile', {
            method: 'POST', redirect: 'manual',
            headers: { authorization: `Bearer ${p.token}`, 'content-type': 'application/json' },
            body: JSON.stringify({ name: `API ${n} ${k}`, visibility: 'members' }),
          });
          await res.arrayBuffer();
          count(res.status);
        } catch (e) {
          count(e.cause?.code || e.message);
        }
        writes++;
      }
    };

    const p99 = (xs) => {
      const s = [...xs].sort((a, b) => a - b);
      return s[Math.min(s.length - 1, Math.floor(0.99 * s.length))];
    };
    /** The visitor's loop in its own thread; stop() resolves to {ms, bad}. */
    const startVisitor = () => {
      const w = new Worker(VISITOR, { eval: true, workerData: { url: srv.url } });
      const done = new Promise((ok, fail) => {
        w.once('message', ok);
        w.once('error', fail);
      });
      return async () => {
        w.postMessage('stop');
        const r = await done;
        await w.terminate();
        return r;
      };
    };

    // the reference: the visitor alone, in this run, on this machine
    const stopAlone = startVisitor();
    await new Promise((ok) => setTimeout(ok, BASELINE_SECONDS * 1000));
    const alone = await stopAlone();

    const stopVisitor = startVisitor();
    end = Date.now() + SECONDS * 1000;
    const loops = [];
    for (let i = 0; i < FORM_WRITERS; i++) loops.push(formLoop(i));
    for (let i = 0; i < API_WRITERS; i++) loops.push(apiLoop(i));
    await Promise.all(loops);
    const { ms, bad } = await stopVisitor();
    // and alone again after: the machine's own load may have changed
    // while the writers ran (other work on a shared machine), so the
    // reference is the slower of the two quiet spells
    const stopAfter = startVisitor();
    await new Promise((ok) => setTimeout(ok, BASELINE_SECONDS * 1000));
    const after = await stopAfter();
    const baseP99 = Math.max(p99(alone.ms), p99(after.ms));
    // a machine already running more than it has cores (other builds and
    // tests beside this one) has bursts no quiet spell measures: there
    // the bound is at least BUSY_P99_MS, still far below the 2.6 s this
    // test was written against
    const busy = loadavg()[0] > cpus().length;
    const bound = Math.max(P99_MS, 20 * baseP99, busy ? BUSY_P99_MS : 0);

    ms.sort((a, b) => a - b);
    const p = (q) => ms[Math.min(ms.length - 1, Math.floor(q * ms.length))];
    const summary = `${writes} writes in ${SECONDS} s (${Object.entries(Object.fromEntries(statuses))
      .map(([k, v]) => `${k}: ${v}`).join(', ')}); ${ms.length} visitor GETs: ` +
      `p50 ${p(0.5).toFixed(1)} ms, p99 ${p(0.99).toFixed(1)} ms, max ${ms[ms.length - 1].toFixed(1)} ms; ` +
      `alone before and after: p99 ${p99(alone.ms).toFixed(1)} and ${p99(after.ms).toFixed(1)} ms of ` +
      `${alone.ms.length} and ${after.ms.length} GETs${busy ? `, load average ${loadavg()[0].toFixed(1)} ` +
      `on ${cpus().length} cores` : ''}, so the bound is ${bound.toFixed(0)} ms`;
    console.log(summary);

    const refused = [...statuses].filter(([k]) => !(k === 303 || k === 200));
    assert.deepEqual(refused, [], `writes that were not saved: ${summary}\n--- stderr (last 2000)\n` +
      srv.stderr().slice(-2000));
    assert.deepEqual(bad, [], `visitor GETs that were not 200: ${summary}`);
    if (SANITIZED) {
      t.diagnostic(`sanitizer build: the p99 bound (${bound.toFixed(0)} ms) is not judged`);
    } else {
      assert.ok(p(0.99) < bound, `visitor GET / p99 should stay under ${bound.toFixed(0)} ms: ${summary}`);
    }
  });
});
