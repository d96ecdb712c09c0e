// registration.test.mjs -- registration in a real browser (issue 14 point
// 3): the secretariat enters a CCPCJ session with an online link through
// the desk (over HTTP); on a phone and a desktop viewport a member of the
// Alliance finds the next CCPCJ session from /calendar by its body,
// registers by clicking, sees it on /account/meetings and opens its online
// link (the href is the one given; the far end is answered by the test).
// axe-core checks every page visited; nothing is wider than the viewport.
// Screenshots go to build/screenshots/registration-*.png.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SHOTS, VIEWPORTS, launchBrowser, openPageOn, clickTo } from '../lib/browser.mjs';
import { startServer } from '../lib/server.mjs';
import { Browser, cli, sql, sqlText, personWithRole, personId, uniqueEmail } from '../lib/accounts.mjs';

const Y = new Date().getUTCFullYear() + 1;
const ONLINE = 'https://meet.example.org/ccpcj-ngo-briefing';
const TITLE = `CCPCJ ${Y}: NGO briefing`;
let srv;
let browser;
let slug;

before(async () => {
  srv = await startServer();
  ({ browser } = await launchBrowser());
  const admin = (await personWithRole(srv, { role: 'admin', name: 'Reg Desk', password: null })).browser;
  const res = await admin.submit('/admin/calendar/new', '/admin/calendar', {
    title: TITLE, kind: 'session', body: 'ccpcj', time_zone: 'Europe/Vienna', repeat: 'none',
    mode: 'blended', place: 'Vienna International Centre', online_url: ONLINE, status: 'confirmed',
    visibility: 'public', registration: 'members', capacity: '50',
    starts_date: `${Y}-05-18`, starts_time: '10:00', ends_date: `${Y}-05-18`, ends_time: '12:00',
  });
  assert.equal(res.status, 303, await res.text());
  slug = /^\/admin\/calendar\/([a-z0-9-]+)\?/.exec(res.headers.get('location'))[1];
});

after(async () => {
  if (browser) await browser.close();
  if (srv) await srv.stop();
});

/** A member of the Alliance (an individual membership) signed in, in a new
 * context with viewport. */
async function memberPage(viewport, name) {
  const email = uniqueEmail(`reg-${name}`);
  const { stdout } = await cli(srv.dataDir, ['user', 'add', email, '--name', `Rita Register ${name}`, '--role', 'member']);
  const id = await personId(srv.dataDir, email);
  await sql(srv.dataDir, `INSERT INTO memberships (level_id, person_id, state, state_since,
    period_start, period_end, created_at) VALUES ((SELECT id FROM membership_levels
    WHERE slug = 'individual'), ${id}, 'active', '2026-01-01', '2026-01-01', '${Y + 1}-12-31', 0)`);
  const link = new URL(/https?:\/\/\S+\/signin\/link\?token=[A-Za-z0-9_-]+/.exec(stdout)[0]);
  const context = await browser.newContext({ viewport });
  const page = await openPageOn(context, srv.url);
  await page.goto(srv.url + link.pathname + link.search, { waitUntil: 'load' });
  await clickTo(page, page.locator('main').getByRole('button', { name: 'Sign me in' }),
    (u) => u.pathname !== '/signin/link');
  return { context, page, email };
}

async function assertFits(page) {
  const { doc, view } = await page.evaluate(() => ({
    doc: document.documentElement.scrollWidth, view: window.innerWidth,
  }));
  assert.ok(doc <= view, `${page.url()}: the page is ${doc}px wide in a ${view}px viewport`);
}

for (const vp of VIEWPORTS) {
  describe(`${vp.name} ${vp.width}x${vp.height}`, () => {
    test('a member finds the next CCPCJ session, registers and opens its link from their meetings', async () => {
      const { context, page, email } = await memberPage({ width: vp.width, height: vp.height }, vp.name);
      try {
        // the far end of the online link, answered here
        await context.route(`${ONLINE}**`, (route) => route.fulfill({
          status: 200, contentType: 'text/html', body: '<!DOCTYPE html><html lang="en"><title>Meeting room</title><h1>Meeting room</h1></html>',
        }));
        await page.goto(`${srv.url}/calendar`, { waitUntil: 'load' });
        await assertFits(page);
        await page.getByLabel('Body').selectOption({ label: 'CCPCJ' });
        await clickTo(page, page.locator('main').getByRole('button', { name: 'Show' }), '**/calendar?**body=ccpcj**');
        await assertFits(page);
        await clickTo(page, page.locator('main').getByRole('link', { name: TITLE }).first(), `**/calendar/${slug}**`);
        await clickTo(page, page.locator('main').getByRole('button', { name: 'Register' }), `**/calendar/${slug}?done=registered`);
        await assert.doesNotReject(page.locator('main').getByText('You are registered.').waitFor());
        await page.screenshot({ path: `${SHOTS}/registration-${vp.name}-meeting.png`, fullPage: true });
        const state = await sql(srv.dataDir, `SELECT r.state FROM registrations r JOIN meetings m ON m.id = r.meeting_id
          JOIN people p ON p.id = r.person_id WHERE m.slug = ${sqlText(slug)} AND p.email = ${sqlText(email)}`);
        assert.deepEqual(state, [['registered']]);
        // the account page leads to the person's meetings
        await page.goto(`${srv.url}/account`, { waitUntil: 'load' });
        await clickTo(page, page.locator('main').getByRole('link', { name: 'Your meetings' }), '**/account/meetings');
        await assertFits(page);
        const item = page.locator('main li.event', { hasText: TITLE });
        await assert.doesNotReject(item.getByText('Registered', { exact: true }).waitFor());
        const join = item.getByRole('link', { name: `Join online: ${TITLE}` });
        assert.equal(await join.getAttribute('href'), ONLINE);
        await page.screenshot({ path: `${SHOTS}/registration-${vp.name}-my-meetings.png`, fullPage: true });
        await Promise.all([page.waitForURL(ONLINE), join.click()]);
        assert.equal(page.url(), ONLINE);
        assert.deepEqual(page.problems, []);
      } finally {
        await context.close();
      }
    });
  });
}
