// french.test.mjs -- issue 10 point 4 across the whole public site: every
// public GET route that answers a page (`alliance routes --json`, who =
// public), its ':params' filled from the seeded data (a focal point, a UN
// body, a membership level) and from a member organisation made here, is
// fetched in French twice -- with Accept-Language: fr and with the lang=fr
// cookie the chooser sets -- and must say <html lang="fr" and show none of
// the catalogs' English (tests/lib/i18n.mjs untranslatedEnglish); and with
// the lang=ar cookie it must say <html lang="ar" dir="rtl".
//
// A page answers whatever its handler answers to these made-up values (a
// token that does not exist gives its error page): that page is checked.
//
// PENDING lists the pages whose folder is not marked for translation yet,
// each with the folder that owns it: they run as todo tests (reported, not
// failing the file) until that folder's branch is merged; then the entry
// goes (node --test reports a todo that passes as "ok # TODO": that entry
// is ready to go).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { Browser, sql } from '../lib/accounts.mjs';
import { loadRoutes, discoverParams, pathFor } from '../lib/routes.mjs';
import { untranslatedEnglish } from '../lib/i18n.mjs';

const ROUTES = await loadRoutes();

/** Public GET routes that answer no page: a file, a probe, a redirect, a
 * feed (feeds.test.mjs; the calendar's iCalendar feeds: their words, the
 * categories, are checked in French by ical_feeds.test.mjs), JSON. */
const NOT_PAGES = new Set(['/static/:name', '/healthz', '/language/:code',
  '/news.atom', '/working-parties/:slug/feed.atom', '/calendar.ics',
  '/calendar/bodies/:slug/feed.ics', '/calendar/focal-areas/:slug/feed.ics',
  '/calendar/working-parties/:slug/feed.ics', '/calendar/personal/:token/feed.ics',
  // the meetings as JSON (/api/v1/meetings): a browser is sent to the calendar
  '/meetings', '/meetings/:slug',
  // a party's old schedule page: sent to its meetings in the calendar
  '/working-parties/:slug/meetings',
  // a spreadsheet (its French header: statements.test.mjs)
  '/statements/:slug/endorsements.csv']);

/**
 * Pages whose owner has not marked them yet: pattern -> the folder that
 * owns it (the lead empties this as the marking branches are merged).
 */
const PENDING = {};

/** The member organisation the directory's pages show. */
const ORG = { slug: 'lingua-franca-network', name: 'Lingua Franca Network' };

const PARAM_BY_PATTERN = {};
const PARAM_BY_NAME = { slug: ORG.slug, token: 'no-such-token', code: 'fr' };

let srv;
let visitor;

const htmlTag = (html) => /<html\b[^>]*>/.exec(html)?.[0] ?? '(no <html>)';

before(async () => {
  srv = await startServer();
  visitor = new Browser(srv.url);
  // a listed member organisation, as the directory's own tests make one
  await sql(srv.dataDir, `
    INSERT INTO organisations (slug, name, name_key, acronym, country, description_md,
      visibility, created_at)
    VALUES ('${ORG.slug}', '${ORG.name}', '${ORG.name.toLowerCase()}', 'LFN', 'FR',
      'Works on access to justice.', 'public', 0);
    INSERT INTO memberships (level_id, organisation_id, state, state_since, period_start,
      period_end, created_at)
    VALUES ((SELECT id FROM membership_levels WHERE slug = 'associate'),
      (SELECT id FROM organisations WHERE slug = '${ORG.slug}'), 'active', '2026-01-01', '2026-01-01', '2026-12-31', 0);`);
  // a focal point, a body, a level: the first each listing page links to
  await discoverParams(ROUTES, visitor, PARAM_BY_PATTERN);
  const level = (await sql(srv.dataDir,
    "SELECT slug FROM membership_levels ORDER BY id LIMIT 1"))[0][0];
  PARAM_BY_PATTERN['/join/:level'] = { level };
  PARAM_BY_PATTERN['/members/:slug'] = { slug: ORG.slug };
  PARAM_BY_PATTERN['/members/:slug/representatives/accept'] = { slug: ORG.slug };
});

after(async () => { if (srv) await srv.stop(); });

const PAGES = ROUTES.filter((r) => r.method === 'GET' && r.who === 'public' &&
  !NOT_PAGES.has(r.pattern));

/** GET path with headers as a fresh visitor: {status, type, html}. */
async function fetchPage(path, headers) {
  const res = await fetch(srv.url + path, { redirect: 'manual', headers });
  return { status: res.status, type: res.headers.get('content-type') ?? '',
    location: res.headers.get('location'), html: await res.text() };
}

/** The database's content in a JSON model, which is not interface text:
 * every string under a key ending in _html (Markdown rendered: page
 * bodies, a body's or an organisation's description) and every string of
 * a page of the pages table ("page": its title and summary, seeded in
 * English and edited by the secretariat), and the membership levels'
 * names and summaries. */
function renderedContent(model, out = [], inPage = false) {
  if (typeof model === 'string') {
    if (inPage && model) out.push(model);
  } else if (Array.isArray(model)) {
    for (const v of model) renderedContent(v, out, inPage);
  } else if (model && typeof model === 'object') {
    for (const [k, v] of Object.entries(model)) {
      if (k.endsWith('_html') && typeof v === 'string' && v) out.push(v);
      else if (k === 'levels' || k === 'level') {
        // the membership levels' names and summaries: the secretariat's
        // text (seeded in English), not messages
        for (const l of [v].flat()) for (const t of [l?.name, l?.summary]) if (typeof t === 'string' && t) out.push(t);
        renderedContent(v, out, inPage);
      } else renderedContent(v, out, inPage || k === 'page');
    }
  }
  return out;
}

/** The French checks of one page; throws with what is wrong.  The
 * database's rendered Markdown, which the same request as JSON lists, is
 * left out of the check: seeded English content is data, not a message
 * (docs/ARCHITECTURE.md, Translations). */
async function checkFrench(pattern, headers) {
  const path = pathFor(pattern, PARAM_BY_NAME, PARAM_BY_PATTERN);
  const p = await fetchPage(path, headers);
  assert.match(p.type, /^text\/html/, `${path}: ${p.status} ${p.type} ${p.location ?? ''}`);
  assert.match(htmlTag(p.html), /^<html lang="fr"/, `${path} (${p.status})`);
  let html = p.html;
  const json = await fetch(srv.url + path, { redirect: 'manual',
    headers: { ...headers, accept: 'application/json' } });
  if (/json/.test(json.headers.get('content-type') ?? '')) {
    // longest first: a page's summary is also its body's first paragraph
    const content = renderedContent(await json.json()).sort((x, y) => y.length - x.length);
    for (const c of content) html = html.split(c).join(' ');
  } else {
    await json.arrayBuffer();
  }
  assert.deepEqual(untranslatedEnglish(html, 'fr'), [],
    `${path} (${p.status}): English left on the French page`);
}

describe('every public page in French', () => {
  test('the routes to walk are listed, with their parameters found', () => {
    assert.ok(PAGES.length >= 20, `only ${PAGES.length} public pages`);
    for (const p of ['/', '/focal-points/:slug', '/bodies/:slug', '/members/:slug', '/join/:level']) {
      assert.ok(PAGES.some((r) => r.pattern === p), `${p} is not listed`);
    }
    for (const p of ['/focal-points/:slug', '/bodies/:slug']) {
      assert.ok(PARAM_BY_PATTERN[p], `no value found for ${p}`);
    }
    for (const p of Object.keys(PENDING)) {
      assert.ok(PAGES.some((r) => r.pattern === p), `PENDING names ${p}, which is no public page`);
    }
  });

  for (const r of PAGES) {
    for (const [how, headers] of [['Accept-Language: fr', { 'accept-language': 'fr' }],
      ['lang=fr cookie', { cookie: 'lang=fr' }]]) {
      const name = `GET ${r.pattern} (${how})`;
      if (PENDING[r.pattern]) {
        test(name, { todo: `pending: ${PENDING[r.pattern]} is not marked yet` }, () =>
          checkFrench(r.pattern, headers));
      } else {
        test(name, () => checkFrench(r.pattern, headers));
      }
    }
  }
});

describe('every public page in Arabic, right to left', () => {
  for (const r of PAGES) {
    test(`GET ${r.pattern} (lang=ar cookie)`, async () => {
      const path = pathFor(r.pattern, PARAM_BY_NAME, PARAM_BY_PATTERN);
      const p = await fetchPage(path, { cookie: 'lang=ar' });
      assert.match(p.type, /^text\/html/, `${path}: ${p.status} ${p.type}`);
      assert.match(htmlTag(p.html), /^<html lang="ar" dir="rtl"/, `${path} (${p.status})`);
    });
  }
});
