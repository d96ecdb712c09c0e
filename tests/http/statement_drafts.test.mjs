// statement_drafts.test.mjs -- a working party drafts a civil society
// statement (src/statements/drafting.c): its chairs write a draft under
// /working-parties/:slug/statements, see it (nobody else does but the
// secretariat: not the party's other members, not a visitor), change it,
// and ask the secretariat to open it, which mails the secretariat once;
// once the secretariat opens it the party changes nothing.  A dissolved
// party drafts nothing; a party's path never reaches another's draft.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { assertFormErrors } from '../lib/forms.mjs';
import {
  Browser, personWithRole, personId, sql, sqlValue, sqlText, mainOf, formCsrf, mailsTo, nextMail, linkIn,
} from '../lib/accounts.mjs';

const SECRETARIAT = 'secretariat@alliance.example.org';
let srv;
const as = {};

async function role(who, party, r) {
  await sql(srv.dataDir, `INSERT INTO object_roles (person_id, object_type, object_id, role, granted_at)
    VALUES (${as[`${who}Id`]}, 'party', ${sqlText(party)}, ${sqlText(r)}, 0)`);
}

before(async () => {
  srv = await startServer({ env: { ALLIANCE_MAIL_FROM: `Alliance secretariat <${SECRETARIAT}>` } });
  as.visitor = new Browser(srv.url);
  for (const [who, r] of [['admin', 'admin'], ['chair', 'member'], ['teammate', 'member'], ['other', 'member']]) {
    const p = await personWithRole(srv, { role: r, name: `Drafts ${who}` });
    as[who] = p.browser;
    as[`${who}Id`] = await personId(srv.dataDir, p.email);
  }
  await sql(srv.dataDir, `INSERT INTO parties (slug, name, summary, state, updated_at)
    VALUES ('old-party', 'Old Party', 'Dissolved.', 'dissolved', 0)`);
  await role('chair', 'victims', 'chair');
  await role('chair', 'old-party', 'chair');
  await role('teammate', 'victims', 'member');
  await role('other', 'corruption', 'chair');
});
after(async () => { if (srv) await srv.stop(); });

const BASE = '/working-parties/victims/statements';
let slug;

describe('a working party drafts a statement', () => {
  test('its chair drafts one; the form refuses an empty title beside the field', async () => {
    const party = mainOf(await as.chair.html('/working-parties/victims'));
    assert.match(party, new RegExp(`<a class="button" href="${BASE}/new">Draft a statement</a>`));
    assert.doesNotMatch(mainOf(await as.teammate.html('/working-parties/victims')), /Draft a statement/);
    const form = await as.chair.html(`${BASE}/new`);
    assert.doesNotMatch(mainOf(form), /name="party"/, 'the party is its own, not a choice');
    const csrf = formCsrf(form, BASE);
    const empty = await as.chair.post(BASE, { csrf, title: '' });
    assert.equal(empty.status, 422);
    assertFormErrors(await empty.text(), { action: BASE, invalid: ['title'] });
    const res = await as.chair.post(BASE, [['csrf', csrf], ['title', 'Victims at the Crime Commission'],
      ['summary', 'What victims ask.'], ['party', '9999'], ['focal', 'victims-rights']]);
    assert.equal(res.status, 303);
    slug = 'victims-at-the-crime-commission';
    assert.equal(res.headers.get('location'), `/statements/${slug}?done=drafted`);
    assert.equal(await sqlValue(srv.dataDir, `SELECT p.slug FROM statements s JOIN parties p ON p.id = s.party_id
      WHERE s.slug = ${sqlText(slug)}`), 'victims', 'a party field sent is not believed');
    assert.equal(await sqlValue(srv.dataDir, `SELECT state FROM statements WHERE slug = ${sqlText(slug)}`), 'draft');
    const page = mainOf(await as.chair.html(`/statements/${slug}?done=drafted`));
    assert.match(page, /This is a draft of Victims: only its chairs and the secretariat see it/);
    assert.match(page, /The draft has been saved\. Only the secretariat and the chairs of the working party see it\./);
    assert.match(page, new RegExp(`href="${BASE}/${slug}/edit">Edit the draft</a>`));
  });

  test('nobody else sees the draft: not the party\'s other members, not a visitor, not another party\'s chair', async () => {
    for (const who of ['visitor', 'teammate', 'other']) {
      assert.equal((await as[who].get(`/statements/${slug}`)).status, 404, who);
      assert.doesNotMatch(await as[who].html('/working-parties/victims'), /Victims at the Crime Commission/, who);
    }
    assert.match(mainOf(await as.chair.html('/working-parties/victims')), /<h3>Drafts<\/h3>[\s\S]*Victims at the Crime Commission/);
    assert.match(mainOf(await as.admin.html(`/statements/${slug}`)), /This is a draft:/);
    for (const who of ['teammate', 'other']) {
      assert.equal((await as[who].get(`${BASE}/new`)).status, 403, who);
      assert.equal((await as[who].get(`${BASE}/${slug}/edit`)).status, 403, who);
    }
    // another party's path does not reach this party's draft
    assert.equal((await as.other.get(`/working-parties/corruption/statements/${slug}/edit`)).status, 404);
  });

  test('a dissolved party drafts nothing', async () => {
    assert.equal((await as.chair.get('/working-parties/old-party/statements/new')).status, 409);
  });

  test('the chair changes the draft, then asks the secretariat to open it, once', async () => {
    const form = await as.chair.html(`${BASE}/${slug}/edit`);
    assert.match(form, /<input type="checkbox" name="focal" value="victims-rights" checked>/);
    const action = `${BASE}/${slug}/edit`;
    const csrf = formCsrf(form, action);
    const noText = await as.chair.post(`${BASE}/${slug}/submit`, { csrf });
    assert.equal(noText.status, 409);
    const saved = await as.chair.post(action, { csrf, title: 'Victims at the Crime Commission',
      summary: 'What victims ask.', body: 'We ask States to **hear victims**.', focal: 'victims-rights' });
    assert.equal(saved.status, 303);
    assert.equal(saved.headers.get('location'), `/statements/${slug}?done=saved`);
    const seen = (await mailsTo(srv.dataDir, SECRETARIAT)).length;
    const res = await as.chair.post(`${BASE}/${slug}/submit`, { csrf });
    assert.equal(res.status, 303);
    const mail = await nextMail(srv.dataDir, SECRETARIAT, seen, { subject: 'A statement to open: Victims at the Crime Commission' });
    assert.match(mail.text, /Drafts chair, for the working party Victims, asks the secretariat to open the statement “Victims at the Crime Commission”/);
    assert.equal(linkIn(mail, '/admin/statements/'), `/admin/statements/${slug}`);
    assert.equal((await as.chair.post(`${BASE}/${slug}/submit`, { csrf })).status, 409, 'once');
    assert.match(mainOf(await as.chair.html(`/statements/${slug}`)), /The secretariat was asked to open it on /);
    const desk = mainOf(await as.admin.html('/admin/statements'));
    assert.match(desk, /Victims asks to open it \(/);
    assert.match(mainOf(await as.admin.html(`/admin/statements/${slug}`)), /The working party Victims asks the secretariat to open it/);
    assert.equal(Number(await sqlValue(srv.dataDir, `SELECT count(*) FROM audit_log
      WHERE action = 'statement.submit' AND object_id = ${sqlText(slug)}`)), 1);
  });

  test('once the secretariat opens it, the party changes it no more; it is the party\'s on its page', async () => {
    const page = await as.admin.html(`/admin/statements/${slug}`);
    const res = await as.admin.post(`/admin/statements/${slug}/open`, { csrf: formCsrf(page, `/admin/statements/${slug}/open`) });
    assert.equal(res.status, 303);
    const form = await as.chair.html(`/statements/${slug}`);
    assert.doesNotMatch(mainOf(form), /Edit the draft/);
    assert.equal((await as.chair.get(`${BASE}/${slug}/edit`)).status, 409);
    const late = await as.chair.post(`${BASE}/${slug}/edit`, { csrf: formCsrf(form), title: 'Changed' });
    assert.equal(late.status, 409);
    assert.equal(await sqlValue(srv.dataDir, `SELECT title FROM statements WHERE slug = ${sqlText(slug)}`),
      'Victims at the Crime Commission');
    assert.match(mainOf(await as.visitor.html('/working-parties/victims')),
      new RegExp(`<a href="/statements/${slug}">Victims at the Crime Commission</a>`));
  });
});
