// party_life.test.mjs -- one working party's whole life in one run (issue
// 13's first test): a representative of a member organisation proposes
// it, the secretariat approves it (the proposer chairs it), a member asks
// to join and the chair accepts, the charter is edited (a version kept), a
// report is submitted and acknowledged, an article published, a decision
// taken (two votes, the count recorded), then the party is dissolved and
// archived.  Archived, it is read-only: every write route of the parties'
// modules that `alliance routes --json` lists under /working-parties/:slug
// answers 403 or 409 to its chair and to the secretariat, and nothing of
// the party changes; its pages still read publicly.  On the way: the chair
// cannot read the audit log.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { Browser, sql, sqlValue, sqlText, personWithRole, personId, hiddenFields } from '../lib/accounts.mjs';
import { loadRoutes } from '../lib/routes.mjs';

const ROUTES = await loadRoutes();
let srv;
const as = {};
const ids = {};
const emails = {};
let slug;
const made = {};

/** POST fields to path with a csrf token valid for b. */
async function post(b, path, fields = {}) {
  const { csrf } = hiddenFields(await b.html('/account'));
  const body = Array.isArray(fields) ? [['csrf', csrf], ...fields] : { csrf, ...fields };
  return b.post(path, body);
}

/** The party's own rows, counted, and its state: what a refused write
 * must leave as it was. */
const footprint = () => sql(srv.dataDir, `SELECT p.state, p.charter_version, p.updated_at,
  (SELECT count(*) FROM object_roles WHERE object_type = 'party' AND object_id = p.slug),
  (SELECT count(*) FROM party_requests WHERE party_id = p.id),
  (SELECT count(*) FROM party_meetings WHERE party_id = p.id),
  (SELECT count(*) FROM party_resources WHERE party_id = p.id),
  (SELECT count(*) FROM party_reports WHERE party_id = p.id AND state = 'draft'),
  (SELECT count(*) FROM party_articles WHERE party_id = p.id AND state = 'published'),
  (SELECT count(*) FROM party_notices WHERE party_id = p.id),
  (SELECT count(*) FROM party_decisions WHERE party_id = p.id),
  (SELECT count(*) FROM party_votes v JOIN party_decisions d ON d.id = v.decision_id WHERE d.party_id = p.id)
  FROM parties p WHERE p.slug = ${sqlText(slug)}`);

before(async () => {
  srv = await startServer();
  as.visitor = new Browser(srv.url);
  for (const who of ['admin', 'chair', 'joiner', 'outsider']) {
    const p = await personWithRole(srv, { role: who === 'admin' ? 'admin' : 'member', name: `Life ${who}`, password: null });
    as[who] = p.browser;
    emails[who] = p.email;
    ids[who] = await personId(srv.dataDir, p.email);
  }
  // the chair-to-be represents a member organisation
  await sql(srv.dataDir, `
    INSERT INTO organisations (slug, name, name_key, acronym, country, description_md, visibility,
      dgc_associated, created_at)
    VALUES ('life-org', 'Life Org', 'life org', 'LO', 'KE', '', 'public', 0, 0);
    INSERT INTO memberships (level_id, organisation_id, state, state_since, period_start, period_end, created_at)
    VALUES ((SELECT id FROM membership_levels WHERE slug = 'associate'),
      (SELECT id FROM organisations WHERE slug = 'life-org'), 'active',
      '2026-01-01', '2026-01-01', '2026-12-31', 0);
    INSERT INTO representatives (organisation_id, person_id, main_contact)
    VALUES ((SELECT id FROM organisations WHERE slug = 'life-org'), ${ids.chair}, 1)`);
});

after(async () => { if (srv) await srv.stop(); });

describe('a working party from proposal to archive', () => {
  test('proposed, approved: the proposer chairs it', async () => {
    const res = await post(as.chair, '/working-parties/propose', [
      ['name', 'Juvenile Justice Life'], ['summary', 'Children in conflict with the law.'],
      ['objectives', 'Promote the *Beijing Rules*.'], ['rationale', 'No party covers it.'],
      ['team', ''], ['focal', 'crime-prevention'], ['join_policy', 'approval']]);
    assert.equal(res.status, 303, await res.text());
    slug = res.headers.get('location').replace('/working-parties/', '');
    assert.equal(slug, 'juvenile-justice-life');
    assert.equal((await as.visitor.get(`/working-parties/${slug}`)).status, 404);
    assert.equal((await post(as.admin, `/admin/working-parties/${slug}/approve`)).status, 303);
    assert.equal(await sqlValue(srv.dataDir, `SELECT role FROM object_roles WHERE object_type = 'party'
      AND object_id = ${sqlText(slug)} AND person_id = ${ids.chair}`), 'chair');
    assert.equal((await as.visitor.get(`/working-parties/${slug}`)).status, 200);
  });

  test('a member asks to join, the chair accepts', async () => {
    assert.equal((await post(as.joiner, `/working-parties/${slug}/join`, { message: 'I work with youth courts.' })).status, 303);
    const req = await sqlValue(srv.dataDir, `SELECT id FROM party_requests WHERE person_id = ${ids.joiner}
      AND state = 'pending'`);
    assert.ok(req, 'no request stored');
    assert.equal((await post(as.chair, `/working-parties/${slug}/requests/${req}/accept`)).status, 303);
    assert.equal(await sqlValue(srv.dataDir, `SELECT role FROM object_roles WHERE object_type = 'party'
      AND object_id = ${sqlText(slug)} AND person_id = ${ids.joiner}`), 'member');
  });

  test('the charter is edited; the first version stays readable', async () => {
    const res = await post(as.chair, `/working-parties/${slug}/charter`, [
      ['objectives', 'Promote the *Beijing Rules* and the *Havana Rules*.'], ['rules', 'We decide by consent.'],
      ['note', 'Havana Rules added'], ['focal', 'crime-prevention'], ['join_policy', 'approval'],
      ['rules_visibility', 'public'], ['team_visibility', 'members']]);
    assert.equal(res.status, 303, await res.text());
    assert.equal(Number(await sqlValue(srv.dataDir, `SELECT charter_version FROM parties WHERE slug = ${sqlText(slug)}`)), 2);
    const first = await as.visitor.html(`/working-parties/${slug}/charter/versions/1`);
    assert.match(first, /Beijing Rules/);
    assert.doesNotMatch(first, /Havana Rules/);
  });

  test('a report is submitted and acknowledged', async () => {
    let res = await post(as.chair, `/working-parties/${slug}/reports`,
      { title: 'First year', period: '2026', body: 'We met four times.', visibility: 'public' });
    assert.equal(res.status, 303);
    made.report = Number(/\/reports\/(\d+)/.exec(res.headers.get('location'))[1]);
    assert.equal((await post(as.chair, `/working-parties/${slug}/reports/${made.report}/submit`)).status, 303);
    res = await post(as.admin, `/admin/reports/${made.report}/acknowledge`, { note: 'Thank you.' });
    assert.equal(res.status, 303);
    assert.equal(await sqlValue(srv.dataDir, `SELECT state FROM party_reports WHERE id = ${made.report}`), 'acknowledged');
    assert.match(await as.visitor.html('/reports'), /First year/);
  });

  test('an article is published and in the news', async () => {
    const res = await post(as.chair, `/working-parties/${slug}/articles`,
      { title: 'Youth courts in review', summary: 'What we found.', body: 'Twelve countries.' });
    assert.equal(res.status, 303);
    made.article = /\/articles\/([^/?#]+)/.exec(res.headers.get('location'))[1];
    assert.equal((await post(as.chair, `/working-parties/${slug}/articles/${made.article}/publish`)).status, 303);
    const news = await as.visitor.html('/news');
    assert.match(news, /Youth courts in review/);
    assert.match(news, /Juvenile Justice Life/);
  });

  test('a decision is taken: votes, closed, the count recorded', async () => {
    let res = await post(as.chair, `/working-parties/${slug}/decisions`,
      { title: 'Meet in Nairobi', body: 'In March.', closes_at: '2099-06-01T12:00' });
    assert.equal(res.status, 303, await res.text());
    made.decision = Number(/\/decisions\/(\d+)/.exec(res.headers.get('location'))[1]);
    for (const who of ['chair', 'joiner']) {
      res = await post(as[who], `/working-parties/${slug}/decisions/${made.decision}/vote`, { position: 'agree', reason: '' });
      assert.equal(res.status, 303, `${who}: ${await res.text()}`);
    }
    assert.equal((await post(as.chair, `/working-parties/${slug}/decisions/${made.decision}/close`)).status, 303);
    const row = (await sql(srv.dataDir, `SELECT state, agree, abstain, disagree, block FROM party_decisions
      WHERE id = ${made.decision}`))[0].map(String);
    assert.deepEqual(row, ['closed', '2', '0', '0', '0']);
    // the decision is the team's: a visitor is asked to sign in, anyone
    // else outside the team does not see it, nor its JSON
    const path = `/working-parties/${slug}/decisions/${made.decision}`;
    res = await as.visitor.get(path);
    assert.equal(res.status, 303);
    assert.match(res.headers.get('location'), /^\/signin\?/);
    assert.equal((await as.outsider.get(path)).status, 404);
    assert.equal((await as.outsider.get(`/api/v1${path}`)).status, 404);
    assert.doesNotMatch(await as.outsider.html(`/working-parties/${slug}`), /Meet in Nairobi/);
  });

  test('the chair cannot read the audit log; every step is in it', async () => {
    assert.equal((await as.chair.get('/admin/audit')).status, 403);
    const actions = (await sql(srv.dataDir, `SELECT DISTINCT action FROM audit_log WHERE action LIKE 'party.%'`)).map((r) => r[0]);
    for (const a of ['party.propose', 'party.approve', 'party.charter']) assert.ok(actions.includes(a), `${a} in ${actions}`);
  });

  test('dissolved with a reason and a closing report, then archived', async () => {
    let res = await post(as.admin, `/admin/working-parties/${slug}/dissolve`,
      { reason: 'Its objectives are met.', report: 'The *Havana Rules* guide is out.' });
    assert.equal(res.status, 303, await res.text());
    res = await post(as.admin, `/admin/working-parties/${slug}/archive`);
    assert.equal(res.status, 303);
    assert.equal(await sqlValue(srv.dataDir, `SELECT state FROM parties WHERE slug = ${sqlText(slug)}`), 'archived');
    const page = await as.visitor.html(`/working-parties/${slug}`);
    assert.match(page, /Its objectives are met\./);
    assert.match(page, /Havana Rules<\/em> guide is out/);
  });

  test('archived: every write answers 403 or 409 and changes nothing', async () => {
    const before = await footprint();
    const values = {
      slug, id: String(made.report), article: made.article, person: String(ids.joiner),
    };
    const writes = ROUTES.filter((r) => r.method === 'POST' && r.pattern.startsWith('/working-parties/:slug/'));
    assert.ok(writes.length >= 20, `only ${writes.length} write routes found`);
    for (const route of writes) {
      let path = route.pattern.replace(/:([a-z_]+)/g, (_, k) => encodeURIComponent(values[k] ?? '1'));
      // an id that names something of this party: the decision's routes take the decision
      if (route.pattern.includes('/decisions/:id')) path = path.replace(`/decisions/${made.report}`, `/decisions/${made.decision}`);
      const fields = Object.fromEntries((route.fields || []).map((f) => [f.name, f.choices ? f.choices[0] : 'x']));
      for (const who of ['chair', 'admin']) {
        const res = await post(as[who], path, fields);
        await res.arrayBuffer();
        assert.ok([403, 404, 409].includes(res.status),
          `${route.pattern} as ${who}: ${res.status}`);
        if (who === 'admin' && !/\/(invitations|requests)\/:id/.test(route.pattern)) {
          // what exists (the party, its report, article, decision, member) answers 409, not 404
          assert.notEqual(res.status, 404, `${route.pattern} as admin: 404`);
        }
      }
    }
    assert.deepEqual(await footprint(), before);
    // the desk's steps do not fit either
    for (const step of ['approve', 'dissolve', 'archive']) {
      const res = await post(as.admin, `/admin/working-parties/${slug}/${step}`, { reason: 'x', report: 'x' });
      assert.equal(res.status, 409, step);
    }
    for (const path of [`/working-parties/${slug}`, `/working-parties/${slug}/charter/versions`,
      `/working-parties/${slug}/reports/${made.report}`, `/working-parties/${slug}/articles/${made.article}`,
      `/working-parties/${slug}/feed.atom`, `/api/v1/working-parties/${slug}`]) {
      assert.equal((await as.visitor.get(path)).status, 200, path);
    }
  });
});
