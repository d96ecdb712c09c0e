// chair_day.test.mjs -- a chair's day in a real browser (issue 13): the
// chair of Victims signs in, edits the charter (a new version in its
// history), accepts a join request (the person is in the team), writes an
// article and publishes it (on the party's page and in the news), all by
// clicking, at the phone and the desktop width; every page the flow visits
// is checked with axe-core (openPageOn) and must not be wider than the
// viewport.  Screenshots: build/screenshots/chair-day-*.png.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SHOTS, VIEWPORTS, launchBrowser, openPageOn, clickTo } from '../lib/browser.mjs';
import { startServer } from '../lib/server.mjs';
import { cli, sql, sqlValue, uniqueEmail, personId } from '../lib/accounts.mjs';

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

async function assertFits(page) {
  const { doc, view } = await page.evaluate(() => ({
    doc: document.documentElement.scrollWidth, view: window.innerWidth,
  }));
  assert.ok(doc <= view, `${page.url()}: the page is ${doc}px wide in a ${view}px viewport`);
}

for (const vp of VIEWPORTS) {
  describe(`${vp.name} ${vp.width}x${vp.height}`, () => {
    test('the chair edits the charter, accepts a request and publishes an article', async () => {
      // a chair and a person who asked to join, both new for this width
      const email = uniqueEmail(`chair-${vp.name}`);
      const { stdout } = await cli(srv.dataDir, ['user', 'add', email, '--name', `Chidi Chair ${vp.name}`, '--role', 'member']);
      const link = new URL(/https?:\/\/\S+\/signin\/link\?token=[A-Za-z0-9_-]+/.exec(stdout)[0]);
      const chair = await personId(srv.dataDir, email);
      const asker = `Asha Asker ${vp.name}`;
      await sql(srv.dataDir, `DELETE FROM object_roles WHERE object_type = 'party' AND object_id = 'victims';
        INSERT INTO object_roles (person_id, object_type, object_id, role, granted_at)
          VALUES (${chair}, 'party', 'victims', 'chair', 0);
        INSERT INTO people (email, name, created_at, visibility)
          VALUES ('${uniqueEmail(`asker-${vp.name}`)}', '${asker}', 0, 'public');
        INSERT INTO party_requests (party_id, person_id, kind, role, message, created_at)
          VALUES ((SELECT id FROM parties WHERE slug = 'victims'),
                  (SELECT id FROM people WHERE name = '${asker}'), 'request', 'member', '', 0)`);
      const versionBefore = Number(await sqlValue(srv.dataDir, "SELECT charter_version FROM parties WHERE slug = 'victims'"));

      const context = await browser.newContext({ viewport: { width: vp.width, height: vp.height } });
      const page = await openPageOn(context, srv.url);
      try {
        await page.goto(srv.url + link.pathname + link.search, { waitUntil: 'load' });
        await clickTo(page, page.locator('main').getByRole('button', { name: 'Sign me in' }),
          (u) => u.pathname !== '/signin/link');

        // the charter
        await page.goto(`${srv.url}/working-parties/victims`, { waitUntil: 'load' });
        await assertFits(page);
        await clickTo(page, page.getByRole('link', { name: 'Edit the charter' }), '**/working-parties/victims/charter');
        await assertFits(page);
        const objectives = `Support victims of crime in ${vp.name} reviews of national law.`;
        await page.getByLabel('Objectives').fill(objectives);
        await page.getByLabel('What changed').fill(`Objectives written (${vp.name})`);
        await page.screenshot({ path: `${SHOTS}/chair-day-${vp.name}-charter.png`, fullPage: true });
        await clickTo(page, page.getByRole('button', { name: 'Save the charter' }), (u) => u.pathname === '/working-parties/victims');
        assert.equal(await page.locator('main').getByText(objectives).count(), 1);
        const versionAfter = Number(await sqlValue(srv.dataDir, "SELECT charter_version FROM parties WHERE slug = 'victims'"));
        assert.equal(versionAfter, versionBefore + 1);
        await clickTo(page, page.getByRole('link', { name: "The charter's history" }), '**/working-parties/victims/charter/versions');
        assert.equal(await page.locator('main').getByText(`Objectives written (${vp.name})`).count(), 1);

        // the join request
        await page.goto(`${srv.url}/working-parties/victims`, { waitUntil: 'load' });
        const team = page.locator('#team');
        await clickTo(page, team.getByRole('button', { name: `Accept the request of ${asker}` }),
          (u) => u.pathname === '/working-parties/victims');
        assert.equal(await page.locator('#team').getByText(asker).count() >= 1, true);
        assert.equal(await sqlValue(srv.dataDir, `SELECT r.role FROM object_roles r JOIN people p ON p.id = r.person_id
          WHERE r.object_type = 'party' AND r.object_id = 'victims' AND p.name = '${asker}'`), 'member');

        // the article
        await clickTo(page, page.getByRole('link', { name: 'Write an article' }), '**/working-parties/victims/articles/new');
        await assertFits(page);
        const title = `Victims in the ${vp.name} review`;
        await page.getByLabel('Title').fill(title);
        await page.getByLabel('Summary').fill('What the working party found.');
        await page.getByLabel('The article').fill('We read the laws of **twelve** countries.');
        await clickTo(page, page.getByRole('button', { name: 'Save' }), (u) => /\/articles\/[^/]+/.test(u.pathname));
        await page.goto(page.url().replace(/#.*$/, ''), { waitUntil: 'load' });
        const edit = page.getByRole('link', { name: /Edit/ });
        if (await page.getByRole('button', { name: 'Publish the article' }).count() === 0) {
          await clickTo(page, edit.first(), (u) => u.pathname.endsWith('/edit'));
        }
        await clickTo(page, page.getByRole('button', { name: 'Publish the article' }), (u) => /\/articles\/[^/]+$/.test(u.pathname));
        await assertFits(page);
        await page.screenshot({ path: `${SHOTS}/chair-day-${vp.name}-article.png`, fullPage: true });
        await page.goto(`${srv.url}/news`, { waitUntil: 'load' });
        await assertFits(page);
        assert.equal(await page.locator('main').getByRole('link', { name: title }).count(), 1);
        await page.goto(`${srv.url}/working-parties/victims`, { waitUntil: 'load' });
        assert.equal(await page.locator('main').getByRole('link', { name: title }).count(), 1);
        await page.screenshot({ path: `${SHOTS}/chair-day-${vp.name}-party.png`, fullPage: true });
        assert.deepEqual(page.problems, []);
      } finally {
        await context.close();
      }
    });
  });
}
