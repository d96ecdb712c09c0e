// ical_feeds.test.mjs -- the page of a person's calendar feed
// (/account/calendar, src/calendar/feeds.c) in chromium at 390 and 1280 px:
// the address shown on the first visit, renewed by clicking (a new address,
// which answers a calendar), nothing wider than the viewport, axe-core clean
// on every page visited.  Screenshots build/screenshots/calfeed-*.png.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SHOTS, VIEWPORTS, launchBrowser, openPageOn, clickTo } from '../lib/browser.mjs';
import { startServer } from '../lib/server.mjs';
import { cli, uniqueEmail } from '../lib/accounts.mjs';

let srv;
let browser;

before(async () => {
  srv = await startServer();
  ({ browser } = await launchBrowser());
});

after(async () => {
  if (browser) await browser.close();
  if (srv) await srv.stop();
});

/** A member signed in through their one-time link, in a new context. */
async function memberPage(viewport, name) {
  const { stdout } = await cli(srv.dataDir, ['user', 'add', uniqueEmail(`calfeed-${name}`),
    '--name', `Cal Feed ${name}`, '--role', 'member']);
  const m = /https?:\/\/\S+\/signin\/link\?token=[A-Za-z0-9_-]+/.exec(stdout);
  assert.ok(m, `no sign-in link in:\n${stdout}`);
  const link = new URL(m[0]);
  const context = await browser.newContext({ viewport });
  const page = await openPageOn(context, srv.url);
  await page.goto(srv.url + link.pathname + link.search, { waitUntil: 'load' });
  await clickTo(page, page.locator('main').getByRole('button', { name: 'Sign me in' }),
    (u) => u.pathname !== '/signin/link');
  return { context, page };
}

async function assertFits(page) {
  const { doc, view } = await page.evaluate(() => ({
    doc: document.documentElement.scrollWidth, view: window.innerWidth,
  }));
  assert.ok(doc <= view, `${page.url()}: the page is ${doc}px wide in a ${view}px viewport`);
}

for (const vp of VIEWPORTS) {
  describe(`${vp.name} ${vp.width}x${vp.height}`, () => {
    test('a member copies their feed address, then renews it', async () => {
      const { context, page } = await memberPage({ width: vp.width, height: vp.height }, vp.name);
      try {
        await page.goto(`${srv.url}/account/calendar`, { waitUntil: 'load' });
        await assertFits(page);
        const first = await page.getByLabel('Your feed address').inputValue();
        assert.match(first, /\/calendar\/personal\/[A-Za-z0-9_-]{43}\/feed\.ics$/);
        await page.screenshot({ path: `${SHOTS}/calfeed-${vp.name}-first.png`, fullPage: true });
        await clickTo(page, page.getByRole('button', { name: 'Renew the address' }), '**/account/calendar/renew');
        await assertFits(page);
        const renewed = await page.getByLabel('Your feed address').inputValue();
        assert.notEqual(renewed, first);
        await page.screenshot({ path: `${SHOTS}/calfeed-${vp.name}-renewed.png`, fullPage: true });
        const res = await fetch(srv.url + new URL(renewed).pathname);
        assert.equal(res.status, 200);
        assert.match(await res.text(), /^BEGIN:VCALENDAR/);
        assert.equal((await fetch(srv.url + new URL(first).pathname)).status, 404);
        assert.deepEqual(page.problems, []);
      } finally {
        await context.close();
      }
    });
  });
}
