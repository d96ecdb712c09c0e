// manage.test.mjs -- the main contact manages the organisation in a real
// browser (issue 4): Debian's chromium through playwright-core, on a phone
// and a desktop viewport, under the site's own Content-Security-Policy and
// without console errors.  The main contact opens the organisation's page,
// follows "Edit organisation", changes the description and hides the
// organisation, then on "Representatives" invites someone and gives a
// representative a UN post.  axe-core then checks both pages (with a
// message shown).  Screenshots go to build/screenshots/manage-*.png.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  SHOTS, VIEWPORTS, launchBrowser, openPageOn, clickTo, assertNoAxeViolationsOn,
} from '../lib/browser.mjs';
import { startServer } from '../lib/server.mjs';
import { personWithRole, personId, sql, sqlText, sqlValue, uniqueEmail, nextMail } from '../lib/accounts.mjs';

let srv;
let browser;
let axeSource;

before(async () => {
  srv = await startServer();
  ({ browser, axeSource } = await launchBrowser());
});

after(async () => {
  if (browser) await browser.close();
  if (srv) await srv.stop();
});

/** An organisation with its main contact and one other representative;
 * resolves to {slug, name, id, main, other}. */
async function organisation(tag) {
  const slug = `browser-manage-${tag}-${process.pid}`;
  const name = `Browser Manage Network ${tag}`;
  const rows = await sql(srv.dataDir, `
    INSERT INTO organisations (slug, name, name_key, country, description_md, created_at)
    VALUES (${sqlText(slug)}, ${sqlText(name)}, ${sqlText(name.toLowerCase())}, 'AT', 'Legal aid.', 0);
    INSERT INTO memberships (level_id, organisation_id, state, state_since, period_start, period_end, created_at)
    VALUES ((SELECT id FROM membership_levels WHERE slug = 'associate'), last_insert_rowid(), 'active',
      '2026-01-01', '2026-01-01', '2099-12-31', 0);
    SELECT organisation_id FROM memberships WHERE id = last_insert_rowid();`);
  const id = Number(rows[0][0]);
  const main = await personWithRole(srv, { role: 'member', name: `Mara Main ${tag}` });
  const other = await personWithRole(srv, { role: 'member', name: `Oskar Other ${tag}` });
  await sql(srv.dataDir, `INSERT INTO representatives (organisation_id, person_id, main_contact) VALUES
    (${id}, ${await personId(srv.dataDir, main.email)}, 1), (${id}, ${await personId(srv.dataDir, other.email)}, 0)`);
  return { slug, name, id, main, other };
}

/** A browser context signed in with p's session. */
async function contextOf(p, options) {
  const context = await browser.newContext(options);
  await context.addCookies([{ name: 'session', value: p.browser.jar.get('session'), url: srv.url }]);
  return context;
}

for (const vp of VIEWPORTS) {
  describe(`${vp.name} ${vp.width}x${vp.height}`, () => {
    const viewport = { width: vp.width, height: vp.height };
    let o;
    let context;

    before(async () => {
      o = await organisation(vp.name);
      context = await contextOf(o.main, { viewport });
    });
    after(async () => { await context?.close(); });

    test('the main contact edits and hides the organisation, invites a representative and gives a UN post', async () => {
      const page = await openPageOn(context, srv.url);
      const main = page.locator('main');
      await page.goto(`${srv.url}/members/${o.slug}`, { waitUntil: 'load' });
      await clickTo(page, main.getByRole('link', { name: 'Edit organisation' }), `**/members/${o.slug}/edit`);
      await main.getByLabel(/^What the organisation does/).fill('Legal aid for people in *pre-trial detention*.');
      await main.getByRole('checkbox', { name: 'Femicide' }).check();
      // the seat: a list of names, the stored one chosen
      assert.equal(await main.getByLabel(/^Country of its seat/).inputValue(), 'AT');
      await main.getByLabel(/^Country of its seat/).selectOption({ label: 'Kenya' });
      await main.getByRole('radio', { name: 'Hidden' }).check();
      await clickTo(page, main.getByRole('button', { name: 'Save' }), '**/edit?saved=1');
      assert.match(await main.getByRole('status').innerText(), /details are saved/);
      assert.ok(await main.getByRole('radio', { name: 'Hidden' }).isChecked(), 'Hidden is not kept');
      await page.screenshot({ path: `${SHOTS}/manage-${vp.name}-edit-saved.png`, fullPage: true });
      assert.equal(await sqlValue(srv.dataDir, `SELECT visibility FROM organisations WHERE id = ${o.id}`), 'hidden');
      assert.equal(await sqlValue(srv.dataDir, `SELECT country FROM organisations WHERE id = ${o.id}`), 'KE');
      assert.equal(await main.getByLabel(/^Country of its seat/).inputValue(), 'KE');

      // representatives: invite one, then give the other a UN post
      await page.goto(`${srv.url}/members/${o.slug}`, { waitUntil: 'load' });
      assert.match(await main.innerText(), /pre-trial detention/);
      assert.match(await main.innerText(), /Country\s+Kenya/i, 'the country by name');
      await clickTo(page, main.getByRole('link', { name: 'Representatives' }), `**/members/${o.slug}/representatives`);
      const email = uniqueEmail(`invitee-${vp.name}`);
      await main.getByLabel('Name', { exact: true }).fill('Ilse Invited');
      await main.getByLabel('E-mail', { exact: true }).fill(email);
      await clickTo(page, main.getByRole('button', { name: 'Send the invitation' }), '**/representatives?done=invited');
      assert.match(await main.getByRole('status').innerText(), /invitation is sent/);
      await nextMail(srv.dataDir, email, 0, { subject: `You are invited to represent ${o.name}` });

      const card = main.locator('section.rep', { hasText: o.other.name });
      await card.getByLabel('UN post').selectOption('vienna');
      await card.getByLabel('Rank').selectOption('main');
      await clickTo(page, card.getByRole('button', { name: /^Save the UN post/ }), '**/representatives?done=post');
      assert.match(await main.locator('section.rep', { hasText: o.other.name }).innerText(), /Vienna, main representative/);
      await page.screenshot({ path: `${SHOTS}/manage-${vp.name}-representatives.png`, fullPage: true });
      assert.deepEqual(page.problems, []);
      await page.close();
    });

    test('axe-core finds no violations on the edit and representatives pages', async () => {
      const axeContext = await contextOf(o.main, { viewport, bypassCSP: true });
      const page = await openPageOn(axeContext, srv.url);
      await assertNoAxeViolationsOn(page, srv.url, `/members/${o.slug}/edit`, axeSource, `manage-${vp.name}-edit`);
      await assertNoAxeViolationsOn(page, srv.url, `/members/${o.slug}/representatives?done=post`, axeSource,
        `manage-${vp.name}-representatives-axe`);
      await page.close();
      await axeContext.close();
    });
  });
}
