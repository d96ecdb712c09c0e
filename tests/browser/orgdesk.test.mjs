// orgdesk.test.mjs -- the secretariat's desk for organisations in a real
// browser (issue 12): on a phone and a desktop viewport an administrator
// finds an imported organisation without a membership on
// /admin/organisations by its name, opens it, sees its people and sends
// one of them an invitation from the person's page; no page
// is wider than the viewport (the tables scroll in their own region);
// axe-core checks each page; screenshots go to
// build/screenshots/orgdesk-*.png.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SHOTS, VIEWPORTS, launchBrowser, openPageOn, clickTo, axeCheck } from '../lib/browser.mjs';
import { startServer } from '../lib/server.mjs';
import { cli, uniqueEmail } from '../lib/accounts.mjs';

const FIX = new URL('../fixtures/csv/', import.meta.url).pathname;

let srv;
let browser;

before(async () => {
  srv = await startServer();
  ({ browser } = await launchBrowser());
  await cli(srv.dataDir, ['import', 'organisations', `${FIX}organisations.csv`]);
  await cli(srv.dataDir, ['import', 'people', `${FIX}people.csv`]);
});

after(async () => {
  if (browser) await browser.close();
  if (srv) await srv.stop();
});

/** An administrator signed in, in a new context with viewport. */
async function adminPage(viewport, name) {
  const { stdout } = await cli(srv.dataDir, ['user', 'add', uniqueEmail(`desk-${name}`),
    '--name', `Dee Desk ${name}`, '--role', 'admin']);
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

/** The page is no wider than the viewport. */
async function assertFits(page) {
  const { doc, view } = await page.evaluate(() => ({
    doc: document.documentElement.scrollWidth, view: window.innerWidth,
  }));
  assert.ok(doc <= view, `${page.url()}: the page is ${doc}px wide in a ${view}px viewport`);
}

for (const vp of VIEWPORTS) {
  describe(`${vp.name} ${vp.width}x${vp.height}`, () => {
    test('the secretariat finds an imported organisation and sees its people', async () => {
      const { context, page } = await adminPage({ width: vp.width, height: vp.height }, vp.name);
      try {
        await page.goto(`${srv.url}/admin/organisations`, { waitUntil: 'load' });
        await page.getByLabel('Name or acronym').fill('penal');
        await clickTo(page, page.locator('main').getByRole('button', { name: 'Show' }), '**/admin/organisations?**');
        await assertFits(page);
        await axeCheck(page);
        await page.screenshot({ path: `${SHOTS}/orgdesk-${vp.name}-list.png`, fullPage: true });
        const row = page.getByRole('row', { name: /Penal Reform Watch/ });
        assert.match(await row.innerText(), /No membership/);
        await clickTo(page, row.getByRole('link', { name: 'Penal Reform Watch' }), '**/admin/organisations/*');
        await assertFits(page);
        await axeCheck(page);
        await page.screenshot({ path: `${SHOTS}/orgdesk-${vp.name}-organisation.png`, fullPage: true });
        const ana = page.getByRole('link', { name: 'Ana Rep' });
        assert.match(await ana.getAttribute('href'), /^\/admin\/people\/\d+$/);
        // ... and invites its people: imported, they have had no mail
        await clickTo(page, ana, '**/admin/people/*');
        const main = page.locator('main');
        await clickTo(page, main.getByRole('button', { name: /^Send (an|the) invitation/ }), '**/admin/people/*?done=invitation');
        await main.getByText('A new invitation is in the outbox.').waitFor();
        await assertFits(page);
        await axeCheck(page);
        assert.deepEqual(page.problems, []);
      } finally {
        await context.close();
      }
    });
  });
}
