// meeting_documents.test.mjs -- a meeting's documents (issue 14 point 1;
// src/calendar/documents.c): the secretariat adds the agenda as a PDF, a
// link and a library item to a public meeting; a visitor reads them on
// the meeting's page and in its JSON (the agenda first, no stored path)
// and downloads the file as an attachment with its bytes unchanged; what
// is not a document we keep, a link that is not http(s), a missing title
// or kind are refused with the message next to the field (422) and keep
// nothing; a working party's rapporteur keeps the documents of the
// party's meeting, a member of the party and a member of no party may
// not (403), a visitor is sent to sign in; the file of a members-only
// meeting is unseen by a visitor (404); past the meeting's files a day,
// 429 and nothing kept; removing a document takes it off the page, with
// the audit records of both; the hourly pass then removes the file of a
// removed document from the store and keeps the file a document still
// names (core/uploads.c).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { access, readFile, utimes } from 'node:fs/promises';
import { startServer } from '../lib/server.mjs';
import { Browser, mainOf, sql, sqlText, sqlValue, personWithRole, personId, unescapeHtml, hiddenFields } from '../lib/accounts.mjs';

let srv;
const as = {};
const ids = {};
const Y = new Date().getUTCFullYear() + 1;
const PDF = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.from([0, 1, 2, 255, 254]), Buffer.from('\n%%EOF\n')]);

const MEETING = {
  kind: 'alliance', body: '', time_zone: 'Europe/Vienna', repeat: 'none', mode: 'in-person',
  status: 'confirmed', visibility: 'public', registration: 'none',
  starts_date: `${Y}-05-12`, starts_time: '10:00', ends_date: `${Y}-05-12`, ends_time: '12:00',
};

/** Enters a meeting through the desk's form; resolves to its slug. */
async function enter(fields) {
  const res = await as.admin.submit('/admin/calendar/new', '/admin/calendar', { ...MEETING, ...fields });
  assert.equal(res.status, 303, `POST /admin/calendar: ${res.status}`);
  const m = /^\/admin\/calendar\/([a-z0-9-]+)\?done=saved$/.exec(res.headers.get('location'));
  assert.ok(m, res.headers.get('location'));
  return m[1];
}

/** The CSRF token of the documents page's add form, as browser b. */
async function token(b, slug) {
  const html = await b.html(`/calendar/${slug}/documents`);
  const t = hiddenFields(html, `/calendar/${slug}/documents`).csrf;
  assert.ok(t, 'the documents page has the add form');
  return t;
}

/** Posts the add form as multipart, with a file when given. */
async function add(b, slug, fields, file = null) {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.append(k, v);
  if (file) fd.append('file', new Blob([file.bytes], { type: file.type }), file.name);
  return b.keep(await fetch(`${srv.url}/calendar/${slug}/documents`,
    { method: 'POST', redirect: 'manual', body: fd, headers: b.headers() }));
}

const count = (slug) => sqlValue(srv.dataDir, `SELECT count(*) FROM meeting_documents
  WHERE meeting_id = (SELECT id FROM meetings WHERE slug = ${sqlText(slug)})`);

before(async () => {
  srv = await startServer();
  as.visitor = new Browser(srv.url);
  for (const [k, role] of [['admin', 'admin'], ['rapporteur', 'member'], ['teammate', 'member'], ['plain', 'member']]) {
    const p = await personWithRole(srv, { role, name: `Doc ${k}`, password: null });
    as[k] = p.browser;
    ids[k] = await personId(srv.dataDir, p.email);
  }
  await sql(srv.dataDir, `INSERT INTO object_roles (person_id, object_type, object_id, role, granted_at)
    VALUES (${ids.rapporteur}, 'party', 'victims', 'rapporteur', 0), (${ids.teammate}, 'party', 'victims', 'member', 0)`);
});

after(async () => { if (srv) await srv.stop(); });

describe('the documents of a public meeting', () => {
  let slug;
  test('the_secretariat_adds_a_file_a_link_and_a_library_item', async () => {
    slug = await enter({ title: 'Preparatory meeting for the Commission' });
    // the meeting's page offers the organisers the way in, and nobody else
    assert.match(await as.admin.html(`/calendar/${slug}`), new RegExp(`href="/calendar/${slug}/documents"`));
    assert.doesNotMatch(await as.plain.html(`/calendar/${slug}`), /\/documents"/);
    const csrf = await token(as.admin, slug);
    let res = await add(as.admin, slug, { csrf, kind: 'link', category: 'background', title: 'UNODC handbook',
      url: 'https://www.unodc.org/handbook.pdf' });
    assert.equal(res.status, 303, await res.text());
    assert.equal(res.headers.get('location'), `/calendar/${slug}/documents`);
    res = await add(as.admin, slug, { csrf, kind: 'library', category: 'report', title: 'Femicide report 2025',
      library_ref: 'FEM-2025-03' });
    assert.equal(res.status, 303);
    res = await add(as.admin, slug, { csrf, kind: 'file', category: 'agenda', title: 'Provisional agenda' },
      { bytes: PDF, type: 'application/pdf', name: 'agenda.pdf' });
    assert.equal(res.status, 303, await res.text());
    assert.equal(await count(slug), '3');
    const [[type, size]] = await sql(srv.dataDir, `SELECT content_type, size FROM meeting_documents WHERE kind = 'file'`);
    assert.equal(type, 'application/pdf');
    assert.equal(Number(size), PDF.length);
    const audit = await sql(srv.dataDir, `SELECT action FROM audit_log WHERE action LIKE 'meeting.document.%' ORDER BY id`);
    assert.deepEqual(audit.map((a) => a[0]), ['meeting.document.add', 'meeting.document.add', 'meeting.document.add']);
  });

  test('bad_input_is_refused_next_to_its_field_and_keeps_nothing', async () => {
    const csrf = await token(as.admin, slug);
    const cases = [
      [{ kind: 'link', category: 'other', title: 'No address' }, null, 'url'],
      [{ kind: 'link', category: 'other', title: 'Script', url: 'javascript:alert(1)' }, null, 'url'],
      [{ kind: 'library', category: 'other', title: 'No reference' }, null, 'library_ref'],
      [{ kind: 'file', category: 'other', title: 'No file' }, null, 'file'],
      [{ kind: 'file', category: 'other', title: 'Fake' }, { bytes: Buffer.from('<html>'), type: 'application/pdf', name: 'fake.pdf' }, 'file'],
      [{ kind: 'file', category: 'other', title: 'Shell' }, { bytes: Buffer.from('#!/bin/sh\n'), type: 'text/x-sh', name: 'run.sh' }, 'file'],
      [{ kind: 'link', category: 'other', title: '', url: 'https://example.org/' }, null, 'title'],
      [{ category: 'other', title: 'No kind', url: 'https://example.org/' }, null, 'kind'],
      [{ kind: 'link', category: 'minutes', title: 'Bad category', url: 'https://example.org/' }, null, 'category'],
    ];
    for (const [fields, file, field] of cases) {
      const res = await add(as.admin, slug, { csrf, ...fields }, file);
      const html = await res.text();
      assert.equal(res.status, 422, `${JSON.stringify(fields)}: ${res.status}`);
      assert.match(html, new RegExp(`id="${field}-error"`), `${JSON.stringify(fields)}: the message is next to ${field}`);
      assert.match(html, new RegExp(`aria-describedby="${field}-error"`));
    }
    assert.equal(await count(slug), '3');
  });

  test('a_visitor_reads_them_and_downloads_the_file', async () => {
    const page = mainOf(await as.visitor.html(`/calendar/${slug}`));
    const text = unescapeHtml(page);
    // the agenda first, with what it is in words
    assert.ok(text.indexOf('Provisional agenda') < text.indexOf('UNODC handbook'), 'the agenda comes first');
    assert.match(text, /Agenda · File · agenda\.pdf, \d+ bytes/);
    assert.match(text, /Background · External link/);
    assert.match(text, /Report · Library item · FEM-2025-03/);
    assert.ok(page.includes('href="https://www.unodc.org/handbook.pdf"'));
    const id = await sqlValue(srv.dataDir, `SELECT id FROM meeting_documents WHERE kind = 'file'`);
    const href = `/calendar/${slug}/documents/${id}/file`;
    assert.ok(page.includes(`href="${href}"`));
    assert.doesNotMatch(page, /Remove/);
    const got = await as.visitor.get(href);
    assert.equal(got.status, 200);
    // a download, never shown inline: the store serves every document so
    assert.equal(got.headers.get('content-type'), 'application/octet-stream');
    assert.match(got.headers.get('content-disposition'), /^attachment; filename="agenda\.pdf"$/);
    assert.equal(got.headers.get('x-content-type-options'), 'nosniff');
    assert.deepEqual(Buffer.from(await got.arrayBuffer()), PDF);
    // another meeting's path, and a document that is not a file
    assert.equal((await as.visitor.get(`/calendar/new-york-1972-2012/documents/${id}/file`)).status, 404);
    const link = await sqlValue(srv.dataDir, `SELECT id FROM meeting_documents WHERE kind = 'link'`);
    assert.equal((await as.visitor.get(`/calendar/${slug}/documents/${link}/file`)).status, 404);
    // the JSON carries them, never where the file is kept
    const res = await as.visitor.get(`/api/v1/meetings/${slug}`);
    assert.equal(res.status, 200);
    const body = await res.text();
    const docs = JSON.parse(body).meeting?.documents ?? JSON.parse(body).documents;
    assert.deepEqual(docs.map((d) => [d.title, d.category, d.kind]), [
      ['Provisional agenda', 'agenda', 'file'], ['UNODC handbook', 'background', 'link'],
      ['Femicide report 2025', 'report', 'library']]);
    assert.doesNotMatch(body, /stored_path|uploads\//);
  });

  test('only_the_organisers_keep_them', async () => {
    assert.equal((await as.plain.get(`/calendar/${slug}/documents`)).status, 403);
    const csrf = hiddenFields(await as.plain.html('/account')).csrf;
    assert.ok(csrf);
    const res = await add(as.plain, slug, { csrf, kind: 'link', category: 'other', title: 'Mine', url: 'https://example.org/' });
    assert.equal(res.status, 403);
    const id = await sqlValue(srv.dataDir, `SELECT id FROM meeting_documents WHERE kind = 'link'`);
    assert.equal((await as.plain.post(`/calendar/${slug}/documents/${id}/delete`, { csrf })).status, 403);
    // a visitor is asked to sign in first
    const v = await as.visitor.get(`/calendar/${slug}/documents`);
    assert.ok([302, 303, 401].includes(v.status), `visitor: ${v.status}`);
    assert.equal(await count(slug), '3');
  });

  test('removing_one_takes_it_off_the_page', async () => {
    const id = await sqlValue(srv.dataDir, `SELECT id FROM meeting_documents WHERE kind = 'link'`);
    const action = `/calendar/${slug}/documents/${id}/delete`;
    const form = hiddenFields(await as.admin.html(`/calendar/${slug}/documents`), action);
    assert.ok(form.csrf, 'each document has its Remove form');
    const res = await as.admin.post(action, form);
    assert.equal(res.status, 303);
    assert.doesNotMatch(mainOf(await as.visitor.html(`/calendar/${slug}`)), /UNODC handbook/);
    assert.equal(await count(slug), '2');
    assert.equal((await as.admin.post(action, form)).status, 404);
    const last = await sql(srv.dataDir, `SELECT action FROM audit_log WHERE action LIKE 'meeting.document.%' ORDER BY id DESC LIMIT 1`);
    assert.equal(last[0][0], 'meeting.document.delete');
  });

  test('past_the_files_a_day_for_the_meeting_429_and_nothing_kept', async () => {
    // the meeting's counter, which the agenda's upload started
    const key = sqlText('meeting-file:addr:' + slug);
    assert.equal(await sqlValue(srv.dataDir, `SELECT count FROM rate_limits WHERE key = ${key}`), '1');
    await sql(srv.dataDir, `UPDATE rate_limits SET count = 50 WHERE key = ${key}`);
    const csrf = await token(as.admin, slug);
    const res = await add(as.admin, slug, { csrf, kind: 'file', category: 'other', title: 'One too many' },
      { bytes: Buffer.from('Plain notes\n'), type: 'text/plain', name: 'notes.txt' });
    assert.equal(res.status, 429);
    assert.ok(res.headers.get('retry-after'));
    const html = await res.text();
    assert.match(html, /Too many documents/);
    assert.match(html, /id="file-error"/);
    assert.equal(await count(slug), '2');
  });
});

describe('a working party meeting', () => {
  test('its_rapporteur_keeps_the_documents_and_a_member_of_the_party_may_not', async () => {
    const slug = await enter({ title: 'Victims party meeting', kind: 'party', party: 'victims' });
    const csrf = await token(as.rapporteur, slug);
    const res = await add(as.rapporteur, slug, { csrf, kind: 'file', category: 'report', title: 'Party notes' },
      { bytes: Buffer.from('Notes of the party, in plain text: é à ü.\n'), type: 'text/plain', name: 'notes.txt' });
    assert.equal(res.status, 303, await res.text());
    assert.equal(await count(slug), '1');
    assert.equal((await as.teammate.get(`/calendar/${slug}/documents`)).status, 403);
    // the rapporteur of one party keeps nothing of a meeting that is not the party's
    const other = await enter({ title: 'Secretariat meeting' });
    assert.equal((await as.rapporteur.get(`/calendar/${other}/documents`)).status, 403);
  });
});

describe('a members-only meeting', () => {
  test('its_file_is_unseen_by_a_visitor', async () => {
    const slug = await enter({ title: 'Members council', visibility: 'members' });
    const csrf = await token(as.admin, slug);
    assert.equal((await add(as.admin, slug, { csrf, kind: 'file', category: 'agenda', title: 'Council agenda' },
      { bytes: PDF, type: 'application/pdf', name: 'council.pdf' })).status, 303);
    const id = await sqlValue(srv.dataDir, `SELECT id FROM meeting_documents WHERE title = 'Council agenda'`);
    assert.equal((await as.visitor.get(`/calendar/${slug}/documents/${id}/file`)).status, 404);
    assert.equal((await as.admin.get(`/calendar/${slug}/documents/${id}/file`)).status, 200);
  });
});

describe('the store of files', () => {
  test('the_hourly_pass_removes_the_file_of_a_removed_document_and_keeps_the_others', async () => {
    const slug = await enter({ title: 'Store sweep meeting' });
    const bytes = { gone: Buffer.from('The notes to remove\n'), kept: Buffer.from('The notes to keep\n') };
    for (const k of ['gone', 'kept']) {
      const csrf = await token(as.admin, slug);
      assert.equal((await add(as.admin, slug, { csrf, kind: 'file', category: 'other', title: `Sweep ${k}` },
        { bytes: bytes[k], type: 'text/plain', name: `${k}.txt` })).status, 303);
    }
    const row = async (k) => (await sql(srv.dataDir,
      `SELECT id, stored_path FROM meeting_documents WHERE title = ${sqlText(`Sweep ${k}`)}`))[0];
    const [goneId, gonePath] = await row('gone');
    const [keptId, keptPath] = await row('kept');
    const action = `/calendar/${slug}/documents/${goneId}/delete`;
    assert.equal((await as.admin.post(action, hiddenFields(await as.admin.html(`/calendar/${slug}/documents`), action))).status, 303);
    // both files written two days ago: past the day a file no row names is left alone
    const old = new Date(Date.now() - 2 * 86400 * 1000);
    for (const p of [gonePath, keptPath]) await utimes(`${srv.dataDir}/${p}`, old, old);
    await sql(srv.dataDir, `UPDATE jobs SET run_at = 0 WHERE kind = 'maintenance.hourly' AND status = 'queued'`);
    const exists = (p) => access(`${srv.dataDir}/${p}`).then(() => true, () => false);
    for (let i = 0; i < 300 && await exists(gonePath); i++) await new Promise((ok) => setTimeout(ok, 100));
    assert.equal(await exists(gonePath), false, 'the removed document\'s file is still in the store');
    assert.deepEqual(await readFile(`${srv.dataDir}/${keptPath}`), bytes.kept);
    const res = await as.admin.get(`/calendar/${slug}/documents/${keptId}/file`);
    assert.equal(res.status, 200);
    assert.deepEqual(Buffer.from(await res.arrayBuffer()), bytes.kept);
  });
});
