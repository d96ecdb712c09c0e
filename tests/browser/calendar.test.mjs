// calendar.test.mjs -- the calendar in a real browser (issue 14): an
// administrator enters the next CCPCJ session through the desk's form by
// clicking and typing; on a phone and a desktop viewport a visitor finds it
// from /calendar, opens it, reads its times, and looks at its month, whose
// grid gives way to a list on the phone; nothing is wider than the
// viewport and axe-core finds nothing on any page visited.  Screenshots go
// to build/screenshots/calendar-*.png.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SHOTS, VIEWPORTS, launchBrowser, openPageOn, clickTo, mainNavLink } from '../lib/browser.mjs';
import { startServer } from '../lib/server.mjs';
import { cli, uniqueEmail } from '../lib/accounts.mjs';

let srv;
let browser;
// about two months ahead: the first Monday from then, 'YYYY-MM-DD'
const day = (() => {
  const d = new Date(Date.now() + 60 * 86400_000);
  while (d.getUTCDay() !== 1) d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
})();
const [year, month] = day.split('-').map(Number);
const TITLE = 'CCPCJ regular session (browser test)';

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

describe('the secretariat enters a session', () => {
  test('by the desk form', async () => {
    const { stdout } = await cli(srv.dataDir, ['user', 'add', uniqueEmail('cal-admin'),
      '--name', 'Cleo Calendar', '--role', 'admin']);
    const m = /https?:\/\/\S+\/signin\/link\?token=[A-Za-z0-9_-]+/.exec(stdout);
    assert.ok(m, `no sign-in link in:\n${stdout}`);
    const link = new URL(m[0]);
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    try {
      const page = await openPageOn(context, srv.url);
      await page.goto(srv.url + link.pathname + link.search, { waitUntil: 'load' });
      await clickTo(page, page.locator('main').getByRole('button', { name: 'Sign me in' }),
        (u) => u.pathname !== '/signin/link');
      await page.goto(`${srv.url}/admin`, { waitUntil: 'load' });
      await clickTo(page, page.getByRole('link', { name: 'Calendar', exact: true }).last(), '**/admin/calendar');
      await clickTo(page, page.getByRole('link', { name: 'Enter a meeting' }), '**/admin/calendar/new');
      await page.getByLabel('Title of the meeting').fill(TITLE);
      await page.getByLabel('Kind', { exact: true }).selectOption({ label: 'Intergovernmental session' });
      await page.getByLabel(/^Body/).selectOption({ label: 'Commission on Crime Prevention and Criminal Justice' });
      await page.getByLabel(/^Session number/).fill('36');
      await page.getByLabel('Time zone', { exact: true }).selectOption('Europe/Vienna');
      await page.getByLabel('Start date', { exact: true }).fill(day);
      await page.getByLabel(/^Start time/).fill('10:00');
      await page.getByLabel(/^End date/).fill(day);
      await page.getByLabel('End time', { exact: true }).fill('13:00');
      await page.getByLabel(/^Place/).fill('Vienna International Centre');
      await page.screenshot({ path: `${SHOTS}/calendar-desktop-desk-form.png`, fullPage: true });
      await clickTo(page, page.getByRole('button', { name: 'Save' }), '**/admin/calendar/*?done=saved');
      assert.match(await page.locator('main').innerText(), /Saved\. The change is in the audit log\./);
      await page.screenshot({ path: `${SHOTS}/calendar-desktop-desk-meeting.png`, fullPage: true });
      // a weekly series: its desk page lists the occurrences with their forms
      await page.goto(`${srv.url}/admin/calendar/new`, { waitUntil: 'load' });
      await page.getByLabel('Title of the meeting').fill('Weekly NGO call (browser test)');
      await page.getByLabel('Kind', { exact: true }).selectOption({ label: 'Alliance meeting' });
      await page.getByLabel('Start date', { exact: true }).fill(day);
      await page.getByLabel(/^Start time/).fill('15:00');
      await page.getByLabel(/^End date/).fill(day);
      await page.getByLabel('End time', { exact: true }).fill('16:00');
      await page.getByLabel('Every week, on the same weekday').check();
      await clickTo(page, page.getByRole('button', { name: 'Save' }), '**/admin/calendar/*?done=saved');
      const desk = await page.locator('main').innerText();
      assert.match(desk, /Occurrences/);
      assert.ok(await page.getByRole('button', { name: /^Skip / }).count() >= 10);
      await page.screenshot({ path: `${SHOTS}/calendar-desktop-desk-series.png`, fullPage: true });
      assert.deepEqual(page.problems, []);
    } finally {
      await context.close();
    }
  });
});

for (const vp of VIEWPORTS) {
  describe(`${vp.name} ${vp.width}x${vp.height}`, () => {
    test('a visitor finds the next CCPCJ session and its month', async () => {
      const context = await browser.newContext({ viewport: { width: vp.width, height: vp.height } });
      try {
        const page = await openPageOn(context, srv.url);
        await page.goto(`${srv.url}/`, { waitUntil: 'load' });
        await clickTo(page, await mainNavLink(page, 'Calendar'), '**/calendar');
        await page.getByLabel('Body').selectOption({ label: 'CCPCJ' });
        await clickTo(page, page.locator('main').getByRole('button', { name: 'Show' }), '**/calendar?*');
        await assertFits(page);
        await page.screenshot({ path: `${SHOTS}/calendar-${vp.name}-list.png`, fullPage: true });
        await clickTo(page, page.locator('main').getByRole('link', { name: TITLE }), '**/calendar/ccpcj-*');
        await assertFits(page);
        const text = await page.locator('main').innerText();
        assert.match(text, /Intergovernmental session/);
        assert.match(text, /Commission on Crime Prevention and Criminal Justice/);
        assert.match(text, /Session 36/);
        assert.match(text, new RegExp(`\\d+ \\w+ ${year}, 10:00 to 13:00`));
        assert.match(text, /Vienna International Centre/);
        // read in New York
        await page.getByLabel('Show times in').selectOption('America/New_York');
        await clickTo(page, page.locator('main form[aria-label="Time zone"]').getByRole('button', { name: 'Show' }),
          '**/calendar/ccpcj-*?tz=*');
        const ny = await page.locator('main').innerText();
        assert.match(ny, /In your time zone/i);
        assert.match(ny, /America\/New_York, UTC-0[45]:00/);
        await page.screenshot({ path: `${SHOTS}/calendar-${vp.name}-meeting.png`, fullPage: true });
        // the month of the session
        await page.goto(`${srv.url}/calendar/month?year=${year}&month=${month}`, { waitUntil: 'load' });
        await assertFits(page);
        const grid = page.locator('.month-grid');
        const list = page.locator('.month-list');
        if (vp.width < 640) {
          assert.equal(await grid.isVisible(), false);
          assert.ok(await list.getByRole('link', { name: TITLE }).isVisible());
        } else {
          assert.ok(await grid.isVisible());
          assert.ok(await grid.getByText(TITLE).isVisible());
        }
        await page.screenshot({ path: `${SHOTS}/calendar-${vp.name}-month.png`, fullPage: true });
        assert.deepEqual(page.problems, []);
      } finally {
        await context.close();
      }
    });
  });
}
