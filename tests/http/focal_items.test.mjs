// focal_items.test.mjs -- the working parties' section of a focal area's
// page (issue 13, point 10; src/parties/focal_items.c, gathered by
// src/focal/sources.c): the parties that serve the area and are the
// Alliance's (active, dissolved, archived; never a proposal nor a
// rejected one), each with its latest three reports (submitted or
// acknowledged, as their visibility allows the viewer; never a draft) and
// latest three published articles (never a draft), linked to the
// parties' pages; the same under /api/v1/focal-points/:slug.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { Browser, mainOf, sql, sqlText, personWithRole, personId } from '../lib/accounts.mjs';

const T = 1780000000; // 2026-05-28
const DAY = 86400;
let srv;
const as = {};

const party = (slug) => `(SELECT id FROM parties WHERE slug = ${sqlText(slug)})`;
const area = (slug) => `(SELECT id FROM focal_areas WHERE slug = ${sqlText(slug)})`;

async function report(slug, title, { state = 'submitted', visibility = 'public', at = T, period = '' } = {}) {
  await sql(srv.dataDir, `INSERT INTO party_reports (party_id, title, period, body_md, state, visibility,
    created_at, updated_at, submitted_at) VALUES (${party(slug)}, ${sqlText(title)}, ${sqlText(period)}, 'Text.',
    ${sqlText(state)}, ${sqlText(visibility)}, ${at}, ${at}, ${state === 'draft' ? 'NULL' : at})`);
}

async function article(slug, aslug, title, { state = 'published', at = T, summary = '' } = {}) {
  await sql(srv.dataDir, `INSERT INTO party_articles (party_id, slug, title, summary, body_md, state,
    created_at, updated_at, published_at) VALUES (${party(slug)}, ${sqlText(aslug)}, ${sqlText(title)},
    ${sqlText(summary)}, 'Text.', ${sqlText(state)}, ${at}, ${at}, ${state === 'published' ? at : 'NULL'})`);
}

async function addParty(slug, name, state, areas) {
  await sql(srv.dataDir, `INSERT INTO parties (slug, name, summary, state, updated_at)
    VALUES (${sqlText(slug)}, ${sqlText(name)}, ${sqlText(`About ${name}.`)}, ${sqlText(state)}, 0)`);
  for (const a of areas) {
    await sql(srv.dataDir, `INSERT INTO party_focal_areas (party_id, focal_area_id) VALUES (${party(slug)}, ${area(a)})`);
  }
}

before(async () => {
  srv = await startServer();
  as.visitor = new Browser(srv.url);
  for (const who of ['admin', 'plain', 'member', 'team']) {
    const p = await personWithRole(srv, { role: who === 'admin' ? 'admin' : 'member', name: `Items ${who}`, password: null });
    as[who] = p.browser;
    as[`${who}Id`] = await personId(srv.dataDir, p.email);
  }
  // member: an individual membership; team: a rapporteur of victims
  await sql(srv.dataDir, `INSERT INTO memberships (level_id, person_id, state, state_since,
    period_start, period_end, created_at) VALUES ((SELECT id FROM membership_levels
    WHERE slug = 'individual'), ${as.memberId}, 'active', '2026-01-01', '2026-01-01', '2026-12-31', 0)`);
  await sql(srv.dataDir, `INSERT INTO object_roles (person_id, object_type, object_id, role, granted_at)
    VALUES (${as.teamId}, 'party', 'victims', 'rapporteur', 0)`);

  await article('victims', 'voices-of-survivors', 'Voices of survivors', { at: T, summary: 'What survivors told us.' });
  await article('victims', 'draft-thoughts', 'Draft thoughts', { state: 'draft', at: T + DAY });
  await report('victims', 'Annual report 2026', { at: T - DAY, period: '2026' });
  await report('victims', 'Members report', { visibility: 'members', at: T + 2 * DAY });
  await report('victims', 'Team-only notes', { visibility: 'team', at: T + 3 * DAY });
  await report('victims', 'Draft report', { state: 'draft', at: T + 4 * DAY });
  await addParty('femicide-watch-proposal', 'Proposed Femicide Watch', 'proposed', ['femicide']);
  await addParty('femicide-rejected', 'Rejected Femicide Circle', 'rejected', ['femicide']);
  await addParty('femicide-archive', 'Archived Femicide Observatory', 'archived', ['femicide']);
  // corruption: five public reports, five articles: the latest three of each
  for (let i = 1; i <= 5; i++) {
    await report('corruption', `Corruption report ${i}`, { at: T + i * DAY });
    await article('corruption', `corruption-article-${i}`, `Corruption article ${i}`, { at: T + i * DAY + 1 });
  }
});

after(async () => { if (srv) await srv.stop(); });

describe('the working parties serving an area', () => {
  test('a_visitor_sees_the_seeded_party_with_its_published_article_and_public_report', async () => {
    const html = mainOf(await as.visitor.html('/focal-points/femicide'));
    assert.match(html, /<h2 id="work-working_party-h">Working parties serving this area<\/h2>/);
    assert.match(html, /<a href="\/working-parties\/victims">Victims<\/a>/);
    assert.match(html, /<a href="\/working-parties\/victims\/articles\/voices-of-survivors">Voices of survivors<\/a>/);
    assert.match(html, /What survivors told us\./);
    const id = (await sql(srv.dataDir, `SELECT id FROM party_reports WHERE title = 'Annual report 2026'`))[0][0];
    assert.match(html, new RegExp(`<a href="/working-parties/victims/reports/${id}">Annual report 2026</a>`));
    // the date as words, the machine's form beside it
    assert.match(html, /<time datetime="2026-05-28T20:26:40Z">28 May 2026/);
  });

  test('never_a_draft_a_report_the_viewer_may_not_see_nor_a_party_that_is_not_the_alliances', async () => {
    const html = mainOf(await as.visitor.html('/focal-points/femicide'));
    assert.doesNotMatch(html, /Draft thoughts|Draft report|Team-only notes|Members report/);
    assert.doesNotMatch(html, /Proposed Femicide Watch|Rejected Femicide Circle/);
    // an archived party stays, saying so
    assert.match(html, /<a href="\/working-parties\/femicide-archive">Archived Femicide Observatory<\/a>/);
    assert.match(html, /Archived: About Archived Femicide Observatory\./);
    // active first
    assert.ok(html.indexOf('Victims</a>') < html.indexOf('Archived Femicide Observatory'));
    // a signed-in person who is no member sees the same
    const plain = mainOf(await as.plain.html('/focal-points/femicide'));
    assert.doesNotMatch(plain, /Members report|Team-only notes|Draft/);
    assert.match(plain, /Voices of survivors/);
  });

  test('a_member_sees_members_reports_the_team_and_the_secretariat_see_team_reports_never_drafts', async () => {
    const member = mainOf(await as.member.html('/focal-points/femicide'));
    assert.match(member, /Members report/);
    assert.doesNotMatch(member, /Team-only notes|Draft report/);
    for (const who of ['team', 'admin']) {
      const html = mainOf(await as[who].html('/focal-points/femicide'));
      assert.match(html, /Team-only notes/, who);
      assert.match(html, /Members report/, who);
      assert.doesNotMatch(html, /Draft report|Draft thoughts|Proposed Femicide Watch/, who);
    }
  });

  test('the_latest_three_reports_and_articles_newest_first', async () => {
    const html = mainOf(await as.visitor.html('/focal-points/corruption'));
    for (const i of [3, 4, 5]) {
      assert.match(html, new RegExp(`Corruption report ${i}<`));
      assert.match(html, new RegExp(`Corruption article ${i}<`));
    }
    assert.doesNotMatch(html, /Corruption (report|article) [12]</);
    assert.ok(html.indexOf('Corruption article 5') < html.indexOf('Corruption report 5'));
    assert.ok(html.indexOf('Corruption report 5') < html.indexOf('Corruption article 4'));
  });

  test('every_link_of_the_section_leads_to_a_page_the_viewer_may_read', async () => {
    for (const who of ['visitor', 'member', 'team']) {
      const { area: a } = await (await as[who].get('/api/v1/focal-points/femicide')).json();
      const hrefs = a.sections.flatMap((s) => s.items.flatMap((i) => [i.href, ...(i.items ?? []).map((x) => x.href)]));
      assert.ok(hrefs.length >= 4, `${who}: ${hrefs}`);
      for (const href of hrefs) assert.equal((await as[who].get(href)).status, 200, `${who}: ${href}`);
    }
  });

  test('an_area_no_party_serves_has_no_such_section', async () => {
    const html = mainOf(await as.visitor.html('/focal-points/sdg-16'));
    assert.doesNotMatch(html, /Working parties serving this area/);
  });

  test('the_api_gives_the_same_sections', async () => {
    const res = await as.visitor.get('/api/v1/focal-points/femicide');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type'), /application\/json/);
    const { area: a } = await res.json();
    assert.equal(a.slug, 'femicide');
    assert.equal(a.retired, false);
    const [section] = a.sections;
    assert.equal(section.kind, 'working_party');
    assert.deepEqual(section.items.map((i) => i.title), ['Victims', 'Archived Femicide Observatory']);
    const victims = section.items[0];
    assert.equal(victims.href, '/working-parties/victims');
    assert.deepEqual(victims.items.map((i) => [i.kind_label, i.title]),
      [['Article', 'Voices of survivors'], ['Report', 'Annual report 2026']]);
    assert.equal(victims.items[0].date_iso, '2026-05-28T20:26:40Z');
    assert.ok(!JSON.stringify(a).includes('Team-only'), 'a team report in the JSON');
  });

  test('the_section_speaks_french', async () => {
    const res = await as.visitor.get('/focal-points/femicide', { 'accept-language': 'fr' });
    const html = mainOf(await res.text());
    assert.match(html, /Groupes de travail au service de ce domaine/);
    assert.match(html, /Article\u00a0:|Article :/);
    assert.match(html, /Rapport\u00a0:|Rapport :/);
  });
});
