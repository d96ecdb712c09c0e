// party_meetings.test.mjs -- a working party's meetings are the calendar's
// (issue 14 points 7 and 10; src/calendar/parties.c): the chairs add,
// change and delete them under /working-parties/:slug/meetings (a plain
// member may not: 403; an archived party: 409); the party's page, /calendar
// and the party's iCalendar feed show each only as its visibility allows;
// a focal area's page lists the meetings of the area; and the interim
// schedule's rows (party_meetings) become calendar meetings when the
// server starts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { Browser, mainOf, sql, sqlValue, sqlText, personWithRole, personId, hiddenFields, nextMail } from '../lib/accounts.mjs';

const PARTY = 'victims';
// next year: within the upcoming months /calendar shows
const Y = new Date().getUTCFullYear() + 1;
let srv;
const as = {};
const ids = {};
const emails = {};

const grant = (who, role, slug = PARTY) => sql(srv.dataDir,
  `INSERT INTO object_roles (person_id, object_type, object_id, role, granted_at)
   VALUES (${ids[who]}, 'party', ${sqlText(slug)}, ${sqlText(role)}, 0)`);

before(async () => {
  // the interim schedule's rows, written before the server first starts
  srv = await startServer({
    beforeServe: async ({ dataDir }) => {
      await sql(dataDir, `INSERT INTO party_meetings (party_id, title, starts_on, starts_at_time,
        time_zone, place, note_md, visibility, created_at) VALUES
        ((SELECT id FROM parties WHERE slug = 'victims'), 'Interim timed meeting', '2099-06-10', '14:30',
         'America/New_York', 'Room 7', 'Bring **notes**', 'members', 5),
        ((SELECT id FROM parties WHERE slug = 'victims'), 'Interim day meeting', '2099-06-11', NULL,
         NULL, '', '', 'public', 6)`);
    },
  });
  as.visitor = new Browser(srv.url);
  for (const [who, role] of [['chair', 'member'], ['m1', 'member'], ['outsider', 'member'], ['admin', 'admin']]) {
    const p = await personWithRole(srv, { role, name: `Meet ${who}`, password: null });
    as[who] = p.browser;
    emails[who] = p.email;
    ids[who] = await personId(srv.dataDir, p.email);
  }
  await grant('chair', 'chair');
  await grant('m1', 'member');
});

after(() => srv?.stop());

test('the interim schedule is taken over by the calendar when the server starts', async () => {
  assert.equal(Number(await sqlValue(srv.dataDir, 'SELECT count(*) FROM party_meetings')), 0);
  const rows = await sql(srv.dataDir, `SELECT m.title, m.kind, p.slug, m.time_zone, m.all_day, m.starts_local,
    m.place, m.agenda_md, m.visibility, m.created_at FROM meetings m JOIN parties p ON p.id = m.party_id
    WHERE m.title LIKE 'Interim%' ORDER BY m.title`);
  assert.deepEqual(rows, [
    ['Interim day meeting', 'party', PARTY, 'Europe/Vienna', '1', '2099-06-11', '', '', 'public', '6'],
    ['Interim timed meeting', 'party', PARTY, 'America/New_York', '0', '2099-06-10T14:30:00', 'Room 7',
      'Bring **notes**', 'members', '5'],
  ]);
  // 14:30 in New York in June (EDT, UTC-4) is 18:30 UTC
  assert.equal(await sqlValue(srv.dataDir, `SELECT starts_utc FROM meetings WHERE title = 'Interim timed meeting'`),
    String(Date.UTC(2099, 5, 10, 18, 30) / 1000));
  const page = mainOf(await as.visitor.html(`/working-parties/${PARTY}`));
  assert.match(page, /Interim day meeting/);
  assert.doesNotMatch(page, /Interim timed meeting/, 'members only');
});

test('a chair adds a team meeting: the team sees it, a visitor does not, nor the public feed', async () => {
  const action = `/working-parties/${PARTY}/meetings`;
  const form = await as.chair.html(`${action}/new`);
  const csrf = hiddenFields(form, action).csrf;
  assert.ok(csrf, 'the form');
  // bad input: the form again, nothing stored
  let res = await as.chair.post(action, { csrf, title: 'Team retreat', time_zone: 'Mars/Olympus',
    starts_date: `${Y}-05-01`, starts_time: '10:00', mode: 'in-person', visibility: 'team', registration: 'team' });
  assert.equal(res.status, 422);
  assert.match(await res.text(), /Choose a time zone/);
  res = await as.chair.post(action, { csrf, title: 'Team retreat', time_zone: 'Europe/Vienna',
    starts_date: `${Y}-05-01`, starts_time: '10:00', ends_date: `${Y}-05-01`, ends_time: '12:00',
    place: 'Vienna', mode: 'blended', online_url: 'https://meet.example.org/x', agenda: 'Plans',
    visibility: 'team', registration: 'team', capacity: '12' });
  assert.equal(res.status, 303, await res.text());
  const [row] = await sql(srv.dataDir, `SELECT m.slug, m.kind, p.slug, m.visibility, m.registration, m.capacity,
    m.starts_utc FROM meetings m JOIN parties p ON p.id = m.party_id WHERE m.title = 'Team retreat'`);
  assert.deepEqual(row.slice(1, 6), ['party', PARTY, 'team', 'team', '12']);
  assert.equal(row[6], String(Date.UTC(Y, 4, 1, 8, 0) / 1000), '10:00 in Vienna in May is 08:00 UTC');
  const slug = row[0];

  assert.match(mainOf(await as.m1.html(`/working-parties/${PARTY}`)), /Team retreat/);
  assert.match(mainOf(await as.chair.html(`/working-parties/${PARTY}`)), /Team retreat/);
  for (const b of [as.visitor, as.outsider]) {
    assert.doesNotMatch(mainOf(await b.html(`/working-parties/${PARTY}`)), /Team retreat/);
    assert.doesNotMatch(mainOf(await b.html('/calendar')), /Team retreat/);
  }
  assert.match(mainOf(await as.m1.html('/calendar')), /Team retreat/);
  const feed = async () => (await as.visitor.get(`/calendar/working-parties/${PARTY}/feed.ics`)).text();
  assert.doesNotMatch(await feed(), /Team retreat/);

  // m1 registered: the chair's changes reach them as the desk's do
  await sql(srv.dataDir, `INSERT INTO registrations (meeting_id, occurrence_local, person_id, state,
    created_at, updated_at) SELECT id, '', ${ids.m1}, 'registered', 0, 0 FROM meetings WHERE slug = ${sqlText(slug)}`);

  // changed to public: now in the feed, for the visitor too
  const edit = `${action}/${slug}`;
  const eform = await as.chair.html(`${edit}/edit`);
  assert.match(eform, /value="Team retreat"/);
  res = await as.chair.post(edit, { ...hiddenFields(eform, edit), title: 'Open retreat', time_zone: 'Europe/Vienna',
    starts_date: `${Y}-05-01`, starts_time: '10:00', ends_date: `${Y}-05-01`, ends_time: '12:00',
    mode: 'in-person', visibility: 'public', registration: 'everyone' });
  assert.equal(res.status, 303, await res.text());
  assert.match(await feed(), /Open retreat/);
  assert.match(mainOf(await as.visitor.html(`/working-parties/${PARTY}`)), /Open retreat/);
  // in person now, no longer blended in Vienna: m1 is told
  const changed = await nextMail(srv.dataDir, emails.m1, 0, { subject: 'Changed: Open retreat' });
  assert.match(changed.text, /The time, place or online link of this meeting has changed/);

  // deleted
  res = await as.chair.post(`${edit}/delete`, { csrf: hiddenFields(eform, `${edit}/delete`).csrf });
  assert.equal(res.status, 303);
  assert.equal(Number(await sqlValue(srv.dataDir, `SELECT count(*) FROM meetings WHERE slug = ${sqlText(slug)}`)), 0);
  const gone = await nextMail(srv.dataDir, emails.m1, 0, { subject: 'Cancelled: Open retreat' });
  assert.match(gone.text, /The meeting you registered for has been cancelled\./);
  assert.ok(gone.msg.parts.some((p) => /^text\/calendar.*method=CANCEL/i.test(p.contentType)), 'the cancellation for the calendar');
  assert.equal(Number(await sqlValue(srv.dataDir, `SELECT count(*) FROM audit_log
    WHERE action IN ('meeting.create', 'meeting.change', 'meeting.delete') AND object_id = ${sqlText(slug)}`)), 3);
});

test('only the chairs and the secretariat: a plain member gets 403', async () => {
  const action = `/working-parties/${PARTY}/meetings`;
  for (const b of [as.m1, as.outsider]) {
    assert.equal((await b.get(`${action}/new`)).status, 403);
    const csrf = hiddenFields(await b.html('/account')).csrf;
    const res = await b.post(action, { csrf, title: 'No', time_zone: 'UTC', starts_date: '2099-01-01',
      starts_time: '10:00', mode: 'in-person', visibility: 'public', registration: 'none' });
    assert.equal(res.status, 403);
  }
  assert.equal((await as.admin.get(`${action}/new`)).status, 200);
  assert.equal(Number(await sqlValue(srv.dataDir, `SELECT count(*) FROM meetings WHERE title = 'No'`)), 0);
});

test('an archived party refuses its meetings\' writes with 409, and still shows them', async () => {
  const slug = 'border-crime-technology';
  await grant('chair', 'chair', slug);
  await sql(srv.dataDir, `INSERT INTO meetings (slug, uid, title, kind, party_id, time_zone, all_day,
    starts_local, ends_local, starts_utc, ends_utc, last_ends_utc, visibility, created_at, updated_at)
    VALUES ('old-party-meeting', 'old-party-meeting-uid', 'Old party meeting', 'party',
    (SELECT id FROM parties WHERE slug = ${sqlText(slug)}), 'UTC', 1, '2020-01-01', '2020-01-01',
    1577836800, 1577923200, 1577923200, 'public', 0, 0)`);
  await sql(srv.dataDir, `UPDATE parties SET state = 'archived' WHERE slug = ${sqlText(slug)}`);
  const base = `/working-parties/${slug}/meetings`;
  const csrf = hiddenFields(await as.chair.html('/account')).csrf;
  const fields = { csrf, title: 'x', time_zone: 'UTC', starts_date: '2099-01-01', starts_time: '10:00',
    mode: 'in-person', visibility: 'public', registration: 'none' };
  for (const path of [base, `${base}/old-party-meeting`, `${base}/old-party-meeting/delete`]) {
    assert.equal((await as.chair.post(path, fields)).status, 409, path);
  }
  assert.equal((await as.chair.get(`${base}/new`)).status, 409);
  const html = mainOf(await as.visitor.html(`/working-parties/${slug}`));
  assert.doesNotMatch(html, /Old party meeting/, 'more than a year ago: not on the page');
  assert.match(mainOf(await as.visitor.html(`/calendar/old-party-meeting`)), /Old party meeting/);
});

test('a focal area\'s page lists the meetings of that area as the viewer may see them', async () => {
  const area = 'victims-rights';
  await sql(srv.dataDir, `INSERT INTO meetings (slug, uid, title, kind, party_id, time_zone, all_day,
    starts_local, ends_local, starts_utc, ends_utc, last_ends_utc, visibility, created_at, updated_at)
    VALUES ('area-meeting-2099', 'area-meeting-uid', 'Area meeting on victims', 'party',
    (SELECT id FROM parties WHERE slug = ${sqlText(PARTY)}), 'UTC', 1, '2099-02-01', '2099-02-01',
    4073500800, 4073587200, 4073587200, 'public', 0, 0),
    ('area-team-2099', 'area-team-uid', 'Area team meeting', 'party',
    (SELECT id FROM parties WHERE slug = ${sqlText(PARTY)}), 'UTC', 1, '2099-02-02', '2099-02-02',
    4073587200, 4073673600, 4073673600, 'team', 0, 0)`);
  await sql(srv.dataDir, `INSERT INTO meeting_focal_areas (meeting_id, focal_area_id)
    SELECT m.id, f.id FROM meetings m, focal_areas f WHERE m.slug IN ('area-meeting-2099', 'area-team-2099')
    AND f.slug = ${sqlText(area)}`);
  const page = mainOf(await as.visitor.html(`/focal-points/${area}`));
  assert.match(page, /Meetings/);
  assert.match(page, /href="\/calendar\/area-meeting-2099"/);
  assert.doesNotMatch(page, /Area team meeting/);
  assert.match(mainOf(await as.m1.html(`/focal-points/${area}`)), /Area team meeting/);
  assert.doesNotMatch(mainOf(await as.visitor.html('/focal-points/corruption')), /Area meeting on victims/);
});
