// modules.test.mjs -- what a module declares in its struct module reaches
// the platform: serve and worker call every module's start (the core's
// maintenance job and the membership module's daily job are queued), and
// a module's subcommands are listed and take their own options only, and
// a module's setting (reminder_days, the membership module's) is read from
// the file, the environment and its flag and checked like the core's; init
// runs every module's created hook (the accounts module's first
// administrator, from its admin_email setting); the header's navigation
// and the search's links come from what the modules declare.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allianceBin, httpRequest, startServer } from '../lib/server.mjs';
import { sql } from '../lib/accounts.mjs';
import { envForArgs } from '../lib/testdb.mjs';

/** Runs alliance with args; resolves to {code, stdout, stderr}. */
async function runBin(args, env = {}) {
  const e = await envForArgs(args, { ...process.env, ...env });
  return new Promise((ok) => {
    execFile(allianceBin(), args, { env: e, timeout: 30_000 },
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
      const proc = spawn(allianceBin(), ['worker', '--data', dataDir],
        { stdio: 'ignore', env: await envForArgs(['--data', dataDir]) });
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
    assert.match(stdout, /\n {2}mail-test ADDRESS {2}queue a test message to ADDRESS\n {2}import KIND FILE {3}organisations, people, memberships or meetings from a file\n {2}user \.\.\. {6}add, list, set-role, reset-password\n {2}export KIND {3}organisations, people or memberships as CSV\n\n/);
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

  test('a command\'s own option with an argument reaches it, and only it', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'alliance-test-'));
    try {
      assert.equal((await runBin(['init', '--data', dataDir])).code, 0);
      let r = await runBin(['user', 'add', 'ed@example.org', '--name', 'Ed Itor', '--role', 'editor',
        '--data', dataDir]);
      assert.equal(r.code, 0, r.stderr);
      r = await runBin(['user', 'list', '--data', dataDir]);
      assert.match(r.stdout, /ed@example\.org.*editor/);
      assert.match(r.stdout, /Ed Itor/);
      r = await runBin(['migrate', '--name', 'x', '--data', dataDir]);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /unrecognized option '--name'/);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe('module settings', () => {
  /** The value check-config prints for reminder_days. */
  const shown = (stdout) => (stdout.match(/^reminder_days = (.*)$/m) || [])[1];

  test('reminder_days comes from the file, the environment and the flag', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'alliance-test-'));
    const conf = join(dir, 'alliance.conf');
    try {
      await writeFile(conf, 'reminder_days = 60,14\n');
      let r = await runBin(['check-config']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /# days before a membership ends when its contacts are reminded\nreminder_days = 30,7\n/);
      r = await runBin(['check-config', '--config', conf]);
      assert.equal(shown(r.stdout), '60,14');
      r = await runBin(['check-config', '--config', conf], { ALLIANCE_REMINDER_DAYS: '21' });
      assert.equal(shown(r.stdout), '21');
      r = await runBin(['check-config', '--config', conf, '--reminder-days', '90,3'],
        { ALLIANCE_REMINDER_DAYS: '21' });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(shown(r.stdout), '90,3');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('a schedule that is not days is refused before anything starts', async () => {
    let r = await runBin(['check-config'], { ALLIANCE_REMINDER_DAYS: '30;7' });
    assert.equal(r.code, 2);
    assert.equal(r.stderr, "alliance: ALLIANCE_REMINDER_DAYS: reminder_days must be days like 30,7, not '30;7'\n");
    r = await runBin(['serve', '--data', '/nonexistent', '--reminder-days', '400']);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, "alliance: --reminder-days: reminder_days must be days like 30,7, not '400'\n");
  });
});

describe('module created hooks', () => {
  test('init runs the accounts module\'s: the first administrator from admin_email', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'alliance-test-'));
    try {
      let r = await runBin(['init', '--data', dataDir], { ALLIANCE_ADMIN_EMAIL: 'chief@example.net' });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /The first administrator:[^]*alliance user reset-password chief@example\.net/);
      assert.deepEqual(await sql(dataDir, "SELECT email FROM people WHERE role = 'admin'"),
        [['chief@example.net']]);
      // a second init creates nobody: there is an administrator
      r = await runBin(['init', '--data', dataDir, '--admin-email', 'other@example.net']);
      assert.equal(r.code, 0, r.stderr);
      assert.doesNotMatch(r.stdout, /first administrator/);
      assert.equal((await sql(dataDir, 'SELECT count(*) FROM people'))[0][0], '1');
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  test('an admin_email that is no address is refused before anything is created', async () => {
    const dataDir = join(await mkdtemp(join(tmpdir(), 'alliance-test-')), 'data');
    try {
      const r = await runBin(['init', '--data', dataDir, '--admin-email', 'nobody']);
      assert.equal(r.code, 2);
      assert.equal(r.stderr, "alliance: --admin-email: admin_email must be an e-mail address, not 'nobody'\n");
    } finally {
      await rm(join(dataDir, '..'), { recursive: true, force: true });
    }
  });
});

describe('module navigation and search sources', () => {
  let srv;
  before(async () => { srv = await startServer(); });
  after(async () => { await srv?.stop(); });

  test('the header lists every module\'s entries in their order', async () => {
    const res = await httpRequest(srv.url, { path: '/about' });
    const nav = res.body.toString().match(/<nav class="site-nav"[^]*?<\/nav>/)[0];
    const links = [...nav.matchAll(/<a href="([^"]+)"( aria-current="page")?>([^<]+)<\/a>/g)]
      .map((m) => `${m[1]} ${m[3]}${m[2] ? ' (current)' : ''}`);
    assert.deepEqual(links, ['/ Home', '/about About (current)', '/members Members',
      '/working-parties Working parties', '/statements Statements', '/focal-points Focal points', '/news News', '/calendar Calendar',
      '/bodies UN bodies', '/search Search', '/contact Contact']);
  });

  test('a hit of a module\'s kind links where that module says', async () => {
    const res = await httpRequest(srv.url, { path: '/search?q=commission' });
    assert.equal(res.status, 200);
    assert.match(res.body.toString(), /<a href="\/bodies\/[a-z0-9-]+">[^]*?UN body/);
  });
});
