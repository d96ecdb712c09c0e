// join.test.mjs -- black-box tests of Join and the secretariat's review
// (src/applications/join.c, review.c): an organisation and an individual from the
// form through approval to the invitation's first sign-in, the UN status a
// full member must show, rejection and questions with their e-mails,
// possible duplicates, decisions that cannot be made twice, CSRF, and who
// may open the queue.  One real server on a fresh database; e-mails are
// read from DATA/outbox/.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import {
  Browser, PASSWORD, hiddenFields, linkIn, mailsTo, mainOf, nextMail,
  personWithRole, signIn, sql, sqlText, sqlValue, unescapeHtml,
} from '../lib/accounts.mjs';

const SECRETARIAT = 'secretariat@alliance.test';

let srv;
let admin; // {browser, email}
let member;

before(async () => {
  srv = await startServer({
    env: { ALLIANCE_MAIL_FROM: `Alliance secretariat <${SECRETARIAT}>` },
  });
  admin = await personWithRole(srv, { role: 'admin', name: 'Ada Admin' });
  member = await personWithRole(srv, { role: 'member', name: 'Mo Member' });
});

after(async () => { if (srv) await srv.stop(); });

/** Today as YYYY-MM-DD in UTC, and the date n days after d. */
const today = () => new Date().toISOString().slice(0, 10);
function addDays(iso, n) {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}
/** The last day of a rolling period starting on iso. */
function rollingEnd(iso) {
  const [y, m, d] = iso.split('-').map(Number);
  const next = new Date(Date.UTC(y + 1, m - 1, d));
  if (next.getUTCMonth() !== m - 1) return `${y + 1}-02-28`; // from 29 February
  return addDays(next.toISOString().slice(0, 10), -1);
}

/**
 * Opens /join/LEVEL in browser (a fresh visitor by default) and posts its
 * form with fields ({name: value} or [[name, value], ...] for repeats).
 */
async function apply(level, fields, browser = new Browser(srv.url)) {
  const page = await browser.html(`/join/${level}`);
  const pairs = Array.isArray(fields) ? fields : Object.entries(fields);
  return browser.post(`/join/${level}`, [...Object.entries(hiddenFields(page, `/join/${level}`)), ...pairs]);
}

/** Applies and asserts the 303 to /join/thanks; resolves to the id. */
async function applyOk(level, fields) {
  const res = await apply(level, fields);
  const body = await res.text();
  assert.equal(res.status, 303, `POST /join/${level}: ${res.status} ${mainOf(body).slice(0, 1500)}`);
  assert.equal(res.headers.get('location'), '/join/thanks');
  const email = (Array.isArray(fields) ? Object.fromEntries(fields) : fields).email.toLowerCase();
  const id = await sqlValue(srv.dataDir,
    `SELECT max(id) FROM applications WHERE applicant_email = ${sqlText(email)}`);
  assert.ok(id, 'no application row');
  return Number(id);
}

let orgCounter = 0;
/** The fields of a full member's application with ECOSOC status. */
function fullFields(over = {}) {
  orgCounter += 1;
  return {
    org_name: `Justice Network ${orgCounter}`,
    org_acronym: 'JN',
    country: 'AT',
    org_website: `https://jn${orgCounter}.example.net/`,
    org_description: 'We work on prison reform.',
    org_contact_address: 'Ringstrasse 1\n1010 Vienna',
    ecosoc_status: 'special',
    ecosoc_year: '2005',
    name: `Applicant ${orgCounter}`,
    email: `applicant${orgCounter}@jn${orgCounter}.example.net`,
    consent: '1',
    ...over,
  };
}

/** The admin's view of application id (HTML of <main>). */
async function review(id) {
  return mainOf(await admin.browser.html(`/admin/applications/${id}`));
}

/** Posts a decision form of the detail page as the admin. */
async function decide(id, what, fields = {}) {
  return admin.browser.submit(`/admin/applications/${id}`, `/admin/applications/${id}/${what}`, fields);
}

/** Opens the invitation sent to email, posts its form, and returns the
 * signed-in browser. */
async function acceptInvitation(email, seen = 0) {
  const mail = await nextMail(srv.dataDir, email, seen, { subject: 'Welcome to the Alliance' });
  const link = linkIn(mail, '/signin/link?token=');
  const b = new Browser(srv.url);
  const res = await b.submit(link, '/signin/link');
  assert.equal(res.status, 303, `POST /signin/link: ${await res.text()}`);
  return b;
}

describe('the join pages', () => {
  test('join_lists_every_level_with_its_form', async () => {
    const html = mainOf(await new Browser(srv.url).html('/join'));
    for (const slug of ['full', 'associate', 'individual']) {
      assert.match(html, new RegExp(`href="/join/${slug}"`), slug);
    }
  });

  test('join_form_of_full_level_asks_for_un_status', async () => {
    const html = mainOf(await new Browser(srv.url).html('/join/full'));
    assert.match(html, /name="ecosoc_status"/);
    assert.match(html, /name="dgc_year"/);
    assert.match(html, /name="rep3_email"/);
    assert.match(html, /name="focal"/);
    const assoc = mainOf(await new Browser(srv.url).html('/join/associate'));
    assert.doesNotMatch(assoc, /name="ecosoc_status"/);
    assert.match(assoc, /name="org_name"/);
    // countries as a list of names whose values are the codes
    assert.match(assoc, /<label for="country">Country of its seat<\/label>/);
    assert.match(assoc, /<select id="country" name="country" required autocomplete="off">\n<option value="">Choose a country<\/option>/);
    assert.match(assoc, /<option value="AT">Austria<\/option>/);
    assert.doesNotMatch(assoc, /two-letter code|<option value="[A-Z]{2}" selected>/);
    const ind = mainOf(await new Browser(srv.url).html('/join/individual'));
    assert.match(ind, /<select id="country" name="country" required autocomplete="country">/);
    assert.match(ind, /<option value="KE">Kenya<\/option>/);
    assert.doesNotMatch(ind, /name="org_name"/);
    assert.match(ind, /name="statement"/);
  });

  test('join_form_of_unknown_level_is_404', async () => {
    const res = await new Browser(srv.url).get('/join/no-such-level');
    await res.arrayBuffer();
    assert.equal(res.status, 404);
  });
});

describe('an organisation from the form to its first sign-in', () => {
  let id;
  let fields;
  let existing; // a member named as a representative

  test('organisation_application_is_stored_with_receipt_and_notice', async () => {
    existing = await personWithRole(srv, { role: 'member', name: 'Rita Existing' });
    fields = fullFields({
      org_name: 'Société pour la Justice',
      org_website: 'https://www.societe-justice.example.org/about',
      email: 'Director@Societe-Justice.example.org',
      name: 'Dana Director',
      post: 'vienna',
      rank: 'main',
      rep1_name: 'Niko New',
      rep1_email: 'niko@societe-justice.example.org',
      rep1_post: 'new-york',
      rep1_rank: 'alternate',
      rep2_name: 'Rita Existing',
      rep2_email: existing.email,
    });
    const secretariatSeen = (await mailsTo(srv.dataDir, SECRETARIAT)).length;
    id = await applyOk('full', [...Object.entries(fields),
      ['focal', 'corruption'], ['focal', 'crime-prevention']]);
    const [row] = await sql(srv.dataDir, `SELECT status, org_name, ecosoc_status, ecosoc_year,
      focal_areas, applicant_email FROM applications WHERE id = ${id}`);
    assert.deepEqual(row, ['submitted', 'Société pour la Justice', 'special', '2005',
      'corruption,crime-prevention', 'director@societe-justice.example.org']);
    const receipt = await nextMail(srv.dataDir, fields.email, 0, { subject: 'We received your application' });
    // the address is not confirmed: the receipt echoes nothing typed
    assert.ok(!receipt.text.includes('Société pour la Justice'), receipt.text);
    const notice = await nextMail(srv.dataDir, SECRETARIAT, secretariatSeen);
    assert.match(notice.msg.decoded.subject, /New membership application: Société pour la Justice/);
    assert.ok(linkIn(notice, `/admin/applications/${id}`));
    assert.equal(await sqlValue(srv.dataDir,
      `SELECT count(*) FROM audit_log WHERE action = 'application.submit' AND object_id = '${id}'`), '1');
  });

  test('thanks_page_says_what_happens_next', async () => {
    const html = mainOf(await new Browser(srv.url).html('/join/thanks'));
    assert.match(html, /Thank you for applying/);
  });

  test('queue_lists_the_open_application_and_detail_shows_what_was_sent', async () => {
    const list = mainOf(await admin.browser.html('/admin/applications'));
    assert.match(list, new RegExp(`href="/admin/applications/${id}"`));
    const html = unescapeHtml(await review(id));
    for (const s of ['Société pour la Justice', 'Dana Director', 'Niko New', 'Rita Existing',
      'Corruption', 'Crime Prevention', 'Special consultative status with ECOSOC since 2005', 'Ringstrasse 1',
      '<dt>Country</dt><dd>Austria</dd>']) {
      assert.ok(html.includes(s), `${s} not on the page`);
    }
    // a representative's post and rank as words, not the stored codes
    assert.match(html, /Niko New \([^)]*\), New York \(Alternate\)/);
    assert.match(html, /Dana Director \([^)]*\), main contact, Vienna \(Main representative\)/);
    assert.doesNotMatch(html, /new-york|\(alternate\)|\(main\)/);
    assert.match(html, /action="\/admin\/applications\/\d+\/approve"/);
    const filtered = mainOf(await admin.browser.html('/admin/applications?status=rejected'));
    assert.doesNotMatch(filtered, new RegExp(`href="/admin/applications/${id}"`));
  });

  test('approval_creates_organisation_membership_representatives_and_invitations', async () => {
    const res = await decide(id, 'approve');
    assert.equal(res.status, 303, await res.text());
    assert.equal(res.headers.get('location'), `/admin/applications/${id}?done=approved`);
    const [org] = await sql(srv.dataDir, `SELECT id, slug, name_key, email_domain, ecosoc_status,
      ecosoc_year, country, website FROM organisations WHERE name = 'Société pour la Justice'`);
    assert.ok(org, 'no organisation');
    const [orgId, slug, key, domain, ecosoc, year, country, website] = org;
    assert.equal(slug, 'societe-pour-la-justice');
    assert.equal(key, 'societe pour la justice');
    assert.equal(domain, 'societe-justice.example.org');
    assert.deepEqual([ecosoc, year, country, website],
      ['special', '2005', 'AT', 'https://www.societe-justice.example.org/about']);
    assert.deepEqual((await sql(srv.dataDir, `SELECT f.slug FROM organisation_focal_areas o
      JOIN focal_areas f ON f.id = o.focal_area_id WHERE o.organisation_id = ${orgId}
      ORDER BY f.slug`)).map((r) => r[0]), ['corruption', 'crime-prevention']);
    const [ms] = await sql(srv.dataDir, `SELECT state, period_start, period_end, person_id IS NULL,
      l.slug FROM memberships m JOIN membership_levels l ON l.id = m.level_id
      WHERE organisation_id = ${orgId}`);
    const t = today();
    // a calendar year; from 1 October on, to the end of the next one
    const endYear = Number(t.slice(0, 4)) + (Number(t.slice(5, 7)) >= 10 ? 1 : 0);
    assert.deepEqual(ms, ['active', t, `${endYear}-12-31`, '1', 'full']);
    const reps = await sql(srv.dataDir, `SELECT p.email, r.main_contact, coalesce(r.un_post, ''),
      coalesce(r.un_rank, ''), p.role, p.password_hash IS NULL FROM representatives r
      JOIN people p ON p.id = r.person_id WHERE r.organisation_id = ${orgId} ORDER BY p.email`);
    const byEmail = (a, b) => a[0].localeCompare(b[0]);
    assert.deepEqual(reps.sort(byEmail), [
      ['director@societe-justice.example.org', '1', 'vienna', 'main', 'member', '1'],
      ['niko@societe-justice.example.org', '0', 'new-york', 'alternate', 'member', '1'],
      [existing.email.toLowerCase(), '0', '', '', 'member', '0'],
    ].sort(byEmail));
    // the existing account is linked, not copied
    assert.equal(await sqlValue(srv.dataDir,
      `SELECT count(*) FROM people WHERE email = ${sqlText(existing.email.toLowerCase())}`), '1');
    const [app] = await sql(srv.dataDir, `SELECT status, organisation_id, membership_id IS NOT NULL,
      decided_by IS NOT NULL FROM applications WHERE id = ${id}`);
    assert.deepEqual(app, ['approved', orgId, '1', '1']);
    for (const action of ['application.approve', 'organisation.create', 'membership.create']) {
      assert.ok(Number(await sqlValue(srv.dataDir,
        `SELECT count(*) FROM audit_log WHERE action = '${action}'`)) >= 1, action);
    }
    // every representative is invited
    for (const email of [fields.email, 'niko@societe-justice.example.org', existing.email]) {
      const mail = await nextMail(srv.dataDir, email, 0, { subject: 'Welcome to the Alliance' });
      assert.ok(linkIn(mail, '/signin/link?token='));
    }
    const html = mainOf(await admin.browser.html(`/admin/applications/${id}?done=approved`));
    assert.match(html, /The application is approved/);
    // its own organisation is not a duplicate of it
    assert.doesNotMatch(html, /\(organisation \d+\): same/);
    assert.doesNotMatch(html, /\/approve"/, 'the decision forms are gone');
  });

  test('invitation_signs_the_representative_in_and_a_password_can_be_chosen', async () => {
    const b = await acceptInvitation(fields.email);
    const account = mainOf(await b.html('/account'));
    assert.match(account, /Dana Director/);
    const res = await b.submit('/account', '/account/password', { password: PASSWORD });
    assert.equal(res.status, 303, await res.text());
    const again = await signIn(srv, fields.email.toLowerCase(), PASSWORD);
    assert.match(mainOf(await again.html('/account')), /Dana Director/);
  });

  test('approving_twice_is_409', async () => {
    // the layout's sign-out form carries the token: the page has no decision forms now
    const csrf = hiddenFields(await admin.browser.html(`/admin/applications/${id}`)).csrf;
    const res = await admin.browser.post(`/admin/applications/${id}/approve`, { csrf });
    const text = await res.text();
    assert.equal(res.status, 409, text);
    // the decision in words, not the stored status
    assert.match(text, /decided already \(Approved\)/);
    assert.equal(await sqlValue(srv.dataDir,
      "SELECT count(*) FROM organisations WHERE name = 'Société pour la Justice'"), '1');
  });
});

describe('an individual from the form to the first sign-in', () => {
  test('individual_application_approved_gives_a_rolling_membership_and_an_invitation', async () => {
    const email = 'ivy.individual@example.com';
    const id = await applyOk('individual', [
      ['name', 'Ivy Individual'], ['email', email], ['country', 'KE'],
      ['statement', 'I research juvenile justice.'], ['focal', 'corruption'], ['consent', '1']]);
    await nextMail(srv.dataDir, email, 0, { subject: 'We received your application' });
    const html = unescapeHtml(await review(id));
    assert.ok(html.includes('I research juvenile justice.'));
    const res = await decide(id, 'approve');
    assert.equal(res.status, 303, await res.text());
    const [p] = await sql(srv.dataDir, `SELECT id, name, role, country, password_hash IS NULL
      FROM people WHERE email = '${email}'`);
    assert.deepEqual(p.slice(1), ['Ivy Individual', 'member', 'KE', '1']);
    const [ms] = await sql(srv.dataDir, `SELECT state, period_start, period_end,
      organisation_id IS NULL, l.slug FROM memberships m
      JOIN membership_levels l ON l.id = m.level_id WHERE person_id = ${p[0]}`);
    const t = today();
    assert.deepEqual(ms, ['active', t, rollingEnd(t), '1', 'individual']);
    assert.equal(await sqlValue(srv.dataDir, `SELECT count(*) FROM person_focal_areas pf
      JOIN focal_areas f ON f.id = pf.focal_area_id WHERE pf.person_id = ${p[0]}
      AND f.slug = 'corruption'`), '1');
    const b = await acceptInvitation(email);
    assert.match(mainOf(await b.html('/account')), /Ivy Individual/);
    const r = await b.submit('/account', '/account/password', { password: PASSWORD });
    assert.equal(r.status, 303);
  });
});

describe('what the form refuses', () => {
  test('join_rejects_full_level_without_un_status', async () => {
    const before = await sqlValue(srv.dataDir, 'SELECT count(*) FROM applications');
    const res = await apply('full', fullFields({ ecosoc_status: '', ecosoc_year: '' }));
    const html = mainOf(await res.text());
    assert.equal(res.status, 422);
    assert.match(html, /Full membership needs UN status/);
    // what was typed is kept
    assert.match(html, /value="We work on prison reform\.|>We work on prison reform\.</);
    assert.match(html, /<option value="AT" selected>Austria<\/option>/, 'the chosen country is kept');
    assert.equal(await sqlValue(srv.dataDir, 'SELECT count(*) FROM applications'), before);
  });

  test('join_accepts_full_level_with_dgc_association_alone', async () => {
    await applyOk('full', fullFields({
      ecosoc_status: '', ecosoc_year: '', dgc_associated: '1', dgc_year: '1999' }));
  });

  test('join_rejects_status_without_year_and_years_in_the_future', async () => {
    let res = await apply('full', fullFields({ ecosoc_year: '' }));
    assert.equal(res.status, 422);
    assert.match(await res.text(), /Year ECOSOC status was granted is required/);
    res = await apply('full', fullFields({ ecosoc_year: String(new Date().getUTCFullYear() + 1) }));
    assert.equal(res.status, 422);
    assert.match(await res.text(), /cannot be in the future/);
    res = await apply('full', fullFields({ ecosoc_year: '1900' }));
    assert.equal(res.status, 422);
  });

  test('join_rejects_missing_consent_and_half_given_representatives', async () => {
    const res = await apply('associate', fullFields({
      consent: '', rep1_name: 'Only A Name', ecosoc_status: '', ecosoc_year: '' }));
    const html = await res.text();
    assert.equal(res.status, 422);
    assert.match(html, /Agreement to the privacy policy is required/);
    assert.match(html, /E-mail of representative 1 is required/);
  });

  test('join_rejects_an_individual_without_statement', async () => {
    const res = await apply('individual', { name: 'No Words', email: 'nw@example.com', country: 'FR', consent: '1' });
    assert.equal(res.status, 422);
    assert.match(await res.text(), /Why you wish to join is required/);
  });

  test('join_requires_csrf', async () => {
    const b = new Browser(srv.url);
    await b.html('/join/individual');
    const res = await b.post('/join/individual', {
      name: 'No Token', email: 'nt@example.com', country: 'FR', statement: 'x', consent: '1' });
    assert.equal(res.status, 403);
    await res.arrayBuffer();
  });
});

describe('rejecting and asking', () => {
  test('reject_needs_a_reason_and_emails_it', async () => {
    const f = fullFields();
    const id = await applyOk('full', f);
    let res = await decide(id, 'reject', { reason: '' });
    assert.equal(res.status, 422);
    assert.match(await res.text(), /Reason is required/);
    const seen = (await mailsTo(srv.dataDir, f.email)).length;
    res = await decide(id, 'reject', { reason: 'Your organisation does not work on criminal justice.' });
    assert.equal(res.status, 303, await res.text());
    assert.equal(await sqlValue(srv.dataDir, `SELECT status FROM applications WHERE id = ${id}`), 'rejected');
    const mail = await nextMail(srv.dataDir, f.email, seen, { subject: 'Your application to the Alliance' });
    assert.match(mail.text, /does not work on criminal justice/);
    assert.equal(await sqlValue(srv.dataDir,
      `SELECT count(*) FROM audit_log WHERE action = 'application.reject' AND object_id = '${id}'`), '1');
    // decided: approval and questions are refused
    const csrf = hiddenFields(await admin.browser.html(`/admin/applications/${id}`)).csrf;
    const again = await admin.browser.post(`/admin/applications/${id}/approve`, { csrf });
    assert.equal(again.status, 409);
    assert.match(await again.text(), /This application has been decided already \(Rejected\); nothing was changed\./);
    const ask = await admin.browser.post(`/admin/applications/${id}/ask`, { csrf, question: 'Hm?' });
    assert.equal(ask.status, 409);
    await ask.arrayBuffer();
    assert.equal(await sqlValue(srv.dataDir, `SELECT count(*) FROM organisations
      WHERE name = ${sqlText(f.org_name)}`), '0');
  });

  test('ask_needs_a_question_emails_it_and_keeps_the_application_open', async () => {
    const f = fullFields();
    const id = await applyOk('full', f);
    let res = await decide(id, 'ask', { question: '  ' });
    assert.equal(res.status, 422);
    // the summary stands with the forms it is about, under "Decide",
    // not above the application's facts
    const body = mainOf(await res.text());
    const summary = body.indexOf('id="error-summary"');
    assert.ok(summary > body.indexOf('>Decide</h2>') && body.indexOf('>Decide</h2>') > body.indexOf('Possible duplicates'),
      'the error summary is under "Decide"');
    assert.equal(body.split('id="error-summary"').length, 2, 'one summary');
    assert.match(body, /id="question-error"/);
    const seen = (await mailsTo(srv.dataDir, f.email)).length;
    res = await decide(id, 'ask', { question: 'Which UN meetings did you attend last year?' });
    assert.equal(res.status, 303, await res.text());
    assert.equal(await sqlValue(srv.dataDir, `SELECT status FROM applications WHERE id = ${id}`), 'more-info');
    const mail = await nextMail(srv.dataDir, f.email, seen, { subject: 'A question about your application' });
    assert.match(mail.text, /Which UN meetings did you attend last year\?/);
    // still open: listed first, and it can be approved
    const list = mainOf(await admin.browser.html('/admin/applications?status=more-info'));
    assert.match(list, new RegExp(`href="/admin/applications/${id}"`));
    const ok = await decide(id, 'approve');
    assert.equal(ok.status, 303, await ok.text());
  });
});

describe('possible duplicates', () => {
  let orgName;
  before(async () => {
    // an existing organisation, approved through the form
    const f = fullFields({
      org_name: 'Fondation Égalité Pénale',
      org_website: 'https://egalite-penale.example.org/',
      email: 'contact@egalite-penale.example.org',
    });
    orgName = f.org_name;
    const id = await applyOk('full', f);
    const res = await decide(id, 'approve');
    assert.equal(res.status, 303, await res.text());
  });

  test('duplicate_flagged_for_same_name_with_other_accents_and_case', async () => {
    const id = await applyOk('associate', fullFields({
      org_name: 'FONDATION egalite  penale', org_website: '', email: 'x@other-one.example.com',
      ecosoc_status: '', ecosoc_year: '' }));
    const html = unescapeHtml(await review(id));
    assert.match(html, new RegExp(`${orgName}</a> \\(organisation \\d+\\): same name`));
  });

  test('duplicate_flagged_for_same_website_host', async () => {
    const id = await applyOk('associate', fullFields({
      org_name: 'Completely Different', org_website: 'http://www.EGALITE-PENALE.example.org/en/',
      email: 'y@other-two.example.com', ecosoc_status: '', ecosoc_year: '' }));
    assert.match(unescapeHtml(await review(id)), /same website host/);
  });

  test('duplicate_flagged_for_same_email_domain_but_not_for_common_providers', async () => {
    const id = await applyOk('associate', fullFields({
      org_name: 'Another Name', org_website: '', email: 'someone@egalite-penale.example.org',
      ecosoc_status: '', ecosoc_year: '' }));
    assert.match(unescapeHtml(await review(id)), /same e-mail domain/);
    const a = await applyOk('associate', fullFields({
      org_name: 'Gmail One', org_website: '', email: 'gmail.one.test@gmail.com',
      ecosoc_status: '', ecosoc_year: '' }));
    await applyOk('associate', fullFields({
      org_name: 'Gmail Two', org_website: '', email: 'gmail.two.test@gmail.com',
      ecosoc_status: '', ecosoc_year: '' }));
    const html = await review(a);
    assert.doesNotMatch(html, /same e-mail domain/);
    assert.match(html, /None found/);
  });

  test('duplicate_flagged_between_two_open_applications', async () => {
    const one = await applyOk('associate', fullFields({
      org_name: 'Twin Justice Project', org_website: '', email: 'a@twin-one.example.com',
      ecosoc_status: '', ecosoc_year: '' }));
    const two = await applyOk('associate', fullFields({
      org_name: 'TWIN JUSTICE PROJECT', org_website: '', email: 'b@twin-two.example.com',
      ecosoc_status: '', ecosoc_year: '' }));
    assert.match(await review(two), new RegExp(`href="/admin/applications/${one}"[^<]*>Twin Justice Project</a> \\(application ${one}\\): same name`));
  });
});

describe('who may review', () => {
  test('visitors_are_sent_to_sign_in_and_members_are_refused', async () => {
    const v = await new Browser(srv.url).get('/admin/applications');
    await v.arrayBuffer();
    assert.equal(v.status, 303);
    assert.match(v.headers.get('location'), /^\/signin\?next=/);
    const m = await member.browser.get('/admin/applications');
    await m.arrayBuffer();
    assert.equal(m.status, 403);
    const d = await member.browser.get('/admin/applications/1');
    await d.arrayBuffer();
    assert.equal(d.status, 403);
  });

  test('decisions_require_csrf', async () => {
    const id = await applyOk('associate', fullFields({ ecosoc_status: '', ecosoc_year: '' }));
    const res = await admin.browser.post(`/admin/applications/${id}/approve`, {});
    assert.equal(res.status, 403);
    await res.arrayBuffer();
    assert.equal(await sqlValue(srv.dataDir, `SELECT status FROM applications WHERE id = ${id}`), 'submitted');
  });

  test('unknown_application_is_404', async () => {
    const res = await admin.browser.get('/admin/applications/999999');
    await res.arrayBuffer();
    assert.equal(res.status, 404);
  });
});
