// members.test.mjs -- membership in a real browser (issue 4): Debian's
// chromium through playwright-core, on a phone and a desktop viewport.  A
// new organisation applies on the Join form for the associate level and
// sees the thanks page; an administrator, in a second browser context
// signed in through the link `alliance user add --role admin` prints,
// approves it on /admin/applications; the main contact opens the
// invitation from the outbox, signs in, and renews the (free) membership
// on /renew -- all under the site's own Content-Security-Policy and without
// console errors.  A second applicant is asked a question, answers it on
// the page the e-mail links to, and the secretariat reads the answer.
// Then axe-core checks the membership pages (the answer page too).  Screenshots
// go to build/screenshots/members-*.png.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  SHOTS, VIEWPORTS, launchBrowser, openPageOn, clickTo, assertNoAxeViolationsOn,
} from '../lib/browser.mjs';
import { startServer } from '../lib/server.mjs';
import {
  Browser, cli, hiddenFields, nextMail, mailsTo, linkIn, uniqueEmail, personWithRole, sql, sqlText, sqlValue,
} from '../lib/accounts.mjs';


const PUBLIC_PAGES = [
  ['join', '/join'], ['join-associate', '/join/associate'], ['benefits', '/benefits'],
  ['sponsor', '/sponsor'], ['directory', '/members'],
];

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

const openPage = (context) => openPageOn(context, srv.url);

/** Runs axe-core on the page at path; fails with the violations found. */
const assertNoAxeViolations = (page, path, shot) =>
  assertNoAxeViolationsOn(page, srv.url, path, axeSource, `members-${shot}`);

/** An administrator signed in in a new browser context, the way the
 * secretariat's first person is: `alliance user add --role admin` prints a
 * one-time link, opened and used in that context. */
async function adminContext(viewport, name) {
  const email = uniqueEmail(`admin-${name}`);
  const { stdout } = await cli(srv.dataDir, ['user', 'add', email, '--name', `Ada Admin ${name}`, '--role', 'admin']);
  const m = /https?:\/\/\S+\/signin\/link\?token=[A-Za-z0-9_-]+/.exec(stdout);
  assert.ok(m, `no sign-in link in the output of alliance user add:\n${stdout}`);
  const link = new URL(m[0]);
  const context = await browser.newContext({ viewport });
  const page = await openPage(context);
  await page.goto(srv.url + link.pathname + link.search, { waitUntil: 'load' });
  await clickTo(page, page.locator('main').getByRole('button', { name: 'Sign me in' }), (u) => u.pathname !== '/signin/link');
  return { context, page };
}

for (const vp of VIEWPORTS) {
  describe(`${vp.name} ${vp.width}x${vp.height}`, () => {
    const viewport = { width: vp.width, height: vp.height };
    let context;    // the applicant's browser, the site as it is
    let admin;      // the secretariat's browser
    let axeContext; // CSP bypassed, only so that axe-core can be injected

    before(async () => {
      context = await browser.newContext({ viewport });
      axeContext = await browser.newContext({ viewport, bypassCSP: true });
      admin = await adminContext(viewport, vp.name);
    });
    after(async () => {
      await context?.close();
      await admin?.context.close();
      await axeContext?.close();
    });

    test('an organisation joins, the secretariat approves, the main contact signs in and renews', async () => {
      const page = await openPage(context);
      const main = page.locator('main');
      const email = uniqueEmail(`join-${vp.name}`);
      const org = `Browser Justice Network ${vp.name} ${process.pid}`;

      // Join: the associate level's form
      await page.goto(`${srv.url}/join`, { waitUntil: 'load' });
      await clickTo(page, main.locator('a[href="/join/associate"]').first(), '**/join/associate');
      await main.getByLabel(/^Organisation name/).fill(org);
      // the country is chosen by its name; the code is what is sent
      await main.getByLabel(/^Country of its seat/).selectOption({ label: 'Austria' });
      assert.equal(await main.getByLabel(/^Country of its seat/).inputValue(), 'AT');
      await main.getByLabel(/^What your organisation does/).fill('Legal aid for people in pre-trial detention.');
      await main.getByLabel(/^Your name/).fill('Mara Main');
      await main.getByLabel(/^Your e-mail/).fill(email);
      await main.getByRole('checkbox', { name: 'Femicide' }).check();
      await main.getByLabel(/privacy policy/).check();
      await page.screenshot({ path: `${SHOTS}/members-${vp.name}-join-filled.png`, fullPage: true });
      await clickTo(page, main.getByRole('button', { name: 'Send the application' }), '**/join/thanks');
      assert.equal(await page.locator('h1').first().innerText(), 'Thank you for applying');
      await page.screenshot({ path: `${SHOTS}/members-${vp.name}-join-thanks.png`, fullPage: true });

      // the receipt is written by the outbox job; count it before the
      // secretariat acts, so the next message is the invitation
      await nextMail(srv.dataDir, email, 0, { subject: 'We received your application' });
      const seen = (await mailsTo(srv.dataDir, email)).length;

      // the secretariat approves it
      const ap = admin.page;
      const amain = ap.locator('main');
      await ap.goto(`${srv.url}/admin/applications`, { waitUntil: 'load' });
      await clickTo(ap, amain.getByRole('link', { name: org }), '**/admin/applications/*');
      await clickTo(ap, amain.getByRole('button', { name: 'Approve' }), '**/admin/applications/**');
      assert.match(await amain.getByRole('status').first().innerText(), /approved|active/i);
      assert.match(await amain.innerText(), /Country\s+Austria/i, 'the application names the country');
      await ap.screenshot({ path: `${SHOTS}/members-${vp.name}-approved.png`, fullPage: true });

      // the main contact opens the invitation and signs in
      const invitation = await nextMail(srv.dataDir, email, seen, { timeoutMs: 10_000 });
      const link = linkIn(invitation, '/signin/link?token=');
      await page.goto(srv.url + link, { waitUntil: 'load' });
      await clickTo(page, main.getByRole('button', { name: 'Sign me in' }), (u) => u.pathname !== '/signin/link');
      assert.ok(await page.locator('header').getByRole('button', { name: 'Sign out' }).isVisible(),
        'not signed in after using the invitation');

      // and renews: the associate level is free, so at once.  A period can
      // be renewed in its last 90 days: bring its end near, whatever
      // today's date is.
      await sql(srv.dataDir, `UPDATE memberships SET period_end = date('now', '+20 days') ` +
        `WHERE organisation_id = (SELECT id FROM organisations WHERE name = ${sqlText(org)})`);
      await page.goto(`${srv.url}/renew`, { waitUntil: 'load' });
      assert.match(await main.innerText(), new RegExp(org));
      await clickTo(page, main.getByRole('button', { name: 'Renew now' }), '**/renew?renewed=*');
      assert.match(await main.getByRole('status').innerText(), /The membership is renewed/);
      await page.screenshot({ path: `${SHOTS}/members-${vp.name}-renewed.png`, fullPage: true });

      // the secretariat's dashboard counts it
      await ap.goto(`${srv.url}/admin/membership`, { waitUntil: 'load' });
      assert.ok(await amain.locator('svg[role="img"]').isVisible(), 'no chart on the dashboard');
      assert.ok(await amain.locator('th[scope="row"]', { hasText: 'Austria' }).isVisible(), 'no Austria by country');

      // the directory's filter: a country chosen by name, sent as its code
      await page.goto(`${srv.url}/members`, { waitUntil: 'load' });
      await main.getByLabel('Country', { exact: true }).selectOption({ label: 'Austria' });
      await clickTo(page, main.getByRole('button', { name: 'Show' }), '**/members?*country=AT*');
      assert.equal(await main.getByLabel('Country', { exact: true }).inputValue(), 'AT');
      const rows = await main.locator('table').innerText();
      assert.ok(rows.includes(org) && rows.includes('Austria') && !/\bAT\b/.test(rows), rows);
      await page.goto(`${srv.url}/renew`, { waitUntil: 'load' });
      await ap.screenshot({ path: `${SHOTS}/members-${vp.name}-dashboard.png`, fullPage: true });

      // and, another day, ends it: the form opens from its summary and
      // asks for a confirmation first
      await main.getByText('End this membership').click();
      await main.getByLabel(/^Why does it end/).fill('We join a regional network instead.');
      await main.getByRole('checkbox', { name: /stops being a member now/ }).check();
      await page.screenshot({ path: `${SHOTS}/members-${vp.name}-renew-ending.png`, fullPage: true });
      await clickTo(page, main.getByRole('button', { name: 'End the membership' }), '**/renew?cancelled=1');
      assert.match(await main.getByRole('status').innerText(), /The membership has ended/);
      assert.doesNotMatch(await main.innerText(), new RegExp(org));

      assert.deepEqual(page.problems, []);
      assert.deepEqual(ap.problems, []);
      await page.close();
    });

    test('an applicant answers the secretariat\'s question on the page its e-mail links to', async () => {
      // an application, sent as the form would
      const email = uniqueEmail(`asked-${vp.name}`);
      const org = `Browser Asked Network ${vp.name} ${process.pid}`;
      const b = new Browser(srv.url);
      const form = await b.html('/join/associate');
      const sent = await b.post('/join/associate', { ...hiddenFields(form, '/join/associate'),
        name: 'Quinn Question', email, org_name: org, org_acronym: 'BAN', country: 'KE',
        org_description: 'Paralegal aid in police stations.', consent: '1' });
      assert.equal(sent.status, 303, await sent.text());
      const id = await sqlValue(srv.dataDir, `SELECT id FROM applications WHERE org_name = ${sqlText(org)}`);

      // the secretariat asks
      const ap = admin.page;
      const amain = ap.locator('main');
      const seen = (await mailsTo(srv.dataDir, email)).length;
      await ap.goto(`${srv.url}/admin/applications/${id}`, { waitUntil: 'load' });
      // sent empty: the summary takes the focus beside the forms, under
      // "Decide", not above the application's facts
      await clickTo(ap, amain.getByRole('button', { name: 'Send the question' }), '**/admin/applications/**');
      const near = await ap.evaluate(() => {
        const s = document.getElementById('error-summary').getBoundingClientRect();
        return { focused: document.activeElement?.id, top: s.top, height: innerHeight,
          gap: document.getElementById('question').getBoundingClientRect().top - s.bottom };
      });
      assert.equal(near.focused, 'error-summary');
      assert.ok(near.top >= 0 && near.top < near.height, 'the summary is in view');
      assert.ok(near.gap >= 0 && near.gap < near.height / 2, `the summary is ${near.gap} px above the question`);
      await ap.screenshot({ path: `${SHOTS}/members-${vp.name}-ask-empty.png` });
      await amain.getByLabel(/^Ask the applicant a question/).fill('Which police stations do you work in?');
      await clickTo(ap, amain.getByRole('button', { name: 'Send the question' }), '**/admin/applications/*?done=asked');
      const mail = await nextMail(srv.dataDir, email, seen, { subject: 'A question about your application' });
      const link = linkIn(mail, '/join/answer/');

      // axe-core on the answer page, before it is used
      const axePage = await openPage(axeContext);
      await assertNoAxeViolations(axePage, link, `${vp.name}-answer`);
      await axePage.close();

      // the applicant answers and corrects the acronym
      const page = await openPage(context);
      const main = page.locator('main');
      await page.goto(srv.url + link, { waitUntil: 'load' });
      assert.match(await main.innerText(), /Which police stations do you work in\?/);
      await main.getByRole('textbox', { name: /^Your answer/ }).fill('Nairobi Central and *Kilimani*.');
      await main.getByLabel(/^Acronym/).fill('BANK');
      await page.screenshot({ path: `${SHOTS}/members-${vp.name}-answer-filled.png`, fullPage: true });
      await clickTo(page, main.getByRole('button', { name: 'Send the answer' }), '**/join/answered');
      assert.equal(await page.locator('h1').first().innerText(), 'Thank you for your answer');

      // the secretariat reads it
      await ap.goto(`${srv.url}/admin/applications/${id}`, { waitUntil: 'load' });
      assert.match(await amain.innerText(), /Answer from Quinn Question, the applicant/);
      assert.equal(await amain.locator('em', { hasText: 'Kilimani' }).count(), 1);
      assert.match(await amain.innerText(), /\(BANK\)/);
      await ap.screenshot({ path: `${SHOTS}/members-${vp.name}-answered.png`, fullPage: true });

      assert.deepEqual(page.problems, []);
      // but the console's note of the 422 the empty question was meant to get
      assert.deepEqual(ap.problems.filter((p) => !/status of 422 .*\/ask\)$/.test(p)), []);
      await page.close();
    });

    for (const [name, path] of PUBLIC_PAGES) {
      test(`axe-core finds no violations on ${path}`, async () => {
        const page = await openPage(axeContext);
        await assertNoAxeViolations(page, path, `${vp.name}-${name}`);
        await page.close();
      });
    }

    test('axe-core finds no violations on /renew (a main contact) and /admin/membership (an administrator)', async () => {
      for (const [role, path, name] of [['member', '/renew', 'renew'], ['admin', '/admin/membership', 'admin-membership']]) {
        const p = await personWithRole(srv, { role, name: `Axel ${role} ${vp.name}` });
        const cookie = p.browser.jar.get('session');
        assert.ok(cookie, `the ${role} has no session cookie`);
        await axeContext.addCookies([{ name: 'session', value: cookie, url: srv.url }]);
        const page = await openPage(axeContext);
        await assertNoAxeViolations(page, path, `${vp.name}-${name}`);
        await page.close();
        await axeContext.clearCookies();
      }
    });
  });
}
