// peopledesk.test.mjs -- the secretariat's people desk in a real browser
// (issue 12): on a phone and a desktop viewport an administrator opens the
// people list (imported people with their organisations and roles), follows
// a name to the person's page, sends the invitation again from there and
// sees the notice.  axe-core checks every page visited; the person's page
// is no wider than the viewport.  Screenshots go to
// build/screenshots/peopledesk-*.png.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SHOTS, VIEWPORTS, launchBrowser, openPageOn, clickTo } from '../lib/browser.mjs';
import { startServer } from '../lib/server.mjs';
import { cli, uniqueEmail } from '../lib/accounts.mjs';

let srv;
let browser;
let tmp;

before(async () => {
  srv = await startServer();
  ({ browser } = await launchBrowser());
  tmp = await mkdtemp(join(tmpdir(), 'alliance-peopledesk-'));
  await writeFile(join(tmp, 'orgs.csv'), 'Name,Acronym,Country\nPenal Reform Watch,PRW,AT\n');
  await writeFile(join(tmp, 'people.csv'), 'email,name,country,role,organisation,main_contact,un_post,un_rank\n' +
    'ana@prw.example.org,Ana Representative-Longname,AT,member,penal-reform-watch,yes,vienna,main\n' +
    'ben@prw.example.org,Ben Second,AT,member,penal-reform-watch,no,new-york,alternate\n');
  await cli(srv.dataDir, ['import', 'organisations', join(tmp, 'orgs.csv')]);
  await cli(srv.dataDir, ['import', 'people', join(tmp, 'people.csv')]);
});

after(async () => {
  if (browser) await browser.close();
  if (srv) await srv.stop();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

/** An administrator signed in, in a new context with viewport. */
async function adminPage(viewport, name) {
  const { stdout } = await cli(srv.dataDir, ['user', 'add', uniqueEmail(`desk-${name}`),
    '--name', `Desk Admin ${name}`, '--role', 'admin']);
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

for (const vp of VIEWPORTS) {
  describe(`${vp.name} ${vp.width}x${vp.height}`, () => {
    test('the list shows organisations and roles; a person\'s page sends an invitation', async () => {
      const { context, page } = await adminPage({ width: vp.width, height: vp.height }, vp.name);
      try {
        await page.goto(`${srv.url}/admin/people`, { waitUntil: 'load' });
        const main = page.locator('main');
        await main.getByRole('link', { name: 'Main contact of Penal Reform Watch' }).waitFor();
        assert.equal(await main.getByRole('link', { name: 'Representative of Penal Reform Watch' }).count(), 1);
        await page.screenshot({ path: `${SHOTS}/peopledesk-${vp.name}-list.png`, fullPage: true });

        await clickTo(page, main.getByRole('link', { name: 'Ana Representative-Longname' }), '**/admin/people/*');
        await main.getByRole('heading', { name: 'Organisations and roles' }).waitFor();
        await clickTo(page, main.getByRole('button', { name: /^Send (an|the) invitation/ }), '**/admin/people/*?done=invitation');
        await main.getByText('A new invitation is in the outbox.').waitFor();
        const { doc, view } = await page.evaluate(() => ({
          doc: document.documentElement.scrollWidth, view: window.innerWidth,
        }));
        assert.ok(doc <= view, `the person's page is ${doc}px wide in a ${view}px viewport`);
        await page.screenshot({ path: `${SHOTS}/peopledesk-${vp.name}-person.png`, fullPage: true });
        assert.deepEqual(page.problems, []);
      } finally {
        await context.close();
      }
    });
  });
}
