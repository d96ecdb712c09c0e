// countries.test.mjs -- the country chooser in a real browser (issue 12):
// Debian's chromium through playwright-core, on a phone and a desktop
// viewport, under the site's own Content-Security-Policy.  A main contact
// picks "Austria" by its name on the organisation's edit form and the
// organisation's page then shows Austria (and, in French, Autriche); the
// list left at "Choose a country" gives the field's message, tied to the
// list (aria-invalid, aria-describedby).  A person picks their country on
// the profile the same way.  A representative who is not the main contact
// reads who is on /renew.  axe-core checks each page.  Screenshots go to
// build/screenshots/countries-*.png.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  SHOTS, VIEWPORTS, launchBrowser, openPageOn, clickTo, assertNoAxeViolationsOn,
} from '../lib/browser.mjs';
import { startServer } from '../lib/server.mjs';
import { personWithRole, personId, sql, sqlText, sqlValue } from '../lib/accounts.mjs';

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

/** An organisation seated in Germany with its main contact and one other
 * representative; resolves to {slug, name, id, main, other}. */
async function organisation(tag) {
  const slug = `browser-countries-${tag}-${process.pid}`;
  const name = `Browser Country Network ${tag}`;
  const rows = await sql(srv.dataDir, `
    INSERT INTO organisations (slug, name, name_key, country, description_md, ecosoc_status, ecosoc_year, created_at)
    VALUES (${sqlText(slug)}, ${sqlText(name)}, ${sqlText(name.toLowerCase())}, 'DE', 'Legal aid.', 'special', 2012, 0);
    INSERT INTO memberships (level_id, organisation_id, state, state_since, period_start, period_end, created_at)
    VALUES ((SELECT id FROM membership_levels WHERE slug = 'associate'),
      (SELECT id FROM organisations WHERE slug = ${sqlText(slug)}), 'active',
      '2026-01-01', '2026-01-01', '2099-12-31', 0);
    SELECT id FROM organisations WHERE slug = ${sqlText(slug)};`);
  const id = Number(rows[0][0]);
  const main = await personWithRole(srv, { role: 'member', name: `Carla Contact ${tag}` });
  const other = await personWithRole(srv, { role: 'member', name: `Remo Rep ${tag}` });
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

    before(async () => { o = await organisation(vp.name); });

    test('a main contact picks Austria by name; the page then shows Austria', async () => {
      const context = await contextOf(o.main, { viewport });
      const page = await openPageOn(context, srv.url);
      const main = page.locator('main');
      await page.goto(`${srv.url}/members/${o.slug}/edit`, { waitUntil: 'load' });
      const country = main.getByLabel(/^Country of its seat/);
      assert.equal(await country.inputValue(), 'DE');
      // nothing chosen: the field's message, tied to the list
      await country.selectOption({ label: 'Choose a country' });
      await clickTo(page, main.getByRole('button', { name: 'Save' }), `**/members/${o.slug}/edit`);
      assert.equal(await country.getAttribute('aria-invalid'), 'true');
      assert.equal(await country.getAttribute('aria-describedby'), 'country-error');
      assert.match(await main.locator('#country-error').innerText(), /Country of its seat is required|Country is required/);
      await page.screenshot({ path: `${SHOTS}/countries-${vp.name}-edit-error.png`, fullPage: true });
      assert.equal(await sqlValue(srv.dataDir, `SELECT country FROM organisations WHERE id = ${o.id}`), 'DE');

      await country.selectOption({ label: 'Austria' });
      await clickTo(page, main.getByRole('button', { name: 'Save' }), '**/edit?saved=1');
      assert.equal(await main.getByLabel(/^Country of its seat/).inputValue(), 'AT');
      assert.equal(await sqlValue(srv.dataDir, `SELECT country FROM organisations WHERE id = ${o.id}`), 'AT');
      await page.goto(`${srv.url}/members/${o.slug}`, { waitUntil: 'load' });
      const text = await main.innerText();
      assert.match(text, /Country\s+Austria/i);
      assert.doesNotMatch(text, /\bAT\b/);
      assert.match(text, /Special consultative status|ECOSOC special/);
      assert.match(text, /Next ECOSOC quadrennial report/i, 'its own main contact sees the report date');
      await page.screenshot({ path: `${SHOTS}/countries-${vp.name}-organisation.png`, fullPage: true });
      // the form's 422 is chromium's console line, not a problem; axe's
      // findings on every page visited (the form with its message too) are
      assert.deepEqual(page.problems.filter((p) => !/status of 422 .*\/edit\)$/.test(p)), []);
      await page.close();
      await context.close();

      // a visitor reading French: Autriche, and no report date
      const visitor = await browser.newContext({ viewport, locale: 'fr-FR', extraHTTPHeaders: { 'accept-language': 'fr' } });
      const vpage = await openPageOn(visitor, srv.url);
      await vpage.goto(`${srv.url}/members/${o.slug}`, { waitUntil: 'load' });
      const vtext = await vpage.locator('main').innerText();
      assert.match(vtext, /Pays\s+Autriche/i);
      assert.doesNotMatch(vtext, /quadriennal|quadrennial/i);
      await vpage.screenshot({ path: `${SHOTS}/countries-${vp.name}-organisation-fr.png`, fullPage: true });
      await vpage.close();
      await visitor.close();
    });

    test('a person picks their country on the profile by name', async () => {
      const p = await personWithRole(srv, { role: 'member', name: `Petra Profile ${vp.name}` });
      const context = await contextOf(p, { viewport });
      const page = await openPageOn(context, srv.url);
      const main = page.locator('main');
      await page.goto(`${srv.url}/account/profile`, { waitUntil: 'load' });
      await main.getByLabel('Country', { exact: true }).selectOption({ label: 'Austria' });
      await clickTo(page, main.getByRole('button', { name: /^Save/ }), '**/account/profile?saved=1');
      assert.equal(await main.getByLabel('Country', { exact: true }).inputValue(), 'AT');
      assert.equal(await sqlValue(srv.dataDir, `SELECT country FROM people WHERE id = ${await personId(srv.dataDir, p.email)}`), 'AT');
      await page.screenshot({ path: `${SHOTS}/countries-${vp.name}-profile.png`, fullPage: true });
      assert.deepEqual(page.problems, []);
      await page.close();
      await context.close();
    });

    test('a representative who is not the main contact reads who is', async () => {
      const context = await contextOf(o.other, { viewport });
      const page = await openPageOn(context, srv.url);
      await page.goto(`${srv.url}/renew`, { waitUntil: 'load' });
      const text = await page.locator('main').innerText();
      assert.match(text, new RegExp(`You represent ${o.name}\\. Its main contact, ${o.main.name}, renews`));
      await page.screenshot({ path: `${SHOTS}/countries-${vp.name}-renew-rep.png`, fullPage: true });
      await page.close();
      await context.close();
    });

    test('axe-core finds no violations on the pages', async () => {
      const mainCtx = await contextOf(o.main, { viewport, bypassCSP: true });
      const page = await openPageOn(mainCtx, srv.url);
      await assertNoAxeViolationsOn(page, srv.url, `/members/${o.slug}/edit`, axeSource, `countries-${vp.name}-edit-axe`);
      await assertNoAxeViolationsOn(page, srv.url, `/members/${o.slug}`, axeSource, `countries-${vp.name}-org-axe`);
      await assertNoAxeViolationsOn(page, srv.url, '/account/profile', axeSource, `countries-${vp.name}-profile-axe`);
      await assertNoAxeViolationsOn(page, srv.url, '/join/individual', axeSource, `countries-${vp.name}-join-axe`);
      await page.close();
      await mainCtx.close();
      const repCtx = await contextOf(o.other, { viewport, bypassCSP: true });
      const rpage = await openPageOn(repCtx, srv.url);
      await assertNoAxeViolationsOn(rpage, srv.url, '/renew', axeSource, `countries-${vp.name}-renew-axe`);
      await rpage.close();
      await repCtx.close();
    });
  });
}
