// dashboard.test.mjs -- the secretariat's membership dashboard (issue 4,
// point 9): GET /admin/membership.  Memberships, applications and pledges
// are put in the database with the sqlite3 command line, in states the
// daily state job leaves as they are; the page's counts (through its JSON
// twin and its HTML) must be exactly those; the chart is an SVG image with
// a title and one bar per month, and the same numbers are in a table.
// Visitors are sent to sign in, members are refused.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { Browser, personWithRole, sql, mainOf } from '../lib/accounts.mjs';

let srv;
let admin;

const DAY = 86400e3;
const today = () => new Date().toISOString().slice(0, 10);
const addDays = (ymd, n) => new Date(Date.parse(ymd) + n * DAY).toISOString().slice(0, 10);
/** The first day of the month n months before this one (UTC). */
function monthsBack(n) {
  const d = new Date();
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - n, 1)).toISOString().slice(0, 10);
}

// The data: [level, country, state, period_start, period_end] per
// organisation membership.  Twenty countries: AT three times, KE twice,
// eighteen others once, so the top 15 are AT, KE and 13 of the singles and
// "Others" holds the last 5.
const T = today();
const SINGLES = ['AR', 'BE', 'CA', 'DE', 'EG', 'FR', 'GH', 'IN', 'JP', 'MX', 'NG', 'PE', 'SE', 'TH',
  'UG', 'VN', 'ZA', 'ZM'];
const ORGS = [
  // active, ending within 30 days: renewals due (3)
  ['full', 'AT', 'active', addDays(T, -100), addDays(T, 3)],
  ['full', 'AT', 'active', addDays(T, -100), addDays(T, 29)],
  ['associate', 'KE', 'active', addDays(T, -100), addDays(T, 10)],
  // active, ending later
  ['associate', 'AT', 'active', addDays(T, -100), addDays(T, 200)],
  ['full', 'KE', 'active', addDays(T, -100), addDays(T, 300)],
  ...SINGLES.slice(0, 15).map((c) => ['associate', c, 'active', addDays(T, -100), addDays(T, 120)]),
  // in grace: ended 10 days ago (grace 60 days) -- not a renewal due
  ...SINGLES.slice(15).map((c) => ['associate', c, 'grace', addDays(T, -100), addDays(T, -10)]),
  // not members: pending, lapsed (one whose period began 23 months ago,
  // the only member at the end of the chart's first month), cancelled
  ['full', 'CH', 'pending', T, addDays(T, 365)],
  ['associate', 'CH', 'lapsed', monthsBack(23), addDays(monthsBack(23), 100)],
  ['associate', 'CH', 'cancelled', addDays(T, -100), addDays(T, 100)],
];
const ACTIVE = ORGS.filter((o) => o[2] === 'active').length; // 20
const GRACE = ORGS.filter((o) => o[2] === 'grace').length; // 3

before(async () => {
  srv = await startServer();
  admin = await personWithRole(srv, { role: 'admin', name: 'Dana Dashboard' });
  const stmts = ['BEGIN;'];
  ORGS.forEach(([level, country, state, start, end], i) => {
    stmts.push(`INSERT INTO organisations (slug, name, name_key, country, created_at) VALUES ` +
      `('dash-${i}', 'Dashboard NGO ${i}', 'dashboard ngo ${i}', '${country}', 0);`);
    // the cancelled one was cancelled 50 days ago
    const since = state === 'cancelled' ? addDays(T, -50) : start;
    stmts.push(`INSERT INTO memberships (level_id, organisation_id, state, state_since, period_start, period_end, created_at) ` +
      `SELECT l.id, o.id, '${state}', '${since}', '${start}', '${end}', ${Date.parse(start) / 1000} FROM membership_levels l, organisations o ` +
      `WHERE l.slug = '${level}' AND o.slug = 'dash-${i}';`);
  });
  // one individual member, in Brazil (the person's own country)
  stmts.push("INSERT INTO people (email, name, created_at, country) VALUES ('ind@example.org', 'Ines Individual', 0, 'BR');");
  stmts.push(`INSERT INTO memberships (level_id, person_id, state, state_since, period_start, period_end, created_at) ` +
    `SELECT l.id, p.id, 'active', '${addDays(T, -100)}', '${addDays(T, -100)}', '${addDays(T, 250)}', ${Date.parse(addDays(T, -100)) / 1000} ` +
    `FROM membership_levels l, people p WHERE l.slug = 'individual' AND p.email = 'ind@example.org';`);
  // applications: 2 submitted, 1 waiting for more information, 1 decided
  for (const status of ['submitted', 'submitted', 'more-info', 'approved']) {
    stmts.push(`INSERT INTO applications (level_id, status, applicant_name, applicant_email, consent_at, submitted_at) ` +
      `SELECT id, '${status}', 'Applicant', 'a@example.org', 0, 0 FROM membership_levels WHERE slug = 'associate';`);
  }
  // pledges: 2 new, 1 confirmed
  for (const status of ['new', 'new', 'confirmed']) {
    stmts.push(`INSERT INTO pledges (sponsor_name, contact_name, contact_email, amount, purpose, status, created_at) ` +
      `VALUES ('Sponsor', 'Contact', 'c@example.org', 1000, 'general', '${status}', 0);`);
  }
  stmts.push('COMMIT;');
  await sql(srv.dataDir, stmts.join('\n'));
});
after(async () => { if (srv) await srv.stop(); });

/** The dashboard's model as JSON, for the admin. */
async function model() {
  const res = await admin.browser.get('/admin/membership', { accept: 'application/json' });
  const body = await res.text();
  assert.equal(res.status, 200, body);
  return JSON.parse(body);
}

describe('membership dashboard', () => {
  test('a visitor is sent to sign in first', async () => {
    const res = await new Browser(srv.url).get('/admin/membership');
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/signin?next=%2Fadmin%2Fmembership');
  });

  test('a member and an editor are refused', async () => {
    for (const role of ['member', 'editor']) {
      const p = await personWithRole(srv, { role, name: `Nora ${role}` });
      const res = await p.browser.get('/admin/membership');
      await res.arrayBuffer();
      assert.equal(res.status, 403, role);
    }
  });

  test('the waiting counts match the database: renewals due, applications, pledges', async () => {
    const m = await model();
    assert.equal(m.counts.renewals_due, 3);
    assert.equal(m.counts.applications_submitted, 2);
    assert.equal(m.counts.applications_more_info, 1);
    assert.equal(m.counts.applications_waiting, 3);
    assert.equal(m.counts.pledges_new, 2);
    assert.equal(m.counts.members, ACTIVE + GRACE + 1);
  });

  test('members by level and by state', async () => {
    const m = await model();
    const byLevel = Object.fromEntries(m.by_level.map((r) => [r.slug, r.members]));
    assert.deepEqual(byLevel, { full: 3, associate: 20, individual: 1 });
    const byState = Object.fromEntries(m.by_state.map((r) => [r.state, r.members]));
    assert.deepEqual(byState, { active: ACTIVE + 1, grace: GRACE, pending: 1, lapsed: 1, cancelled: 1 });
  });

  test('members by country: the top 15, then the others added up', async () => {
    const m = await model();
    assert.equal(m.by_country.length, 16);
    assert.deepEqual(m.by_country.slice(0, 2).map((r) => [r.country, r.members]), [['AT', 3], ['KE', 2]]);
    // the singles in code order, Brazil (the individual) among them
    const singles = [...SINGLES, 'BR'].sort();
    assert.deepEqual(m.by_country.slice(2, 15).map((r) => r.country), singles.slice(0, 13));
    assert.ok(m.by_country.slice(2, 15).every((r) => r.members === 1));
    assert.deepEqual(m.by_country[15], { country: 'Others', country_name: 'Others', members: singles.length - 13, others: true });
    assert.equal(m.by_country[0].country_name, 'Austria', 'the name beside the code');
    // pending, lapsed and cancelled memberships (CH) are not members
    assert.ok(!m.by_country.some((r) => r.country === 'CH'));
  });

  test('24 months, oldest first; the last is today, the first holds only the old membership', async () => {
    const m = await model();
    assert.equal(m.months.length, 24);
    assert.equal(m.months[0].month, monthsBack(23).slice(0, 7));
    assert.equal(m.months[23].month, T.slice(0, 7));
    assert.equal(m.months[23].day, T);
    assert.equal(m.months[23].members, ACTIVE + GRACE + 1);
    assert.equal(m.months[0].members, 1);
    assert.ok(!('chart_svg' in m), 'the JSON twin carries data, not the drawing');
  });

  test('a membership renewed early still counts today, from the day it was made', async () => {
    // renewed ahead: its period_start is the next period's, in the future
    await sql(srv.dataDir, `INSERT INTO organisations (slug, name, name_key, country, created_at) VALUES ('dash-early', 'Early NGO', 'early ngo', 'AT', 0);` +
      `INSERT INTO memberships (level_id, organisation_id, state, state_since, period_start, period_end, created_at) ` +
      `SELECT l.id, o.id, 'active', '${T}', '${addDays(T, 40)}', '${addDays(T, 400)}', ${Date.parse(addDays(T, -1)) / 1000} ` +
      `FROM membership_levels l, organisations o WHERE l.slug = 'associate' AND o.slug = 'dash-early';`);
    try {
      const m = await model();
      assert.equal(m.months[23].members, ACTIVE + GRACE + 2);
      assert.equal(m.counts.members, ACTIVE + GRACE + 2);
    } finally {
      await sql(srv.dataDir, "DELETE FROM memberships WHERE organisation_id = (SELECT id FROM organisations WHERE slug = 'dash-early');" +
        "DELETE FROM organisations WHERE slug = 'dash-early';");
    }
  });

  test('the page shows the counts with their links, and the chart as an accessible SVG with one bar a month', async () => {
    const html = mainOf(await admin.browser.html('/admin/membership'));
    assert.match(html, /data-count="renewals-due">3</);
    assert.match(html, /href="\/admin\/memberships\?state=active&amp;due=1"/);
    assert.match(html, /data-count="applications-waiting">3</);
    assert.match(html, /href="\/admin\/applications"/);
    assert.match(html, /data-count="pledges-new">2</);
    assert.match(html, /data-state="grace">3</);
    assert.match(html, /data-level="associate">20</);
    assert.match(html, /data-country="Others">6</);
    // countries by name, the code kept in data-country
    assert.match(html, /<th scope="row">Austria<\/th><td data-country="AT">3</);
    assert.match(html, /<th scope="row">Kenya<\/th><td data-country="KE">2</);
    assert.doesNotMatch(html, /<th scope="row">[A-Z]{2}<\/th>/);
    const svg = /<svg\b[\s\S]*?<\/svg>/.exec(html)?.[0];
    assert.ok(svg, 'no <svg> on the page');
    assert.match(svg, /^<svg [^>]*role="img"/);
    assert.match(svg, /aria-labelledby="membership-chart-title membership-chart-desc"/);
    assert.match(svg, /<title id="membership-chart-title">Members over the last 24 months<\/title>/);
    assert.match(svg, /<desc id="membership-chart-desc">/);
    assert.equal([...svg.matchAll(/<rect class="chart-bar"/g)].length, 24);
    // no style attribute or script for the CSP to refuse
    assert.doesNotMatch(svg, /style=|<script/);
    // the table under it has the same 24 numbers
    const table = /<table class="data-table" id="months-table">[\s\S]*?<\/table>/.exec(html)?.[0];
    assert.ok(table, 'no table of the months');
    assert.equal([...table.matchAll(/<tr><th scope="row">/g)].length, 24);
    const m = await model();
    const cells = [...table.matchAll(/<tr><th scope="row">[^<]*<\/th><td>[^<]*<\/td><td>(\d+)<\/td>/g)].map((x) => Number(x[1]));
    assert.deepEqual(cells, m.months.map((r) => r.members));
    // and the bars say the same
    const titles = [...svg.matchAll(/<title>[^<:]*: (\d+)<\/title>/g)].map((x) => Number(x[1]));
    assert.deepEqual(titles, cells);
  });

  test('the secretariat navigation links to the dashboard', async () => {
    const html = mainOf(await admin.browser.html('/admin'));
    assert.match(html, /<a href="\/admin\/membership">Membership dashboard<\/a>/);
    for (const href of ['/admin/applications', '/admin/memberships', '/admin/pledges', '/admin/levels', '/admin/tiers']) {
      assert.match(html, new RegExp(`<a href="${href}">`), href);
    }
  });
});
