// i18n.test.mjs -- the language of a page (issue 10, point 4): chosen per
// request from the lang cookie, then Accept-Language, then the
// default_language setting; <html lang dir>, Content-Language and Vary
// follow it; the page cache never serves a page in another language; the
// contact form's error messages come in the page's language.  Each French
// page is checked with tests/lib/i18n.mjs: no English msgid of the
// catalogs in its text.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { startServer, allianceBin } from '../lib/server.mjs';
import { untranslatedEnglish, textContent, catalog, parsePo } from '../lib/i18n.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { if (srv) await srv.stop(); });

const get = (path, headers = {}, init = {}) =>
  fetch(srv.url + path, { redirect: 'manual', headers, ...init });

async function page(path, headers) {
  const res = await get(path, headers);
  assert.equal(res.status, 200, `${path}: status`);
  return { res, html: await res.text() };
}

const htmlTag = (html) => /<html\b[^>]*>/.exec(html)?.[0] ?? '(no <html>)';

describe('the language of a page', () => {
  test('Accept-Language: fr gives the home page in French', async () => {
    const { res, html } = await page('/', { 'accept-language': 'fr' });
    assert.match(htmlTag(html), /lang="fr"/);
    assert.match(htmlTag(html), /dir="ltr"/);
    assert.equal(res.headers.get('content-language'), 'fr');
    assert.match(res.headers.get('vary') ?? '', /accept-language/i);
    assert.match(res.headers.get('vary') ?? '', /cookie/i);
    const text = textContent(html);
    assert.ok(text.includes("Adhérer à l'Alliance"), 'no French call to join');
    assert.ok(text.includes('Aller au contenu principal'), 'no French skip link');
    assert.deepEqual(untranslatedEnglish(html, 'fr'), [], 'English left on the French home page');
  });

  test('fr-CA and weighted lists pick French; without a header the page is English', async () => {
    for (const al of ['fr-CA', 'de-DE, fr;q=0.8, en;q=0.5', 'en;q=0.1, fr-FR']) {
      const { html } = await page('/', { 'accept-language': al });
      assert.match(htmlTag(html), /lang="fr"/, al);
    }
    const { res, html } = await page('/');
    assert.match(htmlTag(html), /lang="en"/);
    assert.equal(res.headers.get('content-language'), 'en');
    assert.ok(textContent(html).includes('Join the Alliance'));
    for (const al of ['de', 'fr;q=0, en']) {
      const r = await page('/', { 'accept-language': al });
      assert.match(htmlTag(r.html), /lang="en"/, al);
    }
  });

  test('the contact page in French has no English left', async () => {
    const { html } = await page('/contact', { 'accept-language': 'fr' });
    assert.match(htmlTag(html), /lang="fr"/);
    const text = textContent(html);
    assert.ok(text.includes('Contacter le secrétariat'));
    assert.ok(text.includes('(facultatif, 5 Mo au maximum)'), 'the argument of a message');
    assert.match(html, /voir notre <a href="\/privacy">politique de confidentialité<\/a>/,
      'a message with a link');
    // the subjects are shown in French and sent in English
    assert.match(html, /<option value="Membership">Adhésion<\/option>/);
    assert.deepEqual(untranslatedEnglish(html, 'fr'), [], 'English left on the French contact page');
    const thanks = await page('/contact/thanks', { 'accept-language': 'fr' });
    assert.deepEqual(untranslatedEnglish(thanks.html, 'fr'), []);
    assert.ok(textContent(thanks.html).includes('Votre message est bien parvenu au secrétariat.'));
  });

  test('a lang=ar cookie gives Arabic, right to left, over Accept-Language', async () => {
    const { res, html } = await page('/', { cookie: 'lang=ar', 'accept-language': 'fr' });
    assert.match(htmlTag(html), /lang="ar"/);
    assert.match(htmlTag(html), /dir="rtl"/);
    assert.equal(res.headers.get('content-language'), 'ar');
    assert.ok(textContent(html).includes('انضم إلى التحالف'));
    assert.deepEqual(untranslatedEnglish(html, 'ar').filter((id) => catalog('ar').get(id)), [],
      'an Arabic translation that exists is not used');
  });

  test('a cookie naming no language falls back to Accept-Language', async () => {
    for (const cookie of ['lang=zz', 'lang=', 'lang=fr-CA', 'lang=%66r']) {
      const { html } = await page('/', { cookie, 'accept-language': 'fr' });
      assert.match(htmlTag(html), /lang="fr"/, cookie);
    }
    const { html } = await page('/', { cookie: 'lang=FR' });
    assert.match(htmlTag(html), /lang="fr"/, 'lang=FR');
  });

  test('the page cache never mixes languages', async () => {
    // several rounds so that every worker has each page cached; the
    // cache is per worker and kept until the database changes
    const want = [
      [{}, 'en', 'Join the Alliance'],
      [{ 'accept-language': 'fr' }, 'fr', "Adhérer à l'Alliance"],
      [{ cookie: 'lang=ar' }, 'ar', 'انضم إلى التحالف'],
    ];
    for (let round = 0; round < 6; round++) {
      for (const path of ['/', '/bodies']) {
        for (const [headers, lang, phrase] of want) {
          const { res, html } = await page(path, headers);
          assert.match(htmlTag(html), new RegExp(`lang="${lang}"`), `${path} round ${round} ${lang}`);
          assert.equal(res.headers.get('content-language'), lang);
          if (path === '/') assert.ok(textContent(html).includes(phrase), `${lang} page mixed`);
        }
      }
    }
  });

  test('a French contact form error shows French messages', async () => {
    const first = await get('/contact', { 'accept-language': 'fr' });
    const html = await first.text();
    const csrf = /name="csrf" value="([^"]*)"/.exec(html)?.[1];
    const cookie = (first.headers.getSetCookie?.() ?? []).map((c) => c.split(';')[0]).join('; ');
    assert.ok(csrf, 'no CSRF token');
    const res = await get('/contact', {
      'accept-language': 'fr',
      'content-type': 'application/x-www-form-urlencoded',
      cookie,
    }, {
      method: 'POST',
      body: new URLSearchParams({
        csrf, name: '', email: 'not an address', organisation: '',
        subject: 'Membership', message: 'Bonjour',
      }).toString(),
    });
    assert.equal(res.status, 422);
    const body = await res.text();
    const text = textContent(body);
    assert.match(htmlTag(body), /lang="fr"/);
    assert.ok(text.includes('Votre nom est obligatoire'), `no French "required": ${text.slice(0, 2000)}`);
    assert.ok(text.includes('Adresse e-mail doit être une adresse e-mail, par exemple nom@exemple.org'),
      'no French e-mail message');
    assert.ok(text.includes('Veuillez corriger les points suivants'));
    assert.deepEqual(untranslatedEnglish(body, 'fr'), [], 'English left in the French errors');
  });

  test('the contact form refused by its rate limit says so in French', async () => {
    const first = await get('/contact', { 'accept-language': 'fr' });
    const csrf = /name="csrf" value="([^"]*)"/.exec(await first.text())?.[1];
    const cookie = (first.headers.getSetCookie?.() ?? []).map((c) => c.split(';')[0]).join('; ');
    const send = () => get('/contact', {
      'accept-language': 'fr', 'content-type': 'application/x-www-form-urlencoded', cookie,
    }, {
      method: 'POST',
      body: new URLSearchParams({
        csrf, name: 'Ana', email: 'limite@example.org', subject: 'Press', message: 'Bonjour',
      }).toString(),
    });
    for (let i = 0; i < 5; i++) assert.equal((await send()).status, 303, `message ${i + 1}`);
    const res = await send();
    assert.equal(res.status, 429);
    const html = await res.text();
    assert.match(textContent(html), /La limite d'envoi est atteinte pour votre connexion ou pour cette adresse \(messages\)\. Veuillez réessayer dans \d+ minutes?\./);
    assert.deepEqual(untranslatedEnglish(html, 'fr'), []);
  });

  test('the JSON errors of the API follow Accept-Language too', async () => {
    const res = await get('/api/v1/contact', {
      'accept-language': 'fr', 'content-type': 'application/json',
    }, { method: 'POST', body: JSON.stringify({ email: 'x' }) });
    assert.ok(res.status === 422 || res.status === 403 || res.status === 401, `status ${res.status}`);
    assert.equal(res.headers.get('content-language'), 'fr');
  });
});

describe('the test helper', () => {
  test('finds English msgids left on a page, ignoring one-word ones and markup', () => {
    const html = '<p>Aller au contenu</p><h2>Offices</h2><p>We use what you send only to ' +
      'answer you; see the <a href="/privacy">privacy policy</a>.</p><p>(optional, up to 7 MB)</p>';
    const found = untranslatedEnglish(html, 'fr');
    assert.ok(found.includes('We use what you send only to answer you; see the <a href="/privacy">privacy policy</a>.'));
    assert.ok(found.includes('(optional, up to {mb} MB)'));
    assert.ok(!found.includes('Offices'), 'one word is not reported');
    assert.deepEqual(untranslatedEnglish('Votre message est bien parvenu.', 'fr', { html: false }), []);
    assert.deepEqual(untranslatedEnglish('Message sent', 'fr', { html: false }), ['Message sent']);
    assert.deepEqual(untranslatedEnglish('{label} {message}', 'fr', { html: false }), [],
      'a translation equal to the English is not a miss');
  });

  test('reads PO files with plurals, continuations and fuzzy entries', () => {
    const e = parsePo('#, fuzzy\nmsgid "a"\nmsgstr "b"\n\nmsgid "one"\nmsgid_plural "many"\n' +
      'msgstr[0] "un"\nmsgstr[1] ""\n"plusieurs \\"x\\""\n');
    assert.equal(e.length, 2);
    assert.equal(e[0].fuzzy, true);
    assert.equal(e[1].plural, 'many');
    assert.deepEqual(e[1].strs, ['un', 'plusieurs "x"']);
  });
});

describe('default_language', () => {
  let fr;
  before(async () => { fr = await startServer({ env: { ALLIANCE_DEFAULT_LANGUAGE: 'fr' } }); });
  after(async () => { if (fr) await fr.stop(); });

  test('is the language when neither cookie nor Accept-Language chooses', async () => {
    const res = await fetch(fr.url + '/');
    const html = await res.text();
    assert.match(htmlTag(html), /lang="fr"/);
    const en = await (await fetch(fr.url + '/', { headers: { 'accept-language': 'en' } })).text();
    assert.match(htmlTag(en), /lang="en"/);
  });

  test('a default_language without a catalog stops the command with a clear message', async () => {
    const r = await new Promise((ok) => {
      execFile(allianceBin(), ['check-config'], {
        env: { ...process.env, ALLIANCE_DEFAULT_LANGUAGE: 'de' }, timeout: 30_000,
      }, (err, stdout, stderr) => ok({ code: err ? err.code : 0, stderr }));
    });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /default_language "de" has no catalog/);
  });
});
