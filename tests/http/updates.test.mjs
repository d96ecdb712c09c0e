// updates.test.mjs -- updates by e-mail (src/updates/): the footer's
// "Sign up for updates" answers on every page; signing up mails a
// confirmation link (double opt-in) and the address is listed only once
// it is used; every letter carries an unsubscribe link that works without
// signing in, once and again harmlessly (also as a mail client's one-click
// POST); a known address gets the same answer; the limits per client and
// per address (429, Retry-After, the sentence beside the field); bad
// input is a 4xx; the account page; the secretariat's list and CSV, 403
// for others.  And the texts that promised what does not exist: the
// privacy policy (migration 0031, which leaves an edited policy alone)
// and the sign-up page.
//
// Clients are told apart by their address (127.0.0.N, as in
// limits.test.mjs), so each test's sign-ups count against its own limits.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { execFile } from 'node:child_process';
import { startServer, httpRequest } from '../lib/server.mjs';
import {
  Browser, hiddenFields, mainOf, sql, sqlValue, sqlText, uniqueEmail, mailsTo,
  nextMail, linkIn, personWithRole, outboxDrained,
} from '../lib/accounts.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { if (srv) await srv.stop(); });

let nextClient = 1;
const freshClient = () => `127.0.${Math.floor(++nextClient / 250)}.${(nextClient % 250) + 2}`;

/** fetch() from localAddress (redirects not followed); a Response. */
async function fetchFrom(localAddress, url, init = {}) {
  const req = new Request(url, init);
  const body = init.body === undefined ? null : Buffer.from(await req.arrayBuffer());
  const headers = Object.fromEntries(req.headers);
  if (body) headers['content-length'] = String(body.length);
  return new Promise((ok, fail) => {
    const r = http.request(url, { method: req.method, headers, localAddress }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const h = new Headers();
        for (let i = 0; i < res.rawHeaders.length; i += 2) h.append(res.rawHeaders[i], res.rawHeaders[i + 1]);
        ok(new Response(res.statusCode === 204 ? null : Buffer.concat(chunks), { status: res.statusCode, headers: h }));
      });
    });
    r.on('error', fail);
    r.end(body);
  });
}

/** A browser whose requests come from the loopback address `from`. */
class ClientBrowser extends Browser {
  constructor(base, from = freshClient()) { super(base); this.from = from; }
  async get(path, headers = {}) {
    return this.keep(await fetchFrom(this.from, this.base + path, { headers: this.headers(headers) }));
  }
  async post(path, fields = {}, headers = {}) {
    return this.keep(await fetchFrom(this.from, this.base + path, {
      method: 'POST', body: new URLSearchParams(fields).toString(),
      headers: this.headers({ 'content-type': 'application/x-www-form-urlencoded', ...headers }),
    }));
  }
}

/** Signs email up through the form as browser b; the POST's Response. */
async function signUp(b, email, name = '') {
  const page = await b.html('/updates/subscribe');
  return b.post('/updates/subscribe', { ...hiddenFields(page, '/updates/subscribe'), email, name });
}

const statusOf = (email) => sqlValue(srv.dataDir,
  `SELECT status FROM updates_subscribers WHERE email = ${sqlText(email)}`);

/** Signs up, reads the confirmation letter, opens its link and presses
 * the button.  Resolves to {mail, confirm, unsubscribe} (paths). */
async function subscribed(email, name = 'Una Update') {
  const b = new ClientBrowser(srv.url);
  const seen = (await mailsTo(srv.dataDir, email)).length;
  const res = await signUp(b, email, name);
  assert.equal(res.status, 303);
  const mail = await nextMail(srv.dataDir, email, seen);
  const confirm = linkIn(mail, '/updates/confirm?token=');
  const unsubscribe = linkIn(mail, '/updates/unsubscribe/');
  const page = await b.html(confirm);
  const done = await b.post('/updates/confirm', hiddenFields(page, '/updates/confirm'));
  assert.equal(done.status, 303);
  assert.equal(done.headers.get('location'), '/updates/confirmed');
  return { mail, confirm, unsubscribe, browser: b };
}

describe('the footer link', () => {
  test('every page links to the sign-up form, and it answers 200', async () => {
    const b = new Browser(srv.url);
    for (const path of ['/', '/about', '/privacy', '/contact', '/join', '/benefits',
      '/sponsor', '/directory', '/signup', '/signin', '/updates/subscribe', '/no-such-page']) {
      const res = await b.get(path);
      const html = await res.text();
      assert.match(html, /<footer[\s\S]*href="\/updates\/subscribe"/, `footer of ${path}`);
    }
    const res = await b.get('/updates/subscribe');
    assert.equal(res.status, 200);
    const main = mainOf(await res.text());
    assert.match(main, /No update has been sent yet/);
    assert.match(main, /href="\/privacy"/);
    assert.match(main, /We will write in English/);
  });
});

describe('double opt-in', () => {
  test('sign-up mails a link; the address is listed only once it is used', async () => {
    const email = uniqueEmail('opt');
    const b = new ClientBrowser(srv.url);
    const res = await signUp(b, email.toUpperCase(), 'Olga Opt');
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/updates/sent');
    assert.equal((await b.get('/updates/sent')).status, 200);
    const mail = await nextMail(srv.dataDir, email, 0);
    assert.match(mail.msg.decoded.subject, /confirm/i);
    // not confirmed yet: only the site's own words, not the name typed
    assert.match(mail.text, /^Hello,/);
    assert.doesNotMatch(mail.raw, /Olga/);
    assert.match(mail.text, /works for 7 days/);
    const unsub = linkIn(mail, '/updates/unsubscribe/');
    assert.ok(mail.msg.decoded['list-unsubscribe'].includes(unsub), 'List-Unsubscribe names the link');
    assert.match(mail.raw, /List-Unsubscribe-Post: List-Unsubscribe=One-Click/);
    assert.equal(await statusOf(email), 'pending');
    const nameOf = () => sqlValue(srv.dataDir,
      `SELECT coalesce(name, 'none') FROM updates_subscribers WHERE email = ${sqlText(email)}`);
    assert.equal(await nameOf(), 'none', 'the name waits for the confirmation');
    // the token is stored only as its digest
    const token = new URL(linkIn(mail, '/updates/confirm?token='), 'http://x').searchParams.get('token');
    assert.equal(await sqlValue(srv.dataDir,
      `SELECT count(*) FROM updates_links WHERE hash = ${sqlText(token)}`), '0');

    const link = linkIn(mail, '/updates/confirm?token=');
    const page = await b.html(link); // opening it confirms nothing
    assert.equal(await statusOf(email), 'pending');
    assert.match(mainOf(page), new RegExp(email));
    const done = await b.post('/updates/confirm', hiddenFields(page, '/updates/confirm'));
    assert.equal(done.status, 303);
    assert.equal(done.headers.get('location'), '/updates/confirmed');
    assert.match(mainOf(await b.html('/updates/confirmed')), /No update has been sent yet/);
    assert.equal(await statusOf(email), 'subscribed');
    assert.equal(await nameOf(), 'Olga Opt');
    // the link again says what happened
    const again = await b.get(link);
    assert.equal(again.status, 200);
    assert.match(mainOf(await again.text()), /already/);
  });

  test('the letter is written in the language of the page the address signed up on', async () => {
    const email = uniqueEmail('fr');
    const b = new ClientBrowser(srv.url);
    b.jar.set('lang', 'fr');
    const page = await b.html('/updates/subscribe');
    assert.match(mainOf(page), /Nous vous écrirons dans la langue de cette page \(Français\)/);
    assert.equal((await b.post('/updates/subscribe', { ...hiddenFields(page, '/updates/subscribe'), email })).status, 303);
    const mail = await nextMail(srv.dataDir, email, 0);
    assert.equal(mail.msg.decoded['content-language'], 'fr');
    assert.equal(mail.msg.decoded.subject, 'Merci de confirmer\u00a0: les actualités de l’Alliance');
    assert.match(mail.text, /^Bonjour,/);
    assert.match(mail.text, /Pour retirer cette adresse de la liste/);
    assert.equal(await sqlValue(srv.dataDir,
      `SELECT language FROM updates_subscribers WHERE email = ${sqlText(email)}`), 'fr');
  });

  test('an unknown, missing or expired confirmation link is a clear 4xx', async () => {
    const b = new ClientBrowser(srv.url);
    const unknown = await b.get('/updates/confirm?token=nosuchtoken');
    assert.equal(unknown.status, 404);
    assert.match(mainOf(await unknown.text()), /not known/);
    assert.ok([400, 422].includes((await b.get('/updates/confirm')).status));
    const email = uniqueEmail('old');
    await signUp(b, email);
    const mail = await nextMail(srv.dataDir, email, 0);
    await sqlValue(srv.dataDir, `UPDATE updates_links SET expires_at = 1 WHERE purpose = 'confirm'
      AND subscriber_id = (SELECT id FROM updates_subscribers WHERE email = ${sqlText(email)})`);
    const link = linkIn(mail, '/updates/confirm?token=');
    const old = await b.get(link);
    assert.equal(old.status, 410);
    const page = await b.html('/updates/subscribe');
    const post = await b.post('/updates/confirm', {
      csrf: hiddenFields(page, '/updates/subscribe').csrf,
      token: new URL(link, 'http://x').searchParams.get('token'),
    });
    assert.equal(post.status, 410, 'POST of an old link');
    assert.equal(await statusOf(email), 'pending');
  });
});

describe('unsubscribe', () => {
  test('the link works without signing in, once and again harmlessly', async () => {
    const email = uniqueEmail('unsub');
    const { unsubscribe } = await subscribed(email);
    const stranger = new ClientBrowser(srv.url); // no cookies at all
    const page = await stranger.html(unsubscribe);
    assert.equal(await statusOf(email), 'subscribed', 'opening the page changes nothing');
    assert.deepEqual(hiddenFields(page, unsubscribe), {}, 'the form posts to the link itself');
    const res = await stranger.post(unsubscribe, {});
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/updates/unsubscribed');
    assert.equal(await statusOf(email), 'removed');
    assert.equal(await sqlValue(srv.dataDir,
      `SELECT coalesce(name, 'none') FROM updates_subscribers WHERE email = ${sqlText(email)}`), 'none',
    'the name goes with the removal');
    const again = await stranger.post(unsubscribe, {});
    assert.equal(again.status, 303);
    assert.equal(await statusOf(email), 'removed');
    const later = await stranger.get(unsubscribe);
    assert.equal(later.status, 200);
    assert.match(mainOf(await later.text()), /not on the list/);
    assert.equal((await stranger.get('/updates/unsubscribed')).status, 200);
  });

  test("a mail client's one-click POST (RFC 8058) unsubscribes", async () => {
    const email = uniqueEmail('oneclick');
    const { mail } = await subscribed(email);
    const url = /<([^>]+)>/.exec(mail.msg.decoded['list-unsubscribe'])[1];
    const path = new URL(url).pathname + new URL(url).search;
    const res = await httpRequest(srv.url, {
      method: 'POST', path,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    assert.ok(res.status < 400, `one-click POST: ${res.status}`);
    assert.equal(await statusOf(email), 'removed');
  });

  test('a confirmation link used after unsubscribing does not subscribe again', async () => {
    const email = uniqueEmail('back');
    const { confirm, unsubscribe, browser } = await subscribed(email);
    const page = await browser.html(unsubscribe);
    assert.match(page, /<form\b/);
    await browser.post(unsubscribe, {});
    assert.equal(await statusOf(email), 'removed');
    const res = await browser.get(confirm);
    assert.equal(res.status, 410);
    assert.equal(await statusOf(email), 'removed');
  });
});

describe('no enumeration', () => {
  test('an address already on the list gets the same answer, and a note by mail', async () => {
    const email = uniqueEmail('known');
    await subscribed(email);
    const b = new ClientBrowser(srv.url);
    const fresh = await signUp(b, uniqueEmail('unknown'));
    const seen = (await mailsTo(srv.dataDir, email)).length;
    const known = await signUp(b, email, 'Someone Else');
    assert.equal(known.status, fresh.status);
    assert.equal(known.headers.get('location'), fresh.headers.get('location'));
    assert.equal(await known.text(), await fresh.text());
    const note = await nextMail(srv.dataDir, email, seen);
    assert.match(note.text, /already/);
    assert.doesNotMatch(note.text, /\/updates\/confirm\?token=/);
    assert.ok(linkIn(note, '/updates/unsubscribe/'));
    assert.equal(await statusOf(email), 'subscribed');
    assert.equal(await sqlValue(srv.dataDir,
      `SELECT name FROM updates_subscribers WHERE email = ${sqlText(email)}`), 'Una Update',
    'a stranger cannot rename a subscriber');
  });
});

describe('limits', () => {
  test('per address: the fourth sign-up in an hour is a 429 beside the field', async () => {
    const email = uniqueEmail('target');
    for (let i = 0; i < 3; i++) {
      assert.equal((await signUp(new ClientBrowser(srv.url), email)).status, 303);
    }
    const b = new ClientBrowser(srv.url);
    const res = await signUp(b, email);
    assert.equal(res.status, 429);
    assert.ok(Number(res.headers.get('retry-after')) > 0);
    const html = await res.text();
    assert.match(html, /<p class="field-error" id="email-error">Too many messages have been sent/);
    assert.match(html, /aria-invalid="true" aria-describedby="email-error"/);
    assert.match(html, new RegExp(`value="${email}"`), 'the form keeps what was typed');
    await outboxDrained(srv.dataDir);
    assert.equal((await mailsTo(srv.dataDir, email)).length, 3);
  });

  test('per client: the eleventh sign-up in an hour is a 429', async () => {
    const from = freshClient();
    for (let i = 0; i < 10; i++) {
      assert.equal((await signUp(new ClientBrowser(srv.url, from), uniqueEmail('many'))).status, 303);
    }
    const res = await signUp(new ClientBrowser(srv.url, from), uniqueEmail('many'));
    assert.equal(res.status, 429);
    assert.ok(Number(res.headers.get('retry-after')) > 0);
  });
});

describe('bad input', () => {
  test('absent, empty and not UTF-8 are 4xx with the form, never 500', async () => {
    const b = new ClientBrowser(srv.url);
    const page = await b.html('/updates/subscribe');
    const csrf = hiddenFields(page, '/updates/subscribe');
    const absent = await b.post('/updates/subscribe', csrf);
    assert.equal(absent.status, 422);
    assert.match(await absent.text(), /id="email-error"/);
    const empty = await b.post('/updates/subscribe', { ...csrf, email: '', name: '' });
    assert.equal(empty.status, 422);
    const bad = await b.post('/updates/subscribe', { ...csrf, email: 'not an address' });
    assert.equal(bad.status, 422);
    const raw = await fetchFrom(b.from, `${srv.url}/updates/subscribe`, {
      method: 'POST', body: `csrf=${encodeURIComponent(csrf.csrf)}&email=a%FF%FE@example.org`,
      headers: b.headers({ 'content-type': 'application/x-www-form-urlencoded' }),
    });
    assert.ok(raw.status >= 400 && raw.status < 500, `not UTF-8: ${raw.status}`);
    for (const path of ['/updates/unsubscribe/%FF', '/updates/unsubscribe', '/updates/unsubscribe/',
      '/updates/unsubscribe/nosuchtoken', '/updates/confirm?token=%FF', '/updates/confirm?token=']) {
      const r = await b.get(path);
      assert.ok(r.status >= 400 && r.status < 500, `${path}: ${r.status}`);
    }
    const post = await b.post('/updates/unsubscribe/nosuchtoken', {});
    assert.ok(post.status >= 400 && post.status < 500, `unsubscribe without a token: ${post.status}`);
  });
});

describe('the account page and the secretariat', () => {
  let admin, member;
  before(async () => {
    admin = await personWithRole(srv, { role: 'admin' });
    member = await personWithRole(srv, { role: 'member' });
  });

  test('a signed-in person subscribes and unsubscribes on their account page', async () => {
    const b = member.browser;
    assert.match(await b.html('/account'), /href="\/account\/updates"/);
    let page = await b.html('/account/updates');
    assert.match(mainOf(page), /do not receive/);
    let res = await b.post('/account/updates', { ...hiddenFields(page, '/account/updates') });
    assert.equal(res.status, 303);
    assert.match(res.headers.get('location'), /^\/account\/updates\?done=(subscribed|sent)$/);
    if (res.headers.get('location').endsWith('sent')) {
      const mail = await nextMail(srv.dataDir, member.email, 0, { subject: null });
      const link = linkIn(mail, '/updates/confirm?token=');
      const p = await b.html(link);
      await b.post('/updates/confirm', hiddenFields(p, '/updates/confirm'));
    }
    assert.equal(await statusOf(member.email), 'subscribed');
    page = await b.html('/account/updates');
    assert.match(mainOf(page), /go to/);
    res = await b.post('/account/updates', hiddenFields(page, '/account/updates'));
    assert.equal(res.status, 303);
    assert.equal(await statusOf(member.email), 'removed');
  });

  test('the secretariat sees the list, its counts and removals, and the CSV', async () => {
    const email = uniqueEmail('listed');
    await subscribed(email, '=Formula, "Quoted"');
    const page = await admin.browser.html('/admin/updates');
    const main = mainOf(page);
    assert.match(main, new RegExp(email));
    assert.match(main, /id="count-subscribed">[1-9]/);
    assert.match(main, /Latest removals/);
    const csv = await admin.browser.get('/admin/updates.csv');
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get('content-type'), /^text\/csv; charset=utf-8/);
    assert.match(csv.headers.get('content-disposition'), /attachment; filename="alliance-updates-\d{4}-\d\d-\d\d\.csv"/);
    const body = Buffer.from(await csv.arrayBuffer());
    assert.deepEqual([...body.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'a BOM for spreadsheets');
    const text = body.subarray(3).toString('utf8');
    assert.ok(text.startsWith('email,name,language,source,confirmed_at_utc\r\n'));
    assert.match(text, new RegExp(`${email},"'=Formula, ""Quoted""",en,form,\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\r\\n`));
    assert.ok(!text.includes('pending'), 'only subscribed addresses');
  });

  test('the secretariat takes an address off the list for its owner, with an audit record', async () => {
    const email = uniqueEmail('asked');
    await subscribed(email);
    const page = await admin.browser.html('/admin/updates');
    const form = new RegExp(`<form\\b[^>]*action="/admin/updates/remove"[^>]*>[\\s\\S]*?value="${email}"[\\s\\S]*?</form>`).exec(page);
    assert.ok(form, 'a Remove form for the address');
    const res = await admin.browser.post('/admin/updates/remove', { ...hiddenFields(form[0]), email: email.toUpperCase() });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/admin/updates?done=removed');
    assert.equal(await statusOf(email), 'removed');
    assert.match(mainOf(await admin.browser.html('/admin/updates?done=removed')), /The address is off the list/);
    assert.equal(await sqlValue(srv.dataDir,
      "SELECT count(*) FROM audit_log WHERE action = 'updates.remove'"), '1');
    const again = await admin.browser.post('/admin/updates/remove', { ...hiddenFields(form[0]), email });
    assert.equal(again.status, 303, 'again changes nothing');
    assert.equal(await sqlValue(srv.dataDir,
      "SELECT count(*) FROM audit_log WHERE action = 'updates.remove'"), '1');
    const unknown = await admin.browser.post('/admin/updates/remove', { ...hiddenFields(form[0]), email: uniqueEmail('nobody') });
    assert.equal(unknown.status, 404);
    const own = hiddenFields(await member.browser.html('/account/updates'), '/account/updates').csrf;
    const m = await member.browser.post('/admin/updates/remove', { csrf: own, email });
    assert.equal(m.status, 403);
  });

  test('others get 403 (signed in) or are sent to sign in', async () => {
    for (const path of ['/admin/updates', '/admin/updates.csv']) {
      const m = await member.browser.get(path);
      assert.equal(m.status, 403, `${path} as a member`);
      const v = await new Browser(srv.url).get(path);
      assert.ok([303, 401, 403].includes(v.status), `${path} as a visitor: ${v.status}`);
    }
    const v = await new Browser(srv.url).get('/account/updates');
    assert.ok([303, 401, 403].includes(v.status));
  });
});

describe('texts that promise only what exists', () => {
  test('the privacy policy says what the updates list keeps, and what is coming', async () => {
    const b = new Browser(srv.url);
    const main = mainOf(await b.html('/privacy'));
    assert.match(main, /Updates by email/);
    assert.match(main, /not confirmed within 7 days is deleted/);
    assert.match(main, /kept for one year/);
    assert.match(main, /What is coming/);
    assert.match(main, /A focal point is named on the page of their focal area/);
    assert.match(main, /does not exist here yet/);
    // what does not exist is no longer described as kept
    assert.doesNotMatch(main, /Meeting registrations/);
    assert.doesNotMatch(main, /Endorsements<\/strong>/);
    assert.doesNotMatch(main, /Working parties and focal points/);
    // every link in it leads somewhere
    for (const [, href] of main.matchAll(/href="(\/[^"#]*)/g)) {
      assert.equal((await b.get(href)).status, 200, `the policy links to ${href}`);
    }
  });

  test('the sign-up page names what an account gives today', async () => {
    const main = mainOf(await new Browser(srv.url).html('/signup'));
    assert.doesNotMatch(main, /take part as a member: working parties/);
    assert.doesNotMatch(main, /Working parties, meetings, statements and a resource library are planned/);
    assert.match(main, /register for the Alliance(&#39;|')s meetings open to you/);
    assert.match(main, /main contacts endorse civil society statements for their organisation\. A resource library is planned, and will open to accounts later/);
  });

  test('migrations 0031, 0045, 0048 and 0052 leave a policy the secretariat edited as it is', async () => {
    const other = await startServer({
      beforeServe: async ({ bin, dataDir, env }) => {
        await sql(dataDir, `UPDATE pages SET body_md = 'Our own policy, edited.' WHERE slug = 'privacy';
          DELETE FROM schema_migrations WHERE version IN (31, 45, 48, 52);`);
        await new Promise((ok, fail) => execFile(bin, ['migrate', '--data', dataDir], { env },
          (err, stdout, stderr) => (err ? fail(new Error(stderr)) : ok())));
      },
    });
    try {
      assert.equal(await sqlValue(other.dataDir, 'SELECT count(*) FROM schema_migrations WHERE version IN (31, 45, 48, 52)'), '4');
      assert.match(mainOf(await new Browser(other.url).html('/privacy')), /Our own policy, edited\./);
    } finally {
      await other.stop();
    }
  });
});
