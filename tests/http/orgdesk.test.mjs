// orgdesk.test.mjs -- the secretariat's desk for organisations (issue 12):
// /admin/organisations lists every organisation whatever its membership or
// visibility, filtered, sorted and paged; /admin/organisations/:id shows
// one with its memberships, people and history; the overview counts the
// organisations without a membership and the other work waiting.
//
// What is proved: an organisation imported without a membership is on the
// list ("No membership") and its page shows its people (main contact
// marked, each linking to /admin/people/ID) and its history ("Organisation
// added"); the filters (words, country, membership, visibility), the three
// sorts and paging; countries and states as words, never codes; visitors
// are sent to sign in and members get 403; a query value that is not UTF-8
// or is empty gives a 4xx or the normal page, never a 500; the overview's
// tiles count what their pages list.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { Browser, cli, mainOf, personWithRole, sql, sqlValue, unescapeHtml } from '../lib/accounts.mjs';

const FIX = new URL('../fixtures/csv/', import.meta.url).pathname;

let srv;
let admin;
let member;

/** The text of a page's <main>, tags dropped, spaces squeezed. */
const textOf = (html) => unescapeHtml(mainOf(html).replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ');

/** The names of the organisations a list page shows, in order. */
const namesOf = (html) => [...mainOf(html).matchAll(/<th scope="row"><a href="\/admin\/organisations\/\d+">([^<]*)<\/a>/g)]
  .map((m) => unescapeHtml(m[1]));

before(async () => {
  srv = await startServer();
  ({ browser: admin } = await personWithRole(srv, { role: 'admin', name: 'Desk Admin', password: null }));
  ({ browser: member } = await personWithRole(srv, { role: 'member', name: 'Desk Member', password: null }));
  // an imported organisation (no membership) and its people
  await cli(srv.dataDir, ['import', 'organisations', `${FIX}organisations.csv`]);
  await cli(srv.dataDir, ['import', 'people', `${FIX}people.csv`]);
  // 55 more for filters, sorting and paging: every fifth in France and
  // hidden, the rest in Kenya and public; one with an active membership
  const rows = [];
  for (let i = 1; i <= 55; i++) {
    const n = String(i).padStart(2, '0');
    const fr = i % 5 === 0;
    rows.push(`('desk-org-${n}', 'Desk Org ${n}', 'desk org ${n}', '${fr ? 'FR' : 'KE'}', '${fr ? 'hidden' : 'public'}', ${1000 + i})`);
  }
  await sql(srv.dataDir, `BEGIN;
    INSERT INTO organisations (slug, name, name_key, country, visibility, created_at) VALUES ${rows.join(', ')};
    INSERT INTO memberships (level_id, organisation_id, state, state_since, period_start, period_end, created_at)
      SELECT l.id, o.id, 'active', '2026-01-01', '2026-01-01', '2099-12-31', 0
      FROM membership_levels l, organisations o WHERE l.slug = 'associate' AND o.slug = 'desk-org-07';
    COMMIT;`);
});

after(async () => { if (srv) await srv.stop(); });

test('an imported organisation without a membership is on the list, and its page shows its people', async () => {
  const html = await admin.html('/admin/organisations?q=penal');
  assert.deepEqual(namesOf(html), ['Penal Reform Watch']);
  const text = textOf(html);
  assert.match(text, /Penal Reform Watch \(PRW\) Austria No membership Public/);
  assert.doesNotMatch(text, /\bAT\b/, 'a country code shows');

  const id = /href="\/admin\/organisations\/(\d+)"/.exec(mainOf(html))[1];
  const page = await admin.html(`/admin/organisations/${id}`);
  const ptext = textOf(page);
  const ana = await sqlValue(srv.dataDir, "SELECT id FROM people WHERE email = 'ana@prw.example.org'");
  assert.match(page, new RegExp(`<a href="/admin/people/${ana}">Ana Rep</a> <strong>\\(main contact\\)</strong>`));
  assert.match(ptext, /Vienna, main representative/);
  assert.match(ptext, /It has no membership\./);
  assert.match(ptext, /Country Austria/);
  assert.match(ptext, /Organisation added/);
  assert.match(page, /href="\/members\/penal-reform-watch\/edit"/);
  // no page in the directory without a membership: no link to one
  assert.doesNotMatch(page, /href="\/members\/penal-reform-watch"/);
  assert.match(page, /aria-current="true">Organisations</);
  // an account asked to represent it, not answering yet
  const bo = await sqlValue(srv.dataDir, "SELECT id FROM people WHERE email = 'bo@example.net'");
  await sql(srv.dataDir, `INSERT INTO representative_invitations (organisation_id, person_id, hash, created_at, expires_at)
    VALUES (${id}, ${bo}, 'orgdesk-test-hash', 1000, 2000);`);
  const asked = await admin.html(`/admin/organisations/${id}`);
  assert.match(asked, new RegExp(`<a href="/admin/people/${bo}">Bo Editor</a>`));
  assert.match(textOf(asked), /Asked to represent it, no answer yet Bo Editor bo@example\.net — asked on 01 Jan 1970, 00:16 UTC \(the link has expired\)/);
});

test('an organisation with a membership shows its level and state, and links to its directory page', async () => {
  const html = await admin.html('/admin/organisations?q=desk+org+07');
  assert.deepEqual(namesOf(html), ['Desk Org 07']);
  assert.match(textOf(html), /Desk Org 07 Kenya Associate member organisation: Active Public/);
  const id = /href="\/admin\/organisations\/(\d+)"/.exec(mainOf(html))[1];
  const page = await admin.html(`/admin/organisations/${id}`);
  assert.match(page, /href="\/members\/desk-org-07"/);
  assert.match(textOf(page), /Associate member organisation Active/);
  assert.match(textOf(page), /No one represents it\./);
  assert.equal((await admin.get('/admin/organisations/999999')).status, 404);
  assert.equal((await admin.get('/admin/organisations/x')).status, 404);
});

test('the history shows the organisation\'s records and its memberships\', as words', async () => {
  const id = await sqlValue(srv.dataDir, "SELECT id FROM organisations WHERE slug = 'desk-org-07'");
  const mid = await sqlValue(srv.dataDir, `SELECT id FROM memberships WHERE organisation_id = ${id}`);
  const other = await sqlValue(srv.dataDir, "SELECT id FROM organisations WHERE slug = 'desk-org-08'");
  await sql(srv.dataDir, `INSERT INTO audit_log (at, actor, action, object_type, object_id, before_json, after_json) VALUES
    ('2026-11-01T10:00:00Z', 0, 'organisation.edit', 'organisation', '${id}', '{"country":"KE"}', '{"country":"UG","website":"https://x.example"}'),
    ('2026-11-02T10:00:00Z', 0, 'membership.state', 'membership', '${mid}', '{"state":"grace"}', '{"state":"active"}'),
    ('2026-11-03T10:00:00Z', 0, 'organisation.edit', 'organisation', '${other}', '{"name":"Other"}', '{"name":"Not this one"}');`);
  const text = textOf(await admin.html(`/admin/organisations/${id}`));
  assert.match(text, /02 Nov 2026, 10:00 UTC Membership state changed the system State In its grace period → Active/);
  assert.match(text, /01 Nov 2026, 10:00 UTC Details changed the system Country Kenya → Uganda Website https:\/\/x\.example/);
  assert.doesNotMatch(text, /Not this one/);
  assert.doesNotMatch(text, /\b(KE|UG)\b/, 'a country code shows');
  assert.ok(text.indexOf('Membership state changed') < text.indexOf('Details changed'), 'not newest first');
});

test('the filters: country, membership, visibility, words', async () => {
  let html = await admin.html('/admin/organisations?country=FR');
  assert.match(textOf(html), /11 organisations match\./);
  assert.ok(namesOf(html).every((n) => /^Desk Org (05|10|15|20|25|30|35|40|45|50|55)$/.test(n)), namesOf(html).join());
  assert.match(html, /<option value="FR" selected>France<\/option>/);

  html = await admin.html('/admin/organisations?visibility=hidden&country=KE');
  assert.match(textOf(html), /No organisation matches these filters\./);

  html = await admin.html('/admin/organisations?membership=active');
  assert.deepEqual(namesOf(html), ['Desk Org 07']);

  html = await admin.html('/admin/organisations?membership=none&q=desk');
  assert.match(textOf(html), /54 organisations match\./);
  assert.ok(!namesOf(html).includes('Desk Org 07'));

  html = await admin.html('/admin/organisations?q=watch+penal');
  assert.deepEqual(namesOf(html), ['Penal Reform Watch']);
  html = await admin.html('/admin/organisations?q=prw');
  assert.deepEqual(namesOf(html), ['Penal Reform Watch']);
});

test('sorting by name, country and newest, and paging by 50 keeping the filters', async () => {
  const all = Number(await sqlValue(srv.dataDir, 'SELECT count(*) FROM organisations'));
  let html = await admin.html('/admin/organisations?q=desk');
  let names = namesOf(html);
  assert.equal(names.length, 50);
  assert.equal(names[0], 'Desk Org 01');
  assert.match(textOf(html), /55 organisations match\./);
  const next = /<a href="([^"]*)" rel="next">/.exec(html);
  assert.ok(next, 'no next page');
  assert.equal(unescapeHtml(next[1]), '/admin/organisations?q=desk&page=2');
  html = await admin.html(unescapeHtml(next[1]));
  assert.deepEqual(namesOf(html), ['Desk Org 51', 'Desk Org 52', 'Desk Org 53', 'Desk Org 54', 'Desk Org 55']);

  html = await admin.html('/admin/organisations?q=desk&sort=newest');
  assert.equal(namesOf(html)[0], 'Desk Org 55');
  html = await admin.html('/admin/organisations?q=desk&sort=country');
  names = namesOf(html);
  assert.deepEqual(names.slice(0, 11), ['05', '10', '15', '20', '25', '30', '35', '40', '45', '50', '55'].map((n) => `Desk Org ${n}`));
  assert.equal(names[11], 'Desk Org 01');

  // by their last change (the history test wrote records for 07 and 08)
  html = await admin.html('/admin/organisations?q=desk&sort=changed');
  assert.deepEqual(namesOf(html).slice(0, 3), ['Desk Org 08', 'Desk Org 07', 'Desk Org 01']);
  assert.match(textOf(html), /Desk Org 08 Kenya No membership Public 0 .*? 03 Nov 2026, 10:00 UTC/);

  html = await admin.html('/admin/organisations');
  assert.match(textOf(html), new RegExp(`${all} organisations match\\.`));
});

test('visitors are sent to sign in, members get 403', async () => {
  const id = await sqlValue(srv.dataDir, "SELECT id FROM organisations WHERE slug = 'penal-reform-watch'");
  for (const path of ['/admin/organisations', `/admin/organisations/${id}`]) {
    const v = await new Browser(srv.url).get(path);
    await v.arrayBuffer();
    assert.equal(v.status, 303, path);
    assert.match(v.headers.get('location'), /^\/signin/);
    const m = await member.get(path);
    await m.arrayBuffer();
    assert.equal(m.status, 403, path);
  }
});

test('empty, unknown and non-UTF-8 query values: a 4xx or the normal page, never a 500', async () => {
  for (const q of ['q=', 'country=', 'membership=', 'visibility=', 'sort=', 'page=', 'q=%20%20',
    'q=%FF%FE', 'q=%C3%28', 'country=ZZ', 'country=%FF', 'membership=maybe', 'visibility=%E9',
    'sort=%00', 'page=0', 'page=99999999999', 'q=%25%5F%22', 'q=' + 'x'.repeat(300)]) {
    const res = await admin.get(`/admin/organisations?${q}`);
    const body = await res.text();
    assert.ok(res.status === 200 || (res.status >= 400 && res.status < 500), `${q}: ${res.status} ${body.slice(0, 200)}`);
  }
  const res = await admin.get('/admin/organisations?q=&country=&membership=&sort=');
  assert.equal(res.status, 200);
});

test('the overview counts the work waiting, each tile linked to its list', async () => {
  await sql(srv.dataDir, `BEGIN;
    INSERT INTO pledges (sponsor_name, contact_name, contact_email, amount, purpose, status, created_at)
      VALUES ('S3', 'C', 'c@example.org', 1000, 'general', 'confirmed', 0);
    INSERT INTO contact_messages (name, email, subject, message, client) VALUES ('N', 'n@example.org', 'Membership', 'Hello', '127.0.0.1');
    INSERT INTO applications (level_id, status, applicant_name, applicant_email, consent_at, submitted_at)
      SELECT id, 'more-info', 'Ben Applicant', 'ben@example.org', 0, 0 FROM membership_levels WHERE slug = 'associate';
    COMMIT;`);
  const html = await admin.html('/admin');
  const table = /<h2 id="waiting-h">[\s\S]*?<\/table>/.exec(html)?.[0];
  assert.ok(table);
  const tiles = Object.fromEntries([...table.matchAll(/<a href="([^"]*)">([^<]*)<\/a><\/th><td>(\d+)<\/td>/g)]
    .map((m) => [unescapeHtml(m[2]), { href: unescapeHtml(m[1]), count: Number(m[3]) }]));
  const without = Number(await sqlValue(srv.dataDir,
    'SELECT count(*) FROM organisations o WHERE NOT EXISTS (SELECT 1 FROM memberships m WHERE m.organisation_id = o.id)'));
  assert.deepEqual(tiles['Organisations without a membership'], { href: '/admin/organisations?membership=none', count: without });
  assert.ok(without >= 55);
  assert.deepEqual(tiles['Questions waiting for the applicant\'s answer'], { href: '/admin/applications?status=more-info', count: 1 });
  assert.deepEqual(tiles['Pledges confirmed, payment not received yet'], { href: '/admin/pledges?status=confirmed', count: 1 });
  assert.deepEqual(tiles['Contact messages not handled'], { href: '/admin/messages?show=open', count: 1 });
  // the list the tile links to says the same number
  const list = await admin.html('/admin/organisations?membership=none');
  assert.match(textOf(list), new RegExp(`${without} organisations match\\.`));
  // Import/Export is in the secretariat's menu
  assert.match(html, /<a href="\/admin\/import">Import\/Export<\/a>/);
  assert.match(html, /<a href="\/admin\/organisations">Organisations<\/a>/);
});

test('in French: countries, states, visibility and actions as French words', async () => {
  const fr = { 'accept-language': 'fr' };
  let res = await admin.get('/admin/organisations?q=penal', fr);
  let text = textOf(await res.text());
  assert.equal(res.status, 200);
  assert.match(text, /1 organisation correspond\./);
  assert.match(text, /Penal Reform Watch \(PRW\) Autriche Sans adhésion Publique/);
  res = await admin.get('/admin/organisations?q=desk+org+07', fr);
  const html = await res.text();
  // a no-break space before the colon, as French writes it
  assert.match(html, /Associate member organisation\u00a0: Active/);
  assert.match(textOf(html), /Kenya Associate member organisation : Active/);
  const id = await sqlValue(srv.dataDir, "SELECT id FROM organisations WHERE slug = 'desk-org-07'");
  res = await admin.get(`/admin/organisations/${id}`, fr);
  text = textOf(await res.text());
  assert.match(text, /Informations modifiées/);
  assert.match(text, /État de l’adhésion modifié/);
  assert.match(text, /Personne ne la représente\./);
  assert.doesNotMatch(text, /organisation\.edit|membership\.state/);
});
