// parties.test.mjs -- the life of a working party (issue 13; src/parties/
// parties.c): a representative of a member organisation proposes one; the
// secretariat approves it (the proposer becomes its chair, the initial
// team is invited); the chair changes the charter (versions, who and
// when, the first still readable); the secretariat dissolves it (reason,
// closing report) and archives it; after that every write answers 409 and
// the page still reads publicly.  Who may do what: a plain member cannot
// propose, approve, nor edit another party's charter; a visitor never
// sees a proposal (page, API, search) nor rules kept for the team (HTML
// and JSON).  Bad input: the form again with the messages (422).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import {
  Browser, mainOf, sql, sqlText, personWithRole, personId, hiddenFields, unescapeHtml,
} from '../lib/accounts.mjs';

let srv;
const as = {};
const ids = {};
const emails = {};

const NAME = 'Prison Health Working Party';
const SLUG = 'prison-health-working-party';

/** The audit records of action on party slug. */
const audit = (action, slug) => sql(srv.dataDir,
  `SELECT action FROM audit_log WHERE action = ${sqlText(action)}
   AND object_type = 'party' AND object_id = ${sqlText(slug)}`);

/** GET the page at path and post its form to action with fields. */
async function submit(b, path, action, fields) {
  const hidden = hiddenFields(await b.html(path), action);
  return b.post(action, Array.isArray(fields)
    ? [...Object.entries(hidden), ...fields] : { ...hidden, ...fields });
}

/** POST to action with the csrf token of path's form (no other field). */
async function press(b, path, action, fields = {}) {
  return submit(b, path, action, fields);
}

/** POST fields to path with a valid csrf token of b (a form that the
 * page may not show, as a step that does not fit the state). */
async function postAnyway(b, path, fields = {}) {
  const { csrf } = hiddenFields(await b.html('/account'));
  return b.post(path, { csrf, ...fields });
}

const proposal = (over = {}) => [
  ['name', NAME],
  ['summary', 'Health care in prisons, as the UN rules describe it.'],
  ['objectives', 'Promote the *Nelson Mandela Rules* on health care.'],
  ['rationale', 'No working party covers health in prisons.'],
  ['team', `${emails.mate}\n  ${emails.mate2.toUpperCase()}  \n`],
  ['focal', 'corrections-sentencing'],
  ['focal', 'victims-rights'],
  ['join_policy', 'approval'],
  ...Object.entries(over),
];

before(async () => {
  srv = await startServer();
  as.visitor = new Browser(srv.url);
  for (const who of ['admin', 'proposer', 'plain', 'mate', 'mate2']) {
    const p = await personWithRole(srv, { role: who === 'admin' ? 'admin' : 'member', name: `Party ${who}`, password: null });
    as[who] = p.browser;
    emails[who] = p.email;
    ids[who] = await personId(srv.dataDir, p.email);
  }
  // the proposer represents a member organisation: a member in the
  // directory's sense (organisations_viewer_is_member); plain is not
  await sql(srv.dataDir, `
    INSERT INTO organisations (slug, name, name_key, acronym, country, description_md, visibility,
      dgc_associated, created_at)
    VALUES ('prison-care', 'Prison Care', 'prison care', 'PC', 'AT', '', 'public', 0, 0);
    INSERT INTO memberships (level_id, organisation_id, state, state_since, period_start, period_end, created_at)
    VALUES ((SELECT id FROM membership_levels WHERE slug = 'associate'),
      (SELECT id FROM organisations WHERE slug = 'prison-care'), 'active',
      '2026-01-01', '2026-01-01', '2026-12-31', 0);
    INSERT INTO representatives (organisation_id, person_id, main_contact)
    VALUES ((SELECT id FROM organisations WHERE slug = 'prison-care'), ${ids.proposer}, 1)`);
});

after(async () => { if (srv) await srv.stop(); });

describe('proposing', () => {
  test('a person of no member organisation is told why, and cannot post', async () => {
    const html = mainOf(await as.plain.html('/working-parties/propose'));
    assert.match(html, /Only people whose organisation is a member of the Alliance/);
    assert.doesNotMatch(html, /<form/);
    assert.doesNotMatch(mainOf(await as.plain.html('/working-parties')), /href="\/working-parties\/propose"/);
    const res = await as.plain.post('/working-parties/propose',
      [['csrf', hiddenFields(await as.plain.html('/account')).csrf], ...proposal()]);
    assert.equal(res.status, 403);
    assert.match(await res.text(), /Only people whose organisation is a member/);
    assert.deepEqual(await sql(srv.dataDir, `SELECT count(*) FROM parties WHERE name = ${sqlText(NAME)}`), [['0']]);
  });

  test('a visitor is sent to sign in', async () => {
    const res = await as.visitor.get('/working-parties/propose');
    assert.equal(res.status, 303);
    assert.match(res.headers.get('location'), /^\/signin\?next=/);
  });

  test('absent and empty fields, unknown addresses and areas: the form again, nothing stored', async () => {
    const page = await as.proposer.html('/working-parties/propose');
    const { csrf } = hiddenFields(page, '/working-parties/propose');
    let res = await as.proposer.post('/working-parties/propose', { csrf });
    assert.equal(res.status, 422);
    let html = unescapeHtml(await res.text());
    for (const f of ['name', 'summary', 'objectives', 'rationale', 'join_policy']) {
      assert.match(html, new RegExp(`id="${f}-error"`), f);
    }
    res = await as.proposer.post('/working-parties/propose', [['csrf', csrf],
      ...proposal({ name: '  ', team: `${emails.mate}\nnobody@example.org\nnot-an-address`, focal: 'no-such-area' })]);
    assert.equal(res.status, 422);
    html = unescapeHtml(await res.text());
    assert.match(html, /id="name-error"/);
    assert.match(html, /no one has an account with nobody@example\.org, not-an-address/);
    assert.match(html, /Focal areas: choose among the listed ones/);
    // what was typed is kept
    assert.match(html, /Promote the \*Nelson Mandela Rules\*/);
    assert.deepEqual(await sql(srv.dataDir, 'SELECT count(*) FROM parties WHERE proposed_by IS NOT NULL'), [['0']]);
  });

  test('a member organisation\'s representative proposes: a page only they and the secretariat see', async () => {
    const res = await submit(as.proposer, '/working-parties/propose', '/working-parties/propose', proposal());
    assert.equal(res.status, 303, await res.text());
    assert.equal(res.headers.get('location'), `/working-parties/${SLUG}`);
    // the addresses as people with accounts, lower-cased, one a line
    const team = sqlText(`${emails.mate}\n${emails.mate2}\n`);
    const row = await sql(srv.dataDir, `SELECT state, charter_version, proposed_by,
      CASE WHEN initial_team = ${team} THEN 1 ELSE 0 END, join_policy FROM parties WHERE slug = ${sqlText(SLUG)}`);
    assert.deepEqual(row, [['proposed', '1', String(ids.proposer), '1', 'approval']]);
    assert.deepEqual(await sql(srv.dataDir, `SELECT v.version, v.author_id, v.objectives_md FROM party_charter_versions v
      JOIN parties p ON p.id = v.party_id WHERE p.slug = ${sqlText(SLUG)}`),
    [['1', String(ids.proposer), 'Promote the *Nelson Mandela Rules* on health care.']]);
    assert.deepEqual(await sql(srv.dataDir, `SELECT fa.slug FROM party_focal_areas x JOIN focal_areas fa
      ON fa.id = x.focal_area_id JOIN parties p ON p.id = x.party_id WHERE p.slug = ${sqlText(SLUG)} ORDER BY fa.slug`),
    [['corrections-sentencing'], ['victims-rights']]);
    assert.equal((await audit('party.propose', SLUG)).length, 1);
    const html = mainOf(await as.proposer.html(`/working-parties/${SLUG}`));
    assert.match(html, /Proposed/);
    assert.match(html, /<em>Nelson Mandela Rules<\/em>/);
    // the proposer is not its chair yet: no edit, and the charter is refused
    assert.doesNotMatch(html, /\/charter"/);
    assert.equal((await as.proposer.get(`/working-parties/${SLUG}/charter`)).status, 403);
  });

  test('a second party of the same name gets a slug of its own', async () => {
    const res = await submit(as.proposer, '/working-parties/propose', '/working-parties/propose',
      proposal({ team: '' }));
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), `/working-parties/${SLUG}-2`);
  });

  test('nobody else sees a proposal: page, API, list, search', async () => {
    for (const b of [as.visitor, as.plain, as.mate]) {
      assert.equal((await b.get(`/working-parties/${SLUG}`)).status, 404);
      assert.equal((await b.get(`/api/v1/working-parties/${SLUG}`)).status, 404);
      assert.equal((await b.get(`/working-parties/${SLUG}/charter/versions`)).status, 404);
      assert.equal((await b.get(`/working-parties/${SLUG}/charter/versions/1`)).status, 404);
      const list = await (await b.get('/api/v1/working-parties')).json();
      assert.ok(!list.parties.some((p) => p.slug === SLUG), 'a proposal in the list');
      const found = await (await b.get('/api/v1/search?q=prison+health')).json();
      assert.ok(!JSON.stringify(found).includes(SLUG), 'a proposal in the search');
    }
  });
});

describe('the secretariat', () => {
  test('the overview counts proposals, the desk lists them first with dates as words', async () => {
    const admin = mainOf(await as.admin.html('/admin'));
    assert.match(admin, /href="\/admin\/working-parties"/);
    assert.match(admin, /Working parties proposed/);
    const desk = mainOf(await as.admin.html('/admin/working-parties'));
    const first = desk.indexOf(`/admin/working-parties/${SLUG}"`);
    assert.ok(first > 0 && first < desk.indexOf('/admin/working-parties/restorative-justice"'), 'proposals are not first');
    assert.match(desk, /<time datetime="\d{4}-\d\d-\d\dT[^"]+">\d{1,2} \w{3} \d{4}, \d\d:\d\d UTC<\/time> by Party proposer/);
    const page = mainOf(await as.admin.html(`/admin/working-parties/${SLUG}`));
    assert.match(page, /Approve the working party/);
    assert.match(page, new RegExp(emails.mate.replace(/\./g, '\\.')));
    assert.doesNotMatch(page, /Dissolve the working party/);
  });

  test('a plain member may not approve (403), nor see the desk', async () => {
    const { csrf } = hiddenFields(await as.plain.html('/account'));
    assert.equal((await as.plain.post(`/admin/working-parties/${SLUG}/approve`, { csrf })).status, 403);
    assert.equal((await as.plain.get('/admin/working-parties')).status, 403);
    assert.deepEqual(await sql(srv.dataDir, `SELECT state FROM parties WHERE slug = ${sqlText(SLUG)}`), [['proposed']]);
  });

  test('turning down needs a reason; the other proposal is not approved', async () => {
    let res = await press(as.admin, `/admin/working-parties/${SLUG}-2`, `/admin/working-parties/${SLUG}-2/reject`, { reason: ' ' });
    assert.equal(res.status, 422);
    const body = await res.text();
    assert.match(body, /id="reject-reason-error"/);
    // the summary is beside its form, not above the proposal's text
    assert.ok(body.indexOf('id="error-summary"') > body.indexOf('id="reject-h"'), 'the summary is under "Do not approve"');
    assert.equal(body.split('id="error-summary"').length, 2, 'one summary');
    res = await press(as.admin, `/admin/working-parties/${SLUG}-2`, `/admin/working-parties/${SLUG}-2/reject`,
      { reason: 'The same as the other proposal.' });
    assert.equal(res.status, 303);
    assert.deepEqual(await sql(srv.dataDir, `SELECT state, rejection_reason, decided_by FROM parties
      WHERE slug = ${sqlText(`${SLUG}-2`)}`), [['rejected', 'The same as the other proposal.', String(ids.admin)]]);
    assert.equal((await audit('party.reject', `${SLUG}-2`)).length, 1);
    assert.match(mainOf(await as.proposer.html(`/working-parties/${SLUG}-2`)), /The same as the other proposal\./);
    assert.equal((await as.visitor.get(`/working-parties/${SLUG}-2`)).status, 404);
  });

  test('approving: active, the proposer chairs it, the team invited, in the search', async () => {
    const res = await press(as.admin, `/admin/working-parties/${SLUG}`, `/admin/working-parties/${SLUG}/approve`);
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), `/admin/working-parties/${SLUG}?done=approved`);
    assert.match(mainOf(await as.admin.html(res.headers.get('location'))), /The working party is approved/);
    const [[state, approvedAt, decidedBy]] = await sql(srv.dataDir,
      `SELECT state, approved_at, decided_by FROM parties WHERE slug = ${sqlText(SLUG)}`);
    assert.equal(state, 'active');
    assert.ok(Number(approvedAt) > 0);
    assert.equal(decidedBy, String(ids.admin));
    assert.deepEqual(await sql(srv.dataDir, `SELECT person_id, role FROM object_roles
      WHERE object_type = 'party' AND object_id = ${sqlText(SLUG)}`), [[String(ids.proposer), 'chair']]);
    assert.deepEqual(await sql(srv.dataDir, `SELECT q.person_id, q.kind, q.role, q.state, q.created_by
      FROM party_requests q JOIN parties p ON p.id = q.party_id WHERE p.slug = ${sqlText(SLUG)} ORDER BY q.person_id`),
    [[String(ids.mate), 'invitation', 'member', 'pending', String(ids.proposer)],
      [String(ids.mate2), 'invitation', 'member', 'pending', String(ids.proposer)]]);
    assert.equal((await audit('party.approve', SLUG)).length, 1);
    const found = await (await as.visitor.get('/api/v1/search?q=prison+health')).json();
    assert.ok(found.results.some((h) => h.href === `/working-parties/${SLUG}`), JSON.stringify(found));
    // approving again: 409 with a sentence
    const again = await postAnyway(as.admin, `/admin/working-parties/${SLUG}/reject`, { reason: 'x' });
    assert.equal(again.status, 409);
    assert.match(await again.text(), /Only a proposal can be approved or turned down/);
  });
});

describe('the charter', () => {
  test('the chair changes it twice: versions listed, who and when, the first readable', async () => {
    const page = await as.proposer.html(`/working-parties/${SLUG}/charter`);
    assert.match(page, /Saving makes version 2/);
    let res = await submit(as.proposer, `/working-parties/${SLUG}/charter`, `/working-parties/${SLUG}/charter`, [
      ['objectives', 'Promote the Mandela Rules.'], ['rules', 'We meet **monthly**. Team only.'],
      ['note', 'Rules written'], ['join_policy', 'open'], ['rules_visibility', 'team'],
      ['team_visibility', 'members'], ['focal', 'corrections-sentencing']]);
    assert.equal(res.status, 303, await res.text());
    res = await submit(as.proposer, `/working-parties/${SLUG}/charter`, `/working-parties/${SLUG}/charter`, [
      ['objectives', 'Promote the Mandela Rules, and the Bangkok Rules.'], ['rules', 'We meet **monthly**. Team only.'],
      ['note', 'Bangkok Rules added'], ['join_policy', 'open'], ['rules_visibility', 'team'],
      ['team_visibility', 'members'], ['focal', 'corrections-sentencing']]);
    assert.equal(res.status, 303);
    assert.deepEqual(await sql(srv.dataDir, `SELECT charter_version, join_policy, rules_visibility FROM parties
      WHERE slug = ${sqlText(SLUG)}`), [['3', 'open', 'team']]);
    assert.equal((await audit('party.charter', SLUG)).length, 2);
    const versions = mainOf(await as.visitor.html(`/working-parties/${SLUG}/charter/versions`));
    assert.match(versions, /Version 3<\/a>, <time[^>]*>[^<]+<\/time>: Bangkok Rules added/);
    assert.match(versions, /Version 2<\/a>, <time[^>]*>[^<]+<\/time>: Rules written/);
    assert.match(versions, /Version 1<\/a>, <time[^>]*>[^<]+<\/time>: the charter as proposed/);
    // the team sees who (the proposer chose no public profile)
    assert.match(mainOf(await as.proposer.html(`/working-parties/${SLUG}/charter/versions`)), /by Party proposer: Bangkok/);
    const v1 = mainOf(await as.visitor.html(`/working-parties/${SLUG}/charter/versions/1`));
    assert.match(v1, /<em>Nelson Mandela Rules<\/em>/);
    assert.equal((await as.visitor.get(`/working-parties/${SLUG}/charter/versions/9`)).status, 404);
    assert.equal((await as.visitor.get(`/working-parties/${SLUG}/charter/versions/x`)).status, 404);
  });

  test('rules for the team: absent for visitors and members in HTML, JSON and versions', async () => {
    for (const b of [as.visitor, as.plain]) {
      const html = mainOf(await b.html(`/working-parties/${SLUG}`));
      assert.match(html, /Bangkok Rules/);
      assert.doesNotMatch(html, /monthly/);
      assert.match(html, /The rules of engagement are for: The working party&#39;s team\.|The rules of engagement are for: The working party's team\./);
      const json = await (await b.get(`/api/v1/working-parties/${SLUG}`)).text();
      assert.doesNotMatch(json, /monthly/);
      assert.doesNotMatch(json, /initial_team|@example/);
      assert.doesNotMatch(mainOf(await b.html(`/working-parties/${SLUG}/charter/versions/3`)), /monthly/);
    }
    assert.match(mainOf(await as.proposer.html(`/working-parties/${SLUG}`)), /<strong>monthly<\/strong>/);
    const found = await (await as.visitor.get('/api/v1/search?q=monthly')).json();
    assert.ok(!JSON.stringify(found).includes(SLUG), 'team-only rules in the search');
  });

  test('a plain member may not edit another party\'s charter (403); bad input: the form again', async () => {
    assert.equal((await as.plain.get(`/working-parties/${SLUG}/charter`)).status, 403);
    const { csrf } = hiddenFields(await as.plain.html('/account'));
    assert.equal((await as.plain.post(`/working-parties/${SLUG}/charter`, { csrf, objectives: 'x', note: 'x' })).status, 403);
    // the chair of this one is not the chair of a seeded one
    assert.equal((await as.proposer.get('/working-parties/victims/charter')).status, 403);
    const res = await submit(as.proposer, `/working-parties/${SLUG}/charter`, `/working-parties/${SLUG}/charter`, [
      ['objectives', ''], ['note', ''], ['join_policy', 'sometimes'], ['rules_visibility', 'team'],
      ['team_visibility', 'members'], ['focal', 'nowhere']]);
    assert.equal(res.status, 422);
    const html = await res.text();
    for (const f of ['objectives', 'note', 'join_policy', 'focal']) assert.match(html, new RegExp(`id="${f}-error"`), f);
    assert.deepEqual(await sql(srv.dataDir, `SELECT charter_version FROM parties WHERE slug = ${sqlText(SLUG)}`), [['3']]);
  });
});

describe('the end of a working party', () => {
  test('dissolving needs a reason and a closing report', async () => {
    let res = await press(as.admin, `/admin/working-parties/${SLUG}`, `/admin/working-parties/${SLUG}/dissolve`, { reason: 'Done.' });
    assert.equal(res.status, 422);
    assert.match(await res.text(), /id="dissolve-report-error"/);
    assert.equal((await postAnyway(as.admin, `/admin/working-parties/${SLUG}/archive`)).status, 409);
    res = await press(as.admin, `/admin/working-parties/${SLUG}`, `/admin/working-parties/${SLUG}/dissolve`,
      { reason: 'Its objectives are met.', report: 'We wrote *two* handbooks.' });
    assert.equal(res.status, 303);
    assert.equal((await audit('party.dissolve', SLUG)).length, 1);
    const html = mainOf(await as.visitor.html(`/working-parties/${SLUG}`));
    assert.match(html, /Dissolved/);
    assert.match(html, /Its objectives are met\./);
    assert.match(html, /We wrote <em>two<\/em> handbooks\./);
  });

  test('archiving; then every write answers 409 and the page still reads publicly', async () => {
    const res = await press(as.admin, `/admin/working-parties/${SLUG}`, `/admin/working-parties/${SLUG}/archive`);
    assert.equal(res.status, 303);
    assert.equal((await audit('party.archive', SLUG)).length, 1);
    const [[archivedAt]] = await sql(srv.dataDir, `SELECT archived_at FROM parties WHERE slug = ${sqlText(SLUG)}`);
    assert.ok(Number(archivedAt) > 0);
    const { csrf } = hiddenFields(await as.admin.html('/account'));
    for (const [b, path, fields] of [
      [as.proposer, `/working-parties/${SLUG}/charter`, { objectives: 'x', note: 'x', join_policy: 'open', rules_visibility: 'public', team_visibility: 'public' }],
      [as.admin, `/admin/working-parties/${SLUG}/dissolve`, { reason: 'x', report: 'x' }],
      [as.admin, `/admin/working-parties/${SLUG}/approve`, {}],
      [as.admin, `/admin/working-parties/${SLUG}/archive`, {}],
    ]) {
      const mine = b === as.admin ? csrf : hiddenFields(await b.html('/account')).csrf;
      const r = await b.post(path, { csrf: mine, ...fields });
      assert.equal(r.status, 409, path);
    }
    assert.equal((await as.proposer.get(`/working-parties/${SLUG}/charter`)).status, 409);
    const html = mainOf(await as.visitor.html(`/working-parties/${SLUG}`));
    assert.match(html, /Archived/);
    assert.match(html, /We wrote <em>two<\/em> handbooks\./);
    for (const label of ['Proposed', 'Approved', 'Dissolved', 'Archived']) {
      assert.match(html, new RegExp(`<dt>${label}</dt><dd><time datetime=`), label);
    }
    const list = await (await as.visitor.get('/api/v1/working-parties')).json();
    assert.equal(list.parties.find((p) => p.slug === SLUG)?.state, 'archived');
    const found = await (await as.visitor.get('/api/v1/search?q=prison+health')).json();
    assert.ok(found.results.some((h) => h.href === `/working-parties/${SLUG}`));
    assert.deepEqual(await sql(srv.dataDir, `SELECT charter_version FROM parties WHERE slug = ${sqlText(SLUG)}`), [['3']]);
  });
});

describe('the seeded parties', () => {
  test('are in the search from the start, and their charter is edited by the secretariat', async () => {
    const found = await (await as.visitor.get('/api/v1/search?q=restorative')).json();
    assert.ok(found.results.some((h) => h.href === '/working-parties/restorative-justice'), JSON.stringify(found));
    const res = await submit(as.admin, '/working-parties/victims/charter', '/working-parties/victims/charter', [
      ['objectives', 'Victims first.'], ['rules', ''], ['note', 'First objectives'], ['join_policy', 'approval'],
      ['rules_visibility', 'public'], ['team_visibility', 'members']]);
    assert.equal(res.status, 303);
    const versions = mainOf(await as.visitor.html('/working-parties/victims/charter/versions'));
    assert.match(versions, /Version 1<\/a>, <time[^>]*>[^<]+<\/time>: First objectives/);
  });

  test('a retired focal area is offered only to the party that has it', async () => {
    // Victims serves femicide (as seeded by 0034; the test above saved
    // its charter without areas)
    await sql(srv.dataDir, `DELETE FROM party_focal_areas WHERE party_id = (SELECT id FROM parties WHERE slug = 'victims');
      INSERT INTO party_focal_areas (party_id, focal_area_id) SELECT p.id, fa.id FROM parties p, focal_areas fa
        WHERE p.slug = 'victims' AND fa.slug IN ('femicide', 'victims-rights');
      UPDATE focal_areas SET retired_at = 1 WHERE slug IN ('femicide', 'gender')`);
    try {
      // its charter keeps femicide, checked
      const charter = await as.admin.html('/working-parties/victims/charter');
      assert.match(charter, /value="femicide"[^>]*checked/);
      assert.doesNotMatch(charter, /value="gender"/);
      // saving it again keeps it; choosing the other retired one is refused
      const keep = await submit(as.admin, '/working-parties/victims/charter', '/working-parties/victims/charter', [
        ['objectives', 'Victims first.'], ['rules', ''], ['note', 'Femicide kept'], ['join_policy', 'approval'],
        ['rules_visibility', 'public'], ['team_visibility', 'members'], ['focal', 'femicide'], ['focal', 'victims-rights']]);
      assert.equal(keep.status, 303);
      const add = await submit(as.admin, '/working-parties/victims/charter', '/working-parties/victims/charter', [
        ['objectives', 'Victims first.'], ['rules', ''], ['note', 'Gender added'], ['join_policy', 'approval'],
        ['rules_visibility', 'public'], ['team_visibility', 'members'], ['focal', 'femicide'], ['focal', 'gender']]);
      assert.equal(add.status, 422);
      assert.deepEqual(await sql(srv.dataDir, `SELECT fa.slug FROM party_focal_areas x JOIN focal_areas fa
        ON fa.id = x.focal_area_id WHERE x.party_id = (SELECT id FROM parties WHERE slug = 'victims') ORDER BY fa.slug`),
      [['femicide'], ['victims-rights']]);
      // a proposal is offered neither
      const form = await as.proposer.html('/working-parties/propose');
      assert.doesNotMatch(form, /value="femicide"|value="gender"/);
      assert.match(form, /value="victims-rights"/);
    } finally {
      await sql(srv.dataDir, `UPDATE focal_areas SET retired_at = NULL WHERE slug IN ('femicide', 'gender')`);
    }
  });

  test('French', async () => {
    const b = new Browser(srv.url);
    const html = await (await b.get('/working-parties/victims', { 'accept-language': 'fr' })).text();
    assert.match(html, /Objectifs/);
  });
});
