// pagecache.test.mjs -- visitors' pages come from the worker's page cache,
// yet never go stale: a write to the database by any process (here the
// sqlite3 command, or psql) shows on the next request, and the HTML and
// JSON representations of one address are never mixed up.  On PostgreSQL a
// write outside alliance shows once some alliance process next commits
// (which advances and NOTIFYs alliance_generation, docs/ARCHITECTURE.md):
// the test's psql write does both itself (tests/lib/testdb.mjs), as that
// commit would, and the server's listener learns it a moment later.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { sql as dbSql } from '../lib/testdb.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { if (srv) await srv.stop(); });

const title = async (p) => {
  const html = await (await fetch(srv.url + p)).text();
  return html.match(/<h1[^>]*>([^<]*)</)?.[1];
};
const sql = (q) => dbSql(srv.dataDir, q);

describe('page cache', () => {
  test('a page edited in the database by another process shows at once', async () => {
    // ask often enough that every worker has the page cached
    for (let i = 0; i < 20; i++) assert.equal(await title('/about'), 'About the Alliance');
    await sql("UPDATE pages SET title = 'About us <now>' WHERE slug = 'about'");
    for (let i = 0; i < 20; i++) assert.equal(await title('/about'), 'About us &lt;now&gt;');
    await sql("UPDATE pages SET title = 'About the Alliance' WHERE slug = 'about'");
    for (let i = 0; i < 20; i++) assert.equal(await title('/about'), 'About the Alliance');
  });

  test('HTML and JSON of one address are kept apart', async () => {
    for (let i = 0; i < 10; i++) {
      const html = await fetch(srv.url + '/bodies');
      assert.match(html.headers.get('content-type'), /^text\/html/);
      const json = await fetch(srv.url + '/bodies', { headers: { accept: 'application/json' } });
      assert.match(json.headers.get('content-type'), /^application\/json/);
      assert.ok(Array.isArray((await json.json()).bodies));
      await html.text();
    }
  });

  test('query strings are part of the key', async () => {
    const a = await (await fetch(srv.url + '/search?q=femicide')).text();
    const b = await (await fetch(srv.url + '/search?q=restorative')).text();
    assert.match(a, /Femicide/);
    assert.match(b, /Restorative/);
    assert.notEqual(a, b);
  });

  test('a cached page carries the same headers as a built one', async () => {
    const first = await fetch(srv.url + '/privacy');
    await first.text();
    const again = await fetch(srv.url + '/privacy');
    await again.text();
    for (const h of ['content-type', 'cache-control', 'vary', 'content-security-policy',
      'x-content-type-options', 'x-frame-options', 'referrer-policy']) {
      assert.equal(again.headers.get(h), first.headers.get(h), h);
    }
  });
});
