// focal.test.mjs -- the focal points (issue 12, point 3; src/focal/): the
// twelve areas' texts (migration 0024 replaces only what 0002 seeded, never
// a text the secretariat edited); the secretariat assigns and removes focal
// points (CSRF, audited, 403 for anyone else, bad input a 4xx with the form
// again); the area's page names each as their profile allows (public to
// all, members to members, hidden to no one: counted) and lists the
// organisations that chose it, listed and public only, by name.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { startServer } from '../lib/server.mjs';
import { Browser, mainOf, sql, sqlText, personWithRole, personId, formCsrf, hiddenFields, unescapeHtml } from '../lib/accounts.mjs';

const AREAS = ['corrections-sentencing', 'corruption', 'crime-prevention', 'femicide', 'gender',
  'ai-cybercrime', 'lawyers-prosecutors', 'prison-chaplains', 'restorative-justice', 'sdg-16',
  'terrorism-prevention', 'victims-rights'];

let srv;
const as = {};
const ids = {};

/** A person straight into the database; resolves to their id. */
async function addPerson(email, name, o = {}) {
  await sql(srv.dataDir, `INSERT INTO people (email, name, created_at, visibility, show_email, show_country,
    country, disabled_at) VALUES (${sqlText(email)}, ${sqlText(name)}, 0, ${sqlText(o.visibility ?? 'public')},
    ${o.showEmail ? 1 : 0}, ${o.showCountry === false ? 0 : 1}, ${o.country ? sqlText(o.country) : 'NULL'},
    ${o.disabled ? 1 : 'NULL'})`);
  return personId(srv.dataDir, email);
}

/** An organisation with a membership in state (default active) and focal areas. */
async function addOrg(slug, name, { visibility = 'public', state = 'active', focal = [], country = 'AT' } = {}) {
  await sql(srv.dataDir, `
    INSERT INTO organisations (slug, name, name_key, acronym, country, description_md, visibility,
      dgc_associated, created_at)
    VALUES (${sqlText(slug)}, ${sqlText(name)}, ${sqlText(name.toLowerCase())}, 'ACR', ${sqlText(country)}, '',
      ${sqlText(visibility)}, 0, 0);
    INSERT INTO memberships (level_id, organisation_id, state, state_since, period_start, period_end, created_at)
    VALUES ((SELECT id FROM membership_levels WHERE slug = 'associate'),
      (SELECT id FROM organisations WHERE slug = ${sqlText(slug)}), ${sqlText(state)},
      '2026-01-01', '2026-01-01', '2026-12-31', 0)`);
  for (const f of focal) {
    await sql(srv.dataDir, `INSERT INTO organisation_focal_areas VALUES
      ((SELECT id FROM organisations WHERE slug = ${sqlText(slug)}), (SELECT id FROM focal_areas WHERE slug = ${sqlText(f)}))`);
  }
}

/** Assigns a person as the admin does, through the page's form; the answer. */
async function assign(area, q, personIdValue, fields = {}) {
  const page = await as.admin.html(`/admin/focal-points/${area}?q=${encodeURIComponent(q)}`);
  const action = `/admin/focal-points/${area}/people`;
  const forms = [...page.matchAll(/<form[^>]*action="([^"]*)"[\s\S]*?<\/form>/g)]
    .filter((m) => m[1] === action && m[0].includes(`name="person" value="${personIdValue}"`));
  assert.equal(forms.length, 1, `no form to assign ${personIdValue} after searching ${q}`);
  return as.admin.post(action, { ...hiddenFields(forms[0][0], action), ...fields });
}

const audit = (action) => sql(srv.dataDir,
  `SELECT object_id FROM audit_log WHERE action = ${sqlText(action)} ORDER BY id`);

before(async () => {
  srv = await startServer();
  as.visitor = new Browser(srv.url);
  for (const who of ['admin', 'plain', 'individual']) {
    const p = await personWithRole(srv, { role: who === 'admin' ? 'admin' : 'member', name: `Focal ${who}`, password: null });
    as[who] = p.browser;
    ids[who] = await personId(srv.dataDir, p.email);
  }
  // the individual member holds an individual membership: a member in the
  // directory's sense; plain is signed in but no member
  await sql(srv.dataDir, `INSERT INTO memberships (level_id, person_id, state, state_since,
    period_start, period_end, created_at) VALUES ((SELECT id FROM membership_levels
    WHERE slug = 'individual'), ${ids.individual}, 'active', '2026-01-01', '2026-01-01', '2026-12-31', 0)`);
  ids.pub = await addPerson('pia@example.org', 'Pia Public', { country: 'AT', showEmail: true });
  ids.mem = await addPerson('mo@example.org', 'Mo Membersonly', { visibility: 'members', country: 'KE', showCountry: false });
  ids.hid = await addPerson('hal@example.org', 'Hal Hidden', { visibility: 'hidden', country: 'FR' });
  ids.off = await addPerson('dee@example.org', 'Dee Disabled', { disabled: true });
  await addOrg('gender-watch', 'Gender Watch International', { focal: ['gender'], country: 'AT' });
  await addOrg('quiet-gender', 'Quiet Gender Circle', { visibility: 'members', focal: ['gender'] });
  await addOrg('lapsed-gender', 'Lapsed Gender Society', { state: 'lapsed', focal: ['gender'] });
  await addOrg('corruption-only', 'Corruption Only Watch', { focal: ['corruption'] });
});

after(async () => { if (srv) await srv.stop(); });

describe('the texts of the twelve areas', () => {
  test('every_area_has_a_summary_and_a_body_of_two_paragraphs', async () => {
    // lengths, and the blank lines between paragraphs (the values span lines)
    const rows = await sql(srv.dataDir, `SELECT slug, length(summary), length(body_md),
      (length(body_md) - length(replace(body_md, '\n\n', ''))) / 2 FROM focal_areas ORDER BY position`);
    assert.deepEqual(rows.map((r) => r[0]), AREAS);
    for (const [slug, summary, body, breaks] of rows) {
      assert.ok(Number(summary) >= 100, `${slug}: summary ${summary} characters`);
      assert.ok(Number(body) >= 400, `${slug}: body ${body} characters`);
      assert.ok(Number(breaks) >= 1, `${slug}: one paragraph`);
      const html = mainOf(await as.visitor.html(`/focal-points/${slug}`));
      assert.ok((html.match(/<p>/g) || []).length >= 2, `${slug}: the page shows one paragraph`);
    }
  });

  test('the_one_line_texts_are_gone', async () => {
    const html = mainOf(await as.visitor.html('/focal-points/gender'));
    assert.doesNotMatch(html, /The Alliance.s focal point for gender in crime prevention/);
    assert.match(html, /Bangkok Rules/);
  });
});

describe('migration 0024 on a database whose texts were edited', () => {
  test('edited_texts_stay_and_seeded_ones_are_replaced', async () => {
    const other = await startServer({
      beforeServe: async ({ bin, dataDir, env }) => {
        // back to 0002's texts for gender; sdg-16 edited by the secretariat
        await sql(dataDir, `
          UPDATE focal_areas SET
            summary = 'The Alliance''s focal point for gender in crime prevention and criminal justice.',
            body_md = 'Gender is one of the focal points for areas of work that the Alliance has identified since the 2015 Crime Congress.'
            WHERE slug = 'gender';
          UPDATE focal_areas SET summary = 'Our own summary.', body_md = 'Our own body.' WHERE slug = 'sdg-16';
          DELETE FROM schema_migrations WHERE version = 24;`);
        await new Promise((ok, fail) => execFile(bin, ['migrate', '--data', dataDir], { env },
          (err, stdout, stderr) => (err ? fail(new Error(stderr)) : ok())));
      },
    });
    try {
      const rows = await sql(other.dataDir, `SELECT slug, summary,
        CASE WHEN body_md LIKE '%Bangkok Rules%' THEN 'new body' ELSE body_md END
        FROM focal_areas WHERE slug IN ('gender', 'sdg-16') ORDER BY slug`);
      assert.match(rows[0][1], /as victims, as offenders/);
      assert.equal(rows[0][2], 'new body');
      assert.deepEqual(rows[1], ['sdg-16', 'Our own summary.', 'Our own body.']);
    } finally {
      await other.stop();
    }
  });
});

describe('the secretariat assigns and removes focal points', () => {
  test('assign_finds_people_by_name_or_email_and_saves_with_an_audit_record', async () => {
    const found = mainOf(await as.admin.html('/admin/focal-points/gender?q=PIA%40EXAMPLE'));
    assert.match(found, /Pia Public/);
    assert.doesNotMatch(found, /Dee Disabled/);
    const res = await assign('gender', 'pia', ids.pub, { title: 'Chair & <b>lead</b>', since: '2026-03-01' });
    assert.equal(res.status, 303, await res.text());
    assert.equal(res.headers.get('location'), '/admin/focal-points/gender?done=assigned');
    const page = mainOf(await as.admin.html('/admin/focal-points/gender?done=assigned'));
    assert.match(page, /has been saved/);
    assert.match(page, /Pia Public<\/strong>, Chair &amp; &lt;b&gt;lead&lt;\/b&gt;/);
    assert.match(page, /since 2026-03-01/);
    assert.deepEqual(await audit('focal_point.assign'), [[`gender:${ids.pub}`]]);
    // already assigned: not offered again
    assert.doesNotMatch(mainOf(await as.admin.html('/admin/focal-points/gender?q=pia')), /name="person" value="/);
    for (const [id, q] of [[ids.mem, 'membersonly'], [ids.hid, 'hal@']]) {
      const r = await assign('gender', q, id);
      assert.equal(r.status, 303);
    }
    // a date left out is today
    const today = new Date().toISOString().slice(0, 10);
    assert.deepEqual(await sql(srv.dataDir, `SELECT since FROM focal_area_people WHERE person_id = ${ids.mem}`), [[today]]);
    const list = mainOf(await as.admin.html('/admin/focal-points'));
    assert.match(list, /Gender<\/a> <span class="muted">3 focal points/);
  });

  test('remove_takes_the_person_off_the_area_with_an_audit_record_and_twice_is_404', async () => {
    const r = await assign('corruption', 'pia', ids.pub);
    assert.equal(r.status, 303);
    const path = `/admin/focal-points/corruption/people/${ids.pub}/remove`;
    const csrf = formCsrf(await as.admin.html('/admin/focal-points/corruption'), path);
    let res = await as.admin.post(path, { csrf });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/admin/focal-points/corruption?done=removed');
    assert.deepEqual(await audit('focal_point.remove'), [[`corruption:${ids.pub}`]]);
    assert.doesNotMatch(mainOf(await as.visitor.html('/focal-points/corruption')), /Pia Public/);
    res = await as.admin.post(path, { csrf });
    assert.equal(res.status, 404);
  });

  test('a_post_without_the_csrf_token_is_refused_and_changes_nothing', async () => {
    const res = await as.admin.post('/admin/focal-points/sdg-16/people', { person: String(ids.pub) });
    assert.equal(res.status, 403);
    assert.deepEqual(await sql(srv.dataDir, "SELECT count(*) FROM focal_area_people fp JOIN focal_areas fa ON fa.id = fp.focal_area_id WHERE fa.slug = 'sdg-16'"), [['0']]);
  });

  test('anyone_but_the_secretariat_gets_403_and_a_visitor_is_sent_to_sign_in', async () => {
    for (const who of ['plain', 'individual']) {
      const csrf = formCsrf(await as[who].html('/account'));
      for (const path of ['/admin/focal-points', '/admin/focal-points/gender']) {
        assert.equal((await as[who].get(path)).status, 403, `${who} GET ${path}`);
      }
      for (const path of ['/admin/focal-points/gender/people', `/admin/focal-points/gender/people/${ids.pub}/remove`]) {
        assert.equal((await as[who].post(path, { csrf, person: String(ids[who]) })).status, 403, `${who} POST ${path}`);
      }
    }
    const res = await as.visitor.get('/admin/focal-points/gender');
    assert.equal(res.status, 303);
    assert.match(res.headers.get('location'), /^\/signin\?next=/);
    assert.equal(await sql(srv.dataDir, `SELECT count(*) FROM focal_area_people WHERE person_id IN (${ids.plain}, ${ids.individual})`).then((r) => r[0][0]), '0');
  });

  test('bad_input_is_a_4xx_never_a_500_and_the_form_comes_back_with_its_messages', async () => {
    const action = '/admin/focal-points/victims-rights/people';
    const csrf = formCsrf(await as.admin.html('/admin/focal-points/victims-rights'));
    const cases = [
      [{}, 422], [{ person: '' }, 422], [{ person: 'abc' }, 422], [{ person: '-3' }, 422],
      [{ person: '999999' }, 404], [{ person: String(ids.off) }, 404],
    ];
    for (const [fields, status] of cases) {
      const res = await as.admin.post(action, { csrf, ...fields });
      assert.equal(res.status, status, JSON.stringify(fields));
    }
    // a title too long and a date that is none: the page again, at that person's form
    let res = await as.admin.post(action, { csrf, person: String(ids.pub), q: 'pia', title: 'x'.repeat(121), since: '2026-02-30' });
    assert.equal(res.status, 422);
    const html = mainOf(await res.text());
    assert.match(html, /class="error-summary"/);
    assert.match(html, new RegExp(`href="#title-${ids.pub}"`));
    assert.match(html, new RegExp(`id="since-${ids.pub}"[^>]*aria-invalid="true"`));
    assert.match(html, /Pia Public/);
    // an unknown area; bytes that are not UTF-8
    assert.equal((await as.admin.post('/admin/focal-points/nowhere/people', { csrf, person: String(ids.pub) })).status, 404);
    assert.equal((await as.admin.get('/focal-points/nowhere')).status, 404);
    res = await as.admin.send('POST', action, { body: `csrf=${encodeURIComponent(csrf)}&person=${ids.pub}&title=%FF%FE`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(res.status, 400);
    res = await as.admin.get('/admin/focal-points/gender?q=%FF');
    assert.equal(res.status, 400);
    // a search of LIKE's wildcards finds no one rather than everyone
    assert.doesNotMatch(mainOf(await as.admin.html('/admin/focal-points/gender?q=%25')), /name="person"/);
    assert.deepEqual(await sql(srv.dataDir, `SELECT count(*) FROM focal_area_people fp JOIN focal_areas fa ON fa.id = fp.focal_area_id WHERE fa.slug = 'victims-rights'`), [['0']]);
  });
});

describe('the area page names focal points as each allows', () => {
  before(async () => {
    // gender: Pia (public), Mo (members only), Hal (hidden); and Dee
    // (disabled) put there straight: never shown, never counted
    if ((await sql(srv.dataDir, `SELECT count(*) FROM focal_area_people WHERE person_id = ${ids.pub}`))[0][0] === '0') {
      for (const [id, q] of [[ids.pub, 'pia'], [ids.mem, 'membersonly'], [ids.hid, 'hal@']]) await assign('gender', q, id);
    }
    await sql(srv.dataDir, `INSERT INTO focal_area_people (focal_area_id, person_id, title, since, created_at)
      VALUES ((SELECT id FROM focal_areas WHERE slug = 'gender'), ${ids.off}, 'Gone', '2026-01-01', 0)`);
  });

  test('a_visitor_sees_public_names_only_and_the_others_counted', async () => {
    const html = mainOf(await as.visitor.html('/focal-points/gender'));
    assert.match(html, /<strong>Pia Public<\/strong>/);
    assert.match(html, /\(Austria\)/);
    assert.doesNotMatch(html, /Membersonly|Hal Hidden|Dee Disabled|Gone|pia@example\.org|mo@example|hal@example/);
    assert.match(html, /and 2 more focal points, whose names are not public\./);
    const json = await (await as.visitor.get('/api/v1/focal-points/gender')).json();
    assert.deepEqual(json.area.focal_points.map((p) => p.name), ['Pia Public']);
    assert.equal(json.area.hidden_count, 2);
    assert.ok(!JSON.stringify(json).includes('Hidden'), 'a hidden name in the JSON');
  });

  test('a_member_sees_members_only_names_and_shown_addresses_but_never_a_hidden_person', async () => {
    const res = await as.individual.get('/focal-points/gender');
    assert.equal(res.headers.get('cache-control'), 'no-store');
    const html = mainOf(await res.text());
    assert.match(html, /Pia Public/);
    assert.match(html, /href="mailto:pia@example\.org"/);
    assert.match(html, /Mo Membersonly/);
    assert.doesNotMatch(html, /\(Kenya\)/, 'Mo does not show a country');
    assert.doesNotMatch(html, /Hal Hidden|France|hal@example|Dee Disabled/);
    assert.match(html, /and 1 more focal point, whose name is not public\./);
  });

  test('the_profile_says_that_its_directory_choice_also_names_focal_points', async () => {
    const html = mainOf(await as.plain.html('/account/profile'));
    assert.match(html, /The same choice decides who sees your name where the secretariat has made you a focal point/);
  });

  test('a_signed_in_person_who_is_no_member_sees_what_a_visitor_sees', async () => {
    const html = mainOf(await as.plain.html('/focal-points/gender'));
    assert.match(html, /Pia Public/);
    assert.doesNotMatch(html, /Membersonly|pia@example\.org/);
  });

  test('an_area_whose_only_focal_point_is_hidden_says_one_is_there_without_a_name', async () => {
    const r = await assign('femicide', 'hal@', ids.hid, { title: 'Chair' });
    assert.equal(r.status, 303);
    const html = mainOf(await as.visitor.html('/focal-points/femicide'));
    assert.match(html, /1 focal point, whose name is not public\./);
    assert.doesNotMatch(html, /Chair|Hal/);
    const none = mainOf(await as.visitor.html('/focal-points/sdg-16'));
    assert.match(none, /No focal point has been named for this area yet/);
  });

  test('organisations_are_listed_only_when_listed_and_public_linked_by_name', async () => {
    for (const who of ['visitor', 'individual', 'admin']) {
      const html = mainOf(await as[who].html('/focal-points/gender'));
      assert.match(html, /<a href="\/members\/gender-watch">Gender Watch International<\/a> \(ACR\) <span class="muted">· Austria<\/span>/);
      assert.doesNotMatch(html, /Quiet Gender|Lapsed Gender|Corruption Only| AT\b/, who);
    }
    assert.match(mainOf(await as.visitor.html('/focal-points/corruption')), /Corruption Only Watch/);
    assert.match(mainOf(await as.visitor.html('/focal-points/sdg-16')), /No member organisation lists this area/);
  });

  test('the_page_speaks_french_with_the_counted_focal_points_in_french', async () => {
    const res = await as.visitor.get('/focal-points/gender', { 'accept-language': 'fr' });
    const html = mainOf(await res.text());
    assert.match(html, /<h2 id="points-h">Points focaux<\/h2>/);
    assert.match(html, /et 2 autres points focaux, dont les noms ne sont pas publics\./);
    assert.match(html, /Organisations membres qui travaillent dans ce domaine/);
    assert.match(html, /\(Autriche\)/);
    const admin = mainOf(await (await as.admin.get('/admin/focal-points/gender', { 'accept-language': 'fr' })).text());
    assert.match(admin, /Points focaux\u00a0: Gender/);
  });

  test('a_change_reaches_a_visitor_page_cached_before_it', async () => {
    const before1 = mainOf(await as.visitor.html('/focal-points/terrorism-prevention'));
    assert.doesNotMatch(before1, /Pia Public/);
    assert.equal((await assign('terrorism-prevention', 'pia', ids.pub)).status, 303);
    assert.match(mainOf(await as.visitor.html('/focal-points/terrorism-prevention')), /Pia Public/);
    await sql(srv.dataDir, `UPDATE people SET visibility = 'hidden' WHERE id = ${ids.pub}`);
    const after1 = mainOf(await as.visitor.html('/focal-points/terrorism-prevention'));
    assert.doesNotMatch(after1, /Pia Public/);
    await sql(srv.dataDir, `UPDATE people SET visibility = 'public' WHERE id = ${ids.pub}`);
  });
});

// issue 13, point 10: the secretariat adds, renames, retires and brings
// back areas (src/focal/areas.c, migration 0039); last in this file, so
// the twelve areas above are still the only ones when they are counted.
describe('the secretariat adds, renames, retires and brings back areas', () => {
  const NEW = 'wildlife-and-forest-crime';
  let csrf;
  const lastAudit = async (action) => (await sql(srv.dataDir,
    `SELECT object_id, before_json, after_json FROM audit_log WHERE action = ${sqlText(action)} ORDER BY id DESC LIMIT 1`))[0];

  before(async () => {
    csrf = formCsrf(await as.admin.html('/admin/focal-points'));
  });

  test('anyone_but_the_secretariat_is_refused', async () => {
    const theirs = formCsrf(await as.plain.html('/account/profile'));
    for (const path of ['/admin/focal-points', '/admin/focal-points/gender/edit',
      '/admin/focal-points/gender/retire', '/admin/focal-points/gender/restore']) {
      const res = await as.plain.post(path, { csrf: theirs, name: 'Taken over' });
      assert.equal(res.status, 403, path);
      assert.ok([401, 403].includes((await as.visitor.post(path, { name: 'Taken over' })).status), path);
    }
    assert.equal((await as.plain.get('/admin/focal-points')).status, 403);
    assert.deepEqual(await sql(srv.dataDir, `SELECT name, retired_at FROM focal_areas WHERE slug = 'gender'`), [['Gender', '']]);
  });

  test('an_area_is_added_with_a_slug_from_its_name_and_is_public_at_once', async () => {
    const res = await as.admin.post('/admin/focal-points', { csrf, name: 'Wildlife and Forest Crime',
      summary: 'Trafficking in wildlife and timber.', body: 'The **first** paragraph.\n\nThe second.' });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), `/admin/focal-points/${NEW}?done=added`);
    assert.match(mainOf(await as.admin.html(`/admin/focal-points/${NEW}?done=added`)), /The area has been added/);
    const page = mainOf(await as.visitor.html(`/focal-points/${NEW}`));
    assert.match(page, /<h1>Wildlife and Forest Crime<\/h1>/);
    assert.match(page, /<strong>first<\/strong>/);
    assert.doesNotMatch(page, /retired/i);
    assert.match(mainOf(await as.visitor.html('/')), new RegExp(`href="/focal-points/${NEW}"`));
    assert.match(mainOf(await as.visitor.html('/search?q=timber')), new RegExp(`/focal-points/${NEW}`));
    const [object, , after1] = await lastAudit('focal_area.add');
    assert.equal(object, NEW);
    assert.equal(JSON.parse(after1).name, 'Wildlife and Forest Crime');
    // the same name again: another slug; a name of no Latin letters: "area"
    assert.equal((await as.admin.post('/admin/focal-points', { csrf, name: 'Wildlife and Forest Crime' })).headers.get('location'),
      `/admin/focal-points/${NEW}-2?done=added`);
    assert.equal((await as.admin.post('/admin/focal-points', { csrf, name: '野生生物' })).headers.get('location'),
      '/admin/focal-points/area?done=added');
  });

  test('a_name_missing_or_too_long_shows_the_form_again_with_the_message', async () => {
    const before1 = await sql(srv.dataDir, 'SELECT count(*) FROM focal_areas');
    for (const fields of [{}, { name: '' }, { name: '   ' }, { name: 'x'.repeat(121) }, { name: 'Fine', body: 'y'.repeat(20001) }]) {
      const res = await as.admin.post('/admin/focal-points', { csrf, summary: 'Kept as typed', ...fields });
      assert.equal(res.status, 422, JSON.stringify(fields).slice(0, 60));
      const html = mainOf(await res.text());
      assert.match(html, /class="error-summary"/);
      assert.match(html, fields.body ? /href="#new-body"/ : /href="#new-name"/);
      assert.match(html, /value="Kept as typed"/);
    }
    assert.deepEqual(await sql(srv.dataDir, 'SELECT count(*) FROM focal_areas'), before1);
  });

  test('a_rename_keeps_the_slug_and_changes_the_page_and_the_search', async () => {
    const res = await as.admin.post(`/admin/focal-points/${NEW}/edit`, { csrf, name: 'Wildlife, Forest and Fisheries Crime',
      summary: 'Trafficking in wildlife, timber and fish.', body: 'New text.' });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), `/admin/focal-points/${NEW}?done=edited`);
    const page = mainOf(await as.visitor.html(`/focal-points/${NEW}`));
    assert.match(page, /<h1>Wildlife, Forest and Fisheries Crime<\/h1>/);
    assert.match(page, /New text\./);
    assert.match(mainOf(await as.visitor.html('/search?q=fisheries')), new RegExp(`/focal-points/${NEW}"`));
    const [object, before1, after1] = await lastAudit('focal_area.change');
    assert.equal(object, NEW);
    assert.equal(JSON.parse(before1).name, 'Wildlife and Forest Crime');
    assert.equal(JSON.parse(after1).name, 'Wildlife, Forest and Fisheries Crime');
    // an empty name: the page again, the field marked, nothing changed
    const bad = await as.admin.post(`/admin/focal-points/${NEW}/edit`, { csrf, name: '', summary: 'Changed?' });
    assert.equal(bad.status, 422);
    const html = mainOf(await bad.text());
    assert.match(html, /href="#area-name"/);
    assert.match(html, /id="area-name"[^>]*aria-invalid="true"/);
    assert.match(html, /value="Changed\?"/);
    assert.equal((await sql(srv.dataDir, `SELECT summary FROM focal_areas WHERE slug = '${NEW}'`))[0][0],
      'Trafficking in wildlife, timber and fish.');
    assert.equal((await as.admin.post('/admin/focal-points/nowhere/edit', { csrf, name: 'X' })).status, 404);
  });

  test('a_retired_area_keeps_its_page_and_its_links_and_leaves_the_choices', async () => {
    // a focal point, and a person who chose the area in their profile
    await sql(srv.dataDir, `INSERT INTO focal_area_people (focal_area_id, person_id, title, since, created_at)
      VALUES ((SELECT id FROM focal_areas WHERE slug = '${NEW}'), ${ids.pub}, '', '2026-01-01', 0);
      INSERT INTO person_focal_areas (person_id, focal_area_id)
      VALUES (${ids.plain}, (SELECT id FROM focal_areas WHERE slug = '${NEW}'));
      INSERT INTO organisation_focal_areas (organisation_id, focal_area_id)
      VALUES ((SELECT id FROM organisations WHERE slug = 'gender-watch'), (SELECT id FROM focal_areas WHERE slug = '${NEW}'))`);
    assert.match(mainOf(await as.visitor.html('/join/associate')), new RegExp(`value="${NEW}"`));
    const res = await as.admin.post(`/admin/focal-points/${NEW}/retire`, { csrf });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), `/admin/focal-points/${NEW}?done=retired`);
    assert.equal((await lastAudit('focal_area.retire'))[0], NEW);
    const page = mainOf(await as.visitor.html(`/focal-points/${NEW}`));
    assert.match(page, /This focal area was retired on \d+ \w+ 20\d\d/);
    assert.match(page, /Pia Public/);
    // not on the home page, apart on the list, not offered to a new choice
    assert.doesNotMatch(mainOf(await as.visitor.html('/')), new RegExp(`/focal-points/${NEW}"`));
    const list = mainOf(await as.visitor.html('/focal-points'));
    assert.ok(list.indexOf('Retired areas') > 0 && list.indexOf('Retired areas') < list.indexOf(`/focal-points/${NEW}"`));
    assert.doesNotMatch(mainOf(await as.individual.html('/account/profile')), new RegExp(`value="${NEW}"`));
    assert.match(mainOf(await as.plain.html('/account/profile')), new RegExp(`value="${NEW}" checked`));
    assert.doesNotMatch(mainOf(await as.visitor.html('/join/associate')), new RegExp(`value="${NEW}"`));
    assert.match(mainOf(await as.admin.html('/members/gender-watch/edit')), new RegExp(`value="${NEW}" checked`));
    assert.doesNotMatch(mainOf(await as.admin.html('/members/corruption-only/edit')), new RegExp(`value="${NEW}"`));
    // saving the form keeps the retired area it had; another may not choose it
    const edit = async (slug, name, focal) => {
      const page = await as.admin.html(`/members/${slug}/edit`);
      return as.admin.post(`/members/${slug}/edit`, [...Object.entries({ ...hiddenFields(page, `/members/${slug}/edit`),
        name, acronym: 'ACR', country: 'AT', website: '', description: 'Watching.', contact_address: '',
        visibility: 'public' }), ...focal.map((f) => ['focal', f])]);
    };
    assert.equal((await edit('gender-watch', 'Gender Watch International', ['gender', NEW])).status, 303);
    assert.deepEqual(await sql(srv.dataDir, `SELECT fa.slug FROM organisation_focal_areas x JOIN focal_areas fa
      ON fa.id = x.focal_area_id JOIN organisations o ON o.id = x.organisation_id WHERE o.slug = 'gender-watch'
      ORDER BY fa.slug`), [['gender'], [NEW]]);
    const refused = await edit('corruption-only', 'Corruption Only Watch', ['corruption', NEW]);
    assert.equal(refused.status, 422);
    assert.match(mainOf(await refused.text()), /Focal areas: choose among the listed ones/);
    // the API says so
    const one = await (await as.visitor.get(`/api/v1/focal-points/${NEW}`)).json();
    assert.equal(one.area.retired, true);
    assert.equal(typeof one.area.retired_at, 'number');
    const all = await (await as.visitor.get('/api/v1/focal-points')).json();
    assert.ok(all.retired.some((a) => a.slug === NEW));
    assert.ok(!all.focal_areas.some((a) => a.slug === NEW));
    assert.equal(all.focal_areas.length, AREAS.length + 2);
    // twice: 409, nothing changed
    assert.equal((await as.admin.post(`/admin/focal-points/${NEW}/retire`, { csrf })).status, 409);
    // the secretariat's pages say it and offer to bring it back
    const admin = mainOf(await as.admin.html(`/admin/focal-points/${NEW}`));
    assert.match(admin, new RegExp(`action="/admin/focal-points/${NEW}/restore"`));
    assert.match(mainOf(await as.admin.html('/admin/focal-points')), /Retired areas/);
  });

  test('a_retired_area_is_brought_back', async () => {
    const res = await as.admin.post(`/admin/focal-points/${NEW}/restore`, { csrf });
    assert.equal(res.status, 303);
    assert.equal((await lastAudit('focal_area.restore'))[0], NEW);
    assert.match(mainOf(await as.visitor.html('/')), new RegExp(`/focal-points/${NEW}"`));
    assert.doesNotMatch(mainOf(await as.visitor.html(`/focal-points/${NEW}`)), /was retired/);
    assert.match(mainOf(await as.individual.html('/account/profile')), new RegExp(`value="${NEW}"`));
    assert.equal((await as.admin.post(`/admin/focal-points/${NEW}/restore`, { csrf })).status, 409);
    assert.equal((await as.admin.post('/admin/focal-points/nowhere/retire', { csrf })).status, 404);
  });

  test('the_secretariat_pages_speak_french', async () => {
    const html = mainOf(await (await as.admin.get('/admin/focal-points', { 'accept-language': 'fr' })).text());
    assert.match(html, /Ajouter un domaine/);
    const area = mainOf(await (await as.admin.get(`/admin/focal-points/${NEW}`, { 'accept-language': 'fr' })).text());
    assert.match(area, /Retirer le domaine/);
  });
});
