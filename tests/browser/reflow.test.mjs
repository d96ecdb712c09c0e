// reflow.test.mjs -- no secretariat page and not the directory is wider
// than a phone (issue 12; WCAG 2.1 reflow, 1.4.10), which axe-core does
// not see.  The database is filled with rows that make tables wide
// (long names, long e-mail addresses, a dozen of each): organisations
// with memberships, pledges, applications, people.  Then, at 390 and
// 1280 px, an administrator opens every page the route table
// (`alliance routes --json`) lists as GET for the secretariat without a
// parameter, every one with a parameter whose list page links to a row
// (an application, ...), the pages of the secretariat's own account and a
// member organisation's public page and edit page; a visitor opens the
// directory.  On each: document.documentElement.scrollWidth is at most
// the viewport's width, every table sits in a named, focusable scroll
// region, and axe-core finds nothing.  On a phone the directory shows its
// rows as cards that need no scrolling at all.  Screenshots of the pages
// that do not fit go to build/screenshots/reflow-*.png (of every page
// with ALLIANCE_SHOTS=1).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SHOTS, VIEWPORTS, launchBrowser, openPageOn, clickTo } from '../lib/browser.mjs';
import { startServer } from '../lib/server.mjs';
import { cli, uniqueEmail, sql, sqlText } from '../lib/accounts.mjs';
import { loadRoutes, discoverParams, pathFor, signInByLink } from '../lib/routes.mjs';

const ROWS = 12;
let srv;
let browser;
let pages; // the paths an administrator visits

/** What fold_text() stores for a name: no accents, no case, one space. */
const fold = (s) => s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase()
  .replace(/\s+/g, ' ').trim();

/** Rows that make every table of the secretariat wide: ROWS of each. */
async function seedWideRows() {
  let q = '';
  for (let i = 1; i <= ROWS; i++) {
    const name = `International Federation for Penal Reform and Restorative Justice ${i}`;
    const slug = `federation-${i}`;
    q += `
    INSERT INTO organisations (slug, name, name_key, acronym, country, website, description_md,
      visibility, ecosoc_status, ecosoc_year, dgc_associated, dgc_year, created_at)
    VALUES (${sqlText(slug)}, ${sqlText(name)}, ${sqlText(fold(name))}, 'IFPRRJ', 'AT',
      'https://www.international-federation-for-penal-reform.example.org/', '', 'public',
      'special', 2004, 1, 2010, 0);
    INSERT INTO memberships (level_id, organisation_id, state, state_since, period_start, period_end, created_at)
    VALUES ((SELECT id FROM membership_levels WHERE slug = 'full'),
      (SELECT id FROM organisations WHERE slug = ${sqlText(slug)}), 'active', '2026-01-01',
      '2026-01-01', '2026-12-31', 0);
    INSERT INTO organisation_focal_areas VALUES ((SELECT id FROM organisations WHERE slug = ${sqlText(slug)}),
      (SELECT id FROM focal_areas WHERE slug = 'corruption'));
    INSERT INTO pledges (sponsor_name, contact_name, contact_email, tier_id, currency, purpose,
      purpose_detail, created_at)
    VALUES (${sqlText(`Generous Foundation for Justice and the Rule of Law ${i}`)}, 'Constance Contactperson',
      ${sqlText(`constance.contactperson${i}@generous-foundation-for-justice.example.org`)},
      (SELECT min(id) FROM sponsorship_tiers), 'USD', 'working-party',
      'For the working party on prisons and detention', 1764000000);
    INSERT INTO applications (level_id, applicant_name, applicant_email, org_name, org_country,
      consent_at, submitted_at)
    VALUES ((SELECT id FROM membership_levels WHERE slug = 'full'), 'Applicant Person',
      ${sqlText(`applicant.person${i}@applying-organisation-for-justice.example.org`)},
      ${sqlText(`Applying Organisation for Justice and Human Rights ${i}`)}, 'AT', 1764000000, 1764000000);
    INSERT INTO people (email, name, created_at)
    VALUES (${sqlText(`person.with.a.long.address${i}@organisation-number-${i}.example.org`)},
      ${sqlText(`Maximiliane Konstantinopoulou-Wittgenstein ${i}`)}, 0);`;
  }
  await sql(srv.dataDir, q);
}

/** A new administrator's one-time sign-in link (`alliance user add`). */
async function adminLink(name) {
  const { stdout } = await cli(srv.dataDir, ['user', 'add', uniqueEmail(`reflow-${name}`),
    '--name', `Rae Reflow ${name}`, '--role', 'admin']);
  return stdout;
}

/** The paths the administrator visits: every GET route of the
 * secretariat (who = admin) that answers a page, its parameters filled
 * from the list pages' links; the account pages every member has; a
 * member organisation's page and its edit page. */
async function secretariatPaths() {
  const routes = await loadRoutes();
  const get = routes.filter((r) => r.method === 'GET' && r.who === 'admin' &&
    !/\.(csv|json)$/.test(r.pattern) && !/\/documents?(\/:\w+)?$/.test(r.pattern));
  const byPattern = { '/members/:slug/edit': { slug: 'federation-1' } };
  await discoverParams(routes, await signInByLink(srv.url, await adminLink('http')), byPattern);
  const paths = [];
  for (const r of get) {
    if (!r.pattern.includes(':')) paths.push(r.pattern);
    else if (byPattern[r.pattern]) paths.push(pathFor(r.pattern, {}, byPattern));
  }
  assert.ok(paths.includes('/admin/pledges') && paths.includes('/admin/memberships'),
    `the route table lists no secretariat pages: ${paths}`);
  assert.ok(paths.some((p) => /^\/admin\/applications\/\d+$/.test(p)), `no application page in ${paths}`);
  return [...paths, '/account', '/account/sessions', '/account/tokens', '/members/federation-1',
    '/members/federation-1/edit'];
}

before(async () => {
  srv = await startServer();
  ({ browser } = await launchBrowser());
  await seedWideRows();
  pages = await secretariatPaths();
});

after(async () => {
  if (browser) await browser.close();
  if (srv) await srv.stop();
});

/**
 * What page shows now against its viewport: the page's width, the
 * elements that reach past its end edge outside any scroller (what makes
 * it wider), and every table not in a named, focusable scroll region.
 */
function measure(page) {
  return page.evaluate(() => {
    const view = window.innerWidth;
    const scrolls = (el) => ['auto', 'scroll', 'hidden'].includes(getComputedStyle(el).overflowX);
    const culprits = [];
    for (const el of document.body.querySelectorAll('*')) {
      const box = el.getBoundingClientRect();
      if (box.right <= view + 0.5 && box.left >= -0.5) continue;
      let up = el.parentElement;
      while (up && up !== document.body && !scrolls(up)) up = up.parentElement;
      // inside a scroller, unless it is positioned against a box outside
      // it (a hidden label escaping its table's scroller)
      const pos = getComputedStyle(el).position;
      const escapes = (pos === 'absolute' || pos === 'fixed') && !(el.offsetParent && up.contains(el.offsetParent));
      if (up && up !== document.body && !escapes) continue;
      culprits.push(`<${el.tagName.toLowerCase()} class="${el.className}"> ${Math.round(box.left)}..${Math.round(box.right)}px`);
    }
    const unwrapped = [...document.querySelectorAll('table')].filter((t) => {
      const wrap = t.parentElement;
      return !(wrap.classList.contains('table-wrap') && scrolls(wrap) &&
        wrap.getAttribute('role') === 'region' && wrap.tabIndex === 0 &&
        (wrap.getAttribute('aria-label') || document.getElementById(wrap.getAttribute('aria-labelledby') || '')));
    }).map((t) => t.outerHTML.slice(0, 80));
    return { doc: document.documentElement.scrollWidth, view, culprits: culprits.slice(0, 5), unwrapped };
  });
}

/** Opens path (axe-core runs on it: openPageOn) and adds what does not
 * fit to failures; saves its screenshot when it does not fit, or for
 * every page with ALLIANCE_SHOTS=1 (a full-page PNG of each of some
 * eighty pages is a quarter of the file's time). */
async function visit(page, path, shot, failures) {
  const res = await page.goto(srv.url + path, { waitUntil: 'load' });
  assert.equal(res.status(), 200, `GET ${path}`);
  const m = await measure(page);
  const before = failures.length;
  if (m.doc > m.view) failures.push(`${path}: ${m.doc}px wide in ${m.view}px; too wide: ${m.culprits.join('; ')}`);
  for (const t of m.unwrapped) failures.push(`${path}: a table outside a named, focusable scroll region: ${t}`);
  if (failures.length > before || process.env.ALLIANCE_SHOTS === '1') {
    await page.screenshot({ path: `${SHOTS}/reflow-${shot}.png`, fullPage: true });
  }
  return m;
}

const shotName = (vp, path) => `${vp.name}${path.replace(/[^a-z0-9]+/gi, '-').replace(/-$/, '')}`;

for (const vp of VIEWPORTS) {
  describe(`${vp.name} ${vp.width}x${vp.height}`, () => {
    test('no secretariat page is wider than the screen, and axe-core finds nothing', async () => {
      const link = new URL(/https?:\/\/\S+\/signin\/link\?token=[A-Za-z0-9_-]+/.exec(await adminLink(vp.name))[0]);
      const context = await browser.newContext({ viewport: { width: vp.width, height: vp.height } });
      try {
        const page = await openPageOn(context, srv.url);
        await page.goto(srv.url + link.pathname + link.search, { waitUntil: 'load' });
        await clickTo(page, page.locator('main').getByRole('button', { name: 'Sign me in' }),
          (u) => u.pathname !== '/signin/link');
        const failures = [];
        let tables = 0;
        for (const path of pages) {
          await visit(page, path, shotName(vp, path), failures);
          tables += await page.locator('table').count();
        }
        assert.ok(tables >= 10, `only ${tables} tables on ${pages.length} pages`);
        assert.deepEqual(failures, []);
        assert.deepEqual(page.problems, []);
      } finally {
        await context.close();
      }
    });

    test('the directory fits the screen: cards on a phone, a table on a desktop', async () => {
      const context = await browser.newContext({ viewport: { width: vp.width, height: vp.height } });
      try {
        const page = await openPageOn(context, srv.url);
        const failures = [];
        await visit(page, '/members', shotName(vp, '/members'), failures);
        assert.deepEqual(failures, []);
        assert.equal(await page.locator('.directory-table tbody tr').count(), ROWS);
        const row = page.locator('.directory-table tbody tr').first();
        const shape = await row.evaluate((tr) => ({
          display: getComputedStyle(tr).display,
          label: getComputedStyle(tr.querySelector('.cell-label')).display,
          wrap: { scroll: tr.closest('.table-wrap').scrollWidth, client: tr.closest('.table-wrap').clientWidth },
        }));
        if (vp.width < 640) {
          assert.equal(shape.display, 'block', 'a row is not a card on a phone');
          assert.notEqual(shape.label, 'none', 'a card\'s cells are not labelled');
          assert.ok(shape.wrap.scroll <= shape.wrap.client,
            `the cards scroll sideways: ${shape.wrap.scroll}px in ${shape.wrap.client}px`);
          assert.match(await row.innerText(), /^Country\s+Austria$/m);
        } else {
          assert.equal(shape.display, 'table-row');
          assert.equal(shape.label, 'none');
        }
        // a screen reader still has a table with its column headers
        assert.equal(await page.getByRole('columnheader', { name: 'Country' }).count(), 1);
        assert.deepEqual(page.problems, []);
      } finally {
        await context.close();
      }
    });
  });
}
