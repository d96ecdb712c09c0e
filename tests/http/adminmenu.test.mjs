// adminmenu.test.mjs -- one secretariat menu (issue 10): every secretariat
// page shows the same menu, built from the entries the modules declare in
// their struct module.  Walks every GET route `who: admin` of `alliance
// routes --json` (parameters filled from real rows), signed in as an
// administrator, and compares the <nav aria-label="Secretariat"> of each
// HTML page byte for byte, the aria-current marker aside.  The overview
// (/admin) shows the tiles of work waiting the modules declare, and
// src/admin itself names no other module's page or header.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startServer } from '../lib/server.mjs';
import { Browser, hiddenFields, personWithRole, sql } from '../lib/accounts.mjs';
import { loadRoutes, discoverParams, pathFor } from '../lib/routes.mjs';

let srv;
let admin;   // a signed-in administrator (Browser)
let routes;

// The pages the modules declare today, with the labels people read.
const DECLARED = [
  ['/admin', 'Overview'],
  ['/admin/membership', 'Membership dashboard'],
  ['/admin/applications', 'Applications'],
  ['/admin/organisations', 'Organisations'],
  ['/admin/memberships', 'Memberships'],
  ['/admin/pledges', 'Pledges'],
  ['/admin/levels', 'Levels'],
  ['/admin/tiers', 'Tiers'],
  ['/admin/import', 'Import/Export'],
  ['/admin/people', 'People'],
  ['/admin/statements', 'Statements'],
  ['/admin/messages', 'Contact messages'],
  ['/admin/outbox', 'Outbox'],
  ['/admin/audit', 'Audit log'],
];

/** The secretariat's menu of a page: every <nav aria-label="Secretariat">. */
const menusOf = (html) => [...html.matchAll(/<nav\b[^>]*aria-label="Secretariat"[^>]*>[\s\S]*?<\/nav>/g)]
  .map((m) => m[0]);

/** The entries of a menu: [{href, label, current}]. */
const entriesOf = (nav) => [...nav.matchAll(/<a href="([^"]*)"( aria-current="([^"]*)")?>([^<]*)<\/a>/g)]
  .map((m) => ({ href: m[1], current: m[3] ?? null, label: m[4] }));

before(async () => {
  srv = await startServer();
  ({ browser: admin } = await personWithRole(srv, { role: 'admin', name: 'Mena Menu', password: null }));
  // an application, so /admin/applications/:id has one to show
  await sql(srv.dataDir, "INSERT INTO applications (level_id, applicant_name, applicant_email, consent_at, submitted_at) " +
    "SELECT id, 'Ann Applicant', 'ann@example.org', 0, 0 FROM membership_levels WHERE slug = 'associate';");
  // an organisation with a membership, so /admin/organisations/:id has
  // one to show (and the overview's organisations without one stay 0)
  await sql(srv.dataDir, `BEGIN;
    INSERT INTO organisations (slug, name, name_key, country, created_at) VALUES ('menu-ngo', 'Menu NGO', 'menu ngo', 'AT', 0);
    INSERT INTO memberships (level_id, organisation_id, state, state_since, period_start, period_end, created_at)
      SELECT l.id, o.id, 'active', '2026-01-01', '2026-01-01', '2099-12-31', 0
      FROM membership_levels l, organisations o WHERE l.slug = 'full' AND o.slug = 'menu-ngo';
    COMMIT;`);
  // a contact message with a document, so /admin/messages/:id/document
  // has one to send (the walk takes the first message listed: this one)
  const visitor = new Browser(srv.url);
  const form = await visitor.html('/contact');
  const fd = new FormData();
  const fields = { ...hiddenFields(form, '/contact'), name: 'Doc Sender', email: 'doc@example.org',
    organisation: '', subject: 'Membership', message: 'A document' };
  for (const [k, v] of Object.entries(fields)) fd.append(k, v);
  fd.append('attachment', new Blob([Buffer.from('%PDF-1.4\n')], { type: 'application/pdf' }), 'note.pdf');
  const sent = await fetch(`${srv.url}/contact`, { method: 'POST', redirect: 'manual', body: fd, headers: visitor.headers() });
  assert.equal(sent.status, 303, await sent.text());
  routes = await loadRoutes();
});

after(async () => { if (srv) await srv.stop(); });

test('every secretariat page shows the one menu, the same apart from the current entry', async () => {
  // an answer's document is a file, not a page (answer_document.test
  // downloads one); every other GET of the secretariat is walked
  const pages = routes.filter((r) => r.method === 'GET' && r.who === 'admin' &&
    !/\/documents\/:\w+$/.test(r.pattern));
  assert.ok(pages.length >= 12, `few admin pages listed: ${pages.map((r) => r.pattern)}`);
  const byPattern = {};
  await discoverParams(routes, admin, byPattern);
  assert.ok(byPattern['/admin/applications/:id'], 'no application linked from /admin/applications');

  let first = null;
  const seen = [];   // the HTML pages walked, without parameters
  for (const r of pages) {
    const path = pathFor(r.pattern, {}, byPattern);
    const res = await admin.get(path);
    const body = await res.text();
    assert.equal(res.status, 200, `GET ${path}: ${body.slice(0, 300)}`);
    if (!/^text\/html/.test(res.headers.get('content-type'))) continue; // CSV exports
    if (!r.pattern.includes(':')) seen.push(path);
    const menus = menusOf(body);
    assert.equal(menus.length, 1, `${path}: ${menus.length} secretariat menus`);
    // no other menu of the secretariat's pages beside it
    assert.doesNotMatch(body, /aria-label="Membership"/, `${path} has a menu of its own`);
    const entries = entriesOf(menus[0]);
    const marked = entries.filter((e) => e.current);
    assert.equal(marked.length, 1, `${path}: ${marked.length} entries marked current`);
    const [m] = marked;
    if (m.href === path) assert.equal(m.current, 'page', `${path}: its own entry is not aria-current="page"`);
    else assert.ok(path.startsWith(`${m.href}/`) && m.current === 'true', `${path}: marks ${m.href} (${m.current})`);
    const plain = menus[0].replace(/ aria-current="[^"]*"/g, '');
    if (first === null) first = { path, plain };
    else assert.equal(plain, first.plain, `the menu on ${path} differs from the one on ${first.path}`);
  }
  assert.ok(seen.includes('/admin/membership') && seen.includes('/admin/import'), `pages seen: ${seen}`);

  // each module's declared pages are in it, with their labels
  const entries = entriesOf(first.plain);
  for (const [href, label] of DECLARED) {
    assert.ok(entries.some((e) => e.href === href && e.label === label),
      `no "${label}" (${href}) in the menu: ${JSON.stringify(entries)}`);
  }
  // and every secretariat page without parameters is reachable from it:
  // an entry, or a page of an entry's section (/admin/calendar/new)
  for (const p of seen) {
    assert.ok(entries.some((e) => e.href === p || p.startsWith(`${e.href}/`)),
      `${p} is not in the secretariat's menu`);
  }
});

test('the overview shows the work waiting, one tile per module that declares one', async () => {
  // one more application (asked for more information), pledges, and a
  // membership ending in 10 days; the numbers match the membership dashboard
  const soon = new Date(Date.now() + 10 * 86400_000).toISOString().slice(0, 10);
  await sql(srv.dataDir, `BEGIN;
    INSERT INTO applications (level_id, status, applicant_name, applicant_email, consent_at, submitted_at)
      SELECT id, 'more-info', 'Ben Applicant', 'ben@example.org', 0, 0 FROM membership_levels WHERE slug = 'associate';
    INSERT INTO pledges (sponsor_name, contact_name, contact_email, amount, purpose, status, created_at)
      VALUES ('S1', 'C', 'c@example.org', 1000, 'general', 'new', 0), ('S2', 'C', 'c@example.org', 1000, 'general', 'new', 0),
             ('S3', 'C', 'c@example.org', 1000, 'general', 'confirmed', 0);
    INSERT INTO organisations (slug, name, name_key, country, created_at) VALUES ('tile-ngo', 'Tile NGO', 'tile ngo', 'AT', 0);
    INSERT INTO memberships (level_id, organisation_id, state, state_since, period_start, period_end, created_at)
      SELECT l.id, o.id, 'active', '2026-01-01', '2026-01-01', '${soon}', 0
      FROM membership_levels l, organisations o WHERE l.slug = 'full' AND o.slug = 'tile-ngo';
    COMMIT;`);
  const html = await admin.html('/admin');
  const table = /<h2 id="waiting-h">[\s\S]*?<\/table>/.exec(html)?.[0];
  assert.ok(table, 'no "Waiting for the secretariat" on /admin');
  const tiles = [...table.matchAll(/<a href="([^"]*)">([^<]*)<\/a><\/th><td>(\d+)<\/td>/g)]
    .map((m) => [m[1].replace(/&amp;/g, '&'), m[2], Number(m[3])]);
  const res = await admin.get('/admin/membership', { accept: 'application/json' });
  const { counts } = await res.json();
  // the people desk's tile (accounts): people never invited nor signed in
  const never = Number((await sql(srv.dataDir, `SELECT count(*) FROM people WHERE disabled_at IS NULL
    AND invited_at IS NULL AND last_signin_at IS NULL AND password_hash IS NULL`))[0][0]);
  assert.deepEqual(tiles, [
    ['/admin/applications', 'Applications waiting for a decision', counts.applications_waiting],
    ['/admin/applications?status=more-info', 'Questions waiting for the applicant&#39;s answer', 1],
    ['/admin/organisations?membership=none', 'Organisations without a membership', 0],
    ['/admin/memberships?state=active&due=1', 'Renewals due within 30 days', counts.renewals_due],
    ['/admin/pledges?status=new', 'New pledges to confirm', counts.pledges_new],
    ['/admin/working-parties', 'Working parties proposed', 0],
    ['/admin/pledges?status=confirmed', 'Pledges confirmed, payment not received yet', 1],
    ['/admin/messages?show=open', 'Contact messages not handled', 1],
    ['/admin/people?state=never', 'People never invited nor signed in', never],
    ['/admin/reports', 'Reports to acknowledge', 0],
    ['/admin/statements', 'Statement drafts', 0],
  ]);
  assert.deepEqual(tiles.map((t) => t[2]), [2, 1, 0, 1, 2, 0, 1, 1, never, 0, 0]);
  for (const [href] of tiles) {
    const r = await admin.get(href);
    await r.arrayBuffer();
    assert.equal(r.status, 200, href);
  }
});

test('src/admin names no other module: none of their pages, none of their headers', async () => {
  const root = new URL('../../src/', import.meta.url).pathname;
  const files = [];
  for (const dir of ['admin', 'admin/templates']) {
    for (const f of await readdir(join(root, dir), { withFileTypes: true })) {
      if (f.isFile()) files.push(join(dir, f.name));
    }
  }
  // every other module's page under /admin, up to its first parameter
  const theirs = [...new Set(routes.filter((r) => r.module !== 'admin' && r.pattern.startsWith('/admin/'))
    .map((r) => r.pattern.split('/:')[0]))];
  assert.ok(theirs.includes('/admin/applications'), `other modules' pages: ${theirs}`);
  const features = (await readdir(root, { withFileTypes: true }))
    .filter((d) => d.isDirectory() && d.name !== 'core' && d.name !== 'admin').map((d) => d.name);
  const found = [];
  for (const f of files) {
    const text = await readFile(join(root, f), 'utf8');
    for (const p of theirs) {
      if (new RegExp(`${p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w.-])`).test(text)) found.push(`${f}: ${p}`);
    }
    for (const m of text.matchAll(/#include "([a-z_]+)\//g)) {
      if (features.includes(m[1])) found.push(`${f}: #include "${m[1]}/..."`);
    }
  }
  assert.deepEqual(found, []);
});

test('JSON clients get the model without the menu', async () => {
  const res = await admin.get('/admin/membership', { accept: 'application/json' });
  const body = await res.json();
  assert.equal(res.status, 200);
  assert.equal(body.admin_nav, undefined);
  assert.equal(body.membership_nav, undefined);
});

test('a page for members only has no secretariat menu', async () => {
  const html = await admin.html('/account');
  assert.equal(menusOf(html).length, 0);
});
