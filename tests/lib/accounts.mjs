// accounts.mjs -- helpers for tests that need people: a cookie jar that acts
// like one browser, the hidden fields (CSRF token) of a form, the messages
// the server wrote to DATA/outbox/ and the links in them, SQL on the
// server's database (sqlite3 or psql, tests/lib/testdb.mjs), and ready-made
// people:
//
//   signUp()          through /signup and the confirmation link, as anyone
//                     would (so it counts against the sign-up mail limits)
//   personWithRole()  through `alliance user add --role`, its one-time
//                     sign-in link, and a password chosen on /account
//   signIn()          e-mail and password on /signin, in a fresh jar
//
// Nothing here knows how the server is built: only its pages, its outbox
// folder, its command line and its database.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { allianceBin } from './server.mjs';
import { parseMessage } from './smtp.mjs';
import { allianceEnv, sql as dbSql } from './testdb.mjs';

export const FORM_CT = { 'content-type': 'application/x-www-form-urlencoded' };

/** A password the server accepts (at least 12 characters). */
export const PASSWORD = 'correct horse battery staple';

/** HTML attribute text back to the value. */
export const unescapeHtml = (v) => v.replace(/&quot;/g, '"').replace(/&#39;|&#x27;/g, "'")
  .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** The <main> of a page, so the layout's own links and names do not count. */
export const mainOf = (html) => /<main\b[\s\S]*<\/main>/.exec(html)?.[0] ?? '';

/**
 * The hidden inputs of the first form in html posting to action (of every
 * form when action is null), as {name: value}.  Fails when no form posts
 * there.
 */
export function hiddenFields(html, action = null) {
  let scope = html;
  if (action) {
    const esc = action.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    const m = new RegExp(`<form\\b[^>]*action="${esc}"[\\s\\S]*?</form>`, 'i').exec(html);
    assert.ok(m, `no form posting to ${action} in:\n${mainOf(html) || html.slice(0, 2000)}`);
    scope = m[0];
  }
  const out = {};
  for (const m of scope.matchAll(/<input\b[^>]*>/gi)) {
    if (!/type="hidden"/i.test(m[0])) continue;
    const name = /name="([^"]*)"/i.exec(m[0])?.[1];
    const value = /value="([^"]*)"/i.exec(m[0])?.[1] ?? '';
    if (name) out[name] = unescapeHtml(value);
  }
  return out;
}

/** The csrf field of the form posting to action (of any form when null). */
export function formCsrf(html, action = null) {
  const token = hiddenFields(html, action).csrf;
  assert.ok(token, `no csrf field in the form posting to ${action ?? '(any)'}`);
  return token;
}

/** Set-Cookie lines of a fetch Response, parsed: [{name, value, attrs}]
 * with attrs lower-cased names ({httponly: true, 'max-age': '0', ...}). */
export function parseSetCookies(res) {
  return res.headers.getSetCookie().map((line) => {
    const [pair, ...rest] = line.split(';');
    const i = pair.indexOf('=');
    const attrs = {};
    for (const a of rest) {
      const j = a.indexOf('=');
      const k = (j < 0 ? a : a.slice(0, j)).trim().toLowerCase();
      attrs[k] = j < 0 ? true : a.slice(j + 1).trim();
    }
    return { name: pair.slice(0, i).trim(), value: pair.slice(i + 1).trim(), attrs, line };
  });
}

/**
 * One browser: a cookie jar, no automatic redirects.  get/post keep the
 * cookies each answer sets (a cookie set empty or with Max-Age=0 is
 * dropped); the last answer's parsed Set-Cookie lines are in lastCookies.
 */
export class Browser {
  constructor(base) {
    this.base = base;
    this.jar = new Map();
    this.lastCookies = [];
  }

  headers(extra = {}) {
    const h = { ...extra };
    if (this.jar.size && !('cookie' in h)) {
      h.cookie = [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
    }
    return h;
  }

  keep(res) {
    this.lastCookies = parseSetCookies(res);
    for (const c of this.lastCookies) {
      if (c.value === '' || c.attrs['max-age'] === '0') this.jar.delete(c.name);
      else this.jar.set(c.name, c.value);
    }
    return res;
  }

  /** A copy with the same cookies: the same browser, another request. */
  clone() {
    const b = new Browser(this.base);
    b.jar = new Map(this.jar);
    return b;
  }

  async get(path, headers = {}) {
    return this.keep(await fetch(this.base + path,
      { redirect: 'manual', headers: this.headers(headers) }));
  }

  /** POST fields (an object, or [[name, value], ...] for repeats) urlencoded. */
  async post(path, fields = {}, headers = {}) {
    return this.keep(await fetch(this.base + path, {
      method: 'POST', redirect: 'manual', body: new URLSearchParams(fields).toString(),
      headers: this.headers({ ...FORM_CT, ...headers }),
    }));
  }

  /** Any method with a raw body and headers. */
  async send(method, path, { body, headers = {} } = {}) {
    return this.keep(await fetch(this.base + path, {
      method, redirect: 'manual', body, headers: this.headers(headers),
    }));
  }

  /** GET path, assert 200, resolve to its HTML. */
  async html(path) {
    const res = await this.get(path);
    const body = await res.text();
    assert.equal(res.status, 200, `GET ${path}: ${res.status} ${res.headers.get('location') ?? ''} ${body.slice(0, 500)}`);
    return body;
  }

  /** GET the page at path and post its form to action with more fields,
   * the hidden fields (csrf, token) included as the page gave them. */
  async submit(path, action, fields = {}) {
    const page = await this.html(path);
    return this.post(action, { ...hiddenFields(page, action), ...fields });
  }
}

/** Runs `alliance ARGS... --data dataDir`; resolves to {stdout, stderr}. */
export function cli(dataDir, args, env = process.env) {
  return new Promise((ok, fail) => {
    execFile(allianceBin(), [...args, '--data', dataDir],
      { timeout: 30_000, env: allianceEnv(dataDir, env) },
      (err, stdout, stderr) => {
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
 * A statement on the server's database (sqlite3 on DATA/alliance.db, or
 * psql on its PostgreSQL database: tests/lib/testdb.mjs).  Resolves to the
 * rows as arrays of strings (columns split on '|').
 */
export const sql = dbSql;

/** One value from sql() (the first column of the first row), or null. */
export async function sqlValue(dataDir, statement) {
  const rows = await sql(dataDir, statement);
  return rows.length ? rows[0][0] : null;
}

/** A string as an SQL literal. */
export const sqlText = (s) => `'${String(s).replace(/'/g, "''")}'`;

/**
 * Every message in DATA/outbox/, oldest first (by outbox id):
 * [{file, id, raw, msg (parseMessage), to (the bare address, lower case),
 *   text (the decoded text/plain part)}].
 */
export async function outbox(dataDir) {
  let names;
  try {
    names = await readdir(join(dataDir, 'outbox'));
  } catch (e) {
    if (e.code === 'ENOENT') return [];
    throw e;
  }
  const out = [];
  for (const file of names) {
    const m = /-(\d+)\.eml$/.exec(file);
    if (!m) continue; // a temporary file being written
    const raw = await readFile(join(dataDir, 'outbox', file), 'utf8');
    const msg = parseMessage(raw);
    const to = (/<([^>]+)>/.exec(msg.decoded.to)?.[1] ?? msg.decoded.to).toLowerCase();
    const text = msg.parts.find((p) => /^text\/plain/i.test(p.contentType))?.text ?? '';
    out.push({ file, id: Number(m[1]), raw, msg, to, text });
  }
  return out.sort((a, b) => a.id - b.id);
}

/** The messages to address (any case) in DATA/outbox/, oldest first. */
export async function mailsTo(dataDir, address) {
  const a = address.toLowerCase();
  return (await outbox(dataDir)).filter((m) => m.to === a);
}

/**
 * Waits (up to timeoutMs) until address has more than `seen` messages in
 * DATA/outbox/ and resolves to the newest of those after the first `seen`
 * (with subject, the newest such message with that Subject).  Take `seen`
 * from mailsTo() before the action that sends the message.
 */
export async function nextMail(dataDir, address, seen, { subject = null, timeoutMs = 30_000 } = {}) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const list = (await mailsTo(dataDir, address)).slice(seen)
      .filter((m) => subject === null || m.msg.decoded.subject === subject);
    if (list.length > 0) return list[list.length - 1];
    if (Date.now() > end) {
      const all = (await outbox(dataDir)).map((m) => `${m.file} to ${m.to}: ${m.msg.decoded.subject}`);
      throw new Error(`no new message to ${address}${subject ? ` about "${subject}"` : ''} in ` +
        `${dataDir}/outbox within ${timeoutMs} ms (had ${seen}); the outbox holds:\n  ${all.join('\n  ')}`);
    }
    await sleep(100);
  }
}

/** Waits until the outbox table has nothing queued (every message written). */
export async function outboxDrained(dataDir, timeoutMs = 30_000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const queued = Number(await sqlValue(dataDir,
      "SELECT count(*) FROM outbox WHERE status <> 'sent'"));
    if (queued === 0) return;
    if (Date.now() > end) throw new Error(`${queued} messages still not sent after ${timeoutMs} ms`);
    await sleep(100);
  }
}

/**
 * The link to pathPrefix (say '/verify?token=') in a message's text part,
 * as a path with its query (the host in the message is the server's
 * base_url, which need not be where the test reaches it).
 */
export function linkIn(mail, pathPrefix) {
  const urls = [...mail.text.matchAll(/https?:\/\/[^\s<>"]+/g)].map((m) => new URL(m[0]));
  const hit = urls.find((u) => (u.pathname + u.search).startsWith(pathPrefix));
  assert.ok(hit, `no link to ${pathPrefix} in the message "${mail.msg.decoded.subject}":\n${mail.text}`);
  return hit.pathname + hit.search;
}

/** The token of a link path like /verify?token=XYZ. */
export const tokenOf = (path) => new URL(path, 'http://x').searchParams.get('token');

/** The id of the person with this address, from the database. */
export async function personId(dataDir, email) {
  const id = await sqlValue(dataDir, `SELECT id FROM people WHERE email = ${sqlText(email.toLowerCase())}`);
  assert.ok(id, `nobody has the address ${email}`);
  return Number(id);
}

let counter = 0;
/** A fresh address at example.org, unique within this process. */
export function uniqueEmail(prefix = 'person') {
  counter += 1;
  return `${prefix}-${process.pid}-${counter}@example.org`;
}

/**
 * Signs up through /signup as a browser would (csrf from the page, its
 * cookies), without confirming: resolves to {browser, response}.
 */
export async function postSignUp(srv, { name, email, password = PASSWORD, browser = null }) {
  const b = browser ?? new Browser(srv.url);
  const page = await b.html('/signup');
  const res = await b.post('/signup', {
    ...hiddenFields(page, '/signup'), name, email, password, consent: '1',
  });
  return { browser: b, response: res };
}

/**
 * Signs a person up through /signup, reads the confirmation link from the
 * outbox, opens it and posts its form with the password.  Resolves to {browser (signed in),
 * email, name, password, link}.
 */
export async function signUp(srv, { name = 'Sam Signup', email = uniqueEmail('signup'), password = PASSWORD } = {}) {
  const seen = (await mailsTo(srv.dataDir, email)).length;
  const { browser, response } = await postSignUp(srv, { name, email, password });
  assert.equal(response.status, 303, `POST /signup: ${await response.text()}`);
  assert.equal(response.headers.get('location'), '/signup/sent');
  const mail = await nextMail(srv.dataDir, email, seen);
  const link = linkIn(mail, '/verify?token=');
  // the password is chosen on the page the link opens
  const res = await browser.submit(link, '/verify', { password });
  assert.equal(res.status, 303, `POST /verify: ${await res.text()}`);
  assert.ok(browser.jar.has('session') || browser.jar.has('__Host-session'),
    'no session cookie after confirming the address');
  return { browser, email, name, password, link };
}

/**
 * Makes a person with `alliance user add EMAIL --name NAME --role ROLE`,
 * opens the one-time sign-in link it prints, posts its form, and chooses a
 * password on /account.  Resolves to {browser (signed in), email, name,
 * role, password}.
 */
export async function personWithRole(srv, { role = 'member', name = `Pat ${role}`, email = uniqueEmail(role), password = PASSWORD } = {}) {
  const { stdout } = await cli(srv.dataDir, ['user', 'add', email, '--name', name, '--role', role]);
  const m = /https?:\/\/\S+\/signin\/link\?token=[A-Za-z0-9_-]+/.exec(stdout);
  assert.ok(m, `no sign-in link in the output of alliance user add:\n${stdout}`);
  const u = new URL(m[0]);
  const b = new Browser(srv.url);
  const res = await b.submit(u.pathname + u.search, '/signin/link');
  assert.equal(res.status, 303, `POST /signin/link: ${await res.text()}`);
  if (password) {
    const r = await b.submit('/account', '/account/password', { password });
    assert.equal(r.status, 303, `choosing a password on /account: ${await r.text()}`);
    // this queues a notice ("Your password was changed"); a test that
    // counts this person's messages waits for outboxDrained() first
  }
  return { browser: b, email, name, role, password };
}

/** Signs in with e-mail and password in a fresh browser (asserts a 303). */
export async function signIn(srv, email, password = PASSWORD) {
  const b = new Browser(srv.url);
  const res = await b.submit('/signin', '/signin', { email, password });
  assert.equal(res.status, 303, `POST /signin as ${email}: ${res.status} ${await res.text()}`);
  return b;
}

/** Whether a browser is signed in: GET /account answers 200 (not 303). */
export async function isSignedIn(b) {
  const res = await b.get('/account');
  await res.arrayBuffer();
  assert.ok(res.status === 200 || res.status === 303, `GET /account: ${res.status}`);
  return res.status === 200;
}
