// adminmenu.test.mjs -- the secretariat's one menu in a real browser
// (issue 10): on a phone and a desktop viewport an administrator opens two
// secretariat pages of different modules (the overview of src/admin, the
// membership levels of src/membership), finds the same menu on both with the
// page's own entry marked, reaches another module's page through it, and
// the menu wraps inside the viewport (nothing scrolls sideways).  axe-core
// checks each page; screenshots go to build/screenshots/adminmenu-*.png.
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

/** An administrator signed in, in a new context with viewport, through the
 * one-time link `alliance user add --role admin` prints. */
async function adminPage(viewport, name) {
  const { stdout } = await cli(srv.dataDir, ['user', 'add', uniqueEmail(`menu-${name}`),
    '--name', `Meli Menu ${name}`, '--role', 'admin']);
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

/** The menu's links as people read them, and the one marked current. */
async function menuOf(page) {
  const nav = page.getByRole('navigation', { name: 'Secretariat' });
  assert.equal(await nav.count(), 1, `${page.url()}: not one secretariat menu`);
  const labels = await nav.getByRole('link').allInnerTexts();
  const current = await nav.locator('a[aria-current="page"]').allInnerTexts();
  return { nav, labels, current };
}

/** Nothing on the page is wider than the viewport, the menu included. */
async function assertFits(page, nav) {
  const { doc, view } = await page.evaluate(() => ({
    doc: document.documentElement.scrollWidth, view: window.innerWidth,
  }));
  assert.ok(doc <= view, `${page.url()}: the page is ${doc}px wide in a ${view}px viewport`);
  const box = await nav.boundingBox();
  assert.ok(box.x >= 0 && box.x + box.width <= view, `${page.url()}: the menu reaches ${box.x + box.width}px`);
}

for (const vp of VIEWPORTS) {
  describe(`${vp.name} ${vp.width}x${vp.height}`, () => {
    test('two modules\' secretariat pages share one menu that fits the screen', async () => {
      const { context, page } = await adminPage({ width: vp.width, height: vp.height }, vp.name);
      try {
        await page.goto(`${srv.url}/admin`, { waitUntil: 'load' });
        const overview = await menuOf(page);
        assert.deepEqual(overview.current, ['Overview']);
        for (const label of ['Applications', 'Memberships', 'Pledges', 'Levels', 'Import/Export', 'People', 'Outbox']) {
          assert.ok(overview.labels.includes(label), `no ${label} in ${overview.labels}`);
        }
        await assertFits(page, overview.nav);
        await page.screenshot({ path: `${SHOTS}/adminmenu-${vp.name}-overview.png`, fullPage: true });

        // through the menu to another module's page: the same menu there
        await clickTo(page, overview.nav.getByRole('link', { name: 'Levels', exact: true }), '**/admin/levels');
        const levels = await menuOf(page);
        assert.deepEqual(levels.labels, overview.labels);
        assert.deepEqual(levels.current, ['Levels']);
        await assertFits(page, levels.nav);
        // the first screen, where the menu is (the page is long on a phone)
        await page.screenshot({ path: `${SHOTS}/adminmenu-${vp.name}-levels.png` });
        assert.deepEqual(page.problems, []);
      } finally {
        await context.close();
      }
    });
  });
}
