// modules.test.mjs -- what a module declares in its struct module reaches
// the platform: serve and worker call every module's start (the core's
// maintenance job and the membership module's daily job are queued), and
// a module's subcommands are listed and take their own options only.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allianceBin, startServer } from '../lib/server.mjs';
import { sql } from '../lib/accounts.mjs';

/** Runs alliance with args; resolves to {code, stdout, stderr}. */
function runBin(args, env = {}) {
  return new Promise((ok) => {
    execFile(allianceBin(), args, { env: { ...process.env, ...env }, timeout: 30_000 },
      (err, stdout, stderr) => ok({ code: err ? err.code : 0, stdout, stderr }));
  });
}

/** The kinds of the queued jobs, sorted. */
async function queuedKinds(dataDir) {
  const rows = await sql(dataDir, "SELECT DISTINCT kind FROM jobs WHERE status = 'queued' ORDER BY kind");
  return rows.map((r) => r[0]);
}

describe('module start hooks', () => {
  let srv;
  before(async () => { srv = await startServer(); });
  after(async () => { await srv?.stop(); });

  test('serve queues every module\'s recurring job', async () => {
    const kinds = await queuedKinds(srv.dataDir);
    assert.ok(kinds.includes('maintenance.hourly'), kinds.join(','));
    assert.ok(kinds.includes('members.daily'), kinds.join(','));
  });

  test('worker queues them too', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'alliance-test-'));
    try {
      const init = await runBin(['init', '--data', dataDir]);
      assert.equal(init.code, 0, init.stderr);
      assert.deepEqual(await queuedKinds(dataDir), []);
      const proc = spawn(allianceBin(), ['worker', '--data', dataDir], { stdio: 'ignore' });
      const gone = new Promise((ok) => proc.on('exit', ok));
      let kinds = [];
      for (let i = 0; i < 200 && !kinds.includes('members.daily'); i++) {
        await new Promise((ok) => setTimeout(ok, 100));
        kinds = await queuedKinds(dataDir);
      }
      proc.kill('SIGTERM');
      await gone;
      assert.ok(kinds.includes('maintenance.hourly'), kinds.join(','));
      assert.ok(kinds.includes('members.daily'), kinds.join(','));
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe('module commands', () => {
  test('the usage lists the core\'s commands, then the modules\'', async () => {
    const { code, stdout } = await runBin(['--help']);
    assert.equal(code, 0);
    assert.match(stdout, /\n {2}mail-test ADDRESS {2}queue a test message to ADDRESS\n {2}import KIND FILE {3}organisations, people or memberships from CSV\n {2}export KIND {3}organisations, people or memberships as CSV\n\n/);
  });

  test('a module command\'s --help is its usage and help', async () => {
    const { code, stdout } = await runBin(['export', '--help']);
    assert.equal(code, 0);
    assert.equal(stdout, 'usage: alliance export organisations|people|memberships [--data DIR] > FILE.csv\n\n' +
      'Writes every organisation, person or membership as CSV (UTF-8 with a BOM,\nCRLF) in the columns import reads.\n');
  });

  test('a command\'s own option is refused by the others', async () => {
    const r = await runBin(['export', 'people', '--dry-run', '--data', '/nonexistent']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unrecognized option '--dry-run'[^]*try: alliance export --help/);
  });
});
