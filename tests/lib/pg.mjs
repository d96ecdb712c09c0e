// pg.mjs -- a private PostgreSQL cluster for a node test file
// (scripts/pg-cluster.sh: initdb into a temporary folder, postgres on a Unix
// socket in it, as `nobody` when the tests run as root; never the system's).
//
//   const pg = await startCluster();        // once per file: initdb + start
//   const url = await pg.createDatabase();  // one database per server
//   ... startServer({ env: { ALLIANCE_DATABASE: url } }) ...
//   await pg.stop();                        // stops it, removes the folder
//
// psql (Debian's postgresql-client, which the postgresql package brings) runs
// the few statements a test needs: pg.sql(url, text) resolves to its output.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { resolve } from 'node:path';

const script = resolve(new URL('../..', import.meta.url).pathname, 'scripts/pg-cluster.sh');

function run(bin, args, opts = {}) {
  return new Promise((ok, fail) => {
    execFile(bin, args, { timeout: 120_000, ...opts }, (err, stdout, stderr) => {
      if (err) {
        err.message += `\n--- stdout\n${stdout}\n--- stderr\n${stderr}`;
        fail(err);
      } else {
        ok(stdout);
      }
    });
  });
}

let seq = 0;

/** Starts a private cluster; resolves to {dir, url(name), sql(url, text),
 * createDatabase(), dropDatabase(name), stop()}. */
export async function startCluster() {
  // short: the socket's path (DIR/.s.PGSQL.5432) must fit in 107 bytes
  const dir = await mkdtemp('/tmp/alliance-pg-');
  try {
    await run(script, ['start', dir]);
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
  const url = (name = 'postgres') => `postgresql://alliance@/${name}?host=${dir}`;
  const sql = (u, text) => run('psql', ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1',
    '-d', u, '-c', text]);
  const cluster = {
    dir,
    url,
    sql,
    /** A new empty database; resolves to its URL. */
    async createDatabase() {
      const name = `alliance_${process.pid}_${++seq}`;
      await sql(url(), `CREATE DATABASE ${name}`);
      return url(name);
    },
    async dropDatabase(name) {
      await sql(url(), `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
    async stop() {
      try {
        await run(script, ['stop', dir]);
      } finally {
        if (!process.env.ALLIANCE_TEST_KEEP) await rm(dir, { recursive: true, force: true });
      }
    },
  };
  return cluster;
}
