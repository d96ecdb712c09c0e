// cancel.test.mjs -- ending a membership (issue 4, point 4: "cancelled" is
// a state a person decides): the member who answers for it ends it after
// confirming, the secretariat ends one with a reason or takes an end back.
// Each change is audited and mailed; a cancelled organisation leaves the
// directory and comes back with the end taken back.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { assertFormErrors } from '../lib/forms.mjs';
import {
  personWithRole, personId, sql, sqlValue, mainOf, nextMail, mailsTo, formCsrf,
} from '../lib/accounts.mjs';

const SECRETARIAT = 'secretariat@alliance.example.org';
let srv;
let admin;
before(async () => {
  srv = await startServer({ env: { ALLIANCE_MAIL_FROM: `Alliance secretariat <${SECRETARIAT}>` } });
  admin = await personWithRole(srv, { role: 'admin', name: 'Cass Secretariat' });
});
after(async () => { if (srv) await srv.stop(); });

const today = () => new Date().toISOString().slice(0, 10);
const addDays = (ymd, n) => new Date(Date.parse(ymd) + n * 86400e3).toISOString().slice(0, 10);

let n = 0;
/** A public organisation with a main contact and a membership ending on end. */
async function organisation({ end = addDays(today(), 200), state = 'active' } = {}) {
  n += 1;
  const contact = await personWithRole(srv, { role: 'member', name: `Carla Contact ${n}` });
  const pid = await personId(srv.dataDir, contact.email);
  const slug = `ending-ngo-${n}`;
  await sql(srv.dataDir, `INSERT INTO organisations (slug, name, name_key, created_at)
    VALUES ('${slug}', 'Ending NGO ${n}', 'ending ngo ${n}', 0);
    INSERT INTO representatives (organisation_id, person_id, main_contact)
    VALUES ((SELECT id FROM organisations WHERE slug = '${slug}'), ${pid}, 1);
    INSERT INTO memberships (level_id, organisation_id, state, state_since, period_start, period_end, created_at)
    SELECT l.id, o.id, '${state}', '2026-01-01', '2026-01-01', '${end}', 0
    FROM membership_levels l, organisations o WHERE l.slug = 'associate' AND o.slug = '${slug}';`);
  const mid = await sqlValue(srv.dataDir,
    `SELECT m.id FROM memberships m JOIN organisations o ON o.id = m.organisation_id WHERE o.slug = '${slug}'`);
  return { contact, pid, slug, mid, name: `Ending NGO ${n}` };
}

const stateOf = (mid) => sqlValue(srv.dataDir, `SELECT state || ' ' || state_since FROM memberships WHERE id = ${mid}`);
async function listed(slug) {
  const body = await (await admin.browser.get('/api/v1/members?q=ending')).json();
  return body.organisations.some((o) => o.slug === slug);
}

describe('the member ends the membership', () => {
  test('it needs the confirmation; then it ends, is audited, mailed to both sides and leaves the directory', async () => {
    const o = await organisation();
    assert.ok(await listed(o.slug));
    const page = await o.contact.browser.html('/renew');
    assert.match(mainOf(page), /<summary>End this membership<\/summary>/);

    const unconfirmed = await o.contact.browser.submit('/renew', `/renew/${o.mid}/cancel`, { reason: 'Merging' });
    assert.equal(unconfirmed.status, 422);
    assert.match(await unconfirmed.text(), /tick the box/);
    assert.match(await stateOf(o.mid), /^active /);

    const seen = (await mailsTo(srv.dataDir, o.contact.email)).length;
    const seenS = (await mailsTo(srv.dataDir, SECRETARIAT)).length;
    const res = await o.contact.browser.submit('/renew', `/renew/${o.mid}/cancel`,
      { reason: 'We merge with a larger network.', confirm: '1' });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/renew?cancelled=1');
    assert.equal(await stateOf(o.mid), `cancelled ${today()}`);
    const after = mainOf(await o.contact.browser.html('/renew?cancelled=1'));
    assert.match(after, /The membership has ended/);
    assert.doesNotMatch(after, new RegExp(o.name), 'an ended membership is not offered for renewal');

    const mail = await nextMail(srv.dataDir, o.contact.email, seen, { subject: 'Your membership has ended' });
    assert.match(mail.text, new RegExp(`${o.name} \\(Associate member organisation\\) has ended`));
    const note = await nextMail(srv.dataDir, SECRETARIAT, seenS, { subject: 'A membership was ended by its member' });
    assert.match(note.text, /We merge with a larger network\./);
    assert.equal(JSON.parse(await sqlValue(srv.dataDir,
      `SELECT after_json FROM audit_log WHERE action = 'membership.cancel' AND object_id = '${o.mid}'`)).reason,
      'We merge with a larger network.');
    assert.equal(await listed(o.slug), false, 'still in the directory');
    assert.equal((await admin.browser.get(`/members/${o.slug}`)).status, 404);

    const again = await o.contact.browser.post(`/renew/${o.mid}/cancel`,
      { csrf: formCsrf(page, `/renew/${o.mid}/cancel`), confirm: '1' });
    assert.equal(again.status, 409);
  });

  test('nobody else can end it: another member gets 404, a visitor is sent to sign in, CSRF is checked', async () => {
    const o = await organisation();
    const other = await personWithRole(srv, { role: 'member', name: 'Nora Nosy' });
    const csrf = formCsrf(await other.browser.html('/account'));
    const res = await other.browser.post(`/renew/${o.mid}/cancel`, { csrf, confirm: '1' });
    assert.equal(res.status, 404);
    const forged = await o.contact.browser.post(`/renew/${o.mid}/cancel`, { csrf: 'forged', confirm: '1' });
    assert.equal(forged.status, 403);
    const visitor = await fetch(`${srv.url}/renew/${o.mid}/cancel`, {
      method: 'POST', redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'confirm=1',
    });
    assert.ok([303, 403].includes(visitor.status), `visitor: ${visitor.status}`);
    assert.match(await stateOf(o.mid), /^active /);
  });

  test('an :id that is not a whole number is no membership (404), not the number it starts with', async () => {
    const o = await organisation();
    const csrf = formCsrf(await o.contact.browser.html('/account'));
    for (const path of [`/renew/${o.mid}abc/cancel`, `/renew/${o.mid}abc`]) {
      const res = await o.contact.browser.post(path, { csrf, confirm: '1' });
      await res.arrayBuffer();
      assert.equal(res.status, 404, path);
    }
    assert.match(await stateOf(o.mid), /^active 2026-01-01/);
  });
});

describe('the secretariat', () => {
  test('with a mail_from that receives mail, the dashboard has no warning about notices', async () => {
    assert.equal((await (await admin.browser.get('/api/v1/admin')).json()).secretariat_unreachable, false);
    assert.doesNotMatch(mainOf(await admin.browser.html('/admin')), /are not being sent/);
  });

  test('ends a membership only with a reason, which the member is told', async () => {
    const o = await organisation();
    const list = `/admin/memberships/${o.mid}`;
    const bare = await admin.browser.submit(list, `/admin/memberships/${o.mid}/cancel`, { reason: '' });
    assert.equal(bare.status, 422);
    // the membership's page again, the message next to the reason
    assertFormErrors(await bare.text(), { action: `/admin/memberships/${o.mid}/cancel`, invalid: ['reason'] });
    assert.match(await stateOf(o.mid), /^active /);
    const seen = (await mailsTo(srv.dataDir, o.contact.email)).length;
    const res = await admin.browser.submit(list, `/admin/memberships/${o.mid}/cancel`,
      { reason: 'Dues unpaid for three years.' });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), `/admin/memberships?ended=${o.mid}`);
    assert.equal(await stateOf(o.mid), `cancelled ${today()}`);
    const mail = await nextMail(srv.dataDir, o.contact.email, seen, { subject: 'Your membership has ended' });
    assert.match(mail.text, /Dues unpaid for three years\./);
    const page = mainOf(await admin.browser.html(`/admin/memberships?state=cancelled&ended=${o.mid}`));
    assert.match(page, /The membership has ended/);
    assert.match(page, /<option value="cancelled" selected>/, 'the filter keeps its state');
    assert.match(page, new RegExp(`href="/admin/memberships/${o.mid}">Take the end back`));
    // an ended membership takes no payment until the end is taken back
    const one = mainOf(await admin.browser.html(`/admin/memberships/${o.mid}`));
    assert.doesNotMatch(one, new RegExp(`/admin/memberships/${o.mid}/payment`));
    assert.match(one, new RegExp(`/admin/memberships/${o.mid}/reinstate`));
  });

  test('takes an end back: the dates decide the state again, and the organisation is listed again', async () => {
    const current = await organisation({ end: addDays(today(), 100) });
    const inGrace = await organisation({ end: addDays(today(), -10) }); // associate: 60 days of grace
    const long = await organisation({ end: addDays(today(), -400) });
    for (const o of [current, inGrace, long]) {
      await sql(srv.dataDir, `UPDATE memberships SET state = 'cancelled' WHERE id = ${o.mid}`);
    }
    assert.equal(await listed(current.slug), false);
    const notCancelled = await organisation();
    // the page offers no taking back for it; a post anyway is a 409
    const active = await admin.browser.html(`/admin/memberships/${notCancelled.mid}`);
    assert.doesNotMatch(active, new RegExp(`/admin/memberships/${notCancelled.mid}/reinstate`));
    const wrong = await admin.browser.post(`/admin/memberships/${notCancelled.mid}/reinstate`,
      { csrf: formCsrf(active, `/admin/memberships/${notCancelled.mid}/cancel`) });
    assert.equal(wrong.status, 409);

    const want = { [current.mid]: 'active', [inGrace.mid]: 'grace', [long.mid]: 'lapsed' };
    for (const o of [current, inGrace, long]) {
      const seen = (await mailsTo(srv.dataDir, o.contact.email)).length;
      const res = await admin.browser.submit(`/admin/memberships/${o.mid}`,
        `/admin/memberships/${o.mid}/reinstate`);
      assert.equal(res.status, 303);
      assert.equal(await stateOf(o.mid), `${want[o.mid]} ${today()}`);
      await nextMail(srv.dataDir, o.contact.email, seen, { subject: 'Your membership is back' });
    }
    assert.ok(await listed(current.slug), 'listed again');
    assert.ok(await listed(inGrace.slug), 'grace is listed');
    assert.equal(await listed(long.slug), false, 'lapsed is not listed');
    assert.equal(await sqlValue(srv.dataDir,
      `SELECT count(*) FROM audit_log WHERE action = 'membership.reinstate' AND object_id IN ('${current.mid}', '${inGrace.mid}', '${long.mid}')`), '3');
  });

  test('members cannot end or take back what they do not answer for through the secretariat\'s routes', async () => {
    const o = await organisation();
    const csrf = formCsrf(await o.contact.browser.html('/account'));
    for (const path of [`/admin/memberships/${o.mid}/cancel`, `/admin/memberships/${o.mid}/reinstate`]) {
      const res = await o.contact.browser.post(path, { csrf, reason: 'mine' });
      await res.arrayBuffer();
      assert.equal(res.status, 403, path);
    }
    assert.match(await stateOf(o.mid), /^active /);
  });
});
