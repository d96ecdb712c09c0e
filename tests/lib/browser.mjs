// browser.mjs -- what every browser test shares: Debian's chromium launched
// through playwright-core with the flags this machine needs, the phone and
// desktop viewports, pages that collect their console errors, exceptions,
// failed requests and axe-core violations of every page they visit, and the
// axe-core check of one page with its screenshot.
import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { chromium } from 'playwright-core';

const ROOT = new URL('../..', import.meta.url).pathname;
export const SHOTS = resolve(ROOT, 'build/screenshots');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
// As on every machine here: no sandbox as root, and no calls home.  Playwright
// gives each launch a fresh, empty --user-data-dir of its own.  V8 runs
// without its optimising tiers (--no-opt, --no-maglev): the scripts here
// run once per page (axe-core's 560 KB most of all, loaded again on every
// page it checks), so compiling them for speed was work thrown away with
// the page, about a seventh of the browser's CPU time; what a page does
// is the same on every tier.
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--js-flags=--no-opt --no-maglev',
];

export const VIEWPORTS = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'desktop', width: 1280, height: 900 },
];

let axeText = null;
const axeLoaded = () => axeText ??= readFile(resolve(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');

/** Launches chromium; resolves to {browser, axeSource}. */
export async function launchBrowser() {
  const axeSource = await axeLoaded();
  await mkdir(SHOTS, { recursive: true });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: 30_000 });
  return { browser, axeSource };
}

/**
 * Runs axe-core on what page shows now and adds its violations to
 * page.problems.  axe is evaluated through the DevTools protocol, which the
 * site's Content-Security-Policy does not govern, so the page is checked as
 * people get it (no bypassCSP).
 */
export async function axeCheck(page) {
  const path = new URL(page.url()).pathname;
  if (!(await page.evaluate(() => typeof globalThis.axe === 'object'))) {
    await page.evaluate(await axeLoaded());
  }
  // only the violations are gathered in full (resultTypes): the passes'
  // selectors, which nobody reads, are most of axe's time on a big page
  const result = await page.evaluate(() => globalThis.axe.run(document, { resultTypes: ['violations'] }));
  for (const v of result.violations) {
    page.problems.push(`axe on ${path}: ${v.id} (${v.impact}): ${v.help}; ` +
      v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', '));
  }
}

/**
 * A page of context whose console errors, uncaught exceptions and failed
 * requests to base are collected in page.problems (a CSP refusal shows as a
 * console error); the browser's own /favicon.ico request is not counted,
 * nor a request the browser itself aborted because the page moved on.
 * Every page it is taken to by page.goto or clickTo is checked with
 * axe-core, its violations added to page.problems too, so a flow's closing
 * `assert.deepEqual(page.problems, [])` covers every page it visited.
 */
export async function openPageOn(context, base) {
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  page.problems = [];
  const goto = page.goto.bind(page);
  page.gotoUnchecked = goto;
  page.goto = async (url, opts) => {
    const res = await goto(url, opts);
    if (res && new URL(page.url()).origin === new URL(base).origin) await axeCheck(page);
    return res;
  };
  const ours = (url) => !/\/favicon\.ico$/.test(new URL(url || 'about:blank', base).pathname);
  page.on('console', (m) => {
    if (m.type() === 'error' && ours(m.location()?.url)) {
      page.problems.push(`console: ${m.text()} (${m.location()?.url || ''})`);
    }
  });
  page.on('pageerror', (e) => page.problems.push(`exception: ${e.message}`));
  // net::ERR_ABORTED is the browser dropping a request itself, as it does
  // with a page's icon when a click navigates away first; a server that
  // fails shows as another error (a reset, an empty response)
  page.on('requestfailed', (r) => {
    const why = r.failure()?.errorText;
    if (ours(r.url()) && why !== 'net::ERR_ABORTED') page.problems.push(`request failed: ${r.url()} ${why}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400 && ours(r.url()) && r.request().resourceType() !== 'document') {
      page.problems.push(`${r.status()} for ${r.url()}`);
    }
  });
  return page;
}

/**
 * The link named name in the site's main navigation, visible: on a narrow
 * screen the list is folded behind the Menu button (site/static/menu.js),
 * which is opened first when it is closed.
 */
export async function mainNavLink(page, name) {
  const link = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true });
  const toggle = page.locator('header .menu-toggle');
  if (await toggle.isVisible() && await toggle.getAttribute('aria-expanded') !== 'true') await toggle.click();
  return link;
}

/** Clicks and waits for the navigation to urlGlob to finish loading. */
export async function clickTo(page, locator, urlGlob) {
  await Promise.all([page.waitForURL(urlGlob, { waitUntil: 'load' }), locator.click()]);
  if (page.problems) await axeCheck(page);
}

/** Opens base + path, runs axe-core and saves the screenshot shot (a file
 * name under SHOTS); fails with the violations found. */
export async function assertNoAxeViolationsOn(page, base, path, axeSource, shot) {
  const res = await (page.gotoUnchecked ?? page.goto)(base + path, { waitUntil: 'load' });
  assert.equal(res.status(), 200, `GET ${path}`);
  assert.equal(new URL(page.url()).pathname, path.split('?')[0], `${path} went elsewhere`);
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(() => globalThis.axe.run(document, { resultTypes: ['violations'] }));
  assert.ok(result.passes.length > 0, 'axe-core checked nothing');
  await page.screenshot({ path: `${SHOTS}/${shot}.png`, fullPage: true });
  const found = result.violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n` +
    v.nodes.slice(0, 5).map((n) => `    ${n.target.join(' ')}: ${n.failureSummary?.split('\n').slice(1).join('; ')}`).join('\n'));
  assert.equal(found.length, 0, `axe violations on ${path}:\n  ${found.join('\n  ')}`);
}
