// statements.test.mjs -- civil society statements in a real browser: on a
// phone and a desktop viewport a working party's chair drafts one from the
// party's page and asks the secretariat to open it; the secretariat drafts a statement through
// its form (an empty title first: the summary takes the focus and leads
// to the field), opens it for endorsement, and the main contact of a
// member organisation finds it from the main navigation and endorses it
// for the organisation by clicking; the organisation is then named on the
// statement's page.  Nothing is wider than the viewport and axe-core finds
// nothing on any page visited.  Screenshots go to
// build/screenshots/statements-*.png.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SHOTS, VIEWPORTS, launchBrowser, openPageOn, clickTo, mainNavLink } from '../lib/browser.mjs';
import { startServer } from '../lib/server.mjs';
import { cli, sql, sqlText, uniqueEmail, personId } from '../lib/accounts.mjs';

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

/** A person with role, signed in through their one-time link in a new
 * context with viewport: {context, page, email}. */
async function signedIn(viewport, name, role) {
  const email = uniqueEmail('statements');
  const { stdout } = await cli(srv.dataDir, ['user', 'add', email, '--name', name, '--role', role]);
  const m = /https?:\/\/\S+\/signin\/link\?token=[A-Za-z0-9_-]+/.exec(stdout);
  assert.ok(m, `no sign-in link in:\n${stdout}`);
  const link = new URL(m[0]);
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

const inDays = (n) => new Date(Date.now() + n * 86400e3).toISOString().slice(0, 10);

for (const vp of VIEWPORTS) {
  describe(`${vp.name} ${vp.width}x${vp.height}`, () => {
    const title = `Statement to the Crime Commission on prisons (${vp.name})`;
    const slug = `statement-to-the-crime-commission-on-prisons-${vp.name}`;
    const orgName = `Prison Fellowship ${vp.name === 'phone' ? 'Kenya' : 'Austria'}`;

    test('the secretariat drafts a statement and opens it for endorsement', async () => {
      const { context, page } = await signedIn({ width: vp.width, height: vp.height }, `Sara Secretariat ${vp.name}`, 'admin');
      try {
        await page.goto(`${srv.url}/admin/statements`, { waitUntil: 'load' });
        await assertFits(page);
        await clickTo(page, page.locator('main').getByRole('link', { name: 'Draft a statement' }), '**/admin/statements/new');
        await clickTo(page, page.getByRole('button', { name: 'Save the draft' }), '**/admin/statements');
        const focused = await page.evaluate(() => document.activeElement?.id);
        assert.equal(focused, 'error-summary', 'the error summary takes the focus');
        await page.locator('#error-summary a').first().click();
        assert.equal(await page.evaluate(() => document.activeElement?.id), 'title', 'the summary leads to the field');
        await page.getByLabel('Title').fill(title);
        await page.getByLabel('Summary').fill('What the Alliance asks of States for people in prison.');
        await page.getByLabel('Text of the statement').fill('We, the undersigned organisations, ask States to **apply the Nelson Mandela Rules**.');
        await page.getByLabel('Where it is delivered').fill('Thirty-sixth Crime Commission, Vienna');
        await page.getByLabel('Year').fill('2027');
        await page.getByLabel('UN body').selectOption({ label: 'Commission on Crime Prevention and Criminal Justice (CCPCJ)' });
        await page.getByLabel('Endorsements close on').fill(inDays(20));
        await clickTo(page, page.getByRole('button', { name: 'Save the draft' }), new RegExp(`/admin/statements/${slug}\\?done=added$`));
        assert.match(await page.locator('main').innerText(), /The statement has been drafted\./);
        await clickTo(page, page.getByRole('button', { name: 'Open for endorsement' }), new RegExp(`/admin/statements/${slug}\\?done=opened$`));
        await assertFits(page);
        await page.screenshot({ path: `${SHOTS}/statements-${vp.name}-admin.png`, fullPage: true });
        assert.match(await page.locator('main').innerText(), /Open for endorsement until/);
        // but the console's note of the 422 the empty title was meant to get
        assert.deepEqual(page.problems.filter((p) => !/responded with a status of 422/.test(p)), []);
      } finally {
        await context.close();
      }
    });

    test('a working party\'s chair drafts a statement from the party\'s page and asks the secretariat to open it', async () => {
      const { context, page, email } = await signedIn({ width: vp.width, height: vp.height }, `Cho Chair ${vp.name}`, 'member');
      await sql(srv.dataDir, `INSERT INTO object_roles (person_id, object_type, object_id, role, granted_at)
        VALUES (${await personId(srv.dataDir, email)}, 'party', 'corruption', 'chair', 0)`);
      const draft = `Corruption and the SDGs (${vp.name})`;
      try {
        await page.goto(`${srv.url}/working-parties/corruption`, { waitUntil: 'load' });
        await clickTo(page, page.locator('main').getByRole('link', { name: 'Draft a statement' }), '**/working-parties/corruption/statements/new');
        await assertFits(page);
        await page.getByLabel('Title').fill(draft);
        await page.getByLabel('Text of the statement').fill('We ask States to **report on SDG 16.5**.');
        await page.getByRole('checkbox', { name: 'Corruption' }).check();
        await clickTo(page, page.getByRole('button', { name: 'Save the draft' }), /\/statements\/[a-z0-9-]+\?done=drafted$/);
        assert.match(await page.locator('main').innerText(), /This is a draft of Corruption: only its chairs and the secretariat see it/);
        await clickTo(page, page.getByRole('button', { name: 'Ask the secretariat to open it' }), /\?done=submitted$/);
        await assertFits(page);
        await page.screenshot({ path: `${SHOTS}/statements-${vp.name}-party-draft.png`, fullPage: true });
        assert.match(await page.locator('main').innerText(), /The secretariat was asked to open it on /);
        assert.deepEqual(page.problems, []);
      } finally {
        await context.close();
      }
    });

    test('the main contact of a member organisation endorses it by clicking', async () => {
      const { context, page, email } = await signedIn({ width: vp.width, height: vp.height }, `Mo Contact ${vp.name}`, 'member');
      const pid = await personId(srv.dataDir, email);
      const oslug = `prison-fellowship-${vp.name}`;
      await sql(srv.dataDir, `INSERT INTO organisations (slug, name, name_key, country, visibility, created_at)
        VALUES (${sqlText(oslug)}, ${sqlText(orgName)}, ${sqlText(orgName.toLowerCase())}, 'KE', 'public', 0);
        INSERT INTO representatives (organisation_id, person_id, main_contact)
        VALUES ((SELECT id FROM organisations WHERE slug = ${sqlText(oslug)}), ${pid}, 1);
        INSERT INTO memberships (level_id, organisation_id, state, state_since, period_start, period_end, created_at)
        SELECT l.id, o.id, 'active', '2026-01-01', '2026-01-01', '2027-12-31', 0
        FROM membership_levels l, organisations o WHERE l.slug = 'associate' AND o.slug = ${sqlText(oslug)};`);
      try {
        await page.goto(`${srv.url}/`, { waitUntil: 'load' });
        await clickTo(page, await mainNavLink(page, 'Statements'), '**/statements');
        await assertFits(page);
        await page.screenshot({ path: `${SHOTS}/statements-${vp.name}-list.png`, fullPage: true });
        await clickTo(page, page.locator('main').getByRole('link', { name: title }), `**/statements/${slug}`);
        await clickTo(page, page.getByRole('button', { name: `Endorse for ${orgName}` }), new RegExp(`/statements/${slug}\\?done=endorsed#endorse-h$`));
        await assertFits(page);
        await page.screenshot({ path: `${SHOTS}/statements-${vp.name}-endorsed.png`, fullPage: true });
        const text = await page.locator('main').innerText();
        assert.match(text, /Your organisation endorses this statement\./);
        assert.match(text, new RegExp(`${orgName} endorses this statement\\.`));
        assert.match(text, /1 organisation endorses this statement\./);
        assert.match(text, new RegExp(`${orgName} · Kenya`));
        assert.match(text, /apply the Nelson Mandela Rules/);
        // the notice stands in view under the heading the page moved to
        const box = await page.locator('#endorse-h').boundingBox();
        assert.ok(box && box.y >= 0 && box.y < vp.height, `the section is in view (${JSON.stringify(box)})`);
        assert.deepEqual(page.problems, []);
      } finally {
        await context.close();
      }
    });
  });
}
