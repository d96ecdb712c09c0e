// party_writing.test.mjs -- the news, the reports and an article in a real
// browser (issue 13): a rapporteur (signed in through a one-time link)
// writes an article in the form and publishes it by clicking; then, on a
// phone and a desktop viewport, /news, /reports, the article, a report and
// the party's page fit the viewport and axe-core finds nothing on them.
// Screenshots go to build/screenshots/writing-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SHOTS, VIEWPORTS, launchBrowser, openPageOn, clickTo } from '../lib/browser.mjs';
import { startServer } from '../lib/server.mjs';
import { cli, sql, sqlText, personWithRole, personId, hiddenFields, uniqueEmail } from '../lib/accounts.mjs';

const PARTY = 'restorative-justice';
let srv, browser, reportHref;

before(async () => {
  srv = await startServer();
  ({ browser } = await launchBrowser());
  // a submitted, acknowledged report and two published articles of
  // another party, through the HTTP routes
  const p = await personWithRole(srv, { name: 'Rafaela Rapporteur-Montgomery', password: null });
  const id = await personId(srv.dataDir, p.email);
  for (const party of [PARTY, 'victims']) {
    await sql(srv.dataDir, `INSERT INTO object_roles (person_id, object_type, object_id, role, granted_at)
      VALUES (${id}, 'party', ${sqlText(party)}, 'rapporteur', 0)`);
  }
  const b = p.browser;
  const form = await b.html(`/working-parties/${PARTY}/reports/new`);
  let res = await b.post(`/working-parties/${PARTY}/reports`, {
    ...hiddenFields(form, `/working-parties/${PARTY}/reports`), title: 'Annual report of the working party on restorative justice for the year',
    period: '2026', visibility: 'public',
    body: '## Activities\n\nWe met four times and drafted **guidance** on victim-offender dialogue.\n\n- Vienna\n- New York',
  });
  assert.equal(res.status, 303);
  reportHref = res.headers.get('location');
  res = await b.post(`${reportHref}/submit`, hiddenFields(await b.html(`${reportHref}/edit`), `${reportHref}/submit`));
  assert.equal(res.status, 303);
  for (const title of ['Supporting victims across borders: a practitioners’ roundtable', 'Short note']) {
    const f = await b.html('/working-parties/victims/articles/new');
    res = await b.post('/working-parties/victims/articles', {
      ...hiddenFields(f, '/working-parties/victims/articles'), title,
      summary: 'Practitioners from twelve countries compared how victims are supported when a crime crosses a border.',
      body: 'A longer text with a [link](https://example.org) and a verylongwordwithoutanyspacesthatcouldoverflowthenarrowviewportifnotwrapped.',
    });
    const href = res.headers.get('location');
    res = await b.post(`${href}/publish`, hiddenFields(await b.html(`${href}/edit`), `${href}/publish`));
    assert.equal(res.status, 303);
  }
});

after(async () => {
  if (browser) await browser.close();
  if (srv) await srv.stop();
});

/** A context with viewport, signed in as a new person of role. */
async function signedIn(viewport, name, role) {
  const { stdout } = await cli(srv.dataDir, ['user', 'add', uniqueEmail('writing'), '--name', name, '--role', role]);
  const link = new URL(/https?:\/\/\S+\/signin\/link\?token=[A-Za-z0-9_-]+/.exec(stdout)[0]);
  const context = await browser.newContext({ viewport });
  const page = await openPageOn(context, srv.url);
  await page.goto(srv.url + link.pathname + link.search, { waitUntil: 'load' });
  await clickTo(page, page.locator('main').getByRole('button', { name: 'Sign me in' }), (u) => u.pathname !== '/signin/link');
  return { context, page };
}

async function assertFits(page) {
  const { doc, view } = await page.evaluate(() => ({
    doc: document.documentElement.scrollWidth, view: window.innerWidth,
  }));
  assert.ok(doc <= view, `${page.url()}: the page is ${doc}px wide in a ${view}px viewport`);
}

test('a rapporteur writes and publishes an article by clicking', async () => {
  const { context, page } = await signedIn(VIEWPORTS[0], 'Wen Writer', 'member');
  const [[wid]] = await sql(srv.dataDir, "SELECT id FROM people WHERE name = 'Wen Writer'");
  await sql(srv.dataDir, `INSERT INTO object_roles (person_id, object_type, object_id, role, granted_at)
    VALUES (${wid}, 'party', ${sqlText(PARTY)}, 'chair', 0)`);
  await page.goto(`${srv.url}/working-parties/${PARTY}`, { waitUntil: 'load' });
  await clickTo(page, page.getByRole('link', { name: 'Write an article' }), `**/working-parties/${PARTY}/articles/new`);
  await page.screenshot({ path: `${SHOTS}/writing-article-form-phone.png`, fullPage: true });
  await assertFits(page);
  await page.getByLabel('Title').fill('Circles of support: what we learned');
  await page.getByLabel(/Summary/).fill('A year of circles in three countries.');
  await page.getByLabel(/The article/).fill('Circles **work**.');
  await clickTo(page, page.getByRole('button', { name: 'Save' }), '**/articles/circles-of-support-what-we-learned');
  await clickTo(page, page.getByRole('link', { name: 'Edit or publish the article' }), '**/edit');
  await clickTo(page, page.getByRole('button', { name: 'Publish the article' }), '**/articles/circles-of-support-what-we-learned');
  assert.match(await page.locator('main').innerText(), /Circles of support/);
  await page.goto(`${srv.url}/news`, { waitUntil: 'load' });
  assert.match(await page.locator('main').innerText(), /Circles of support: what we learned/);
  assert.deepEqual(page.problems, []);
  await context.close();
});

for (const vp of VIEWPORTS) {
  test(`the news, the reports and an article at ${vp.width} px`, async () => {
    const context = await browser.newContext({ viewport: vp });
    const page = await openPageOn(context, srv.url);
    const paths = {
      news: '/news',
      reports: '/reports',
      article: '/working-parties/victims/articles/supporting-victims-across-borders-a-practitioners-roundtable',
      report: reportHref,
      party: '/working-parties/victims',
    };
    for (const [name, path] of Object.entries(paths)) {
      const res = await page.goto(srv.url + path, { waitUntil: 'load' });
      assert.equal(res.status(), 200, path);
      await page.screenshot({ path: `${SHOTS}/writing-${name}-${vp.name}.png`, fullPage: true });
      await assertFits(page);
    }
    assert.deepEqual(page.problems, []);
    await context.close();
  });
}

test('the secretariat acknowledges the report by clicking', async () => {
  for (const vp of VIEWPORTS) {
    const { context, page } = await signedIn(vp, `Ada Admin ${vp.name}`, 'admin');
    await page.goto(`${srv.url}/admin/reports`, { waitUntil: 'load' });
    await page.screenshot({ path: `${SHOTS}/writing-admin-${vp.name}.png`, fullPage: true });
    await assertFits(page);
    if (vp === VIEWPORTS[1]) {
      await page.getByLabel(/A note to the working party/).fill('Received with thanks.');
      await clickTo(page, page.getByRole('button', { name: 'Acknowledge the report' }), '**/admin/reports?done=acknowledged');
      assert.match(await page.locator('main').innerText(), /No report is waiting/);
      await page.goto(srv.url + reportHref, { waitUntil: 'load' });
      assert.match(await page.locator('main').innerText(), /Received with thanks\./);
    }
    assert.deepEqual(page.problems, []);
    await context.close();
  }
});
