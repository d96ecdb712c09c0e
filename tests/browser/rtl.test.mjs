// rtl.test.mjs -- Arabic, right to left, in a real browser (issue 10):
// Debian's chromium through playwright-core, on a phone and a desktop
// viewport.  With the lang=ar cookie the home page, Join and the directory
// are <html lang="ar" dir="rtl">, mirrored (the brand and the headings
// stand on the right), axe-core clean, free of console errors under the
// site's Content-Security-Policy, and no wider than a 390 px phone.  The
// chooser in the header works without JavaScript: following العربية from an
// English page gives the same page right to left, and English brings it
// back.  Screenshots go to build/screenshots/rtl-*.png.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SHOTS, VIEWPORTS, launchBrowser, openPageOn, clickTo } from '../lib/browser.mjs';
import { startServer } from '../lib/server.mjs';
import { sql } from '../lib/accounts.mjs';

const PAGES = [['home', '/'], ['join', '/join'], ['directory', '/members']];

let srv;
let browser;

before(async () => {
  srv = await startServer();
  // one listed organisation, so the directory shows its table
  await sql(srv.dataDir, `
    INSERT INTO organisations (slug, name, name_key, acronym, country, website, description_md,
      visibility, ecosoc_status, ecosoc_year, dgc_associated, dgc_year, created_at)
    VALUES ('awmr', 'Association for Women of the Mediterranean Region',
      'association for women of the mediterranean region', 'AWMR', 'IT', 'https://example.org',
      'Works on crime prevention.', 'public', 'general', 2001, 1, 2003, 0);
    INSERT INTO memberships (level_id, organisation_id, state, state_since, period_start, period_end, created_at)
    VALUES ((SELECT id FROM membership_levels WHERE slug = 'associate'), last_insert_rowid(),
      'active', '2026-01-01', '2026-01-01', '2026-12-31', 0);`);
  ({ browser } = await launchBrowser());
});

after(async () => {
  if (browser) await browser.close();
  if (srv) await srv.stop();
});

/** How the page lies: its direction and language, how much wider than
 * the screen it is, and how far the brand and the first heading stand
 * from the left and right edges of their column (.wrap, less padding). */
const layout = (page) => page.evaluate(() => {
  const d = document.documentElement;
  const gaps = (sel) => {
    const e = document.querySelector(sel);
    const r = e.getBoundingClientRect();
    const col = e.closest('.wrap');
    const c = col.getBoundingClientRect();
    const cs = getComputedStyle(col);
    return {
      left: Math.round(r.left - c.left - parseFloat(cs.paddingLeft)),
      right: Math.round(c.right - parseFloat(cs.paddingRight) - r.right),
    };
  };
  return {
    dir: d.dir, lang: d.lang, overflow: d.scrollWidth - d.clientWidth,
    brand: gaps('.brand'), h1: gaps('main h1'),
  };
});

for (const vp of VIEWPORTS) {
  describe(`${vp.name} ${vp.width}x${vp.height}`, () => {
    const viewport = { width: vp.width, height: vp.height };
    let arabic; // a browser whose lang cookie says ar
    let english;

    before(async () => {
      arabic = await browser.newContext({ viewport });
      await arabic.addCookies([{ name: 'lang', value: 'ar', url: srv.url }]);
      english = await browser.newContext({ viewport });
    });
    after(async () => {
      await arabic?.close();
      await english?.close();
    });

    for (const [name, path] of PAGES) {
      test(`${path} in Arabic is right to left, mirrored, axe-clean and fits`, async () => {
        const page = await openPageOn(arabic, srv.url);
        const res = await page.goto(srv.url + path, { waitUntil: 'load' }); // axe-core runs here
        assert.equal(res.status(), 200, `GET ${path}`);
        await page.screenshot({ path: `${SHOTS}/rtl-${vp.name}-${name}.png`, fullPage: true });
        const l = await layout(page);
        assert.equal(l.dir, 'rtl');
        assert.equal(l.lang, 'ar');
        assert.ok(l.overflow <= 0, `${path} is ${l.overflow}px wider than the ${vp.width}px viewport`);
        // mirrored: the brand and the heading start at their column's right
        assert.ok(Math.abs(l.brand.right) <= 1, `the brand is not at the right: ${JSON.stringify(l.brand)}`);
        assert.ok(Math.abs(l.h1.right) <= 1, `the heading is not at the right: ${JSON.stringify(l.h1)}`);
        assert.equal(await page.locator('.language-nav a[aria-current]').innerText(), 'العربية');
        if (name === 'home') {
          // logical CSS: the bodies' accent border is on the start side, the right
          const border = await page.locator('.body-list > li').first().evaluate((e) => {
            const cs = getComputedStyle(e);
            return [cs.borderRightWidth, cs.borderLeftWidth];
          });
          assert.deepEqual(border, ['4px', '0px']);
        }
        assert.deepEqual(page.problems, []);
        await page.close();
      });
    }

    test('the chooser turns the directory right to left and back, without JavaScript', async () => {
      const page = await openPageOn(english, srv.url);
      await page.goto(`${srv.url}/members?country=IT`, { waitUntil: 'load' });
      let l = await layout(page);
      assert.equal(l.dir, 'ltr');
      assert.ok(Math.abs(l.brand.left) <= 1, `the brand is not at the left in English: ${JSON.stringify(l.brand)}`);
      const nav = page.locator('header .language-nav');
      await clickTo(page, nav.getByRole('link', { name: 'العربية' }), '**/members?country=IT');
      l = await layout(page);
      assert.equal(l.dir, 'rtl');
      assert.ok(Math.abs(l.brand.right) <= 1, `the brand is not at the right: ${JSON.stringify(l.brand)}`);
      assert.ok(l.overflow <= 0, `${l.overflow}px wider than the viewport`);
      await page.screenshot({ path: `${SHOTS}/rtl-${vp.name}-directory-chosen.png`, fullPage: true });
      await clickTo(page, nav.getByRole('link', { name: 'English' }), '**/members?country=IT');
      assert.equal((await layout(page)).dir, 'ltr');
      assert.deepEqual(page.problems, []);
      await page.close();
    });
  });
}
