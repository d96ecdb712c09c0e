// i18n_site.test.mjs -- the site shell, the core's answers and the
// secretariat's pages in French (issue 10 point 4; src/site, src/core,
// src/public_limits.c, src/admin): the words the templates and the C code
// write, the plurals, the cadences of the UN bodies (stored as codes,
// shown in the reader's language), the core's error pages (title and
// sentence), the dates (month names through render_add_times), and each
// page checked with tests/lib/i18n.mjs untranslatedEnglish.  English stays
// the default and its words do not change.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, httpRequest } from '../lib/server.mjs';
import { Browser, FORM_CT, hiddenFields, mainOf, personWithRole, personId, sql } from '../lib/accounts.mjs';
import { untranslatedEnglish, textContent } from '../lib/i18n.mjs';

let srv;
let admin;   // a signed-in administrator (Browser)
let adminId;

const FR = { 'accept-language': 'fr' };
const htmlTag = (html) => /<html\b[^>]*>/.exec(html)?.[0] ?? '(no <html>)';

/** GET path as a visitor with headers: {status, html, text}. */
async function visit(path, headers = FR, init = {}) {
  const res = await fetch(srv.url + path, { redirect: 'manual', headers, ...init });
  const html = await res.text();
  return { status: res.status, html, text: textContent(html), res };
}

/** The page at path as the administrator, in lang (cookie): its HTML. */
async function adminPage(path, lang = 'fr') {
  const res = await admin.get(path, { cookie: `${[...admin.jar].map(([k, v]) => `${k}=${v}`).join('; ')}; lang=${lang}` });
  const html = await res.text();
  assert.equal(res.status, 200, `GET ${path}: ${res.status} ${html.slice(0, 300)}`);
  return html;
}

before(async () => {
  srv = await startServer();
  const p = await personWithRole(srv, { role: 'admin', name: 'Ada Admin', password: null });
  admin = p.browser;
  adminId = await personId(srv.dataDir, p.email);
  // the only administrator, so that taking the role away is refused
  await sql(srv.dataDir, `UPDATE people SET role = 'editor' WHERE role = 'admin' AND id != ${adminId}`);
  // a contact message with an attachment, and enough people for two pages
  await sql(srv.dataDir, `INSERT INTO contact_messages (name, email, subject, message,
    attachment_name, attachment_type, attachment_size, client, created_at)
    VALUES ('Noor', 'noor@example.org', 'Membership', 'Bonjour.', 'note.pdf',
    'application/pdf', 12800, '127.0.0.1', '2026-11-29 06:20:00')`);
  const rows = Array.from({ length: 55 }, (_, i) =>
    `('bulk-${i}@example.org', 'Bulk Person ${i}', 1795933200)`).join(',');
  await sql(srv.dataDir, `INSERT INTO people (email, name, created_at) VALUES ${rows}`);
});

after(async () => { if (srv) await srv.stop(); });

describe('the site in French', () => {
  test('the bodies: cadences in French, English unchanged', async () => {
    const fr = await visit('/bodies');
    assert.match(htmlTag(fr.html), /lang="fr"/);
    assert.ok(fr.text.includes('Périodicité : annuelle'), fr.text.slice(0, 2000));
    assert.ok(fr.text.includes('Périodicité : quinquennale'));
    assert.deepEqual(untranslatedEnglish(fr.html, 'fr'), []);
    const en = await visit('/bodies', {});
    assert.ok(en.text.includes('Cadence: annual'));
    assert.ok(en.text.includes('Intergovernmental bodies'));
    const slug = /href="\/bodies\/([^"]+)"/.exec(en.html)[1];
    const one = await visit(`/bodies/${slug}`);
    assert.ok(one.text.includes('Fil d\'Ariane') || one.html.includes('aria-label="Fil d&#39;Ariane"') ||
      one.html.includes('aria-label="Fil d&#x27;Ariane"'), 'the breadcrumb is not named in French');
    assert.ok(one.text.includes('Tous les organes intergouvernementaux'));
    assert.match(one.text, /Périodicité (annuelle|biennale|quinquennale|permanente)/);
  });

  test('search: the sentence with its count and the kinds of hits', async () => {
    const fr = await visit('/search?q=crime');
    assert.match(fr.text, /Les 30 meilleurs résultats pour « crime »|\d+ résultats? pour « crime »/);
    assert.ok(/Organe de l'ONU|Point focal/.test(fr.text), 'no kind of hit in French');
    // the hits' titles are the pages' own (data): out of the check
    const hits = (await (await fetch(`${srv.url}/api/v1/search?q=crime`, { headers: FR })).json()).results;
    let rest = fr.html;
    for (const h of hits) rest = rest.split(`>${h.title}</a>`).join('></a>');
    assert.deepEqual(untranslatedEnglish(rest, 'fr'), []);
    const none = await visit('/search?q=zzqqxx');
    assert.ok(none.text.includes('0 résultat pour « zzqqxx »'), none.text);
    const en = await visit('/search?q=zzqqxx', {});
    assert.ok(en.text.includes('0 results for “zzqqxx”'), en.text);
    const json = await (await fetch(`${srv.url}/api/v1/search?q=zzqqxx`, { headers: FR })).json();
    assert.equal(json.count_label, '0 résultat');
    // Arabic's six plural forms: 0, 1, 2 and 3 to 10 differ
    const ar = await visit('/search?q=zzqqxx', { cookie: 'lang=ar' });
    assert.ok(ar.text.includes('0 نتيجة للبحث عن «zzqqxx»'), ar.text);
    const bodies = await visit('/bodies', { cookie: 'lang=ar' });
    assert.ok(bodies.text.includes('الدورية: سنوية') || bodies.text.includes('سنوية'), 'no Arabic cadence');
  });
});

describe("the core's answers in French", () => {
  test('404: title, sentence and the way back', async () => {
    const r = await visit('/no-such-page');
    assert.equal(r.status, 404);
    assert.match(htmlTag(r.html), /lang="fr"/);
    assert.ok(r.text.includes('Erreur 404'));
    assert.ok(r.text.includes('Page introuvable'));
    assert.ok(r.text.includes("Il n'y a pas de page à cette adresse."));
    assert.match(r.html, /revenir à la <a href="\/">page d(&#39;|&#x27;|')accueil<\/a>/);
    assert.match(r.html, /<title>Page introuvable \|/);
    assert.deepEqual(untranslatedEnglish(r.html, 'fr'), []);
    const en = await visit('/no-such-page', {});
    assert.ok(en.text.includes('Error 404') && en.text.includes('Page not found') &&
      en.text.includes('There is no page at this address.'));
    const slug = await visit('/focal-points/no-such-area');
    assert.equal(slug.status, 404);
    assert.ok(slug.text.includes("Il n'existe pas de point focal de ce nom."));
  });

  test('405, 422, 400 and 403 in French; JSON errors too', async () => {
    const m = await visit('/about', FR, { method: 'DELETE' });
    assert.equal(m.status, 405);
    assert.ok(m.text.includes('Méthode non autorisée') &&
      m.text.includes("Cette adresse n'accepte pas cette méthode."), m.text);
    const long = await visit(`/search?q=${'a'.repeat(201)}`);
    assert.equal(long.status, 422);
    assert.ok(long.text.includes('Veuillez vérifier le formulaire'));
    assert.ok(long.text.includes('Certains champs doivent être corrigés.'));
    assert.ok(long.text.includes('Rechercher est trop long') ||
      long.text.includes('Rechercher'), long.text);
    assert.deepEqual(untranslatedEnglish(long.html, 'fr'), []);
    const bad = await visit('/search?q=%ZZ');
    assert.equal(bad.status, 400);
    assert.ok(bad.text.includes('Requête incorrecte'));
    assert.ok(bad.text.includes('Le formulaire contient un champ mal encodé'), bad.text);
    const csrf = await visit('/signin', { ...FR, ...FORM_CT }, { method: 'POST', body: 'email=a%40b.org&password=x' });
    assert.equal(csrf.status, 403);
    assert.ok(csrf.text.includes('Ce formulaire a expiré ou ne provient pas de ce site.'), csrf.text);
    const api = await fetch(`${srv.url}/api/v1/no-such`, { headers: FR });
    assert.equal(api.status, 404);
    assert.equal((await api.json()).error.message, "Il n'y a pas de page à cette adresse.");
  });

  test('413 says the limit in French', async () => {
    const res = await httpRequest(srv.url, {
      method: 'POST', path: '/contact', headers: { ...FORM_CT, ...FR },
      body: `name=x&message=${'a'.repeat(2 << 20)}`,
    });
    assert.equal(res.status, 413);
    const text = textContent(res.body.toString('utf8'));
    assert.match(text, /La requête est trop volumineuse : la limite est ici de \d+ Kio\./, text.slice(0, 500));
    assert.ok(text.includes('Trop volumineux'));
  });
});

describe("the secretariat's pages in French", () => {
  test('every page of src/admin has no English left', async () => {
    for (const path of ['/admin', '/admin/people', '/admin/people?page=2', '/admin/outbox',
      '/admin/audit', '/admin/messages', '/admin/messages?show=open']) {
      const html = await adminPage(path);
      assert.match(htmlTag(html), /lang="fr"/, path);
      assert.deepEqual(untranslatedEnglish(mainOf(html), 'fr'), [], `English left on ${path}`);
    }
  });

  test('their forms refused with field errors, in French', async () => {
    for (const path of ['/admin/people?role=bogus', '/admin/audit?since=2026-13-45&actor=x',
      '/admin/messages?show=bogus', '/admin/outbox?page=0']) {
      const res = await admin.get(path, { 'accept-language': 'fr' });
      const html = await res.text();
      assert.equal(res.status, 422, path);
      assert.match(htmlTag(html), /lang="fr"/, path);
      const text = textContent(html);
      assert.ok(text.includes('Certains champs doivent être corrigés.'), `${path}: ${text.slice(0, 800)}`);
      assert.deepEqual(untranslatedEnglish(html, 'fr'), [], `English left on ${path}`);
    }
    const text = textContent(await (await admin.get('/admin/audit?since=2026-13-45&actor=x', FR)).text());
    assert.ok(text.includes('De ') && text.includes('Personne (identifiant) '), `the fields' labels: ${text.slice(0, 800)}`);
    const page = await adminPage('/admin/people?q=ada');
    const res = await admin.post(`/admin/people/${adminId}/role`,
      { ...hiddenFields(page, `/admin/people/${adminId}/role`), role: 'emperor' }, FR);
    const html = await res.text();
    assert.equal(res.status, 422);
    assert.ok(textContent(html).includes('Rôle '), textContent(html).slice(0, 800));
    assert.deepEqual(untranslatedEnglish(html, 'fr'), []);
  });

  test('people: the count, the roles, the pager, the notice and the last administrator', async () => {
    let text = textContent(await adminPage('/admin/people'));
    assert.match(text, /\d+ personnes correspondent\./);
    assert.ok(text.includes('Administrateur') && text.includes('Rédacteur'));
    assert.ok(text.includes('Page 1') && text.includes('Page suivante'), 'the pager in French');
    text = textContent(await adminPage('/admin/people?q=ada'));
    assert.ok(text.includes('1 personne correspond.'), text.slice(0, 3000));
    const en = textContent(mainOf(await adminPage('/admin/people?q=ada', 'en')));
    assert.ok(en.includes('1 person matches.'));
    // the last administrator: the 409 comes in French
    const page = await adminPage('/admin/people?q=ada');
    const res = await admin.post(`/admin/people/${adminId}/role`,
      { ...hiddenFields(page, `/admin/people/${adminId}/role`), role: 'member' }, { 'accept-language': 'fr' });
    const body = await res.text();
    assert.equal(res.status, 409);
    assert.ok(textContent(body).includes("C'est le dernier administrateur"), body.slice(0, 500));
    // a role saved: the notice
    const bulk = await personId(srv.dataDir, 'bulk-1@example.org');
    const ok = await admin.post(`/admin/people/${bulk}/role`,
      { ...hiddenFields(page, `/admin/people/${adminId}/role`), role: 'editor' });
    assert.equal(ok.status, 303);
    await ok.arrayBuffer();
    text = textContent(await adminPage(ok.headers.get('location')));
    assert.ok(text.includes('Le rôle a été enregistré. La modification figure dans le journal d\'audit.'));
  });

  test('dates: the month in French and Arabic, as before in English', async () => {
    const month = new Date().getUTCMonth();
    const fr = ['janv.', 'févr.', 'mars', 'avr.', 'mai', 'juin', 'juil.', 'août', 'sept.', 'oct.', 'nov.', 'déc.'][month];
    const ar = ['يناير', 'فبراير', 'مارس', 'أبريل', 'مايو', 'يونيو', 'يوليو', 'أغسطس', 'سبتمبر', 'أكتوبر', 'نوفمبر', 'ديسمبر'][month];
    const en = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][month];
    const year = new Date().getUTCFullYear();
    const esc = (s) => s.replace(/[.]/g, '\\.');
    // the audit log holds the role change above (text times)
    assert.match(textContent(await adminPage('/admin/audit')), new RegExp(`\\d\\d ${esc(fr)} ${year}, \\d\\d:\\d\\d UTC`));
    assert.match(textContent(await adminPage('/admin/audit', 'ar')), new RegExp(`\\d\\d ${ar} ${year}, \\d\\d:\\d\\d UTC`));
    assert.match(textContent(await adminPage('/admin/audit', 'en')), new RegExp(`\\d\\d ${en} ${year}, \\d\\d:\\d\\d UTC`));
    // people (unix times): the bulk rows were made 29 Nov 2026
    assert.ok(textContent(await adminPage('/admin/people?page=2')).includes('29 nov. 2026'));
    assert.ok(textContent(await adminPage('/admin/people?page=2', 'ar')).includes('29 نوفمبر 2026'));
    assert.ok(textContent(await adminPage('/admin/people?page=2', 'en')).includes('29 Nov 2026'));
  });

  test('contact messages: dates, sizes and the menu in French', async () => {
    const html = await adminPage('/admin/messages');
    const text = textContent(html);
    assert.ok(text.includes('29 nov. 2026, 06:20 UTC'), text.slice(0, 3000));
    assert.ok(text.includes('note.pdf (12.5 Ko)'));
    assert.ok(text.includes('Marquer comme traité'));
    assert.match(html, /aria-label="Marquer comme traité\s:\sMembership"/);
    assert.match(html, /<nav class="admin-nav" aria-label="Secrétariat">/);
    for (const label of ['Vue d\'ensemble', 'Personnes', 'Messages reçus', 'Boîte d\'envoi', 'Journal d\'audit']) {
      assert.ok(textContent(/<nav class="admin-nav"[\s\S]*?<\/nav>/.exec(html)[0]).includes(label), label);
    }
    const en = textContent(await adminPage('/admin/messages', 'en'));
    assert.ok(en.includes('29 Nov 2026, 06:20 UTC') && en.includes('note.pdf (12.5 KB)') && en.includes('Mark as handled'));
  });
});
