// directory.test.mjs -- the directory of member organisations (issue 4):
// GET /members, GET /members/:slug and their /api/v1 twins.
//
// Organisations, memberships and representatives are written straight into
// the server's database with the sqlite3 command (the page cache notices
// every commit); people are made with `alliance user add` and signed in
// through their one-time link.  What is proved: who sees which
// organisation (public to all, members-only to members, hidden to its own
// representatives and administrators, everywhere: list, page, JSON), that
// only active and grace memberships are listed, the filters, the accent-
// and case-blind word search, the site search (public listed organisations
// only, following every change), pages of 50, representatives' addresses
// only for members and only when shown, 422 for bad filters, and that a
// member's view never reaches a visitor through the page cache.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { Browser, mainOf, personWithRole, personId, sql, sqlText } from '../lib/accounts.mjs';

let srv;
const as = {}; // who -> Browser

/** What fold_text() stores for a name: no accents, no case, one space. */
const fold = (s) => s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase()
  .replace(/\s+/g, ' ').trim();

/** Inserts an organisation with a membership; resolves to its id. */
async function addOrg(slug, name, o = {}) {
  const v = (x) => (x === undefined || x === null ? 'NULL' : typeof x === 'number' ? String(x) : sqlText(x));
  const rows = await sql(srv.dataDir, `
    INSERT INTO organisations (slug, name, name_key, acronym, country, website, description_md,
      visibility, ecosoc_status, ecosoc_year, dgc_associated, dgc_year, created_at)
    VALUES (${v(slug)}, ${v(name)}, ${v(fold(name))}, ${v(o.acronym ?? '')}, ${v(o.country ?? 'AT')},
      ${v(o.website)}, ${v(o.description ?? '')}, ${v(o.visibility ?? 'public')}, ${v(o.ecosoc)},
      ${v(o.ecosocYear)}, ${o.dgc ? 1 : 0}, ${v(o.dgcYear)}, 0);
    INSERT INTO memberships (level_id, organisation_id, state, state_since, period_start, period_end, created_at)
    VALUES ((SELECT id FROM membership_levels WHERE slug = ${v(o.level ?? 'associate')}),
      (SELECT id FROM organisations WHERE slug = ${v(slug)}), ${v(o.state ?? 'active')},
      '2026-01-01', '2026-01-01', '2026-12-31', 0);
    SELECT id FROM organisations WHERE slug = ${v(slug)};`);
  const id = Number(rows[0][0]);
  for (const f of o.focal ?? []) {
    await sql(srv.dataDir, `INSERT INTO organisation_focal_areas VALUES (${id},
      (SELECT id FROM focal_areas WHERE slug = ${sqlText(f)}))`);
  }
  return id;
}

async function addRep(orgId, personIdValue, { post = null, rank = null, main = 0 } = {}) {
  await sql(srv.dataDir, `INSERT INTO representatives VALUES (${orgId}, ${personIdValue}, ${main},
    ${post ? sqlText(post) : 'NULL'}, ${rank ? sqlText(rank) : 'NULL'})`);
}

/** The JSON directory as who sees it. */
async function listJson(who, query = '') {
  const res = await as[who].get(`/api/v1/members${query}`);
  const body = await res.json();
  assert.equal(res.status, 200, JSON.stringify(body));
  return body;
}
const names = (d) => d.organisations.map((o) => o.name);

/** The status of an organisation's page and its HTML, as who sees it. */
async function page(who, slug) {
  const res = await as[who].get(`/members/${slug}`);
  return { status: res.status, html: await res.text(), cache: res.headers.get('cache-control') };
}

const ids = {};
before(async () => {
  srv = await startServer();
  as.visitor = new Browser(srv.url);
  for (const who of ['admin', 'editor', 'plain', 'individual', 'rep', 'hiddenrep']) {
    const role = who === 'admin' || who === 'editor' ? who : 'member';
    const p = await personWithRole(srv, { role, name: `Dir ${who}`, password: null });
    as[who] = p.browser;
    ids[who] = await personId(srv.dataDir, p.email);
  }
  // the individual member holds an individual membership
  await sql(srv.dataDir, `INSERT INTO memberships (level_id, person_id, state, state_since,
    period_start, period_end, created_at) VALUES ((SELECT id FROM membership_levels
    WHERE slug = 'individual'), ${ids.individual}, 'active', '2026-01-01', '2026-01-01', '2026-12-31', 0)`);

  ids.geneve = await addOrg('geneve-institute', 'Genève Institute', {
    acronym: 'GI', country: 'CH', level: 'full', ecosoc: 'special', ecosocYear: 2004, dgc: 1,
    website: 'https://geneve.example.org/', description: 'We **study** <script>x</script> justice.',
    focal: ['femicide', 'corruption'] });
  await addOrg('world-geneva-watch', 'World Genève Watch', { country: 'US', focal: ['gender'] });
  await addOrg('quiet-circle', 'Quiet Members Circle', { visibility: 'members', country: 'AT' });
  ids.hidden = await addOrg('hidden-harbour', 'Hidden Harbour Trust', { visibility: 'hidden', country: 'AT' });
  await addOrg('roster-rights', 'Roster Rights Network', {
    country: 'KE', level: 'full', ecosoc: 'roster', ecosocYear: 1999, focal: ['victims-rights'] });
  await addOrg('dgc-only', 'Information Partners', { country: 'KE', level: 'full', dgc: 1, dgcYear: 2010 });
  await addOrg('grace-group', 'Grace Period Group', { state: 'grace', country: 'NG' });
  for (const state of ['lapsed', 'cancelled', 'pending']) {
    await addOrg(`${state}-org`, `Gone ${state} Society`, { state, country: 'NG' });
  }
  for (let i = 1; i <= 60; i++) {
    await addOrg(`bulk-${i}`, `Bulk Organisation ${String(i).padStart(2, '0')}`, { country: 'FR' });
  }
  // representatives: the rep member (shows the address), one who does not
  // show it, one who hid herself; the hidden organisation's own one
  await addRep(ids.geneve, ids.rep, { post: 'vienna', rank: 'main', main: 1 });
  await sql(srv.dataDir, `UPDATE people SET show_email = 1 WHERE id = ${ids.rep}`);
  await sql(srv.dataDir, `INSERT INTO people (email, name, created_at, show_email, visibility) VALUES
    ('shy@example.org', 'Shy Representative', 0, 0, 'members'),
    ('gone@example.org', 'Invisible Representative', 0, 1, 'hidden')`);
  await addRep(ids.geneve, Number((await sql(srv.dataDir, "SELECT id FROM people WHERE email = 'shy@example.org'"))[0][0]),
    { post: 'new-york', rank: 'alternate' });
  await addRep(ids.geneve, Number((await sql(srv.dataDir, "SELECT id FROM people WHERE email = 'gone@example.org'"))[0][0]));
  await addRep(ids.hidden, ids.hiddenrep, { main: 1 });
});

after(async () => { if (srv) await srv.stop(); });

describe('who sees which organisation', () => {
  test('a visitor sees public organisations only, in the list, the JSON and the pages', async () => {
    const d = await listJson('visitor', '?country=AT');
    assert.deepEqual(names(d), []);
    const html = mainOf(await as.visitor.html('/members?country=AT'));
    assert.doesNotMatch(html, /Quiet Members Circle|Hidden Harbour/);
    assert.equal((await page('visitor', 'quiet-circle')).status, 404);
    assert.equal((await page('visitor', 'hidden-harbour')).status, 404);
    assert.equal((await as.visitor.get('/api/v1/members/hidden-harbour')).status, 404);
    assert.ok(names(await listJson('visitor', '?country=CH')).includes('Genève Institute'));
  });

  test('members_only_is_refused_to_a_signed_in_person_who_is_not_a_member', async () => {
    assert.deepEqual(names(await listJson('plain', '?country=AT')), []);
    assert.equal((await page('plain', 'quiet-circle')).status, 404);
  });

  test('members (individual, representative, editor) see members-only organisations, not hidden ones', async () => {
    for (const who of ['individual', 'rep', 'editor']) {
      assert.deepEqual(names(await listJson(who, '?country=AT')), ['Quiet Members Circle'], who);
      assert.equal((await page(who, 'quiet-circle')).status, 200, who);
      assert.equal((await page(who, 'hidden-harbour')).status, 404, who);
    }
  });

  test('a hidden organisation appears to its own representative and to administrators', async () => {
    for (const who of ['hiddenrep', 'admin']) {
      assert.deepEqual(names(await listJson(who, '?country=AT')),
        ['Hidden Harbour Trust', 'Quiet Members Circle'], who);
      const p = await page(who, 'hidden-harbour');
      assert.equal(p.status, 200, who);
      assert.match(p.html, /Hidden: shown only to its representatives/);
    }
  });

  test('lapsed, cancelled and pending memberships are not listed, even for administrators', async () => {
    const d = await listJson('admin', '?country=NG');
    assert.deepEqual(names(d), ['Grace Period Group']);
    for (const state of ['lapsed', 'cancelled', 'pending']) {
      assert.equal((await page('admin', `${state}-org`)).status, 404, state);
    }
  });

  test('a signed-in answer is never cached, and a member\'s view never reaches a visitor', async () => {
    const p = await page('rep', 'quiet-circle');
    assert.equal(p.cache, 'no-store');
    for (let i = 0; i < 12; i++) {
      await (await as.editor.get('/members?country=AT')).arrayBuffer();
      const v = await (await fetch(`${srv.url}/members?country=AT`)).text();
      assert.doesNotMatch(v, /Quiet Members Circle/);
    }
  });
});

describe('the site search', () => {
  /** The titles of /api/v1/search hits for q, as who sees them. */
  async function hits(who, q) {
    const res = await as[who].get(`/api/v1/search?q=${encodeURIComponent(q)}`);
    const body = await res.json();
    assert.equal(res.status, 200, JSON.stringify(body));
    return body.results;
  }
  const titles = async (who, q) => (await hits(who, q)).map((h) => h.title);

  test('finds listed public organisations by name, acronym and description, linked to their page', async () => {
    const found = (await hits('visitor', 'Genève')).filter((x) => x.kind === 'organisation');
    assert.deepEqual(found.map((x) => x.slug).sort(), ['geneve-institute', 'world-geneva-watch']);
    const h = found.find((x) => x.slug === 'geneve-institute');
    assert.equal(h.title, 'Genève Institute (GI)');
    assert.equal(h.href, '/members/geneve-institute');
    assert.equal(h.kind_label, 'Member organisation');
    assert.ok((await titles('visitor', 'study justice')).includes('Genève Institute (GI)'), 'description');
    const html = mainOf(await as.visitor.html('/search?q=Geneve'));
    assert.match(html, /<a href="\/members\/geneve-institute">Genève Institute \(GI\)<\/a> <span class="muted">Member organisation<\/span>/);
    assert.match(html, /1 result for “Geneve”|2 results for “Geneve”/);
  });

  test('a search with more hits than it shows says it shows the best', async () => {
    const body = await (await as.visitor.get('/api/v1/search?q=Bulk')).json();
    assert.equal(body.results.length, 30);
    assert.equal(body.count_label, 'The 30 best results');
  });

  test('organisations for members only, hidden or not listed are in nobody\'s search', async () => {
    for (const who of ['visitor', 'plain', 'individual', 'rep', 'hiddenrep', 'editor', 'admin']) {
      for (const q of ['Quiet Members Circle', 'Hidden Harbour', 'Gone Society']) {
        assert.deepEqual(await titles(who, q), [], `${who}: ${q}`);
      }
    }
  });

  test('the search follows the organisation: renamed, hidden, shown again, lapsed', async () => {
    const id = await addOrg('search-follow', 'Lighthouse Justice Forum', { country: 'PT' });
    assert.deepEqual(await titles('visitor', 'Lighthouse'), ['Lighthouse Justice Forum']);
    await sql(srv.dataDir, `UPDATE organisations SET name = 'Beacon Justice Forum', acronym = 'BJF' WHERE id = ${id}`);
    assert.deepEqual(await titles('visitor', 'Lighthouse'), []);
    assert.deepEqual(await titles('visitor', 'Beacon'), ['Beacon Justice Forum (BJF)']);
    await sql(srv.dataDir, `UPDATE organisations SET visibility = 'hidden' WHERE id = ${id}`);
    assert.deepEqual(await titles('admin', 'Beacon'), [], 'hidden');
    await sql(srv.dataDir, `UPDATE organisations SET visibility = 'public' WHERE id = ${id}`);
    assert.deepEqual(await titles('visitor', 'Beacon'), ['Beacon Justice Forum (BJF)'], 'shown again');
    // the same list asked again after each change: its count (cached per
    // worker while the database is unchanged) follows too
    for (let i = 0; i < 6; i++) assert.equal((await listJson('plain', '?q=beacon')).total, 1);
    await sql(srv.dataDir, `UPDATE memberships SET state = 'lapsed' WHERE organisation_id = ${id}`);
    assert.deepEqual(await titles('visitor', 'Beacon'), [], 'lapsed');
    assert.deepEqual(names(await listJson('admin', '?q=beacon')), [], 'and not in the directory');
    for (let i = 0; i < 6; i++) assert.equal((await listJson('plain', '?q=beacon')).total, 0, 'count after lapse');
    await sql(srv.dataDir, `UPDATE memberships SET state = 'grace' WHERE organisation_id = ${id}`);
    assert.deepEqual(await titles('visitor', 'Beacon'), ['Beacon Justice Forum (BJF)'], 'grace is listed');
    assert.deepEqual(names(await listJson('visitor', '?q=beacon')), ['Beacon Justice Forum'], 'directory words follow the name');
    for (let i = 0; i < 6; i++) assert.equal((await listJson('plain', '?q=beacon')).total, 1, 'count after grace');
    await sql(srv.dataDir, `DELETE FROM organisations WHERE id = ${id}`);
    assert.deepEqual(await titles('visitor', 'Beacon'), [], 'deleted');
  });
});

describe('the organisation page', () => {
  test('shows name, acronym, country, website, safe Markdown, UN status, level, state and focal areas', async () => {
    const { status, html } = await page('visitor', 'geneve-institute');
    assert.equal(status, 200);
    const m = mainOf(html);
    assert.match(m, /Genève Institute <span class="acronym">\(GI\)<\/span>/);
    assert.match(m, /<dt>Country<\/dt><dd>Switzerland<\/dd>/, 'the country by name, not its code');
    assert.doesNotMatch(m, /<dd>CH<\/dd>/);
    const fr = mainOf(await (await fetch(`${srv.url}/members/geneve-institute`, { headers: { 'accept-language': 'fr' } })).text());
    assert.match(fr, /<dt>Pays<\/dt><dd>Suisse<\/dd>/);
    const j = await (await as.visitor.get('/api/v1/members/geneve-institute')).json();
    assert.equal(j.organisation.country, 'CH', 'the API keeps the code');
    assert.match(m, /href="https:\/\/geneve\.example\.org\/"/);
    assert.match(m, /<strong>study<\/strong>/);
    assert.doesNotMatch(m, /<script>/);
    assert.match(m, /ECOSOC special \(2004\); DGC associated/);
    assert.match(m, /Full member organisation/);
    assert.match(m, /<dd>Active<\/dd>/);
    assert.match(m, /href="\/focal-points\/femicide">Femicide/);
    // granted 2004: reports on 1 June 2009, 2013, ... -- the next one
    const today = new Date().toISOString().slice(0, 10);
    let y = 2009;
    while (`${y}-06-01` < today) y += 4;
    // the report date is for those who act on it: the secretariat and the
    // organisation's own representatives, not visitors or other members
    const due = new RegExp(`Next ECOSOC quadrennial report</dt><dd>Due on <time datetime="${y}-06-01">`);
    assert.doesNotMatch(m, /quadrennial/, 'a visitor is not shown the report date');
    for (const who of ['admin', 'editor', 'rep']) {
      assert.match(mainOf((await page(who, 'geneve-institute')).html), due, who);
    }
    for (const who of ['plain', 'individual']) {
      assert.doesNotMatch(mainOf((await page(who, 'geneve-institute')).html), /quadrennial/, who);
    }
    assert.equal((await (await as.visitor.get('/api/v1/members/geneve-institute')).json()).organisation.un_report_due,
      undefined, 'nor in the API for a visitor');
    // roster status reports no quadrennial report
    assert.doesNotMatch(mainOf((await page('admin', 'roster-rights')).html), /quadrennial/);
    const g = await page('visitor', 'grace-group');
    assert.match(g.html, /grace period/);
  });

  test('visitors and non-members see no representatives', async () => {
    for (const who of ['visitor', 'plain']) {
      const m = mainOf((await page(who, 'geneve-institute')).html);
      assert.doesNotMatch(m, /Representatives|Dir rep|Shy Representative|@example\.org/, who);
      const j = await (await as[who].get('/api/v1/members/geneve-institute')).json();
      assert.equal(j.representatives ?? null, null, who);
      assert.equal(j.show_representatives, false, who);
    }
  });

  test('members see representatives and their UN posts; an address only when its owner shows it', async () => {
    const m = mainOf((await page('individual', 'geneve-institute')).html);
    assert.match(m, /Dir rep/);
    assert.match(m, /Vienna, main representative/);
    assert.match(m, /Shy Representative/);
    assert.match(m, /New York, alternate representative/);
    assert.doesNotMatch(m, /shy@example\.org/);
    assert.doesNotMatch(m, /Invisible Representative|gone@example\.org/);
    const j = await (await as.individual.get('/api/v1/members/geneve-institute')).json();
    const reps = Object.fromEntries(j.representatives.map((r) => [r.name, r]));
    assert.match(reps['Dir rep'].email, /@example\.org$/);
    assert.equal(reps['Shy Representative'].email, null);
  });
});

describe('filters', () => {
  test('the country filter lists names, sorted, and filters by code', async () => {
    const m = mainOf(await as.visitor.html('/members'));
    const select = /<select id="country"[\s\S]*?<\/select>/.exec(m)?.[0] ?? '';
    const options = [...select.matchAll(/<option value="([A-Z]*)">([^<]*)<\/option>/g)].map((o) => [o[1], o[2]]);
    assert.equal(options.length, 250, 'any country, then 249 countries');
    assert.deepEqual(options[0], ['', 'Any country']);
    assert.deepEqual(options[1], ['AF', 'Afghanistan']);
    assert.ok(options.some(([c, n]) => c === 'AT' && n === 'Austria'));
    assert.doesNotMatch(m, /Country code|Two letters/);
    // the rows name the country too
    const ke = mainOf(await as.visitor.html('/members?country=KE'));
    // (a cell starts with its column's name, shown on a phone's cards)
    assert.match(ke, /<td><span class="cell-label" aria-hidden="true">Country<\/span> Kenya<\/td>/);
    assert.doesNotMatch(ke, /> KE<\/td>/);
    // French: the names in French, sorted for the reader
    const fr = mainOf(await (await fetch(`${srv.url}/members?country=CH`, { headers: { 'accept-language': 'fr' } })).text());
    assert.match(fr, /<option value="CH" selected>Suisse<\/option>/);
    assert.match(fr, /<option value="">Tous les pays<\/option>/);
    assert.ok(fr.indexOf('>Égypte<') < fr.indexOf('>Espagne<') && fr.indexOf('>Danemark<') < fr.indexOf('>Égypte<'));
    assert.match(fr, /<td><span class="cell-label" aria-hidden="true">Pays<\/span> Suisse<\/td>/);
  });

  test('by country', async () => {
    assert.deepEqual(names(await listJson('visitor', '?country=ke')),
      ['Information Partners', 'Roster Rights Network']);
  });

  test('by level', async () => {
    const d = await listJson('visitor', '?level=full');
    assert.deepEqual(names(d), ['Genève Institute', 'Information Partners', 'Roster Rights Network']);
  });

  test('by UN status', async () => {
    assert.deepEqual(names(await listJson('visitor', '?un=ecosoc-roster')), ['Roster Rights Network']);
    assert.deepEqual(names(await listJson('visitor', '?un=ecosoc-special')), ['Genève Institute']);
    assert.deepEqual(names(await listJson('visitor', '?un=dgc')), ['Genève Institute', 'Information Partners']);
    const none = names(await listJson('visitor', '?un=none&country=US'));
    assert.deepEqual(none, ['World Genève Watch']);
    const row = (await listJson('visitor', '?un=dgc')).organisations[1];
    assert.equal(row.un_status_text, 'DGC associated (2010)');
  });

  test('by focal area', async () => {
    assert.deepEqual(names(await listJson('visitor', '?focal=victims-rights')), ['Roster Rights Network']);
    const d = await listJson('visitor', '?focal=femicide');
    assert.deepEqual(d.organisations[0].focal_areas.map((f) => f.slug), ['corruption', 'femicide']);
  });

  test('name prefix search is blind to accents and case, and matches a later word', async () => {
    for (const q of ['gene', 'GENEVE', 'Genè', 'genève']) {
      assert.deepEqual(names(await listJson('visitor', `?q=${encodeURIComponent(q)}`)),
        ['Genève Institute', 'World Genève Watch'], q);
    }
    assert.deepEqual(names(await listJson('visitor', '?q=eneve')), [], 'not a prefix');
    assert.deepEqual(names(await listJson('visitor', '?q=watch')), ['World Genève Watch']);
    assert.deepEqual(names(await listJson('visitor', '?q=gi')), ['Genève Institute'], 'acronym');
    assert.deepEqual(names(await listJson('visitor', '?q=%25')), [], 'a wildcard is a character');
  });

  test('the filter form keeps its values', async () => {
    const m = mainOf(await as.visitor.html('/members?country=KE&un=dgc&q=info'));
    assert.match(m, /<option value="dgc" selected>/);
    assert.match(m, /<select id="country" name="country" autocomplete="off">\n<option value="">Any country<\/option>/);
    assert.match(m, /<option value="KE" selected>Kenya<\/option>/);
    assert.equal((m.match(/ selected>/g) ?? []).length, 2, 'KE and dgc only');
    assert.match(m, /id="q"[^>]*value="info"/);
    assert.match(m, /1 organisation/);
  });

  test('bad filter values are refused with 422', async () => {
    for (const q of ['country=ZZ', 'un=un-friend', 'page=0', 'page=10001', 'page=two',
      'level=Not%20a%20slug', 'focal=%2F..', `q=${'x'.repeat(101)}`]) {
      const res = await as.visitor.get(`/members?${q}`);
      await res.arrayBuffer();
      assert.equal(res.status, 422, q);
    }
  });
});

describe('pages of 50', () => {
  test('the first page has 50 rows and a next link that keeps the filters', async () => {
    const d = await listJson('visitor', '?country=FR');
    assert.equal(d.total, 60);
    assert.equal(d.organisations.length, 50);
    assert.equal(d.organisations[0].name, 'Bulk Organisation 01');
    const html = mainOf(await as.visitor.html('/members?country=FR'));
    assert.match(html, /60 organisations/);
    assert.match(html, /href="\/members\?country=FR&amp;page=2" rel="next"/);
    assert.doesNotMatch(html, /rel="prev"/);
  });

  test('the second page has the rest and a link back', async () => {
    const d = await listJson('visitor', '?country=FR&page=2');
    assert.equal(d.organisations.length, 10);
    assert.equal(d.organisations[0].name, 'Bulk Organisation 51');
    assert.equal(d.pager.prev_href, '/api/v1/members?country=FR');
    assert.equal(d.pager.next_href, null);
    const html = mainOf(await as.visitor.html('/members?country=FR&page=2'));
    assert.match(html, /href="\/members\?country=FR" rel="prev"/);
  });

  test('a page past the end is empty, not an error', async () => {
    const d = await listJson('visitor', '?country=FR&page=9');
    assert.equal(d.organisations.length, 0);
    assert.equal(d.total, 60);
  });
});

describe('an empty directory', () => {
  test('says there are no member organisations yet when no filter is set, and that none matches only when one is', async () => {
    const fresh = await startServer();
    try {
      const v = new Browser(fresh.url);
      const text = async (path) => {
        const res = await v.get(path);
        const body = mainOf(await res.text());
        assert.equal(res.status, 200, `GET ${path}`);
        return body;
      };
      for (const path of ['/members', '/members?q=', '/members?q=&country=&level=&un=&focal=', '/members?page=2']) {
        const body = await text(path);
        assert.match(body, /There are no member organisations in the directory yet\./, path);
        assert.doesNotMatch(body, /matches these filters/, path);
      }
      for (const path of ['/members?q=nothing', '/members?country=FR', '/members?level=full', '/members?focal=corruption']) {
        const body = await text(path);
        assert.match(body, /No member organisation matches these filters\. <a href="\/members">Show all member organisations<\/a>/, path);
        assert.doesNotMatch(body, /There are no member organisations/, path);
      }
    } finally {
      await fresh.stop();
    }
  });
});
