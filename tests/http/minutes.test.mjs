// minutes.test.mjs -- a meeting's minutes (issue 14 point 4;
// src/calendar/minutes.c): the secretariat drafts the minutes of a past
// meeting in two versions (the first still readable), ticks who attended
// among the people registered and approves; a visitor reads the approved
// minutes with the names of those present as each allows, never a draft;
// after approval a new save is refused (409); a working party's
// rapporteur writes the minutes of the party's meeting, a plain member of
// the party may not (403); the minutes of a members-only meeting are
// unseen by a visitor (HTML and JSON).  The meetings are last year's,
// computed from the real clock.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { Browser, mainOf, sql, sqlText, personWithRole, personId, unescapeHtml, formCsrf } from '../lib/accounts.mjs';

let srv;
const as = {};
const ids = {};
const Y = new Date().getUTCFullYear() - 1;

const MEETING = {
  kind: 'alliance', body: '', time_zone: 'Europe/Vienna', repeat: 'none', mode: 'in-person',
  status: 'confirmed', visibility: 'public', registration: 'none',
  starts_date: `${Y}-03-10`, starts_time: '10:00', ends_date: `${Y}-03-10`, ends_time: '12:00',
};

/** Enters a meeting through the desk's form; resolves to its slug. */
async function enter(fields) {
  const res = await as.admin.submit('/admin/calendar/new', '/admin/calendar', { ...MEETING, ...fields });
  const body = res.status === 303 ? '' : await res.text();
  assert.equal(res.status, 303, `POST /admin/calendar: ${res.status} ${body.slice(0, 2000)}`);
  const m = /^\/admin\/calendar\/([a-z0-9-]+)\?done=saved$/.exec(res.headers.get('location'));
  assert.ok(m, res.headers.get('location'));
  return m[1];
}

/** Saves a version of the minutes as browser b; resolves to the response. */
async function save(b, slug, body, note = '') {
  return b.submit(`/calendar/${slug}/minutes`, `/calendar/${slug}/minutes`, { body, note });
}

async function json(b, path, status = 200) {
  const res = await b.get(path, { accept: 'application/json' });
  const text = await res.text();
  assert.equal(res.status, status, `GET ${path}: ${res.status} ${text.slice(0, 500)}`);
  return JSON.parse(text);
}

before(async () => {
  srv = await startServer();
  as.visitor = new Browser(srv.url);
  for (const [k, name, role] of [['admin', 'Min Admin', 'admin'], ['plain', 'Min Plain', 'member'],
    ['member', 'Min Member', 'member'], ['rapporteur', 'Min Rapporteur', 'member'],
    ['teammate', 'Min Teammate', 'member']]) {
    const p = await personWithRole(srv, { role, name, password: null });
    as[k] = p.browser;
    ids[k] = await personId(srv.dataDir, p.email);
  }
  // a member of a member organisation's sense: an individual membership
  await sql(srv.dataDir, `INSERT INTO memberships (level_id, person_id, state, state_since,
    period_start, period_end, created_at) VALUES ((SELECT id FROM membership_levels
    WHERE slug = 'individual'), ${ids.member}, 'active', '${Y}-01-01', '${Y}-01-01', '${Y + 3}-12-31', 0)`);
  await sql(srv.dataDir, `INSERT INTO object_roles (person_id, object_type, object_id, role, granted_at)
    VALUES (${ids.rapporteur}, 'party', 'victims', 'rapporteur', 0), (${ids.teammate}, 'party', 'victims', 'member', 0)`);
  // who shows their name: the member to everyone, the plain member to nobody
  await sql(srv.dataDir, `UPDATE people SET visibility = 'public' WHERE id = ${ids.member}`);
  await sql(srv.dataDir, `UPDATE people SET visibility = 'hidden' WHERE id = ${ids.plain}`);
});

after(async () => { if (srv) await srv.stop(); });

describe('the minutes of a past meeting', () => {
  let slug;
  test('secretariat_drafts_two_versions_and_a_visitor_sees_no_draft', async () => {
    slug = await enter({ title: 'Annual meeting of the Alliance' });
    let res = await save(as.admin, slug, '# Opening\n\nFirst draft of the minutes.');
    assert.equal(res.status, 303, await res.text());
    assert.equal(res.headers.get('location'), `/calendar/${slug}/minutes?done=saved`);
    res = await save(as.admin, slug, '# Opening\n\nSecond draft, corrected.', 'Corrected the opening');
    assert.equal(res.status, 303);
    const rows = await sql(srv.dataDir, `SELECT version, state, note FROM meeting_minutes
      WHERE meeting_id = (SELECT id FROM meetings WHERE slug = ${sqlText(slug)}) ORDER BY version`);
    assert.deepEqual(rows.map((r) => [Number(r[0]), r[1], r[2]]),
      [[1, 'draft', ''], [2, 'draft', 'Corrected the opening']]);
    // the first version is still there to read
    const v1 = unescapeHtml(mainOf(await as.admin.html(`/calendar/${slug}/minutes/versions/1`)));
    assert.match(v1, /First draft of the minutes\./);
    const list = await json(as.admin, `/api/v1/calendar/${slug}/minutes/versions`);
    assert.deepEqual(list.versions.map((v) => v.version), [2, 1]);
    assert.equal(list.versions[0].note, 'Corrected the opening');
    // the writer's page shows the newest draft in the form
    const page = unescapeHtml(mainOf(await as.admin.html(`/calendar/${slug}/minutes`)));
    assert.match(page, /Second draft, corrected\./);
    assert.match(page, /Approve version 2/);
    // nobody else reads a draft
    for (const b of [as.visitor, as.member]) {
      assert.equal((await b.get(`/calendar/${slug}/minutes`)).status, 404);
      assert.equal((await b.get(`/calendar/${slug}/minutes/versions/1`)).status, 404);
      assert.equal((await b.get(`/api/v1/calendar/${slug}/minutes/versions`)).status, 404);
    }
    // the meeting's page: "Draft minutes" to the writer, nothing to a visitor
    assert.match(await as.admin.html(`/calendar/${slug}`), new RegExp(`href="/calendar/${slug}/minutes">Draft minutes`));
    assert.doesNotMatch(await as.visitor.html(`/calendar/${slug}`), /\/minutes"/);
    const audit = await sql(srv.dataDir, `SELECT action FROM audit_log WHERE object_id = ${sqlText(slug + ':')} ORDER BY id`);
    assert.deepEqual(audit.map((a) => a[0]), ['meeting.minutes.save', 'meeting.minutes.save']);
  });

  test('attendance_from_registrations_shows_on_the_approved_minutes', async () => {
    const mid = (await sql(srv.dataDir, `SELECT id FROM meetings WHERE slug = ${sqlText(slug)}`))[0][0];
    await sql(srv.dataDir, `INSERT INTO registrations (meeting_id, occurrence_local, person_id, state, created_at, updated_at)
      VALUES (${mid}, '', ${ids.member}, 'registered', 0, 0), (${mid}, '', ${ids.plain}, 'registered', 0, 0),
      (${mid}, '', ${ids.teammate}, 'registered', 0, 0)`);
    const page = await as.admin.html(`/calendar/${slug}/minutes`);
    assert.match(unescapeHtml(page), /Min Teammate/);
    const action = `/calendar/${slug}/minutes/attendance`;
    const res = await as.admin.post(action, [['csrf', formCsrf(page, action)], ['occurrence', ''],
      ['attended', String(ids.member)], ['attended', String(ids.plain)]]);
    assert.equal(res.status, 303, await res.text());
    const att = await sql(srv.dataDir, `SELECT person_id, attended FROM registrations WHERE meeting_id = ${mid} ORDER BY person_id`);
    assert.deepEqual(att.map((r) => [Number(r[0]), Number(r[1])]),
      [[ids.plain, 1], [ids.member, 1], [ids.teammate, 0]].sort((a, b) => a[0] - b[0]));
    // approved: the visitor reads it, the member named, the hidden one counted
    const ap = await as.admin.submit(`/calendar/${slug}/minutes`, `/calendar/${slug}/minutes/approve`);
    assert.equal(ap.status, 303, await ap.text());
    const shown = unescapeHtml(mainOf(await as.visitor.html(`/calendar/${slug}/minutes`)));
    assert.match(shown, /Second draft, corrected\./);
    assert.match(shown, /Present:<\/strong> Min Member and 1 more person, whose name is not public\./);
    assert.doesNotMatch(shown, /Min Plain|Min Teammate|First draft/);
    const j = await json(as.visitor, `/api/v1/calendar/${slug}/minutes`);
    assert.equal(j.approved, true);
    assert.equal(j.minutes.version, 2);
    assert.equal(j.present_text, 'Min Member');
    assert.equal(j.registered, undefined);
    // the visitor sees the approved version only among the versions
    const vl = await json(as.visitor, `/api/v1/calendar/${slug}/minutes/versions`);
    assert.deepEqual(vl.versions.map((v) => v.version), [2]);
    // the meeting's page and the past list link the minutes
    assert.match(await as.visitor.html(`/calendar/${slug}`), new RegExp(`href="/calendar/${slug}/minutes">Minutes`));
    const cal = mainOf(await as.visitor.html('/calendar'));
    assert.match(cal.slice(cal.indexOf('id="past-h"')), new RegExp(`href="/calendar/${slug}/minutes"`));
    const audit = await sql(srv.dataDir, `SELECT action FROM audit_log WHERE object_id = ${sqlText(slug + ':')} ORDER BY id`);
    assert.deepEqual(audit.map((a) => a[0]).slice(2), ['meeting.attendance', 'meeting.minutes.approve']);
  });

  test('after_approval_a_new_save_is_refused', async () => {
    const page = await as.admin.html(`/calendar/${slug}/minutes`);
    assert.doesNotMatch(page, /name="body"/);
    const res = await as.admin.post(`/calendar/${slug}/minutes`, { csrf: formCsrf(await as.admin.html('/admin/calendar/new')), body: 'Rewritten' });
    assert.equal(res.status, 409);
    assert.match(await res.text(), /These minutes are approved: their text and attendance are fixed\./);
    const n = await sql(srv.dataDir, `SELECT count(*) FROM meeting_minutes
      WHERE meeting_id = (SELECT id FROM meetings WHERE slug = ${sqlText(slug)})`);
    assert.equal(Number(n[0][0]), 2);
  });
});

describe('a working party meeting', () => {
  test('its_rapporteur_writes_the_minutes_and_a_plain_member_may_not', async () => {
    const slug = await enter({ title: 'Victims party meeting', kind: 'party', party: 'victims' });
    const res = await save(as.rapporteur, slug, 'The party met.');
    assert.equal(res.status, 303, await res.text());
    // a member of the party, and a member of no party: no form, and 403
    for (const b of [as.teammate, as.plain]) {
      assert.equal((await b.get(`/calendar/${slug}/minutes`)).status, 404);
      const r = await b.post(`/calendar/${slug}/minutes`, { csrf: formCsrf(await b.html('/account')), body: 'Not mine' });
      assert.equal(r.status, 403);
    }
    const ap = await as.rapporteur.submit(`/calendar/${slug}/minutes`, `/calendar/${slug}/minutes/approve`);
    assert.equal(ap.status, 303);
    const rows = await sql(srv.dataDir, `SELECT version, state, approved_by FROM meeting_minutes
      WHERE meeting_id = (SELECT id FROM meetings WHERE slug = ${sqlText(slug)})`);
    assert.deepEqual(rows.map((r) => [Number(r[0]), r[1], Number(r[2])]), [[1, 'approved', ids.rapporteur]]);
    assert.match(unescapeHtml(await as.teammate.html(`/calendar/${slug}/minutes`)), /The party met\./);
  });
});

describe('a members-only meeting', () => {
  test('its_minutes_are_unseen_by_a_visitor', async () => {
    const slug = await enter({ title: 'Members council', visibility: 'members' });
    assert.equal((await save(as.admin, slug, 'Council minutes.')).status, 303);
    assert.equal((await as.admin.submit(`/calendar/${slug}/minutes`, `/calendar/${slug}/minutes/approve`)).status, 303);
    assert.equal((await as.visitor.get(`/calendar/${slug}/minutes`)).status, 404);
    assert.equal((await as.visitor.get(`/api/v1/calendar/${slug}/minutes`)).status, 404);
    assert.equal((await as.visitor.get(`/calendar/${slug}/minutes/versions/1`)).status, 404);
    assert.match(unescapeHtml(await as.member.html(`/calendar/${slug}/minutes`)), /Council minutes\./);
    assert.equal((await json(as.member, `/api/v1/calendar/${slug}/minutes`)).minutes.version, 1);
  });
});

describe('an occurrence of a series', () => {
  test('minutes_belong_to_one_occurrence_and_a_day_it_did_not_meet_has_none', async () => {
    const slug = 'new-york-1972-2012';
    const page = `/calendar/${slug}/minutes?occurrence=1988-09-02`;
    const res = await as.admin.submit(page, `/calendar/${slug}/minutes`, { body: 'Met in New York.' });
    assert.equal(res.status, 303, await res.text());
    assert.equal(res.headers.get('location'), `/calendar/${slug}/minutes?occurrence=1988-09-02&done=saved`);
    const rows = await sql(srv.dataDir, `SELECT occurrence_local, version FROM meeting_minutes
      WHERE meeting_id = (SELECT id FROM meetings WHERE slug = ${sqlText(slug)})`);
    assert.deepEqual(rows.map((r) => [r[0], Number(r[1])]), [['1988-09-02', 1]]);
    // a day the series did not meet, and the series as a whole, have none
    assert.equal((await as.admin.get(`/calendar/${slug}/minutes?occurrence=1988-09-09`)).status, 404);
    assert.equal((await as.admin.get(`/calendar/${slug}/minutes`)).status, 404);
    assert.equal((await as.visitor.get(page)).status, 404);
    assert.match(unescapeHtml(mainOf(await as.admin.html(page))), /Met in New York\./);
  });
});
