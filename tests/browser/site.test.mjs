// site.test.mjs -- the public site in a real browser: Debian's chromium,
// driven by playwright-core, on a phone and a desktop viewport.  A person can
// reach About, Focal points and one focal area by clicking; the footer carries
// the membership and privacy links; the pages raise no errors under the
// site's own Content-Security-Policy; and axe-core finds no accessibility
// violations on the main pages.  Screenshots go to build/screenshots/.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  SHOTS, VIEWPORTS, launchBrowser, openPageOn, clickTo, assertNoAxeViolationsOn, mainNavLink,
} from '../lib/browser.mjs';
import { startServer } from '../lib/server.mjs';


const AXE_PAGES = [
  ['home', '/'],
  ['about', '/about'],
  ['privacy', '/privacy'],
  ['focal-points', '/focal-points'],
  ['focal-area', '/focal-points/femicide'],
  ['bodies', '/bodies'],
  ['contact', '/contact'],
];

const FOOTER_LINKS = ['Join', 'Renew', 'Benefits', 'Sponsor', 'Sign up for updates',
  'Privacy Policy'];

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

async function goto(page, path) {
  const res = await page.goto(srv.url + path, { waitUntil: 'load' });
  assert.equal(res.status(), 200, `GET ${path}`);
  return res;
}

/** Click the link named `name` in the site's main navigation (opening
 * the menu it is folded behind on a narrow screen). */
async function clickNav(page, name) {
  const link = await mainNavLink(page, name);
  assert.ok(await link.isVisible(), `no visible "${name}" link in the navigation`);
  await Promise.all([page.waitForLoadState('load'), link.click()]);
  await page.waitForLoadState('load');
}

for (const vp of VIEWPORTS) {
  describe(`${vp.name} ${vp.width}x${vp.height}`, () => {
    let context;    // the site as it is, CSP and all
    let axeContext; // CSP bypassed, only so that axe-core can be injected

    before(async () => {
      context = await browser.newContext({ viewport: { width: vp.width, height: vp.height } });
      axeContext = await browser.newContext({
        viewport: { width: vp.width, height: vp.height }, bypassCSP: true,
      });
    });
    after(async () => {
      await context?.close();
      await axeContext?.close();
    });

    test('the home page renders with a visible h1 and no errors', async () => {
      const page = await openPage(context);
      await goto(page, '/');
      const h1 = page.locator('h1').first();
      assert.ok(await h1.isVisible(), 'h1 not visible');
      assert.ok((await h1.innerText()).trim().length > 0, 'h1 empty');
      assert.equal(await page.getAttribute('html', 'lang'), 'en');
      // nothing wider than the screen: no sideways scrolling on a phone
      const overflow = await page.evaluate(() =>
        document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 0, `page is ${overflow}px wider than the viewport`);
      await page.screenshot({ path: `${SHOTS}/${vp.name}-home.png`, fullPage: true });
      assert.deepEqual(page.problems, []);
      await page.close();
    });

    test(vp.width < 768
      ? 'the main navigation is folded behind a Menu button that opens and closes'
      : 'the main navigation shows whole, with no Menu button', async () => {
      const page = await openPage(context);
      await goto(page, '/');
      const nav = page.getByRole('navigation', { name: 'Main' });
      const toggle = page.locator('header').getByRole('button', { name: 'Menu' });
      const about = nav.getByRole('link', { name: 'About', exact: true });
      if (vp.width >= 768) {
        assert.equal(await toggle.isVisible(), false, 'a Menu button on a wide screen');
        assert.ok(await about.isVisible(), 'the navigation is not shown');
      } else {
        // folded: the page's heading is on the first screen, under a
        // header of at most a fifth of it
        assert.equal(await about.isVisible(), false, 'the navigation is not folded');
        assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
        const header = await page.locator('header.site-header').boundingBox();
        assert.ok(header.height <= vp.height / 5, `the header is ${header.height}px high`);
        await toggle.click();
        assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
        assert.ok(await about.isVisible(), 'the menu did not open');
        await page.screenshot({ path: `${SHOTS}/${vp.name}-menu-open.png` });
        await about.focus();
        await page.keyboard.press('Escape');
        assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
        assert.equal(await about.isVisible(), false, 'Escape did not close the menu');
        assert.ok(await toggle.evaluate((b) => b === document.activeElement), 'the focus did not go back to Menu');
        // without scripts there is nothing to open it with: the list shows
        const bare = await browser.newContext({ viewport: { width: vp.width, height: vp.height }, javaScriptEnabled: false });
        try {
          const p2 = await bare.newPage();
          await p2.goto(srv.url + '/', { waitUntil: 'load' });
          assert.ok(await p2.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'About', exact: true }).isVisible(),
            'without scripts the navigation is hidden');
          assert.equal(await p2.locator('header').getByRole('button', { name: 'Menu' }).isVisible(), false);
        } finally {
          await bare.close();
        }
      }
      assert.deepEqual(page.problems, []);
      await page.close();
    });

    test('the navigation leads to About, Focal points and a focal area', async () => {
      const page = await openPage(context);
      await goto(page, '/');

      await clickNav(page, 'About');
      assert.equal(new URL(page.url()).pathname, '/about');
      assert.ok(await page.locator('h1').first().isVisible(), 'About: no h1');

      await clickNav(page, 'Focal points');
      assert.equal(new URL(page.url()).pathname, '/focal-points');
      assert.ok(await page.locator('h1').first().isVisible(), 'Focal points: no h1');

      const area = page.locator('main').getByRole('link', { name: /^Femicide/ }).first();
      await Promise.all([page.waitForURL('**/focal-points/femicide'), area.click()]);
      const h1 = page.locator('h1').first();
      assert.ok(await h1.isVisible(), 'focal area: no h1');
      assert.match(await h1.innerText(), /Femicide/);
      assert.deepEqual(page.problems, []);
      await page.close();
    });

    test('the footer links to Join, Renew, Benefits, Sponsor, updates and privacy', async () => {
      const page = await openPage(context);
      await goto(page, '/');
      const footer = page.locator('footer').last();
      assert.ok(await footer.count(), 'no <footer>');
      for (const name of FOOTER_LINKS) {
        const link = footer.getByRole('link', { name, exact: true });
        assert.ok(await link.count() >= 1, `footer has no "${name}" link`);
        assert.ok(await link.first().isVisible(), `footer link "${name}" not visible`);
        assert.ok(await link.first().getAttribute('href'), `footer link "${name}" has no href`);
      }
      await page.close();
    });

    test('a person can fill in and send the contact form', async () => {
      const page = await openPage(context);
      await goto(page, '/contact');
      const main = page.locator('main');
      await main.getByLabel(/name/i).first().fill('Ada Example');
      await main.getByLabel(/e-?mail/i).first().fill('ada@example.org');
      const subject = main.getByLabel(/subject/i).first();
      if (await subject.evaluate((el) => el.tagName === 'SELECT')) {
        const value = await subject.evaluate((el) =>
          [...el.options].find((o) => o.value)?.value);
        await subject.selectOption(value);
      } else {
        await subject.fill('A question');
      }
      await main.getByLabel(/message/i).first().fill('Hello from the browser test.');
      const send = main.getByRole('button', { name: /send|submit/i }).first();
      await Promise.all([page.waitForURL('**/contact/thanks'), send.click()]);
      assert.ok(await page.locator('h1').first().isVisible(), 'thanks page: no h1');
      await page.screenshot({ path: `${SHOTS}/${vp.name}-contact-thanks.png`, fullPage: true });
      assert.deepEqual(page.problems, []);
      await page.close();
    });

    test('a form sent with mistakes takes focus to its summary, and a summary link to the field', async () => {
      const page = await openPage(context);
      await goto(page, '/contact');
      const main = page.locator('main');
      await main.getByLabel(/e-?mail/i).first().fill('not an address');
      await clickTo(page, main.getByRole('button', { name: /send|submit/i }).first(), '**/contact');
      const focused = () => page.evaluate(() => {
        const el = document.activeElement;
        return el ? `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}.${el.className}` : 'none';
      });
      assert.match(await focused(), /^div#error-summary\.error-summary/, 'focus is not on the summary of mistakes');
      await page.screenshot({ path: `${SHOTS}/${vp.name}-contact-mistakes.png` });
      const first = page.locator('.error-summary a').first();
      const target = (await first.getAttribute('href')).slice(1);
      await first.click();
      assert.match(await focused(), new RegExp(`#${target}\\.`), `the link to #${target} did not move focus to it`);
      // the 422 itself is the page's answer, and chromium logs it
      assert.deepEqual(page.problems.filter((m) => !/status of 422/.test(m)), []);
      await page.close();
    });

    for (const [name, path] of AXE_PAGES) {
      test(`axe-core finds no violations on ${path}`, async () => {
        const page = await openPage(axeContext);
        await assertNoAxeViolationsOn(page, srv.url, path, axeSource, `${vp.name}-${name}`);
        await page.close();
      });
    }
  });
}
