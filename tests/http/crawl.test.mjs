// crawl.test.mjs -- every link on every page a person can reach answers
// 2xx or a deliberate 3xx (issue 12): a crawler that starts at the home
// page (and, signed in, at /account and the secretariat's /admin) and
// follows every same-site link it finds, as a visitor, a member (a
// representative who is not the main contact), a main contact and the
// secretariat.  A link that answers 4xx or 5xx is a promise with nothing
// behind it ("Sign up for updates" once went to a 404 on every page).
//
// The data: one public member organisation with its main contact and one
// other representative, a hidden one, an organisation without a
// membership (imported), so the pages that list them have rows to link.
// Links are followed with GET only (a link never changes anything, but
// /language/CODE saves a choice: asked without the role's cookies, so the
// crawl stays in one language); each path is visited with at most
// MAX_QUERIES query strings (pagers and filters multiply them), and at most
// MAX_PAGES pages per person.  Redirects are checked, not followed: where
// they lead is linked from somewhere else, or is /signin.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import {
  Browser, personWithRole, personId, sql, sqlText, unescapeHtml,
} from '../lib/accounts.mjs';

const MAX_PAGES = 400;
const MAX_QUERIES = 4;

let srv;
const people = {};

before(async () => {
  srv = await startServer();
  people.secretariat = (await personWithRole(srv, { role: 'admin', name: 'Sue Secretariat' })).browser;
  const main = await personWithRole(srv, { role: 'member', name: 'Mia Main' });
  const other = await personWithRole(srv, { role: 'member', name: 'Otto Other' });
  const ids = [await personId(srv.dataDir, main.email), await personId(srv.dataDir, other.email)];
  const org = async (slug, name, visibility, membership) => {
    const rows = await sql(srv.dataDir, `
      INSERT INTO organisations (slug, name, name_key, acronym, country, description_md, visibility, created_at)
      VALUES (${sqlText(slug)}, ${sqlText(name)}, ${sqlText(name.toLowerCase())}, 'CRW', 'AT',
        'We work on *crime prevention* in Vienna.', ${sqlText(visibility)}, 0);
      SELECT id FROM organisations WHERE slug = ${sqlText(slug)};`);
    const id = Number(rows[0][0]);
    if (membership) {
      await sql(srv.dataDir, `
        INSERT INTO memberships (level_id, organisation_id, state, state_since, period_start, period_end, created_at)
        VALUES ((SELECT id FROM membership_levels WHERE slug = 'associate'), ${id}, 'active',
          '2026-01-01', '2026-01-01', '2099-12-31', 0)`);
    }
    return id;
  };
  const id = await org('crawl-public', 'Crawl Public Network', 'public', true);
  await org('crawl-hidden', 'Crawl Hidden Society', 'hidden', true);
  await org('crawl-imported', 'Crawl Imported Association', 'public', false);
  await sql(srv.dataDir, `INSERT INTO representatives (organisation_id, person_id, main_contact) VALUES
    (${id}, ${ids[0]}, 1), (${id}, ${ids[1]}, 0)`);
  people['main contact'] = main.browser;
  people.member = other.browser;
  people.visitor = new Browser(srv.url);
});
after(async () => { if (srv) await srv.stop(); });

/** The same-site links of a page: href and src values that are paths. */
function linksOf(html) {
  const out = [];
  for (const m of html.matchAll(/\b(?:href|src)\s*=\s*"([^"]*)"/g)) {
    const v = unescapeHtml(m[1]).split('#')[0];
    if (v.startsWith('/') && !v.startsWith('//')) out.push(v);
  }
  return out;
}

/**
 * Crawls from starts as browser b; resolves to {visited, broken}, broken
 * a list of "PATH -> STATUS (linked from FROM)".
 */
async function crawl(b, starts) {
  const seen = new Set();
  const queries = new Map(); // pathname -> query strings taken
  const queue = starts.map((p) => [p, '(start)']);
  const broken = [];
  let visited = 0;

  while (queue.length && visited < MAX_PAGES) {
    const [path, from] = queue.shift();
    if (seen.has(path)) continue;
    seen.add(path);
    const u = new URL(path, 'http://x');
    const taken = queries.get(u.pathname) ?? 0;
    if (u.search && taken >= MAX_QUERIES) continue;
    if (u.search) queries.set(u.pathname, taken + 1);
    visited++;
    const res = u.pathname.startsWith('/language/')
      ? await fetch(srv.url + path, { redirect: 'manual' })
      : await b.get(path);
    const type = res.headers.get('content-type') ?? '';
    const body = type.startsWith('text/html') ? await res.text() : (await res.arrayBuffer(), '');
    if (res.status >= 400) {
      broken.push(`${path} -> ${res.status} (linked from ${from})`);
      continue;
    }
    if (res.status >= 300) continue;
    for (const link of linksOf(body)) if (!seen.has(link)) queue.push([link, path]);
  }
  return { visited, broken };
}

describe('every link answers', () => {
  const starts = {
    visitor: ['/'],
    member: ['/', '/account'],
    'main contact': ['/', '/account', '/members/crawl-public', '/members/crawl-public/edit'],
    secretariat: ['/', '/account', '/admin'],
  };
  for (const who of Object.keys(starts)) {
    test(`as ${who}`, { timeout: 300_000 }, async (t) => {
      const { visited, broken } = await crawl(people[who], starts[who]);
      t.diagnostic(`${visited} pages visited as ${who}`);
      assert.ok(visited >= 20, `only ${visited} pages reached as ${who}`);
      assert.deepEqual(broken, [], `links that do not answer, as ${who}:\n${broken.join('\n')}`);
    });
  }
});
