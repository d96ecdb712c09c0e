// postgres.test.mjs -- alliance on PostgreSQL (the database setting), on a
// private cluster this file starts (tests/lib/pg.mjs: initdb once, a socket
// in a temporary folder, never the system's cluster).
//
// `alliance init` on PostgreSQL applies every migration (each module's, or
// its .pg.sql version); should one fail, it stops naming the migration and
// the server's message, and the tests that need a served site are skipped
// with that reason.  The rest of the HTTP suite runs on PostgreSQL with
// ALLIANCE_TEST_DATABASE=postgresql (tests/lib/testdb.mjs).
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, readFile, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allianceBin, startServer } from '../lib/server.mjs';
import { startCluster } from '../lib/pg.mjs';
import { signUp, signIn, isSignedIn, cli } from '../lib/accounts.mjs';

let pg;
let url;
let dataDir;
let init; // {ok, stdout, stderr}
let srv;
let whyNot = null; // why the site cannot be served on PostgreSQL: a failure

function alliance(args, env = {}) {
  return new Promise((ok) => {
    execFile(allianceBin(), args, { timeout: 60_000, env: { ...process.env, ...env } },
      (err, stdout, stderr) => ok({ code: err ? err.code : 0, stdout, stderr }));
  });
}

before(async () => {
  pg = await startCluster();
  url = await pg.createDatabase();
  dataDir = await mkdtemp(join(tmpdir(), 'alliance-pg-data-'));
  init = await alliance(['init', '--data', dataDir, '--database', url]);
  if (init.code !== 0) {
    whyNot = `init on PostgreSQL stops: ${init.stderr.split('\n')[0]}`;
    return;
  }
  srv = await startServer({ env: { ALLIANCE_DATABASE: url } });
});

after(async () => {
  if (srv) await srv.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
  if (pg) await pg.stop();
});

describe('alliance init on PostgreSQL', () => {
  test('applies every migration: the core, site and contact schema and seed among them', async () => {
    const applied = (await pg.sql(url, 'SELECT name FROM schema_migrations ORDER BY version'))
      .split('\n').filter(Boolean);
    for (const m of ['0002_site.sql', '0003_search.sql', '0004_contact.sql', '0005_people.sql',
      '0006_mail_jobs.sql', '0007_audit_ratelimit.sql', '0009_object_roles.sql']) {
      assert.ok(applied.includes(m), `${m} not applied: ${applied.join(', ')}\n${init.stderr}`);
    }
    assert.equal((await pg.sql(url, 'SELECT count(*) FROM focal_areas')).trim(), '12');
    // the search index is PostgreSQL's own (tsvector), filled from the seed
    const hits = (await pg.sql(url, "SELECT slug FROM search_index WHERE kind = 'focal_area'" +
      " AND document @@ to_tsquery('simple', 'femicide')")).split('\n');
    assert.ok(hits.includes('femicide'), hits.join(', '));
    // identity columns go on after the seeded ids
    assert.equal((await pg.sql(url,
      "INSERT INTO pages (slug, title, body_md, updated_at) VALUES ('probe', 'P', 'x', 'now')" +
      ' RETURNING id')).split('\n')[0].trim(), '4');
    await pg.sql(url, "DELETE FROM pages WHERE slug = 'probe'");
    assert.equal(init.code, 0, init.stderr);
    assert.match(init.stdout, /ready \(\d+ migrations applied\)/);
  });

  test('check-statements: every statement prepares, on PostgreSQL and on SQLite', async () => {
    const r = await alliance(['check-statements', '--data', dataDir, '--database', url]);
    const summary = /^alliance: (\d+) of (\d+) statements prepare on PostgreSQL$/m.exec(r.stdout);
    assert.ok(summary, r.stdout + r.stderr);
    const failing = [...r.stdout.matchAll(/^(\S+) statement (\d+): /gm)].map((m) => m[1]);
    assert.equal(failing.length, Number(summary[2]) - Number(summary[1]));
    assert.equal(r.code, failing.length ? 1 : 0);
    // every module is ported (issue 11): nothing fails
    assert.deepEqual(failing, [], r.stderr);
    assert.equal(r.code, 0);
    // and on SQLite every one
    const sqliteDir = await mkdtemp(join(tmpdir(), 'alliance-pg-sqlite-'));
    try {
      await alliance(['init', '--data', sqliteDir]);
      const s = await alliance(['check-statements', '--data', sqliteDir]);
      assert.equal(s.code, 0, s.stdout + s.stderr);
      assert.match(s.stdout, /^alliance: (\d+) of \1 statements prepare on sqlite$/m);
    } finally {
      await rm(sqliteDir, { recursive: true, force: true });
    }
  });

  test('check-config shows the database without its password, from the file, environment or flag', async () => {
    const secret = 'pw-d0-not-print';
    const withPw = `postgresql://alliance:${secret}@/x?host=/tmp`;
    for (const [args, env] of [
      [['check-config', '--database', withPw], {}],
      [['check-config'], { ALLIANCE_DATABASE: withPw }],
      [['check-config'], { ALLIANCE_DATABASE: `postgresql:///x?host=/tmp&password=${secret}` }],
    ]) {
      const r = await alliance(args, env);
      assert.equal(r.code, 0, r.stderr);
      assert.ok(!r.stdout.includes(secret) && !r.stderr.includes(secret), r.stdout);
      assert.match(r.stdout, /^database = postgresql:\/\/.*\*\*\*/m);
    }
    const bad = await alliance(['check-config', '--database', '/srv/alliance.db']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--database: database must be a postgresql:\/\/ URL/);
  });

  test('a database that cannot be reached is a clear error, without the password', async () => {
    const r = await alliance(['migrate', '--data', dataDir, '--database',
      `postgresql://alliance:hidden-pw@/nosuchdb?host=${pg.dir}`]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /cannot connect to PostgreSQL: .*nosuchdb/);
    assert.ok(!r.stderr.includes('hidden-pw'), r.stderr);
  });

  test('backup writes a pg_dump archive', async () => {
    const dest = join(dataDir, 'copy.dump');
    const r = await alliance(['backup', dest, '--data', dataDir, '--database', url]);
    assert.equal(r.code, 0, r.stderr);
    const head = await pg.sql(url, 'SELECT 1'); // the database is still there
    assert.equal(head.trim(), '1');
    assert.equal((await readFile(dest)).subarray(0, 5).toString(), 'PGDMP');
  });
});

describe('the password', () => {
  // a role that must give a password (scram-sha-256), ahead of the
  // cluster's trust rule
  const pw = 'Pw-0f-Test';
  let base;
  before(async () => {
    const hba = join(pg.dir, 'data', 'pg_hba.conf');
    await writeFile(hba, `local all pwuser scram-sha-256\n${await readFile(hba, 'utf8')}`);
    await pg.sql(url, `CREATE ROLE pwuser LOGIN SUPERUSER PASSWORD '${pw}'; SELECT pg_reload_conf()`);
    base = url.replace('postgresql://alliance@', 'postgresql://pwuser@');
  });
  // alliance backup connects, then pg_dump with the same credentials
  const backup = async (target, env = {}) => {
    const dest = join(dataDir, `pw-${Math.random().toString(36).slice(2)}.dump`);
    const r = await alliance(['backup', dest, '--data', dataDir, '--database', target],
      { PGPASSFILE: '/nonexistent', ...env });
    assert.ok(!r.stdout.includes(pw) && !r.stderr.includes(pw), r.stderr);
    return r;
  };

  test('none given: refused, saying so', async () => {
    const r = await backup(base);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /cannot connect to PostgreSQL: .*password/);
  });

  test('from the URL, PGPASSWORD or a .pgpass file', async () => {
    const withPw = base.replace('pwuser@', `pwuser:${pw}@`);
    let r = await backup(withPw);
    assert.equal(r.code, 0, r.stderr);
    r = await backup(base, { PGPASSWORD: pw });
    assert.equal(r.code, 0, r.stderr);
    const pass = join(dataDir, 'pgpass');
    await writeFile(pass, `*:*:*:pwuser:${pw}\n`);
    await chmod(pass, 0o600);
    r = await backup(base, { PGPASSFILE: pass });
    assert.equal(r.code, 0, r.stderr);
  });
});

describe('alliance serve on PostgreSQL', () => {
  const served = (name, fn) => test(name, async () => {
    assert.equal(whyNot, null, whyNot);
    await fn();
  });

  served('/healthz, the home page and a focal point page', async () => {
    assert.equal((await fetch(`${srv.url}/healthz`)).status, 200);
    const home = await fetch(`${srv.url}/`);
    assert.equal(home.status, 200);
    assert.match(await home.text(), /Alliance of NGOs on Crime Prevention/);
    const fp = await fetch(`${srv.url}/focal-points/femicide`);
    assert.equal(fp.status, 200);
    assert.match(await fp.text(), /<h1[^>]*>[^<]*Femicide/i);
  });

  served('sign up, confirm, sign in', async () => {
    const { email, password } = await signUp(srv, { name: 'Pia Postgres' });
    const b = await signIn(srv, email, password);
    assert.ok(await isSignedIn(b));
  });

  served('after PostgreSQL drops every connection, the workers and the job runner connect again', async () => {
    const others = 'FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()';
    const pids = (await pg.sql(url, `SELECT pid ${others}`)).trim().split('\n').filter(Boolean);
    assert.ok(pids.length > 0, 'alliance has connections to end');
    await pg.sql(url, `SELECT pg_terminate_backend(pid) ${others} AND pid IN (${pids.join(', ')})`);
    // until those backends are gone (they said goodbye on their sockets);
    // the job runner may have connected again meanwhile: not counted
    const left = `SELECT count(*) FROM pg_stat_activity WHERE pid IN (${pids.join(', ')})`;
    for (let i = 0; Number((await pg.sql(url, left)).trim()) > 0; i++) {
      assert.ok(i < 600, 'the terminated backends are still there after 60 s');
      await new Promise((ok) => setTimeout(ok, 100));
    }
    // every worker notices before it uses its connection: no request fails
    for (let i = 0; i < 20; i++) {
      for (const p of ['/about', '/focal-points/femicide']) {
        const res = await fetch(`${srv.url}${p}`);
        await res.arrayBuffer();
        assert.equal(res.status, 200, p);
      }
    }
    // the sign-up's mail is sent by the job runner: it connected again too
    const { email, password } = await signUp(srv, { name: 'Rea Connect' });
    assert.ok(await isSignedIn(await signIn(srv, email, password)));
  });

  served('a write committed by another alliance process shows on the next page of every worker', async () => {
    const title = async () => (await (await fetch(`${srv.url}/about`)).text())
      .match(/<h1[^>]*>([^<]*)</)?.[1];
    for (let i = 0; i < 20; i++) assert.equal(await title(), 'About the Alliance');
    // psql writes without telling the generation (a change made outside
    // alliance); the next write any alliance process commits does
    await pg.sql(url, "UPDATE pages SET title = 'About us' WHERE slug = 'about'");
    await cli(srv.dataDir, ['mail-test', 'probe@example.org'], { ...process.env, ALLIANCE_DATABASE: url });
    // the serving process learns the new generation when PostgreSQL's
    // notification reaches its listening thread (db_pg.c: well under a
    // millisecond, but a busy machine may run that thread later): wait
    // for the first fresh page, then every worker must serve it
    for (let end = Date.now() + 10_000; await title() !== 'About us';) {
      assert.ok(Date.now() < end, 'the change did not show within 10 s');
      await new Promise((ok) => setTimeout(ok, 20));
    }
    for (let i = 0; i < 20; i++) assert.equal(await title(), 'About us');
  });
});
