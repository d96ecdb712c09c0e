// copy.test.mjs -- `alliance copy-to-postgres URL`: a SQLite deployment
// filled by the benchmark's generator (bench/synthetic.sql, 1,000
// organisations and 5,000 people here instead of 10,000 and 50,000) copied
// into an empty database of a private PostgreSQL cluster (tests/lib/pg.mjs):
// the row counts it prints are equal and are the tables' counts on both
// sides, identities go on after the copied ids, a non-empty target and a
// target that is not a URL are refused, and a server on each database
// answers the same pages (the directory and the search once their
// statements are ported to PostgreSQL: until then those checks say so and
// skip).
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { allianceBin, startServer } from '../lib/server.mjs';
import { startCluster } from '../lib/pg.mjs';
import { onPostgres } from '../lib/testdb.mjs';
import { sqlValue } from '../lib/accounts.mjs';

const ORGS = 1000;
let pg;
let url;
let copy; // {code, stdout, stderr}
let lite; // the server on SQLite
let post; // the server on the copy
let dataDir;
let whyNot = null;

function run(bin, args, { input = null, env = {} } = {}) {
  return new Promise((ok) => {
    const child = execFile(bin, args, { timeout: 300_000, env: { ...process.env, ...env },
      maxBuffer: 1 << 24 }, (err, stdout, stderr) => ok({ code: err ? err.code : 0, stdout, stderr }));
    if (input !== null) child.stdin.end(input);
  });
}

before(async () => {
  // the file brings its own cluster: the suite's PostgreSQL run would
  // only repeat it
  if (onPostgres) {
    whyNot = 'runs in the SQLite suite, on a cluster of its own';
    return;
  }
  pg = await startCluster();
  url = await pg.createDatabase();
  lite = await startServer({
    async beforeServe({ bin, dataDir: dir }) {
      dataDir = dir;
      const gen = (await readFile(new URL('../../bench/synthetic.sql', import.meta.url), 'utf8'))
        .replace('n < 9999', `n < ${ORGS - 1}`).replace('n < 49999', `n < ${ORGS * 5 - 1}`);
      const filled = await run('sqlite3', [join(dir, 'alliance.db')], { input: gen });
      assert.equal(filled.code, 0, filled.stderr);
      assert.match(filled.stdout, new RegExp(`synthetic: ${ORGS} organisations`));
      // before serve: nothing writes while the copy runs
      copy = await run(bin, ['copy-to-postgres', '--data', dir, url]);
    },
  });
  if (copy.code === 0) post = await startServer({ env: { ALLIANCE_DATABASE: url } });
});

after(async () => {
  if (post) await post.stop();
  if (lite) await lite.stop();
  if (pg) await pg.stop();
});

// "table  SQLite  PostgreSQL" lines of the copy's output
function countsOf(stdout) {
  const rows = {};
  for (const m of stdout.matchAll(/^(\w+)\s+(\d+)\s+(\d+)$/gm)) rows[m[1]] = [Number(m[2]), Number(m[3])];
  return rows;
}

describe('alliance copy-to-postgres', () => {
  test('copies every table, prints equal row counts, and they are the real counts', async (t) => {
    if (whyNot) return t.skip(whyNot);
    assert.equal(copy.code, 0, copy.stderr);
    assert.match(copy.stdout, /migrated the target/);
    assert.match(copy.stdout, /\d+ tables, \d+ rows: the counts are equal/);
    assert.doesNotMatch(copy.stdout + copy.stderr, /password/i);
    const rows = countsOf(copy.stdout);
    for (const t of ['organisations', 'people', 'memberships', 'representatives',
      'organisation_focal_areas', 'focal_areas', 'pages', 'search_index', 'audit_log',
      'object_roles']) {
      assert.ok(rows[t], `${t} is in the output:\n${copy.stdout}`);
      assert.equal(rows[t][0], rows[t][1], t);
      const inLite = Number(await sqlValue(dataDir, `SELECT count(*) FROM ${t}`));
      const inPg = Number((await pg.sql(url, `SELECT count(*) FROM ${t}`)).trim());
      assert.equal(inLite, rows[t][0], `${t} in SQLite`);
      assert.equal(inPg, rows[t][1], `${t} in PostgreSQL`);
    }
    assert.equal(rows.organisations[1], ORGS);
    assert.ok(rows.people[1] > ORGS * 5, 'the synthetic people and the administrator');
    // parents before children: organisations before memberships
    const order = Object.keys(rows);
    assert.ok(order.indexOf('organisations') < order.indexOf('memberships'), order.join(' '));
    // the same rows, not only as many: an organisation with its accents
    const probe = "SELECT name || '#' || name_key || '#' || visibility || '#' || dgc_associated"
      + ' FROM organisations ORDER BY id LIMIT 1 OFFSET 2';
    assert.equal((await pg.sql(url, probe)).trim(), await sqlValue(dataDir, probe));
  });

  test('identities go on after the copied ids', async (t) => {
    if (whyNot) return t.skip(whyNot);
    const max = Number((await pg.sql(url, 'SELECT max(id) FROM organisations')).trim());
    const id = Number((await pg.sql(url, 'INSERT INTO offices (slug, name, city, country, position)'
      + " VALUES ('probe', 'P', 'C', 'AT', 9) RETURNING id")).split('\n')[0]);
    const officesMax = Number(await sqlValue(dataDir, 'SELECT max(id) FROM offices'));
    assert.equal(id, officesMax + 1);
    await pg.sql(url, "DELETE FROM offices WHERE slug = 'probe'");
    const org = Number((await pg.sql(url, "SELECT nextval(pg_get_serial_sequence('organisations', 'id'))")).trim());
    assert.equal(org, max + 1);
  });

  test('a target that has tables is refused and left as it was', async (t) => {
    if (whyNot) return t.skip(whyNot);
    const before = (await pg.sql(url, 'SELECT count(*) FROM organisations')).trim();
    const again = await run(allianceBin(), ['copy-to-postgres', '--data', dataDir, url]);
    assert.equal(again.code, 2, again.stdout + again.stderr);
    assert.match(again.stderr, /the target database is not empty \(\d+ tables, \w+ among them\)/);
    assert.match(again.stderr, /only fills an empty database/);
    assert.equal((await pg.sql(url, 'SELECT count(*) FROM organisations')).trim(), before);
    const bad = await run(allianceBin(), ['copy-to-postgres', '--data', dataDir, '/tmp/x.db']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /name the target database/);
    const help = await run(allianceBin(), ['copy-to-postgres', '--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout + help.stderr, /usage: alliance copy-to-postgres URL/);
  });

  for (const path of ['/', '/focal-points/femicide', '/members', '/members?page=2',
    '/members?country=AT', '/search?q=gene']) {
    test(`${path} is the same page on both databases`, async (t) => {
      if (whyNot) return t.skip(whyNot);
      assert.ok(post, copy.stderr);
      const a = await fetch(lite.url + path);
      const b = await fetch(post.url + path);
      assert.equal(a.status, 200);
      assert.equal(b.status, 200);
      // the search's order and snippets are search.c's, not the
      // engines' (bm25, ts_rank, snippet(), ts_headline differ)
      const [ta, tb] = [await a.text(), await b.text()];
      assert.equal(tb, ta);
    });
  }
});
