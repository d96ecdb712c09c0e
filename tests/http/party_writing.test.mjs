// party_writing.test.mjs -- a working party's reports and articles (issue
// 13; src/parties/reports.c, articles.c): a rapporteur drafts, edits and
// submits a report, the secretariat acknowledges it, and it is listed on
// the party's page and on /reports; an article drafted then published
// appears on the party's page, /news and the search.  Drafts never reach a
// visitor (HTML, JSON, search); a writer of another party is refused
// (403); an archived party refuses every write (409); bad input shows the
// form again.  The feeds are feeds.test.mjs's.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { Browser, mainOf, sql, sqlText, personWithRole, personId, hiddenFields, unescapeHtml } from '../lib/accounts.mjs';

const PARTY = 'victims';
const OTHER = 'corruption';

let srv;
const as = {};
const ids = {};

async function grant(who, party, role) {
  await sql(srv.dataDir, `INSERT INTO object_roles (person_id, object_type, object_id, role, granted_at)
    VALUES (${ids[who]}, 'party', ${sqlText(party)}, ${sqlText(role)}, 0)`);
}

/** Posts the form of page whose action is action, with fields. */
async function submitForm(b, page, action, fields = {}) {
  const html = await b.html(page);
  const forms = [...html.matchAll(/<form[^>]*action="([^"]*)"[\s\S]*?<\/form>/g)]
    .filter((m) => unescapeHtml(m[1]) === action);
  assert.equal(forms.length, 1, `one form posting to ${action} on ${page}`);
  return b.post(action, { ...hiddenFields(forms[0][0], action), ...fields });
}

const audit = (action) => sql(srv.dataDir,
  `SELECT object_id FROM audit_log WHERE action = ${sqlText(action)} ORDER BY id`);

before(async () => {
  srv = await startServer();
  as.visitor = new Browser(srv.url);
  for (const who of ['admin', 'rapporteur', 'chairOther', 'member', 'alliance']) {
    const p = await personWithRole(srv, { role: who === 'admin' ? 'admin' : 'member', name: `Writing ${who}`, password: null });
    as[who] = p.browser;
    ids[who] = await personId(srv.dataDir, p.email);
  }
  await grant('rapporteur', PARTY, 'rapporteur');
  await grant('chairOther', OTHER, 'chair');
  await grant('member', PARTY, 'member');
  // a member of the Alliance (an individual membership) in no party's team
  await sql(srv.dataDir, `INSERT INTO memberships (level_id, person_id, state, state_since,
    period_start, period_end, created_at) VALUES ((SELECT id FROM membership_levels
    WHERE slug = 'individual'), ${ids.alliance}, 'active', '2026-01-01', '2026-01-01', '2026-12-31', 0)`);
});

after(async () => {
  await srv?.stop();
});

describe('reports to the Alliance', () => {
  let href;

  test('a rapporteur drafts a report: only the team reads it', async () => {
    const page = await as.rapporteur.html(`/working-parties/${PARTY}`);
    assert.match(page, new RegExp(`href="/working-parties/${PARTY}/reports/new"`));
    const res = await submitForm(as.rapporteur, `/working-parties/${PARTY}/reports/new`,
      `/working-parties/${PARTY}/reports`,
      { title: 'Annual report Zephyrine', period: '2026', body: 'First *draft* text.', visibility: 'public' });
    assert.equal(res.status, 303, await res.text());
    href = res.headers.get('location');
    assert.match(href, new RegExp(`^/working-parties/${PARTY}/reports/\\d+$`));

    const mine = mainOf(await as.rapporteur.html(href));
    assert.match(mine, /Annual report Zephyrine/);
    assert.match(mine, /<em>draft<\/em>/);
    // the team sees the draft; a visitor, a member of the Alliance who is
    // not in the team, and JSON clients do not
    assert.match(mainOf(await as.member.html(`/working-parties/${PARTY}`)), /Annual report Zephyrine/);
    assert.equal((await as.visitor.get(href)).status, 404);
    assert.equal((await as.chairOther.get(href)).status, 404);
    assert.equal((await as.visitor.get(`/api/v1${href}`)).status, 404);
    assert.doesNotMatch(await as.visitor.html(`/working-parties/${PARTY}`), /Zephyrine/);
    const json = await (await as.visitor.get(`/api/v1/working-parties/${PARTY}`)).text();
    assert.doesNotMatch(json, /Zephyrine/);
    assert.doesNotMatch(await as.visitor.html('/reports'), /Zephyrine/);
    assert.doesNotMatch(await as.visitor.html('/search?q=Zephyrine'), /Annual report/);
    assert.deepEqual(await audit('party.report.create'), [[`${PARTY}:${href.split('/').pop()}`]]);
  });

  test('bad input shows the form again; an empty title is refused', async () => {
    const res = await submitForm(as.rapporteur, `${href}/edit`, href, { title: '', period: '2026', body: 'x', visibility: 'public' });
    assert.equal(res.status, 422);
    const html = await res.text();
    assert.match(html, /id="error-summary"/);
    assert.match(html, /aria-invalid="true" aria-describedby="title-error"/);
    const bad = await submitForm(as.rapporteur, `${href}/edit`, href, { title: 'T', visibility: 'everyone-please' });
    assert.equal(bad.status, 422);
  });

  test('a writer of another party, a member and a visitor cannot write here', async () => {
    assert.equal((await as.chairOther.get(`/working-parties/${PARTY}/reports/new`)).status, 403);
    assert.equal((await as.member.get(`/working-parties/${PARTY}/reports/new`)).status, 403);
    const tok = hiddenFields(await as.chairOther.html(`/working-parties/${OTHER}/reports/new`), `/working-parties/${OTHER}/reports`);
    const res = await as.chairOther.post(`/working-parties/${PARTY}/reports`, { ...tok, title: 'Intrusion', visibility: 'public' });
    assert.equal(res.status, 403);
    const res2 = await as.chairOther.post(`${href}/submit`, tok);
    assert.equal(res2.status, 403);
    const v = await as.visitor.get(`/working-parties/${PARTY}/reports/new`);
    assert.ok([303, 401, 403].includes(v.status), `visitor: ${v.status}`);
    assert.equal(await sql(srv.dataDir, "SELECT count(*) AS n FROM party_reports WHERE title = 'Intrusion'")
      .then((r) => Number(r[0][0])), 0);
  });

  test('the rapporteur edits then submits; the draft is no longer editable', async () => {
    let res = await submitForm(as.rapporteur, `${href}/edit`, href,
      { title: 'Annual report Zephyrine', period: '2026', body: 'The **final** text of the year.', visibility: 'public' });
    assert.equal(res.status, 303, await res.text());
    assert.match(await as.rapporteur.html(href), /<strong>final<\/strong>/);
    res = await submitForm(as.rapporteur, `${href}/edit`, `${href}/submit`);
    assert.equal(res.status, 303, await res.text());
    const [state, by] = (await sql(srv.dataDir, `SELECT state, submitted_by FROM party_reports WHERE id = ${href.split('/').pop()}`))[0];
    assert.equal(state, 'submitted');
    assert.equal(Number(by), ids.rapporteur);
    assert.equal((await as.rapporteur.get(`${href}/edit`)).status, 409);
    assert.equal((await audit('party.report.submit')).length, 1);
    // now everyone reads it, on its page, the party's page and /reports
    const page = mainOf(await as.visitor.html(href));
    assert.match(page, /Submitted/);
    assert.match(mainOf(await as.visitor.html(`/working-parties/${PARTY}`)), /Annual report Zephyrine/);
    const all = mainOf(await as.visitor.html('/reports'));
    assert.match(all, /Annual report Zephyrine/);
    assert.match(all, /Victims/);
    const one = await (await as.visitor.get(`/api/v1${href}`)).json();
    assert.equal(one.report.title, 'Annual report Zephyrine');
    assert.equal(one.report.state, 'submitted');
    assert.match(one.report.body_html, /<strong>final<\/strong>/);
    const json = await (await as.visitor.get(`/api/v1/reports?party=${PARTY}`)).json();
    assert.deepEqual(json.reports.map((r) => r.title), ['Annual report Zephyrine']);
    assert.deepEqual((await (await as.visitor.get(`/api/v1/reports?party=${OTHER}`)).json()).reports, []);
  });

  test('the secretariat acknowledges with a note', async () => {
    const desk = await as.admin.html('/admin');
    assert.match(desk, /Reports to acknowledge/);
    const list = await as.admin.html('/admin/reports');
    assert.match(list, /Annual report Zephyrine/);
    const id = href.split('/').pop();
    assert.equal((await as.rapporteur.get('/admin/reports')).status, 403);
    const res = await submitForm(as.admin, '/admin/reports', `/admin/reports/${id}/acknowledge`, { note: 'Thank you, noted.' });
    assert.equal(res.status, 303, await res.text());
    assert.equal(res.headers.get('location'), '/admin/reports?done=acknowledged');
    assert.doesNotMatch(mainOf(await as.admin.html('/admin/reports')), /Annual report Zephyrine/);
    const page = mainOf(await as.visitor.html(href));
    assert.match(page, /Acknowledged/);
    assert.match(page, /Thank you, noted\./);
    const again = await as.admin.post(`/admin/reports/${id}/acknowledge`,
      hiddenFields(await as.admin.html('/admin/reports'), null));
    assert.equal(again.status, 409);
    assert.equal((await audit('party.report.acknowledge')).length, 1);
  });

  test('members-only and team reports are not for visitors', async () => {
    let res = await submitForm(as.rapporteur, `/working-parties/${PARTY}/reports/new`,
      `/working-parties/${PARTY}/reports`, { title: 'Team only Quillon', body: 'Internal.', visibility: 'team' });
    assert.equal(res.status, 303);
    const teamHref = res.headers.get('location');
    res = await submitForm(as.rapporteur, `${teamHref}/edit`, `${teamHref}/submit`);
    assert.equal(res.status, 303);
    assert.equal((await as.visitor.get(teamHref)).status, 404);
    assert.equal((await as.chairOther.get(teamHref)).status, 404);
    assert.doesNotMatch(await as.visitor.html('/reports'), /Quillon/);
    assert.doesNotMatch(await as.chairOther.html('/reports'), /Quillon/);
    assert.match(await as.member.html('/reports'), /Quillon/);
    assert.match(await as.admin.html('/reports'), /Quillon/);
    assert.doesNotMatch(await as.alliance.html('/reports'), /Quillon/);

    res = await submitForm(as.rapporteur, `/working-parties/${PARTY}/reports/new`,
      `/working-parties/${PARTY}/reports`, { title: 'Members only Brackenridge', body: 'For members.', visibility: 'members' });
    assert.equal(res.status, 303);
    const membersHref = res.headers.get('location');
    res = await submitForm(as.rapporteur, `${membersHref}/edit`, `${membersHref}/submit`);
    assert.equal(res.status, 303);
    assert.equal((await as.visitor.get(membersHref)).status, 404);
    assert.equal((await as.visitor.get(`/api/v1${membersHref}`)).status, 404);
    assert.doesNotMatch(await as.visitor.html('/reports'), /Brackenridge/);
    assert.doesNotMatch(await as.visitor.html(`/working-parties/${PARTY}`), /Brackenridge/);
    assert.doesNotMatch(await (await as.visitor.get('/api/v1/reports')).text(), /Brackenridge/);
    assert.match(await as.alliance.html(membersHref), /Brackenridge/);
    assert.match(await as.alliance.html('/reports'), /Brackenridge/);
    assert.match(await as.alliance.html(`/working-parties/${PARTY}`), /Brackenridge/);
    // an empty draft cannot be submitted
    res = await submitForm(as.rapporteur, `/working-parties/${PARTY}/reports/new`,
      `/working-parties/${PARTY}/reports`, { title: 'Empty', visibility: 'public' });
    const emptyHref = res.headers.get('location');
    res = await submitForm(as.rapporteur, `${emptyHref}/edit`, `${emptyHref}/submit`);
    assert.equal(res.status, 422);
  });
});

describe('articles', () => {
  let href;

  test('a draft is the team\'s; published, it is everyone\'s', async () => {
    let res = await submitForm(as.rapporteur, `/working-parties/${PARTY}/articles/new`,
      `/working-parties/${PARTY}/articles`,
      { title: 'Voices of Survivors: Ébauche', summary: 'What we heard in 2026.', body: 'Body with **Marrowfield**.' });
    assert.equal(res.status, 303, await res.text());
    href = res.headers.get('location');
    assert.equal(href, `/working-parties/${PARTY}/articles/voices-of-survivors-ebauche`);
    assert.equal((await as.visitor.get(href)).status, 404);
    assert.equal((await as.chairOther.get(href)).status, 404);
    assert.equal((await as.visitor.get(`/api/v1${href}`)).status, 404);
    assert.match(await as.member.html(href), /Marrowfield/);
    assert.doesNotMatch(await as.visitor.html('/news'), /Voices of Survivors/);
    assert.doesNotMatch(await as.visitor.html(`/working-parties/${PARTY}`), /Voices of Survivors/);
    assert.doesNotMatch(await as.visitor.html('/search?q=Marrowfield'), /Voices/);

    // the same title again gets a slug of its own
    res = await submitForm(as.rapporteur, `/working-parties/${PARTY}/articles/new`,
      `/working-parties/${PARTY}/articles`, { title: 'Voices of Survivors: Ébauche' });
    assert.equal(res.headers.get('location'), `${href}-2`);

    assert.equal((await as.chairOther.get(`${href}/edit`)).status, 403);
    res = await submitForm(as.rapporteur, `${href}/edit`, `${href}/publish`);
    assert.equal(res.status, 303, await res.text());
    const page = mainOf(await as.visitor.html(href));
    assert.match(page, /<strong>Marrowfield<\/strong>/);
    assert.match(page, /Victims/);
    const party = mainOf(await as.visitor.html(`/working-parties/${PARTY}`));
    assert.match(party, /Voices of Survivors/);
    assert.match(await as.visitor.html(`/working-parties/${PARTY}`),
      new RegExp(`<link rel="alternate" type="application/atom\\+xml" title="[^"]*" href="/working-parties/${PARTY}/feed.atom">`));
    const news = mainOf(await as.visitor.html('/news'));
    assert.match(news, /Voices of Survivors/);
    assert.match(news, new RegExp(`href="/working-parties/${PARTY}">[^<]*Victims`));
    assert.match(await as.visitor.html('/search?q=Marrowfield'), new RegExp(`href="${href}"`));
    const one = await (await as.visitor.get(`/api/v1${href}`)).json();
    assert.equal(one.article.title, 'Voices of Survivors: Ébauche');
    assert.equal(one.article.state, 'published');
    const section = await (await as.visitor.get(`/api/v1/working-parties/${PARTY}`)).json();
    assert.deepEqual(section.articles.map((a) => a.slug), ['voices-of-survivors-ebauche']);
    const json = await (await as.visitor.get('/api/v1/news')).json();
    assert.equal(json.articles[0].title, 'Voices of Survivors: Ébauche');
    assert.equal(json.articles[0].party_name.includes('ictim'), true);
    assert.equal((await audit('party.article.publish')).length, 1);
    // the draft with the same title stays out of sight
    assert.equal((await as.visitor.get(`${href}-2`)).status, 404);
  });

  test('an edit of a published article reaches the search; taking it back removes it', async () => {
    let res = await submitForm(as.rapporteur, `${href}/edit`, href,
      { title: 'Voices of Survivors: Ébauche', summary: 'What we heard in 2026.', body: 'Now about Pellucidar.' });
    assert.equal(res.status, 303);
    assert.match(await as.visitor.html('/search?q=Pellucidar'), new RegExp(`href="${href}"`));
    assert.doesNotMatch(await as.visitor.html('/search?q=Marrowfield'), new RegExp(`href="${href}"`));
    res = await submitForm(as.rapporteur, `${href}/edit`, `${href}/unpublish`);
    assert.equal(res.status, 303);
    assert.equal((await as.visitor.get(href)).status, 404);
    assert.doesNotMatch(await as.visitor.html('/search?q=Pellucidar'), /Voices/);
    assert.doesNotMatch(await as.visitor.html('/news'), /Voices of Survivors/);
    res = await submitForm(as.rapporteur, `${href}/edit`, `${href}/publish`);
    assert.equal(res.status, 303);
    assert.equal((await as.visitor.get(href)).status, 200);
  });
});

describe('an archived party', () => {
  test('refuses every write with 409, and still shows its published work', async () => {
    const tokNew = hiddenFields(await as.rapporteur.html(`/working-parties/${PARTY}/reports/new`), `/working-parties/${PARTY}/reports`);
    const tokArt = hiddenFields(await as.rapporteur.html(`/working-parties/${PARTY}/articles/voices-of-survivors-ebauche/edit`),
      `/working-parties/${PARTY}/articles/voices-of-survivors-ebauche`);
    await sql(srv.dataDir, `UPDATE parties SET state = 'archived', archived_at = 1 WHERE slug = ${sqlText(PARTY)}`);
    assert.equal((await as.rapporteur.get(`/working-parties/${PARTY}/reports/new`)).status, 409);
    let res = await as.rapporteur.post(`/working-parties/${PARTY}/reports`, { ...tokNew, title: 'Late', visibility: 'public' });
    assert.equal(res.status, 409);
    assert.match(await res.text(), /archived/);
    res = await as.rapporteur.post(`/working-parties/${PARTY}/articles`, { ...tokNew, title: 'Late' });
    assert.equal(res.status, 409);
    res = await as.rapporteur.post(`/working-parties/${PARTY}/articles/voices-of-survivors-ebauche/unpublish`, tokArt);
    assert.equal(res.status, 409);
    assert.equal((await as.visitor.get(`/working-parties/${PARTY}/articles/voices-of-survivors-ebauche`)).status, 200);
    assert.doesNotMatch(await as.rapporteur.html(`/working-parties/${PARTY}`), /articles\/new|reports\/new/);
    assert.equal(Number((await sql(srv.dataDir, "SELECT count(*) AS n FROM party_reports WHERE title = 'Late'"))[0][0]), 0);
    await sql(srv.dataDir, `UPDATE parties SET state = 'active', archived_at = NULL WHERE slug = ${sqlText(PARTY)}`);
  });
});
