// limits.test.mjs -- the limits on the public writes that send mail or
// store files (src/public_limits.c): /contact (messages per client and per sender
// address, documents per client and day, by count and by size), /sponsor
// (pledges per client and per contact address) and /join/:level
// (applications per client and per address).  Each limit is reached, the
// refusal checked (429, Retry-After, the form again with the sentence, or
// the JSON error object, nothing stored or sent), and a client or an address
// that has not used its allowance is let through.
//
// Clients are told apart by their address: the tests connect from
// 127.0.0.2, 127.0.0.3, ... (any 127/8 address reaches the server's
// loopback socket), through node:http with localAddress, since fetch
// cannot choose its source address.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startServer } from '../lib/server.mjs';
import { Browser, hiddenFields, mainOf, sqlValue, sqlText, uniqueEmail, mailsTo, outboxDrained } from '../lib/accounts.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { if (srv) await srv.stop(); });

let nextClient = 1;
/** A loopback address no test has used yet: a fresh client. */
const freshClient = () => `127.0.0.${++nextClient}`;

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
  constructor(base, from) { super(base); this.from = from; }
  async get(path, headers = {}) {
    return this.keep(await fetchFrom(this.from, this.base + path, { headers: this.headers(headers) }));
  }
  async post(path, fields = {}, headers = {}) {
    const body = fields instanceof FormData ? fields : new URLSearchParams(fields).toString();
    const h = fields instanceof FormData ? headers
      : { 'content-type': 'application/x-www-form-urlencoded', ...headers };
    return this.keep(await fetchFrom(this.from, this.base + path, { method: 'POST', body, headers: this.headers(h) }));
  }
}

/** The contact form's fields for email, with the subject offered first. */
function contactFields(page, email, extra = {}) {
  const select = /<select\b[^>]*\bname="subject"[^>]*>([\s\S]*?)<\/select>/.exec(page);
  const subject = /<option\b[^>]*\bvalue="([^"]+)"/.exec(select[1])[1];
  return { ...hiddenFields(page, '/contact'), name: 'Lim Sender', email, subject,
    message: 'A question for the secretariat.', ...extra };
}

/** POSTs the contact form from client `from`; a document of size bytes
 * when size is given.  Resolves to {res, html}. */
async function sendContact(from, email, { size = null, accept = null } = {}) {
  const b = new ClientBrowser(srv.url, from);
  const page = await b.html('/contact');
  const fields = contactFields(page, email);
  let body = fields;
  if (size !== null) {
    body = new FormData();
    for (const [k, v] of Object.entries(fields)) body.append(k, v);
    body.append('attachment', new Blob([Buffer.alloc(size, 'a')], { type: 'text/plain' }), 'notes.txt');
  }
  const res = await b.post('/contact', body, accept ? { accept } : {});
  return { res, html: await res.text() };
}

const messagesFrom = (email) => sqlValue(srv.dataDir,
  `SELECT count(*) FROM contact_messages WHERE email = ${sqlText(email)}`);

/** Asserts a 429 with a Retry-After of a sensible number of seconds. */
function assertRefused(res, what) {
  assert.equal(res.status, 429, what);
  const after = Number(res.headers.get('retry-after'));
  assert.ok(after > 0 && after <= 86400, `${what}: Retry-After ${res.headers.get('retry-after')}`);
}

describe('the contact form', () => {
  test('one client: ten messages an hour, the eleventh is 429 with the form and the sentence; another client goes on', async () => {
    const from = freshClient();
    for (let i = 0; i < 10; i++) {
      const { res } = await sendContact(from, uniqueEmail(`contact-client-${i}`));
      assert.equal(res.status, 303, `message ${i + 1}`);
    }
    const email = uniqueEmail('contact-eleventh');
    const { res, html } = await sendContact(from, email);
    assertRefused(res, 'the eleventh message');
    assert.match(mainOf(html), /Too many messages have been sent from your connection or to this address\. Please try again in \d+ minutes?\./);
    assert.match(mainOf(html), /<form[^>]*action="\/contact"/);
    assert.match(html, new RegExp(`value="${email}"`), 'the form keeps what was typed');
    assert.equal(await messagesFrom(email), '0');
    const json = await sendContact(from, email, { accept: 'application/json' });
    assertRefused(json.res, 'the same as JSON');
    assert.match(JSON.parse(json.html).error.message, /Too many messages/);
    const other = await sendContact(freshClient(), email);
    assert.equal(other.res.status, 303, 'another client is refused');
    assert.equal(await messagesFrom(email), '1');
  });

  test('one sender address: five messages an hour from any clients, the sixth is 429; another address goes on', async () => {
    const email = uniqueEmail('contact-address');
    for (let i = 0; i < 5; i++) assert.equal((await sendContact(freshClient(), email)).res.status, 303);
    const from = freshClient();
    const { res, html } = await sendContact(from, email.toUpperCase());
    assertRefused(res, 'the sixth message to one address, in capitals');
    assert.match(html, /id="email-error"/);
    assert.equal(await messagesFrom(email), '5');
    assert.equal((await sendContact(from, uniqueEmail('contact-other'))).res.status, 303);
  });

  test('documents: 20 MiB a day per client; the one past it is 429 and not kept, messages without one go on', async () => {
    const from = freshClient();
    const mib = 1024 * 1024;
    for (let i = 0; i < 4; i++) {
      const { res } = await sendContact(from, uniqueEmail(`doc-${i}`), { size: 5 * mib });
      assert.equal(res.status, 303, `document ${i + 1}`);
    }
    const email = uniqueEmail('doc-past');
    const { res, html } = await sendContact(from, email, { size: 1024 });
    assertRefused(res, 'a document past 20 MiB');
    assert.match(html, /id="attachment-error"[^>]*>Too many documents/);
    assert.equal(await messagesFrom(email), '0');
    assert.equal((await sendContact(from, email)).res.status, 303, 'a message without a document');
    assert.equal((await sendContact(freshClient(), uniqueEmail('doc-other'), { size: 5 * mib })).res.status, 303);
  });

  test('documents: ten a day per client, whatever their size', async () => {
    // ten messages an hour come first within an hour, so the day's count
    // is set as if the client had sent ten documents this morning
    const from = freshClient();
    const mine = freshClient();
    for (const c of [from, mine]) {
      await sqlValue(srv.dataDir, `INSERT INTO rate_limits (key, window_start, count)
        VALUES ('contact-file:client:${c}', ${Math.floor(Date.now() / 1000) - 3600}, ${c === from ? 10 : 9})`);
    }
    const { res, html } = await sendContact(from, uniqueEmail('doc-count'), { size: 100 });
    assertRefused(res, 'the eleventh document of the day');
    assert.match(html, /Too many documents/);
    assert.equal((await sendContact(from, uniqueEmail('doc-count-none'))).res.status, 303, 'a message without a document');
    assert.equal((await sendContact(mine, uniqueEmail('doc-count-tenth'), { size: 100 })).res.status, 303, 'the tenth');
  });
});

/** Sets the count of a limit's key as if its window had started a minute
 * ago (for limits a test cannot reach in reasonable time). */
const preset = (key, count) => sqlValue(srv.dataDir, `INSERT INTO rate_limits (key, window_start, count)
  VALUES (${sqlText(key)}, ${Math.floor(Date.now() / 1000) - 60}, ${count})`);

describe('the Sponsor form', () => {
  /** POSTs a pledge for email from client `from`: {res, html}. */
  async function pledge(from, email) {
    const b = new ClientBrowser(srv.url, from);
    const page = await b.html('/sponsor');
    const res = await b.post('/sponsor', { ...hiddenFields(page, '/sponsor'), sponsor_name: 'Spam Sponsor',
      contact_name: 'Buy cheap things at example.com', contact_email: email, tier: '', amount: '10',
      currency: 'EUR', purpose: 'general', consent: '1' });
    return { res, html: await res.text() };
  }
  const pledges = (email) => sqlValue(srv.dataDir, `SELECT count(*) FROM pledges WHERE contact_email = ${sqlText(email)}`);

  test('one contact address: three pledges a day from any clients, the fourth is 429 and sends nothing', async () => {
    const email = uniqueEmail('pledge-address');
    for (let i = 0; i < 3; i++) assert.equal((await pledge(freshClient(), email)).res.status, 303);
    const from = freshClient();
    const { res, html } = await pledge(from, email);
    assertRefused(res, 'the fourth pledge for one address');
    assert.match(html, /id="contact_email-error"[^>]*>Too many pledges have been sent/);
    assert.equal(await pledges(email), '3');
    await outboxDrained(srv.dataDir);
    assert.equal((await mailsTo(srv.dataDir, email)).length, 3);
    assert.equal((await pledge(from, uniqueEmail('pledge-other'))).res.status, 303, 'the same client, another address');
  });

  test('one client: twenty pledges a day, the next is 429; another client goes on', async () => {
    const from = freshClient();
    await preset(`sponsor:client:${from}`, 19);
    assert.equal((await pledge(from, uniqueEmail('pledge-20th'))).res.status, 303, 'the twentieth');
    const email = uniqueEmail('pledge-21st');
    const { res } = await pledge(from, email);
    assertRefused(res, 'the twenty-first');
    assert.equal(await pledges(email), '0');
    assert.equal((await pledge(freshClient(), email)).res.status, 303);
  });
});

describe('the Join form', () => {
  /** Applies for the individual level for email from client `from`. */
  async function apply(from, email, accept = null) {
    const b = new ClientBrowser(srv.url, from);
    const page = await b.html('/join/individual');
    const res = await b.post('/join/individual', [...Object.entries(hiddenFields(page, '/join/individual')),
      ['name', 'Ivy Limit'], ['email', email], ['country', 'KE'], ['statement', 'Justice.'],
      ['focal', 'corruption'], ['consent', '1']], accept ? { accept } : {});
    return { res, html: await res.text() };
  }
  const applications = (email) => sqlValue(srv.dataDir,
    `SELECT count(*) FROM applications WHERE applicant_email = ${sqlText(email)}`);

  test('one address: five applications an hour, the sixth is 429 with the form again', async () => {
    const email = uniqueEmail('join-address');
    await preset(`join:addr:${email}`, 4);
    assert.equal((await apply(freshClient(), email)).res.status, 303, 'the fifth');
    const { res, html } = await apply(freshClient(), email);
    assertRefused(res, 'the sixth');
    assert.match(html, /Too many applications have been sent/);
    assert.match(mainOf(html), /<form[^>]*action="\/join\/individual"/);
    assert.equal(await applications(email), '1');
  });

  test('one client: thirty applications an hour, then 429 (JSON: the error object); another client goes on', async () => {
    const from = freshClient();
    await preset(`join:client:${from}`, 30);
    const email = uniqueEmail('join-client');
    const { res, html } = await apply(from, email, 'application/json');
    assertRefused(res, 'the thirty-first');
    assert.match(JSON.parse(html).error.message, /Too many applications/);
    assert.equal((await apply(freshClient(), email)).res.status, 303);
    assert.equal(await applications(email), '1');
  });
});
