// minutes.test.mjs -- a meeting's minutes in a real browser (issue 14
// points 4 and 1): on a phone and a desktop viewport the secretariat
// writes the minutes of a past meeting, ticks who attended, approves and
// adds the report as a PDF to its documents (an empty form first: the
// focus on the field); a visitor reads the minutes with those present
// named and finds the report on the meeting's page.  Nothing is wider than the
// viewport and axe-core finds nothing on any page visited.  Screenshots
// go to build/screenshots/minutes-*.png.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SHOTS, VIEWPORTS, launchBrowser, openPageOn, clickTo, axeCheck } from '../lib/browser.mjs';
import { startServer } from '../lib/server.mjs';
import { cli, sql, personWithRole, personId, uniqueEmail } from '../lib/accounts.mjs';

let srv;
let browser;
let admin;
const Y = new Date().getUTCFullYear() - 1;

before(async () => {
  srv = await startServer();
  ({ browser } = await launchBrowser());
  admin = (await personWithRole(srv, { role: 'admin', name: 'Mina Secretariat', password: null })).browser;
  for (const [name, vis] of [['Amara Okonkwo-Lindqvist', 'public'], ['Hidden Person', 'hidden']]) {
    const p = await personWithRole(srv, { role: 'member', name, password: null });
    await sql(srv.dataDir, `UPDATE people SET visibility = '${vis}' WHERE id = ${await personId(srv.dataDir, p.email)}`);
  }
});

after(async () => {
  if (browser) await browser.close();
  if (srv) await srv.stop();
});

/** A past meeting entered through the desk, with two people registered. */
async function pastMeeting(title) {
  const res = await admin.submit('/admin/calendar/new', '/admin/calendar', {
    title, kind: 'alliance', body: '', time_zone: 'Europe/Vienna', repeat: 'none', mode: 'in-person',
    status: 'confirmed', visibility: 'public', registration: 'none', place: 'Vienna International Centre',
    starts_date: `${Y}-06-02`, starts_time: '10:00', ends_date: `${Y}-06-02`, ends_time: '12:00',
  });
  assert.equal(res.status, 303);
  const slug = /^\/admin\/calendar\/([a-z0-9-]+)/.exec(res.headers.get('location'))[1];
  await sql(srv.dataDir, `INSERT INTO registrations (meeting_id, occurrence_local, person_id, state, created_at, updated_at)
    SELECT m.id, '', p.id, 'registered', 0, 0 FROM meetings m, people p
    WHERE m.slug = '${slug}' AND p.name IN ('Amara Okonkwo-Lindqvist', 'Hidden Person')`);
  return slug;
}

async function adminPage(viewport, name) {
  const { stdout } = await cli(srv.dataDir, ['user', 'add', uniqueEmail(`min-${name}`), '--name', `Mina ${name}`, '--role', 'admin']);
  const m = /https?:\/\/\S+\/signin\/link\?token=[A-Za-z0-9_-]+/.exec(stdout);
  assert.ok(m, stdout);
  const link = new URL(m[0]);
  const context = await browser.newContext({ viewport });
  const page = await openPageOn(context, srv.url);
  await page.goto(srv.url + link.pathname + link.search, { waitUntil: 'load' });
  await clickTo(page, page.locator('main').getByRole('button', { name: 'Sign me in' }), (u) => u.pathname !== '/signin/link');
  return { context, page };
}

async function assertFits(page) {
  const { doc, view } = await page.evaluate(() => ({ doc: document.documentElement.scrollWidth, view: window.innerWidth }));
  assert.ok(doc <= view, `${page.url()}: the page is ${doc}px wide in a ${view}px viewport`);
}

for (const vp of VIEWPORTS) {
  describe(`${vp.name} ${vp.width}x${vp.height}`, () => {
    test('the secretariat writes and approves the minutes and a visitor reads them', async () => {
      const slug = await pastMeeting(`Annual meeting of the Alliance (${vp.name})`);
      const { context, page } = await adminPage({ width: vp.width, height: vp.height }, vp.name);
      try {
        await page.goto(`${srv.url}/calendar/${slug}`, { waitUntil: 'load' });
        await clickTo(page, page.locator('main').getByRole('link', { name: 'Write the minutes' }), `**/calendar/${slug}/minutes`);
        await page.getByLabel('Minutes (Markdown)').fill('## Opening\n\nThe chair opened the meeting at 10:05 and welcomed the members.\n\n## Decisions\n\n- The report to the Commission is adopted.\n- The next meeting is in Vienna.');
        await page.getByLabel('What changed (optional)').fill('First draft');
        await clickTo(page, page.getByRole('button', { name: 'Save the draft' }), `**/calendar/${slug}/minutes?done=saved`);
        await page.getByLabel('Amara Okonkwo-Lindqvist').check();
        await page.getByLabel('Hidden Person').check();
        await clickTo(page, page.getByRole('button', { name: 'Save the attendance' }), `**/calendar/${slug}/minutes?done=attendance`);
        await assertFits(page);
        await page.screenshot({ path: `${SHOTS}/minutes-${vp.name}-draft.png`, fullPage: true });
        await clickTo(page, page.getByRole('button', { name: 'Approve version 1' }), `**/calendar/${slug}/minutes?done=approved`);
        // the meeting's papers: the report as a PDF, from the meeting's page
        await page.goto(`${srv.url}/calendar/${slug}`, { waitUntil: 'load' });
        await clickTo(page, page.locator('main').getByRole('link', { name: 'Add documents to this meeting' }), `**/calendar/${slug}/documents`);
        // sent empty: the error summary has the focus, its link leads to
        // the title, whose message is next to it
        await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Add the document' }).click()]);
        assert.equal(await page.evaluate(() => document.activeElement?.id), 'error-summary');
        await page.locator('#error-summary a[href="#title"]').click();
        assert.equal(await page.evaluate(() => document.activeElement?.id), 'title');
        assert.match(await page.locator('#title-error').innerText(), /\S/);
        await axeCheck(page);
        await page.getByLabel('Title').fill('Report to the Commission');
        await page.getByLabel('What it is').selectOption('report');
        await page.locator('#file').setInputFiles({ name: 'report-to-the-commission.pdf', mimeType: 'application/pdf',
          buffer: Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n') });
        await clickTo(page, page.getByRole('button', { name: 'Add the document' }), `**/calendar/${slug}/documents`);
        assert.match(await page.locator('main').innerText(), /Report · File · report-to-the-commission\.pdf/);
        await assertFits(page);
        await page.screenshot({ path: `${SHOTS}/minutes-${vp.name}-documents.png`, fullPage: true });
        // the 422 of the empty form is its answer, and chromium logs it
        assert.deepEqual(page.problems.filter((m) => !/status of 422 .*\/documents\)$/.test(m)), []);
      } finally {
        await context.close();
      }
      const context2 = await browser.newContext({ viewport: { width: vp.width, height: vp.height } });
      try {
        const p = await openPageOn(context2, srv.url);
        await p.goto(`${srv.url}/calendar/${slug}`, { waitUntil: 'load' });
        await clickTo(p, p.locator('main').getByRole('link', { name: 'Minutes', exact: true }), `**/calendar/${slug}/minutes`);
        await assertFits(p);
        const text = await p.locator('main').innerText();
        assert.match(text, /Present: Amara Okonkwo-Lindqvist and 1 more person, whose name is not public\./);
        assert.match(text, /The report to the Commission is adopted\./);
        await p.goto(`${srv.url}/calendar/${slug}`, { waitUntil: 'load' });
        const doc = p.locator('main').getByRole('link', { name: 'Report to the Commission' });
        assert.match(await doc.getAttribute('href'), new RegExp(`^/calendar/${slug}/documents/\\d+/file$`));
        await p.screenshot({ path: `${SHOTS}/minutes-${vp.name}-meeting.png`, fullPage: true });
        await p.screenshot({ path: `${SHOTS}/minutes-${vp.name}-approved.png`, fullPage: true });
        assert.deepEqual(p.problems, []);
      } finally {
        await context2.close();
      }
    });
  });
}
