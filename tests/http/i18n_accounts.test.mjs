// i18n_accounts.test.mjs -- the pages and e-mails of src/accounts in French
// (issue 10, point 4).  A browser that sends Accept-Language: fr walks
// sign-up, confirmation, sign-in (with its errors and its lock-out), the
// one-time sign-in link, password reset, the account page with every
// notice and error, the 409 of an address taken meanwhile, the profile
// (countries by their French names, sorted for the reader), the sessions
// and the API tokens (and the API's 403 to a token that would make
// tokens); each page's text must hold no English msgid of the catalogs
// (tests/lib/i18n.mjs), and each e-mail these pages send (confirmation,
// "already have an account", reset, password changed, new address,
// address changed, "someone tried to use your address") is checked the
// same way, text and subject.  The English site is the other files'
// business (accounts.test.mjs matches its words).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { untranslatedEnglish, textContent } from '../lib/i18n.mjs';
import {
  Browser, PASSWORD, hiddenFields, mailsTo, nextMail, outboxDrained, linkIn,
  uniqueEmail, personWithRole, cli, sql, sqlText,
} from '../lib/accounts.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { if (srv) await srv.stop(); });

/** A browser whose every request asks for French. */
class FrenchBrowser extends Browser {
  headers(extra = {}) {
    return super.headers({ 'accept-language': 'fr', ...extra });
  }
}

/** A person made by `alliance user add`, signed in, now reading in French. */
async function frenchPerson(name) {
  const p = await personWithRole(srv, { role: 'member', name });
  const b = new FrenchBrowser(srv.url);
  b.jar = new Map(p.browser.jar);
  await outboxDrained(srv.dataDir); // the English "password changed" of the set-up
  return { ...p, browser: b };
}

/** Asserts html is a French page with none of the catalogs' English. */
function assertFrench(html, what) {
  assert.match(/<html\b[^>]*>/.exec(html)?.[0] ?? '', /lang="fr"/, `${what}: not a French page`);
  assert.deepEqual(untranslatedEnglish(html, 'fr'), [], `English left on ${what}`);
}

/** GET path in b: asserts the status and a French page; resolves to its text. */
async function frenchPage(b, path, status = 200) {
  const res = await b.get(path);
  const html = await res.text();
  assert.equal(res.status, status, `GET ${path}: ${res.status} ${html.slice(0, 300)}`);
  assertFrench(html, `GET ${path}`);
  return textContent(html);
}

/** POST fields to action in b (the page's hidden fields added): asserts the
 * status and a French page; resolves to {html, text}. */
async function frenchPost(b, pagePath, action, fields, status) {
  const page = await (await b.get(pagePath)).text();
  const res = await b.post(action, { ...hiddenFields(page, action), ...fields });
  const html = await res.text();
  assert.equal(res.status, status, `POST ${action}: ${res.status} ${html.slice(0, 300)}`);
  assertFrench(html, `POST ${action} (${status})`);
  return { html, text: textContent(html) };
}

/** Asserts a message is in French: subject and text part.  (Pages are
 * compared as textContent gives them: no-break spaces become spaces.) */
function assertFrenchMail(mail, subject, sentence) {
  assert.equal(mail.msg.decoded.subject, subject);
  assert.deepEqual(untranslatedEnglish(mail.text, 'fr', { html: false }), [],
    `English left in the mail "${subject}":\n${mail.text}`);
  assert.deepEqual(untranslatedEnglish(mail.msg.decoded.subject, 'fr', { html: false }), []);
  assert.ok(mail.text.replace(/\s+/g, ' ').includes(sentence), `"${sentence}" not in:\n${mail.text}`);
}

describe('accounts in French', () => {
  test('sign-up, its errors, its mails and the confirmation page', async () => {
    const b = new FrenchBrowser(srv.url);
    let text = await frenchPage(b, '/signup');
    assert.ok(text.includes('Créer un compte'));
    assert.ok(text.includes('J’ai lu la politique de confidentialité et je l’accepte.'));
    ({ text } = await frenchPost(b, '/signup', '/signup', { name: '', email: 'not an address' }, 422));
    assert.ok(text.includes('Veuillez corriger les points suivants'));
    ({ text } = await frenchPost(b, '/signup', '/signup',
      { name: 'Françoise Français', email: uniqueEmail('fr') }, 422));
    assert.ok(text.includes('L’acceptation de la politique de confidentialité est obligatoire'), text);

    const email = uniqueEmail('fr-signup');
    const page = await (await b.get('/signup')).text();
    const res = await b.post('/signup', {
      ...hiddenFields(page, '/signup'), name: 'Françoise Français', email, consent: '1',
    });
    assert.equal(res.status, 303);
    text = await frenchPage(b, '/signup/sent');
    assert.ok(text.includes('Consultez votre messagerie'));
    const mail = await nextMail(srv.dataDir, email, 0);
    assertFrenchMail(mail, 'Confirmez votre adresse', 'Bonjour Françoise Français,');
    const link = linkIn(mail, '/verify?token=');
    text = await frenchPage(b, link);
    assert.ok(text.includes('Choisissez le mot de passe de votre compte pour terminer sa création.'));
    const short = await (await b.get(link)).text();
    const r422 = await b.post('/verify', { ...hiddenFields(short, '/verify'), password: 'short' });
    const h422 = await r422.text();
    assert.equal(r422.status, 422);
    assertFrench(h422, 'POST /verify (a short password)');
    const done = await b.post('/verify', { ...hiddenFields(short, '/verify'), password: PASSWORD });
    assert.equal(done.status, 303);
    text = await frenchPage(b, '/account?welcome=1');
    assert.ok(text.includes('Bienvenue ! Votre adresse est confirmée et vous êtes connecté.'));
    // the link again: gone, in French
    text = await frenchPage(b, link, 410);
    assert.ok(text.includes('Ce lien ne peut pas être utilisé'));

    // signing up again with the address: the "you have an account" mail
    const seen = (await mailsTo(srv.dataDir, email)).length;
    const again = new FrenchBrowser(srv.url);
    const p2 = await (await again.get('/signup')).text();
    await again.post('/signup', { ...hiddenFields(p2, '/signup'), name: 'F', email, consent: '1' });
    const known = await nextMail(srv.dataDir, email, seen);
    assertFrenchMail(known, 'Quelqu’un a essayé de créer un compte avec votre adresse',
      'Si ce n’était pas vous, vous pouvez ignorer ce message.');
  });

  test('sign-in, its errors and lock-out, the one-time link, reset and its mail', async () => {
    const p = await frenchPerson('Sylvain Signin');
    const b = new FrenchBrowser(srv.url);
    let text = await frenchPage(b, '/signin');
    assert.ok(text.includes('Mot de passe oublié ?'));
    await frenchPost(b, '/signin', '/signin', { email: '', password: '' }, 422);
    for (let i = 0; i < 5; i++) {
      ({ text } = await frenchPost(b, '/signin', '/signin', { email: p.email, password: 'wrong one' }, 401));
      assert.ok(text.includes('L’adresse e-mail ou le mot de passe n’est pas correct.'));
    }
    ({ text } = await frenchPost(b, '/signin', '/signin', { email: p.email, password: 'wrong one' }, 429));
    assert.match(text, /Veuillez patienter 1\d minutes avant de réessayer/);

    // an account whose address is not confirmed: 403 in French
    const u = await frenchPerson('Ulysse Unconfirmed');
    await sql(srv.dataDir, `UPDATE people SET email_verified_at = NULL WHERE email = ${sqlText(u.email)}`);
    ({ text } = await frenchPost(new FrenchBrowser(srv.url), '/signin', '/signin', { email: u.email, password: PASSWORD }, 403));
    assert.ok(text.includes('Veuillez d’abord confirmer votre adresse'));

    // the reset and its mail
    text = await frenchPage(b, '/reset');
    assert.ok(text.includes('Choisissez un nouveau mot de passe'));
    await frenchPost(b, '/reset', '/reset', { email: 'nope' }, 422);
    const seen = (await mailsTo(srv.dataDir, p.email)).length;
    const res = await b.post('/reset', { ...hiddenFields(await (await b.get('/reset')).text(), '/reset'), email: p.email });
    assert.equal(res.status, 303);
    text = await frenchPage(b, '/reset/sent');
    assert.ok(text.includes('Le lien est valable une heure.'));
    const mail = await nextMail(srv.dataDir, p.email, seen);
    assertFrenchMail(mail, 'Choisissez un nouveau mot de passe', 'Bonjour Sylvain Signin,');
    const link = linkIn(mail, '/reset/confirm?token=');
    await frenchPage(b, link);
    await frenchPost(b, link, '/reset/confirm', { password: 'short' }, 422);

    // a one-time sign-in link's page (made by alliance user add)
    const { stdout } = await cli(srv.dataDir, ['user', 'add', uniqueEmail('fr-link'), '--name', 'Léa Lien']);
    const m = /\/signin\/link\?token=[A-Za-z0-9_-]+/.exec(stdout);
    text = await frenchPage(b, m[0]);
    assert.ok(text.includes('Ce lien vous connecte une seule fois.'));
    await frenchPage(b, '/signin/link?token=made-up', 410);
  });

  test('the account page: notices, errors, the password and address mails', async () => {
    const p = await frenchPerson('Agathe Account');
    const b = p.browser;
    let text = await frenchPage(b, '/account');
    assert.ok(text.includes('Modifier votre mot de passe'));
    assert.ok(text.includes('Compte standard'), 'the role in French');
    for (const done of ['password', 'email-sent', 'email']) await frenchPage(b, `/account?done=${done}`);
    ({ text } = await frenchPost(b, '/account', '/account/password', { current: 'wrong', password: 'short' }, 422));
    ({ text } = await frenchPost(b, '/account', '/account/password',
      { current: 'not the password', password: 'a different long passphrase' }, 422));
    assert.ok(text.includes('Le mot de passe actuel n’est pas correct'));
    ({ text } = await frenchPost(b, '/account', '/account/email', { current: PASSWORD, email: p.email }, 422));
    assert.ok(text.includes('La nouvelle adresse e-mail est déjà celle de votre compte'));

    // the password changed: its notice mail
    let seen = (await mailsTo(srv.dataDir, p.email)).length;
    let res = await b.post('/account/password', {
      ...hiddenFields(await (await b.get('/account')).text(), '/account/password'),
      current: PASSWORD, password: 'a different long passphrase',
    });
    assert.equal(res.status, 303);
    assertFrenchMail(await nextMail(srv.dataDir, p.email, seen), 'Votre mot de passe a été changé',
      'Bonjour Agathe Account,');

    // a new address: the link to it, then the notice to the old one
    const next = uniqueEmail('fr-new');
    res = await b.post('/account/email', {
      ...hiddenFields(await (await b.get('/account')).text(), '/account/email'),
      current: 'a different long passphrase', email: next,
    });
    assert.equal(res.status, 303);
    const confirm = await nextMail(srv.dataDir, next, 0);
    assertFrenchMail(confirm, 'Confirmez votre nouvelle adresse', 'Bonjour Agathe Account,');
    const link = linkIn(confirm, '/account/email/confirm?token=');
    text = await frenchPage(b, link);
    assert.ok(text.includes('Utiliser la nouvelle adresse'));
    seen = (await mailsTo(srv.dataDir, p.email)).length;
    res = await b.post('/account/email/confirm', hiddenFields(await (await b.get(link)).text(), '/account/email/confirm'));
    assert.equal(res.status, 303);
    assertFrenchMail(await nextMail(srv.dataDir, p.email, seen), 'L’adresse de votre compte a été changée',
      `L’adresse de votre compte est désormais ${next}.`);

    // a link to an address another account took since: 409, in French
    const raced = uniqueEmail('fr-raced');
    res = await b.post('/account/email', {
      ...hiddenFields(await (await b.get('/account')).text(), '/account/email'),
      current: 'a different long passphrase', email: raced,
    });
    assert.equal(res.status, 303);
    const racedLink = linkIn(await nextMail(srv.dataDir, raced, 0), '/account/email/confirm?token=');
    await personWithRole(srv, { role: 'member', name: 'Rita Raced', email: raced });
    ({ text } = await frenchPost(b, racedLink, '/account/email/confirm', {}, 409));
    assert.ok(text.includes('Cette adresse est déjà utilisée'));

    // an address another account has: its owner is told, in French
    const other = await frenchPerson('Odile Other');
    seen = (await mailsTo(srv.dataDir, other.email)).length;
    res = await b.post('/account/email', {
      ...hiddenFields(await (await b.get('/account')).text(), '/account/email'),
      current: 'a different long passphrase', email: other.email,
    });
    assert.equal(res.status, 303);
    assertFrenchMail(await nextMail(srv.dataDir, other.email, seen), 'Quelqu’un a essayé d’utiliser votre adresse',
      'Bonjour Odile Other,');
  });

  test('the profile: countries by their French names, sorted, the saved one selected', async () => {
    const p = await frenchPerson('Pauline Profil');
    const b = p.browser;
    let html = await (await b.get('/account/profile')).text();
    assertFrench(html, 'GET /account/profile');
    const options = [...html.matchAll(/<option value="([A-Z]{2})"[^>]*>([^<]*)<\/option>/g)]
      .map((m) => [m[1], m[2]]);
    assert.equal(options.length, 249);
    const name = Object.fromEntries(options);
    assert.equal(name.AT, 'Autriche');
    assert.equal(name.DE, 'Allemagne');
    assert.equal(name.EG, 'Égypte');
    const at = (code) => options.findIndex(([c]) => c === code);
    assert.ok(at('DK') < at('EG') && at('EG') < at('ES'), 'Égypte sorted among the E (Danemark, Égypte, Espagne)');
    assert.doesNotMatch(html, />Austria</);

    const res = await b.post('/account/profile', {
      ...hiddenFields(html, '/account/profile'), name: 'Pauline Profil', country: 'AT', visibility: 'members',
    });
    assert.equal(res.status, 303);
    html = await (await b.get('/account/profile?saved=1')).text();
    assertFrench(html, 'GET /account/profile?saved=1');
    assert.match(html, /<option value="AT" selected>Autriche<\/option>/);
    assert.ok(textContent(html).includes('Votre profil a été enregistré.'));

    const { text } = await frenchPost(b, '/account/profile', '/account/profile',
      { name: '', country: 'XX', visibility: 'members', language: 'zz' }, 422);
    assert.ok(text.includes('Choisissez l’une des langues proposées.'));
  });

  test('sessions and API tokens', async () => {
    const p = await frenchPerson('Théo Tokens');
    const b = p.browser;
    let text = await frenchPage(b, '/account/sessions');
    assert.ok(text.includes('(ce navigateur)'));
    text = await frenchPage(b, '/account/tokens');
    assert.ok(text.includes('Jetons d’API'));
    await frenchPost(b, '/account/tokens', '/account/tokens', { name: '' }, 422);
    ({ text } = await frenchPost(b, '/account/tokens', '/account/tokens', { name: 'Mon script' }, 201));
    assert.ok(text.includes('Jeton « Mon script »'));
    text = await frenchPage(b, '/account/tokens');
    assert.ok(text.includes('jamais'));
    // a token cannot make tokens: the API's 403 says so in French
    const token = /<input id="token"[^>]*value="([^"]+)"/.exec(
      await (await b.post('/account/tokens', { ...hiddenFields(await (await b.get('/account/tokens')).text(), '/account/tokens'), name: 'Autre' })).text())?.[1];
    assert.ok(token);
    const api = await fetch(`${srv.url}/api/v1/account/tokens`, {
      method: 'POST', body: JSON.stringify({ name: 'minted' }),
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'accept-language': 'fr' },
    });
    assert.equal(api.status, 403);
    const message = (await api.json()).error.message;
    assert.match(message, /^Les jetons d’API se créent dans le navigateur/);
    assert.deepEqual(untranslatedEnglish(message, 'fr', { html: false }), []);
    const res = await b.post('/account/sessions/999999/end',
      hiddenFields(await (await b.get('/account/sessions')).text()));
    const html = await res.text();
    assert.equal(res.status, 404);
    assert.ok(textContent(html).includes('Cette session n’existe pas.'));
  });
});
