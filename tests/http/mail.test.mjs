// mail.test.mjs -- outgoing mail end to end: `alliance mail-test` puts a
// message in the outbox, and `alliance serve` (its job runner) or
// `alliance worker` delivers it -- to a real SMTP server (tests/lib/smtp.mjs)
// when smtp_url is set, otherwise as an .eml file under DATA/outbox/.  The
// messages are read back as a mail client would: headers unfolded and
// decoded, both parts of multipart/alternative with quoted-printable undone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startServer, allianceBin } from '../lib/server.mjs';
import { envForArgs } from '../lib/testdb.mjs';
import { startSmtpSink, parseMessage } from '../lib/smtp.mjs';

const SITE_NAME = 'Alliance of NGOs on Crime Prevention and Criminal Justice';
const FROM = 'Alliance test secretariat <noreply@alliance.test>';
const TO = 'someone@example.org';

async function run(bin, args, env) {
  const e = await envForArgs(args, env);
  return new Promise((ok) => {
    execFile(bin, args, { env: e, timeout: 30_000 }, (err, stdout, stderr) => {
      ok({ code: err ? err.code : 0, stdout, stderr });
    });
  });
}

/** `alliance mail-test TO` against dataDir; asserts success, returns the id. */
async function mailTest(bin, dataDir, env, to = TO) {
  const r = await run(bin, ['mail-test', to, '--data', dataDir], env);
  assert.equal(r.code, 0, `mail-test failed\n${r.stdout}\n${r.stderr}`);
  const m = /queued as outbox id (\d+)/.exec(r.stdout);
  assert.ok(m, `mail-test does not print the outbox id: ${r.stdout}`);
  return Number(m[1]);
}

/** Checks a message as `alliance mail-test` builds it. */
function checkTestMessage(text, { siteName = SITE_NAME, host = 'alliance.test' } = {}) {
  for (const line of text.split('\r\n')) {
    assert.ok(line.length <= 76, `line longer than 76: ${JSON.stringify(line)}`);
    assert.ok(!/[\r\n]/.test(line), `bare CR or LF in ${JSON.stringify(line)}`);
  }
  assert.ok(/^[\x00-\x7f]*$/.test(text), 'the message is 7-bit');
  const msg = parseMessage(text);
  const h = msg.decoded;
  assert.equal(h.from, FROM);
  assert.equal(h.to, TO);
  assert.equal(h.subject, `Test message from ${siteName}`);
  assert.match(h.date, /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d\d:\d\d:\d\d \+0000$/);
  const sent = Date.parse(h.date);
  assert.ok(Math.abs(Date.now() - sent) < 5 * 60_000, `Date is not now: ${h.date}`);
  assert.match(h['message-id'], new RegExp(`^<[0-9a-f]{32}@${host.replace(/\./g, '\\.')}>$`));
  assert.equal(h['mime-version'], '1.0');
  assert.match(msg.contentType, /^multipart\/alternative;\s*boundary="[^"]+"$/);
  assert.equal(msg.parts.length, 2);
  const [plain, html] = msg.parts;
  assert.match(plain.contentType, /^text\/plain; charset=UTF-8$/i);
  assert.match(html.contentType, /^text\/html; charset=UTF-8$/i);
  assert.equal(plain.headers['content-transfer-encoding'], 'quoted-printable');
  assert.ok(plain.text.includes(`This is a test message from ${siteName}.`),
    `text part: ${plain.text}`);
  assert.match(html.text, /<p>This is a test message from <strong>[^<]+<\/strong>\.<\/p>/);
  const escaped = siteName.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  assert.ok(html.text.includes(escaped), `html part: ${html.text}`);
  return msg;
}

test('serve delivers a queued test message over SMTP', async () => {
  const sink = await startSmtpSink();
  const env = {
    ALLIANCE_SMTP_URL: `smtp://127.0.0.1:${sink.port}`,
    ALLIANCE_MAIL_FROM: FROM,
    ALLIANCE_BASE_URL: 'https://alliance.test/',
  };
  let id;
  const srv = await startServer({
    env,
    beforeServe: async ({ bin, dataDir, env: fullEnv }) => {
      // queued before the server runs: the runner finds it waiting
      id = await mailTest(bin, dataDir, fullEnv);
    },
  });
  try {
    assert.equal(id, 1);
    const [m] = await sink.waitForMessages(1, 10_000);
    assert.equal(m.from, 'noreply@alliance.test');
    assert.deepEqual(m.to, [TO]);
    checkTestMessage(m.data);
    await srv.waitForLog(/job \d+ mail\.deliver: done/);
    // delivered once, and the conversation was plain SMTP
    await sleep(1500);
    assert.equal(sink.messages.length, 1);
    assert.ok(sink.commands.some((c) => /^EHLO /i.test(c)), JSON.stringify(sink.commands));
    assert.ok(sink.commands.some((c) => /^MAIL FROM:<noreply@alliance\.test>/i.test(c)));
    assert.ok(sink.commands.includes(`RCPT TO:<${TO}>`));
  } finally {
    await srv.stop();
    await sink.close();
  }
});

test('without smtp_url the message is written as an .eml file in DATA/outbox', async () => {
  const siteName = 'Allianz der NGOs – Wien & <Genf>';
  const env = {
    ALLIANCE_MAIL_FROM: FROM,
    ALLIANCE_BASE_URL: 'https://alliance.test/',
    ALLIANCE_SITE_NAME: siteName,
  };
  const srv = await startServer({
    env,
    beforeServe: ({ bin, dataDir, env: fullEnv }) => mailTest(bin, dataDir, fullEnv),
  });
  try {
    const dir = join(srv.dataDir, 'outbox');
    let files = [];
    for (let i = 0; i < 100; i++) {
      files = await readdir(dir).catch(() => []);
      if (files.some((f) => f.endsWith('.eml'))) break;
      await sleep(100);
    }
    assert.equal(files.length, 1, `one file and no temporary one: ${files}`);
    assert.match(files[0], /^\d{8}T\d{6}Z-1\.eml$/);
    const text = await readFile(join(dir, files[0]), 'utf8');
    const msg = checkTestMessage(text, { siteName });
    // the non-ASCII subject travelled as encoded-words
    assert.match(msg.headers.subject, /=\?UTF-8\?B\?/);
    await srv.waitForLog(/job \d+ mail\.deliver: done/);
  } finally {
    await srv.stop();
  }
});

test('alliance worker delivers mail and stops on SIGTERM', async () => {
  const sink = await startSmtpSink();
  const bin = allianceBin();
  const dataDir = await mkdtemp(join(tmpdir(), 'alliance-test-'));
  const env = {
    ...process.env,
    ALLIANCE_SMTP_URL: `smtp://127.0.0.1:${sink.port}`,
    ALLIANCE_MAIL_FROM: FROM,
    ALLIANCE_BASE_URL: 'https://alliance.test/',
  };
  let worker;
  try {
    const init = await run(bin, ['init', '--data', dataDir], env);
    assert.equal(init.code, 0, init.stderr);
    await mailTest(bin, dataDir, env);
    await mailTest(bin, dataDir, env);
    worker = spawn(bin, ['worker', '--data', dataDir],
      { env: await envForArgs(['--data', dataDir], env), stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    worker.stderr.setEncoding('utf8');
    worker.stderr.on('data', (d) => { err += d; });
    const exited = new Promise((ok) => worker.on('exit', (code, signal) => ok({ code, signal })));
    const msgs = await sink.waitForMessages(2, 10_000);
    for (const m of msgs) checkTestMessage(m.data);
    assert.notEqual(parseMessage(msgs[0].data).headers['message-id'],
      parseMessage(msgs[1].data).headers['message-id']);
    // the sink has the data before the worker has ended the SMTP session
    // and marked the job done: wait for that, or SIGTERM would stop a job
    // in hand (by design) and the test would be about timing
    for (let i = 0; i < 100 && !/job 2 mail\.deliver: done/.test(err); i++) {
      await new Promise((ok) => setTimeout(ok, 100));
    }
    worker.kill('SIGTERM');
    const t = setTimeout(() => worker.kill('SIGKILL'), 5000);
    const r = await exited;
    clearTimeout(t);
    assert.deepEqual(r, { code: 0, signal: null }, err);
    assert.match(err, /alliance worker: running jobs/);
    assert.match(err, /job 1 mail\.deliver: done/);
    assert.match(err, /job 2 mail\.deliver: done/);
    assert.match(err, /alliance worker: stopped/);
  } finally {
    if (worker && worker.exitCode === null) worker.kill('SIGKILL');
    await sink.close();
    await rm(dataDir, { recursive: true, force: true });
  }
});

test('mail-test refuses what is not an address', async () => {
  const bin = allianceBin();
  const dataDir = await mkdtemp(join(tmpdir(), 'alliance-test-'));
  try {
    const r = await run(bin, ['mail-test', 'not-an-address', '--data', dataDir], process.env);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /not an e-mail address/);
    const none = await run(bin, ['mail-test', '--data', dataDir], process.env);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /alliance mail-test ADDRESS/);
    const help = await run(bin, ['mail-test', '--help'], process.env);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /usage: alliance mail-test ADDRESS/);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});
