// routes.test.mjs -- every route with every role.  The list comes from
// `alliance routes --json` (method, pattern, who, module, summary), so a
// route added later is walked too, with nothing to change here.  For each
// route and each role (a visitor; a member, an editor and an admin made with
// `alliance user add --role` and signed in through their one-time link) the
// route's method is sent to its pattern with every ':param' replaced by a
// plausible value; unsafe methods carry a valid csrf token of that browser.
//
//   the route's `who` admits the role -> not 401, not 403, not a redirect
//                                         to /signin (nor 405 or 5xx)
//   it does not, and the role is the visitor -> GET: 303 to
//                                         /signin?next=<the path>; GET
//                                         asking for JSON, or any other
//                                         method: 401
//   it does not, and someone is signed in -> 403
//
// A route that names an action on an object (`action` in the listing:
// "organisation.manage" on :slug) admits, beyond its `who`, only those its
// rule admits; the people here hold no role on any object, so that is
// administrators and the rule's global role.  The object roles themselves
// are proved by the feature's own tests (manage.test.mjs).
//
// A route whose declared `who` is not enforced fails here, and so does an
// empty listing or a route without a summary.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { Browser, cli, formCsrf, hiddenFields, sql } from '../lib/accounts.mjs';
import {
  loadRoutes, discoverParams, pathFor as pathFor_, signInByLink as signInByLink_,
} from '../lib/routes.mjs';

/** The route table as the binary lists it. */
const ROUTES = await loadRoutes();

const ROLES = ['visitor', 'member', 'editor', 'admin'];
const RANK = { public: 0, visitor: 0, member: 1, editor: 2, admin: 3 };
const SAFE = new Set(['GET', 'HEAD']);

/** Values for route parameters: by pattern first (found in before() from
 * the links of the listing page above it, or given here), then by name. */
const PARAM_BY_PATTERN = {
  '/static/:name': { name: 'site.css' },
};
const PARAM_BY_NAME = { id: '1', slug: 'femicide', name: 'site.css' };

let srv;
/** role -> {browser, email} (the visitor has no email). */
const people = {};

/** A path for pattern with its parameters filled in. */
const pathFor = (pattern) => pathFor_(pattern, PARAM_BY_NAME, PARAM_BY_PATTERN);

/** Signs a person in through a one-time link printed by the command line. */
const signInByLink = (stdout) => signInByLink_(srv.url, stdout);

/** The browser of role, signed in again first if a request ended its
 * session (POST /signout, or ending one's own session, say). */
async function browserOf(role) {
  const p = people[role];
  if (role === 'visitor') return p.browser;
  const res = await p.browser.get('/account');
  await res.arrayBuffer();
  if (res.status !== 200) {
    const { stdout } = await cli(srv.dataDir, ['user', 'reset-password', p.email]);
    p.browser = await signInByLink(stdout);
  }
  return p.browser;
}

/** A csrf token that this browser's cookies make valid. */
async function csrfOf(role, b) {
  return formCsrf(await b.html(role === 'visitor' ? '/signup' : '/account'));
}

const allows = (who, role) => RANK[role] >= RANK[who];
/** Does route admit role?  Its `who`, and when it names an action on an
 * object, that action's rule too: these people hold no role on any
 * object, so only a global role lets them in (administrators always). */
const admits = (route, role) => allows(route.who, role) &&
  (!route.action || role === 'admin' ||
    (route.action.global !== 'none' && allows(route.action.global, role)));
const CSRF_REFUSAL = /did not come from this site/;
/** Routes that refuse a signed-in role for what the person is beyond
 * their role, with the sentence that says why: proposing a working party
 * needs an organisation that is a member (the people here have none; an
 * editor counts as a member, as in the directory). */
const REFUSED_BEYOND_ROLE = {
  'POST /working-parties/propose': { member: /Only people whose organisation is a member/ },
};

before(async () => {
  srv = await startServer();
  const visitor = new Browser(srv.url);
  await visitor.html('/signup'); // its csrf cookie
  people.visitor = { browser: visitor };
  for (const role of ['member', 'editor', 'admin']) {
    const email = `matrix-${role}@example.org`;
    const { stdout } = await cli(srv.dataDir, ['user', 'add', email, '--name', `Matrix ${role}`, '--role', role]);
    people[role] = { email, browser: await signInByLink(stdout) };
  }
  await discoverParams(ROUTES, people.admin.browser, PARAM_BY_PATTERN);
  // the roles are what the server thinks they are
  for (const role of ['member', 'editor', 'admin']) {
    const acct = await (await people[role].browser.get('/api/v1/account')).json();
    assert.equal(acct.role, role);
  }
});

after(async () => { if (srv) await srv.stop(); });

describe('the route listing', () => {
  test('alliance routes --json lists routes', () => {
    assert.ok(Array.isArray(ROUTES), 'not a list');
    assert.ok(ROUTES.length > 0, 'the listing is empty');
    // the areas this suite is meant to walk are in it
    for (const [m, p] of [['GET', '/'], ['POST', '/signup'], ['GET', '/account'], ['GET', '/admin']]) {
      assert.ok(ROUTES.some((r) => r.method === m && r.pattern === p), `${m} ${p} is not listed`);
    }
  });

  test('every route has a method, a pattern, a known who and a summary', () => {
    for (const r of ROUTES) {
      const what = JSON.stringify(r);
      assert.match(r.method ?? '', /^(GET|HEAD|POST|PUT|PATCH|DELETE)$/, what);
      assert.match(r.pattern ?? '', /^\//, what);
      assert.ok(Object.hasOwn(RANK, r.who) && r.who !== 'visitor', `unknown who: ${what}`);
      assert.equal(typeof r.summary, 'string', what);
      assert.ok(r.summary.trim().length > 0, `no summary: ${what}`);
      if (r.action) {
        // an action without a rule would let nobody but admins in
        assert.equal(r.action.rule, true, `no rule for the action: ${what}`);
        assert.ok(r.action.object_type && r.action.object_param, `action without its object: ${what}`);
        assert.ok(r.pattern.includes(`:${r.action.object_param}`), `object_param not in the pattern: ${what}`);
      }
    }
  });

  test('no route is listed twice', () => {
    const seen = new Set();
    for (const r of ROUTES) {
      const key = `${r.method} ${r.pattern}`;
      assert.ok(!seen.has(key), `${key} is listed twice`);
      seen.add(key);
    }
  });
});

/**
 * Sends route's method to its path as role; with json, asking for JSON.
 * Resolves to {status, location, body}.
 */
async function call(route, role, { json = false } = {}) {
  const b = await browserOf(role);
  const path = pathFor(route.pattern);
  const headers = json ? { accept: 'application/json' } : { accept: 'text/html' };
  let res;
  if (SAFE.has(route.method)) {
    res = await b.send(route.method, path, { headers });
  } else {
    const csrf = await csrfOf(role, b);
    res = await b.post(path, { csrf }, headers);
  }
  const body = await res.text();
  return { status: res.status, location: res.headers.get('location'), body, path };
}

function assertAllowed(route, role, r, how) {
  const what = `${route.method} ${r.path} as ${role}${how} (who: ${route.who}): ${r.status} ` +
    `${r.location ?? ''} ${r.body.slice(0, 200)}`;
  const why = REFUSED_BEYOND_ROLE[`${route.method} ${route.pattern}`]?.[role];
  if (why && r.status === 403) {
    assert.match(r.body, why, what);
    return;
  }
  assert.ok(r.status !== 401 && r.status !== 403, `refused: ${what}`);
  assert.ok(!(r.status >= 300 && r.status < 400 && /^\/signin(\?|$)/.test(r.location ?? '')),
    `sent to sign in: ${what}`);
  assert.notEqual(r.status, 405, `method not allowed: ${what}`);
  assert.ok(r.status < 500, `server error: ${what}`);
  // a 404 is the handler's answer about a plausible id or slug; a route
  // without parameters must exist
  if (!route.pattern.includes(':')) assert.notEqual(r.status, 404, `not found: ${what}`);
}

function assertRefused(route, role, r, how, json) {
  const what = `${route.method} ${r.path} as ${role}${how} (who: ${route.who}): ${r.status} ` +
    `${r.location ?? ''} ${r.body.slice(0, 200)}`;
  if (role === 'visitor') {
    if (route.method === 'GET' && !json) {
      assert.equal(r.status, 303, `not sent to sign in: ${what}`);
      assert.equal(r.location, `/signin?next=${encodeURIComponent(r.path)}`, what);
    } else {
      assert.equal(r.status, 401, what);
    }
  } else {
    assert.equal(r.status, 403, what);
  }
  // the refusal is about who is asking, not about the csrf token we sent
  assert.doesNotMatch(r.body, CSRF_REFUSAL, `refused for its csrf token: ${what}`);
}

describe('every route with every role', () => {
  for (const route of ROUTES) {
    const allowed = ROLES.filter((role) => admits(route, role));
    const refused = ROLES.filter((role) => !admits(route, role));
    const name = `${route.method} ${route.pattern} (${route.who}): ` +
      `${allowed.join(', ') || 'nobody'} let in` +
      (refused.length ? `; ${refused.join(', ')} refused` : '');
    test(name, async () => {
      // these people hold no role on any object: a route walked before
      // may have given them one (joining a working party whose charter,
      // posted by the admin, made joining open), which is taken back
      if (route.action) {
        await sql(srv.dataDir, `DELETE FROM object_roles WHERE person_id IN
          (SELECT id FROM people WHERE email IN ('matrix-member@example.org', 'matrix-editor@example.org'))`);
      }
      for (const role of ROLES) {
        const variants = SAFE.has(route.method) ? [false, true] : [false];
        for (const json of variants) {
          const how = json ? ' asking for JSON' : '';
          const r = await call(route, role, { json });
          if (admits(route, role)) assertAllowed(route, role, r, how);
          else assertRefused(route, role, r, how, json);
        }
      }
    });
  }
});

describe('the matrix itself', () => {
  test('a refused role is refused for who it is, not for a bad csrf token', async () => {
    // a member's valid token on an admin route: 403 for the role
    const route = ROUTES.find((r) => r.who === 'admin' && !SAFE.has(r.method));
    assert.ok(route, 'no unsafe admin route to try');
    const r = await call(route, 'member');
    assert.equal(r.status, 403);
    assert.doesNotMatch(r.body, CSRF_REFUSAL);
    // while a wrong token is refused as such (so the check above means something)
    const b = await browserOf('admin');
    const res = await b.post(pathFor(route.pattern), { csrf: 'not-a-token' }, { accept: 'text/html' });
    assert.equal(res.status, 403);
    assert.match(await res.text(), CSRF_REFUSAL);
  });

  test('the csrf token each browser sends is one its cookies make valid', async () => {
    for (const role of ROLES) {
      const b = await browserOf(role);
      const page = await b.html(role === 'visitor' ? '/signup' : '/account');
      assert.equal(await csrfOf(role, b), hiddenFields(page).csrf, role);
    }
  });
});
