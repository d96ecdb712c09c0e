// calendar.test.mjs -- the calendar (issue 14; src/calendar/): the seeded
// New York series in the past with its first Fridays of alternate months;
// a CCPCJ session in Vienna entered by the secretariat and read in New
// York (both times, the UTC instant); a members-only meeting hidden from a
// visitor in HTML, JSON and the occurrences API; a weekly series across
// the change of daylight saving time; one occurrence skipped and one
// moved; the desk refused to members; a bad rule, a bad zone and an end
// before the start refused with the messages beside the fields.  The
// dates of the test's own meetings are next year's, computed here from
// the real clock (the server's), never written in by hand.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { Browser, mainOf, sql, sqlText, personWithRole, personId, unescapeHtml, mailsTo, nextMail } from '../lib/accounts.mjs';

let srv;
const as = {};
const emails = {};
const Y = new Date().getUTCFullYear() + 1;

/** The first Fridays of January, March, ... of year y, 'YYYY-MM-DD'. */
function firstFridaysOfOddMonths(y) {
  const out = [];
  for (let m = 0; m < 12; m += 2) {
    const d = new Date(Date.UTC(y, m, 1));
    while (d.getUTCDay() !== 5) d.setUTCDate(d.getUTCDate() + 1);
    out.push(d.toISOString().slice(0, 10));
  }
  return out;
}

/** The local wall-clock time 'HH:MM' of an ISO instant in zone. */
function localTime(iso, zone) {
  return new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    .format(new Date(iso));
}

/** The last Sunday of March of year y (Europe's change to summer time). */
function lastSundayOfMarch(y) {
  const d = new Date(Date.UTC(y, 2, 31));
  while (d.getUTCDay() !== 0) d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

/** The date of the first weekday wd (0 Sunday) on or after 'YYYY-MM-DD'. */
function onOrAfter(date, wd) {
  const d = new Date(date + 'T00:00:00Z');
  while (d.getUTCDay() !== wd) d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

const MEETING = {
  kind: 'session', body: '', time_zone: 'Europe/Vienna', repeat: 'none', mode: 'in-person',
  status: 'confirmed', visibility: 'public', registration: 'none',
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

async function json(browser, path, status = 200) {
  const res = await browser.get(path, { accept: 'application/json' });
  const text = await res.text();
  assert.equal(res.status, status, `GET ${path}: ${res.status} ${text.slice(0, 500)}`);
  return JSON.parse(text);
}

before(async () => {
  srv = await startServer();
  as.visitor = new Browser(srv.url);
  const admin = await personWithRole(srv, { role: 'admin', name: 'Cal Admin', password: null });
  as.admin = admin.browser;
  const plain = await personWithRole(srv, { role: 'member', name: 'Cal Plain', password: null });
  as.plain = plain.browser;
  emails.plain = plain.email;
  const member = await personWithRole(srv, { role: 'member', name: 'Cal Member', password: null });
  as.member = member.browser;
  emails.member = member.email;
  // an individual membership: a member in the directory's sense
  const id = await personId(srv.dataDir, member.email);
  await sql(srv.dataDir, `INSERT INTO memberships (level_id, person_id, state, state_since,
    period_start, period_end, created_at) VALUES ((SELECT id FROM membership_levels
    WHERE slug = 'individual'), ${id}, 'active', '2026-01-01', '2026-01-01', '${Y + 1}-12-31', 0)`);
});

after(async () => { if (srv) await srv.stop(); });

describe('the historic New York series', () => {
  test('seeded_series_shows_in_the_past_with_its_first_fridays', async () => {
    const html = unescapeHtml(mainOf(await as.visitor.html('/calendar')));
    const past = html.slice(html.indexOf('id="past-h"'));
    assert.match(past, /The Alliance's meetings in New York/);
    assert.match(past, /On the first Friday of every second month: from Friday 7 January 1972 to Friday 2 November 2012/);
    // 1988: six meetings, the first Fridays of the odd months
    const r = await json(as.visitor, '/api/v1/occurrences?from=1988-01-01&to=1988-12-31');
    const ny = r.occurrences.filter((o) => o.meeting.slug === 'new-york-1972-2012');
    assert.deepEqual(ny.map((o) => o.starts_local), firstFridaysOfOddMonths(1988));
    for (const o of ny) {
      // all day: from midnight in New York
      assert.equal(localTime(o.starts_iso, 'America/New_York'), '00:00');
      assert.match(o.when_text, /^Friday \d+ (January|March|May|July|September|November) 1988$/);
    }
    // and 2012, its last year
    const last = await json(as.visitor, '/api/v1/occurrences?from=2012-01-01&to=2012-12-31');
    assert.deepEqual(last.occurrences.map((o) => o.starts_local), firstFridaysOfOddMonths(2012));
    const none = await json(as.visitor, '/api/v1/occurrences?from=2013-01-01&to=2013-12-31');
    assert.equal(none.occurrences.length, 0);
    // the month grid of September 1988 shows it on Friday the 2nd
    const month = unescapeHtml(mainOf(await as.visitor.html('/calendar/month?year=1988&month=9')));
    assert.match(month, /<h1>September 1988<\/h1>/);
    assert.match(month, /Friday 2 September 1988<\/h3>\s*<ul><li><a href="\/calendar\/new-york-1972-2012">/);
    // its page: the rule in words and its first meetings
    const page = unescapeHtml(mainOf(await as.visitor.html('/calendar/new-york-1972-2012')));
    assert.match(page, /Friday 7 January 1972/);
    assert.match(page, /Friday 3 March 1972/);
    assert.match(page, /A record of the Alliance's past/);
  });
});

describe('a CCPCJ session in Vienna read in New York', () => {
  let slug;
  test('admin_enters_a_session_and_a_reader_sees_both_times', async () => {
    slug = await enter({
      title: 'CCPCJ regular session', kind: 'session', body: 'ccpcj', session_number: '36',
      time_zone: 'Europe/Vienna', starts_date: `${Y}-05-18`, starts_time: '10:00',
      ends_date: `${Y}-05-18`, ends_time: '13:00', place: 'Vienna International Centre',
    });
    const audit = await sql(srv.dataDir, `SELECT action FROM audit_log WHERE object_id = ${sqlText(slug)}`);
    assert.deepEqual(audit.map((a) => a[0]), ['meeting.create']);
    // the instant: 10:00 in Vienna in May (CEST) is 08:00 UTC
    const m = (await json(as.visitor, `/api/v1/meetings/${slug}?tz=America/New_York`)).meeting;
    assert.equal(m.when.starts_iso, `${Y}-05-18T08:00:00Z`);
    assert.equal(localTime(m.when.starts_iso, 'Europe/Vienna'), '10:00');
    assert.equal(localTime(m.when.starts_iso, 'America/New_York'), '04:00');
    assert.equal(m.body_acronym, 'CCPCJ');
    assert.equal(m.session_number, 36);
    const html = unescapeHtml(mainOf(await as.visitor.html(`/calendar/${slug}?tz=America/New_York`)));
    const wd = new Intl.DateTimeFormat('en-GB', { weekday: 'long', timeZone: 'UTC' })
      .format(new Date(`${Y}-05-18T12:00:00Z`));
    assert.match(html, new RegExp(`${wd} 18 May ${Y}, 10:00 to 13:00`));
    assert.match(html, /Europe\/Vienna, UTC\+02:00/);
    assert.match(html, new RegExp(`In your time zone</dt><dd>${wd} 18 May ${Y}, 04:00 to 07:00`));
    assert.match(html, /America\/New_York, UTC-04:00/);
    assert.match(html, /Commission on Crime Prevention and Criminal Justice/);
    assert.match(html, /Session 36/);
    // the calendar lists it, filtered by body too
    const list = unescapeHtml(mainOf(await as.visitor.html('/calendar?body=ccpcj')));
    assert.match(list, /CCPCJ regular session/);
    const other = unescapeHtml(mainOf(await as.visitor.html('/calendar?body=untoc-cop')));
    assert.doesNotMatch(other, /CCPCJ regular session/);
    // no raw ISO time in the page's text
    assert.doesNotMatch(html.replace(/<[^>]*>/g, ''), /\d{4}-\d\d-\d\dT/);
  });
});

describe('who sees a meeting', () => {
  test('a_members_only_meeting_is_not_seen_by_a_visitor', async () => {
    const slug = await enter({
      title: 'Members circle', kind: 'alliance', time_zone: 'Europe/Vienna', visibility: 'members',
      starts_date: `${Y}-06-10`, starts_time: '15:00', ends_time: '16:00', ends_date: `${Y}-06-10`,
    });
    for (const b of [as.visitor, as.plain]) {
      assert.doesNotMatch(await (await b.get('/calendar')).text(), /Members circle/);
      const api = await json(b, '/api/v1/meetings');
      assert.ok(!api.occurrences.some((o) => o.slug === slug));
      const occ = await json(b, `/api/v1/occurrences?from=${Y}-06-01&to=${Y}-06-30`);
      assert.ok(!occ.occurrences.some((o) => o.meeting.slug === slug));
      assert.equal((await b.get(`/calendar/${slug}`)).status, 404);
      assert.equal((await b.get(`/api/v1/meetings/${slug}`)).status, 404);
      assert.doesNotMatch(await (await b.get(`/calendar/month?year=${Y}&month=6`)).text(), /Members circle/);
    }
    // a member and the secretariat see it
    for (const b of [as.member, as.admin]) {
      assert.match(await b.html('/calendar'), /Members circle/);
      const occ = await json(b, `/api/v1/occurrences?from=${Y}-06-01&to=${Y}-06-30`);
      assert.ok(occ.occurrences.some((o) => o.meeting.slug === slug));
      assert.match(await b.html(`/calendar/${slug}`), /Members circle/);
    }
  });

  test('a_team_meeting_is_seen_by_its_party_team_only', async () => {
    const slug = await enter({
      title: 'Victims team call', kind: 'party', party: 'victims', visibility: 'team', mode: 'online',
      online_url: 'https://meet.example.org/victims', time_zone: 'UTC',
      starts_date: `${Y}-07-01`, starts_time: '12:00', ends_date: `${Y}-07-01`, ends_time: '13:00',
    });
    assert.equal((await as.member.get(`/calendar/${slug}`)).status, 404);
    const id = await sql(srv.dataDir, `SELECT id FROM people WHERE name = 'Cal Plain'`);
    await sql(srv.dataDir, `INSERT INTO object_roles (person_id, object_type, object_id, role, granted_at)
      VALUES (${id[0][0]}, 'party', 'victims', 'member', 0)`);
    const html = await as.plain.html(`/calendar/${slug}`);
    assert.match(html, /Victims team call/);
    // the team has the link (registration is a later step)
    assert.match(html, /href="https:\/\/meet\.example\.org\/victims"/);
    assert.doesNotMatch(await as.member.html('/calendar'), /Victims team call/);
  });

  test('the_online_link_is_not_shown_to_others', async () => {
    const slug = await enter({
      title: 'Open webinar', kind: 'side-event', mode: 'online', online_url: 'https://meet.example.org/open',
      time_zone: 'UTC', starts_date: `${Y}-07-02`, starts_time: '12:00', ends_date: `${Y}-07-02`, ends_time: '13:00',
    });
    const html = await as.visitor.html(`/calendar/${slug}`);
    assert.doesNotMatch(html, /meet\.example\.org/);
    assert.match(html, /given to the people registered/);
    const api = await json(as.visitor, `/api/v1/meetings/${slug}`);
    assert.equal(api.meeting.online_url, undefined);
    assert.match(await as.admin.html(`/calendar/${slug}`), /meet\.example\.org\/open/);
  });
});

describe('a weekly series across the change of daylight saving time', () => {
  const change = lastSundayOfMarch(Y);
  const first = onOrAfter(`${Y}-03-05`, 4); // a Thursday in early March
  let slug;

  test('ten_o_clock_in_vienna_before_and_after_the_change', async () => {
    slug = await enter({
      title: 'Vienna NGO weekly', kind: 'alliance', time_zone: 'Europe/Vienna', repeat: 'weekly',
      until: `${Y}-04-30`, starts_date: first, starts_time: '10:00', ends_date: first, ends_time: '11:00',
    });
    const r = await json(as.visitor, `/api/v1/occurrences?from=${Y}-03-01&to=${Y}-05-31`);
    const mine = r.occurrences.filter((o) => o.meeting.slug === slug);
    assert.ok(mine.length >= 7, `${mine.length} occurrences`);
    let before = 0, afterChange = 0;
    for (const o of mine) {
      assert.equal(localTime(o.starts_iso, 'Europe/Vienna'), '10:00', o.starts_iso);
      assert.match(o.starts_local, /T10:00:00$/);
      const utcHour = new Date(o.starts_iso).getUTCHours();
      if (o.starts_local.slice(0, 10) < change) { assert.equal(utcHour, 9, o.starts_iso); before++; }
      else { assert.equal(utcHour, 8, o.starts_iso); afterChange++; }
      assert.ok(o.starts_local.slice(0, 10) <= `${Y}-04-30`);
    }
    assert.ok(before >= 2 && afterChange >= 4, `${before} before, ${afterChange} after`);
    const rule = await sql(srv.dataDir, `SELECT rrule FROM meetings WHERE slug = ${sqlText(slug)}`);
    assert.match(rule[0][0], /^FREQ=WEEKLY;BYDAY=TH;UNTIL=\d{8}T\d{6}Z$/);
  });

  test('skip_one_and_move_one', async () => {
    const r = await json(as.visitor, `/api/v1/occurrences?from=${Y}-03-01&to=${Y}-05-31`);
    const mine = r.occurrences.filter((o) => o.meeting.slug === slug);
    const [skip, move] = [mine[1].key, mine[2].key];
    const seq0 = Number((await sql(srv.dataDir, `SELECT sequence FROM meetings WHERE slug = ${sqlText(slug)}`))[0][0]);
    let res = await as.admin.submit(`/admin/calendar/${slug}`, `/admin/calendar/${slug}/occurrence`,
      { occurrence: skip, action: 'skip' });
    assert.equal(res.status, 303, await res.text());
    res = await as.admin.submit(`/admin/calendar/${slug}`, `/admin/calendar/${slug}/occurrence`,
      { occurrence: move, action: 'move', starts_date: move.slice(0, 10), starts_time: '14:30',
        ends_date: move.slice(0, 10), ends_time: '15:30' });
    assert.equal(res.status, 303, await res.text());
    const after = (await json(as.visitor, `/api/v1/occurrences?from=${Y}-03-01&to=${Y}-05-31`))
      .occurrences.filter((o) => o.meeting.slug === slug);
    assert.equal(after.length, mine.length - 1);
    assert.ok(!after.some((o) => o.key === skip));
    const moved = after.find((o) => o.key === move);
    assert.equal(moved.moved, true);
    assert.equal(localTime(moved.starts_iso, 'Europe/Vienna'), '14:30');
    assert.equal(moved.starts_local, `${move.slice(0, 10)}T14:30:00`);
    const seq = Number((await sql(srv.dataDir, `SELECT sequence FROM meetings WHERE slug = ${sqlText(slug)}`))[0][0]);
    assert.equal(seq, seq0 + 2);
    const audit = await sql(srv.dataDir, `SELECT action FROM audit_log WHERE object_id LIKE ${sqlText(slug + ':%')} ORDER BY id`);
    assert.deepEqual(audit.map((a) => a[0]), ['meeting.occurrence.skip', 'meeting.occurrence.move']);
    // put back the skipped one
    res = await as.admin.submit(`/admin/calendar/${slug}`, `/admin/calendar/${slug}/occurrence`,
      { occurrence: skip, action: 'restore' });
    assert.equal(res.status, 303);
    const back = (await json(as.visitor, `/api/v1/occurrences?from=${Y}-03-01&to=${Y}-05-31`))
      .occurrences.filter((o) => o.meeting.slug === slug);
    assert.ok(back.some((o) => o.key === skip));
    // an occurrence the rule does not make: 404
    res = await as.admin.submit(`/admin/calendar/${slug}`, `/admin/calendar/${slug}/occurrence`,
      { occurrence: `${Y}-03-02T10:00:00`, action: 'skip' });
    assert.equal(res.status, 404);
  });
});

describe('the desk', () => {
  test('members_and_visitors_are_refused', async () => {
    assert.equal((await as.plain.get('/admin/calendar')).status, 403);
    assert.equal((await as.member.get('/admin/calendar/new')).status, 403);
    const v = await as.visitor.get('/admin/calendar');
    assert.ok([303, 401, 403].includes(v.status), String(v.status));
  });

  test('bad_rule_bad_zone_and_end_before_start_are_422_beside_the_fields', async () => {
    let res = await as.admin.submit('/admin/calendar/new', '/admin/calendar', {
      ...MEETING, title: 'Bad rule', repeat: 'rule', rrule: 'FREQ=FORTNIGHTLY;BYDAY=XX',
      starts_date: `${Y}-02-01`, starts_time: '10:00',
    });
    assert.equal(res.status, 422);
    let html = unescapeHtml(await res.text());
    assert.match(html, /<p class="field-error" id="rrule-error">This is not a recurrence rule/);
    assert.match(html, /value="FREQ=FORTNIGHTLY;BYDAY=XX"/);
    res = await as.admin.submit('/admin/calendar/new', '/admin/calendar', {
      ...MEETING, title: 'Bad zone', time_zone: 'Mars/Olympus_Mons', starts_date: `${Y}-02-01`, starts_time: '10:00',
    });
    assert.equal(res.status, 422);
    html = unescapeHtml(await res.text());
    assert.match(html, /id="time_zone-error">[^<]*time zone such as Europe\/Vienna/);
    res = await as.admin.submit('/admin/calendar/new', '/admin/calendar', {
      ...MEETING, title: 'Backwards', starts_date: `${Y}-02-02`, starts_time: '10:00',
      ends_date: `${Y}-02-01`, ends_time: '12:00',
    });
    assert.equal(res.status, 422);
    html = unescapeHtml(await res.text());
    assert.match(html, /id="ends_date-error">The end must come after the start/);
    assert.match(html, /data-error-summary/);
    const n = await sql(srv.dataDir, `SELECT count(*) FROM meetings WHERE title IN ('Bad rule', 'Bad zone', 'Backwards')`);
    assert.equal(Number(n[0][0]), 0);
  });

  test('edit_recomputes_the_utc_columns_and_adds_to_the_sequence', async () => {
    const slug = await enter({
      title: 'UNTOC COP session', kind: 'session', body: 'untoc-cop', time_zone: 'Europe/Vienna',
      starts_date: `${Y}-10-12`, starts_time: '10:00', ends_date: `${Y}-10-16`, ends_time: '18:00',
    });
    const edit = await as.admin.html(`/admin/calendar/${slug}/edit`);
    assert.match(edit, /value="10:00"/);
    const res = await as.admin.submit(`/admin/calendar/${slug}/edit`, `/admin/calendar/${slug}`, {
      ...MEETING, title: 'UNTOC COP session', body: 'untoc-cop', time_zone: 'America/New_York',
      starts_date: `${Y}-10-12`, starts_time: '10:00', ends_date: `${Y}-10-16`, ends_time: '18:00',
    });
    assert.equal(res.status, 303, await res.text());
    const row = await sql(srv.dataDir, `SELECT starts_utc, sequence FROM meetings WHERE slug = ${sqlText(slug)}`);
    // 10:00 in New York in October (EDT) is 14:00 UTC
    assert.equal(new Date(Number(row[0][0]) * 1000).toISOString(), `${Y}-10-12T14:00:00.000Z`);
    assert.equal(Number(row[0][1]), 1);
    // a deadline linked to it shows on its page
    await enter({
      title: 'Names for accreditation', kind: 'deadline', parent: slug, time_zone: 'Europe/Vienna',
      all_day: '1', starts_date: `${Y}-09-01`,
    });
    assert.match(await as.visitor.html(`/calendar/${slug}`), /Names for accreditation/);
    // deleted: gone, audited
    const del = await as.admin.submit(`/admin/calendar/${slug}`, `/admin/calendar/${slug}/delete`);
    assert.equal(del.status, 303);
    assert.equal((await as.visitor.get(`/calendar/${slug}`)).status, 404);
    const audit = await sql(srv.dataDir, `SELECT action FROM audit_log WHERE object_id = ${sqlText(slug)} ORDER BY id`);
    assert.deepEqual(audit.map((a) => a[0]), ['meeting.create', 'meeting.change', 'meeting.delete']);
  });

  test('the_occurrences_api_wants_a_bounded_range', async () => {
    for (const q of ['', '?from=2026-01-01', '?from=2026-01-01&to=2027-06-01', '?from=2026-02-01&to=2026-01-01']) {
      const res = await as.visitor.get(`/api/v1/occurrences${q}`, { accept: 'application/json' });
      assert.equal(res.status, 422, q);
      assert.match((await res.json()).error.message, /from=YYYY-MM-DD|366 days/);
    }
  });
});

describe('registration', () => {
  const register = (b, slug) => b.submit(`/calendar/${slug}`, `/calendar/${slug}/register`);
  const unregister = (b, slug) => b.submit(`/calendar/${slug}`, `/calendar/${slug}/unregister`);
  const stateOf = async (slug, email) => (await sql(srv.dataDir, `SELECT r.state FROM registrations r
    JOIN meetings m ON m.id = r.meeting_id JOIN people p ON p.id = r.person_id
    WHERE m.slug = ${sqlText(slug)} AND p.email = ${sqlText(email)}`))[0]?.[0];

  test('capacity_waiting_list_and_moving_up', async () => {
    const slug = await enter({
      title: 'Small online workshop', kind: 'alliance', mode: 'online', online_url: 'https://meet.example.org/small',
      registration: 'everyone', capacity: '1', time_zone: 'UTC',
      starts_date: `${Y}-08-03`, starts_time: '12:00', ends_date: `${Y}-08-03`, ends_time: '13:00',
    });
    const seenPlain = (await mailsTo(srv.dataDir, emails.plain)).length;
    const seenMember = (await mailsTo(srv.dataDir, emails.member)).length;
    let res = await register(as.plain, slug);
    assert.equal(res.status, 303, await res.text());
    assert.equal(await stateOf(slug, emails.plain), 'registered');
    await nextMail(srv.dataDir, emails.plain, seenPlain, { subject: 'Registered: Small online workshop' });
    res = await register(as.member, slug);
    assert.equal(res.status, 303);
    assert.equal(await stateOf(slug, emails.member), 'waiting');
    await nextMail(srv.dataDir, emails.member, seenMember, { subject: 'On the waiting list: Small online workshop' });
    // the link to the registered one only
    assert.match(await as.plain.html(`/calendar/${slug}`), /href="https:\/\/meet\.example\.org\/small"/);
    const waiting = await as.member.html(`/calendar/${slug}`);
    assert.doesNotMatch(waiting, /meet\.example\.org/);
    assert.match(waiting, /You are on the waiting list\./);
    assert.match(waiting, /1 of 1 places taken\./);
    // the registered one cancels: the first waiting moves up and is told
    const seen2 = (await mailsTo(srv.dataDir, emails.member)).length;
    res = await unregister(as.plain, slug);
    assert.equal(res.status, 303);
    assert.equal(await stateOf(slug, emails.plain), 'cancelled');
    assert.equal(await stateOf(slug, emails.member), 'registered');
    const mail = await nextMail(srv.dataDir, emails.member, seen2, { subject: 'Registered: Small online workshop' });
    assert.match(mail.text, /A place has freed/);
    assert.match(await as.member.html(`/calendar/${slug}`), /meet\.example\.org\/small/);
    // registering twice changes nothing; cancelling what one does not have: 404
    const csrf = /name="csrf" value="([^"]+)"/.exec(await as.member.html(`/calendar/${slug}`))[1];
    res = await as.member.post(`/calendar/${slug}/register`, { csrf });
    assert.equal(res.status, 303);
    assert.equal(await stateOf(slug, emails.member), 'registered');
    const csrfPlain = /name="csrf" value="([^"]+)"/.exec(await as.plain.html(`/calendar/${slug}`))[1];
    assert.equal((await as.plain.post(`/calendar/${slug}/unregister`, { csrf: csrfPlain })).status, 404);
    const audit = await sql(srv.dataDir, `SELECT action FROM audit_log WHERE object_id = ${sqlText(slug + ':')} ORDER BY id`);
    assert.deepEqual(audit.map((a) => a[0]), ['registration.create', 'registration.create', 'registration.cancel',
      'registration.move_up']);
  });

  test('who_may_register_and_until_when', async () => {
    const members = await enter({
      title: 'Members workshop', kind: 'alliance', registration: 'members', time_zone: 'UTC',
      starts_date: `${Y}-08-04`, starts_time: '12:00', ends_date: `${Y}-08-04`, ends_time: '13:00',
    });
    let res = await as.plain.post(`/calendar/${members}/register`,
      { csrf: /name="csrf" value="([^"]+)"/.exec(await as.plain.html('/calendar'))?.[1] ?? '' });
    assert.equal(res.status, 403);
    assert.equal((await register(as.member, members)).status, 303);
    const past = new Date(Date.now() - 2 * 86400_000).toISOString().slice(0, 10);
    const closed = await enter({
      title: 'Closed workshop', kind: 'alliance', registration: 'everyone', registration_closes: past,
      time_zone: 'UTC', starts_date: `${Y}-08-05`, starts_time: '12:00', ends_date: `${Y}-08-05`, ends_time: '13:00',
    });
    assert.match(await as.plain.html(`/calendar/${closed}`), /Registration has closed\./);
    const csrf = /name="csrf" value="([^"]+)"/.exec(await as.plain.html('/calendar'))?.[1] ?? '';
    res = await as.plain.post(`/calendar/${closed}/register`, { csrf });
    assert.equal(res.status, 409);
    // a meeting that does not exist
    res = await as.plain.post('/calendar/no-such-meeting/register', { csrf });
    assert.equal(res.status, 404);
    res = await as.plain.post('/calendar/month/unregister', { csrf });
    assert.equal(res.status, 404);
    // the seeded history takes none
    res = await as.plain.post('/calendar/new-york-1972-2012/register', { csrf });
    assert.equal(res.status, 409);
    assert.equal(await stateOf(closed, emails.plain), undefined);
  });
});
