// party_team.test.mjs -- a working party's team section in a real browser
// (issue 13, src/parties/team.c): on a phone and a desktop viewport the
// chair of Victims sees the team with a role form and Remove per member, a
// request waiting and the invitation form, and a visitor sees the names the
// people allow and "Sign in to join"; nothing is wider than the viewport
// and axe-core finds nothing.  Screenshots: build/screenshots/party-team-*.png.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SHOTS, VIEWPORTS, launchBrowser, openPageOn, clickTo } from '../lib/browser.mjs';
import { startServer } from '../lib/server.mjs';
import { cli, sql, uniqueEmail, personId } from '../lib/accounts.mjs';

let srv;
let browser;
let chairLink;

before(async () => {
  srv = await startServer();
  ({ browser } = await launchBrowser());
  const email = uniqueEmail('team-chair');
  const { stdout } = await cli(srv.dataDir, ['user', 'add', email, '--name', 'Chloé Chair-Okonkwo', '--role', 'member']);
  chairLink = new URL(/https?:\/\/\S+\/signin\/link\?token=[A-Za-z0-9_-]+/.exec(stdout)[0]);
  const chair = await personId(srv.dataDir, email);
  await sql(srv.dataDir, `UPDATE parties SET team_visibility = 'public' WHERE slug = 'victims';
    UPDATE people SET visibility = 'public' WHERE id = ${chair};
    INSERT INTO people (email, name, created_at, visibility) VALUES
      ('amara@example.org', 'Amara Okonkwo-Lindqvist', 0, 'public'),
      ('hidden@example.org', 'Hidden Person', 0, 'hidden'),
      ('asker@example.org', 'Ash Asker', 0, 'members');
    INSERT INTO object_roles (person_id, object_type, object_id, role, granted_at) VALUES
      (${chair}, 'party', 'victims', 'chair', 0),
      ((SELECT id FROM people WHERE email = 'amara@example.org'), 'party', 'victims', 'rapporteur', 0),
      ((SELECT id FROM people WHERE email = 'hidden@example.org'), 'party', 'victims', 'member', 0);
    INSERT INTO party_requests (party_id, person_id, kind, role, message, created_at) VALUES
      ((SELECT id FROM parties WHERE slug = 'victims'), (SELECT id FROM people WHERE email = 'asker@example.org'),
       'request', 'member', 'I have worked with victims'' associations for ten years.', 0)`);
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
    test('a visitor sees the named team and is asked to sign in to join', async () => {
      const context = await browser.newContext({ viewport: { width: vp.width, height: vp.height } });
      const page = await openPageOn(context, srv.url);
      try {
        await page.goto(`${srv.url}/working-parties/victims`, { waitUntil: 'load' });
        await assertFits(page);
        const team = page.locator('#team');
        await team.screenshot({ path: `${SHOTS}/party-team-${vp.name}-visitor.png` });
        await assert.doesNotReject(team.getByText('Amara Okonkwo-Lindqvist').waitFor());
        assert.equal(await team.getByText('Hidden Person').count(), 0);
        assert.equal(await team.getByText('and 1 more person, whose name is not public.').count(), 1);
        assert.equal(await team.getByRole('link', { name: 'Sign in to join the team' }).count(), 1);
        assert.deepEqual(page.problems, []);
      } finally {
        await context.close();
      }
    });

    test('the chair sees the forms to manage the team', async () => {
      const context = await browser.newContext({ viewport: { width: vp.width, height: vp.height } });
      const page = await openPageOn(context, srv.url);
      try {
        if (vp === VIEWPORTS[0]) {
          await page.goto(srv.url + chairLink.pathname + chairLink.search, { waitUntil: 'load' });
          await clickTo(page, page.locator('main').getByRole('button', { name: 'Sign me in' }),
            (u) => u.pathname !== '/signin/link');
          const state = await context.storageState();
          chairLink.state = state;
        } else {
          await context.addCookies(chairLink.state.cookies);
        }
        await page.goto(`${srv.url}/working-parties/victims`, { waitUntil: 'load' });
        await assertFits(page);
        const team = page.locator('#team');
        await team.screenshot({ path: `${SHOTS}/party-team-${vp.name}-chair.png` });
        assert.equal(await team.getByText('You are Chair in this working party.').count(), 1);
        assert.equal(await team.getByLabel('Role of Amara Okonkwo-Lindqvist', { exact: true }).count(), 1);
        assert.equal(await team.getByRole('button', { name: 'Remove Hidden Person from the team' }).count(), 1);
        assert.equal(await team.getByRole('button', { name: 'Accept the request of Ash Asker' }).count(), 1);
        await team.getByLabel('Role of Amara Okonkwo-Lindqvist', { exact: true }).selectOption('co-chair');
        await clickTo(page, team.getByRole('button', { name: 'Change role of Amara Okonkwo-Lindqvist' }),
          '**/working-parties/victims?done=role#team');
        assert.equal(await page.getByText('The role has been changed.').count(), 1);
        await page.goto(`${srv.url}/working-parties/victims/notices`, { waitUntil: 'load' });
        await assertFits(page);
        await page.screenshot({ path: `${SHOTS}/party-team-${vp.name}-notices.png`, fullPage: true });
        assert.deepEqual(page.problems, []);
      } finally {
        await context.close();
      }
    });
  });
}
