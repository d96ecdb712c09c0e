// shutdown.test.mjs -- SIGTERM under keep-alive load (issue 8, point 5):
// every request sent before the signal is answered, answers after it carry
// "Connection: close", idle keep-alive connections are closed at once, and
// the process exits as soon as the requests in flight are done -- not after
// its 30 s limit.
//
// 20 kept-alive connections each send requests one after the other (16 of
// them POST a profile through the API with a Bearer token, a stored write;
// 4 GET the home page); 4 more connections stay idle.  The signal comes
// while they are busy.  The exit bound is generous for a loaded machine
// (5 s); the figure is printed.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { startServer, RawConnection } from '../lib/server.mjs';
import { personWithRole } from '../lib/accounts.mjs';

const EXIT_BOUND_MS = 5000;

async function apiToken(srv, i) {
  const p = await personWithRole(srv, { role: 'member', name: `Stopper ${i}`, password: null });
  const res = await p.browser.submit('/account/tokens', '/account/tokens', { name: `stop ${i}` });
  const html = await res.text();
  assert.equal(res.status, 201, html.slice(0, 300));
  return /<input id="token"[^>]*value="([^"]+)"/.exec(html)[1];
}

describe('SIGTERM under keep-alive load', () => {
  test('every request sent before the signal is answered; exit within seconds', { timeout: 90_000 }, async () => {
    const srv = await startServer({ workers: 2 });
    const tokens = [];
    for (let i = 0; i < 4; i++) tokens.push(await apiToken(srv, i));
    const host = `127.0.0.1:${srv.port}`;
    const post = (n, k) => {
      const body = JSON.stringify({ name: `Stopper ${n} ${k}`, visibility: 'members' });
      return `POST /api/v1/account/profile HTTP/1.1\r\nHost: ${host}\r\n` +
        `Authorization: Bearer ${tokens[n % tokens.length]}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
    };
    const get = `GET / HTTP/1.1\r\nHost: ${host}\r\n\r\n`;

    let signalAt = Infinity;
    const unanswered = [];
    const bad = [];
    let beforeSignal = 0;
    let afterSignal = 0;
    let closeHeaders = 0;
    const loop = async (n, isPost) => {
      const c = new RawConnection(srv.port);
      await c.open();
      for (let k = 0; ; k++) {
        if (c.closed) return;
        const sentAt = performance.now();
        let r;
        try {
          r = await c.request(isPost ? post(n, k) : get, { timeoutMs: 15_000 });
        } catch (e) {
          // only a request written after the signal may go unanswered
          if (sentAt < signalAt) unanswered.push(`${isPost ? 'POST' : 'GET'} ${n}/${k}: ${e.message}`);
          return;
        }
        if (sentAt < signalAt) beforeSignal++; else afterSignal++;
        if (r.response.status >= 500) bad.push(r.response.status);
        if (/close/i.test(r.response.headers.connection || '')) {
          closeHeaders++;
          return;
        }
        if (sentAt > signalAt + 500) {
          // a request the server read after the signal gets its last answer
          bad.push(`answer after the signal without Connection: close (${n}/${k})`);
        }
      }
    };

    const idle = [];
    for (let i = 0; i < 4; i++) {
      const c = new RawConnection(srv.port);
      await c.open();
      const r = await c.request(get);
      assert.equal(r.response.status, 200);
      idle.push(c);
    }
    const loops = [];
    for (let i = 0; i < 16; i++) loops.push(loop(i, true));
    for (let i = 0; i < 4; i++) loops.push(loop(i, false));
    await sleep(1500);

    signalAt = performance.now();
    srv.terminate();
    const { code } = await srv.exited;
    const exitMs = performance.now() - signalAt;
    await Promise.all(loops);
    const idleClosed = idle.every((c) => c.closed);
    console.log(`exit ${exitMs.toFixed(0)} ms after SIGTERM; ${beforeSignal} answers to requests sent ` +
      `before it, ${afterSignal} after, ${closeHeaders} with Connection: close`);

    assert.deepEqual(unanswered, [], 'requests sent before SIGTERM went unanswered');
    assert.deepEqual(bad, []);
    assert.ok(idleClosed, 'the idle keep-alive connections were not closed');
    assert.ok(exitMs < EXIT_BOUND_MS, `exit took ${exitMs.toFixed(0)} ms after SIGTERM`);
    assert.ok(beforeSignal > 20, `the load did not run (${beforeSignal} answers)`);
    await srv.stop(); // exit status 0, data removed
    assert.equal(code, 0);
  });

  test('idle connections close at once while a slow request keeps the server up; its answer comes', { timeout: 60_000 }, async () => {
    const srv = await startServer({ workers: 2 });
    const token = await apiToken(srv, 9);
    const idle = [];
    for (let i = 0; i < 3; i++) {
      const c = new RawConnection(srv.port);
      await c.open();
      assert.equal((await c.request(`GET / HTTP/1.1\r\nHost: x\r\n\r\n`)).response.status, 200);
      idle.push(c);
    }
    const body = JSON.stringify({ name: 'Slow Sender', visibility: 'members' });
    const slow = new RawConnection(srv.port);
    await slow.open();
    const half = Math.floor(body.length / 2);
    const answer = slow.request(`POST /api/v1/account/profile HTTP/1.1\r\nHost: x\r\n` +
      `Authorization: Bearer ${token}\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${body.length}\r\n\r\n${body.slice(0, half)}`, { timeoutMs: 20_000 });
    await sleep(300);
    const signalAt = performance.now();
    srv.terminate();
    const end = Date.now() + 5000;
    while (!idle.every((c) => c.closed) && Date.now() < end) await sleep(20);
    const idleMs = performance.now() - signalAt;
    assert.ok(idle.every((c) => c.closed), 'idle keep-alive connections still open 5 s after SIGTERM');
    let exited = false;
    srv.exited.then(() => { exited = true; });
    await sleep(200);
    assert.equal(exited, false, 'the server left before answering the request in flight');
    slow.sock.write(body.slice(half));
    const r = await answer;
    assert.ok(r.response.status < 400, `the slow request: ${r.response.status} ${r.response.body}`);
    assert.match(r.response.headers.connection || '', /close/i);
    const finishedAt = performance.now();
    await srv.exited;
    const exitMs = performance.now() - finishedAt;
    console.log(`idle connections closed ${idleMs.toFixed(0)} ms after SIGTERM; exit ${exitMs.toFixed(0)} ms after the last answer`);
    assert.ok(exitMs < EXIT_BOUND_MS, `exit took ${exitMs.toFixed(0)} ms after the last answer`);
    await srv.stop();
  });
});
