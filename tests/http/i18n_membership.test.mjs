// i18n_membership.test.mjs -- the pages and e-mails of src/membership/ and
// src/applications/ in French (issue 10, point 4), and Join in Arabic:
// every page, as the role that sees it and with its validation errors
// shown, leaves no English the catalogs translate (untranslatedEnglish of
// tests/lib/i18n.mjs); each letter is in its reader's language -- the
// applicant's receipt in the language the form was sent in, the later
// letters about the application in that language whoever sends them, a
// membership's letters in its contact's -- and the secretariat's notices
// in the default language (English).  One real server on a fresh
// database; e-mails are read from DATA/outbox/.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import {
  Browser, hiddenFields, linkIn, mailsTo, nextMail, personId,
  personWithRole, sql, sqlText, sqlValue,
} from '../lib/accounts.mjs';
import { textContent, untranslatedEnglish } from '../lib/i18n.mjs';

const SECRETARIAT = 'secretariat@alliance.test';

let srv;
let admin; // the secretariat, reading the site in French
let adminEn; // the same person, in English

before(async () => {
  srv = await startServer({
    env: { ALLIANCE_MAIL_FROM: `Alliance secretariat <${SECRETARIAT}>` },
  });
  const a = await personWithRole(srv, { role: 'admin', name: 'Ada Admin' });
  adminEn = a.browser;
  admin = a.browser.clone();
  admin.jar.set('lang', 'fr');
});

after(async () => { if (srv) await srv.stop(); });

/** A visitor whose lang cookie says lang. */
function visitor(lang) {
  const b = new Browser(srv.url);
  b.jar.set('lang', lang);
  return b;
}

/* "New York" is also an office's name, shown from the database in every
 * page's footer: the organisations' catalog leaves it untranslated in
 * Arabic, so an Arabic page shows it either way. */
const DATA_PHRASES = { ar: new Set(['New York']) };

/*
 * The texts of the levels and focal areas: data the secretariat writes
 * (seeded in English), not catalog text, so they are taken out of a page
 * before it is checked ("Take part in ..." of a level's benefits is not
 * the msgid "Take part").  Markdown lines lose their list marks and
 * emphasis, as the page shows them.
 */
let data = null;
async function dataTexts() {
  if (data) return data;
  const rows = await sql(srv.dataDir,
    "SELECT replace(name || '~~' || coalesce(summary, '') || '~~' || coalesce(who_may_apply_md, '') || '~~' ||" +
    " coalesce(benefits_md, ''), '\n', '~~') FROM membership_levels" +
    " UNION ALL SELECT name FROM focal_areas");
  data = rows.flatMap((r) => r.join('|').split('~~'))
    .map((t) => t.replace(/^\s*([-*]|\d+\.)\s+/, '').replace(/[*_`]/g, '').replace(/\s+/g, ' ').trim())
    .filter((t) => t.length > 3)
    .sort((a, b) => b.length - a.length);
  return data;
}

/** Asserts that html (a page in lang) shows no English the catalogs
 * translate, and that it is served as lang. */
async function assertIn(lang, html, what) {
  assert.match(/<html[^>]*>/.exec(html)?.[0] ?? '', new RegExp(`lang="${lang}"`), `${what}: not a ${lang} page`);
  let text = textContent(html).replace(/\u2019/g, "'");
  // the site's name is a setting (data): "Alliance of NGOs on ..."
  const site = /<title>[^<]*\| ([^<|]+)<\/title>/.exec(html)?.[1];
  // longest first: the site's name holds a focal area's ("Crime Prevention")
  const texts = [...(await dataTexts()), ...(site ? [site] : [])].sort((a, b) => b.length - a.length);
  for (const t of texts) text = text.split(t).join(' ');
  const left = untranslatedEnglish(text, lang, { html: false })
    .filter((id) => !DATA_PHRASES[lang]?.has(id));
  assert.deepEqual(left, [], `${what}: English left in the ${lang} page`);
}

/** Asserts a letter's text is in lang (no English the catalogs translate). */
function assertMailIn(lang, mail, what) {
  const left = untranslatedEnglish(`${mail.msg.decoded.subject}\n${mail.text}`, lang, { html: false });
  assert.deepEqual(left, [], `${what}: English left in the ${lang} letter:\n${mail.text}`);
}

/** GET path in browser b; asserts the status; resolves to the HTML. */
async function page(b, path, status = 200) {
  const res = await b.get(path);
  const html = await res.text();
  assert.equal(res.status, status, `GET ${path}: ${res.status} ${html.slice(0, 300)}`);
  return html;
}

/** Posts the form of /join/LEVEL in browser b with fields. */
async function apply(b, level, fields) {
  const form = await page(b, `/join/${level}`);
  return b.post(`/join/${level}`, { ...hiddenFields(form, `/join/${level}`), ...fields });
}

let n = 0;
/** A full member's application, complete. */
function fullFields() {
  n += 1;
  return {
    org_name: `Réseau Justice ${n}`, country: 'FR', org_description: 'Réforme pénitentiaire.',
    ecosoc_status: 'special', ecosoc_year: '2005',
    name: `Camille Demandeur ${n}`, email: `camille${n}@reseau${n}.example.net`, consent: '1',
  };
}

/** Applies in French; resolves to {id, email} after the 303. */
async function applyInFrench(fields = fullFields()) {
  const res = await apply(visitor('fr'), 'full', fields);
  assert.equal(res.status, 303, `POST /join/full: ${res.status} ${(await res.text()).slice(0, 800)}`);
  const id = await sqlValue(srv.dataDir,
    `SELECT max(id) FROM applications WHERE applicant_email = ${sqlText(fields.email)}`);
  return { id: Number(id), email: fields.email };
}

describe('Join in French and Arabic', () => {
  test('the levels, each form, the thanks and Benefits pages are French', async () => {
    const b = visitor('fr');
    for (const path of ['/join', '/join/full', '/join/associate', '/join/individual', '/join/thanks', '/benefits']) {
      await assertIn('fr', await page(b, path), path);
    }
    const form = await page(b, '/join/full');
    assert.match(form, /Demande d(&#39;|')adhésion\u00a0: Full member/);
    assert.match(form, /J(&#39;|')ai lu la <a href="\/privacy">politique de confidentialité<\/a>/);
  });

  test("a refused form shows the level's and the fields' messages in French", async () => {
    const b = visitor('fr');
    // nothing typed, a representative half given, a rank without a post
    let res = await apply(b, 'full', { rep1_name: 'Rémi', rank: 'main', ecosoc_year: '2990' });
    let html = await res.text();
    assert.equal(res.status, 422);
    await assertIn('fr', html, 'POST /join/full with errors');
    for (const msg of ["Le nom de l'organisation est obligatoire", 'Votre nom est obligatoire',
      "L'adresse e-mail du représentant 1 est obligatoire avec les autres informations",
      "Votre poste auprès de l'ONU\u00a0: choisissez-en un pour indiquer un rang",
      "L'acceptation de la politique de confidentialité est obligatoire"]) {
      // the page's text has its spaces squashed and its apostrophes straight
      assert.ok(textContent(html).replace(/\u2019/g, "'").includes(msg.replace(/\u00a0/g, ' ')), `missing: ${msg}`);
    }
    res = await apply(b, 'individual', { email: 'pas une adresse' });
    html = await res.text();
    assert.equal(res.status, 422);
    await assertIn('fr', html, 'POST /join/individual with errors');
  });

  test('Join is Arabic, right to left, with its error messages', async () => {
    const b = visitor('ar');
    for (const path of ['/join', '/join/full', '/join/associate', '/join/individual', '/join/thanks']) {
      const html = await page(b, path);
      assert.match(/<html[^>]*>/.exec(html)[0], /dir="rtl"/, path);
      await assertIn('ar', html, path);
    }
    assert.match(await page(b, '/join/full'), /اسم المنظمة/);
    for (const [level, fields] of [['full', { rep2_email: 'x@example.org', org_website: 'ftp://x' }],
      ['individual', { email: 'ليس عنوانا', country: 'Austria' }]]) {
      const res = await apply(b, level, fields);
      const html = await res.text();
      assert.equal(res.status, 422, level);
      await assertIn('ar', html, `POST /join/${level} with errors`);
      assert.match(html, /الموافقة على سياسة الخصوصية: حقل مطلوب/);
    }
  });

  test("the receipt is in the form's language, the secretariat's notice in English", async () => {
    const seen = (await mailsTo(srv.dataDir, SECRETARIAT)).length;
    const { email } = await applyInFrench();
    const receipt = await nextMail(srv.dataDir, email, 0);
    assert.equal(receipt.msg.decoded.subject, "Nous avons bien reçu votre demande d'adhésion");
    assert.match(receipt.text, /^Bonjour,/);
    assertMailIn('fr', receipt, 'receipt');
    const notice = await nextMail(srv.dataDir, SECRETARIAT, seen, { subject: `New membership application: Réseau Justice ${n}` });
    assert.match(notice.text, /applied for the level "Full member/);
  });
});

describe('the review and the applicant\'s letters', () => {
  test('an Arabic applicant gets an Arabic receipt', async () => {
    const fields = { ...fullFields(), email: `arabic${n}@example.org` };
    const res = await apply(visitor('ar'), 'full', fields);
    assert.equal(res.status, 303);
    const receipt = await nextMail(srv.dataDir, fields.email, 0);
    assert.equal(receipt.msg.decoded.subject, 'تسلّمنا طلبك');
    assert.match(receipt.text, /^مرحبًا،/);
    assertMailIn('ar', receipt, 'Arabic receipt');
  });

  test('an unknown answer link says so in French', async () => {
    await assertIn('fr', await page(visitor('fr'), `/join/answer/${'x'.repeat(43)}`, 404), 'unknown link');
  });

  test('the queue and an application are French for a French secretariat', async () => {
    const { id } = await applyInFrench();
    await assertIn('fr', await page(admin, '/admin/applications'), '/admin/applications');
    const detail = await page(admin, `/admin/applications/${id}`);
    await assertIn('fr', detail, `/admin/applications/${id}`);
    assert.ok(textContent(detail).includes('Statut consultatif spécial auprès de l’ECOSOC depuis 2005'), 'the ECOSOC status in French');
    // "Sent" of a date, in its own context (admin's "Sent" is a status)
    assert.ok(textContent(detail).includes('Envoyée le'), 'the date the application was sent');
    // a question left empty: the page again with its message
    const res = await admin.submit(`/admin/applications/${id}`, `/admin/applications/${id}/ask`, { question: '' });
    assert.equal(res.status, 422);
    await assertIn('fr', await res.text(), 'ask without a question');
  });

  test('a question from an English secretariat reaches a French applicant in French, and the answer page is French', async () => {
    const { id, email } = await applyInFrench();
    const res = await adminEn.submit(`/admin/applications/${id}`, `/admin/applications/${id}/ask`,
      { question: 'Quel est votre budget annuel ?' });
    assert.equal(res.status, 303);
    const letter = await nextMail(srv.dataDir, email, 1);
    assert.equal(letter.msg.decoded.subject, "Une question sur votre demande d'adhésion");
    assertMailIn('fr', letter, 'question letter');
    const link = linkIn(letter, '/join/answer/');
    const b = visitor('fr');
    await assertIn('fr', await page(b, link), 'the answer page');
    // an empty answer and an emptied organisation name: the page with messages
    let post = await b.post(link, { ...hiddenFields(await page(b, link), link), answer: '', org_name: '' });
    assert.equal(post.status, 422);
    const refused = await post.text();
    await assertIn('fr', refused, 'the answer page with errors');
    assert.ok(refused.includes("Nom de l&#39;organisation ne peut pas rester vide") ||
      refused.includes("Nom de l'organisation ne peut pas rester vide"), 'the emptied field says so in French');
    const seen = (await mailsTo(srv.dataDir, SECRETARIAT)).length;
    post = await b.post(link, { ...hiddenFields(await page(b, link), link), answer: 'Environ 50 000 euros.' });
    assert.equal(post.status, 303);
    await assertIn('fr', await page(b, '/join/answered'), '/join/answered');
    assertMailIn('fr', await nextMail(srv.dataDir, email, 2, { subject: 'Nous avons bien reçu votre réponse' }), 'answer receipt');
    const notice = await nextMail(srv.dataDir, SECRETARIAT, seen);
    assert.match(notice.msg.decoded.subject, /^Answer about the application: /);
    // the secretariat's view with the conversation, in French
    await assertIn('fr', await page(admin, `/admin/applications/${id}`), 'the application with its conversation');
  });

  test('a rejection and an approval are written in the applicant\'s language', async () => {
    const rejected = await applyInFrench();
    let res = await adminEn.submit(`/admin/applications/${rejected.id}`, `/admin/applications/${rejected.id}/reject`,
      { reason: 'Hors du champ de nos activités.' });
    assert.equal(res.status, 303);
    const no = await nextMail(srv.dataDir, rejected.email, 1);
    assert.equal(no.msg.decoded.subject, "Votre demande d'adhésion à l'Alliance");
    assertMailIn('fr', no, 'rejection');
    await assertIn('fr', await page(admin, `/admin/applications/${rejected.id}?done=rejected`), 'a rejected application');

    const approved = await applyInFrench();
    res = await adminEn.submit(`/admin/applications/${approved.id}`, `/admin/applications/${approved.id}/approve`);
    assert.equal(res.status, 303);
    const welcome = await nextMail(srv.dataDir, approved.email, 1);
    assert.equal(welcome.msg.decoded.subject, "Bienvenue dans l'Alliance");
    assert.match(welcome.text, /a été approuvée\u00a0: bienvenue\u00a0!/);
    await assertIn('fr', await page(admin, `/admin/applications/${approved.id}?done=approved`), 'an approved application');
  });
});

/** An organisation with its main contact (a signed-in member reading
 * French by cookie only) and a membership of level in state. */
async function frenchMember({ level = 'full', state = 'active', end, dues = null }) {
  n += 1;
  const contact = await personWithRole(srv, { role: 'member', name: `Rita ${n}` });
  contact.browser.jar.set('lang', 'fr');
  const pid = await personId(srv.dataDir, contact.email);
  if (dues !== null) await sql(srv.dataDir, `UPDATE membership_levels SET dues_amount = ${dues} WHERE slug = '${level}'`);
  await sql(srv.dataDir, `INSERT INTO organisations (slug, name, name_key, created_at) VALUES ('ong-${n}', 'ONG ${n}', 'ong ${n}', 0)`);
  const oid = await sqlValue(srv.dataDir, `SELECT id FROM organisations WHERE slug = 'ong-${n}'`);
  await sql(srv.dataDir, `INSERT INTO representatives (organisation_id, person_id, main_contact) VALUES (${oid}, ${pid}, 1)`);
  await sql(srv.dataDir, 'INSERT INTO memberships (level_id, organisation_id, state, state_since, period_start, period_end, created_at) ' +
    `SELECT id, ${oid}, ${sqlText(state)}, '2026-01-01', '2026-01-01', ${sqlText(end)}, 0 FROM membership_levels WHERE slug = '${level}'`);
  const mid = await sqlValue(srv.dataDir, `SELECT id FROM memberships WHERE organisation_id = ${oid}`);
  return { contact, mid };
}

const inDays = (d) => new Date(Date.now() + d * 86400e3).toISOString().slice(0, 10);

describe('memberships in French', () => {
  test('Renew, a renewal request and its letter are French; the notice is English', async () => {
    const m = await frenchMember({ end: inDays(20), dues: 15000 });
    await assertIn('fr', await page(m.contact.browser, '/renew'), '/renew');
    const seen = (await mailsTo(srv.dataDir, SECRETARIAT)).length;
    const res = await m.contact.browser.submit('/renew', `/renew/${m.mid}`);
    assert.equal(res.status, 303);
    await assertIn('fr', await page(m.contact.browser, res.headers.get('location')), 'renewal requested');
    const letter = await nextMail(srv.dataDir, m.contact.email, 0, { subject: 'Renouvellement de votre adhésion' });
    assertMailIn('fr', letter, 'renewal request');
    assert.match(letter.text, /^Bonjour Rita \d+,/);
    const notice = await nextMail(srv.dataDir, SECRETARIAT, seen, { subject: 'A renewal request' });
    assert.match(notice.text, /asked to renew the membership of ONG/);
    // a payment refused, then recorded by an English secretariat: the
    // receipt follows the French the contact chose on the account
    const bad = await admin.submit(`/admin/memberships/${m.mid}`, `/admin/memberships/${m.mid}/payment`,
      { paid_on: 'hier', amount: 'beaucoup', currency: 'USD' });
    assert.equal(bad.status, 422);
    await assertIn('fr', await bad.text(), 'a payment refused');
    await sql(srv.dataDir, `UPDATE people SET language = 'fr' WHERE email = ${sqlText(m.contact.email)}`);
    const paid = await adminEn.submit(`/admin/memberships/${m.mid}`, `/admin/memberships/${m.mid}/payment`,
      { paid_on: new Date().toISOString().slice(0, 10), amount: '150.00', currency: 'USD', reference: 'virement' });
    assert.equal(paid.status, 303);
    const receipt = await nextMail(srv.dataDir, m.contact.email, 1, { subject: 'Votre adhésion est renouvelée' });
    assertMailIn('fr', receipt, 'payment receipt');
    assert.match(receipt.text, /Paiement reçu\u00a0: USD 150\.00/);
    await sql(srv.dataDir, "UPDATE membership_levels SET dues_amount = 0 WHERE slug = 'full'");
  });

  test('a free renewal, and Renew for someone without a membership, are French', async () => {
    const m = await frenchMember({ level: 'associate', end: inDays(10), dues: 0 });
    const res = await m.contact.browser.submit('/renew', `/renew/${m.mid}`);
    assert.equal(res.status, 303);
    await assertIn('fr', await page(m.contact.browser, res.headers.get('location')), 'renewed');
    assertMailIn('fr', await nextMail(srv.dataDir, m.contact.email, 0, { subject: 'Votre adhésion est renouvelée' }), 'free renewal');
    // renewed already: asking again says why not, in French
    const again = await m.contact.browser.post(`/renew/${m.mid}`, hiddenFields(await page(m.contact.browser, '/renew')));
    assert.equal(again.status, 409);
    await assertIn('fr', await again.text(), 'not renewable yet');
    const nobody = await personWithRole(srv, { role: 'member', name: 'Noé Personne' });
    nobody.browser.jar.set('lang', 'fr');
    const none = await page(nobody.browser, '/renew');
    await assertIn('fr', none, '/renew without a membership');
    assert.match(none, /Vous n(&#39;|')êtes encore responsable d(&#39;|')aucune adhésion/);
  });

  test('the secretariat\'s memberships, levels and dashboard are French, errors included', async () => {
    await frenchMember({ state: 'grace', end: inDays(-10) });
    const { mid } = await frenchMember({ state: 'active', end: inDays(100) });
    for (const path of ['/admin/memberships', '/admin/memberships?state=grace&due=1', '/admin/memberships?done=1', `/admin/memberships/${mid}`,
      '/admin/levels', '/admin/levels?done=saved', '/admin/membership']) {
      await assertIn('fr', await page(admin, path), path);
    }
    const html = await page(admin, '/admin/memberships?state=grace');
    assert.match(html, /<td>En délai de grâce<\/td>/);
    assert.match(textContent(html), /En délai de grâce : \d+ adhésions?\./);
    const dash = await page(admin, '/admin/membership');
    assert.match(dash, /<title id="membership-chart-title">Membres au cours des 24 derniers mois<\/title>/);
    assert.match(dash, /(janv\.|févr\.|mars|avr\.|mai|juin|juil\.|août|sept\.|oct\.|nov\.|déc\.) \d{4}/);
    // a level saved without its name: the form again, in French
    const res = await admin.submit('/admin/levels', '/admin/levels/1', { name: '', summary: 'S', dues: '0', currency: 'USD', period: 'calendar', grace_days: '30' });
    assert.equal(res.status, 422);
    const refused = await res.text();
    await assertIn('fr', refused, 'a level refused');
    assert.match(refused, /Nom est obligatoire/);
  });

  test('ending a membership and taking the end back write French letters to a French contact', async () => {
    const m = await frenchMember({ end: inDays(200) });
    const seen = (await mailsTo(srv.dataDir, SECRETARIAT)).length;
    let res = await m.contact.browser.submit('/renew', `/renew/${m.mid}/cancel`, { confirm: '1', reason: 'Fusion' });
    assert.equal(res.status, 303);
    await assertIn('fr', await page(m.contact.browser, '/renew?cancelled=1'), 'ended');
    assertMailIn('fr', await nextMail(srv.dataDir, m.contact.email, 0, { subject: 'Votre adhésion a pris fin' }), 'ended by its member');
    const notice = await nextMail(srv.dataDir, SECRETARIAT, seen, { subject: 'A membership was ended by its member' });
    assert.match(notice.text, /Reason: Fusion/);
    // the contact chooses French on the account: the secretariat's letters follow it
    await sql(srv.dataDir, `UPDATE people SET language = 'fr' WHERE email = ${sqlText(m.contact.email)}`);
    res = await adminEn.submit(`/admin/memberships/${m.mid}`, `/admin/memberships/${m.mid}/reinstate`);
    assert.equal(res.status, 303);
    assertMailIn('fr', await nextMail(srv.dataDir, m.contact.email, 1, { subject: 'Votre adhésion est rétablie' }), 'taken back');
    await assertIn('fr', await page(admin, res.headers.get('location')), 'reinstated notice');
  });
});
