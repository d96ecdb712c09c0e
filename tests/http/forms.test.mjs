// forms.test.mjs -- every form, public and secretariat, sent empty or
// wrong, is shown again with the one error pattern (tests/lib/forms.mjs):
// the summary focused on load, each field aria-invalid with its message
// next to it, never a bare "Please check the form" page.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { Browser, personWithRole, sql, sqlValue } from '../lib/accounts.mjs';

const sqlRun = (statement) => sql(srv.dataDir, statement);
import { assertFormErrors } from '../lib/forms.mjs';

let srv;
let admin;
let member;

before(async () => {
  srv = await startServer();
  admin = (await personWithRole(srv, { role: 'admin', name: 'Forms Admin' })).browser;
  member = (await personWithRole(srv, { role: 'member', name: 'Forms Member' })).browser;
});
after(async () => { await srv?.stop(); });

/** GETs page, posts its form to action with fields, expects 4xx and the
 * pattern; resolves to the HTML. */
async function sendWrong(b, page, action, fields, invalid) {
  const res = await b.submit(page, action, fields);
  const html = await res.text();
  assert.ok(res.status === 422 || res.status === 400, `POST ${action}: ${res.status} ${html.slice(0, 300)}`);
  assertFormErrors(html, { action, invalid });
  return html;
}

describe('public forms', () => {
  test('sign-up', () => sendWrong(new Browser(srv.url), '/signup', '/signup',
    { name: '', email: 'nope' }, ['name', 'email', 'consent']));
  test('sign-in', () => sendWrong(new Browser(srv.url), '/signin', '/signin',
    { email: '', password: '' }, ['email']));
  test('password reset', () => sendWrong(new Browser(srv.url), '/reset', '/reset',
    { email: 'nope' }, ['email']));
  test('sponsor', () => sendWrong(new Browser(srv.url), '/sponsor', '/sponsor',
    { sponsor_name: '', contact_email: 'x' }, ['sponsor_name', 'contact_email', 'consent']));
  test('join, an organisation', () => sendWrong(new Browser(srv.url), '/join/full', '/join/full',
    { name: '', email: '' }, ['name', 'email', 'org_name', 'consent']));
  test('join, a person', () => sendWrong(new Browser(srv.url), '/join/individual', '/join/individual',
    { name: '', email: '' }, ['name', 'email', 'consent']));
});

describe('a member\'s forms', () => {
  test('profile', () => sendWrong(member, '/account/profile', '/account/profile', { name: '' }, ['name']));
  test('API token', () => sendWrong(member, '/account/tokens', '/account/tokens', { name: '' }, ['name']));
  test('password', () => sendWrong(member, '/account', '/account/password', { password: 'short' }, ['password']));
});

describe('the secretariat\'s forms', () => {
  test('add a tier, empty', async () => {
    const html = await sendWrong(admin, '/admin/tiers', '/admin/tiers',
      { slug: '', name: '', amount: '' }, ['new-slug', 'new-name', 'new-amount']);
    // the summary stands in the new tier's section, by its form
    assert.ok(html.indexOf('id="new-tier"') < html.indexOf('id="error-summary"'));
  });
  test('a level, emptied', () => sendWrong(admin, '/admin/levels', '/admin/levels/1',
    { name: '', summary: '', dues: 'x' }, ['name-1', 'summary-1', 'dues-1']));
});

describe('a membership\'s forms', () => {
  let mid;
  before(async () => {
    await sqlRun("UPDATE membership_levels SET dues_amount = 10000 WHERE slug = 'associate'");
    await sqlRun(`INSERT INTO organisations (slug, name, name_key, created_at) VALUES ('forms-ngo', 'Forms NGO', 'forms ngo', 0);
      INSERT INTO memberships (level_id, organisation_id, state, state_since, period_start, period_end, created_at)
      SELECT l.id, o.id, 'active', '2026-01-01', '2026-01-01', '2026-12-31', 0
      FROM membership_levels l, organisations o WHERE l.slug = 'associate' AND o.slug = 'forms-ngo';`);
    mid = await sqlValue(srv.dataDir, "SELECT m.id FROM memberships m JOIN organisations o ON o.id = m.organisation_id WHERE o.slug = 'forms-ngo'");
  });
  test('a payment with a bad amount and no date', () => sendWrong(admin, `/admin/memberships/${mid}`,
    `/admin/memberships/${mid}/payment`, { paid_on: '', amount: 'ten' }, ['paid_on', 'amount']));
  test('an end without a reason', () => sendWrong(admin, `/admin/memberships/${mid}`,
    `/admin/memberships/${mid}/cancel`, { reason: '' }, ['reason']));
});
