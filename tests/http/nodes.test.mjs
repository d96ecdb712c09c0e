// nodes.test.mjs -- two nodes behind a load balancer (issue 11): two
// `alliance serve` processes on one PostgreSQL database (a private cluster,
// tests/lib/pg.mjs) and one data folder (the shared mount of the README's
// deployment on several nodes), behind Debian's nginx started here with a
// configuration of its own in a temporary folder (round robin; pid, logs and
// temporary files in that folder; each answer says which node gave it in
// X-Node).
//
// Checks: signed in through the balancer, signed in whichever node answers;
// a form's CSRF token from one node accepted by the other; the contact
// form's rate limit counted across both nodes; a change made through one
// node on the next page from the other (the page cache invalidated by the
// generation PostgreSQL NOTIFYs); a
// document sent through one node downloaded through the other; the
// membership reminder sent once with both nodes' job runners taking the
// daily jobs (each job run by one runner, once); the outbox delivered once;
// the same organisation name imported on both nodes at the same moment
// refused on one of them; one node killed, the balancer serving from the
// other.
//
// While the member modules' migrations have no PostgreSQL version, `init`
// stops and every test skips naming the migration; a check whose statements
// are not ported yet (the import) skips saying so.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile, chmod, mkdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { allianceBin, freePort } from '../lib/server.mjs';
import { startCluster } from '../lib/pg.mjs';
import { onPostgres } from '../lib/testdb.mjs';
import {
  Browser, hiddenFields, mainOf, personWithRole, mailsTo, outbox, unescapeHtml,
} from '../lib/accounts.mjs';

let pg;
let url;
let dataDir;
let tmp;
let whyNot = null;
const nodes = []; // {port, url, proc, log(), exited}
let nginx; // {port, url, proc}
let admin; // a signed-in administrator's browser, through the balancer

function run(bin, args, env = {}) {
  return new Promise((ok) => {
    execFile(bin, args, { timeout: 120_000, env: { ...process.env, ...env } },
      (err, stdout, stderr) => ok({ code: err ? err.code : 0, stdout, stderr }));
  });
}

/** Waits (60 s at most) until url answers 200. */
async function waitUp(target, what, log) {
  for (let i = 0; i < 600; i++) {
    try {
      const res = await fetch(target);
      await res.arrayBuffer();
      if (res.status === 200) return;
    } catch { /* not yet */ }
    await sleep(100);
  }
  throw new Error(`${what} did not come up:\n${log()}`);
}

async function startNode() {
  const port = await freePort();
  let err = '';
  const proc = spawn(allianceBin(), ['serve', '--data', dataDir, '--database', url,
    '--listen', `127.0.0.1:${port}`, '--workers', '2'], { stdio: ['ignore', 'ignore', 'pipe'] });
  proc.stderr.on('data', (d) => { err += d; });
  const exited = new Promise((ok) => proc.on('exit', (code, signal) => ok({ code, signal })));
  const node = { port, url: `http://127.0.0.1:${port}`, proc, log: () => err, exited };
  await waitUp(`${node.url}/healthz`, `alliance serve on ${port}`, node.log);
  return node;
}

async function startNginx() {
  const port = await freePort();
  const dir = join(tmp, 'nginx');
  await mkdir(join(dir, 'logs'), { recursive: true });
  const user = process.getuid() === 0 ? 'user nobody nogroup;' : '';
  await writeFile(join(dir, 'nginx.conf'), `# nodes.test.mjs: round robin over two alliance nodes
${user}
worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/logs/error.log warn;
events { worker_connections 256; }
http {
    access_log ${dir}/logs/access.log;
    client_body_temp_path ${dir}/client_body;
    proxy_temp_path ${dir}/proxy;
    fastcgi_temp_path ${dir}/fastcgi;
    uwsgi_temp_path ${dir}/uwsgi;
    scgi_temp_path ${dir}/scgi;
    client_max_body_size 20m;
    upstream alliance {
        server 127.0.0.1:${nodes[0].port} max_fails=1 fail_timeout=30s;
        server 127.0.0.1:${nodes[1].port} max_fails=1 fail_timeout=30s;
        keepalive 8;
    }
    server {
        listen 127.0.0.1:${port};
        location / {
            proxy_pass http://alliance;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_next_upstream error timeout;
            add_header X-Node $upstream_addr always;
        }
    }
}
`);
  let err = '';
  const proc = spawn('nginx', ['-e', join(dir, 'logs/error.log'), '-p', dir, '-c', join(dir, 'nginx.conf')],
    { stdio: ['ignore', 'ignore', 'pipe'] });
  proc.stderr.on('data', (d) => { err += d; });
  const exited = new Promise((ok) => proc.on('exit', ok));
  const n = { port, url: `http://127.0.0.1:${port}`, proc, exited };
  await waitUp(`${n.url}/healthz`, 'nginx', () => err);
  return n;
}

before(async () => {
  // the file brings its own cluster: the suite's PostgreSQL run would
  // only repeat it
  if (onPostgres) {
    whyNot = 'runs in the SQLite suite, on a cluster of its own';
    return;
  }
  pg = await startCluster();
  url = await pg.createDatabase();
  tmp = await mkdtemp(join(tmpdir(), 'alliance-nodes-'));
  await chmod(tmp, 0o755); // nginx's worker may run as nobody
  dataDir = join(tmp, 'data');
  const init = await run(allianceBin(), ['init', '--data', dataDir, '--database', url]);
  assert.equal(init.code, 0, `init on PostgreSQL stops: ${init.stderr}`);
  // the commands the helpers run (user add) go to the same database
  process.env.ALLIANCE_DATABASE = url;
  nodes.push(await startNode());
  nodes.push(await startNode());
  nginx = await startNginx();
});

after(async () => {
  if (nginx) {
    nginx.proc.kill('SIGQUIT');
    await nginx.exited;
  }
  const ends = [];
  for (const n of nodes) {
    if (n.proc.exitCode === null && n.proc.signalCode === null) n.proc.kill('SIGTERM');
    ends.push(await n.exited);
  }
  if (pg) await pg.stop();
  if (tmp && !process.env.ALLIANCE_TEST_KEEP) await rm(tmp, { recursive: true, force: true });
  // the node left running stops cleanly; no sanitizer report from either
  if (ends.length) assert.deepEqual(ends[0], { code: 0, signal: null }, nodes[0].log().slice(-3000));
  for (const n of nodes) assert.doesNotMatch(n.log(), /AddressSanitizer|runtime error:/, n.log().slice(-5000));
});

/** Waits (30 s at most) until no mail is queued in the outbox. */
async function outboxDrained() {
  for (let i = 0; i < 300; i++) {
    if ((await pg.sql(url, "SELECT count(*) FROM outbox WHERE status = 'queued'")).trim() === '0') return;
    await sleep(100);
  }
  assert.fail('mail still queued after 30 s');
}

/** Which node answered a request through the balancer: 0 or 1. */
function nodeOf(res) {
  const addr = res.headers.get('x-node') || '';
  const i = nodes.findIndex((n) => addr.endsWith(`:${n.port}`));
  assert.ok(i >= 0, `no X-Node of ours: '${addr}'`);
  return i;
}

/** The form of a level on /admin/levels as fields (levels.test.mjs). */
function levelForm(html, id) {
  const esc = `/admin/levels/${id}`.replace(/\//g, '\\/');
  const form = new RegExp(`<form\\b[^>]*action="${esc}"[\\s\\S]*?</form>`).exec(html)?.[0];
  assert.ok(form, `no form for level ${id}`);
  const out = {};
  for (const m of form.matchAll(/<input\b[^>]*>/g)) {
    const name = /name="([^"]*)"/.exec(m[0])?.[1];
    if (!name) continue;
    if (/type="checkbox"/.test(m[0])) {
      if (/\bchecked\b/.test(m[0])) out[name] = '1';
    } else {
      out[name] = unescapeHtml(/value="([^"]*)"/.exec(m[0])?.[1] ?? '')
        .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
    }
  }
  for (const m of form.matchAll(/<textarea\b[^>]*name="([^"]*)"[^>]*>([\s\S]*?)<\/textarea>/g)) {
    out[m[1]] = unescapeHtml(m[2]).replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  }
  for (const m of form.matchAll(/<select\b[^>]*name="([^"]*)"[^>]*>([\s\S]*?)<\/select>/g)) {
    const sel = /<option\b[^>]*value="([^"]*)"[^>]*\bselected\b/.exec(m[2]);
    if (sel) out[m[1]] = unescapeHtml(sel[1]);
  }
  return out;
}

/** A contact form filled in, with the page's hidden fields, from browser b. */
async function contactFields(b, email, message) {
  const page = await b.html('/contact');
  const select = /<select\b[^>]*\bname="subject"[^>]*>([\s\S]*?)<\/select>/.exec(page);
  return {
    ...hiddenFields(page, '/contact'), name: 'Node Tester', email, organisation: '', message,
    subject: select ? unescapeHtml([...select[1].matchAll(/<option\b[^>]*\bvalue="([^"]+)"/g)][0][1]) : 'Hello',
  };
}

describe('two nodes behind nginx on one PostgreSQL database', () => {
  test('signed in through the balancer, and signed in whichever node answers', async (t) => {
    if (whyNot) return t.skip(whyNot);
    ({ browser: admin } = await personWithRole({ url: nginx.url, dataDir }, { role: 'admin' }));
    const seen = new Set();
    for (let i = 0; i < 12; i++) {
      const res = await admin.get('/account');
      await res.arrayBuffer();
      assert.equal(res.status, 200, `request ${i} answered ${res.status} by node ${nodeOf(res)}`);
      seen.add(nodeOf(res));
    }
    assert.deepEqual([...seen].sort(), [0, 1], 'round robin: both nodes answered');
  });

  test("a form's CSRF token from one node is taken by the other", async (t) => {
    if (whyNot) return t.skip(whyNot);
    const direct = [0, 1].map((i) => { const b = admin.clone(); b.base = nodes[i].url; return b; });
    const page = await direct[0].html('/admin/levels');
    const action = '/admin/levels/3';
    const res = await direct[1].post(action, { ...hiddenFields(page, action), ...levelForm(page, 3) });
    assert.equal(res.status, 303, await res.text());
    // and a visitor's token (the contact form's) too
    const visitor = new Browser(nodes[1].url);
    const fields = await contactFields(visitor, 'csrf-check@example.org', 'From one node to the other');
    visitor.base = nodes[0].url;
    const sent = await visitor.post('/contact', fields);
    assert.equal(sent.status, 303, await sent.text());
  });

  test("the contact form's limit per address counts on both nodes together", async (t) => {
    if (whyNot) return t.skip(whyNot);
    const email = 'limited@example.org';
    const statuses = [];
    for (let i = 0; i < 6; i++) {
      const b = new Browser(nodes[i % 2].url);
      const res = await b.post('/contact', await contactFields(b, email, `Message ${i}`));
      await res.arrayBuffer();
      statuses.push(res.status);
    }
    // five an hour per address: each node alone has seen three
    assert.deepEqual(statuses, [303, 303, 303, 303, 303, 429]);
  });

  test('a change made through one node is on the next page from the other', async (t) => {
    if (whyNot) return t.skip(whyNot);
    const visitor = new Browser(nodes[1].url);
    const before = mainOf(await visitor.html('/benefits'));
    assert.equal(mainOf(await visitor.html('/benefits')), before, 'cached, unchanged');
    const a = admin.clone();
    a.base = nodes[0].url;
    const page = await a.html('/admin/levels');
    const action = '/admin/levels/2';
    const name = `Associate member ${Date.now()}`;
    const res = await a.post(action, { ...hiddenFields(page, action), ...levelForm(page, 2), name });
    assert.equal(res.status, 303, await res.text());
    // node 1 learns node 0's new generation from PostgreSQL's NOTIFY,
    // sent at the commit, before node 0 answered: on this machine it is
    // there for the next page; a busy machine may run node 1's listener
    // a little later, so the page may be asked again for up to 5 s
    const deadline = Date.now() + 5000;
    let after = mainOf(await visitor.html('/benefits'));
    let again = 0;
    while (!after.includes(name) && Date.now() < deadline) {
      await new Promise((ok) => setTimeout(ok, 20));
      after = mainOf(await visitor.html('/benefits'));
      again++;
    }
    t.diagnostic(`the new page after ${again} more pages`);
    assert.ok(after.includes(name), 'node 1 still shows the old page after 5 s');
  });

  test('a document sent through one node downloads through the other', async (t) => {
    if (whyNot) return t.skip(whyNot);
    const visitor = new Browser(nodes[0].url);
    const fields = await contactFields(visitor, 'document@example.org', 'A document for both nodes');
    const fd = new FormData();
    for (const [k, v] of Object.entries(fields)) fd.append(k, v);
    const bytes = Buffer.from(`report from node 0, ${Date.now()}\n\u0000\u00ff`, 'latin1');
    fd.append('attachment', new Blob([bytes], { type: 'application/pdf' }), 'report.pdf');
    const sent = visitor.keep(await fetch(`${nodes[0].url}/contact`, {
      method: 'POST', redirect: 'manual', body: fd, headers: visitor.headers(),
    }));
    assert.equal(sent.status, 303, await sent.text());
    const id = (await pg.sql(url, "SELECT id FROM contact_messages WHERE message = 'A document for both nodes'")).trim();
    assert.ok(id);
    const b = admin.clone();
    b.base = nodes[1].url;
    const res = await b.get(`/admin/messages/${id}/document`);
    assert.equal(res.status, 200);
    assert.deepEqual(Buffer.from(await res.arrayBuffer()), bytes);
  });

  test('the membership reminder goes once; each daily job is run by one runner, once', async (t) => {
    if (whyNot) return t.skip(whyNot);
    const email = `contact-${process.pid}@example.org`;
    const end = new Date(Date.now() + 7 * 86400_000).toISOString().slice(0, 10);
    await pg.sql(url, `
      INSERT INTO organisations (slug, name, name_key, created_at)
        VALUES ('reminded-ngo', 'Reminded NGO', 'reminded ngo', 0);
      INSERT INTO people (email, name, role, created_at)
        VALUES ('${email}', 'Rita Reminded', 'member', 0);
      INSERT INTO representatives (organisation_id, person_id, main_contact)
        SELECT o.id, p.id, 1 FROM organisations o, people p
        WHERE o.slug = 'reminded-ngo' AND p.email = '${email}';
      INSERT INTO memberships (level_id, organisation_id, state, state_since,
          period_start, period_end, created_at)
        SELECT l.id, o.id, 'active', '2026-01-01', '2026-01-01', '${end}', 0
        FROM membership_levels l, organisations o
        WHERE l.slug = 'associate' AND o.slug = 'reminded-ngo';
      INSERT INTO jobs (kind, payload, run_at, created_at)
        SELECT 'members.daily', '', 0, 0 FROM generate_series(1, 12);`);
    const ids = (await pg.sql(url, "SELECT id FROM jobs WHERE kind = 'members.daily' AND run_at = 0 ORDER BY id"))
      .split('\n').filter(Boolean);
    assert.equal(ids.length, 12);
    let left;
    for (let i = 0; i < 600; i++) {
      left = Number((await pg.sql(url, `SELECT count(*) FROM jobs WHERE id IN (${ids.join(',')})`
        + " AND status <> 'done'")).trim());
      if (left === 0) break;
      await sleep(100);
    }
    assert.equal(left, 0, `daily jobs not done:\n${nodes[0].log().slice(-2000)}\n${nodes[1].log().slice(-2000)}`);
    assert.equal((await pg.sql(url, `SELECT count(*) FROM jobs WHERE id IN (${ids.join(',')}) AND attempts <> 1`)).trim(), '0');
    // every job's "done" line is in exactly one node's log, once
    const runs = ids.map((id) => nodes.reduce((n, node) =>
      n + [...node.log().matchAll(new RegExp(`job ${id} members\\.daily: done`, 'g'))].length, 0));
    assert.deepEqual(runs, ids.map(() => 1));
    const byNode = nodes.map((node) => ids.filter((id) => node.log().includes(`job ${id} members.daily: done`)).length);
    t.diagnostic(`daily jobs run by node 0: ${byNode[0]}, node 1: ${byNode[1]}`);
    await outboxDrained();
    const mails = await mailsTo(dataDir, email);
    assert.equal(mails.length, 1, mails.map((m) => m.msg.decoded.subject).join('\n'));
  });

  test('the outbox is delivered once: one file per sent row', async (t) => {
    if (whyNot) return t.skip(whyNot);
    await outboxDrained();
    const files = await outbox(dataDir);
    const sent = Number((await pg.sql(url, "SELECT count(*) FROM outbox WHERE status = 'sent'")).trim());
    assert.ok(sent > 0);
    assert.equal(files.length, sent);
    assert.equal(new Set(files.map((f) => f.id)).size, files.length);
  });

  test('the same organisation name imported on both nodes at once is refused on one', async (t) => {
    if (whyNot) return t.skip(whyNot);
    const name = `Twin Organisation ${process.pid}`;
    const post = async (i) => {
      const b = admin.clone();
      b.base = nodes[i].url;
      const page = await b.html('/admin/import');
      const fd = new FormData();
      fd.append('csrf', unescapeHtml(/name="csrf" value="([^"]*)"/.exec(page)[1]));
      fd.append('kind', 'organisations');
      fd.append('file', new Blob([`name,country\n${name},AT\n`], { type: 'text/csv' }), 'twin.csv');
      return { fd, b };
    };
    const forms = await Promise.all([post(0), post(1)]);
    const answers = await Promise.all(forms.map(({ fd, b }) => fetch(`${b.base}/admin/import`, {
      method: 'POST', redirect: 'manual', body: fd, headers: b.headers(),
    }).then(async (res) => ({ status: res.status, text: await res.text() }))));
    const statuses = answers.map((a) => a.status).sort();
    assert.deepEqual(statuses, [200, 422], answers.map((a) => a.text.slice(0, 300)).join('\n'));
    assert.match(answers.find((a) => a.status === 422).text, /exists already/);
    assert.equal((await pg.sql(url, `SELECT count(*) FROM organisations WHERE name = '${name}'`)).trim(), '1');
  });

  test('one node killed, the balancer keeps serving from the other', async (t) => {
    if (whyNot) return t.skip(whyNot);
    nodes[1].proc.kill('SIGKILL');
    await nodes[1].exited;
    for (let i = 0; i < 10; i++) {
      const res = await fetch(`${nginx.url}/`);
      await res.arrayBuffer();
      assert.equal(res.status, 200);
      assert.equal(nodeOf(res), 0);
      const acc = await admin.get('/account');
      await acc.arrayBuffer();
      assert.equal(acc.status, 200, 'still signed in');
    }
  });
});
