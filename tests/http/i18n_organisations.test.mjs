// i18n_organisations.test.mjs -- the pages and e-mails of
// src/organisations/ and src/sponsorship/ in French (issue 10, point 4),
// and the directory in Arabic.
//
// Each page is fetched as the role that can see it with the browser's
// lang cookie (the chooser's) or Accept-Language set, and checked with
// tests/lib/i18n.mjs: untranslatedEnglish(page, 'fr') lists the English
// msgids of the catalogs left in its text, and must be empty; forms are
// also checked with their validation errors shown.  E-mails are read from
// the outbox, their recipients having chosen French on their account
// (people.language).  The directory, its filters, pager and empty state
// are checked in Arabic too (dir="rtl", and every message of the page
// that the Arabic catalog translates is translated).  Organisations are
// written straight into the database, as directory.test.mjs does.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import {
  Browser, personWithRole, personId, sql, sqlText, sqlValue, mailsTo, nextMail, linkIn, hiddenFields,
  uniqueEmail, outboxDrained,
} from '../lib/accounts.mjs';
import { untranslatedEnglish, textContent, catalog } from '../lib/i18n.mjs';

// The secretariat's address (mail_from), which gets the pledge notices.
const SECRETARIAT = 'secretariat@alliance.example.org';

let srv;
let admin;
before(async () => {
  srv = await startServer({ env: { ALLIANCE_MAIL_FROM: `"Alliance, Secretariat" <${SECRETARIAT}>` } });
  admin = await personWithRole(srv, { role: 'admin', name: 'Sue Secretariat' });
});
after(async () => { if (srv) await srv.stop(); });

/** A browser whose lang cookie is lang (as the chooser leaves it). */
function speaking(browser, lang) {
  const b = browser.clone();
  b.jar.set('lang', lang);
  return b;
}

/** GET path as browser b: asserts 200, resolves to the HTML. */
async function html(b, path) {
  const res = await b.get(path);
  const body = await res.text();
  assert.equal(res.status, 200, `GET ${path}: ${res.status} ${body.slice(0, 300)}`);
  return body;
}

const htmlTag = (h) => /<html\b[^>]*>/.exec(h)?.[0] ?? '(no <html>)';

/** Asserts that page h has no English the French catalog translates. */
function allFrench(h, what) {
  assert.match(htmlTag(h), /lang="fr"/, what);
  assert.deepEqual(untranslatedEnglish(h, 'fr'), [],
    `English left in French: ${what}`);
  assert.doesNotMatch(textContent(h), /Page \d+ of \d+/, `English pager in French: ${what}`);
}

let orgs = 0;
/** Inserts n public organisations (active associate memberships, ECOSOC
 * special since 2004, one of them DGC associated) named prefix-N;
 * resolves to the first one's slug. */
async function addOrgs(prefix, n, { visibility = 'public' } = {}) {
  const values = [];
  for (let i = 0; i < n; i++) {
    orgs += 1;
    const slug = `${prefix}-${process.pid}-${orgs}`;
    values.push(`(${sqlText(slug)}, ${sqlText(`${prefix} ${orgs}`)}, ${sqlText(`${prefix} ${orgs}`.toLowerCase())},
      'AT', 'About us.', ${sqlText(visibility)}, 'special', 2004, ${i === 0 ? 1 : 0}, ${i === 0 ? 2010 : 'NULL'}, 0)`);
  }
  await sql(srv.dataDir, `
    INSERT INTO organisations (slug, name, name_key, country, description_md, visibility,
      ecosoc_status, ecosoc_year, dgc_associated, dgc_year, created_at) VALUES ${values.join(',')};
    INSERT INTO memberships (level_id, organisation_id, state, state_since, period_start, period_end, created_at)
      SELECT (SELECT id FROM membership_levels WHERE slug = 'associate'), id, 'active', '2026-01-01',
        '2026-01-01', '2099-12-31', 0 FROM organisations WHERE slug LIKE ${sqlText(`${prefix}-${process.pid}-%`)}
        AND id NOT IN (SELECT organisation_id FROM memberships WHERE organisation_id IS NOT NULL);`);
  return `${prefix}-${process.pid}-${orgs - n + 1}`;
}

describe('the directory in French and Arabic', () => {
  let first;
  before(async () => {
    // more than a page of 50, so the pager shows
    first = await addOrgs('Verein', 55);
  });

  test('the directory, its pager and its empty state have no English left in French', async () => {
    const v = speaking(new Browser(srv.url), 'fr');
    const h = await html(v, '/members');
    allFrench(h, '/members');
    const text = textContent(h);
    assert.ok(text.includes('Organisations membres'), 'French title');
    assert.match(text, /\d+ organisations, page 1 sur 2/, 'the count with its page');
    assert.ok(text.includes('Page suivante'), 'the pager');
    assert.ok(text.includes('Page 1 sur 2'), 'the page of the pager');
    assert.ok(text.includes('Statut spécial auprès de l’ECOSOC (2004)'), 'a UN status');
    assert.ok(text.includes('Associée au DCG (2010)'), 'DGC association');
    assert.match(h, /<option value="ecosoc-general">Statut consultatif général auprès de l’ECOSOC<\/option>/,
      'a translated choice keeps its stored value');
    allFrench(await html(v, '/members?page=2'), '/members?page=2');
    const none = await html(v, '/members?q=zzzznothing');
    allFrench(none, 'the empty directory');
    assert.ok(textContent(none).includes('Aucune organisation membre ne correspond à ces filtres.'));
    assert.ok(textContent(none).includes('0 organisation'));
    // Accept-Language works as well as the cookie
    const res = await fetch(`${srv.url}/members?un=ecosoc-special`, { headers: { 'accept-language': 'fr' } });
    allFrench(await res.text(), '/members by Accept-Language');
    // bad filters: the core's messages with the directory's labels
    const bad = await v.get('/members?country=1&un=zzz');
    assert.equal(bad.status, 422);
    const badHtml = await bad.text();
    allFrench(badHtml, 'bad filters');
    assert.ok(textContent(badHtml).includes('Statut auprès de l’ONU doit correspondre'), 'a translated label');
  });

  test('the directory in Arabic: right to left, every Arabic message used', async () => {
    const v = speaking(new Browser(srv.url), 'ar');
    for (const path of ['/members', '/members?page=2', '/members?q=zzzznothing', '/members?un=dgc']) {
      const h = await html(v, path);
      assert.match(htmlTag(h), /lang="ar"/, path);
      assert.match(htmlTag(h), /dir="rtl"/, path);
      // the directory's own messages are all translated into Arabic
      assert.deepEqual(untranslatedEnglish(h, 'ar').filter((id) => directoryIds.has(id)), [],
        `English left in the Arabic directory: ${path}`);
    }
    const text = textContent(await html(v, '/members'));
    assert.ok(text.includes('المنظمات الأعضاء'), 'Arabic title');
    assert.match(text, /\d+ منظمة، الصفحة 1 من 2/, 'the count and page');
    assert.ok(text.includes('الصفحة التالية'), 'the pager');
    assert.ok(text.includes('مركز استشاري خاص لدى المجلس الاقتصادي والاجتماعي (2004)'), 'a UN status');
    const none = textContent(await html(v, '/members?q=zzzznothing'));
    assert.ok(none.includes('لا توجد منظمة عضو تطابق معايير التصفية هذه.'), 'the empty state');
  });

  test('the English directory is unchanged', async () => {
    const v = new Browser(srv.url);
    const text = textContent(await html(v, '/members'));
    assert.ok(text.includes('Member organisations'));
    assert.match(text, /\d+ organisations, page 1 of 2/);
    assert.ok(text.includes('ECOSOC special (2004)'));
    assert.ok(text.includes('DGC associated (2010)'));
    const none = textContent(await html(v, '/members?q=zzzznothing'));
    assert.ok(none.includes('0 organisations'));
    assert.ok(none.includes('No member organisation matches these filters.'));
  });

  test('an organisation page, as a visitor and as a member, has no English left in French', async () => {
    allFrench(await html(speaking(new Browser(srv.url), 'fr'), `/members/${first}`), 'organisation page, visitor');
    const m = await personWithRole(srv, { role: 'member', name: 'Mo Member' });
    const id = await sqlValue1(`SELECT id FROM organisations WHERE slug = ${sqlText(first)}`);
    await sql(srv.dataDir, `INSERT INTO representatives (organisation_id, person_id, main_contact, un_post, un_rank)
      VALUES (${id}, ${await personId(srv.dataDir, m.email)}, 1, 'vienna', 'main')`);
    const h = await html(speaking(m.browser, 'fr'), `/members/${first}`);
    allFrench(h, 'organisation page, its main contact');
    assert.ok(textContent(h).includes('Vienne, représentant principal'));
    assert.ok(textContent(h).includes('(contact principal)'));
    const ar = await html(speaking(new Browser(srv.url), 'ar'), `/members/${first}`);
    assert.match(htmlTag(ar), /dir="rtl"/);
  });
});

async function sqlValue1(statement) {
  const rows = await sql(srv.dataDir, statement);
  return rows[0][0];
}

/** Asserts that an e-mail (from the outbox) is in French. */
function frenchMail(mail, what) {
  assert.deepEqual(untranslatedEnglish(`${mail.msg.decoded.subject}\n${mail.text}`, 'fr', { html: false }), [],
    `English left in the French e-mail: ${what}: ${mail.msg.decoded.subject}\n${mail.text}`);
}

/** A member who chose French on their account; {email, name, browser
 * (lang cookie fr), id}. */
async function frenchMember(name) {
  const p = await personWithRole(srv, { role: 'member', name });
  p.id = await personId(srv.dataDir, p.email);
  await sql(srv.dataDir, `UPDATE people SET language = 'fr' WHERE id = ${p.id}`);
  p.browser = speaking(p.browser, 'fr');
  // the mails of setting up the account are out before anyone counts
  await outboxDrained(srv.dataDir);
  return p;
}

describe('managing an organisation in French', () => {
  let o;
  before(async () => {
    const slug = await addOrgs('Gestion', 1);
    o = { slug, id: await sqlValue1(`SELECT id FROM organisations WHERE slug = ${sqlText(slug)}`) };
    o.name = await sqlValue1(`SELECT name FROM organisations WHERE id = ${o.id}`);
    o.main = await frenchMember('Mia Main');
    o.other = await frenchMember('Otto Other');
    await sql(srv.dataDir, `INSERT INTO representatives (organisation_id, person_id, main_contact) VALUES
      (${o.id}, ${o.main.id}, 1), (${o.id}, ${o.other.id}, 0)`);
  });
  const reps = () => `/members/${o.slug}/representatives`;

  test('the edit form, saved, and with its errors, for the main contact and an administrator', async () => {
    const b = o.main.browser;
    const form = await html(b, `/members/${o.slug}/edit`);
    allFrench(form, 'edit form');
    assert.ok(textContent(form).includes('Qui voit l’organisation dans le répertoire'));
    assert.match(form, /value="members"[^>]*> <strong>Membres uniquement<\/strong>/, 'a translated choice');
    allFrench(await html(b, `/members/${o.slug}/edit?saved=1`), 'edit form, saved');
    const fields = {
      ...hiddenFields(form, `/members/${o.slug}/edit`), name: o.name, acronym: '', country: 'ZZZ',
      website: 'nope', description: '', contact_address: '', visibility: 'public', focal: 'no-such-area',
    };
    const bad = await b.post(`/members/${o.slug}/edit`, fields);
    assert.equal(bad.status, 422);
    const badHtml = await bad.text();
    allFrench(badHtml, 'edit form with errors');
    assert.ok(textContent(badHtml).includes('Points focaux : choisissez parmi ceux de la liste'));
    const a = speaking(admin.browser, 'fr');
    const adminForm = await html(a, `/members/${o.slug}/edit`);
    allFrench(adminForm, 'edit form, administrator');
    const un = await a.post(`/members/${o.slug}/edit`, {
      ...hiddenFields(adminForm, `/members/${o.slug}/edit`), name: o.name, acronym: '', country: 'AT',
      website: '', description: '', contact_address: '', visibility: 'public', ecosoc_year: '2001',
      dgc_year: '2999',
    });
    assert.equal(un.status, 422);
    const unHtml = await un.text();
    allFrench(unHtml, 'UN status errors');
    assert.ok(textContent(unHtml).includes('choisissez aussi le statut'));
  });

  test('the representatives page, its notices and errors, and the e-mails they send', async () => {
    const b = o.main.browser;
    allFrench(await html(b, reps()), 'representatives');
    for (const done of ['invited', 'asked', 'post', 'removed', 'main-contact']) {
      const h = await html(b, `${reps()}?done=${done}`);
      allFrench(h, `representatives, done=${done}`);
      assert.match(h, /class="notice"/, done);
    }
    // an account of its own is asked: a French invitation, the accept pages
    const asked = await frenchMember('Ada Asked');
    let seen = (await mailsTo(srv.dataDir, asked.email)).length;
    let page = await html(b, reps());
    let res = await b.post(reps(), { ...hiddenFields(page, reps()), name: asked.name, email: asked.email });
    assert.equal(res.status, 303);
    const invitation = await nextMail(srv.dataDir, asked.email, seen);
    frenchMail(invitation, 'invitation to an account');
    assert.match(invitation.msg.decoded.subject, /^Vous êtes invité\(e\) à représenter /);
    allFrench(await html(b, reps()), 'representatives with one invited');
    const link = linkIn(invitation, `/members/${o.slug}/representatives/accept?token=`);
    const acceptPage = await html(asked.browser, link);
    allFrench(acceptPage, 'accept page');
    const action = `/members/${o.slug}/representatives/accept`;
    res = await asked.browser.post(action, hiddenFields(acceptPage, action));
    assert.equal(res.status, 200);
    const accepted = await res.text();
    allFrench(accepted, 'invitation accepted');
    assert.ok(textContent(accepted).includes('Vous êtes désormais représentant(e) de'));
    res = await asked.browser.post(action, hiddenFields(acceptPage, action));
    assert.equal(res.status, 410);
    allFrench(await res.text(), 'invitation used');
    // someone new, who wrote to us in French before: the sign-in invitation
    const fresh = uniqueEmail('fresh');
    await sql(srv.dataDir, `INSERT INTO mail_languages VALUES (${sqlText(fresh)}, 'fr', 0)`);
    page = await html(b, reps());
    res = await b.post(reps(), { ...hiddenFields(page, reps()), name: 'Fred Fresh', email: fresh });
    assert.equal(res.status, 303);
    frenchMail(await nextMail(srv.dataDir, fresh, 0), 'sign-in invitation');
    // already a representative: 409 with the message in French
    page = await html(b, reps());
    res = await b.post(reps(), { ...hiddenFields(page, reps()), name: 'Otto', email: o.other.email });
    assert.equal(res.status, 409);
    const taken = await res.text();
    allFrench(taken, 'invitation refused');
    assert.ok(textContent(taken).includes(`représente déjà ${o.name}`));
    // a UN post: the e-mail; then one main per post refused
    seen = (await mailsTo(srv.dataDir, o.other.email)).length;
    page = await html(b, reps());
    const postPath = `${reps()}/${o.other.id}/post`;
    res = await b.post(postPath, { ...hiddenFields(page, postPath), un_post: 'geneva', un_rank: 'main' });
    assert.equal(res.status, 303);
    const postMail = await nextMail(srv.dataDir, o.other.email, seen);
    frenchMail(postMail, 'UN post');
    assert.ok(postMail.text.includes('Genève, représentant principal'), postMail.text);
    const mainPost = `${reps()}/${o.main.id}/post`;
    res = await b.post(mainPost, { ...hiddenFields(page, mainPost), un_post: 'geneva', un_rank: 'main' });
    assert.equal(res.status, 409);
    allFrench(await res.text(), 'second main at a post');
    res = await b.post(mainPost, { ...hiddenFields(page, mainPost), un_rank: 'main' });
    assert.equal(res.status, 400);
    allFrench(await res.text(), 'a rank without a post');
    // the last main contact may not go
    const removeMain = `${reps()}/${o.main.id}/remove`;
    res = await b.post(removeMain, { csrf: hiddenFields(page).csrf });
    assert.equal(res.status, 409);
    allFrench(await res.text(), 'the last main contact');
    // removal and hand-over: their e-mails
    seen = (await mailsTo(srv.dataDir, asked.email)).length;
    const removeAsked = `${reps()}/${asked.id}/remove`;
    page = await html(b, reps());
    res = await b.post(removeAsked, hiddenFields(page, removeAsked));
    assert.equal(res.status, 303);
    frenchMail(await nextMail(srv.dataDir, asked.email, seen), 'removed');
    const seenMain = (await mailsTo(srv.dataDir, o.main.email)).length;
    seen = (await mailsTo(srv.dataDir, o.other.email)).length;
    const handover = `${reps()}/${o.other.id}/main-contact`;
    res = await b.post(handover, hiddenFields(page, handover));
    assert.equal(res.status, 303);
    frenchMail(await nextMail(srv.dataDir, o.other.email, seen), 'now the main contact');
    frenchMail(await nextMail(srv.dataDir, o.main.email, seenMain), 'no longer the main contact');
  });
});

// The messages the directory page shows (its templates and C), which the
// Arabic catalog must translate.
const directoryIds = new Set([
  'Member organisations', 'Find member organisations', 'Name or acronym', 'Any country',
  'Membership level', 'Any level', 'UN status', 'Any UN status',
  'Focal area', 'Any focal area', 'Show', 'Member organisations by name', 'Organisation', 'Country',
  'Level', 'Focal areas', 'No member organisation matches these filters.', 'Pages', 'Previous page',
  'Next page', 'Page {page} of {pages}', '{n} organisation', '{n} organisations',
  '{n} organisation, page {page} of {pages}', '{n} organisations, page {page} of {pages}',
  'ECOSOC general consultative status', 'ECOSOC special consultative status', 'ECOSOC roster status',
  'Associated with the UN DGC', 'No UN status', 'ECOSOC special ({year})', 'DGC associated ({year})',
  'The non-governmental organisations that are members of the Alliance, with their UN status and focal areas of work.',
  'The beginnings of words, such as “gene” for Genève.',
]);
for (const id of directoryIds) {
  if (!catalog('ar').get(id)) throw new Error(`the Arabic catalog does not translate ${JSON.stringify(id)}`);
}

describe('sponsorship in French', () => {
  /** A pledge as the form sends it, with fields overridden. */
  const pledge = (fields = {}) => ({
    sponsor_name: 'Amis de la justice', contact_name: 'Carla Contact', contact_email: uniqueEmail('sponsor'),
    tier: '', amount: '300', currency: 'EUR', purpose: 'library', purpose_detail: 'Justice réparatrice',
    thank_publicly: '1', consent: '1', ...fields,
  });

  test('the Sponsor page, its errors, the thanks and both e-mails', async () => {
    const b = speaking(new Browser(srv.url), 'fr');
    const page = await html(b, '/sponsor');
    allFrench(page, '/sponsor');
    assert.ok(textContent(page).includes('Faire une promesse de don'));
    assert.match(page, /<option value="library"[^>]*>Une collection de la bibliothèque de ressources<\/option>/);
    let res = await b.post('/sponsor', { ...hiddenFields(page, '/sponsor'), ...pledge({ amount: '' }) });
    assert.equal(res.status, 422);
    const bad = await res.text();
    allFrench(bad, '/sponsor with errors');
    assert.ok(textContent(bad).includes('Veuillez choisir un niveau ou indiquer un montant'));
    const p = pledge({ tier: 'partner' });
    const seenSecretariat = (await mailsTo(srv.dataDir, SECRETARIAT)).length;
    res = await b.post('/sponsor', { ...hiddenFields(page, '/sponsor'), ...p });
    assert.equal(res.status, 303);
    allFrench(await html(b, res.headers.get('location')), 'the thanks');
    const thanks = await nextMail(srv.dataDir, p.contact_email, 0);
    frenchMail(thanks, 'thank-you for a pledge');
    assert.equal(thanks.msg.decoded.subject, 'Merci pour votre promesse de don');
    assert.ok(thanks.text.includes('remercié(e) publiquement'), thanks.text);
    // the secretariat reads its notice in the default language, English
    const notice = await nextMail(srv.dataDir, SECRETARIAT, seenSecretariat,
      { subject: 'New pledge from Amis de la justice' });
    assert.match(notice.text, /^A new pledge \(number \d+\):/m);
    assert.match(notice.text, /Purpose: A collection of the resource library/);
    assert.match(notice.text, /About the purpose: Justice réparatrice/);
  });

  test('the secretariat pledges and tiers pages, with errors, in French', async () => {
    const a = speaking(admin.browser, 'fr');
    const list = await html(a, '/admin/pledges');
    allFrench(list, '/admin/pledges');
    assert.match(list, /<option value="confirmed"[^>]*>Confirmée<\/option>/);
    allFrench(await html(a, '/admin/pledges?status=declined'), 'no pledge with this status');
    allFrench(await html(a, '/admin/pledges?done=status'), 'pledges, status saved');
    const tiers = await html(a, '/admin/tiers');
    allFrench(tiers, '/admin/tiers');
    allFrench(await html(a, '/admin/tiers?done=added'), 'tiers, added');
    const res = await a.post('/admin/tiers', { ...hiddenFields(tiers, '/admin/tiers'), slug: 'platinum',
      name: 'Again', amount: 'lots', currency: 'EUR', description_md: '' });
    assert.ok(res.status >= 400 && res.status < 500, `status ${res.status}`);
    allFrench(await res.text(), 'a new tier with errors');
  });
});

describe('import and export pages in French', () => {
  /** Posts bytes as a CSV file of kind to /admin/import as b. */
  async function upload(b, kind, name, bytes, { dryRun = false, file = true } = {}) {
    const page = await html(b, '/admin/import');
    const fd = new FormData();
    fd.append('csrf', hiddenFields(page, '/admin/import').csrf);
    fd.append('kind', kind);
    if (dryRun) fd.append('dry_run', '1');
    if (file) fd.append('file', new Blob([bytes], { type: 'text/csv' }), name);
    const res = await b.send('POST', '/admin/import', { body: fd });
    return { status: res.status, html: await res.text() };
  }

  test('the form, a refused upload, bad rows, a dry run and an import', async () => {
    const a = speaking(admin.browser, 'fr');
    const form = await html(a, '/admin/import');
    allFrench(form, '/admin/import');
    assert.match(form, /<option value="people">personnes<\/option>/, 'a kind keeps its value');
    let r = await upload(a, 'organisations', 'none.csv', '', { file: false });
    assert.equal(r.status, 422);
    allFrench(r.html, 'the form without a file');
    r = await upload(a, 'organisations', 'bad.csv',
      'name,country,visibility,ecosoc_year,focal_areas,extra\n'
      + 'Verein Eins,ZZZ,secret,2001,no-such-area,x\n'
      + 'Verein Eins,AT,public,,,\n'
      + ',AT,public,,,\n');
    assert.equal(r.status, 422);
    allFrench(r.html, 'bad rows');
    const text = textContent(r.html);
    assert.ok(text.includes('Rien n’a été importé'));
    assert.ok(text.includes('visibility doit valoir public, members ou hidden'), text);
    assert.ok(text.includes('La colonne 6, « extra », nous est inconnue'), text);
    r = await upload(a, 'organisations', 'header.csv', 'name,phone\n');
    assert.equal(r.status, 422);
    allFrench(r.html, 'a header without required columns');
    const good = `name,country,visibility\nImport Verein ${process.pid},AT,public\n`;
    r = await upload(a, 'organisations', 'good.csv', good, { dryRun: true });
    assert.equal(r.status, 200);
    allFrench(r.html, 'a dry run');
    r = await upload(a, 'organisations', 'good.csv', good);
    assert.equal(r.status, 200);
    allFrench(r.html, 'an import');
    assert.ok(textContent(r.html).includes('importées depuis good.csv.'));
  });
});
