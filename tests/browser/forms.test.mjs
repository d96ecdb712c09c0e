// forms.test.mjs -- the one error pattern of every form in a real browser
// (chromium, phone and desktop): a form sent empty comes back with its
// error summary focused (document.activeElement), with and without
// JavaScript, the summary in view; a summary link takes the focus to its
// field; axe-core finds nothing on the page with errors (openPageOn checks
// every page visited).  The consent sentence of Join and Sign-up is one
// line of text with its link, not three columns.  Screenshots of each
// error state: build/screenshots/forms-*.png.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SHOTS, VIEWPORTS, launchBrowser, openPageOn, clickTo, axeCheck } from '../lib/browser.mjs';
import { startServer } from '../lib/server.mjs';
import { personWithRole, sql, sqlValue } from '../lib/accounts.mjs';

/** The page's problems but the console's note of the 422 the form was
 * meant to get. */
const problems = (page) => page.problems.filter((p) => !/responded with a status of 422/.test(p));

let srv;
let browser;
let adminCookie;
let mid;

before(async () => {
  srv = await startServer();
  ({ browser } = await launchBrowser());
  const admin = await personWithRole(srv, { role: 'admin', name: 'Fran Forms' });
  adminCookie = admin.browser.jar.get('session');
  await sql(srv.dataDir, "UPDATE membership_levels SET dues_amount = 25000 WHERE slug = 'associate';" +
    " INSERT INTO organisations (slug, name, name_key, created_at) VALUES ('browser-ngo', 'Browser NGO', 'browser ngo', 0);" +
    " INSERT INTO memberships (level_id, organisation_id, state, state_since, period_start, period_end, created_at)" +
    " SELECT l.id, o.id, 'active', '2026-01-01', '2026-01-01', '2027-06-30', 0 FROM membership_levels l, organisations o" +
    " WHERE l.slug = 'associate' AND o.slug = 'browser-ngo';");
  mid = await sqlValue(srv.dataDir, "SELECT m.id FROM memberships m JOIN organisations o ON o.id = m.organisation_id WHERE o.slug = 'browser-ngo'");
});

after(async () => {
  if (browser) await browser.close();
  if (srv) await srv.stop();
});

/** What has the focus, and whether the summary is in the viewport. */
const focusState = (page) => page.evaluate(() => {
  const s = document.getElementById('error-summary');
  const r = s ? s.getBoundingClientRect() : null;
  return {
    focused: document.activeElement?.id || document.activeElement?.tagName,
    inView: !!r && r.top >= 0 && r.top < innerHeight,
  };
});

for (const vp of VIEWPORTS) {
  describe(`${vp.name} ${vp.width}x${vp.height}`, () => {
    let context;   // the site as it is
    let noScript;  // the same without JavaScript

    before(async () => {
      const viewport = { width: vp.width, height: vp.height };
      context = await browser.newContext({ viewport });
      noScript = await browser.newContext({ viewport, javaScriptEnabled: false });
      for (const c of [context, noScript]) await c.addCookies([{ name: 'session', value: adminCookie, url: srv.url }]);
    });
    after(async () => { await context?.close(); await noScript?.close(); });

    for (const js of [true, false]) {
      test(`"Add a tier" sent empty: the summary has the focus and is in view (${js ? 'with' : 'without'} JavaScript)`, async () => {
        // without JavaScript axe-core cannot run (its checks wait on
        // timers): a plain page, and the same flow checked with it above
        const page = js ? await openPageOn(context, srv.url) : await noScript.newPage();
        page.problems ??= [];
        await page.goto(`${srv.url}/admin/tiers`, { waitUntil: 'load' });
        const button = page.locator('#new-tier').getByRole('button', { name: 'Add the tier' });
        if (js) await clickTo(page, button, '**/admin/tiers');
        else await Promise.all([page.waitForEvent('load'), button.click()]);
        const st = await focusState(page);
        assert.equal(st.focused, 'error-summary', 'the error summary has the focus');
        assert.ok(st.inView, 'the summary is in view');
        assert.equal(await page.locator('#new-name').getAttribute('aria-invalid'), 'true');
        assert.match(await page.title(), /^Error: /);
        if (js) {
          // a summary link moves the focus to its field
          await page.locator('#error-summary a[href="#new-name"]').click();
          assert.equal(await page.evaluate(() => document.activeElement.id), 'new-name');
        }
        await page.screenshot({ path: `${SHOTS}/forms-${vp.name}-tier-${js ? 'js' : 'nojs'}.png`, fullPage: false });
        assert.deepEqual(problems(page), []);
        await page.close();
      });
    }

    test('a payment with a bad amount comes back on the membership\'s page', async () => {
      const page = await openPageOn(context, srv.url);
      await page.goto(`${srv.url}/admin/memberships`, { waitUntil: 'load' });
      await clickTo(page, page.locator(`a[href="/admin/memberships/${mid}"]`), `**/admin/memberships/${mid}`);
      // the date box is styled like the others: as wide as the amount's
      const widths = await page.evaluate(() => [document.getElementById('paid_on').offsetWidth,
        document.getElementById('amount').offsetWidth, document.getElementById('paid_on').offsetHeight]);
      assert.ok(widths[0] >= widths[1] * 0.9 && widths[2] >= 36, `date box ${widths}`);
      await page.locator('#amount').fill('a lot');
      await clickTo(page, page.getByRole('button', { name: 'Record the payment' }), `**/admin/memberships/${mid}/payment`);
      const st = await focusState(page);
      assert.equal(st.focused, 'error-summary');
      assert.equal(await page.locator('#amount').getAttribute('aria-invalid'), 'true');
      assert.equal(await page.locator('#amount').inputValue(), 'a lot');
      await page.screenshot({ path: `${SHOTS}/forms-${vp.name}-payment.png`, fullPage: true });
      // and the end without a reason
      await clickTo(page, page.getByRole('button', { name: 'End the membership' }), `**/admin/memberships/${mid}/cancel`);
      assert.equal((await focusState(page)).focused, 'error-summary');
      assert.equal(await page.locator('#reason').getAttribute('aria-invalid'), 'true');
      await page.screenshot({ path: `${SHOTS}/forms-${vp.name}-end.png`, fullPage: true });
      assert.deepEqual(problems(page), []);
      await page.close();
    });

    for (const [path, button] of [['/signup', 'Create the account'], ['/join/full', 'Send the application']]) {
      test(`${path}: sent empty, the summary has the focus; the consent is one sentence`, async () => {
        const page = await openPageOn(await browser.newContext({ viewport: { width: vp.width, height: vp.height } }), srv.url);
        await page.goto(srv.url + path, { waitUntil: 'load' });
        await clickTo(page, page.locator('main').getByRole('button', { name: button }), `**${path}`);
        assert.equal((await focusState(page)).focused, 'error-summary');
        // the words of the label flow as one text: its link on the line
        // of the words before it, not a column of its own
        const box = await page.evaluate(() => {
          const label = document.getElementById('consent').closest('label');
          const link = label.querySelector('a');
          const span = link.parentElement;
          return { spanDisplay: getComputedStyle(span).display, linkTop: link.getBoundingClientRect().top,
            textTop: span.getBoundingClientRect().top, parentIsLabel: span.parentElement === label };
        });
        assert.ok(box.parentIsLabel, 'the link is inside the text of the label');
        assert.ok(Math.abs(box.linkTop - box.textTop) < 4, `the link starts on the first line: ${JSON.stringify(box)}`);
        await page.locator('#consent').scrollIntoViewIfNeeded();
        await page.screenshot({ path: `${SHOTS}/forms-${vp.name}${path.replace(/\//g, '-')}.png`, fullPage: true });
        assert.deepEqual(problems(page), []);
        await page.context().close();
      });
    }
  });
}
