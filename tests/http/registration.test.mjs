// registration.test.mjs -- registration for a meeting (issue 14 point 3;
// src/calendar/registration.c): capacity two, three people register (the
// third waits), one cancels and the third moves up with a letter whose
// .ics attachment ical.js reads (the meeting's UID, the online link in
// it: the file is the person's own); a cancellation letter; the deadline
// passed answers 409; a members-only meeting refuses a visitor and an
// account of no member organisation.  Dates are next year's, computed
// from the real clock.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import ICAL from 'ical.js';
import { startServer } from '../lib/server.mjs';
import { Browser, sql, sqlText, sqlValue, personWithRole, personId, mailsTo, nextMail, outboxDrained } from '../lib/accounts.mjs';

let srv;
const as = {};
const emails = {};
const Y = new Date().getUTCFullYear() + 1;

const MEETING = {
  kind: 'alliance', body: '', time_zone: 'Europe/Vienna', repeat: 'none', mode: 'online',
  status: 'confirmed', visibility: 'public', registration: 'everyone',
};

/** Enters a meeting through the desk's form; resolves to its slug. */
async function enter(fields) {
  const res = await as.admin.submit('/admin/calendar/new', '/admin/calendar', { ...MEETING, ...fields });
  const body = res.status === 303 ? '' : await res.text();
  assert.equal(res.status, 303, `POST /admin/calendar: ${res.status} ${body.slice(0, 2000)}`);
  return /^\/admin\/calendar\/([a-z0-9-]+)\?done=saved$/.exec(res.headers.get('location'))[1];
}

const register = (b, slug) => b.submit(`/calendar/${slug}`, `/calendar/${slug}/register`);
const unregister = (b, slug) => b.submit(`/calendar/${slug}`, `/calendar/${slug}/unregister`);
const stateOf = async (slug, email) => (await sql(srv.dataDir, `SELECT r.state FROM registrations r
  JOIN meetings m ON m.id = r.meeting_id JOIN people p ON p.id = r.person_id
  WHERE m.slug = ${sqlText(slug)} AND p.email = ${sqlText(email)}`))[0]?.[0];

/** The VEVENTs of the .ics attached to mail, through ical.js; the
 * calendar's METHOD (and the part's method parameter) must be method. */
function attachedEvents(mail, method = 'PUBLISH') {
  const part = mail.msg.parts.find((p) => /^text\/calendar/i.test(p.contentType));
  assert.ok(part, `no text/calendar part in:\n${mail.raw.slice(0, 3000)}`);
  assert.match(part.contentType, new RegExp(`method=${method}`));
  assert.match(part.headers['content-disposition'], /^attachment; filename="[a-z0-9-]+\.ics"$/);
  const cal = new ICAL.Component(ICAL.parse(part.text));
  assert.equal(cal.getFirstPropertyValue('method'), method);
  return cal.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
}

/** The SEQUENCE of an ical.js event. */
const sequenceOf = (ev) => ev.component.getFirstPropertyValue('sequence');
/** The STATUS of an ical.js event. */
const statusOf = (ev) => ev.component.getFirstPropertyValue('status');

before(async () => {
  srv = await startServer();
  as.visitor = new Browser(srv.url);
  const admin = await personWithRole(srv, { role: 'admin', name: 'Reg Admin', password: null });
  as.admin = admin.browser;
  for (const who of ['ana', 'ben', 'cleo', 'plain']) {
    const p = await personWithRole(srv, { role: 'member', name: `Reg ${who}`, password: null });
    as[who] = p.browser;
    emails[who] = p.email;
    if (who === 'plain') continue;
    // an individual membership: a member in the directory's sense
    const id = await personId(srv.dataDir, p.email);
    await sql(srv.dataDir, `INSERT INTO memberships (level_id, person_id, state, state_since,
      period_start, period_end, created_at) VALUES ((SELECT id FROM membership_levels
      WHERE slug = 'individual'), ${id}, 'active', '2026-01-01', '2026-01-01', '${Y + 1}-12-31', 0)`);
  }
});

after(async () => { if (srv) await srv.stop(); });

describe('registration', () => {
  test('capacity_two_the_third_waits_and_moves_up_with_an_ics', async () => {
    const slug = await enter({
      title: 'Prison reform round table', online_url: 'https://meet.example.org/round-table', capacity: '2',
      starts_date: `${Y}-09-14`, starts_time: '14:00', ends_date: `${Y}-09-14`, ends_time: '16:00',
    });
    const uid = (await sql(srv.dataDir, `SELECT uid FROM meetings WHERE slug = ${sqlText(slug)}`))[0][0];
    const seen = {};
    for (const who of ['ana', 'ben', 'cleo']) seen[who] = (await mailsTo(srv.dataDir, emails[who])).length;
    for (const who of ['ana', 'ben', 'cleo']) assert.equal((await register(as[who], slug)).status, 303);
    assert.equal(await stateOf(slug, emails.ana), 'registered');
    assert.equal(await stateOf(slug, emails.ben), 'registered');
    assert.equal(await stateOf(slug, emails.cleo), 'waiting');
    // the registered get the meeting as .ics, the online link in it
    const first = await nextMail(srv.dataDir, emails.ana, seen.ana, { subject: 'Registered: Prison reform round table' });
    const [ev] = attachedEvents(first);
    assert.equal(ev.uid, uid);
    assert.equal(ev.summary, 'Prison reform round table');
    assert.equal(ev.startDate.toJSDate().toISOString(), new Date(`${Y}-09-14T12:00:00Z`).toISOString());
    assert.match(ev.description, /https:\/\/meet\.example\.org\/round-table/);
    assert.match(first.text, /You are registered for this meeting\./);
    // the one waiting gets a letter without it
    const wait = await nextMail(srv.dataDir, emails.cleo, seen.cleo, { subject: 'On the waiting list: Prison reform round table' });
    assert.equal(wait.msg.parts.some((p) => /calendar/.test(p.contentType)), false);
    assert.doesNotMatch(wait.raw, /meet\.example\.org/);
    // ben cancels: cleo moves up and gets the .ics; ben a plain letter
    const seenBen = (await mailsTo(srv.dataDir, emails.ben)).length;
    const seenCleo = (await mailsTo(srv.dataDir, emails.cleo)).length;
    assert.equal((await unregister(as.ben, slug)).status, 303);
    assert.equal(await stateOf(slug, emails.ben), 'cancelled');
    assert.equal(await stateOf(slug, emails.cleo), 'registered');
    const up = await nextMail(srv.dataDir, emails.cleo, seenCleo, { subject: 'Registered: Prison reform round table' });
    assert.match(up.text, /A place has freed/);
    const [ev2] = attachedEvents(up);
    assert.equal(ev2.uid, uid);
    assert.match(ev2.description, /meet\.example\.org\/round-table/);
    const gone = await nextMail(srv.dataDir, emails.ben, seenBen, { subject: 'Cancelled: Prison reform round table' });
    assert.match(gone.text, /Your registration for this meeting is cancelled\./);
    // the cancellation takes it off ben's calendar: same UID, a higher
    // SEQUENCE, STATUS:CANCELLED (RFC 5546)
    const [off] = attachedEvents(gone, 'CANCEL');
    assert.equal(off.uid, uid);
    assert.equal(statusOf(off), 'CANCELLED');
    assert.ok(sequenceOf(off) > sequenceOf(ev2), `${sequenceOf(off)} > ${sequenceOf(ev2)}`);
  });

  test('an_occurrence_of_a_series_is_attached_alone', async () => {
    const slug = await enter({
      title: 'Weekly victims clinic', repeat: 'weekly', online_url: 'https://meet.example.org/clinic',
      starts_date: `${Y}-10-05`, starts_time: '09:00', ends_date: `${Y}-10-05`, ends_time: '10:00',
      until: `${Y}-11-30`,
    });
    const occurrence = `${Y}-10-12T09:00:00`;
    const seen = (await mailsTo(srv.dataDir, emails.ana)).length;
    // the page offers the next occurrence; the form takes any of them
    const csrf = /name="csrf" value="([^"]+)"/.exec(await as.ana.html(`/calendar/${slug}`))[1];
    const res = await as.ana.post(`/calendar/${slug}/register`, { csrf, occurrence });
    assert.equal(res.status, 303, await res.text());
    const mail = await nextMail(srv.dataDir, emails.ana, seen, { subject: 'Registered: Weekly victims clinic' });
    const evs = attachedEvents(mail);
    assert.equal(evs.length, 1);
    assert.equal(evs[0].isRecurring(), false);
    assert.match(evs[0].uid, new RegExp(`/${Y}1012T090000$`));
    assert.match(mail.text, new RegExp(`\\?occurrence=${occurrence}`));
  });

  test('who_may_register_and_until_when', async () => {
    const members = await enter({
      title: 'Members only briefing', registration: 'members',
      starts_date: `${Y}-09-15`, starts_time: '12:00', ends_date: `${Y}-09-15`, ends_time: '13:00',
    });
    // a visitor is sent to sign in (or refused), an account of no member organisation refused
    const anon = await as.visitor.post(`/calendar/${members}/register`, { csrf: 'x' });
    assert.ok([401, 403, 303].includes(anon.status), String(anon.status));
    if (anon.status === 303) assert.match(anon.headers.get('location'), /sign-in|login/);
    const csrf = /name="csrf" value="([^"]+)"/.exec(await as.plain.html('/calendar'))?.[1] ?? '';
    assert.equal((await as.plain.post(`/calendar/${members}/register`, { csrf })).status, 403);
    assert.equal((await register(as.ana, members)).status, 303);
    const past = new Date(Date.now() - 2 * 86400_000).toISOString().slice(0, 10);
    const closed = await enter({
      title: 'Closed seminar', registration_closes: past,
      starts_date: `${Y}-09-16`, starts_time: '12:00', ends_date: `${Y}-09-16`, ends_time: '13:00',
    });
    assert.equal((await as.plain.post(`/calendar/${closed}/register`, { csrf })).status, 409);
    assert.equal(await stateOf(closed, emails.plain), undefined);
  });

  test('the_reminder_job_writes_once_the_day_before', async () => {
    const JOB = 'calendar.registration.remind';
    // 30 hours from now, to the minute, in UTC
    const at = new Date(Math.floor((Date.now() + 30 * 3600_000) / 60_000) * 60_000);
    const iso = at.toISOString();
    const slug = await enter({
      title: 'Tomorrow\'s briefing', time_zone: 'UTC', online_url: 'https://meet.example.org/tomorrow',
      starts_date: iso.slice(0, 10), starts_time: iso.slice(11, 16),
      ends_date: new Date(at.getTime() + 3600_000).toISOString().slice(0, 10),
      ends_time: new Date(at.getTime() + 3600_000).toISOString().slice(11, 16),
    });
    // two register, one of them cancels
    assert.equal((await register(as.ana, slug)).status, 303);
    assert.equal((await register(as.ben, slug)).status, 303);
    assert.equal((await unregister(as.ben, slug)).status, 303);
    const subject = 'Reminder: Tomorrow\'s briefing';
    const seen = (await mailsTo(srv.dataDir, emails.ana)).length;
    /** Makes the queued run due now and waits until it is done. */
    const runJob = async () => {
      let id;
      for (let i = 0; i < 300 && !id; i++) {
        id = await sqlValue(srv.dataDir, `SELECT id FROM jobs WHERE kind = '${JOB}' AND status = 'queued'`);
        if (!id) await new Promise((ok) => setTimeout(ok, 200));
      }
      assert.ok(id, 'the reminder job is queued');
      await sql(srv.dataDir, `UPDATE jobs SET run_at = 0 WHERE id = ${id}`);
      let status;
      for (let i = 0; i < 600 && status !== 'done'; i++) {
        status = await sqlValue(srv.dataDir, `SELECT status FROM jobs WHERE id = ${id}`);
        if (status !== 'done') await new Promise((ok) => setTimeout(ok, 200));
      }
      assert.equal(status, 'done');
    };
    await runJob();
    const mail = await nextMail(srv.dataDir, emails.ana, seen, { subject });
    const when = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(at);
    assert.match(mail.text.replace(/\s+/g, ' '), new RegExp(`Tomorrow's briefing begins on ${when.replace(',', '')}, ${iso.slice(11, 16)} \\(UTC`));
    assert.match(mail.text, /https:\/\/meet\.example\.org\/tomorrow/);
    assert.notEqual(await sqlValue(srv.dataDir, `SELECT r.reminded_at FROM registrations r JOIN meetings m
      ON m.id = r.meeting_id JOIN people p ON p.id = r.person_id WHERE m.slug = ${sqlText(slug)}
      AND p.email = ${sqlText(emails.ana)}`), null);
    // the one who cancelled is not reminded; a second run sends nothing
    await runJob();
    assert.equal((await mailsTo(srv.dataDir, emails.ana)).filter((m) => m.msg.decoded.subject === subject).length, 1);
    assert.equal((await mailsTo(srv.dataDir, emails.ben)).filter((m) => m.msg.decoded.subject === subject).length, 0);
  });

  test('the_personal_page_and_its_json', async () => {
    const slug = await enter({
      title: 'Victims forum', online_url: 'https://meet.example.org/forum', capacity: '1',
      starts_date: `${Y}-09-20`, starts_time: '10:00', ends_date: `${Y}-09-20`, ends_time: '12:00',
    });
    assert.equal((await register(as.ana, slug)).status, 303);
    assert.equal((await register(as.cleo, slug)).status, 303);
    const html = await as.ana.html('/account/meetings');
    assert.match(html, /<h1 id="page-title">Your meetings<\/h1>/);
    assert.match(html, /Victims forum/);
    const weekday = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', weekday: 'long' }).format(new Date(Date.UTC(Y, 8, 20)));
    assert.match(html, new RegExp(`${weekday} 20 September ${Y}, 10:00`));
    assert.match(html, /href="https:\/\/meet\.example\.org\/forum"/);
    assert.match(html, new RegExp(`action="/calendar/${slug}/unregister"`));
    assert.match(html, /href="\/account\/calendar"/);
    // the one waiting: the place, no link
    const waiting = await as.cleo.html('/account/meetings');
    assert.match(waiting, /On the waiting list, number 1/);
    assert.doesNotMatch(waiting, /meet\.example\.org\/forum/);
    // the same as JSON
    const res = await as.cleo.get('/api/v1/account/meetings', { accept: 'application/json' });
    assert.equal(res.status, 200);
    const j = await res.json();
    const mine = j.upcoming.find((m) => m.slug === slug);
    assert.equal(mine.state, 'waiting');
    assert.equal(mine.online_url, undefined);
    // the account page links to it; a visitor is sent to sign in
    assert.match(await as.ana.html('/account'), /href="\/account\/meetings"/);
    const anon = await as.visitor.get('/account/meetings');
    assert.ok([303, 401].includes(anon.status), String(anon.status));
    // cancelling from the page
    assert.equal((await as.cleo.submit('/account/meetings', `/calendar/${slug}/unregister`)).status, 303);
    assert.doesNotMatch(await as.cleo.html('/account/meetings'), /Victims forum/);
  });

  test('the_organisers_see_who_registered_and_who_waits', async () => {
    const slug = await enter({
      title: 'Victims party workshop', party: 'victims', capacity: '1',
      starts_date: `${Y}-09-22`, starts_time: '10:00', ends_date: `${Y}-09-22`, ends_time: '12:00',
    });
    assert.equal((await register(as.ana, slug)).status, 303);
    assert.equal((await register(as.cleo, slug)).status, 303);
    // the secretariat: HTML and JSON
    const html = await as.admin.html(`/calendar/${slug}/registrations`);
    assert.match(html, /Reg ana/);
    assert.match(html, /Reg cleo/);
    const res = await as.admin.get(`/api/v1/calendar/${slug}/registrations`, { accept: 'application/json' });
    assert.equal(res.status, 200);
    const j = await res.json();
    assert.deepEqual(j.registered.map((p) => p.email), [emails.ana]);
    assert.deepEqual(j.waiting.map((p) => [p.email, p.position]), [[emails.cleo, 1]]);
    // the meeting's page leads the organisers there, with the count
    assert.ok((await as.admin.html(`/calendar/${slug}`)).includes(`<a href="/calendar/${slug}/registrations">Registrations (2)</a>`));
    assert.doesNotMatch(await as.ana.html(`/calendar/${slug}`), /\/registrations"/);
    assert.doesNotMatch(await as.visitor.html(`/calendar/${slug}`), /\/registrations"/);
    // a member of no role: 403; the party's chair sees it
    assert.equal((await as.ana.get(`/calendar/${slug}/registrations`)).status, 403);
    const ben = await personId(srv.dataDir, emails.ben);
    await sql(srv.dataDir, `INSERT INTO object_roles (person_id, object_type, object_id, role, granted_at)
      VALUES (${ben}, 'party', 'victims', 'chair', 0)`);
    assert.match(await as.ben.html(`/calendar/${slug}/registrations`), /Reg cleo/);
    assert.match(await as.ben.html(`/calendar/${slug}`), /Registrations \(2\)/);
    // a visitor is sent to sign in
    assert.ok([303, 401].includes((await as.visitor.get(`/calendar/${slug}/registrations`)).status));
  });
});

describe('the desk changes a meeting people registered for', () => {
  const reg = async (b, slug, occurrence = null) => {
    const csrf = /name="csrf" value="([^"]+)"/.exec(await b.html(`/calendar/${slug}`))[1];
    const res = await b.post(`/calendar/${slug}/register`, occurrence ? { csrf, occurrence } : { csrf });
    assert.equal(res.status, 303, await res.text());
  };
  const FIELDS = {
    ...MEETING, title: 'Working group on trafficking', online_url: 'https://meet.example.org/trafficking',
    place: 'Vienna International Centre', mode: 'blended',
    starts_date: `${Y}-10-20`, starts_time: '10:00', ends_date: `${Y}-10-20`, ends_time: '12:00',
  };

  test('a_new_place_is_a_letter_with_the_updated_event_in_each_language', async () => {
    const slug = await enter(FIELDS);
    // cleo reads French
    await sql(srv.dataDir, `UPDATE people SET language = 'fr' WHERE email = ${sqlText(emails.cleo)}`);
    for (const who of ['ana', 'cleo']) await reg(as[who], slug);
    const first = attachedEvents(await nextMail(srv.dataDir, emails.ana, 0, { subject: 'Registered: Working group on trafficking' }))[0];
    // a change of the title alone tells nobody
    let res = await as.admin.submit(`/admin/calendar/${slug}/edit`, `/admin/calendar/${slug}`, { ...FIELDS, title: 'Working group on trafficking' , agenda: 'Item 1' });
    assert.equal(res.status, 303, await res.text());
    res = await as.admin.submit(`/admin/calendar/${slug}/edit`, `/admin/calendar/${slug}`, { ...FIELDS, place: 'Palais des Nations, Geneva' });
    assert.equal(res.status, 303, await res.text());
    const ana = await nextMail(srv.dataDir, emails.ana, 0, { subject: 'Changed: Working group on trafficking' });
    assert.match(ana.text, /The time, place or online link of this meeting has changed/);
    const [ev] = attachedEvents(ana);
    assert.equal(ev.uid, first.uid);
    assert.equal(ev.location, 'Palais des Nations, Geneva');
    assert.ok(sequenceOf(ev) > sequenceOf(first));
    const cleo = await nextMail(srv.dataDir, emails.cleo, 0, { subject: 'Modifiée : Working group on trafficking' });
    assert.match(cleo.text, /L’heure, le lieu ou le lien en ligne de cette réunion a changé/);
    // one letter each for the one change that concerns them
    await outboxDrained(srv.dataDir);
    const changed = (await mailsTo(srv.dataDir, emails.ana)).filter((m) => m.msg.decoded.subject === 'Changed: Working group on trafficking');
    assert.equal(changed.length, 1);
  });

  test('an_occurrence_cancelled_is_cancelled_in_the_calendars_of_those_registered', async () => {
    const slug = await enter({ ...FIELDS, title: 'Monthly clinic', repeat: 'weekly', until: `${Y}-11-30`,
      starts_date: `${Y}-10-06`, ends_date: `${Y}-10-06` });
    const key = `${Y}-10-13T10:00:00`;
    await reg(as.ana, slug, key);   // one occurrence
    await reg(as.ben, slug, `${Y}-10-20T10:00:00`);   // another one
    const res = await as.admin.submit(`/admin/calendar/${slug}`, `/admin/calendar/${slug}/occurrence`, { occurrence: key, action: 'cancel' });
    assert.equal(res.status, 303, await res.text());
    const ana = await nextMail(srv.dataDir, emails.ana, 0, { subject: 'Cancelled: Monthly clinic' });
    assert.match(ana.text, /The meeting you registered for has been cancelled\./);
    const [off] = attachedEvents(ana, 'CANCEL');
    assert.match(off.uid, new RegExp(`/${Y}1013T100000$`));
    assert.equal(statusOf(off), 'CANCELLED');
    // ben registered for another occurrence: not told of this one
    await outboxDrained(srv.dataDir);
    const benMails = (await mailsTo(srv.dataDir, emails.ben)).filter((m) => /Monthly clinic/.test(m.msg.decoded.subject));
    assert.deepEqual(benMails.map((m) => m.msg.decoded.subject), ['Registered: Monthly clinic']);
  });

  test('a_meeting_deleted_is_cancelled_for_everyone_registered_or_waiting', async () => {
    const slug = await enter({ ...FIELDS, title: 'Extraordinary session', capacity: '1' });
    await reg(as.ana, slug);
    await reg(as.ben, slug);   // waits
    const registered = attachedEvents(await nextMail(srv.dataDir, emails.ana, 0, { subject: 'Registered: Extraordinary session' }))[0];
    // the desk says who will be told before the deletion
    assert.match(await as.admin.html(`/admin/calendar/${slug}`), /2 people registered or waiting will be told that it is cancelled/);
    const res = await as.admin.submit(`/admin/calendar/${slug}`, `/admin/calendar/${slug}/delete`);
    assert.equal(res.status, 303, await res.text());
    assert.equal(await sqlValue(srv.dataDir, `SELECT count(*) FROM meetings WHERE slug = ${sqlText(slug)}`), '0');
    const ana = await nextMail(srv.dataDir, emails.ana, 0, { subject: 'Cancelled: Extraordinary session' });
    const [off] = attachedEvents(ana, 'CANCEL');
    assert.equal(off.uid, registered.uid);
    assert.ok(sequenceOf(off) > sequenceOf(registered));
    const ben = await nextMail(srv.dataDir, emails.ben, 0, { subject: 'Cancelled: Extraordinary session' });
    assert.match(ben.text, /waiting list/);
    assert.equal(ben.msg.parts.some((p) => /calendar/.test(p.contentType)), false, 'nothing to take off a calendar');
  });
});
