// focal.test.mjs -- the focal points in a real browser (issue 12): on a phone
// and a desktop viewport an administrator finds a person on an area's
// secretariat page and assigns them by clicking, then a visitor opens the
// area's public page and sees them named, the hidden focal point counted and
// the public organisation linked; nothing is wider than the viewport and
// axe-core finds nothing on any page visited.  The area's page lists the
// working party that serves it with its article and report (issue 13,
// point 10), and the secretariat adds an area through its form and
// retires it.  Screenshots go to build/screenshots/focal-*.png.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SHOTS, VIEWPORTS, launchBrowser, openPageOn, clickTo } from '../lib/browser.mjs';
import { startServer } from '../lib/server.mjs';
import { cli, sql, sqlText, uniqueEmail } from '../lib/accounts.mjs';

let srv;
let browser;

before(async () => {
  srv = await startServer();
  ({ browser } = await launchBrowser());
  await sql(srv.dataDir, `INSERT INTO people (email, name, created_at, visibility, show_country, country) VALUES
    ('amara@example.org', 'Amara Okonkwo-Lindqvist', 0, 'public', 1, 'NG'),
    ('hidden@example.org', 'Hidden Person', 0, 'hidden', 1, 'FR');
    INSERT INTO organisations (slug, name, name_key, acronym, country, description_md, visibility, dgc_associated, created_at)
    VALUES ('women-justice-network', 'Women''s Justice Network International', 'women''s justice network international',
      'WJNI', 'AT', '', 'public', 0, 0);
    INSERT INTO memberships (level_id, organisation_id, state, state_since, period_start, period_end, created_at)
    VALUES ((SELECT id FROM membership_levels WHERE slug = 'associate'),
      (SELECT id FROM organisations WHERE slug = 'women-justice-network'), 'active', '2026-01-01', '2026-01-01', '2026-12-31', 0);
    INSERT INTO organisation_focal_areas VALUES ((SELECT id FROM organisations WHERE slug = 'women-justice-network'),
      (SELECT id FROM focal_areas WHERE slug = 'femicide'));
    INSERT INTO focal_area_people (focal_area_id, person_id, title, since, created_at) VALUES
      ((SELECT id FROM focal_areas WHERE slug = 'femicide'), (SELECT id FROM people WHERE email = 'hidden@example.org'), '', '2026-01-01', 0);
    INSERT INTO party_articles (party_id, slug, title, summary, body_md, state, created_at, updated_at, published_at)
    VALUES ((SELECT id FROM parties WHERE slug = 'victims'), 'counting-femicide', 'Counting femicide: what the data say',
      'Why the numbers of femicide differ from one country to the next, and what the Alliance asks of States.',
      'Text.', 'published', 1780000000, 1780000000, 1780000000);
    INSERT INTO party_reports (party_id, title, period, body_md, state, visibility, created_at, updated_at, submitted_at)
    VALUES ((SELECT id FROM parties WHERE slug = 'victims'), 'Report to the Alliance 2026', 'January to June 2026',
      'Text.', 'submitted', 'public', 1779000000, 1779000000, 1779000000)`);
});

after(async () => {
  if (browser) await browser.close();
  if (srv) await srv.stop();
});

/** An administrator signed in, in a new context with viewport. */
async function adminPage(viewport, name) {
  const { stdout } = await cli(srv.dataDir, ['user', 'add', uniqueEmail(`focal-${name}`),
    '--name', `Fola Focal ${name}`, '--role', 'admin']);
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
    test('the secretariat assigns a focal point and a visitor sees them on the area page', async () => {
      const { context, page } = await adminPage({ width: vp.width, height: vp.height }, vp.name);
      try {
        await page.goto(`${srv.url}/admin/focal-points`, { waitUntil: 'load' });
        await assertFits(page);
        await clickTo(page, page.locator('main').getByRole('link', { name: 'Femicide', exact: true }), '**/admin/focal-points/femicide');
        await page.getByLabel('Name or e-mail contains').fill('amara');
        await clickTo(page, page.getByRole('button', { name: 'Find people' }), '**/admin/focal-points/femicide?q=amara');
        await assertFits(page);
        await page.screenshot({ path: `${SHOTS}/focal-${vp.name}-admin-search.png`, fullPage: true });
        const form = page.getByRole('form', { name: 'Assign Amara Okonkwo-Lindqvist' });
        if (await form.count() === 0) {
          // the other viewport's run assigned her already
          assert.equal(vp.name, 'desktop');
        } else {
          await form.getByLabel('Title').fill('Co-chair');
          await clickTo(page, form.getByRole('button', { name: 'Assign Amara Okonkwo-Lindqvist' }), '**/admin/focal-points/femicide?done=assigned');
        }
        await assertFits(page);
        await page.screenshot({ path: `${SHOTS}/focal-${vp.name}-admin-area.png`, fullPage: true });
        assert.match(await page.locator('main').innerText(), /Amara Okonkwo-Lindqvist, Co-chair/);
        assert.deepEqual(page.problems, []);
      } finally {
        await context.close();
      }
      const visitor = await browser.newContext({ viewport: { width: vp.width, height: vp.height } });
      try {
        const p = await openPageOn(visitor, srv.url);
        await p.goto(`${srv.url}/focal-points`, { waitUntil: 'load' });
        await clickTo(p, p.locator('main').getByRole('link', { name: 'Femicide', exact: true }), '**/focal-points/femicide');
        await assertFits(p);
        await p.screenshot({ path: `${SHOTS}/focal-${vp.name}-area.png`, fullPage: true });
        const text = await p.locator('main').innerText();
        assert.match(text, /Amara Okonkwo-Lindqvist, Co-chair \(Nigeria\)/);
        assert.match(text, /and 1 more focal point, whose name is not public\./);
        assert.doesNotMatch(text, /Hidden Person/);
        assert.match(text, /Working parties serving this area/);
        assert.match(text, /Counting femicide: what the data say/);
        assert.match(text, /Report to the Alliance 2026/);
        await clickTo(p, p.locator('main').getByRole('link', { name: "Women's Justice Network International" }), '**/members/women-justice-network');
        assert.deepEqual(p.problems, []);
      } finally {
        await visitor.close();
      }
    });

    test('the secretariat adds an area through its form and retires it', async () => {
      const name = `Wildlife and Forest Crime ${vp.name}`;
      const { context, page } = await adminPage({ width: vp.width, height: vp.height }, `${vp.name}-areas`);
      try {
        await page.goto(`${srv.url}/admin/focal-points`, { waitUntil: 'load' });
        const form = page.getByRole('form', { name: 'Add a focal area' });
        await form.getByLabel('Name', { exact: true }).fill(name);
        await form.getByLabel(/^Summary/).fill('Trafficking in wildlife and timber.');
        await form.getByLabel(/^Text of the page/).fill('The first paragraph.\n\nThe second.');
        await clickTo(page, form.getByRole('button', { name: 'Add the area' }),
          new RegExp(`/admin/focal-points/wildlife-and-forest-crime-${vp.name}\\?done=added$`));
        await assertFits(page);
        await page.screenshot({ path: `${SHOTS}/focal-${vp.name}-admin-new-area.png`, fullPage: true });
        await clickTo(page, page.getByRole('button', { name: 'Retire the area' }), /\?done=retired$/);
        assert.match(await page.locator('main').innerText(), /This area was retired on/);
        await page.goto(`${srv.url}/admin/focal-points`, { waitUntil: 'load' });
        await assertFits(page);
        await page.screenshot({ path: `${SHOTS}/focal-${vp.name}-admin-index.png`, fullPage: true });
        const slug = `wildlife-and-forest-crime-${vp.name}`;
        await page.goto(`${srv.url}/focal-points/${slug}`, { waitUntil: 'load' });
        assert.match(await page.locator('main').innerText(), /This focal area was retired on/);
        await assertFits(page);
        assert.deepEqual(page.problems, []);
      } finally {
        await context.close();
      }
    });
  });
}
