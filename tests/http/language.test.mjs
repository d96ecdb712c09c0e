// language.test.mjs -- the language a person reads the site and its mail in
// (issue 10): the chooser in every page's header (a link per language, in
// its own name, the current one marked), GET /language/:code (the "lang"
// cookie for a year, back to the page one was on and never to another
// site, saved on a signed-in account), the profile's Language field, and
// mail to an account written in that account's language (Content-Language
// and, where the catalog has it, the words).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import {
  Browser, mailsTo, nextMail, outboxDrained, personId, personWithRole, sqlValue, sql, sqlText,
  uniqueEmail, mainOf, hiddenFields,
} from '../lib/accounts.mjs';

let srv;

before(async () => { srv = await startServer(); });
after(async () => { if (srv) await srv.stop(); });

// English first (the source), then the catalogs' codes in order
const LANGS = [['en', 'English'], ['ar', 'العربية'], ['fr', 'Français']];

/** The chooser's links in a page: [{code, name, href, current, hreflang, dir}]. */
function chooser(html) {
  const nav = /<nav class="language-nav"[^>]*>([\s\S]*?)<\/nav>/.exec(html);
  assert.ok(nav, 'no language chooser in the page');
  return [...nav[1].matchAll(/<a ([^>]*)>([^<]*)<\/a>/g)].map(([, attrs, name]) => {
    const a = Object.fromEntries([...attrs.matchAll(/([\w-]+)="([^"]*)"/g)].map(([, k, v]) => [k, v]));
    return { name, href: a.href.replace(/&amp;/g, '&'), lang: a.lang, hreflang: a.hreflang, dir: a.dir, current: a['aria-current'] };
  });
}

async function choose(b, path) {
  const res = await b.get(path);
  const body = await res.text();
  return { res, body };
}

describe('the chooser in the header', () => {
  test('every language is a link in its own name with lang and hreflang, back to this page', async () => {
    const b = new Browser(srv.url);
    const links = chooser(await b.html('/members?q=gene'));
    assert.deepEqual(links.map((l) => [l.lang, l.name]), LANGS);
    for (const l of links) {
      assert.equal(l.hreflang, l.lang);
      assert.equal(l.href, `/language/${l.lang}?next=${encodeURIComponent('/members?q=gene')}`);
    }
    assert.equal(links.find((l) => l.lang === 'ar').dir, 'rtl');
    assert.deepEqual(links.filter((l) => l.current).map((l) => [l.lang, l.current]), [['en', 'true']]);
  });

  test('the chooser is on error pages too', async () => {
    const res = await fetch(`${srv.url}/no-such-page`);
    assert.equal(res.status, 404);
    assert.equal(chooser(await res.text()).length, LANGS.length);
  });
});

describe('GET /language/:code', () => {
  test('sets the lang cookie for a year and goes back to the page', async () => {
    const b = new Browser(srv.url);
    const { res } = await choose(b, `/language/fr?next=${encodeURIComponent('/members?q=gene')}`);
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/members?q=gene');
    const c = b.lastCookies.find((x) => x.name === 'lang');
    assert.ok(c, `no lang cookie: ${b.lastCookies.map((x) => x.line).join(' | ')}`);
    assert.equal(c.value, 'fr');
    assert.equal(c.attrs['max-age'], String(365 * 24 * 3600), c.line);
    assert.equal(c.attrs.path, '/', c.line);
    assert.equal(c.attrs.httponly, true, c.line);
    assert.equal(String(c.attrs.samesite).toLowerCase(), 'lax', c.line);
    assert.equal(c.attrs.secure, undefined, c.line);
    assert.match(res.headers.get('cache-control') || '', /no-store/);
  });

  test('never sends the visitor to another site', async () => {
    for (const next of ['//evil.example', 'https://evil.example', '/\\evil', '/\\/evil.example',
      'evil.example', 'javascript:alert(1)', '', '/\u0000x']) {
      const b = new Browser(srv.url);
      const { res } = await choose(b, `/language/ar?next=${encodeURIComponent(next)}`);
      assert.equal(res.status, 303, JSON.stringify(next));
      assert.equal(res.headers.get('location'), '/', `next=${JSON.stringify(next)}`);
      assert.equal(b.jar.get('lang'), 'ar', `next=${JSON.stringify(next)}`);
    }
    const { res } = await choose(new Browser(srv.url), '/language/en');
    assert.equal(res.headers.get('location'), '/');
  });

  test('an unknown code is a 404 that names the languages, and sets nothing', async () => {
    for (const code of ['xx', 'english', 'fr-CA', '%C3%A9']) {
      const b = new Browser(srv.url);
      const { res, body } = await choose(b, `/language/${code}?next=/about`);
      assert.equal(res.status, 404, code);
      assert.match(body, /There is no language with that code/);
      assert.match(body, /Français \(fr\)/);
      assert.equal(b.jar.get('lang'), undefined, code);
    }
  });

  test('a signed-in person\'s choice is saved on the account, with an audit record', async () => {
    const p = await personWithRole(srv, { name: 'Lina Langue' });
    const id = await personId(srv.dataDir, p.email);
    assert.equal(await sqlValue(srv.dataDir, `SELECT coalesce(language, 'NULL') FROM people WHERE id = ${id}`), 'NULL');
    const { res } = await choose(p.browser, '/language/fr?next=/account');
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/account');
    assert.equal(await sqlValue(srv.dataDir, `SELECT language FROM people WHERE id = ${id}`), 'fr');
    assert.equal(await sqlValue(srv.dataDir, `SELECT after_json FROM audit_log
      WHERE action = 'person.language.set' AND object_id = '${id}'`), '{"language":"fr"}');
    // the same choice again writes nothing
    await choose(p.browser, '/language/fr?next=/account');
    assert.equal(await sqlValue(srv.dataDir, `SELECT count(*) FROM audit_log
      WHERE action = 'person.language.set' AND object_id = '${id}'`), '1');
    // a link followed from another site changes this browser, not the account
    const cross = await p.browser.get('/language/ar?next=/account', { 'sec-fetch-site': 'cross-site' });
    assert.equal(cross.status, 303);
    assert.equal(p.browser.jar.get('lang'), 'ar');
    assert.equal(await sqlValue(srv.dataDir, `SELECT language FROM people WHERE id = ${id}`), 'fr');
    await choose(p.browser, '/language/ar?next=/account'); // same-site (or not said): saved
    assert.equal(await sqlValue(srv.dataDir, `SELECT language FROM people WHERE id = ${id}`), 'ar');
  });
});

describe('behind TLS', () => {
  let tls;
  before(async () => { tls = await startServer({ env: { ALLIANCE_BEHIND_TLS: 'yes' } }); });
  after(async () => { if (tls) await tls.stop(); });

  test('the lang cookie is Secure', async () => {
    const b = new Browser(tls.url);
    const { res } = await choose(b, '/language/fr?next=/');
    assert.equal(res.status, 303);
    const c = b.lastCookies.find((x) => x.name === 'lang');
    assert.ok(c);
    assert.equal(c.attrs.secure, true, c.line);
  });
});

describe('the profile\'s Language field', () => {
  test('lists the languages in their own names and saves the one chosen with the profile', async () => {
    const p = await personWithRole(srv, { name: 'Pia Profil' });
    const id = await personId(srv.dataDir, p.email);
    let page = await p.browser.html('/account/profile');
    const select = /<select id="language" name="language">([\s\S]*?)<\/select>/.exec(page)?.[1];
    assert.ok(select, 'no Language select on the profile');
    assert.deepEqual([...select.matchAll(/<option value="([^"]*)"[^>]*>([^<]*)</g)].map((m) => [m[1], m[2]]),
      [['', 'As your browser asks'], ...LANGS]);
    const fields = { name: 'Pia Profil', visibility: 'members', language: 'ar' };
    p.browser.jar.set('lang', 'fr'); // chosen earlier in this browser
    let res = await p.browser.submit('/account/profile', '/account/profile', fields);
    assert.equal(res.status, 303, await res.text());
    assert.equal(await sqlValue(srv.dataDir, `SELECT language FROM people WHERE id = ${id}`), 'ar');
    // the cookie, which outranks the account, follows the saved language
    assert.equal(p.browser.jar.get('lang'), 'ar');
    page = await p.browser.html('/account/profile');
    assert.match(page, /<option value="ar" lang="ar" selected>العربية<\/option>/);
    // the account's language is the page's now (no cookie, no Accept-Language)
    assert.match(page, /<html lang="ar" dir="rtl">/);
    // a code that is not offered: the form again with a message (in the
    // account's language), nothing saved
    res = await p.browser.submit('/account/profile', '/account/profile', { ...fields, language: 'xx' });
    assert.equal(res.status, 422);
    assert.match(mainOf(await res.text()), /اختر إحدى اللغات المعروضة/);
    assert.equal(await sqlValue(srv.dataDir, `SELECT language FROM people WHERE id = ${id}`), 'ar');
    // none: the browser decides again (the cookie goes too)
    res = await p.browser.submit('/account/profile', '/account/profile', { ...fields, language: '' });
    assert.equal(res.status, 303);
    assert.equal(await sqlValue(srv.dataDir, `SELECT coalesce(language, 'NULL') FROM people WHERE id = ${id}`), 'NULL');
    assert.equal(p.browser.jar.get('lang'), undefined);
    res = await p.browser.get('/account/profile', { 'accept-language': 'fr' });
    assert.match(await res.text(), /<html lang="fr" dir="ltr">/);
  });
});

describe('mail in the reader\'s language', () => {
  /** Asks for a password reset for email from a fresh browser (a visitor
   * whose own language is visitorLang); resolves to the message. */
  async function resetMail(email, visitorLang = null) {
    await outboxDrained(srv.dataDir);
    const seen = (await mailsTo(srv.dataDir, email)).length;
    const b = new Browser(srv.url);
    if (visitorLang) b.jar.set('lang', visitorLang);
    const res = await b.submit('/reset', '/reset', { email });
    assert.equal(res.status, 303, await res.text());
    return nextMail(srv.dataDir, email, seen);
  }

  test('a French account\'s password-reset mail is in French, an English account\'s in English', async () => {
    const fr = await personWithRole(srv, { name: 'Françoise Martin' });
    const en = await personWithRole(srv, { name: 'Edward Jones' });
    await sql(srv.dataDir, `UPDATE people SET language = 'fr' WHERE email = ${sqlText(fr.email)};
      UPDATE people SET language = 'en' WHERE email = ${sqlText(en.email)}`);
    // whoever asks, and in whatever language they read the site
    const frMail = await resetMail(fr.email, 'en');
    assert.equal(frMail.msg.headers['content-language'], 'fr');
    assert.equal(frMail.msg.decoded.subject, 'Choisissez un nouveau mot de passe');
    assert.match(frMail.text, /^Bonjour Françoise Martin,\r?\n\r?\nQuelqu’un, peut-être vous, a demandé/);
    assert.match(frMail.text, /Le lien ne fonctionne qu’une fois, pendant une heure/);
    const enMail = await resetMail(en.email, 'fr');
    assert.equal(enMail.msg.headers['content-language'], 'en');
    assert.equal(enMail.msg.decoded.subject, 'Choose a new password');
    assert.match(enMail.text, /^Hello Edward Jones,/);
  });

  test('an account that chose no language gets the language of the one who asked', async () => {
    const p = await personWithRole(srv, { name: 'Nadia Nolang' });
    let m = await resetMail(p.email);
    assert.equal(m.msg.headers['content-language'], 'en');
    m = await resetMail(p.email, 'fr');
    assert.equal(m.msg.headers['content-language'], 'fr');
    assert.equal(m.msg.decoded.subject, 'Choisissez un nouveau mot de passe');
  });

  test('a French visitor\'s receipt (the sign-up confirmation) is in French', async () => {
    const email = uniqueEmail('visiteur');
    const b = new Browser(srv.url);
    b.jar.set('lang', 'fr');
    const page = await b.html('/signup');
    assert.match(page, /<html lang="fr" dir="ltr">/);
    const res = await b.submit('/signup', '/signup', { name: 'Vincent Visiteur', email, consent: '1' });
    assert.equal(res.status, 303, await res.text());
    const m = await nextMail(srv.dataDir, email, 0);
    assert.equal(m.msg.headers['content-language'], 'fr');
    assert.equal(m.msg.decoded.subject, 'Confirmez votre adresse');
    assert.match(m.text, /^Bonjour Vincent Visiteur,\r?\n\r?\nVeuillez confirmer que c’est bien votre adresse/);
  });

  test('Accept-Language alone decides a visitor\'s receipt too', async () => {
    const email = uniqueEmail('visiteuse');
    const b = new Browser(srv.url);
    const page = await b.html('/signup');
    const res = await b.post('/signup', { ...hiddenFields(page, '/signup'), name: 'Vera', email, consent: '1' },
      { 'accept-language': 'fr-CH, fr;q=0.9, en;q=0.5' });
    assert.equal(res.status, 303, await res.text());
    const m = await nextMail(srv.dataDir, email, 0);
    assert.equal(m.msg.decoded.subject, 'Confirmez votre adresse');
  });

  test('the chooser\'s choice decides the language of the account\'s next notice', async () => {
    const p = await personWithRole(srv, { name: 'Amal Adresse' });
    await choose(p.browser, '/language/ar?next=/account');
    await outboxDrained(srv.dataDir);
    const old = (await mailsTo(srv.dataDir, p.email)).length;
    const res = await p.browser.submit('/account', '/account/password',
      { current: p.password, password: 'another horse battery staple' });
    assert.equal(res.status, 303);
    const m = await nextMail(srv.dataDir, p.email, old);
    assert.equal(m.msg.headers['content-language'], 'ar');
  });
});
