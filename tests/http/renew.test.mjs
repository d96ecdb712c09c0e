// renew.test.mjs -- Renew (issue 4, point 5): the main contact sees the
// state, period and dues of the memberships they answer for and renews; a
// free level renews at once, one with dues sends payment instructions and
// waits for the secretariat, who records the payment, which moves the
// membership to its next period (audited, with a receipt by e-mail).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { assertFormErrors } from '../lib/forms.mjs';
import {
  Browser, personWithRole, personId, sql, sqlValue, sqlText, mainOf,
  mailsTo, nextMail, outboxDrained, formCsrf, uniqueEmail,
} from '../lib/accounts.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { if (srv) await srv.stop(); });

const today = () => new Date().toISOString().slice(0, 10);
const addDays = (ymd, n) => new Date(Date.parse(ymd) + n * 86400e3).toISOString().slice(0, 10);
let orgs = 0;

/** An organisation of level with its main contact (a signed-in member)
 * and a membership in state ending on end. */
async function memberOrganisation({ level = 'full', state = 'active', end = addDays(today(), 20), dues = null } = {}) {
  orgs += 1;
  const contact = await personWithRole(srv, { role: 'member', name: `Rita Renew ${orgs}` });
  const pid = await personId(srv.dataDir, contact.email);
  const slug = `renew-org-${process.pid}-${orgs}`;
  if (dues !== null) await sql(srv.dataDir, `UPDATE membership_levels SET dues_amount = ${dues} WHERE slug = '${level}'`);
  await sql(srv.dataDir, `INSERT INTO organisations (slug, name, name_key, created_at) VALUES ` +
    `('${slug}', 'Renewal NGO ${orgs}', 'renewal ngo ${orgs}', 0)`);
  const oid = await sqlValue(srv.dataDir, `SELECT id FROM organisations WHERE slug = '${slug}'`);
  await sql(srv.dataDir, `INSERT INTO representatives (organisation_id, person_id, main_contact) VALUES (${oid}, ${pid}, 1)`);
  await sql(srv.dataDir, `INSERT INTO memberships (level_id, organisation_id, state, state_since, period_start, period_end, created_at) ` +
    `SELECT id, ${oid}, ${sqlText(state)}, '2026-01-01', '2026-01-01', ${sqlText(end)}, 0 FROM membership_levels WHERE slug = '${level}'`);
  const mid = await sqlValue(srv.dataDir, `SELECT id FROM memberships WHERE organisation_id = ${oid}`);
  return { contact, oid, mid, name: `Renewal NGO ${orgs}` };
}

describe('Renew', () => {
  test('a visitor is sent to sign in first', async () => {
    const res = await new Browser(srv.url).get('/renew');
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/signin?next=%2Frenew');
  });

  test('the main contact sees state, period and dues; another member sees nothing of it', async () => {
    const end = addDays(today(), 20);
    const m = await memberOrganisation({ end, dues: 15000, level: 'associate' });
    const page = mainOf(await m.contact.browser.html('/renew'));
    assert.match(page, new RegExp(m.name));
    assert.match(page, /Associate member organisation/);
    assert.match(page, new RegExp(`to ${end}`));
    assert.match(page, /USD 150\.00/);
    // and the organisation's management pages, which the contact may open
    const slug = await sqlValue(srv.dataDir, `SELECT slug FROM organisations WHERE id = ${m.oid}`);
    assert.match(page, new RegExp(`href="/members/${slug}/edit">Edit organisation</a>`));
    assert.match(page, new RegExp(`href="/members/${slug}/representatives">Representatives</a>`));
    for (const path of [`/members/${slug}/edit`, `/members/${slug}/representatives`]) {
      const res = await m.contact.browser.get(path);
      await res.arrayBuffer();
      assert.equal(res.status, 200, path);
    }
    assert.match(mainOf(await m.contact.browser.html('/account')), /href="\/renew">Your memberships and organisations/);
    const other = await personWithRole(srv, { role: 'member', name: 'Nosy Neighbour' });
    const theirs = mainOf(await other.browser.html('/renew'));
    assert.doesNotMatch(theirs, new RegExp(m.name));
    // nor can they renew it
    const csrf = formCsrf(await other.browser.html('/account'));
    const res = await other.browser.post(`/renew/${m.mid}`, { csrf });
    assert.equal(res.status, 404);
    await sql(srv.dataDir, "UPDATE membership_levels SET dues_amount = 0 WHERE slug = 'associate'");
  });

  test('a free level renews at once: next period follows on, receipt mailed, audited', async () => {
    // a rolling year, so that the next period is a year whatever today is
    await sql(srv.dataDir, "UPDATE membership_levels SET period = 'rolling' WHERE slug = 'associate'");
    const end = addDays(today(), 5);
    const m = await memberOrganisation({ end, level: 'associate' });
    const seen = (await mailsTo(srv.dataDir, m.contact.email)).length;
    const res = await m.contact.browser.submit('/renew', `/renew/${m.mid}`);
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), `/renew?renewed=${m.mid}`);
    const row = await sqlValue(srv.dataDir, `SELECT state || ' ' || period_start || ' ' || period_end FROM memberships WHERE id = ${m.mid}`);
    const start = addDays(end, 1);
    // a rolling period ends the day before the same date a year on (a
    // start on 29 February ends on 28 February)
    const [y, mo, d] = start.split('-').map(Number);
    const rollingEnd = new Date(Date.UTC(y + 1, mo - 1, d) - 86400e3).toISOString().slice(0, 10);
    assert.equal(row, `active ${start} ${rollingEnd}`);
    const mail = await nextMail(srv.dataDir, m.contact.email, seen, { subject: 'Your membership is renewed' });
    assert.match(mail.text, /is renewed/);
    assert.equal(await sqlValue(srv.dataDir, `SELECT count(*) FROM audit_log WHERE action = 'membership.renew' AND object_id = '${m.mid}'`), '1');

    // a renewed period is not renewed again at once: no second free year
    const page = mainOf(await m.contact.browser.html('/renew'));
    assert.doesNotMatch(page, new RegExp(`action="/renew/${m.mid}"`));
    assert.match(page, /last 90 days/);
    const csrf = formCsrf(await m.contact.browser.html('/account'));
    const again = await m.contact.browser.post(`/renew/${m.mid}`, { csrf });
    assert.equal(again.status, 409);
    assert.equal(await sqlValue(srv.dataDir, `SELECT count(*) FROM payments WHERE membership_id = ${m.mid}`), '1');
    await sql(srv.dataDir, "UPDATE membership_levels SET period = 'calendar' WHERE slug = 'associate'");
  });

  test('a level with dues: the contact gets the amount and reference, the secretariat a notice; the period moves only with the payment', async () => {
    const end = addDays(today(), 10);
    const m = await memberOrganisation({ end, level: 'full', dues: 25000 });
    const seen = (await mailsTo(srv.dataDir, m.contact.email)).length;
    const res = await m.contact.browser.submit('/renew', `/renew/${m.mid}`);
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), `/renew?requested=${m.mid}`);
    const mail = await nextMail(srv.dataDir, m.contact.email, seen, { subject: 'Renewing your membership' });
    assert.match(mail.text, /USD 250\.00/);
    assert.match(mail.text, new RegExp(`M${m.mid}-${end.slice(0, 4)}`));
    assert.equal(await sqlValue(srv.dataDir, `SELECT period_end FROM memberships WHERE id = ${m.mid}`), end);

    // the secretariat records the payment
    const admin = await personWithRole(srv, { role: 'admin', name: 'Sue Secretariat' });
    const list = mainOf(await admin.browser.html('/admin/memberships?due=1'));
    assert.match(list, new RegExp(m.name));
    // the member's name leads to its organisation, the row to the membership's page
    assert.match(list, new RegExp(`<a href="/admin/organisations/${m.oid}">${m.name}</a>`));
    assert.match(list, new RegExp(`<a href="/admin/memberships/${m.mid}">Payment or end`));
    assert.doesNotMatch(list, /<form[^>]*method="post"/, 'no form in the rows');
    const one = `/admin/memberships/${m.mid}`;
    const bad = await admin.browser.submit(one, `/admin/memberships/${m.mid}/payment`,
      { paid_on: today(), amount: 'lots', currency: 'USD', reference: 'x' });
    assert.equal(bad.status, 422);
    const badHtml = await bad.text();
    assertFormErrors(badHtml, { action: `/admin/memberships/${m.mid}/payment`, invalid: ['amount'] });
    assert.match(badHtml, /value="lots"/, 'what was typed is kept');
    const paid = await admin.browser.submit(one, `/admin/memberships/${m.mid}/payment`,
      { paid_on: today(), amount: '250.00', currency: 'USD', reference: `M${m.mid}-bank` });
    assert.equal(paid.status, 303);
    assert.equal(await sqlValue(srv.dataDir, `SELECT amount || ' ' || currency || ' ' || provider FROM payments WHERE membership_id = ${m.mid}`), '25000 USD manual');
    assert.equal(await sqlValue(srv.dataDir, `SELECT period_start FROM memberships WHERE id = ${m.mid}`), addDays(end, 1));
    const again = mainOf(await m.contact.browser.html('/renew'));
    assert.match(again, /USD 250\.00 \(M\d+-bank\)/);
    await sql(srv.dataDir, "UPDATE membership_levels SET dues_amount = 0 WHERE slug = 'full'");
  });

  test('a lapsed membership starts a new period today', async () => {
    const m = await memberOrganisation({ state: 'lapsed', end: '2024-12-31', level: 'associate' });
    const res = await m.contact.browser.submit('/renew', `/renew/${m.mid}`);
    assert.equal(res.status, 303);
    assert.equal(await sqlValue(srv.dataDir, `SELECT state || ' ' || period_start FROM memberships WHERE id = ${m.mid}`), `active ${today()}`);
  });

  test('a free level has no payment form', async () => {
    const m = await memberOrganisation({ level: 'full', dues: 0 });
    const admin = await personWithRole(srv, { role: 'admin', name: 'Fay Free' });
    const one = mainOf(await admin.browser.html(`/admin/memberships/${m.mid}`));
    assert.doesNotMatch(one, /\/payment"/);
    assert.match(one, /This level is free/);
    assert.match(one, new RegExp(`action="/admin/memberships/${m.mid}/cancel"`));
    const list = mainOf(await admin.browser.html('/admin/memberships'));
    assert.match(list, new RegExp(`<a href="/admin/memberships/${m.mid}">End<`));
    assert.equal((await admin.browser.get('/admin/memberships/999999')).status, 404);
  });

  test('members cannot record payments', async () => {
    const m = await memberOrganisation({ level: 'associate' });
    // with this session's valid token, so the refusal is the role's
    const csrf = formCsrf(await m.contact.browser.html('/renew'), `/renew/${m.mid}`);
    const res = await m.contact.browser.post(`/admin/memberships/${m.mid}/payment`,
      { csrf, paid_on: today(), amount: '1', currency: 'USD' });
    assert.equal(res.status, 403);
    assert.doesNotMatch(await res.text(), /did not come from this site/);
    assert.equal(await sqlValue(srv.dataDir, `SELECT count(*) FROM payments WHERE membership_id = ${m.mid}`), '0');
  });
});
