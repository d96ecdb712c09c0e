// ical_feeds.test.mjs -- the calendar's iCalendar side (issue 14, point 6
// and the import of point 10; src/calendar/feeds.c, import.c, ics.c):
// every feed (all public meetings, per body, per focal area, per working
// party, personal) is read by a real parser, ical.js, and its recurrences
// expanded (RRULE, EXDATE, RECURRENCE-ID) into the occurrences expected,
// across changes of daylight saving time; a members-only meeting is in no
// public feed; the personal feed's address works until it is renewed
// (then 404); a file another program exported, imported with the command
// line, comes back through /calendar.ics with the same occurrences.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import ICAL from 'ical.js';
import { startServer } from '../lib/server.mjs';
import { Browser, cli, sql, sqlText, personWithRole, personId, unescapeHtml } from '../lib/accounts.mjs';

const FIXTURE = new URL('../fixtures/ics/other-program.ics', import.meta.url).pathname;
const FROM = Date.UTC(2026, 11, 1) / 1000;
const TO = Date.UTC(2028, 0, 1) / 1000;

let srv;
let visitor;
let member;

/** A meeting straight into the database (both stores); resolves to its id. */
async function addMeeting(m) {
  const v = (x) => (x === null || x === undefined ? 'NULL' : typeof x === 'number' ? x : sqlText(x));
  await sql(srv.dataDir, `INSERT INTO meetings (slug, uid, sequence, title, kind, body_id, party_id,
    time_zone, all_day, starts_local, ends_local, starts_utc, ends_utc, rrule, last_ends_utc, place,
    agenda_md, status, visibility, created_at, updated_at)
    VALUES (${v(m.slug)}, ${v(m.uid)}, 0, ${v(m.title)}, ${v(m.kind ?? 'alliance')},
    ${m.body ? `(SELECT id FROM bodies WHERE slug = ${sqlText(m.body)})` : 'NULL'},
    ${m.party ? `(SELECT id FROM parties WHERE slug = ${sqlText(m.party)})` : 'NULL'},
    ${v(m.zone)}, ${m.allDay ? 1 : 0}, ${v(m.start)}, ${v(m.end)}, ${m.startUtc}, ${m.endUtc},
    ${v(m.rrule)}, ${v(m.lastEndUtc)}, ${v(m.place ?? '')}, ${v(m.agenda ?? '')},
    ${v(m.status ?? 'confirmed')}, ${v(m.visibility ?? 'public')}, 1, 1796000000)`);
  const [[id]] = await sql(srv.dataDir, `SELECT id FROM meetings WHERE slug = ${sqlText(m.slug)}`);
  for (const area of m.areas ?? []) {
    await sql(srv.dataDir, `INSERT INTO meeting_focal_areas VALUES (${id},
      (SELECT id FROM focal_areas WHERE slug = ${sqlText(area)}))`);
  }
  for (const x of m.exdates ?? []) {
    await sql(srv.dataDir, `INSERT INTO meeting_exdates VALUES (${id}, ${sqlText(x)})`);
  }
  for (const o of m.overrides ?? []) {
    await sql(srv.dataDir, `INSERT INTO meeting_overrides (meeting_id, recurrence_local, starts_local,
      ends_local, starts_utc, ends_utc, place, note, cancelled) VALUES (${id}, ${sqlText(o.rid)},
      ${sqlText(o.start)}, ${sqlText(o.end)}, 0, 0, NULL, ${sqlText(o.note ?? '')}, ${o.cancelled ? 1 : 0})`);
  }
  return id;
}

const utc = (s) => Date.parse(s) / 1000;

/**
 * The occurrences of an iCalendar text in [FROM, TO) as ical.js expands
 * them: [{uid, start (unix seconds), status}] sorted by start then uid.
 * The file's VTIMEZONEs are registered first, so TZIDs are read by the
 * rules the file carries.
 */
function occurrences(text, uids = null) {
  const cal = new ICAL.Component(ICAL.parse(text));
  for (const tz of cal.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(tz);
  const byUid = new Map();
  for (const v of cal.getAllSubcomponents('vevent')) {
    const uid = v.getFirstPropertyValue('uid');
    if (uids && !uids.includes(uid)) continue;
    if (!byUid.has(uid)) byUid.set(uid, { master: null, exceptions: [] });
    if (v.hasProperty('recurrence-id')) byUid.get(uid).exceptions.push(v);
    else byUid.get(uid).master = v;
  }
  const out = [];
  const status = (c) => String(c.getFirstPropertyValue('status') ?? 'CONFIRMED').toUpperCase();
  for (const [uid, { master, exceptions }] of byUid) {
    assert.ok(master, `${uid}: changed occurrences without their series`);
    const ev = new ICAL.Event(master);
    for (const x of exceptions) ev.relateException(x);
    if (!ev.isRecurring()) {
      const s = ev.startDate.toUnixTime();
      if (s >= FROM && s < TO) out.push({ uid, start: s, status: status(master) });
      continue;
    }
    const it = ev.iterator();
    // by original start: a moved one may land anywhere, so go a year past
    for (let t = it.next(), n = 0; t && n < 2000; t = it.next(), n++) {
      if (t.toUnixTime() >= TO + 366 * 86400) break;
      const d = ev.getOccurrenceDetails(t);
      const s = d.startDate.toUnixTime();
      if (s >= FROM && s < TO) out.push({ uid, start: s, status: status(d.item.component) });
    }
  }
  return out.sort((a, b) => a.start - b.start || a.uid.localeCompare(b.uid));
}

/** GET a feed: asserts a 200 calendar, resolves to its text. */
async function feed(path, browser = visitor) {
  const res = await browser.get(path);
  const text = await res.text();
  assert.equal(res.status, 200, `GET ${path}: ${text.slice(0, 300)}`);
  assert.equal(res.headers.get('content-type'), 'text/calendar; charset=utf-8');
  assert.match(text, /^BEGIN:VCALENDAR\r\n/);
  assert.match(text, /\r\nMETHOD:PUBLISH\r\n/);
  return text;
}

/** The text with its folded lines joined again (RFC 5545, 3.1). */
const unfold = (text) => text.replace(/\r\n[ \t]/g, '');

const uidsOf = (text) => [...new Set([...text.matchAll(/\r\nUID:([^\r]*)/g)].map((m) => m[1]))].sort();

before(async () => {
  srv = await startServer();
  visitor = new Browser(srv.url);
  member = await personWithRole(srv, { role: 'member', name: 'Feed Reader', password: null });
  // first Fridays of every second month in New York, 10:00 local: one
  // skipped (EXDATE), one moved a week (and past the start of daylight
  // saving time), one cancelled
  await addMeeting({
    slug: 'ny-series', uid: 'ny-series@alliance.test', title: 'New York meeting', body: 'ecosoc',
    party: 'victims', areas: ['victims-rights'], zone: 'America/New_York',
    start: '2027-01-01T10:00:00', end: '2027-01-01T12:00:00', startUtc: utc('2027-01-01T15:00:00Z'),
    endUtc: utc('2027-01-01T17:00:00Z'), rrule: 'FREQ=MONTHLY;INTERVAL=2;BYDAY=1FR;COUNT=6',
    lastEndUtc: utc('2027-11-05T16:00:00Z'), place: 'Church Center, 777 UN Plaza',
    agenda: '1. Reports\n2. *Next* steps',
    exdates: ['2027-05-07T10:00:00'],
    overrides: [
      { rid: '2027-03-05T10:00:00', start: '2027-03-12T14:00:00', end: '2027-03-12T16:00:00', note: 'Moved' },
      { rid: '2027-07-02T10:00:00', start: '2027-07-02T10:00:00', end: '2027-07-02T12:00:00', cancelled: true },
    ],
  });
  await addMeeting({
    slug: 'ccpcj-test', uid: 'ccpcj-test@alliance.test', title: 'Test session', kind: 'session', body: 'ccpcj',
    zone: 'Europe/Vienna', allDay: true, start: '2027-05-17', end: '2027-05-21',
    startUtc: utc('2027-05-16T22:00:00Z'), endUtc: utc('2027-05-21T22:00:00Z'),
  });
  await addMeeting({
    slug: 'members-only', uid: 'members-only@alliance.test', title: 'Members only', body: 'ccpcj',
    party: 'victims', areas: ['victims-rights'], zone: 'Europe/Vienna', visibility: 'members',
    start: '2027-02-01T10:00:00', end: '2027-02-01T11:00:00', startUtc: utc('2027-02-01T09:00:00Z'),
    endUtc: utc('2027-02-01T10:00:00Z'),
  });
  await addMeeting({
    slug: 'called-off', uid: 'called-off@alliance.test', title: 'Called off', party: 'victims',
    zone: 'UTC', status: 'cancelled', start: '2027-02-10T15:00:00', end: '2027-02-10T16:00:00',
    startUtc: utc('2027-02-10T15:00:00Z'), endUtc: utc('2027-02-10T16:00:00Z'),
  });
});

after(async () => { if (srv) await srv.stop(); });

const NY = 'ny-series@alliance.test';
/** The historic New York series every deployment has (0041). */
const SEEDED = 'alliance-new-york-1972-2012';
const NY_OCCURRENCES = [
  { uid: NY, start: utc('2027-01-01T15:00:00Z'), status: 'CONFIRMED' }, // EST
  { uid: NY, start: utc('2027-03-12T19:00:00Z'), status: 'CONFIRMED' }, // moved, still EST
  { uid: NY, start: utc('2027-07-02T14:00:00Z'), status: 'CANCELLED' }, // EDT
  { uid: NY, start: utc('2027-09-03T14:00:00Z'), status: 'CONFIRMED' },
  { uid: NY, start: utc('2027-11-05T14:00:00Z'), status: 'CONFIRMED' }, // EDT until 7 Nov
];

describe('the public feeds', () => {
  test('calendar_ics_has_every_public_meeting_with_its_occurrences', async () => {
    const res = await visitor.get('/calendar.ics');
    assert.match(res.headers.get('cache-control'), /public/);
    const text = unfold(await feed('/calendar.ics'));
    assert.deepEqual(uidsOf(text), [SEEDED, 'called-off@alliance.test', 'ccpcj-test@alliance.test', NY]);
    // the rule stays a rule, the zones come with their rules
    // (libical writes the rule's parts in its own order)
    const rules = [...text.slice(text.indexOf('BEGIN:VEVENT')).matchAll(/\r\nRRULE:([^\r]*)\r\n/g)].map((m) => m[1].split(';').sort().join(';'));
    assert.deepEqual(rules, ['BYDAY=1FR;FREQ=MONTHLY;INTERVAL=2;UNTIL=20121231',
      'BYDAY=1FR;COUNT=6;FREQ=MONTHLY;INTERVAL=2']);
    assert.match(text, /\r\nEXDATE;TZID=America\/New_York:20270507T100000\r\n/);
    assert.match(text, /\r\nBEGIN:VTIMEZONE\r\nTZID:America\/New_York\r\n/);
    assert.match(text, /\r\nBEGIN:VTIMEZONE\r\nTZID:Europe\/Vienna\r\n/);
    assert.match(text, new RegExp(`\\r\\nURL:${srv.url.replace(/[.]/g, '\\.')}/calendar/ny-series\\r\\n`));
    const occ = occurrences(text);
    assert.deepEqual(occ.filter((o) => o.uid === NY), NY_OCCURRENCES);
    assert.deepEqual(occ.filter((o) => o.uid !== NY && o.uid !== SEEDED), [
      { uid: 'called-off@alliance.test', start: utc('2027-02-10T15:00:00Z'), status: 'CANCELLED' },
      { uid: 'ccpcj-test@alliance.test', start: utc('2027-05-17T00:00:00Z'), status: 'CONFIRMED' },
    ]);
    // the all-day session ends after its last day (DTEND exclusive)
    assert.match(text, /\r\nDTSTART;VALUE=DATE:20270517\r\nDTEND;VALUE=DATE:20270522\r\n/);
  });

  test('a_calendar_program_asking_again_gets_304_until_a_meeting_changes', async () => {
    const res = await visitor.get('/calendar/bodies/ccpcj/feed.ics');
    await res.text();
    const etag = res.headers.get('etag');
    assert.match(etag, /^"[0-9a-f]{32}"$/);
    const again = await visitor.get('/calendar/bodies/ccpcj/feed.ics', { 'if-none-match': etag });
    assert.equal(again.status, 304);
    assert.equal(await again.text(), '');
    await sql(srv.dataDir, "UPDATE meetings SET place = 'Vienna International Centre' WHERE slug = 'ccpcj-test'");
    const changed = await visitor.get('/calendar/bodies/ccpcj/feed.ics', { 'if-none-match': etag });
    assert.equal(changed.status, 200);
    assert.match(unfold(await changed.text()), /\r\nLOCATION:Vienna International Centre\r\n/);
    assert.notEqual(changed.headers.get('etag'), etag);
  });

  test('a_body_a_focal_area_and_a_party_have_their_own_feeds', async () => {
    assert.deepEqual(uidsOf(await feed('/calendar/bodies/ecosoc/feed.ics')), [NY]);
    assert.deepEqual(uidsOf(await feed('/calendar/bodies/ccpcj/feed.ics')), ['ccpcj-test@alliance.test']);
    assert.deepEqual(uidsOf(await feed('/calendar/bodies/uncac-cosp/feed.ics')), []);
    const area = await feed('/calendar/focal-areas/victims-rights/feed.ics');
    assert.deepEqual(uidsOf(area), [NY]);
    assert.deepEqual(occurrences(area), NY_OCCURRENCES);
    const party = unfold(await feed('/calendar/working-parties/victims/feed.ics'));
    assert.deepEqual(uidsOf(party), ['called-off@alliance.test', NY]);
    assert.match(party, /\r\nX-WR-CALNAME:[^\r]*: Victims\r\n/);
  });

  test('a_members_only_meeting_is_in_no_public_feed', async () => {
    for (const path of ['/calendar.ics', '/calendar/bodies/ccpcj/feed.ics',
      '/calendar/focal-areas/victims-rights/feed.ics', '/calendar/working-parties/victims/feed.ics']) {
      const text = await feed(path);
      assert.doesNotMatch(text, /members-only|Members only/, path);
      // the same for a signed-in member: a public feed is everyone's
      assert.doesNotMatch(await feed(path, member.browser), /members-only/, path);
    }
  });

  test('an_unknown_body_area_or_party_is_a_404', async () => {
    for (const path of ['/calendar/bodies/nope/feed.ics', '/calendar/focal-areas/nope/feed.ics',
      '/calendar/working-parties/nope/feed.ics']) {
      assert.equal((await visitor.get(path)).status, 404, path);
    }
  });

  test('the_categories_are_words_in_the_readers_language', async () => {
    const fr = await feed('/calendar/bodies/ccpcj/feed.ics', new Browser(srv.url));
    assert.match(fr, /\r\nCATEGORIES:Intergovernmental session\r\n/);
    const res = await visitor.get('/calendar/bodies/ccpcj/feed.ics', { 'accept-language': 'fr' });
    assert.match(await res.text(), /\r\nCATEGORIES:Session intergouvernementale\r\n/);
  });
});

/** The address on the page (a page of /account/calendar or of the renewal). */
function feedUrlOf(html) {
  const m = /id="feed-url"[^>]*value="([^"]+)"/.exec(html);
  return m ? unescapeHtml(m[1]) : null;
}

describe('the personal feed', () => {
  let first;

  test('the_page_needs_a_signed_in_person', async () => {
    const res = await visitor.get('/account/calendar');
    assert.equal(res.status, 303);
    assert.match(res.headers.get('location'), /^\/signin/);
  });

  test('the_first_visit_makes_the_address_and_shows_it_once', async () => {
    const html = await member.browser.html('/account/calendar');
    first = feedUrlOf(html);
    assert.ok(first, 'no address on the first visit');
    assert.match(first, new RegExp(`^${srv.url.replace(/[.]/g, '\\.')}/calendar/personal/[A-Za-z0-9_-]{43}/feed\\.ics$`));
    const again = await member.browser.html('/account/calendar');
    assert.equal(feedUrlOf(again), null, 'the address is shown once');
    assert.match(again, /Renew the address/);
    // only its digest is stored
    const id = await personId(srv.dataDir, member.email);
    const [[hash]] = await sql(srv.dataDir, `SELECT token_hash FROM calendar_feeds WHERE person_id = ${id}`);
    assert.equal(hash.length, 64);
    assert.ok(!first.includes(hash));
  });

  test('it_holds_what_the_person_registered_for', async () => {
    const path = new URL(first).pathname;
    const empty = await feed(path);
    assert.deepEqual(uidsOf(empty), [], 'nothing registered yet: an empty calendar');
    assert.match((await visitor.get(path)).headers.get('cache-control'), /no-store/);
    const id = await personId(srv.dataDir, member.email);
    // one occurrence of the series: that one alone, an event of its own
    await sql(srv.dataDir, `INSERT INTO registrations (meeting_id, occurrence_local, person_id, state,
      created_at, updated_at) VALUES ((SELECT id FROM meetings WHERE slug = 'ny-series'),
      '2027-03-05T10:00:00', ${id}, 'registered', 1, 1)`);
    const one = await feed(path);
    assert.deepEqual(uidsOf(one), [`${NY}/20270305T100000`]);
    assert.doesNotMatch(one, /RRULE:FREQ=MONTHLY/);
    // it was moved: its new time, a week later
    assert.deepEqual(occurrences(one), [{ uid: `${NY}/20270305T100000`, start: utc('2027-03-12T19:00:00Z'),
      status: 'CONFIRMED' }]);
    // the whole series too: the series, as a rule
    for (const slug of ['ny-series', 'members-only']) {
      await sql(srv.dataDir, `INSERT INTO registrations (meeting_id, person_id, state, created_at, updated_at)
        VALUES ((SELECT id FROM meetings WHERE slug = ${sqlText(slug)}), ${id}, 'registered', 1, 1)`);
    }
    await sql(srv.dataDir, `INSERT INTO registrations (meeting_id, person_id, state, created_at, updated_at)
      VALUES ((SELECT id FROM meetings WHERE slug = 'ccpcj-test'), ${id}, 'cancelled', 1, 1);
      UPDATE meetings SET online_url = 'https://meet.example.org/ny-series' WHERE slug = 'ny-series'`);
    const mine = await feed(path);
    // the online link: in the feed of a person registered, in no public one
    assert.match(unfold(mine), /https:\/\/meet\.example\.org\/ny-series/);
    for (const pub of ['/calendar.ics', '/calendar/working-parties/victims/feed.ics']) {
      assert.doesNotMatch(unfold(await feed(pub)), /meet\.example\.org/, pub);
    }
    // the members-only meeting too: the person was let in
    assert.deepEqual(uidsOf(mine), ['members-only@alliance.test', NY]);
    assert.deepEqual(occurrences(mine, [NY]), NY_OCCURRENCES);
  });

  test('renewing_gives_a_new_address_and_the_old_one_answers_404', async () => {
    const oldPath = new URL(first).pathname;
    const res = await member.browser.submit('/account/calendar', '/account/calendar/renew');
    const html = await res.text();
    assert.equal(res.status, 200, html.slice(0, 300));
    const renewed = feedUrlOf(html);
    assert.ok(renewed && renewed !== first);
    assert.equal((await visitor.get(oldPath)).status, 404);
    assert.deepEqual(uidsOf(await feed(new URL(renewed).pathname)), ['members-only@alliance.test', NY]);
    assert.equal((await visitor.get('/calendar/personal/not-a-token/feed.ics')).status, 404);
    const [[n]] = await sql(srv.dataDir,
      "SELECT count(*) FROM audit_log WHERE action IN ('calendar_feed.create', 'calendar_feed.renew')");
    assert.equal(n, '2');
  });

  test('renewing_needs_the_csrf_token', async () => {
    const res = await member.browser.post('/account/calendar/renew', {});
    assert.equal(res.status, 403);
  });
});

describe('alliance import meetings', () => {
  const IMPORTED = ['weekly-vienna-2027@other.example', 'thursday-new-york-2027@other.example',
    'conference-2027@other.example'];

  test('another_programs_file_comes_back_with_the_same_occurrences', async () => {
    const { stdout } = await cli(srv.dataDir, ['import', 'meetings', FIXTURE]);
    assert.match(stdout, /3 meetings imported \(3 new, 0 updated\)/);
    const { readFile } = await import('node:fs/promises');
    const original = occurrences(await readFile(FIXTURE, 'utf8'), IMPORTED);
    const exported = occurrences(await feed('/calendar.ics'), IMPORTED);
    assert.deepEqual(exported, original);
    // what the file says, checked by hand: the weekly Vienna call keeps
    // 10:00 across the start of summer time (09:00Z, then 08:00Z), one
    // skipped, one moved, one cancelled
    const vienna = original.filter((o) => o.uid === IMPORTED[0]);
    assert.deepEqual(vienna.map((o) => [new Date(o.start * 1000).toISOString(), o.status]), [
      ['2027-03-01T09:00:00.000Z', 'CONFIRMED'],
      ['2027-03-08T09:00:00.000Z', 'CONFIRMED'],
      ['2027-03-23T13:00:00.000Z', 'CONFIRMED'],
      ['2027-03-29T08:00:00.000Z', 'CONFIRMED'],
      ['2027-04-05T08:00:00.000Z', 'CANCELLED'],
      ['2027-04-12T08:00:00.000Z', 'CONFIRMED'],
      ['2027-04-19T08:00:00.000Z', 'CONFIRMED'],
    ]);
    // the New York one moves an hour in UTC after 7 November
    const ny = original.filter((o) => o.uid === IMPORTED[1]).map((o) => new Date(o.start * 1000).toISOString());
    assert.equal(ny[0], '2027-10-07T22:00:00.000Z');
    assert.equal(ny.at(-1), '2027-11-25T23:00:00.000Z');
    assert.equal(ny.length, 8);
    const [[kind, visibility]] = await sql(srv.dataDir,
      "SELECT kind, visibility FROM meetings WHERE uid = 'conference-2027@other.example'");
    assert.deepEqual([kind, visibility], ['side-event', 'public']);
  });

  test('a_second_import_updates_by_uid', async () => {
    const [[before]] = await sql(srv.dataDir, 'SELECT count(*) FROM meetings');
    const { stdout } = await cli(srv.dataDir, ['import', 'meetings', FIXTURE]);
    assert.match(stdout, /3 meetings imported \(0 new, 3 updated\)/);
    const [[after]] = await sql(srv.dataDir, 'SELECT count(*) FROM meetings');
    assert.equal(after, before);
    const [[seq, exdates, overrides]] = await sql(srv.dataDir, `SELECT m.sequence,
      (SELECT count(*) FROM meeting_exdates e WHERE e.meeting_id = m.id),
      (SELECT count(*) FROM meeting_overrides o WHERE o.meeting_id = m.id)
      FROM meetings m WHERE m.uid = 'weekly-vienna-2027@other.example'`);
    assert.deepEqual([seq, exdates, overrides], ['1', '1', '2']);
  });

  test('a_zone_that_is_no_iana_one_refuses_the_file', async () => {
    const { writeFile, mkdtemp } = await import('node:fs/promises');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = await mkdtemp(join(tmpdir(), 'ics-'));
    const bad = join(dir, 'outlook.ics');
    await writeFile(bad, ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Outlook//EN',
      'BEGIN:VEVENT', 'UID:good@x', 'DTSTAMP:20260101T000000Z', 'SUMMARY:Good one',
      'DTSTART:20270301T100000Z', 'END:VEVENT',
      'BEGIN:VEVENT', 'UID:board@x', 'DTSTAMP:20260101T000000Z', 'SUMMARY:Board meeting',
      'DTSTART;TZID=W. Europe Standard Time:20270301T100000', 'END:VEVENT',
      'END:VCALENDAR', ''].join('\r\n'));
    const [[before]] = await sql(srv.dataDir, 'SELECT count(*) FROM meetings');
    await assert.rejects(cli(srv.dataDir, ['import', 'meetings', bad]), (err) => {
      assert.equal(err.code, 1);
      assert.match(err.message, /"Board meeting" \(UID board@x\): its time zone is not an IANA time zone/);
      assert.match(err.message, /1 event refused; nothing was imported/);
      return true;
    });
    await writeFile(bad, 'name,country\nNot,AT\n');
    await assert.rejects(cli(srv.dataDir, ['import', 'meetings', bad]), (err) => {
      assert.equal(err.code, 1);
      assert.match(err.message, /not an iCalendar file/);
      return true;
    });
    const [[after]] = await sql(srv.dataDir, 'SELECT count(*) FROM meetings');
    assert.equal(after, before);
  });

  test('the_help_names_the_kind', async () => {
    const { stdout } = await cli(srv.dataDir, ['import', '--help']);
    assert.match(stdout, /\n {2}meetings FILE\.ics\n/);
    assert.match(stdout, /\n {2}organisations FILE\.csv\n/);
  });
});
