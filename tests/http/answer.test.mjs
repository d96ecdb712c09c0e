// answer.test.mjs -- black-box tests of the applicant's answer to the
// secretariat's question (src/applications/answer.c, with review.c's "ask"): the
// question's e-mail carries a private link; its page shows the question and
// the application as sent; one answer (Markdown) with corrections of the
// organisation's fields is stored, the application is submitted again,
// audited, and both sides get mail; the review page shows the conversation
// in order, round after round, until the secretariat decides.  Links that
// are unknown, used, replaced, expired or of a decided application are
// refused with a page that says so; CSRF; and migration 0012 on a database
// that already holds questions and pledges.  One real server on a fresh
// database; e-mails are read from DATA/outbox/.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { startServer } from '../lib/server.mjs';
import {
  Browser, hiddenFields, linkIn, mailsTo, mainOf, nextMail, personWithRole, sql, sqlText,
  sqlValue, unescapeHtml,
} from '../lib/accounts.mjs';

const SECRETARIAT = 'secretariat@alliance.test';

let srv;
let admin; // {browser, email, name}

before(async () => {
  srv = await startServer({ env: { ALLIANCE_MAIL_FROM: `Alliance secretariat <${SECRETARIAT}>` } });
  admin = await personWithRole(srv, { role: 'admin', name: 'Ada Admin' });
});

after(async () => { if (srv) await srv.stop(); });

let n = 0;
/** Sends an associate organisation's application as a visitor; resolves
 * to {id, email, fields}. */
async function applyOrg(over = {}) {
  n += 1;
  const fields = {
    name: `Asked Applicant ${n}`, email: `asked${n}@asked${n}.example.net`,
    org_name: `Asked Network ${n}`, org_acronym: 'AN', country: 'AT',
    org_website: `https://asked${n}.example.net/`, org_description: 'We run prison visits.',
    org_contact_address: 'Ringstrasse 1\n1010 Vienna', consent: '1', ...over,
  };
  const b = new Browser(srv.url);
  const page = await b.html('/join/associate');
  const res = await b.post('/join/associate', { ...hiddenFields(page, '/join/associate'), ...fields });
  assert.equal(res.status, 303, `POST /join/associate: ${mainOf(await res.text()).slice(0, 1000)}`);
  const id = Number(await sqlValue(srv.dataDir,
    `SELECT max(id) FROM applications WHERE applicant_email = ${sqlText(fields.email)}`));
  return { id, email: fields.email, fields };
}

/** Posts a decision form of the review page as the admin. */
function decide(id, what, fields = {}) {
  return admin.browser.submit(`/admin/applications/${id}`, `/admin/applications/${id}/${what}`, fields);
}

/** Asks question about application app as the admin and resolves to the
 * path of the link the applicant's e-mail carries. */
async function ask(app, question) {
  const seen = (await mailsTo(srv.dataDir, app.email)).length;
  const res = await decide(app.id, 'ask', { question });
  assert.equal(res.status, 303, await res.text());
  const mail = await nextMail(srv.dataDir, app.email, seen, { subject: 'A question about your application' });
  assert.ok(mail.text.includes(question), 'the question is not in the e-mail');
  return linkIn(mail, '/join/answer/');
}

/** Opens the answer page at link in a fresh browser and posts its form
 * with fields; resolves to {browser, response, page}. */
async function answer(link, fields) {
  const b = new Browser(srv.url);
  const page = await b.html(link);
  const response = await b.post(link, { ...hiddenFields(page, link), ...fields });
  return { browser: b, response, page };
}

const statusOf = (id) => sqlValue(srv.dataDir, `SELECT status FROM applications WHERE id = ${id}`);
const messagesOf = (id) => sql(srv.dataDir,
  `SELECT kind, body, used_at IS NOT NULL FROM application_messages WHERE application_id = ${id} ORDER BY id`);

describe('a question answered on its page, round after round, then approved', () => {
  let app;
  let link;

  test('ask_emails_a_private_link_kept_only_as_a_digest', async () => {
    app = await applyOrg();
    link = await ask(app, 'Which UN meetings did you attend last year?');
    const token = link.split('/').pop();
    assert.match(token, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(await statusOf(app.id), 'more-info');
    const [row] = await sql(srv.dataDir, 'SELECT kind, token_hash, expires_at - created_at FROM application_messages ' +
      `WHERE application_id = ${app.id}`);
    assert.equal(row[0], 'question');
    assert.match(row[1], /^[0-9a-f]{64}$/);
    assert.notEqual(row[1], token);
    assert.equal(row[2], String(30 * 86400));
    assert.equal(await sqlValue(srv.dataDir, `SELECT count(*) FROM application_messages WHERE token_hash = ${sqlText(token)}`), '0');
  });

  test('answer_page_shows_the_question_and_the_application_read_only_with_the_form', async () => {
    const res = await new Browser(srv.url).get(link);
    const html = await res.text();
    assert.equal(res.status, 200);
    assert.match(res.headers.get('cache-control') ?? '', /no-store/);
    const main = unescapeHtml(mainOf(html));
    assert.ok(main.includes('Which UN meetings did you attend last year?'));
    for (const s of [app.fields.org_name, 'We run prison visits.', app.fields.name, 'Ringstrasse 1']) {
      assert.ok(main.includes(s), `${s} is not on the page`);
    }
    assert.match(main, /<textarea id="answer" name="answer"/);
    assert.match(main, new RegExp(`<input id="org_name" name="org_name"[^>]*value="${app.fields.org_name}"`));
    // the country by name: in the facts, and chosen in the form's list
    assert.match(main, /<dt>Country<\/dt><dd>Austria<\/dd>/);
    assert.match(main, /<select id="country" name="country" required autocomplete="off">/);
    assert.match(main, /<option value="AT" selected>Austria<\/option>/);
    // nothing of the secretariat's own: no duplicates, no decisions
    assert.doesNotMatch(main, /Possible duplicates|\/approve"/);
    // the same as JSON, for clients of the API
    const json = await (await new Browser(srv.url).get(`/api/v1${link}`)).json();
    assert.equal(json.question.body, 'Which UN meetings did you attend last year?');
    assert.equal(json.application.id, app.id);
  });

  test('answer_is_stored_the_application_submitted_again_audited_and_both_told', async () => {
    const seenApplicant = (await mailsTo(srv.dataDir, app.email)).length;
    const seenSecretariat = (await mailsTo(srv.dataDir, SECRETARIAT)).length;
    const { response } = await answer(link, {
      answer: 'The **Crime Commission** and the UNCAC conference.',
      org_acronym: 'ANW', org_website: '', org_name: app.fields.org_name,
    });
    assert.equal(response.status, 303, await response.text());
    assert.equal(response.headers.get('location'), '/join/answered');
    assert.match(mainOf(await new Browser(srv.url).html('/join/answered')), /Thank you for your answer/);

    assert.equal(await statusOf(app.id), 'submitted');
    assert.deepEqual(await messagesOf(app.id), [
      ['question', 'Which UN meetings did you attend last year?', '1'],
      ['answer', 'The **Crime Commission** and the UNCAC conference.', '0'],
    ]);
    // the corrections, and only the fields that changed in the audit record
    assert.deepEqual(await sql(srv.dataDir, `SELECT org_acronym, org_website IS NULL, org_name FROM applications WHERE id = ${app.id}`),
      [['ANW', '1', app.fields.org_name]]);
    const [audit] = await sql(srv.dataDir, 'SELECT actor, before_json, after_json FROM audit_log ' +
      `WHERE action = 'application.answer' AND object_id = '${app.id}'`);
    assert.equal(audit[0], '0');
    assert.deepEqual(JSON.parse(audit[1]), { status: 'more-info', org_acronym: 'AN', org_website: app.fields.org_website });
    assert.deepEqual(JSON.parse(audit[2]), { status: 'submitted', org_acronym: 'ANW', org_website: null,
      answer: 'The **Crime Commission** and the UNCAC conference.' });

    const receipt = await nextMail(srv.dataDir, app.email, seenApplicant, { subject: 'We received your answer' });
    assert.match(receipt.text, /The \*\*Crime Commission\*\* and the UNCAC conference\./);
    const notice = await nextMail(srv.dataDir, SECRETARIAT, seenSecretariat);
    assert.equal(notice.msg.decoded.subject, `Answer about the application: ${app.fields.org_name}`);
    assert.ok(linkIn(notice, `/admin/applications/${app.id}`));
  });

  test('reused_link_is_410_and_changes_nothing', async () => {
    const res = await new Browser(srv.url).get(link);
    assert.equal(res.status, 410);
    // a page that says what happened and what comes next, not "Error 410"
    const gone = mainOf(await res.text());
    assert.match(gone, /<h1 id="page-title">Your answer has been received<\/h1>/);
    assert.match(gone, /Your answer was received on \d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2} UTC, thank you\./);
    assert.match(gone, /writes to you by e-mail/);
    assert.doesNotMatch(gone, /410|Gone|Error/);
    // a second answer through a page opened before the first was sent
    const b = new Browser(srv.url);
    await b.html('/join/answered'); // a csrf cookie, and its token from a form page
    const signup = await b.html('/signup');
    const post = await b.post(link, { csrf: hiddenFields(signup, '/signup').csrf, answer: 'Again' });
    assert.equal(post.status, 410);
    await post.arrayBuffer();
    assert.equal((await messagesOf(app.id)).length, 2);
    assert.equal(await sqlValue(srv.dataDir, `SELECT count(*) FROM audit_log WHERE action = 'application.answer' AND object_id = '${app.id}'`), '1');
  });

  test('review_page_shows_the_conversation_in_order_and_a_second_round_follows', async () => {
    let html = mainOf(await admin.browser.html(`/admin/applications/${app.id}`));
    const q = html.indexOf('Which UN meetings did you attend last year?');
    const a = html.indexOf('<strong>Crime Commission</strong>');
    assert.ok(q > 0 && a > q, 'the question, then the answer (Markdown rendered)');
    assert.match(html, /Question from Ada Admin/);
    assert.match(html, new RegExp(`Answer from ${app.fields.name}, the applicant`));
    assert.match(html, /\(answered\)/);

    const second = await ask(app, 'Who would represent you in Vienna?');
    assert.notEqual(second, link);
    const { response } = await answer(second, { answer: 'Our director, <script>alert(1)</script> Dana.' });
    assert.equal(response.status, 303, await response.text());
    assert.deepEqual((await messagesOf(app.id)).map((m) => m[0]), ['question', 'answer', 'question', 'answer']);
    html = mainOf(await admin.browser.html(`/admin/applications/${app.id}`));
    const order = ['Which UN meetings', 'Crime Commission', 'Who would represent you in Vienna?', 'Our director']
      .map((s) => html.indexOf(s));
    assert.ok(order.every((i, k) => i > 0 && (k === 0 || i > order[k - 1])), `not in order: ${order}`);
    assert.doesNotMatch(html, /<script>alert/);
    // the organisation's fields as corrected are what the secretariat reviews
    assert.match(html, /\(ANW\)/);
  });

  test('secretariat_approves_and_the_links_then_say_it_is_decided', async () => {
    const res = await decide(app.id, 'approve');
    assert.equal(res.status, 303, await res.text());
    assert.equal(await statusOf(app.id), 'approved');
    // the organisation is made with the corrected fields
    assert.equal(await sqlValue(srv.dataDir, `SELECT acronym FROM organisations WHERE name = ${sqlText(app.fields.org_name)}`), 'ANW');
    const gone = await new Browser(srv.url).get(link);
    assert.equal(gone.status, 410);
    assert.match(await gone.text(), /decided already/);
  });
});

describe('links that do not work', () => {
  test('unknown_link_is_404_for_the_page_and_the_answer', async () => {
    const res = await new Browser(srv.url).get(`/join/answer/${'x'.repeat(43)}`);
    assert.equal(res.status, 404);
    assert.match(await res.text(), /This link is not known/);
    const b = new Browser(srv.url);
    const page = await b.html('/signup');
    const post = await b.post('/join/answer/nope', { csrf: hiddenFields(page, '/signup').csrf, answer: 'Hello' });
    assert.equal(post.status, 404);
    await post.arrayBuffer();
  });

  test('link_of_an_application_rejected_before_it_was_answered_is_410', async () => {
    const app = await applyOrg();
    const link = await ask(app, 'Do you work on criminal justice?');
    const page = await new Browser(srv.url).html(link); // opened before the decision
    assert.equal((await decide(app.id, 'reject', { reason: 'Not in our field.' })).status, 303);
    const res = await new Browser(srv.url).get(link);
    assert.equal(res.status, 410);
    assert.match(await res.text(), /decided already/);
    const b = new Browser(srv.url);
    const fresh = await b.html('/signup');
    const post = await b.post(link, { csrf: hiddenFields(fresh, '/signup').csrf, answer: 'Yes we do' });
    assert.equal(post.status, 410);
    await post.arrayBuffer();
    assert.ok(page.includes('Do you work on criminal justice?'));
    assert.equal(await statusOf(app.id), 'rejected');
    assert.equal((await messagesOf(app.id)).length, 1);
  });

  test('a_newer_question_replaces_the_link_of_an_unanswered_one', async () => {
    const app = await applyOrg();
    const first = await ask(app, 'First question?');
    const second = await ask(app, 'Second question, replacing the first?');
    const old = await new Browser(srv.url).get(first);
    assert.equal(old.status, 410);
    assert.match(await old.text(), /newer question/);
    const page = mainOf(await new Browser(srv.url).html(second));
    assert.match(page, /Second question, replacing the first\?/);
    // the first is still part of the conversation
    assert.match(page, /Your conversation with the secretariat/);
    const { response } = await answer(second, { answer: 'Both answered here.' });
    assert.equal(response.status, 303, await response.text());
    assert.equal(await statusOf(app.id), 'submitted');
  });

  test('expired_link_is_410', async () => {
    const app = await applyOrg();
    const link = await ask(app, 'Still there?');
    await sql(srv.dataDir, `UPDATE application_messages SET expires_at = created_at - 1 WHERE application_id = ${app.id}`);
    const res = await new Browser(srv.url).get(link);
    assert.equal(res.status, 410);
    assert.match(await res.text(), /expired/);
  });
});

describe('what the answer form refuses', () => {
  let app;
  let link;
  before(async () => {
    app = await applyOrg();
    link = await ask(app, 'Tell us more?');
  });

  test('answer_requires_csrf', async () => {
    const b = new Browser(srv.url);
    await b.html(link); // the csrf cookie, but no token in the body
    const res = await b.post(link, { answer: 'No token' });
    assert.equal(res.status, 403);
    await res.arrayBuffer();
    assert.equal(await statusOf(app.id), 'more-info');
    assert.equal((await messagesOf(app.id)).length, 1);
  });

  test('answer_rejects_an_empty_answer_and_an_emptied_name_and_keeps_the_link', async () => {
    let { response } = await answer(link, { answer: '   ' });
    let html = await response.text();
    assert.equal(response.status, 422);
    assert.match(html, /Your answer is required/);
    ({ response } = await answer(link, { answer: 'Here it is', org_name: '', country: 'XX',
      org_website: 'not a url', org_acronym: 'A'.repeat(31) }));
    html = await response.text();
    assert.equal(response.status, 422);
    assert.match(html, /Organisation name cannot be left empty/);
    assert.match(html, /Country must name a known country, like Austria or AT/);
    assert.match(html, /Website must be a web address/);
    assert.match(html, /Acronym must be at most 30 characters/);
    assert.match(html, /<textarea id="answer" name="answer"[^>]*>Here it is<\/textarea>/, 'what was typed is kept');
    assert.doesNotMatch(html, /<option value="[A-Z]{2}" selected>/, 'an unknown country selects none');
    ({ response } = await answer(link, { answer: 'Here it is', org_name: '', country: 'KE' }));
    assert.match(await response.text(), /<option value="KE" selected>Kenya<\/option>/, 'the chosen country is kept');
    ({ response } = await answer(link, { answer: 'x'.repeat(5001) }));
    assert.equal(response.status, 422);
    assert.match(await response.text(), /Your answer must be at most 5000 characters/);
    // nothing stored, and the link still works
    assert.equal(await statusOf(app.id), 'more-info');
    assert.equal((await messagesOf(app.id)).length, 1);
    assert.equal(await sqlValue(srv.dataDir, `SELECT org_name FROM applications WHERE id = ${app.id}`), app.fields.org_name);
    ({ response } = await answer(link, { answer: 'Now properly.' }));
    assert.equal(response.status, 303, await response.text());
    // fields not sent are left as they were
    assert.deepEqual(await sql(srv.dataDir, `SELECT org_name, org_acronym, org_country FROM applications WHERE id = ${app.id}`),
      [[app.fields.org_name, 'AN', 'AT']]);
  });
});

describe('migration 0012 on a database with questions and pledges', () => {
  test('old_pledges_get_consent_at_created_at_and_asked_questions_start_the_conversation', async () => {
    const other = await startServer({
      beforeServe: async ({ bin, dataDir, env }) => {
        // back to the state before 0012, with a pledge and a question asked then
        await sql(dataDir, `
          DROP TABLE application_messages;
          ALTER TABLE pledges DROP COLUMN consent_at;
          DELETE FROM schema_migrations WHERE version = 12;
          INSERT INTO people (id, email, name, role, created_at) VALUES (77, 'old@example.org', 'Olga Old', 'admin', 1700000000);
          INSERT INTO pledges (sponsor_name, contact_name, contact_email, amount, purpose, created_at)
            VALUES ('Old Sponsor', 'Old Contact', 'old-sponsor@example.org', 1000, 'general', 1700000100);
          INSERT INTO applications (id, level_id, status, applicant_name, applicant_email, consent_at, submitted_at, reason)
            VALUES (5, 2, 'more-info', 'Old Applicant', 'old-applicant@example.org', 1700000000, 1700000000, 'Second?');
          INSERT INTO audit_log (at, actor, action, object_type, object_id, after_json) VALUES
            ('2023-11-14T22:15:00Z', 77, 'application.ask', 'application', '5', '{"question":"First?","status":"more-info"}'),
            ('2023-11-15T08:00:00Z', 12345, 'application.ask', 'application', '5', '{"question":"Second?","status":"more-info"}');`);
        await new Promise((ok, fail) => execFile(bin, ['migrate', '--data', dataDir], { env },
          (err, stdout, stderr) => (err ? fail(new Error(stderr)) : ok())));
      },
    });
    try {
      assert.deepEqual(await sql(other.dataDir, "SELECT consent_at FROM pledges WHERE sponsor_name = 'Old Sponsor'"), [['1700000100']]);
      assert.deepEqual(await sql(other.dataDir, 'SELECT kind, body, coalesce(CAST(author_id AS TEXT), \'\'), created_at, ' +
        'CASE WHEN token_hash IS NULL THEN 1 ELSE 0 END ' +
        'FROM application_messages WHERE application_id = 5 ORDER BY id'), [
        ['question', 'First?', '77', String(Date.parse('2023-11-14T22:15:00Z') / 1000), '1'],
        ['question', 'Second?', '', String(Date.parse('2023-11-15T08:00:00Z') / 1000), '1'],
      ]);
    } finally {
      await other.stop();
    }
  });
});

describe('limits on answers', () => {
  /** Sets a limit's count as if its window had started a minute ago. */
  const preset = (key, count) => sqlValue(srv.dataDir, `INSERT INTO rate_limits (key, window_start, count)
    VALUES (${sqlText(key)}, ${Math.floor(Date.now() / 1000) - 60}, ${count})
    ON CONFLICT (key) DO UPDATE SET window_start = excluded.window_start, count = excluded.count`);

  test('answer_past_the_limit_of_its_address_is_429_with_the_page_again_and_stores_nothing', async () => {
    const app = await applyOrg();
    const link = await ask(app, 'Which prisons do you visit?');
    await preset(`join-answer:addr:${app.email}`, 5);
    const seen = (await mailsTo(srv.dataDir, app.email)).length;
    const { response } = await answer(link, { answer: 'Three in Vienna.' });
    const html = await response.text();
    assert.equal(response.status, 429);
    assert.ok(Number(response.headers.get('retry-after')) > 0);
    assert.match(mainOf(html), /Too many answers have been sent from your connection or to this address/);
    assert.match(mainOf(html), /Three in Vienna\./, 'the answer as typed is kept in the form');
    assert.equal(await statusOf(app.id), 'more-info');
    assert.deepEqual((await messagesOf(app.id)).map((m) => m[2]), ['0']);
    assert.equal((await mailsTo(srv.dataDir, app.email)).length, seen);
    // the link still works once the window has passed
    await sqlValue(srv.dataDir, `DELETE FROM rate_limits WHERE key = ${sqlText(`join-answer:addr:${app.email}`)}`);
    const again = await answer(link, { answer: 'Three in Vienna.' });
    assert.equal(again.response.status, 303);
  });

  test('answer_past_the_limit_of_its_client_is_429_as_json_too', async () => {
    const app = await applyOrg();
    const link = await ask(app, 'How many volunteers?');
    await preset('join-answer:client:127.0.0.1', 20);
    try {
      const b = new Browser(srv.url);
      const page = await b.html(link);
      const res = await b.post(link, { ...hiddenFields(page, link), answer: 'Forty.' }, { accept: 'application/json' });
      assert.equal(res.status, 429);
      assert.match((await res.json()).error.message, /Too many answers/);
      assert.equal(await statusOf(app.id), 'more-info');
    } finally {
      await sqlValue(srv.dataDir, "DELETE FROM rate_limits WHERE key = 'join-answer:client:127.0.0.1'");
    }
  });
});
