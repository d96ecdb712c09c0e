// devsource.test.mjs -- development mode (dev_source / --dev-source DIR):
// serve reads templates and static files from a source tree on disk, so an
// edit shows on the next request without a rebuild.  The tests work on a
// copy of src/*/templates and src/*/static in a temporary folder: a page,
// an edited template, a template that does not compile (a 500 naming the
// file, line and column with the compiler's message escaped) and mended
// again, an edited stylesheet with a new ETag; a folder without templates
// refused at start; and, without the flag, the compiled-in copies.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile, appendFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { allianceBin, startServer, httpRequest } from '../lib/server.mjs';
import { envForArgs } from '../lib/testdb.mjs';

const repoSrc = resolve(new URL('../..', import.meta.url).pathname, 'src');

/** A copy of every src/MODULE/templates and src/MODULE/static under dir/src. */
async function copySourceTree(dir) {
  const src = join(dir, 'src');
  for (const mod of await readdir(repoSrc, { withFileTypes: true })) {
    if (!mod.isDirectory()) continue;
    for (const kind of ['templates', 'static']) {
      const from = join(repoSrc, mod.name, kind);
      if (existsSync(from)) await cp(from, join(src, mod.name, kind), { recursive: true });
    }
  }
  return src;
}

/** Runs the binary; resolves to {code, stdout, stderr} whatever the exit. */
async function runBin(args, env = {}) {
  const e = await envForArgs(args, { ...process.env, ...env });
  return new Promise((ok) => {
    execFile(allianceBin(), args, { env: e, timeout: 30_000 },
      (err, stdout, stderr) => ok({ code: err ? err.code : 0, stdout, stderr }));
  });
}

/** GET path n times (so every worker answers at least once, most likely). */
async function getAll(url, n = 8) {
  const answers = [];
  for (let i = 0; i < n; i++) {
    const res = await fetch(url);
    answers.push({ status: res.status, headers: res.headers, body: await res.text() });
  }
  return answers;
}

describe('dev_source: templates and static files from disk', () => {
  let tmp;
  let src;
  let srv;

  before(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'alliance-devsource-'));
    src = await copySourceTree(tmp);
    srv = await startServer({ args: ['--dev-source', src] });
  });
  after(async () => {
    if (srv) await srv.stop();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  test('serve says at start that it reads from the folder', async () => {
    await srv.waitForLog(new RegExp(`development mode: .*read from ${src}`));
  });

  test('a page renders from the copy, and an edit shows on the next request', async () => {
    for (const a of await getAll(`${srv.url}/`)) {
      assert.equal(a.status, 200);
      assert.match(a.body, /<h1 id="page-title">Alliance of NGOs/);
    }
    const file = join(src, 'site/templates/home.html');
    const before = await readFile(file, 'utf8');
    const edited = before.replace('<h1 id="page-title">{{page.title}}</h1>',
      '<h1 id="page-title">Edited on disk: {{page.title}}</h1>');
    assert.notEqual(edited, before, 'the test edits the heading of home.html');
    await writeFile(file, edited);
    for (const a of await getAll(`${srv.url}/`)) {
      assert.equal(a.status, 200);
      assert.match(a.body, /<h1 id="page-title">Edited on disk: Alliance of NGOs/);
    }
    await writeFile(file, before);
    for (const a of await getAll(`${srv.url}/`)) {
      assert.doesNotMatch(a.body, /Edited on disk/);
    }
  });

  test('a template that does not compile is a 500 naming file, line and column; mended, 200 again', async () => {
    const file = join(src, 'site/templates/about.html');
    const good = await readFile(file, 'utf8');
    assert.ok(good.endsWith('\n'));
    const line = good.split('\n').length; // the line the broken text starts
    await appendFile(file, '<script>{{oops}}</script>\n');

    for (const path of ['/about', '/']) { // the whole set is refused
      const res = await fetch(srv.url + path);
      const body = await res.text();
      assert.equal(res.status, 500, path);
      assert.match(res.headers.get('content-type'), /^text\/html/);
      assert.ok(body.includes(`${file}:${line}:9: {{oops}} inside &lt;script&gt; cannot be escaped`),
        `the error names the file, line and column, escaped:\n${body}`);
      assert.ok(!body.includes('<script>'), 'nothing from the message is raw HTML');
    }
    // a 404 page cannot render either, and says so the same way
    const missing = await fetch(`${srv.url}/no-such-page`);
    assert.equal(missing.status, 500);
    assert.match(await missing.text(), /about\.html:\d+:9:/);
    // the server keeps running, and says which file in its log
    assert.equal((await fetch(`${srv.url}/healthz`)).status, 200);
    await srv.waitForLog(/render: dev_source: .*about\.html:\d+:9:/);

    await writeFile(file, good);
    for (const a of await getAll(`${srv.url}/about`)) {
      assert.equal(a.status, 200);
      assert.match(a.body, /<h1[^>]*>About the Alliance</);
    }
  });

  test('an edited stylesheet is served at once with a new ETag, no-cache', async () => {
    const file = join(src, 'site/static/site.css');
    const first = await httpRequest(srv.url, { path: '/static/site.css' });
    assert.equal(first.status, 200);
    assert.equal(first.headers['content-type'], 'text/css; charset=utf-8');
    assert.equal(first.headers['cache-control'], 'no-cache');
    assert.deepEqual(first.body, await readFile(file));
    assert.match(first.headers.etag, /^"[0-9a-f]{32}"$/);

    await appendFile(file, '\n.devsource-marker { color: red; }\n');
    const second = await httpRequest(srv.url, { path: '/static/site.css' });
    assert.equal(second.status, 200);
    assert.deepEqual(second.body, await readFile(file));
    assert.match(second.body.toString(), /\.devsource-marker/);
    assert.notEqual(second.headers.etag, first.headers.etag);

    const again = await httpRequest(srv.url, {
      path: '/static/site.css', headers: { 'if-none-match': second.headers.etag },
    });
    assert.equal(again.status, 304);
    const stale = await httpRequest(srv.url, {
      path: '/static/site.css', headers: { 'if-none-match': first.headers.etag },
    });
    assert.equal(stale.status, 200);
  });

  test('a new static file is served; names outside the static folders are not', async () => {
    await writeFile(join(src, 'site/static/new.txt'), 'fresh\n');
    const res = await httpRequest(srv.url, { path: '/static/new.txt' });
    assert.equal(res.status, 200);
    assert.equal(res.body.toString(), 'fresh\n');
    assert.equal((await httpRequest(srv.url, { path: '/static/home.html' })).status, 404);
    // the router refuses an encoded '/' in a name (400); were it to pass
    // one on, the name is only compared with the files listed (404)
    for (const p of ['/static/..%2Ftemplates%2Fhome.html',
      '/static/..%2F..%2Fsite%2Fstatic%2Fsite.css']) {
      const res = await httpRequest(srv.url, { path: p });
      assert.ok([400, 404].includes(res.status), `${p}: ${res.status}`);
    }
  });
});

describe('dev_source: settings and start-up', () => {
  test('check-config shows the key, empty by default and from the environment', async () => {
    const off = await runBin(['check-config']);
    assert.equal(off.code, 0);
    assert.match(off.stdout, /^dev_source = $/m);
    const on = await runBin(['check-config'], { ALLIANCE_DEV_SOURCE: '/some/src' });
    assert.match(on.stdout, /^dev_source = \/some\/src$/m);
    const flag = await runBin(['check-config', '--dev-source', '/other/src']);
    assert.match(flag.stdout, /^dev_source = \/other\/src$/m);
  });

  test('a folder without templates stops serve with exit code 2', async () => {
    const tmp = await mkdtemp(join(tmpdir(), 'alliance-devsource-'));
    try {
      await mkdir(join(tmp, 'empty'));
      const empty = await runBin(['serve', '--data', join(tmp, 'data'),
        '--dev-source', join(tmp, 'empty')]);
      assert.equal(empty.code, 2, empty.stderr);
      assert.match(empty.stderr, /dev_source .*empty holds no MODULE\/templates/);
      const gone = await runBin(['serve', '--data', join(tmp, 'data')],
        { ALLIANCE_DEV_SOURCE: join(tmp, 'nowhere') });
      assert.equal(gone.code, 2, gone.stderr);
      assert.match(gone.stderr, /dev_source .*nowhere: No such file/);
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  });
});

describe('without dev_source', () => {
  let srv;

  before(async () => { srv = await startServer(); });
  after(async () => { if (srv) await srv.stop(); });

  test('the compiled-in copies are served, cached for an hour', async () => {
    const css = await httpRequest(srv.url, { path: '/static/site.css' });
    assert.equal(css.status, 200);
    assert.deepEqual(css.body, await readFile(join(repoSrc, 'site/static/site.css')));
    assert.equal(css.headers['cache-control'], 'public, max-age=3600');
    const page = await fetch(`${srv.url}/about`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<h1[^>]*>About the Alliance</);
    assert.doesNotMatch(srv.stderr(), /development mode/);
  });
});
