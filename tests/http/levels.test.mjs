// levels.test.mjs -- black-box tests of src/membership/levels.c,
// src/sponsorship/tiers.c and pledges.c: the Benefits
// page and its JSON twin, the Sponsor page and its pledge form (messages,
// CSRF, the stored row, the two mails), sponsors thanked publicly only once
// confirmed, the secretariat's queue of pledges with its status change, the
// levels and tiers edited by the secretariat (audited, and seen on the
// public pages), and who may open the secretariat's pages.  One real server
// on a fresh database; the administrator is made with `alliance user add`.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import {
  Browser, hiddenFields, mainOf, mailsTo, nextMail, personWithRole, sql, sqlText,
  sqlValue, uniqueEmail,
} from '../lib/accounts.mjs';

let srv;
let admin;   // a signed-in administrator (Browser)
let member;  // a signed-in member (Browser)

/** The secretariat's address: the one inside mail_from's angle brackets. */
const SECRETARIAT = 'secretariat@alliance.example.org';

before(async () => {
  srv = await startServer({
    env: { ALLIANCE_MAIL_FROM: `"Alliance, Secretariat" <${SECRETARIAT}>` },
  });
  admin = (await personWithRole(srv, { role: 'admin', name: 'Ada Admin' })).browser;
  member = (await personWithRole(srv, { role: 'member', name: 'Mo Member' })).browser;
});

after(async () => { if (srv) await srv.stop(); });

/** A pledge as the form sends it, with fields overridden. */
function pledge(fields = {}) {
  return {
    sponsor_name: 'Friends of Justice',
    contact_name: 'Carla Contact',
    contact_email: uniqueEmail('sponsor'),
    tier: '',
    amount: '300',
    currency: 'EUR',
    purpose: 'library',
    purpose_detail: 'The collection on restorative justice',
    consent: '1',
    ...fields,
  };
}

/** Posts a pledge through /sponsor as a fresh visitor (its csrf from the
 * page); resolves to the response. */
async function postPledge(fields) {
  const b = new Browser(srv.url);
  const page = await b.html('/sponsor');
  return b.post('/sponsor', { ...hiddenFields(page, '/sponsor'), ...pledge(fields) });
}

/** The id of the newest pledge of a sponsor. */
async function pledgeIdOf(sponsor) {
  const id = await sqlValue(srv.dataDir,
    `SELECT id FROM pledges WHERE sponsor_name = ${sqlText(sponsor)} ORDER BY id DESC LIMIT 1`);
  assert.ok(id, `no pledge from ${sponsor}`);
  return Number(id);
}

/** Sets a pledge's status through the queue's form, as the administrator. */
async function setStatus(id, status) {
  const page = await admin.html('/admin/pledges');
  return admin.post(`/admin/pledges/${id}/status`, { csrf: hiddenFields(page).csrf, status });
}

describe('Benefits', () => {
  test('benefits_shows_the_three_seeded_levels_with_their_benefits_and_dues', async () => {
    const html = mainOf(await new Browser(srv.url).html('/benefits'));
    for (const name of ['Full member organisation', 'Associate member organisation', 'Individual member']) {
      assert.match(html, new RegExp(`<h2[^>]*>${name}</h2>`));
    }
    // benefits as Markdown rendered into a list, who may apply as a paragraph
    assert.match(html, /<li>Designate representatives to the Alliance in Vienna, New York and Geneva<\/li>/);
    assert.match(html, /<p>Individuals who work on crime prevention and criminal justice/);
    // dues, period and grace as people read them
    assert.equal((html.match(/<dd>Free<\/dd>/g) || []).length, 3);
    assert.match(html, /Calendar year \(1 January to 31 December\)/);
    assert.match(html, /Rolling twelve months/);
    assert.match(html, /60 days after the period ends/);
    assert.match(html, /30 days after the period ends/);
    for (const slug of ['full', 'associate', 'individual']) assert.match(html, new RegExp(`href="/join/${slug}"`));
  });

  test('benefits_json_twin_lists_the_levels_in_order', async () => {
    const res = await fetch(`${srv.url}/api/v1/benefits`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type'), /application\/json/);
    const body = await res.json();
    assert.deepEqual(body.levels.map((l) => l.slug), ['full', 'associate', 'individual']);
    const full = body.levels[0];
    assert.equal(full.dues_amount, 0);
    assert.equal(full.dues_text, 'Free');
    assert.equal(full.requires_un_status, 1);
    assert.match(full.benefits_md, /^- Take part/);
    assert.match(full.benefits_html, /<li>Take part in the Alliance/);
  });

  test('benefits_markdown_from_the_secretariat_renders_without_raw_html', async () => {
    const page = await admin.html('/admin/levels');
    const action = '/admin/levels/3';
    const form = levelForm(page, 3);
    const res = await admin.post(action, { ...hiddenFields(page, action), ...form,
      benefits_md: `${form.benefits_md}\n- <script>alert(1)</script> [x](javascript:alert(1))` });
    assert.equal(res.status, 303, await res.text());
    const html = mainOf(await new Browser(srv.url).html('/benefits'));
    assert.doesNotMatch(html, /<script>alert/);
    assert.doesNotMatch(html, /href="javascript:/);
  });
});

describe('the pledge form', () => {
  test('sponsor_page_lists_the_tiers_purposes_and_the_form', async () => {
    const html = mainOf(await new Browser(srv.url).html('/sponsor'));
    assert.match(html, /Supporter: USD 500\.00/);
    assert.match(html, /Partner: USD 2,500\.00/);
    assert.match(html, /Patron: USD 10,000\.00/);
    for (const p of ['General support', 'A sprint team at a Commission', 'A collection of the resource library',
      'A working party', 'A meeting']) assert.ok(html.includes(p), p);
    for (const c of ['USD', 'EUR', 'GBP', 'CHF']) assert.match(html, new RegExp(`<option value="${c}"`));
    assert.match(html, /<form class="form" method="post" action="\/sponsor"/);
  });

  test('pledge_rejects_missing_tier_and_amount', async () => {
    const before = await sqlValue(srv.dataDir, 'SELECT count(*) FROM pledges');
    const res = await postPledge({ sponsor_name: 'Nothing Pledged', amount: '', tier: '' });
    const html = await res.text();
    assert.equal(res.status, 422);
    assert.match(html, /Please choose a tier or give an amount/);
    // what was typed is kept
    assert.match(html, /value="Nothing Pledged"/);
    assert.equal(await sqlValue(srv.dataDir, 'SELECT count(*) FROM pledges'), before);
  });

  test('pledge_rejects_missing_consent_and_unknown_tier', async () => {
    const res = await postPledge({ sponsor_name: 'No Consent', consent: '', tier: 'platinum', amount: '' });
    const html = await res.text();
    assert.equal(res.status, 422);
    assert.match(html, /<a href="#consent">[^<]*privacy policy/);
    assert.match(html, /<input id="consent" name="consent" type="checkbox" value="1" required aria-invalid="true" aria-describedby="consent-error"> <span>I have read the <a href="\/privacy">privacy policy<\/a>/);
    assert.match(html, /<p class="field-error" id="consent-error">/);
    assert.match(html, /please choose one of the tiers listed/);
    assert.equal(await sqlValue(srv.dataDir, "SELECT count(*) FROM pledges WHERE sponsor_name = 'No Consent'"), '0');
  });

  test('pledge_without_consent_is_refused_with_its_message_and_nothing_is_written', async () => {
    const count = await sqlValue(srv.dataDir, 'SELECT count(*) FROM pledges');
    const audits = await sqlValue(srv.dataDir, "SELECT count(*) FROM audit_log WHERE action = 'pledge.create'");
    // the box left unticked, the field left out, and a value that is not yes
    for (const consent of ['', undefined, '0']) {
      const fields = pledge({ sponsor_name: 'Unconsenting Sponsor', consent });
      if (consent === undefined) delete fields.consent;
      const b = new Browser(srv.url);
      const page = await b.html('/sponsor');
      const res = await b.post('/sponsor', { ...hiddenFields(page, '/sponsor'), ...fields });
      const html = await res.text();
      assert.equal(res.status, 422, String(consent));
      assert.match(html, /(Please agree to the privacy policy to send a pledge|Agreement to the privacy policy is required)/, String(consent));
    }
    // asked for JSON, the answer says the same, by field
    const b = new Browser(srv.url);
    const page = await b.html('/sponsor');
    const res = await b.post('/sponsor', { ...hiddenFields(page, '/sponsor'),
      ...pledge({ sponsor_name: 'Unconsenting Sponsor', consent: '' }) }, { accept: 'application/json' });
    assert.equal(res.status, 422);
    assert.match((await res.json()).errors.consent, /privacy policy/);
    assert.equal(await sqlValue(srv.dataDir, 'SELECT count(*) FROM pledges'), count);
    assert.equal(await sqlValue(srv.dataDir, "SELECT count(*) FROM audit_log WHERE action = 'pledge.create'"), audits);
    assert.equal((await mailsTo(srv.dataDir, SECRETARIAT)).filter((m) => /Unconsenting/.test(m.msg.decoded.subject)).length, 0);
  });

  test('pledge_is_stored_with_its_audit_record_and_both_mails', async () => {
    const t0 = Math.floor(Date.now() / 1000);
    const email = uniqueEmail('pledger');
    const seenContact = (await mailsTo(srv.dataDir, email)).length;
    const seenSecretariat = (await mailsTo(srv.dataDir, SECRETARIAT)).length;
    const res = await postPledge({ sponsor_name: 'Acme Foundation', contact_email: email, amount: '300', currency: 'EUR' });
    assert.equal(res.status, 303, await res.text());
    assert.equal(res.headers.get('location'), '/sponsor/thanks');

    const rows = await sql(srv.dataDir, 'SELECT sponsor_name, contact_email, tier_id, amount, currency, purpose, ' +
      `status, thank_publicly FROM pledges WHERE contact_email = ${sqlText(email)}`);
    assert.deepEqual(rows, [['Acme Foundation', email, '', '30000', 'EUR', 'library', 'new', '0']]);
    const id = await pledgeIdOf('Acme Foundation');
    // when the privacy policy was agreed to
    const [[consentAt, createdAt]] = await sql(srv.dataDir, `SELECT consent_at, created_at FROM pledges WHERE id = ${id}`);
    assert.ok(Number(consentAt) >= t0 && Number(consentAt) <= Math.ceil(Date.now() / 1000), consentAt);
    assert.equal(consentAt, createdAt);
    const after = await sqlValue(srv.dataDir, "SELECT after_json FROM audit_log WHERE action = 'pledge.create' " +
      `AND object_type = 'pledge' AND object_id = '${id}'`);
    assert.equal(JSON.parse(after).consent_at, Number(consentAt));

    const thanks = await nextMail(srv.dataDir, email, seenContact);
    assert.equal(thanks.msg.decoded.subject, 'Thank you for your pledge');
    assert.match(thanks.text, /EUR 300\.00/);
    // the address is not confirmed: nothing typed into the form goes to it
    assert.ok(!thanks.text.includes('Acme Foundation') && !thanks.text.includes('Carla Contact'), thanks.text);
    assert.ok(!thanks.text.includes('restorative justice'), thanks.text);
    assert.doesNotMatch(thanks.msg.decoded.to, /Carla/, 'the typed name is the display name');
    const notice = await nextMail(srv.dataDir, SECRETARIAT, seenSecretariat, { subject: 'New pledge from Acme Foundation' });
    assert.match(notice.text, /EUR 300\.00/);
    assert.ok(notice.text.includes(email));
    assert.match(notice.text, /\/admin\/pledges/);

    const page = await new Browser(srv.url).html('/sponsor/thanks');
    assert.match(page, /Thank you for your pledge/);
  });

  test('pledge_with_a_tier_alone_takes_the_tier_and_its_currency', async () => {
    const email = uniqueEmail('tier');
    const seen = (await mailsTo(srv.dataDir, email)).length;
    const res = await postPledge({ sponsor_name: 'Tiered Trust', contact_email: email, tier: 'partner', amount: '', currency: 'CHF' });
    assert.equal(res.status, 303, await res.text());
    const rows = await sql(srv.dataDir, 'SELECT t.slug, p.amount IS NULL, p.currency FROM pledges p ' +
      `JOIN sponsorship_tiers t ON t.id = p.tier_id WHERE p.contact_email = ${sqlText(email)}`);
    assert.deepEqual(rows, [['partner', '1', 'USD']]);
    const mail = await nextMail(srv.dataDir, email, seen);
    assert.match(mail.text, /the Partner tier \(USD 2,500\.00\)/);
  });

  test('pledge_without_csrf_is_refused', async () => {
    const b = new Browser(srv.url);
    await b.html('/sponsor'); // the csrf cookie, but no token in the body
    const res = await b.post('/sponsor', pledge({ sponsor_name: 'No Token' }));
    assert.equal(res.status, 403);
    assert.equal(await sqlValue(srv.dataDir, "SELECT count(*) FROM pledges WHERE sponsor_name = 'No Token'"), '0');
  });
});

describe('sponsors thanked publicly', () => {
  test('thanked_pledge_appears_on_sponsor_only_after_the_secretariat_confirms_it', async () => {
    const res = await postPledge({ sponsor_name: 'Open Hands Society', thank_publicly: '1', purpose: 'meeting' });
    assert.equal(res.status, 303, await res.text());
    const quiet = await postPledge({ sponsor_name: 'Quiet Benefactor', purpose: 'meeting' });
    assert.equal(quiet.status, 303);
    assert.doesNotMatch(await new Browser(srv.url).html('/sponsor'), /Open Hands Society/);

    assert.equal((await setStatus(await pledgeIdOf('Open Hands Society'), 'confirmed')).status, 303);
    assert.equal((await setStatus(await pledgeIdOf('Quiet Benefactor'), 'confirmed')).status, 303);
    const html = mainOf(await new Browser(srv.url).html('/sponsor'));
    assert.match(html, /<strong>Open Hands Society<\/strong>: A meeting/);
    // who did not ask to be thanked is not named, and contacts never are
    assert.doesNotMatch(html, /Quiet Benefactor/);
    assert.doesNotMatch(html, /Carla Contact/);

    // declined: gone again
    assert.equal((await setStatus(await pledgeIdOf('Open Hands Society'), 'declined')).status, 303);
    assert.doesNotMatch(await new Browser(srv.url).html('/sponsor'), /Open Hands Society/);
  });
});

describe('the secretariat', () => {
  test('pledge_queue_filters_by_status_and_the_change_is_audited', async () => {
    assert.equal((await postPledge({ sponsor_name: 'Filter One' })).status, 303);
    assert.equal((await postPledge({ sponsor_name: 'Filter Two' })).status, 303);
    const id = await pledgeIdOf('Filter Two');
    const res = await setStatus(id, 'received');
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/admin/pledges?done=status');

    const received = mainOf(await admin.html('/admin/pledges?status=received'));
    assert.match(received, /Filter Two/);
    assert.doesNotMatch(received, /Filter One/);
    const fresh = mainOf(await admin.html('/admin/pledges?status=new'));
    assert.match(fresh, /Filter One/);
    assert.doesNotMatch(fresh, /Filter Two/);
    // the queue shows when the sponsor agreed to the privacy policy
    const row = fresh.slice(fresh.indexOf('Filter One'));
    assert.match(row.slice(0, row.indexOf('</tr>')), /Privacy policy agreed <time datetime="\d{4}-\d\d-\d\dT/);
    // newest first when unfiltered
    const all = mainOf(await admin.html('/admin/pledges'));
    assert.ok(all.indexOf('Filter Two') < all.indexOf('Filter One'), 'not newest first');

    const rows = await sql(srv.dataDir, 'SELECT before_json, after_json FROM audit_log ' +
      `WHERE action = 'pledge.status' AND object_id = '${id}'`);
    assert.equal(rows.length, 1);
    assert.deepEqual(JSON.parse(rows[0][0]), { status: 'new' });
    assert.deepEqual(JSON.parse(rows[0][1]), { status: 'received' });
    assert.equal(await sqlValue(srv.dataDir, `SELECT status, decided_at IS NOT NULL FROM pledges WHERE id = ${id}`), 'received');
  });

  test('pledge_status_rejects_unknown_values_and_pledges', async () => {
    const id = await pledgeIdOf('Filter One');
    assert.equal((await setStatus(id, 'paid')).status, 422);
    assert.equal((await setStatus(id, 'new')).status, 422);
    assert.equal((await setStatus(999999, 'confirmed')).status, 404);
    const filter = await admin.get('/admin/pledges?status=lost');
    assert.equal(filter.status, 422);
  });

  test('level_edit_changes_benefits_and_is_audited', async () => {
    const page = await admin.html('/admin/levels');
    const action = '/admin/levels/2';
    const res = await admin.post(action, { ...hiddenFields(page, action), ...levelForm(page, 2),
      name: 'Associate member', dues: '150', currency: 'USD', grace_days: '45' });
    assert.equal(res.status, 303, await res.text());
    assert.equal(res.headers.get('location'), '/admin/levels?done=saved');

    const html = mainOf(await new Browser(srv.url).html('/benefits'));
    assert.match(html, /<h2[^>]*>Associate member<\/h2>/);
    assert.match(html, /USD 150\.00 a year/);
    assert.match(html, /45 days after the period ends/);

    const rows = await sql(srv.dataDir, 'SELECT before_json, after_json FROM audit_log ' +
      "WHERE action = 'level.update' AND object_id = '2'");
    assert.equal(rows.length, 1);
    assert.deepEqual(JSON.parse(rows[0][0]),
      { name: 'Associate member organisation', dues_amount: 0, grace_days: 60 });
    assert.deepEqual(JSON.parse(rows[0][1]), { name: 'Associate member', dues_amount: 15000, grace_days: 45 });

    // the same values again change nothing and record nothing
    const again = await admin.html('/admin/levels');
    const res2 = await admin.post(action, { ...hiddenFields(again, action), ...levelForm(again, 2) });
    assert.equal(res2.status, 303);
    assert.equal(await sqlValue(srv.dataDir, "SELECT count(*) FROM audit_log WHERE action = 'level.update' AND object_id = '2'"), '1');
  });

  test('level_edit_rejects_bad_input_with_the_form_again', async () => {
    const page = await admin.html('/admin/levels');
    const action = '/admin/levels/1';
    const res = await admin.post(action, { ...hiddenFields(page, action), ...levelForm(page, 1),
      dues: '-5', period: 'monthly' });
    const html = await res.text();
    assert.equal(res.status, 422);
    assert.match(html, /Dues a year/);
    assert.match(html, /Period/);
    assert.equal(await sqlValue(srv.dataDir, 'SELECT period FROM membership_levels WHERE id = 1'), 'calendar');
    assert.equal((await admin.post('/admin/levels/99', { ...hiddenFields(page, action), ...levelForm(page, 1) })).status, 404);
  });

  test('tier_edit_and_new_tier_show_on_sponsor', async () => {
    let page = await admin.html('/admin/tiers');
    let res = await admin.post('/admin/tiers', { ...hiddenFields(page, '/admin/tiers'),
      slug: 'benefactor', name: 'Benefactor', amount: '25000', currency: 'CHF', description_md: 'Makes *everything* possible.' });
    assert.equal(res.status, 303, await res.text());
    assert.equal(res.headers.get('location'), '/admin/tiers?done=added');
    let html = mainOf(await new Browser(srv.url).html('/sponsor'));
    assert.match(html, /Benefactor: CHF 25,000\.00/);
    assert.match(html, /Makes <em>everything<\/em> possible/);
    assert.equal(await sqlValue(srv.dataDir, "SELECT count(*) FROM audit_log WHERE action = 'tier.create'"), '1');

    page = await admin.html('/admin/tiers');
    res = await admin.post('/admin/tiers/1', { ...hiddenFields(page, '/admin/tiers/1'),
      name: 'Supporter', amount: '750', currency: 'USD', description_md: 'Keeps the news flowing.', position: '1' });
    assert.equal(res.status, 303, await res.text());
    html = mainOf(await new Browser(srv.url).html('/sponsor'));
    assert.match(html, /Supporter: USD 750\.00/);
    const after = await sqlValue(srv.dataDir, "SELECT after_json FROM audit_log WHERE action = 'tier.update'");
    assert.deepEqual(JSON.parse(after), { amount: 75000, description_md: 'Keeps the news flowing.' });
  });

  test('new_tier_with_a_taken_slug_is_409', async () => {
    const page = await admin.html('/admin/tiers');
    const count = await sqlValue(srv.dataDir, 'SELECT count(*) FROM sponsorship_tiers');
    const res = await admin.post('/admin/tiers', { ...hiddenFields(page, '/admin/tiers'),
      slug: 'patron', name: 'Another patron', amount: '1', currency: 'USD' });
    const html = await res.text();
    assert.equal(res.status, 409);
    assert.match(html, /another tier has this one already/);
    assert.match(html, /value="Another patron"/);
    assert.equal(await sqlValue(srv.dataDir, 'SELECT count(*) FROM sponsorship_tiers'), count);
    const bad = await admin.post('/admin/tiers', { ...hiddenFields(page, '/admin/tiers'),
      slug: 'Not A Slug', name: 'x', amount: '1', currency: 'USD' });
    assert.equal(bad.status, 422);
  });

  test('amounts_typed_with_decimals_and_separators_are_stored_in_exact_cents_and_shown_back', async () => {
    const action = '/admin/levels/3';
    for (const [typed, cents, shown, text] of [
      ['1,250.50', '125050', '1250.50', 'USD 1,250.50 a year'],
      ['150.5', '15050', '150.50', 'USD 150.50 a year'],
      ['0.29', '29', '0.29', 'USD 0.29 a year'], // 28.999... in floating point
      ['150', '15000', '150.00', 'USD 150.00 a year'],
    ]) {
      const page = await admin.html('/admin/levels');
      const res = await admin.post(action, { ...hiddenFields(page, action), ...levelForm(page, 3),
        dues: typed, currency: 'USD' });
      assert.equal(res.status, 303, `${typed}: ${await res.text()}`);
      assert.equal(await sqlValue(srv.dataDir, 'SELECT dues_amount FROM membership_levels WHERE id = 3'), cents, typed);
      // the form shows the stored amount back with two decimals, and saving it as shown changes nothing
      const again = await admin.html('/admin/levels');
      assert.equal(levelForm(again, 3).dues, shown, typed);
      assert.ok(mainOf(await new Browser(srv.url).html('/benefits')).includes(text), text);
    }
    const audits = await sqlValue(srv.dataDir, "SELECT count(*) FROM audit_log WHERE action = 'level.update' AND object_id = '3'");
    const page = await admin.html('/admin/levels');
    assert.equal((await admin.post(action, { ...hiddenFields(page, action), ...levelForm(page, 3) })).status, 303);
    assert.equal(await sqlValue(srv.dataDir, "SELECT count(*) FROM audit_log WHERE action = 'level.update' AND object_id = '3'"), audits);

    // tiers: an edited and a new one
    let tiers = await admin.html('/admin/tiers');
    let res = await admin.post('/admin/tiers', { ...hiddenFields(tiers, '/admin/tiers'),
      slug: 'friend', name: 'Friend', amount: '2,500.75', currency: 'EUR' });
    assert.equal(res.status, 303, await res.text());
    assert.equal(await sqlValue(srv.dataDir, "SELECT amount FROM sponsorship_tiers WHERE slug = 'friend'"), '250075');
    assert.match(mainOf(await new Browser(srv.url).html('/sponsor')), /Friend: EUR 2,500\.75/);
    const id = await sqlValue(srv.dataDir, "SELECT id FROM sponsorship_tiers WHERE slug = 'friend'");
    tiers = await admin.html('/admin/tiers');
    assert.match(tiers, new RegExp(`id="amount-${id}"[^>]*value="2500\\.75"`));
    res = await admin.post(`/admin/tiers/${id}`, { ...hiddenFields(tiers, `/admin/tiers/${id}`),
      name: 'Friend', amount: '99.9', currency: 'EUR', description_md: '', position: '9' });
    assert.equal(res.status, 303, await res.text());
    assert.equal(await sqlValue(srv.dataDir, `SELECT amount FROM sponsorship_tiers WHERE id = ${id}`), '9990');

    // a pledge of an amount with cents
    const email = uniqueEmail('cents');
    const seen = (await mailsTo(srv.dataDir, email)).length;
    res = await postPledge({ sponsor_name: 'Cents Trust', contact_email: email, amount: '1,000.05', currency: 'GBP' });
    assert.equal(res.status, 303, await res.text());
    assert.equal(await sqlValue(srv.dataDir, `SELECT amount FROM pledges WHERE contact_email = ${sqlText(email)}`), '100005');
    assert.match((await nextMail(srv.dataDir, email, seen)).text, /GBP 1,000\.05/);
  });

  test('amounts_refuse_negative_three_decimals_letters_decimal_commas_and_absurd_sums', async () => {
    const action = '/admin/levels/1';
    const before = await sqlValue(srv.dataDir, 'SELECT dues_amount FROM membership_levels WHERE id = 1');
    for (const [typed, message] of [
      ['-5', /Dues a year cannot be negative/],
      ['150.505', /Dues a year can have at most two decimals/],
      ['abc', /Dues a year must be a sum like 150, 150\.50 or 1,250\.00/],
      ['150,50', /Dues a year must be a sum like/],
      ['1.250,00', /Dues a year must be a sum like/],
      ['1e3', /Dues a year must be a sum like/],
      ['10,000,000.01', /Dues a year is more than the largest sum allowed/],
      ['99999999999999999999999', /Dues a year is more than the largest sum allowed/],
    ]) {
      const page = await admin.html('/admin/levels');
      const res = await admin.post(action, { ...hiddenFields(page, action), ...levelForm(page, 1), dues: typed });
      const html = await res.text();
      assert.equal(res.status, 422, typed);
      assert.match(html, message, typed);
      // what was typed is shown again to be corrected
      assert.ok(html.includes(`value="${typed}"`), `${typed} not shown back`);
      assert.equal(await sqlValue(srv.dataDir, 'SELECT dues_amount FROM membership_levels WHERE id = 1'), before, typed);
    }
    const tiers = await admin.html('/admin/tiers');
    const res = await admin.post('/admin/tiers', { ...hiddenFields(tiers, '/admin/tiers'),
      slug: 'too-precise', name: 'Too precise', amount: '10.001', currency: 'USD' });
    assert.equal(res.status, 422);
    assert.match(await res.text(), /Amount can have at most two decimals/);
    assert.equal(await sqlValue(srv.dataDir, "SELECT count(*) FROM sponsorship_tiers WHERE slug = 'too-precise'"), '0');
    for (const amount of ['0', '-1', '12.345', 'ten']) {
      const p = await postPledge({ sponsor_name: `Bad Amount ${amount}`, amount });
      assert.equal(p.status, 422, amount);
      assert.match(await p.text(), /Amount (must be more than zero|cannot be negative|can have at most two decimals|must be a sum like)/, amount);
      assert.equal(await sqlValue(srv.dataDir, `SELECT count(*) FROM pledges WHERE sponsor_name = ${sqlText(`Bad Amount ${amount}`)}`), '0');
    }
  });

  test('visitor_and_member_cannot_reach_the_secretariat_pages', async () => {
    for (const path of ['/admin/levels', '/admin/tiers', '/admin/pledges']) {
      const visitor = await new Browser(srv.url).get(path);
      assert.equal(visitor.status, 303, path);
      assert.equal(visitor.headers.get('location'), `/signin?next=${encodeURIComponent(path)}`);
      const m = await member.get(path);
      assert.equal(m.status, 403, path);
    }
    // nor change anything
    const page = await member.html('/account');
    const res = await member.post('/admin/levels/1', { csrf: hiddenFields(page).csrf,
      name: 'Taken over', summary: 's', dues: '1', currency: 'USD', period: 'calendar', grace_days: '1' });
    assert.equal(res.status, 403);
    assert.equal(await sqlValue(srv.dataDir, 'SELECT name FROM membership_levels WHERE id = 1'), 'Full member organisation');
  });

  test('secretariat_pages_link_to_each_other', async () => {
    const html = mainOf(await admin.html('/admin/levels'));
    for (const href of ['/admin/pledges', '/admin/levels', '/admin/tiers']) assert.match(html, new RegExp(`href="${href}"`));
    assert.match(html, /<a href="\/admin\/levels" aria-current="page">/);
  });
});

/**
 * The visible fields of level id's edit form on /admin/levels, as the
 * browser would send them (the checkbox only when checked).
 */
function levelForm(html, id) {
  const esc = `/admin/levels/${id}`.replace(/\//g, '\\/');
  const form = new RegExp(`<form\\b[^>]*action="${esc}"[\\s\\S]*?</form>`).exec(html)?.[0];
  assert.ok(form, `no form for level ${id}`);
  const un = (s) => s.replace(/&quot;/g, '"').replace(/&#39;|&#x27;/g, "'")
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  const out = {};
  for (const m of form.matchAll(/<input\b[^>]*>/g)) {
    const name = /name="([^"]*)"/.exec(m[0])?.[1];
    if (!name || name === 'csrf') continue;
    if (/type="checkbox"/.test(m[0])) {
      if (/\bchecked\b/.test(m[0])) out[name] = '1';
    } else {
      out[name] = un(/value="([^"]*)"/.exec(m[0])?.[1] ?? '');
    }
  }
  for (const m of form.matchAll(/<textarea\b[^>]*name="([^"]*)"[^>]*>([\s\S]*?)<\/textarea>/g)) out[m[1]] = un(m[2]);
  for (const m of form.matchAll(/<select\b[^>]*name="([^"]*)"[^>]*>([\s\S]*?)<\/select>/g)) {
    out[m[1]] = /<option value="([^"]*)" selected>/.exec(m[2])?.[1] ?? '';
  }
  return out;
}

describe('a server whose mail_from cannot receive mail', () => {
  test('pledge_is_kept_without_the_secretariat_notice_when_mail_from_is_localhost', async () => {
    const other = await startServer(); // mail_from: secretariat@localhost
    try {
      const b = new Browser(other.url);
      const page = await b.html('/sponsor');
      const email = uniqueEmail('localhost');
      const res = await b.post('/sponsor', { ...hiddenFields(page, '/sponsor'),
        ...pledge({ sponsor_name: 'Kept Anyway', contact_email: email }) });
      assert.equal(res.status, 303, await res.text());
      assert.equal(await sqlValue(other.dataDir, "SELECT count(*) FROM pledges WHERE sponsor_name = 'Kept Anyway'"), '1');
      assert.equal((await nextMail(other.dataDir, email, 0)).msg.decoded.subject, 'Thank you for your pledge');
      assert.equal(await sqlValue(other.dataDir, "SELECT count(*) FROM outbox WHERE to_addr LIKE '%localhost'"), '0');
    } finally {
      await other.stop();
    }
  });
});
