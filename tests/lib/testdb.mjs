// testdb.mjs -- which database the test servers use: SQLite (DATA/alliance.db,
// the default) or, with ALLIANCE_TEST_DATABASE=postgresql, one PostgreSQL
// database per data folder on a private cluster (tests/lib/pg.mjs).
//
// scripts/test.sh starts one cluster for the whole run and exports its
// folder as ALLIANCE_TEST_PG_DIR; a file run alone starts its own the first
// time it needs one and stops it when the process exits.
//
//   await prepareData(dataDir)  before `alliance init --data dataDir`: on
//                               PostgreSQL, a new database for that folder
//                               ({initializedBy: bin}: a copy of one that
//                               init made, for startServer)
//   allianceEnv(dataDir, env)   env plus ALLIANCE_DATABASE for that folder
//                               (env unchanged on SQLite)
//   await sql(dataDir, text)    the rows of a statement as arrays of strings
//                               (sqlite3, or psql on the folder's database,
//                               its booleans written 1 and 0 as SQLite's; a
//                               write there advances and NOTIFYs
//                               alliance_generation, so the page cache sees
//                               it as on SQLite)
//   onPostgres                  whether this run is on PostgreSQL
import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export const onPostgres = process.env.ALLIANCE_TEST_DATABASE === 'postgresql';

const script = resolve(new URL('../..', import.meta.url).pathname, 'scripts/pg-cluster.sh');
const urls = new Map(); // data folder -> its database's URL
let clusterDir = process.env.ALLIANCE_TEST_PG_DIR || null;
let seq = 0;

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

/** The cluster's folder; starts a cluster of this process's own when the
 * run has none. */
function cluster() {
  if (clusterDir) return clusterDir;
  const dir = mkdtempSync('/tmp/alliance-pg-');
  execFileSync(script, ['start', dir], { stdio: ['ignore', 'ignore', 'inherit'] });
  clusterDir = dir;
  process.on('exit', () => {
    try {
      execFileSync(script, ['stop', dir], { stdio: 'ignore' });
    } finally {
      if (!process.env.ALLIANCE_TEST_KEEP) rmSync(dir, { recursive: true, force: true });
    }
  });
  return dir;
}

const urlOf = (name) => `postgresql://alliance@/${name}?host=${cluster()}`;
const psql = (url, text) => run('psql', ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1',
  '-d', url, '-c', text]);

/**
 * The name of a database `alliance init` has made with binary bin, to copy
 * (CREATE DATABASE ... TEMPLATE): one per cluster and binary, made by the
 * first test process that needs it (a folder made with mkdir is the lock:
 * files run side by side in processes of their own), which then leaves a
 * mark the others wait for.  Copying it is a file copy; migrating a new
 * database is some fifty migrations, seconds on a busy machine, for each
 * of the suite's servers.
 */
async function initialized(bin) {
  const dir = cluster();
  const name = `tmpl_${createHash('sha256').update(`${bin} ${statSync(bin).mtimeMs}`).digest('hex').slice(0, 16)}`;
  const mark = join(dir, `${name}.ready`);
  if (existsSync(mark)) return name;
  try {
    mkdirSync(join(dir, `${name}.lock`));
  } catch (e) {
    if (e.code !== 'EEXIST') throw e;
    for (let i = 0; i < 1200 && !existsSync(mark); i++) await sleep(100);
    if (!existsSync(mark)) throw new Error(`the template database ${name} was not made within 120 s`);
    return name;
  }
  await psql(urlOf('postgres'), `CREATE DATABASE ${name}`);
  const data = mkdtempSync(join(tmpdir(), 'alliance-template-'));
  try {
    await run(bin, ['init', '--data', data], { env: { ...process.env, ALLIANCE_DATABASE: urlOf(name) } });
  } finally {
    rmSync(data, { recursive: true, force: true });
  }
  writeFileSync(mark, '');
  return name;
}

/**
 * On PostgreSQL, a new database for dataDir (once per folder): empty, or
 * with opts.initializedBy (a binary) a copy of what `alliance init` makes
 * with it (startServer, which runs init again: it finds nothing to do).
 */
export async function prepareData(dataDir, opts = {}) {
  if (!onPostgres || urls.has(dataDir)) return;
  const name = `t_${process.pid}_${++seq}`;
  await psql(urlOf('postgres'), opts.initializedBy
    ? `CREATE DATABASE ${name} TEMPLATE ${await initialized(opts.initializedBy)} STRATEGY FILE_COPY`
    : `CREATE DATABASE ${name}`);
  urls.set(dataDir, urlOf(name));
}

/** The URL of dataDir's database (PostgreSQL), or null. */
export function databaseUrl(dataDir) {
  return urls.get(dataDir) ?? null;
}

/** env with ALLIANCE_DATABASE set to dataDir's database, when it has one. */
export function allianceEnv(dataDir, env = process.env) {
  const url = urls.get(dataDir);
  return url ? { ...env, ALLIANCE_DATABASE: url } : env;
}

const WRITES = /\b(?:INSERT|UPDATE|DELETE|CREATE|DROP|ALTER)\b/i;
// one statement that writes only the rate limits, which no page shows: no
// page to refresh, so no generation to advance and nothing to wait for
// (robust.test.mjs clears them before every route and role)
const UNSEEN = /^\s*(?:DELETE\s+FROM|UPDATE|INSERT\s+INTO)\s+rate_limits\b[^;]*;?\s*$/i;

/**
 * A statement on dataDir's database: sqlite3 on DATA/alliance.db (waiting
 * up to 5 s for the server's locks) or psql.  On SQLite a transaction the
 * test opens with BEGIN takes the write lock at once (BEGIN IMMEDIATE):
 * a deferred one reads the schema first and keeps that snapshot, and a
 * commit of the server's in between made its first write fail at once
 * with "database is locked", no waiting (SQLITE_BUSY_SNAPSHOT; seen once
 * on the fresh-machine check).  Resolves to the rows as
 * arrays of strings (columns split on '|').
 */
export async function sql(dataDir, statement) {
  const url = urls.get(dataDir);
  let out;
  try {
    // SQLite's page cache sees any process's write (data_version); on
    // PostgreSQL the generation alliance's own commits advance and NOTIFY
    // does it, so a write here advances and notifies it too, as such a
    // commit would.  The server learns it from its listener a moment
    // later (PostgreSQL sends it at the commit; a fraction of a
    // millisecond): a tenth of a second covers a busy machine's
    // scheduling for the tests' next page
    const writes = url && WRITES.test(statement) && !UNSEEN.test(statement);
    out = url
      ? await psql(url, writes
        ? `${statement}; UPDATE alliance_generation SET n = n + 1;`
          + " DO $$BEGIN PERFORM pg_notify('alliance_generation',"
          + ' (SELECT n FROM alliance_generation)::text); END$$' : statement)
      : await run('sqlite3', ['-cmd', '.timeout 5000', join(dataDir, 'alliance.db'),
        statement.replace(/^\s*BEGIN\s*;/i, 'BEGIN IMMEDIATE;')], { timeout: 30_000 });
    if (writes) await new Promise((ok) => setTimeout(ok, 100));
  } catch (e) {
    e.message += `\n--- sql\n${statement}`;
    throw e;
  }
  const rows = out.split('\n').filter((l) => l !== '').map((l) => l.split('|'));
  // psql writes a boolean t or f, sqlite3 1 or 0: the tests compare with
  // the latter (no text column of theirs holds a lone t or f)
  return url ? rows.map((r) => r.map((v) => (v === 't' ? '1' : v === 'f' ? '0' : v))) : rows;
}

/** env for `alliance ARGS`: with ARGS' --data folder's database (made
 * first when the folder has none), else env as it is. */
export async function envForArgs(args, env = process.env) {
  const i = args.indexOf('--data');
  if (i < 0 || i + 1 >= args.length) return env;
  await prepareData(args[i + 1]);
  return allianceEnv(args[i + 1], env);
}
