// routes.mjs -- what the tests that walk every route share: the route table
// as the binary lists it (`alliance routes --json`: method, pattern, who,
// module, summary, action, fields), paths with their ':params' filled in,
// values for those params found on the listing pages, and signing in
// through a one-time link the command line printed.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { allianceBin } from './server.mjs';
import { Browser } from './accounts.mjs';

/** The route table as the binary lists it. */
export function loadRoutes() {
  return new Promise((ok, fail) => {
    execFile(allianceBin(), ['routes', '--json'], { timeout: 30_000 }, (err, stdout, stderr) => {
      if (err) {
        err.message += `\n--- stderr\n${stderr}`;
        fail(err);
      } else {
        try {
          ok(JSON.parse(stdout));
        } catch (e) {
          fail(new Error(`alliance routes --json is not JSON: ${e.message}\n${stdout.slice(0, 500)}`));
        }
      }
    });
  });
}

/**
 * For each pattern like /things/:slug whose /things is a GET route without
 * parameters, the first /things/VALUE linked from that page as browser b
 * sees it, put into byPattern[pattern] = {slug: VALUE}: a value that
 * exists, so the handler answers about it.
 */
export async function discoverParams(routes, b, byPattern) {
  for (const r of routes) {
    const m = /^((?:\/[^/:]+)+)\/:([a-z_]+)(\/.*)?$/.exec(r.pattern);
    if (!m || byPattern[r.pattern]) continue;
    const [, parent, param] = m;
    if (!routes.some((x) => x.method === 'GET' && x.pattern === parent)) continue;
    const res = await b.get(parent);
    const html = await res.text();
    if (res.status !== 200) continue;
    const esc = parent.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    // the first link to a thing, not to a page of its own beside them
    // (/admin/calendar/new is a route, not a meeting called "new")
    const hit = [...html.matchAll(new RegExp(`(?:href|action)="${esc}/([^"/?#]+)`, 'g'))]
      .find((h) => !routes.some((x) => x.pattern === `${parent}/${h[1]}`));
    if (hit) byPattern[r.pattern] = { [param]: decodeURIComponent(hit[1]) };
  }
}

/** A path for pattern with its parameters filled in: by pattern first,
 * then by name, else '1'. */
export function pathFor(pattern, byName, byPattern) {
  const known = { ...byName, ...(byPattern[pattern] || {}) };
  return pattern.split('/').map((seg) => {
    if (!seg.startsWith(':')) return seg;
    const v = known[seg.slice(1)] ?? '1';
    return encodeURIComponent(v);
  }).join('/');
}

/** Signs a person in, in a fresh browser on base, through the one-time
 * link in stdout (of `alliance user add|reset-password`). */
export async function signInByLink(base, stdout) {
  const m = /https?:\/\/\S+\/signin\/link\?token=[A-Za-z0-9_-]+/.exec(stdout);
  assert.ok(m, `no sign-in link in:\n${stdout}`);
  const u = new URL(m[0]);
  const b = new Browser(base);
  const res = await b.submit(u.pathname + u.search, '/signin/link');
  assert.equal(res.status, 303, `POST /signin/link: ${await res.text()}`);
  return b;
}
