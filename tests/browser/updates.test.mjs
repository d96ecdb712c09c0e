// updates.test.mjs -- updates by e-mail in a real browser (Debian's
// chromium through playwright-core), on a phone and a desktop viewport:
// the footer's link opens the form; sent empty, it shows its messages with
// focus on the summary and the field marked invalid; filled in, it says to
// check the e-mail; the mailed link opens the page whose button confirms;
// the confirmation page says nothing has been sent yet.  axe-core checks
// every page visited (page.problems), with the site's own CSP, and the
// account page, the secretariat's list and the privacy policy.  No page is
// wider than the viewport.  Screenshots go to
// build/screenshots/updates-*.png.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  SHOTS, VIEWPORTS, launchBrowser, openPageOn, clickTo, assertNoAxeViolationsOn,
} from '../lib/browser.mjs';
import { startServer } from '../lib/server.mjs';
import { nextMail, linkIn, uniqueEmail, personWithRole } from '../lib/accounts.mjs';

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

/** Fails when the page scrolls sideways. */
async function assertFits(page, what) {
  const { scroll, inner } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth, inner: window.innerWidth,
  }));
  assert.ok(scroll <= inner, `${what} is ${scroll} px wide in a ${inner} px viewport`);
}

for (const vp of VIEWPORTS) {
  describe(`${vp.name} ${vp.width}x${vp.height}`, () => {
    test('a visitor signs up from the footer, corrects the form, confirms by the mailed link', async () => {
      const context = await browser.newContext({ viewport: { width: vp.width, height: vp.height } });
      const page = await openPageOn(context, srv.url);
      const main = page.locator('main');
      const shot = (name) => page.screenshot({ path: `${SHOTS}/updates-${vp.name}-${name}.png`, fullPage: true });

      await page.goto(`${srv.url}/about`, { waitUntil: 'load' });
      await clickTo(page, page.locator('footer').getByRole('link', { name: 'Sign up for updates' }),
        '**/updates/subscribe');
      assert.equal(await page.locator('h1').first().innerText(), 'Updates by e-mail');
      await assertFits(page, 'the form');
      await shot('form');

      // sent empty: the messages, focus on them, the field marked
      await clickTo(page, main.getByRole('button', { name: 'Sign up' }), '**/updates/subscribe');
      assert.equal(await page.evaluate(() => document.activeElement?.className), 'error-summary');
      assert.equal(await main.getByLabel('Email').getAttribute('aria-invalid'), 'true');
      await assertFits(page, 'the form with its errors');
      await shot('errors');

      const email = uniqueEmail(`browser-${vp.name}`);
      await main.getByLabel('Email').fill(email);
      await main.getByLabel(/Your name/).fill('Bea Browser');
      await clickTo(page, main.getByRole('button', { name: 'Sign up' }), '**/updates/sent');
      assert.equal(await page.locator('h1').first().innerText(), 'Check your e-mail');

      const link = linkIn(await nextMail(srv.dataDir, email, 0), '/updates/confirm?token=');
      await page.goto(srv.url + link, { waitUntil: 'load' });
      assert.match(await main.innerText(), new RegExp(email));
      await shot('confirm');
      await clickTo(page, main.getByRole('button', { name: 'Confirm my subscription' }), '**/updates/confirmed');
      assert.equal(await page.locator('h1').first().innerText(), 'You are on the list');
      assert.match(await main.innerText(), /No update has been sent yet/);
      await assertFits(page, 'the confirmation page');
      await shot('confirmed');

      // the 422 itself is the form's answer, and chromium logs it
      assert.deepEqual(page.problems.filter((m) => !/status of 422 .*\/updates\/subscribe/.test(m)), []);
      await context.close();
    });

    for (const [role, path] of [['member', '/account/updates'], ['admin', '/admin/updates'], [null, '/privacy']]) {
      test(`axe-core finds no violations on ${path}${role ? ` as ${role}` : ''}, and it fits`, async () => {
        const context = await browser.newContext({ viewport: { width: vp.width, height: vp.height }, bypassCSP: true });
        if (role) {
          const who = await personWithRole(srv, { role, name: `Uma ${role} ${vp.name}` });
          await context.addCookies([{ name: 'session', value: who.browser.jar.get('session'), url: srv.url }]);
        }
        const page = await openPageOn(context, srv.url);
        const name = path.replace(/\//g, '-').replace(/^-/, '');
        await assertNoAxeViolationsOn(page, srv.url, path, axeSource, `updates-${vp.name}-${name}`);
        await assertFits(page, path);
        await context.close();
      });
    }
  });
}
