// answer_document.test.mjs -- black-box tests of the document an applicant
// may send with the answer to the secretariat's question
// (src/applications/answer.c, messages.c, review.c's download route): a
// PDF sent with the answer is kept in the upload store with the answer's
// row, the review page links it, and the secretariat downloads the same
// bytes (attachment, octet-stream, nosniff); a visitor is sent to sign in
// and a member refused; a document too large or of another kind is a 422
// with the form again and the message next to the field, and nothing is
// written (the link still works, no row, no file); a fourth document for
// one application in a day is a 429 next to the field.  One real server on a
// fresh database (SQLite, or PostgreSQL with ALLIANCE_TEST_DATABASE).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { startServer } from '../lib/server.mjs';
import {
  Browser, hiddenFields, linkIn, mailsTo, mainOf, nextMail, personWithRole, sql, sqlText,
  sqlValue, unescapeHtml,
} from '../lib/accounts.mjs';

const MiB = 1024 * 1024;
let srv;
let admin;
let member;

before(async () => {
  srv = await startServer();
  admin = await personWithRole(srv, { role: 'admin', name: 'Ada Admin' });
  member = await personWithRole(srv, { role: 'member', name: 'Mo Member' });
});

after(async () => { if (srv) await srv.stop(); });

let n = 0;
/** An associate organisation's application with a question asked about
 * it; resolves to {id, email, link}. */
async function askedApplication() {
  n += 1;
  const email = `doc${n}@doc${n}.example.net`;
  const b = new Browser(srv.url);
  const page = await b.html('/join/associate');
  const res = await b.post('/join/associate', {
    ...hiddenFields(page, '/join/associate'), name: `Doc Applicant ${n}`, email,
    org_name: `Doc Network ${n}`, org_acronym: 'DN', country: 'AT',
    org_website: `https://doc${n}.example.net/`, org_description: 'We run prison visits.',
    org_contact_address: 'Ringstrasse 1\n1010 Vienna', consent: '1',
  });
  assert.equal(res.status, 303, mainOf(await res.text()).slice(0, 1000));
  const id = Number(await sqlValue(srv.dataDir,
    `SELECT max(id) FROM applications WHERE applicant_email = ${sqlText(email)}`));
  const seen = (await mailsTo(srv.dataDir, email)).length;
  const asked = await admin.browser.submit(`/admin/applications/${id}`, `/admin/applications/${id}/ask`,
    { question: 'Please send us your ECOSOC letter.' });
  assert.equal(asked.status, 303, await asked.text());
  const mail = await nextMail(srv.dataDir, email, seen, { subject: 'A question about your application' });
  return { id, email, link: linkIn(mail, '/join/answer/') };
}

/** Posts the answer page's form at link as multipart with a document
 * (bytes, file name, type); resolves to the response. */
async function answerWith(link, bytes, filename, type) {
  const b = new Browser(srv.url);
  const page = await b.html(link);
  assert.match(page, /enctype="multipart\/form-data"/);
  assert.match(page, /<input id="document" name="document" type="file"/);
  const fd = new FormData();
  for (const [k, v] of Object.entries(hiddenFields(page, link))) fd.append(k, v);
  fd.append('answer', 'Here is our letter.');
  fd.append('document', new Blob([bytes], { type }), filename);
  return b.send('POST', link, { body: fd });
}

async function storedFiles() {
  const dir = join(srv.dataDir, 'uploads');
  const out = [];
  for (const d of await readdir(dir).catch(() => [])) {
    if (d === 'tmp') continue;
    for (const f of await readdir(join(dir, d)).catch(() => [])) out.push(`${d}/${f}`);
  }
  return out.sort();
}

describe('a document sent with the answer', () => {
  let app;
  let docId;
  const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(3000, 7), Buffer.from('\n%%EOF\n')]);

  test('answer_with_a_pdf_is_stored_with_the_answer', async () => {
    app = await askedApplication();
    const res = await answerWith(app.link, pdf, 'ECOSOC letter 2026.pdf', 'application/pdf');
    assert.equal(res.status, 303, mainOf(await res.text()).slice(0, 1500));
    assert.equal(res.headers.get('location'), '/join/answered');
    const rows = await sql(srv.dataDir, 'SELECT id, attachment_path, attachment_name, attachment_type, ' +
      `attachment_size FROM application_messages WHERE application_id = ${app.id} AND kind = 'answer'`);
    assert.equal(rows.length, 1);
    const [id, path, name, type, size] = rows[0];
    docId = Number(id);
    assert.match(path, /^uploads\/[0-9a-f]{2}\/[0-9a-f]{64}$/);
    assert.equal(name, 'ECOSOC letter 2026.pdf');
    assert.equal(type, 'application/pdf');
    assert.equal(size, String(pdf.length));
    assert.ok((await storedFiles()).includes(path.replace(/^uploads\//, '')));
  });

  test('review_page_links_the_document_and_the_secretariat_downloads_the_same_bytes', async () => {
    const page = unescapeHtml(mainOf(await admin.browser.html(`/admin/applications/${app.id}`)));
    const href = `/admin/applications/${app.id}/documents/${docId}`;
    assert.ok(page.includes(`href="${href}"`), 'no link to the document on the review page');
    assert.ok(page.includes('ECOSOC letter 2026.pdf'));
    const res = await admin.browser.get(href);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/octet-stream');
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(res.headers.get('content-disposition'), 'attachment; filename="ECOSOC_letter_2026.pdf"');
    assert.deepEqual(Buffer.from(await res.arrayBuffer()), pdf);
    // another application's number with this answer's: not found
    const other = await admin.browser.get(`/admin/applications/${app.id + 1000}/documents/${docId}`);
    assert.equal(other.status, 404);
    await other.arrayBuffer();
  });

  test('a_visitor_is_sent_to_sign_in_and_a_member_is_refused', async () => {
    const href = `/admin/applications/${app.id}/documents/${docId}`;
    const visitor = await new Browser(srv.url).get(href);
    assert.ok([303, 403].includes(visitor.status), `visitor: ${visitor.status}`);
    if (visitor.status === 303) assert.match(visitor.headers.get('location'), /^\/signin/);
    assert.ok(!Buffer.from(await visitor.arrayBuffer()).includes(Buffer.from('%PDF')));
    const m = await member.browser.get(href);
    assert.equal(m.status, 403);
    assert.ok(!Buffer.from(await m.arrayBuffer()).includes(Buffer.from('%PDF')));
  });
});

describe('what the document field refuses', () => {
  for (const [what, bytes, filename, type, message] of [
    ['too_large', Buffer.alloc(5 * MiB + 1, 1), 'big.pdf', 'application/pdf',
      'This document is too large: the limit is 5 MB.'],
    ['of_another_kind', Buffer.from('#!/bin/sh\necho hi\n'), 'run.sh', 'application/x-sh',
      'Please send a PDF, an image or an office document (Word, Excel, LibreOffice).'],
  ]) {
    test(`a_document_${what}_is_422_with_the_message_next_to_the_field_and_nothing_written`, async () => {
      const app = await askedApplication();
      const files = await storedFiles();
      const res = await answerWith(app.link, bytes, filename, type);
      assert.equal(res.status, 422);
      const main = unescapeHtml(mainOf(await res.text()));
      assert.ok(main.includes(`<p class="field-error" id="document-error">${message}</p>`), main.slice(0, 3000));
      assert.match(main, /<input id="document" name="document" type="file"[^>]*aria-invalid="true" aria-describedby="document-error"/);
      assert.ok(main.includes('href="#document"'), 'the summary does not link the field');
      assert.equal(await sqlValue(srv.dataDir,
        `SELECT count(*) FROM application_messages WHERE application_id = ${app.id} AND kind = 'answer'`), '0');
      assert.equal(await sqlValue(srv.dataDir, `SELECT status FROM applications WHERE id = ${app.id}`), 'more-info');
      assert.deepEqual(await storedFiles(), files);
      // the link still works
      await new Browser(srv.url).html(app.link);
    });
  }
});

describe('documents per application', () => {
  test('the_fourth_document_of_one_application_in_a_day_is_429_next_to_the_field_and_stores_nothing', async () => {
    const app = await askedApplication();
    let { link } = app;
    for (let i = 1; i <= 4; i += 1) {
      if (i > 1) {
        const seen = (await mailsTo(srv.dataDir, app.email)).length;
        const asked = await admin.browser.submit(`/admin/applications/${app.id}`,
          `/admin/applications/${app.id}/ask`, { question: `Round ${i}: one more document, please.` });
        assert.equal(asked.status, 303, await asked.text());
        const mail = await nextMail(srv.dataDir, app.email, seen, { subject: 'A question about your application' });
        link = linkIn(mail, '/join/answer/');
      }
      const res = await answerWith(link, Buffer.from(`%PDF-1.4 round ${i}\n`), `round${i}.pdf`, 'application/pdf');
      if (i < 4) {
        assert.equal(res.status, 303, mainOf(await res.text()).slice(0, 1500));
        continue;
      }
      assert.equal(res.status, 429);
      assert.ok(res.headers.get('retry-after'));
      const main = unescapeHtml(mainOf(await res.text()));
      assert.match(main, /<p class="field-error" id="document-error">Too many documents have been sent/);
    }
    assert.equal(await sqlValue(srv.dataDir, 'SELECT count(*) FROM application_messages ' +
      `WHERE application_id = ${app.id} AND kind = 'answer' AND attachment_path IS NOT NULL`), '3');
    assert.equal(await sqlValue(srv.dataDir, `SELECT status FROM applications WHERE id = ${app.id}`), 'more-info');
  });
});
