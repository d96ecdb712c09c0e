// guard.test.mjs -- abuse paths: what one client, or a few, can do to
// everyone else, and that the limits let the right clients through.
//
//   hashing   argon2id (~170 ms) runs on the hashing threads, never on a
//             worker: a flood of sign-ins leaves /healthz fast; a made-up
//             reset token costs a lookup, not a hash; a full queue is a 503
//             with Retry-After; a real reset still works.
//   proxy     behind a trusted proxy (trusted_proxy=127.0.0.1, the clients
//             told apart by X-Forwarded-For): failed sign-ins lock the
//             failing client, for one account or all, never the others;
//             guessing from many clients slows the guessers, not the
//             owner; the access log and the session name the client.  From
//             a peer that is not trusted, X-Forwarded-For is ignored.
//   head      connections trickling their headers are closed by the head
//             deadline (header_timeout) while other clients are served.
//
// Times are compared with a baseline measured in the same test (a ratio),
// and every wait is generous: the machine may be busy.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { startServer, httpRequest, getRequest } from '../lib/server.mjs';
import {
  Browser, FORM_CT, hiddenFields, mainOf, sql, sqlText, personWithRole,
  nextMail, mailsTo, linkIn, uniqueEmail, cli,
} from '../lib/accounts.mjs';

const NEW_PASSWORD = 'an entirely new passphrase';

/** A visitor's CSRF cookie and token, from the sign-in form. */
async function visitor(base, xff = null) {
  const res = await fetch(`${base}/signin`, { headers: xff ? { 'x-forwarded-for': xff } : {} });
  const html = await res.text();
  assert.equal(res.status, 200);
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  return { cookie, csrf: hiddenFields(html, '/signin').csrf };
}

/** POSTs fields to path as the visitor v, from client xff (null: none).
 * Resolves to {status, headers, text, ms}. */
async function post(base, path, fields, v, xff = null) {
  const t0 = performance.now();
  const headers = { ...FORM_CT, cookie: v.cookie };
  if (xff) headers['x-forwarded-for'] = xff;
  const res = await fetch(base + path, {
    method: 'POST', redirect: 'manual', headers,
    body: new URLSearchParams({ csrf: v.csrf, ...fields }).toString(),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, ms: performance.now() - t0 };
}

/** The same as post(), on a fresh connection each time (Connection:
 * close), so that a flood spreads over every worker as a crowd of clients
 * would.  Resolves to {status}. */
async function postFresh(base, path, fields, v, xff) {
  const r = await httpRequest(base, {
    method: 'POST', path, timeoutMs: 60_000,
    headers: { ...FORM_CT, cookie: v.cookie, 'x-forwarded-for': xff },
    body: new URLSearchParams({ csrf: v.csrf, ...fields }).toString(),
  });
  return { status: r.status };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** The median time of n sequential GET /healthz, each on a fresh
 * connection. */
async function healthzMedian(base, n = 15, pauseMs = 50) {
  const times = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const r = await httpRequest(base, { path: '/healthz', timeoutMs: 30_000 });
    times.push(performance.now() - t0);
    assert.equal(r.status, 200);
    await sleep(pauseMs);
  }
  return median(times);
}

let nextClient = 1;
/** A fresh client address (198.18.0.0/15 is for tests). */
const newClient = () => {
  const n = nextClient++;
  return `198.18.${(n >> 8) & 255}.${n & 255}`;
};

describe('behind a trusted proxy', () => {
  let srv;
  before(async () => {
    srv = await startServer({ workers: 2, args: ['--trusted-proxy', '127.0.0.1'] });
  });
  after(async () => { if (srv) await srv.stop(); });

  describe('hashing', () => {
    test('a flood of sign-ins that each hash a password, and of made-up reset tokens, leaves /healthz fast', async (t) => {
      const base = await healthzMedian(srv.url);
      const v = await visitor(srv.url);
      let stop = false;
      const seen = { 401: 0, 410: 0, other: [] };
      const flood = Array.from({ length: 8 }, async (_, k) => {
        while (!stop) {
          // sign-ins: an unknown address from a fresh client, so no limit
          // applies, and the dummy hash runs all the same; resets: a
          // made-up token with a good password
          const r = k % 2
            ? await postFresh(srv.url, '/signin',
              { email: uniqueEmail('flood'), password: 'not the password at all' }, v, newClient())
            : await postFresh(srv.url, '/reset/confirm',
              { token: `made-up-${k}-${'y'.repeat(40)}`, password: NEW_PASSWORD }, v, newClient());
          if (r.status === 401 || r.status === 410) seen[r.status]++;
          else seen.other.push(r.status);
        }
      });
      await sleep(1000); // the queue fills
      const during = await healthzMedian(srv.url);
      stop = true;
      await Promise.all(flood);
      t.diagnostic(`/healthz median ${base.toFixed(1)} ms before, ${during.toFixed(1)} ms ` +
        `during the flood; ${seen[401]} sign-ins checked, ${seen[410]} made-up tokens refused, ` +
        `${seen.other.length} busy`);
      assert.ok(seen[401] >= 5, `only ${seen[401]} sign-ins were checked`);
      assert.ok(seen[410] >= 5, `only ${seen[410]} made-up tokens were answered`);
      assert.ok(seen.other.every((s) => s === 503), `unexpected answers (${seen.other.length}): ${seen.other.slice(0, 10)}`);
      // the hashing would have held the workers for ~170 ms a request
      assert.ok(during < Math.max(base, 5) * 10,
        `/healthz median ${during.toFixed(1)} ms during the flood, ${base.toFixed(1)} ms before`);
    });

    test('a made-up reset or confirmation token is refused without hashing the password', async (t) => {
      const v = await visitor(srv.url);
      const hashed = [];
      const bogus = [];
      for (let i = 0; i < 5; i++) {
        const r = await post(srv.url, '/signin',
          { email: uniqueEmail('timing'), password: 'not the password at all' }, v, newClient());
        assert.equal(r.status, 401);
        hashed.push(r.ms);
      }
      for (let i = 0; i < 5; i++) {
        for (const path of ['/reset/confirm', '/verify']) {
          const r = await post(srv.url, path,
            { token: `made-up-token-${i}-${'x'.repeat(30)}`, password: NEW_PASSWORD }, v, newClient());
          assert.equal(r.status, 410, `${path}: ${r.status}`);
          assert.match(mainOf(r.text), /This link cannot be used/);
          bogus.push(r.ms);
        }
      }
      // the fastest of each: what the work costs when the machine lets it
      // run (a busy machine adds its waits to every median: a fresh-check
      // beside a CI run saw 78 ms against 190)
      const [fastBogus, fastHashed] = [Math.min(...bogus), Math.min(...hashed)];
      t.diagnostic(`made-up token ${median(bogus).toFixed(1)} ms, password check ` +
        `${median(hashed).toFixed(1)} ms (medians); fastest ${fastBogus.toFixed(1)} and ${fastHashed.toFixed(1)} ms`);
      assert.ok(fastBogus < fastHashed / 3,
        `the fastest made-up token took ${fastBogus.toFixed(1)} ms, the fastest password check ` +
        `${fastHashed.toFixed(1)} ms`);
    });

    test('when the hashing queue is full the answer is 503 with Retry-After, and sign-in works after', async (t) => {
      const p = await personWithRole(srv, { role: 'member', name: 'Quinn Queue' });
      const v = await visitor(srv.url);
      const answers = await Promise.all(Array.from({ length: 90 }, () =>
        post(srv.url, '/signin', { email: uniqueEmail('burst'), password: 'wrong wrong wrong' },
          v, newClient())));
      const statuses = answers.map((a) => a.status);
      assert.ok(statuses.every((s) => s === 401 || s === 503), `answers: ${[...new Set(statuses)]}`);
      const busy = answers.filter((a) => a.status === 503);
      t.diagnostic(`90 at once: ${statuses.filter((s) => s === 401).length} checked, ${busy.length} busy`);
      assert.ok(busy.length > 0, 'no request was refused with 90 at once and a queue of 32');
      assert.ok(statuses.includes(401), 'no request was checked at all');
      for (const b of busy) {
        assert.ok(Number(b.headers.get('retry-after')) > 0, `Retry-After: ${b.headers.get('retry-after')}`);
        assert.match(b.text, /Please try again in a few seconds/);
      }
      const ok = await post(srv.url, '/signin', { email: p.email, password: p.password }, v, newClient());
      assert.equal(ok.status, 303, ok.text.slice(0, 300));
    });

    test('a real password reset still works', async () => {
      const p = await personWithRole(srv, { role: 'member', name: 'Rita Reset' });
      const xff = newClient();
      const b = new Browser(srv.url);
      b.headers = ((orig) => (extra = {}) => ({ 'x-forwarded-for': xff, ...orig.call(b, extra) }))(b.headers);
      const seen = (await mailsTo(srv.dataDir, p.email)).length;
      const asked = await b.submit('/reset', '/reset', { email: p.email });
      await asked.arrayBuffer();
      assert.equal(asked.status, 303);
      const mail = await nextMail(srv.dataDir, p.email, seen, { subject: 'Choose a new password' });
      const link = linkIn(mail, '/reset/confirm?token=');
      const done = await b.submit(link, '/reset/confirm', { password: NEW_PASSWORD });
      await done.arrayBuffer();
      assert.equal(done.status, 303);
      assert.equal(done.headers.get('location'), '/account?done=password');
      const v = await visitor(srv.url);
      assert.equal((await post(srv.url, '/signin', { email: p.email, password: NEW_PASSWORD }, v, newClient())).status, 303);
      assert.equal((await post(srv.url, '/signin', { email: p.email, password: p.password }, v, newClient())).status, 401);
    });
  });

  describe('failed sign-ins', () => {
    test('one client failing 20 times on random addresses locks itself, nobody else', async () => {
      const p = await personWithRole(srv, { role: 'member', name: 'Nora Neighbour' });
      const v = await visitor(srv.url);
      const bad = newClient();
      for (let i = 1; i <= 20; i++) {
        const r = await post(srv.url, '/signin', { email: uniqueEmail('random'), password: 'guess guess guess' }, v, bad);
        assert.equal(r.status, 401, `failure ${i}`);
      }
      const locked = await post(srv.url, '/signin', { email: p.email, password: p.password }, v, bad);
      assert.equal(locked.status, 429, 'the failing client was not locked');
      assert.ok(Number(locked.headers.get('retry-after')) > 0);
      const other = await post(srv.url, '/signin', { email: p.email, password: p.password }, v, newClient());
      assert.equal(other.status, 303, `another client: ${other.status}`);
      // and the proxy's own address is no client of its own
      const direct = await post(srv.url, '/signin', { email: p.email, password: p.password }, v, null);
      assert.equal(direct.status, 303, `the proxy without X-Forwarded-For: ${direct.status}`);
    });

    test('five wrong passwords lock the account for that client only; another client signs in', async () => {
      const a = await personWithRole(srv, { role: 'member', name: 'Ada Account' });
      const b = await personWithRole(srv, { role: 'member', name: 'Bea Other' });
      const v = await visitor(srv.url);
      const x = newClient();
      const y = newClient();
      for (let i = 1; i <= 5; i++) {
        const r = await post(srv.url, '/signin', { email: a.email, password: `wrong number ${i}` }, v, x);
        assert.equal(r.status, 401, `failure ${i}`);
      }
      const xa = await post(srv.url, '/signin', { email: a.email, password: a.password }, v, x);
      assert.equal(xa.status, 429, 'client X got through to A with the right password while locked');
      assert.match(mainOf(xa.text), /Too many failed attempts/);
      const ya = await post(srv.url, '/signin', { email: a.email, password: a.password }, v, y);
      assert.equal(ya.status, 303, `client Y, right password for A: ${ya.status}`);
      const xb = await post(srv.url, '/signin', { email: b.email, password: b.password }, v, x);
      assert.equal(xb.status, 303, `client X, right password for B: ${xb.status}`);
      // the right password from Y does not unlock X
      assert.equal((await post(srv.url, '/signin', { email: a.email, password: a.password }, v, x)).status, 429);
    });

    test('guessing one account from many clients slows the guessers, never the owner', async () => {
      const a = await personWithRole(srv, { role: 'member', name: 'Gus Guessed' });
      const v = await visitor(srv.url);
      // 20 clients, one failure each: the account is now being guessed at
      for (let i = 0; i < 20; i++) {
        const r = await post(srv.url, '/signin', { email: a.email, password: `guess ${i}` }, v, newClient());
        assert.equal(r.status, 401, `guess ${i}`);
      }
      // a new guesser gets one failure on it, not five
      const z = newClient();
      assert.equal((await post(srv.url, '/signin', { email: a.email, password: 'guess z1' }, v, z)).status, 401);
      const z2 = await post(srv.url, '/signin', { email: a.email, password: 'guess z2' }, v, z);
      assert.equal(z2.status, 429, `a second guess from a new client while the account is guessed at: ${z2.status}`);
      // the owner, from a client that has not failed, signs in at once
      const owner = await post(srv.url, '/signin', { email: a.email, password: a.password }, v, newClient());
      assert.equal(owner.status, 303, `the owner: ${owner.status}`);
    });

    test('the forwarded client is the one in the access log and in the session', async () => {
      const p = await personWithRole(srv, { role: 'member', name: 'Lola Logged' });
      const v = await visitor(srv.url);
      const xff = '203.0.113.77';
      // what the client claimed (left) is not believed; what the proxy saw is
      const r = await post(srv.url, '/signin', { email: p.email, password: p.password }, v, `10.9.9.9, ${xff}`);
      assert.equal(r.status, 303);
      await srv.waitForLog(/^203\.0\.113\.77 POST \/signin 303 /);
      const clients = (await sql(srv.dataDir,
        `SELECT s.client FROM sessions s JOIN people p ON p.id = s.person_id WHERE p.email = ${sqlText(p.email)}`)).join(',');
      assert.ok(String(clients).split(',').includes(xff), `sessions' clients: ${clients}`);
      assert.ok(!String(clients).includes('10.9.9.9'));
    });
  });
});

describe('X-Forwarded-For from a peer that is not trusted', () => {
  let srv;
  before(async () => { srv = await startServer({ workers: 2 }); });
  after(async () => { if (srv) await srv.stop(); });

  test('is ignored: the peer is the client for limits and the log', async () => {
    const a = await personWithRole(srv, { role: 'member', name: 'Una Untrusted' });
    const v = await visitor(srv.url);
    for (let i = 1; i <= 5; i++) {
      const r = await post(srv.url, '/signin', { email: a.email, password: `wrong ${i}` }, v, `198.19.0.${i}`);
      assert.equal(r.status, 401, `failure ${i}`);
    }
    const r = await post(srv.url, '/signin', { email: a.email, password: a.password }, v, '198.19.1.1');
    assert.equal(r.status, 429, 'a forged X-Forwarded-For escaped the lock');
    await srv.waitForLog(/^127\.0\.0\.1 POST \/signin 429 /);
    assert.ok(!/^198\.19\./m.test(srv.stderr()), 'a forged address reached the log');
  });

  test('check-config shows trusted_proxy and refuses a value that is not an address', async () => {
    const env = { ...process.env, ALLIANCE_TRUSTED_PROXY: '10.0.0.0/8, ::1' };
    const { stdout } = await cli(srv.dataDir, ['check-config'], env);
    assert.match(stdout, /^trusted_proxy = 10\.0\.0\.0\/8, ::1$/m);
    assert.match(stdout, /^header_timeout = 10$/m);
    await assert.rejects(cli(srv.dataDir, ['check-config', '--trusted-proxy', 'proxy.example']),
      /trusted_proxy: 'proxy\.example' is not an address/);
  });
});

describe('the request head has a deadline', () => {
  const TIMEOUT_S = 3;
  let srv;
  before(async () => {
    srv = await startServer({ workers: 2, env: { ALLIANCE_HEADER_TIMEOUT: String(TIMEOUT_S) } });
  });
  after(async () => { if (srv) await srv.stop(); });

  /** A connection from localAddress that sends a request head one short
   * line a second and never finishes it.  Resolves, when the server
   * closes it, to the seconds it stayed open and whether any answer
   * came. */
  function trickle(port, localAddress, stopAt) {
    return new Promise((ok) => {
      const t0 = performance.now();
      const sock = net.connect({ port, host: '127.0.0.1', localAddress });
      let timer = null;
      let n = 0;
      let answered = false;
      const done = () => {
        clearInterval(timer);
        sock.destroy();
        ok({ s: (performance.now() - t0) / 1000, answered });
      };
      sock.on('connect', () => {
        sock.write('GET /healthz HTTP/1.1\r\nHost: x\r\n');
        timer = setInterval(() => {
          if (performance.now() > stopAt) return done();
          sock.write(`X-Trickle-${n++}: y\r\n`);
        }, 1000);
      });
      sock.on('data', () => { answered = true; });
      sock.on('error', () => {});
      sock.on('close', done);
    });
  }

  test('trickling connections are closed by the deadline while other clients are served', async (t) => {
    const stopAt = performance.now() + 20_000; // the test's own bound
    // 150 from one address (over its 128), and 5 x 150 from five others
    const tricklers = [];
    for (let i = 0; i < 150; i++) tricklers.push(trickle(srv.port, '127.0.0.1', stopAt));
    for (let a = 3; a <= 7; a++) {
      for (let i = 0; i < 150; i++) tricklers.push(trickle(srv.port, `127.0.0.${a}`, stopAt));
    }
    await sleep(1000);
    // a normal client from another address is served at once, again and
    // again, while the trickle goes on
    const served = [];
    for (let i = 0; i < 10; i++) {
      const t0 = performance.now();
      const r = await new Promise((ok, fail) => {
        const sock = net.connect({ port: srv.port, host: '127.0.0.1', localAddress: '127.0.0.2' });
        let data = '';
        sock.setTimeout(5000, () => { sock.destroy(); fail(new Error('no answer within 5 s')); });
        sock.on('connect', () => sock.write(getRequest('/healthz', { headers: { Connection: 'close' } })));
        sock.on('data', (d) => { data += d; });
        sock.on('close', () => ok(data));
        sock.on('error', fail);
      });
      assert.match(r, /^HTTP\/1\.1 200 /, `request ${i}: ${r.slice(0, 100)}`);
      served.push(performance.now() - t0);
      await sleep(200);
    }
    const ends = await Promise.all(tricklers);
    assert.ok(ends.every((e) => !e.answered), 'a trickling head was answered');
    // refused at once (over an address's limit) or closed at the deadline
    const byDeadline = ends.filter((e) => e.s >= TIMEOUT_S - 0.5);
    assert.ok(byDeadline.length >= 5 * 100, `only ${byDeadline.length} were held to the deadline`);
    t.diagnostic(`${ends.length} trickling: ${byDeadline.length} held to the deadline, ` +
      `${ends.length - byDeadline.length} refused at once, longest ${Math.max(...ends.map((e) => e.s)).toFixed(1)} s; ` +
      `normal requests: slowest ${Math.max(...served).toFixed(0)} ms`);
    const late = ends.filter((e) => e.s > TIMEOUT_S + 6);
    assert.equal(late.length, 0, `${late.length} trickling connections outlived the deadline ` +
      `(longest ${Math.max(...ends.map((e) => e.s)).toFixed(1)} s)`);
    assert.ok(Math.max(...served) < 3000, `a normal request took ${Math.max(...served).toFixed(0)} ms`);
    // and the trickling address itself is served again
    const again = await httpRequest(srv.url, { path: '/healthz' });
    assert.equal(again.status, 200);
  });

  test('a kept-alive connection gets a fresh deadline for each request', async () => {
    const sock = net.connect({ port: srv.port, host: '127.0.0.1' });
    await new Promise((ok) => sock.once('connect', ok));
    let data = '';
    let closed = false;
    sock.on('data', (d) => { data += d; });
    sock.on('close', () => { closed = true; });
    // three requests, each started well within the deadline of the one
    // before, the whole longer than one deadline
    for (let i = 0; i < 3; i++) {
      sock.write(getRequest('/healthz'));
      await sleep((TIMEOUT_S * 1000) / 2);
    }
    assert.equal((data.match(/HTTP\/1\.1 200 /g) || []).length, 3, data);
    assert.equal(closed, false, 'closed although each head came in time');
    // idle: closed by the deadline
    await sleep(TIMEOUT_S * 1000 + 2000);
    assert.equal(closed, true, 'an idle kept-alive connection was not closed');
    sock.destroy();
  });
});
