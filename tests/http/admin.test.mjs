// admin.test.mjs -- black-box tests of the secretariat's pages (src/admin,
// and the people list of src/accounts/people.c): who may open them, what
// each shows, the role change with its audit record and the
// last-administrator rule, contact messages marked handled, CSRF and
// input validation.  One real server on a fresh database; people are made
// with the `alliance user add` command, which prints a one-time sign-in
// link, and sign in through that link as a browser would.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { startServer, allianceBin } from '../lib/server.mjs';
import { allianceEnv } from '../lib/testdb.mjs';

let srv;
let admin;   // a signed-in administrator (Browser)
let member;  // a signed-in member (Browser)
let memberId;
let adminId;

const FORM_CT = { 'content-type': 'application/x-www-form-urlencoded' };

const unescapeHtml = (v) => v.replace(/&quot;/g, '"').replace(/&#39;|&#x27;/g, "'")
  .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** The hidden inputs of the first form in html that posts to action (or of
 * every form when action is null), as {name: value}. */
function hiddenFields(html, action = null) {
  let scope = html;
  if (action) {
    const re = new RegExp(`<form\\b[^>]*action="${action.replace(/[/?]/g, '\\$&')}"[\\s\\S]*?</form>`, 'i');
    const m = re.exec(html);
    assert.ok(m, `no form posting to ${action}`);
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

/** The <main> of a page, so the layout's own links do not count. */
const mainOf = (html) => /<main\b[\s\S]*<\/main>/.exec(html)?.[0] ?? '';

/** A browser: a cookie jar and no automatic redirects. */
class Browser {
  constructor(base) {
    this.base = base;
    this.jar = new Map();
  }

  headers(extra = {}) {
    const h = { ...extra };
    if (this.jar.size) h.cookie = [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
    return h;
  }

  keep(res) {
    for (const c of res.headers.getSetCookie()) {
      const [pair, ...attrs] = c.split(';');
      const i = pair.indexOf('=');
      const name = pair.slice(0, i).trim();
      const value = pair.slice(i + 1).trim();
      if (value === '' || attrs.some((a) => /^\s*max-age=0\s*$/i.test(a))) this.jar.delete(name);
      else this.jar.set(name, value);
    }
    return res;
  }

  async get(path, headers = {}) {
    return this.keep(await fetch(this.base + path,
      { redirect: 'manual', headers: this.headers(headers) }));
  }

  async post(path, fields, headers = {}) {
    return this.keep(await fetch(this.base + path, {
      method: 'POST', redirect: 'manual', body: new URLSearchParams(fields).toString(),
      headers: this.headers({ ...FORM_CT, ...headers }),
    }));
  }

  /** GET path, assert 200, resolve to its HTML. */
  async html(path) {
    const res = await this.get(path);
    const body = await res.text();
    assert.equal(res.status, 200, `GET ${path}: ${body.slice(0, 500)}`);
    return body;
  }

  /** The CSRF token forms carry, read from a page with a form. */
  async csrf(path = '/admin/people') {
    const token = hiddenFields(await this.html(path)).csrf;
    assert.ok(token, `no csrf field on ${path}`);
    return token;
  }
}

/** Runs `alliance ARGS... --data <the server's data folder>`. */
function cli(args) {
  return new Promise((ok, fail) => {
    execFile(allianceBin(), [...args, '--data', srv.dataDir],
      { timeout: 30_000, env: allianceEnv(srv.dataDir) },
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

/** Makes a person with `alliance user add` and signs them in through the
 * one-time link it prints: resolves to a signed-in Browser. */
async function signedIn(email, name, role) {
  const { stdout } = await cli(['user', 'add', email, '--name', name, '--role', role]);
  const m = /\/signin\/link\?token=([A-Za-z0-9_-]+)/.exec(stdout);
  assert.ok(m, `no sign-in link in the output of alliance user add:\n${stdout}`);
  const b = new Browser(srv.url);
  const page = await b.html(`/signin/link?token=${m[1]}`);
  const fields = hiddenFields(page, '/signin/link');
  assert.equal(fields.token, m[1]);
  const res = await b.post('/signin/link', fields);
  assert.equal(res.status, 303, `signing in with the link: ${await res.text()}`);
  assert.ok(b.jar.size > 0, 'no session cookie after the sign-in link');
  return b;
}

/** The id of the person with this address, read from the people list. */
async function personId(b, email) {
  const html = await b.html(`/admin/people?q=${encodeURIComponent(email)}`);
  const m = /action="\/admin\/people\/(\d+)\/role"/.exec(html);
  assert.ok(m, `${email} is not in the people list`);
  return Number(m[1]);
}

/** The role selected in a person's row of the people list. */
async function roleOf(b, email) {
  const html = await b.html(`/admin/people?q=${encodeURIComponent(email)}`);
  const m = /<select id="role-\d+" name="role">[\s\S]*?<option value="(\w+)" selected>/.exec(html);
  assert.ok(m, `no role shown for ${email}`);
  return m[1];
}

before(async () => {
  srv = await startServer();
  admin = await signedIn('root@example.org', 'Rosa Root', 'admin');
  member = await signedIn('mia@example.org', 'Mia Member', 'member');
  adminId = await personId(admin, 'root@example.org');
  memberId = await personId(admin, 'mia@example.org');
});

after(async () => { if (srv) await srv.stop(); });

const PAGES = ['/admin', '/admin/people', '/admin/outbox', '/admin/audit', '/admin/messages'];

describe('who may open the secretariat pages', () => {
  test('a visitor asking for HTML is sent to sign in, with the page to come back to', async () => {
    const visitor = new Browser(srv.url);
    for (const path of PAGES) {
      const res = await visitor.get(path);
      assert.equal(res.status, 303, `${path}: ${res.status}`);
      assert.equal(new URL(res.headers.get('location'), srv.url).pathname, '/signin', path);
      assert.equal(new URL(res.headers.get('location'), srv.url).searchParams.get('next'), path);
    }
  });

  test('a visitor asking the API gets 401 in JSON', async () => {
    const visitor = new Browser(srv.url);
    for (const path of PAGES) {
      const res = await visitor.get(`/api/v1${path}`);
      assert.equal(res.status, 401, `/api/v1${path}`);
      assert.match(res.headers.get('content-type'), /application\/json/);
      assert.equal((await res.json()).error.status, 401);
    }
  });

  test('a visitor cannot post a role change, even with a valid CSRF token (401)', async () => {
    const visitor = new Browser(srv.url);
    const token = await visitor.csrf('/signin');
    const res = await visitor.post(`/admin/people/${memberId}/role`, { csrf: token, role: 'admin' });
    assert.equal(res.status, 401);
    assert.equal(await roleOf(admin, 'mia@example.org'), 'member');
  });

  test('a member gets 403 on every page and on the role change', async () => {
    for (const path of PAGES) {
      const res = await member.get(path);
      assert.equal(res.status, 403, `${path}: ${res.status}`);
      await res.arrayBuffer();
    }
    const token = await member.csrf('/account');
    const res = await member.post(`/admin/people/${memberId}/role`, { csrf: token, role: 'admin' });
    assert.equal(res.status, 403);
    assert.equal(await roleOf(admin, 'mia@example.org'), 'member', 'the member promoted themself');
  });

  test('admin pages are personal: Cache-Control no-store', async () => {
    for (const path of PAGES) {
      const res = await admin.get(path);
      assert.equal(res.status, 200, path);
      assert.match(res.headers.get('cache-control') ?? '', /no-store/, path);
      await res.arrayBuffer();
    }
  });
});

describe('the dashboard', () => {
  test('counts people by role and links to its lists and to the people waiting for an invitation', async () => {
    const res = await admin.get('/api/v1/admin');
    assert.equal(res.status, 200);
    const { counts } = await res.json();
    assert.ok(counts.admins >= 1, `admins: ${counts.admins}`);
    assert.ok(counts.members >= 1, `members: ${counts.members}`);
    for (const k of ['editors', 'unverified', 'outbox_queued', 'outbox_failed', 'messages_open']) {
      assert.equal(typeof counts[k], 'number', k);
    }
    const html = mainOf(await admin.html('/admin'));
    assert.equal((html.match(/<h1\b/g) || []).length, 1, 'one <h1>');
    // the people desk is the accounts module's: its tile, not src/admin, links to it
    for (const href of ['/admin/people?state=never', '/admin/outbox', '/admin/audit']) {
      assert.ok(html.includes(`href="${href}"`), `no link to ${href}`);
    }
    assert.match(html, /<th scope="row">/);
  });

  test('says that notices to the secretariat are not sent while mail_from cannot receive mail', async () => {
    // this server runs with the default mail_from, secretariat@localhost
    assert.equal((await (await admin.get('/api/v1/admin')).json()).secretariat_unreachable, true);
    const overview = mainOf(await admin.html('/admin'));
    assert.match(overview, /Notices to the secretariat .* are not being sent: the setting <code>mail_from<\/code>/);
    // the example setting escaped once: a reader sees <secretariat@...>
    assert.match(overview, /<code>ALLIANCE_MAIL_FROM=&quot;Alliance secretariat &lt;secretariat@example\.org&gt;&quot;<\/code>/);
  });
});

describe('people', () => {
  test('the list shows name, e-mail, organisations, account, role and creation time', async () => {
    const html = mainOf(await admin.html('/admin/people'));
    for (const col of ['Name', 'Email', 'Organisations and roles', 'Account', 'Role', 'Created']) {
      assert.ok(html.includes(`<th scope="col">${col}</th>`), `no column ${col}`);
    }
    assert.ok(html.includes('root@example.org') && html.includes('mia@example.org'));
    assert.ok(html.includes('Mia Member'));
    assert.match(html, /<time datetime="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ">/);
    // every input has its label
    for (const m of html.matchAll(/<(?:input|select)\b[^>]*\bid="([^"]+)"/g)) {
      assert.ok(html.includes(`for="${m[1]}"`), `no label for #${m[1]}`);
    }
  });

  test('search is by name or e-mail prefix', async () => {
    let html = mainOf(await admin.html('/admin/people?q=mia'));
    assert.ok(html.includes('mia@example.org') && !html.includes('root@example.org'));
    html = mainOf(await admin.html('/admin/people?q=Member'));   // a later word of the name
    assert.ok(html.includes('mia@example.org'));
    html = mainOf(await admin.html('/admin/people?q=ROOT%40'));  // case does not matter
    assert.ok(html.includes('root@example.org') && !html.includes('mia@example.org'));
    html = mainOf(await admin.html('/admin/people?q=example.org'));  // not a prefix
    assert.ok(!html.includes('mia@example.org'), 'the search matched inside the address');
  });

  test('LIKE wildcards in the search are plain characters', async () => {
    for (const q of ['%', '_', '%25', 'm_a', 'mi%']) {
      const res = await admin.get(`/api/v1/admin/people?q=${encodeURIComponent(q)}`);
      assert.equal(res.status, 200, q);
      const body = await res.json();
      assert.equal(body.total, 0, `q=${q} matched ${body.total}`);
      assert.deepEqual(body.people, []);
    }
  });

  test('filter by role and by confirmation', async () => {
    let body = await (await admin.get('/api/v1/admin/people?role=admin')).json();
    assert.ok(body.people.length >= 1);
    assert.ok(body.people.every((p) => p.role === 'admin'), JSON.stringify(body.people));
    body = await (await admin.get('/api/v1/admin/people?verified=yes')).json();
    assert.ok(body.people.some((p) => p.email === 'mia@example.org'), 'signed in by link = confirmed');
  });

  test('bad filters are refused with 422', async () => {
    for (const q of ['role=boss', 'page=0', 'page=abc', 'verified=maybe', `q=${'x'.repeat(300)}`]) {
      const res = await admin.get(`/admin/people?${q}`);
      assert.equal(res.status, 422, q);
      await res.arrayBuffer();
    }
  });

  test('names are escaped, never markup', async () => {
    await signedIn('odd@example.org', '<b>Bold</b> & "Quoted"', 'member');
    const html = mainOf(await admin.html('/admin/people?q=odd'));
    assert.ok(!html.includes('<b>Bold</b>'), 'a name reached the page as markup');
    assert.ok(html.includes('&lt;b&gt;Bold&lt;/b&gt; &amp;'), 'the name is not shown escaped');
  });
});

describe('roles', () => {
  test('an administrator sets a role; the change is in the audit log with before and after', async () => {
    const token = await admin.csrf();
    const res = await admin.post(`/admin/people/${memberId}/role`, { csrf: token, role: 'editor' });
    assert.equal(res.status, 303, await res.text());
    const back = new URL(res.headers.get('location'), srv.url);
    assert.equal(back.pathname, '/admin/people');
    const page = await admin.html(back.pathname + back.search);
    assert.match(page, /class="notice"/);
    assert.equal(await roleOf(admin, 'mia@example.org'), 'editor');

    const api = await (await admin.get(
      `/api/v1/admin/audit?action=person.role.set&object_type=person&object_id=${memberId}`)).json();
    assert.equal(api.entries.length, 1, JSON.stringify(api.entries));
    const e = api.entries[0];
    assert.deepEqual(e.before, { role: 'member' });
    assert.deepEqual(e.after, { role: 'editor' });
    assert.equal(e.actor, adminId);
    assert.equal(e.actor_name, 'Rosa Root');

    // the HTML shows them as key: value lists
    const html = mainOf(await admin.html(`/admin/audit?object_type=person&object_id=${memberId}`));
    assert.ok(html.includes('person.role.set'));
    assert.ok(html.includes('<dt>role</dt><dd>member</dd>'), 'before not shown as key: value');
    assert.ok(html.includes('<dt>role</dt><dd>editor</dd>'), 'after not shown as key: value');
    assert.ok(html.includes('Rosa Root'));

    // put it back for the other tests
    const again = await admin.post(`/admin/people/${memberId}/role`, { csrf: token, role: 'member' });
    assert.equal(again.status, 303);
  });

  test('the role change needs the CSRF token (403) and changes nothing without it', async () => {
    const res = await admin.post(`/admin/people/${memberId}/role`, { role: 'admin' });
    assert.equal(res.status, 403);
    const wrong = await admin.post(`/admin/people/${memberId}/role`, { role: 'admin', csrf: 'x'.repeat(64) });
    assert.equal(wrong.status, 403);
    assert.equal(await roleOf(admin, 'mia@example.org'), 'member');
  });

  test('an unknown role is 422, an unknown person 404', async () => {
    const token = await admin.csrf();
    let res = await admin.post(`/admin/people/${memberId}/role`, { csrf: token, role: 'owner' });
    assert.equal(res.status, 422);
    res = await admin.post(`/admin/people/${memberId}/role`, { csrf: token });
    assert.equal(res.status, 422);
    res = await admin.post('/admin/people/999999/role', { csrf: token, role: 'editor' });
    assert.equal(res.status, 404);
    res = await admin.post('/admin/people/abc/role', { csrf: token, role: 'editor' });
    assert.equal(res.status, 404);
  });

  test('the last administrator cannot give up the role (409), and stays one', async () => {
    const token = await admin.csrf();
    // first make this administrator the only one (init makes one too)
    const others = (await (await admin.get('/api/v1/admin/people?role=admin')).json()).people
      .filter((p) => p.id !== adminId);
    for (const p of others) {
      const res = await admin.post(`/admin/people/${p.id}/role`, { csrf: token, role: 'member' });
      assert.equal(res.status, 303, `demoting ${p.email}`);
    }
    const counts = (await (await admin.get('/api/v1/admin')).json()).counts;
    assert.equal(counts.admins, 1);

    const before = await (await admin.get('/api/v1/admin/audit?action=person.role.set')).json();
    const res = await admin.post(`/admin/people/${adminId}/role`, { csrf: token, role: 'member' });
    assert.equal(res.status, 409);
    assert.match(await res.text(), /last administrator/);
    assert.equal(await roleOf(admin, 'root@example.org'), 'admin');
    const afterList = await (await admin.get('/api/v1/admin/audit?action=person.role.set')).json();
    assert.equal(afterList.entries.length, before.entries.length, 'a refused change was audited');
  });

  test('with a second administrator, one may step down and loses the pages', async () => {
    const second = await signedIn('second@example.org', 'Sam Second', 'admin');
    const secondId = await personId(admin, 'second@example.org');
    const token = await second.csrf();
    const res = await second.post(`/admin/people/${secondId}/role`, { csrf: token, role: 'member' });
    assert.equal(res.status, 303);
    assert.equal(new URL(res.headers.get('location'), srv.url).pathname, '/account');
    const gone = await second.get('/admin');
    assert.equal(gone.status, 403);
    assert.equal(await roleOf(admin, 'second@example.org'), 'member');
  });
});

describe('the outbox', () => {
  test('lists the confirmation mail of a sign-up', async () => {
    const visitor = new Browser(srv.url);
    const form = hiddenFields(await visitor.html('/signup'), '/signup');
    const res = await visitor.post('/signup', {
      ...form, name: 'Nadia New', email: 'nadia@example.org',
      password: 'a long enough password', consent: '1',
    });
    assert.equal(res.status, 303, await res.text());

    const html = mainOf(await admin.html('/admin/outbox'));
    for (const col of ['Recipient', 'Subject', 'Status', 'Attempts', 'Last error', 'Created', 'Sent', 'File']) {
      assert.ok(html.includes(`<th scope="col">${col}</th>`), `no column ${col}`);
    }
    assert.ok(html.includes('nadia@example.org'), 'the confirmation mail is not listed');
    assert.ok(html.includes('Confirm your address'));
    const api = await (await admin.get('/api/v1/admin/outbox')).json();
    const mail = api.messages.find((m) => m.to_addr === 'nadia@example.org');
    assert.ok(mail, JSON.stringify(api.messages));
    assert.match(mail.status, /^(queued|sent|failed)$/);
  });

  test('a bad page number is 422', async () => {
    const res = await admin.get('/admin/outbox?page=-1');
    assert.equal(res.status, 422);
  });
});

describe('the audit log', () => {
  test('has a labelled filter form and validates it (bad date: 422)', async () => {
    const html = mainOf(await admin.html('/admin/audit'));
    for (const f of ['actor', 'action', 'object_type', 'object_id', 'since', 'until']) {
      assert.ok(html.includes(`for="${f}"`) && html.includes(`id="${f}"`), `no labelled ${f}`);
    }
    for (const q of ['since=2026-02-30', 'until=yesterday', 'actor=someone', 'page=0',
      `action=${'a'.repeat(200)}`]) {
      const res = await admin.get(`/admin/audit?${q}`);
      assert.equal(res.status, 422, q);
      await res.arrayBuffer();
    }
    const res = await admin.get('/api/v1/admin/audit?since=2026-13-01');
    assert.equal(res.status, 422);
    assert.ok((await res.json()).error.fields.since);
  });

  test('filters by action prefix, person and dates', async () => {
    let body = await (await admin.get('/api/v1/admin/audit?action=person.')).json();
    assert.ok(body.entries.length > 0);
    assert.ok(body.entries.every((e) => e.action.startsWith('person.')));
    body = await (await admin.get(`/api/v1/admin/audit?actor=${adminId}`)).json();
    assert.ok(body.entries.length > 0 && body.entries.every((e) => e.actor === adminId));
    const today = new Date().toISOString().slice(0, 10);
    body = await (await admin.get(`/api/v1/admin/audit?since=${today}&until=${today}`)).json();
    assert.ok(body.entries.length > 0, 'nothing today');
    body = await (await admin.get('/api/v1/admin/audit?until=2000-01-01')).json();
    assert.equal(body.entries.length, 0);
  });

  test('pages hold 50 entries and link to the next page with the filters kept', async () => {
    const token = await admin.csrf();
    for (let i = 0; i < 26; i++) {
      for (const role of ['editor', 'member']) {
        const res = await admin.post(`/admin/people/${memberId}/role`, { csrf: token, role });
        assert.equal(res.status, 303);
      }
    }
    const filter = `action=person.role.set&object_id=${memberId}`;
    const first = await (await admin.get(`/api/v1/admin/audit?${filter}`)).json();
    assert.equal(first.entries.length, 50);
    assert.ok(first.pager.next_href, 'no next page');
    const next = new URL(first.pager.next_href, srv.url);
    assert.equal(next.searchParams.get('action'), 'person.role.set');
    assert.equal(next.searchParams.get('page'), '2');
    const second = await (await admin.get(`/api/v1${next.pathname}${next.search}`)).json();
    assert.ok(second.entries.length >= 2, `page 2 has ${second.entries.length}`);
    assert.equal(second.pager.next_href, null);
    const ids = new Set(first.entries.map((e) => e.id));
    assert.ok(second.entries.every((e) => !ids.has(e.id)), 'pages overlap');
    const html = await admin.html(`/admin/audit?${filter}`);
    assert.match(html, /rel="next"/);
  });
});

describe('contact messages', () => {
  /** Sends the contact form as a visitor; resolves once it is stored. */
  async function sendContact(subjectText) {
    const visitor = new Browser(srv.url);
    const page = await visitor.html('/contact');
    const fields = hiddenFields(page, '/contact');
    // the subject may be a list: take its first offered choice
    const select = /<select\b[^>]*\bname="subject"[^>]*>([\s\S]*?)<\/select>/.exec(page);
    const subject = select
      ? unescapeHtml([...select[1].matchAll(/<option\b[^>]*\bvalue="([^"]+)"/g)][0][1])
      : subjectText;
    const res = await visitor.post('/contact', {
      ...fields, name: 'Ada <i>Example</i>', email: 'ada@example.org',
      organisation: 'Example NGO', subject,
      message: `${subjectText}\nsecond line <script>alert(1)</script>`,
    });
    assert.equal(res.status, 303, await res.text());
    return subject;
  }

  test('are listed newest first and marked handled with an audit record', async () => {
    await sendContact('First question');
    await sendContact('Second question');
    let html = mainOf(await admin.html('/admin/messages'));
    const first = html.indexOf('First question');
    const second = html.indexOf('Second question');
    assert.ok(first > 0 && second > 0, 'messages missing');
    assert.ok(second < first, 'not newest first');
    assert.ok(!html.includes('<script>alert(1)</script>'), 'message text reached the page as markup');
    assert.ok(!html.includes('<i>Example</i>'), 'a name reached the page as markup');

    const api = await (await admin.get('/api/v1/admin/messages?show=open')).json();
    const msg = api.messages.find((m) => m.message.startsWith('Second question'));
    assert.ok(msg && msg.handled_at === null);
    const token = hiddenFields(html, `/admin/messages/${msg.id}/handled`).csrf;
    assert.ok(token, 'no handled form with its csrf field');

    const noCsrf = await admin.post(`/admin/messages/${msg.id}/handled`, {});
    assert.equal(noCsrf.status, 403);

    const res = await admin.post(`/admin/messages/${msg.id}/handled`, { csrf: token });
    assert.equal(res.status, 303);
    const open = await (await admin.get('/api/v1/admin/messages?show=open')).json();
    assert.ok(!open.messages.some((m) => m.id === msg.id), 'still listed as open');
    const all = await (await admin.get('/api/v1/admin/messages')).json();
    assert.match(all.messages.find((m) => m.id === msg.id).handled_at, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);

    // a second click changes nothing and writes no second record
    const again = await admin.post(`/admin/messages/${msg.id}/handled`, { csrf: token });
    assert.equal(again.status, 303);
    const audit = await (await admin.get(
      `/api/v1/admin/audit?action=contact.handled&object_id=${msg.id}`)).json();
    assert.equal(audit.entries.length, 1);
    assert.equal(audit.entries[0].object_type, 'contact_message');
    assert.equal(audit.entries[0].actor, adminId);

    html = mainOf(await admin.html('/admin/messages'));
    assert.ok(!html.includes(`action="/admin/messages/${msg.id}/handled"`), 'handled message still has its button');
  });

  test('the document sent with a message downloads as it was sent, only by the secretariat', async () => {
    const visitor = new Browser(srv.url);
    const page = await visitor.html('/contact');
    const select = /<select\b[^>]*\bname="subject"[^>]*>([\s\S]*?)<\/select>/.exec(page);
    const fields = {
      ...hiddenFields(page, '/contact'), name: 'Doc Sender', email: 'doc@example.org',
      organisation: '', message: 'Document attached',
      subject: select ? unescapeHtml([...select[1].matchAll(/<option\b[^>]*\bvalue="([^"]+)"/g)][0][1]) : 'Doc',
    };
    const fd = new FormData();
    for (const [k, v] of Object.entries(fields)) fd.append(k, v);
    const bytes = Buffer.from([0x25, 0x50, 0x44, 0x46, 0x00, 0xff, 0x0a, 0x3c, 0x68, 0x31, 0x3e]);
    fd.append('attachment', new Blob([bytes], { type: 'text/html' }), 'Rapport "été" <1>.pdf');
    const sent = visitor.keep(await fetch(`${srv.url}/contact`, {
      method: 'POST', redirect: 'manual', body: fd, headers: visitor.headers(),
    }));
    assert.equal(sent.status, 303, await sent.text());
    const api = await (await admin.get('/api/v1/admin/messages')).json();
    const msg = api.messages.find((m) => m.message === 'Document attached');
    assert.ok(msg, 'message not stored');
    const html = mainOf(await admin.html('/admin/messages'));
    assert.ok(html.includes(`href="/admin/messages/${msg.id}/document"`), 'no link to the document');
    const res = await admin.get(`/admin/messages/${msg.id}/document`);
    assert.equal(res.status, 200);
    // always a download, whatever type the sender claimed; a tame name
    assert.equal(res.headers.get('content-type'), 'application/octet-stream');
    assert.match(res.headers.get('content-disposition'), /^attachment; filename="Rapport[\w.-]*\.pdf"$/);
    assert.deepEqual(Buffer.from(await res.arrayBuffer()), bytes);
    // members and visitors do not get it; a message without one is 404
    assert.notEqual((await member.get(`/admin/messages/${msg.id}/document`)).status, 200);
    assert.notEqual((await new Browser(srv.url).get(`/admin/messages/${msg.id}/document`)).status, 200);
    const none = api.messages.find((m) => m.attachment_name === null);
    assert.ok(none);
    assert.equal((await admin.get(`/admin/messages/${none.id}/document`)).status, 404);
    assert.equal((await admin.get('/admin/messages/999999/document')).status, 404);
  });

  test('an unknown message is 404, a bad filter 422', async () => {
    const token = await admin.csrf('/admin/messages');
    const res = await admin.post('/admin/messages/999999/handled', { csrf: token });
    assert.equal(res.status, 404);
    const bad = await admin.get('/admin/messages?show=everything');
    assert.equal(bad.status, 422);
  });
});
