// parties.test.mjs -- working parties in a real browser (issue 13): on a
// phone and a desktop viewport an administrator proposes a party through
// the form, approves it on the secretariat's desk by clicking, edits its
// charter, and a visitor reads its page; nothing is wider than the
// viewport and axe-core finds nothing on any page visited.  Screenshots go
// to build/screenshots/parties-*.png.
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

/** An administrator signed in, in a new context with viewport. */
async function adminPage(viewport, name) {
  const { stdout } = await cli(srv.dataDir, ['user', 'add', uniqueEmail(`parties-${name}`),
    '--name', `Pat Parties ${name}`, '--role', 'admin']);
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

const shot = (page, what, vp) => page.screenshot({ path: `${SHOTS}/parties-${what}-${vp.name}.png`, fullPage: true });

describe('a working party from proposal to its public page', () => {
  for (const vp of VIEWPORTS) {
    test(`at ${vp.width}px`, async () => {
      const { context, page } = await adminPage({ width: vp.width, height: vp.height }, vp.name);
      const name = `Prison Health ${vp.name}`;
      await page.goto(`${srv.url}/working-parties/propose`, { waitUntil: 'load' });
      await assertFits(page);
      await page.getByLabel('Name', { exact: true }).fill(name);
      await page.getByLabel(/^Summary/).fill('Health care in prisons, as the UN rules describe it.');
      await page.getByLabel(/^Objectives/).fill('Promote the *Nelson Mandela Rules* on health care.');
      await page.getByLabel(/^Why the Alliance needs it/).fill('No working party covers health in prisons.');
      await page.getByLabel('Corrections and Sentencing').check();
      await shot(page, 'propose', vp);
      await clickTo(page, page.getByRole('button', { name: 'Send the proposal' }),
        (u) => u.pathname !== '/working-parties/propose');
      const slug = new URL(page.url()).pathname.split('/').pop();
      assert.match(await page.locator('main').innerText(), /Proposed/);

      await page.goto(`${srv.url}/admin/working-parties`, { waitUntil: 'load' });
      await assertFits(page);
      await shot(page, 'desk', vp);
      await clickTo(page, page.locator('main').getByRole('link', { name }),
        (u) => u.pathname === `/admin/working-parties/${slug}`);
      await assertFits(page);
      await shot(page, 'desk-party', vp);
      await clickTo(page, page.getByRole('button', { name: 'Approve the working party' }),
        (u) => u.search.includes('done=approved'));
      assert.match(await page.locator('main').innerText(), /The working party is approved/);

      await page.goto(`${srv.url}/working-parties/${slug}/charter`, { waitUntil: 'load' });
      await assertFits(page);
      await page.getByLabel(/^Rules of engagement/).fill('We meet **monthly**.');
      await page.getByLabel(/^What changed/).fill('Rules written');
      await shot(page, 'charter', vp);
      await clickTo(page, page.getByRole('button', { name: 'Save the charter' }),
        (u) => u.pathname === `/working-parties/${slug}`);

      const visitor = await openPageOn(await browser.newContext({ viewport: { width: vp.width, height: vp.height } }), srv.url);
      await visitor.goto(`${srv.url}/working-parties/${slug}`, { waitUntil: 'load' });
      await assertFits(visitor);
      assert.match(await visitor.locator('main').innerText(), /monthly/);
      await shot(visitor, 'show', vp);
      await visitor.goto(`${srv.url}/working-parties/${slug}/charter/versions`, { waitUntil: 'load' });
      await assertFits(visitor);
      await shot(visitor, 'versions', vp);
      assert.deepEqual(page.problems, []);
      assert.deepEqual(visitor.problems, []);
      await context.close();
    });
  }
});
