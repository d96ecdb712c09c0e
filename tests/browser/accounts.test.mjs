// accounts.test.mjs -- a person's account in a real browser: Debian's
// chromium through playwright-core, on a phone and a desktop viewport.  A
// person signs up on the form, the test takes the confirmation link from
// the outbox (DATA/outbox/*.eml) and opens it in the browser, confirms,
// edits the profile (name, country, a focal area) and signs out -- all under
// the site's own Content-Security-Policy and without console errors.  Then
// axe-core checks the account pages, signed out and signed in.  Screenshots
// go to build/screenshots/accounts-*.png.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  SHOTS, VIEWPORTS, launchBrowser, openPageOn, clickTo, assertNoAxeViolationsOn,
} from '../lib/browser.mjs';
import { startServer } from '../lib/server.mjs';
import { nextMail, linkIn, uniqueEmail, personWithRole, PASSWORD } from '../lib/accounts.mjs';


const VISITOR_PAGES = [['signup', '/signup'], ['signin', '/signin'], ['reset', '/reset']];
const MEMBER_PAGES = [
  ['account', '/account'],
  ['profile', '/account/profile'],
  ['sessions', '/account/sessions'],
  ['tokens', '/account/tokens'],
];

let srv;
let browser;
let axeSource;

before(async () => {
  srv = await startServer();
  ({ browser, axeSource } = await launchBrowser());
});

after(async () => {
  if (browser) await browser.close();
  if (srv) await srv.stop();
});

const openPage = (context) => openPageOn(context, srv.url);

/** Runs axe-core on the page at path; fails with the violations found. */
const assertNoAxeViolations = (page, path, shot) =>
  assertNoAxeViolationsOn(page, srv.url, path, axeSource, `accounts-${shot}`);

for (const vp of VIEWPORTS) {
  describe(`${vp.name} ${vp.width}x${vp.height}`, () => {
    let context;    // the site as it is, CSP and all
    let axeContext; // CSP bypassed, only so that axe-core can be injected
    let member;     // a member made with `alliance user add` for the axe checks

    before(async () => {
      const viewport = { width: vp.width, height: vp.height };
      context = await browser.newContext({ viewport });
      axeContext = await browser.newContext({ viewport, bypassCSP: true });
      member = await personWithRole(srv, { role: 'member', name: `Axel ${vp.name}` });
    });
    after(async () => {
      await context?.close();
      await axeContext?.close();
    });

    test('a person signs up, confirms by the mailed link, edits the profile and signs out', async () => {
      const page = await openPage(context);
      const email = uniqueEmail(`browser-${vp.name}`);
      const main = page.locator('main');

      // sign up
      await page.goto(`${srv.url}/signup`, { waitUntil: 'load' });
      await main.getByLabel('Your name').fill('Bruna Browser');
      await main.getByLabel('Email').fill(email);
      await main.getByLabel(/privacy policy/).check();
      await clickTo(page, main.getByRole('button', { name: 'Create the account' }), '**/signup/sent');
      assert.equal(await page.locator('h1').first().innerText(), 'Check your e-mail');
      await page.screenshot({ path: `${SHOTS}/accounts-${vp.name}-signup-sent.png`, fullPage: true });

      // the link from the outbox, opened in this browser
      const link = linkIn(await nextMail(srv.dataDir, email, 0), '/verify?token=');
      await page.goto(srv.url + link, { waitUntil: 'load' });
      assert.equal(await page.locator('h1').first().innerText(), 'Confirm your address');
      await main.getByLabel(/^Password/).fill(PASSWORD);
      await clickTo(page, main.getByRole('button', { name: 'Confirm and create the account' }), '**/account?welcome=1');
      assert.match(await main.getByRole('status').innerText(), /Welcome!/);
      assert.match(await main.locator('dl').innerText(), /Bruna Browser/);
      assert.ok(await page.locator('header').getByRole('button', { name: 'Sign out' }).isVisible(),
        'no visible sign-out button in the header');

      // the profile: name, country, a focal area
      await clickTo(page, main.getByRole('link', { name: 'Your profile' }), '**/account/profile');
      await main.getByLabel('Name', { exact: true }).fill('Bruna B. Browser');
      await main.getByLabel(/^Country/).selectOption({ label: 'Brazil' });
      await main.getByRole('checkbox', { name: 'Femicide' }).check();
      await clickTo(page, main.getByRole('button', { name: 'Save the profile' }), '**/account/profile?saved=1');
      assert.match(await main.getByRole('status').innerText(), /Your profile has been saved/);
      assert.equal(await main.getByLabel('Name', { exact: true }).inputValue(), 'Bruna B. Browser');
      assert.equal(await main.getByLabel(/^Country/).inputValue(), 'BR');
      assert.ok(await main.getByRole('checkbox', { name: 'Femicide' }).isChecked(), 'Femicide is not kept');
      await page.screenshot({ path: `${SHOTS}/accounts-${vp.name}-profile-saved.png`, fullPage: true });

      // sign out, and the account is closed to this browser
      await clickTo(page, page.locator('header').getByRole('button', { name: 'Sign out' }), `${srv.url}/`);
      assert.ok(await page.locator('header').getByRole('link', { name: 'Sign in' }).isVisible(),
        'no "Sign in" link after signing out');
      await page.goto(`${srv.url}/account`, { waitUntil: 'load' });
      assert.equal(new URL(page.url()).pathname, '/signin');
      assert.equal(new URL(page.url()).searchParams.get('next'), '/account');
      assert.deepEqual(page.problems, []);
      await page.close();
    });

    for (const [name, path] of VISITOR_PAGES) {
      test(`axe-core finds no violations on ${path}`, async () => {
        const page = await openPage(axeContext);
        await assertNoAxeViolations(page, path, `${vp.name}-${name}`);
        await page.close();
      });
    }

    for (const [name, path] of MEMBER_PAGES) {
      test(`axe-core finds no violations on ${path} (signed in)`, async () => {
        const cookie = member.browser.jar.get('session');
        assert.ok(cookie, 'the member has no session cookie');
        await axeContext.addCookies([{ name: 'session', value: cookie, url: srv.url }]);
        const page = await openPage(axeContext);
        await assertNoAxeViolations(page, path, `${vp.name}-${name}`);
        await page.close();
        await axeContext.clearCookies();
      });
    }
  });
}
