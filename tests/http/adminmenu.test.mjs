// adminmenu.test.mjs -- one secretariat menu (issue 10): every secretariat
// page shows the same menu, built from the entries the modules declare in
// their struct module.  Walks every GET route `who: admin` of `alliance
// routes --json` (parameters filled from real rows), signed in as an
// administrator, and compares the <nav aria-label="Secretariat"> of each
// HTML page byte for byte, the aria-current marker aside.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { personWithRole, sql } from '../lib/accounts.mjs';
import { loadRoutes, discoverParams, pathFor } from '../lib/routes.mjs';

let srv;
let admin;   // a signed-in administrator (Browser)
let routes;

// The pages the modules declare today, with the labels people read.
const DECLARED = [
  ['/admin', 'Overview'],
  ['/admin/membership', 'Membership dashboard'],
  ['/admin/applications', 'Applications'],
  ['/admin/memberships', 'Memberships'],
  ['/admin/pledges', 'Pledges'],
  ['/admin/levels', 'Levels'],
  ['/admin/tiers', 'Tiers'],
  ['/admin/import', 'Import/Export'],
  ['/admin/people', 'People'],
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
  routes = await loadRoutes();
});

after(async () => { if (srv) await srv.stop(); });

test('every secretariat page shows the one menu, the same apart from the current entry', async () => {
  const pages = routes.filter((r) => r.method === 'GET' && r.who === 'admin');
  assert.ok(pages.length >= 12, `few admin pages listed: ${pages.map((r) => r.pattern)}`);
  const byPattern = {};
  await discoverParams(routes, admin, byPattern);
  assert.ok(byPattern['/admin/applications/:id'], 'no application linked from /admin/applications');

  let first = null;
  const seen = [];
  for (const r of pages) {
    const path = pathFor(r.pattern, {}, byPattern);
    const res = await admin.get(path);
    const body = await res.text();
    assert.equal(res.status, 200, `GET ${path}: ${body.slice(0, 300)}`);
    if (!/^text\/html/.test(res.headers.get('content-type'))) continue; // CSV exports
    seen.push(path);
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
  // and every secretariat page without parameters is reachable from it
  for (const p of seen.filter((s) => !pages.some((r) => r.pattern.includes(':') && pathFor(r.pattern, {}, byPattern) === s))) {
    assert.ok(entries.some((e) => e.href === p), `${p} is not in the secretariat's menu`);
  }
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
