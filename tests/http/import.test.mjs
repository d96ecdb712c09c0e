// import.test.mjs -- CSV import and export (issue 4 point 8):
// /admin/import, /admin/export/*.csv, `alliance import` and `alliance export`.
//
// What is proved: a good file imports (rows in the database; organisations
// with a membership in /members); a file with bad rows imports nothing and
// the answer lists every bad row by line; a BOM, quoted line breaks and
// header names in any case work; a Latin-1 file is refused naming the line;
// a dry run changes nothing; role admin only from the command line; the
// command line exits 0/1 with the same messages; an export is UTF-8 with a
// BOM, CRLF, formulas neutralised, and imports into a fresh server as the
// same organisations; visitors and members can neither import nor export.
// Fixtures: tests/fixtures/csv/.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile, writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, allianceBin } from '../lib/server.mjs';
import { Browser, mainOf, personWithRole, sql, sqlValue, unescapeHtml } from '../lib/accounts.mjs';
import { allianceEnv, onPostgres } from '../lib/testdb.mjs';

const FIX = new URL('../fixtures/csv/', import.meta.url).pathname;
const fixture = (name) => join(FIX, name);

let srv;
let admin;
let member;
let tmp;

/** `alliance ARGS --data DIR` whatever its exit code: {code, stdout, stderr}. */
function run(dataDir, args) {
  return new Promise((ok) => {
    execFile(allianceBin(), [...args, '--data', dataDir],
      { timeout: 30_000, encoding: 'buffer', env: allianceEnv(dataDir) },
      (err, stdout, stderr) => ok({
        code: err ? err.code : 0, stdout: stdout.toString('utf8'),
        stderr: stderr.toString('utf8'), raw: stdout,
      }));
  });
}

/** Posts a file to /admin/import as b; {status, html, text (main as text)}. */
async function upload(b, kind, name, { dryRun = false, bytes = null } = {}) {
  const page = await b.html('/admin/import');
  const csrf = unescapeHtml(/name="csrf" value="([^"]*)"/.exec(page)[1]);
  const fd = new FormData();
  fd.append('csrf', csrf);
  fd.append('kind', kind);
  if (dryRun) fd.append('dry_run', '1');
  const data = bytes ?? await readFile(fixture(name));
  fd.append('file', new Blob([data], { type: 'text/csv' }), name);
  const res = await b.send('POST', '/admin/import', { body: fd });
  const html = await res.text();
  const text = unescapeHtml(mainOf(html).replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ');
  return { status: res.status, html, text };
}

const count = async (table, where = '1 = 1') =>
  Number(await sqlValue(srv.dataDir, `SELECT count(*) FROM ${table} WHERE ${where}`));

before(async () => {
  srv = await startServer();
  tmp = await mkdtemp(join(tmpdir(), 'alliance-csv-'));
  admin = (await personWithRole(srv, { role: 'admin', password: null })).browser;
  member = (await personWithRole(srv, { role: 'member', password: null })).browser;
});

after(async () => {
  await srv?.stop();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('import from the web', () => {
  test('a dry run checks a good file and changes nothing', async () => {
    const before = await count('organisations');
    const r = await upload(admin, 'organisations', 'organisations.csv', { dryRun: true });
    assert.equal(r.status, 200, r.text);
    assert.match(r.text, /Dry run: every row is good/);
    assert.match(r.text, /All 2 rows/);
    assert.equal(await count('organisations'), before);
  });

  test('a good file imports: quoted line breaks, header names in any case, focal areas', async () => {
    const r = await upload(admin, 'organisations', 'organisations.csv');
    assert.equal(r.status, 200, r.text);
    assert.match(r.text, /2 organisations imported/);
    const rows = await sql(srv.dataDir, `SELECT slug, name_key, country, visibility, ecosoc_status,
      ecosoc_year, dgc_associated, dgc_year FROM organisations ORDER BY id`);
    assert.deepEqual(rows, [
      ['penal-reform-watch', 'penal reform watch', 'AT', 'public', 'special', '2010', '0', ''],
      ['justice-now', 'justice now', 'US', 'members', '', '', '1', '2015'],
    ]);
    const desc = await sqlValue(srv.dataDir,
      `SELECT replace(description_md, ${onPostgres ? 'chr(10)' : 'char(10)'}, '~') ` +
      "FROM organisations WHERE slug = 'penal-reform-watch'");
    assert.equal(desc, 'Works on prisons,~with "quotes" and lines');
    assert.equal(await count('organisation_focal_areas'), 2);
    assert.equal(await count('audit_log', "action = 'organisation.create'"), 2);
    assert.equal(await count('audit_log', "action = 'import.organisations'"), 1);
  });

  test('the same file again is all bad rows: names exist already', async () => {
    const r = await upload(admin, 'organisations', 'organisations.csv');
    assert.equal(r.status, 422);
    assert.match(r.text, /Line 2: an organisation named "Penal Reform Watch" exists already/);
    assert.match(r.text, /Line 4: an organisation named "Justice Now" exists already/);
  });

  test('a file with bad rows imports nothing and lists every bad row by line', async () => {
    const before = await count('organisations');
    const r = await upload(admin, 'organisations', 'organisations_bad.csv');
    assert.equal(r.status, 422, r.text);
    assert.match(r.text, /Nothing was imported/);
    assert.match(r.text, /Line 3: country must name a known country, like Austria or AT/);
    assert.match(r.text, /Line 5: name is required/);
    assert.match(r.text, /Line 6: the organisation "Good One" is also on line 2/);
    assert.match(r.text, /Line 7: website must be a web address/);
    assert.equal((r.html.match(/<li>Line /g) || []).length, 4, r.text);
    assert.doesNotMatch(r.text, /Line 2:|Line 4:/);
    assert.equal(await count('organisations'), before);
  });

  test('a file with a byte order mark imports', async () => {
    const r = await upload(admin, 'organisations', 'organisations_bom.csv');
    assert.equal(r.status, 200, r.text);
    assert.equal(await sqlValue(srv.dataDir,
      "SELECT acronym FROM organisations WHERE slug = 'bom-alliance'"), 'BA');
  });

  test('a Latin-1 file is refused, naming the line', async () => {
    const r = await upload(admin, 'organisations', 'organisations_latin1.csv');
    assert.equal(r.status, 422);
    assert.match(r.text, /Line 2: the text is not UTF-8/);
    assert.equal(await count('organisations', "name = 'Plain Org'"), 0);
  });

  test('a missing required column is one clear error', async () => {
    const r = await upload(admin, 'people', 'x.csv', { bytes: Buffer.from('name,country\nAna,AT\n') });
    assert.equal(r.status, 422);
    assert.match(r.text, /lacks required column: email/);
  });

  test('people and memberships import; organisations with a membership are in /members', async () => {
    let r = await upload(admin, 'people', 'people.csv');
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(await sql(srv.dataDir, `SELECT p.role, r.main_contact, r.un_post, r.un_rank,
      p.password_hash IS NULL FROM people p JOIN representatives r ON r.person_id = p.id
      WHERE p.email = 'ana@prw.example.org'`), [['member', '1', 'vienna', 'main', '1']]);
    assert.equal(await sqlValue(srv.dataDir,
      "SELECT email_domain FROM organisations WHERE slug = 'penal-reform-watch'"), 'prw.example.org');
    r = await upload(admin, 'memberships', 'memberships.csv');
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(await sql(srv.dataDir, `SELECT o.slug, m.state, m.period_start, m.period_end
      FROM memberships m JOIN organisations o ON o.id = m.organisation_id
      WHERE o.slug = 'penal-reform-watch'`), [['penal-reform-watch', 'active', '2026-01-01', '2026-12-31']]);
    assert.equal(await sqlValue(srv.dataDir, `SELECT m.period_end FROM memberships m
      JOIN people p ON p.id = m.person_id WHERE p.email = 'bo@example.net'`), '2027-02-28');
    const list = await (await fetch(`${srv.url}/api/v1/members`)).json();
    const names = list.organisations.map((o) => o.name);
    assert.ok(names.includes('Penal Reform Watch'), JSON.stringify(names));
    assert.ok(!names.includes('Justice Now'), 'members-only is not shown to visitors');
  });

  test('role admin is refused from the web', async () => {
    const r = await upload(admin, 'people', 'people_admin.csv');
    assert.equal(r.status, 422);
    assert.match(r.text, /Line 2: role admin is given only from the command line/);
    assert.equal(await count('people', "email = 'boss@example.org'"), 0);
  });
});

describe('the command line', () => {
  test('bad rows: exit 1 and the same messages, nothing imported', async () => {
    const before = await count('organisations');
    const r = await run(srv.dataDir, ['import', 'organisations', fixture('organisations_bad.csv')]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /line 3: country must name a known country, like Austria or AT/);
    assert.match(r.stderr, /line 6: the organisation "Good One" is also on line 2/);
    assert.match(r.stderr, /4 bad rows; nothing was imported/);
    assert.equal(await count('organisations'), before);
  });

  test('a dry run exits 0 and changes nothing; then the import exits 0', async () => {
    const f = join(tmp, 'cli.csv');
    await writeFile(f, 'name,country\nCli Org,NL\n');
    let r = await run(srv.dataDir, ['import', 'organisations', f, '--dry-run']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /dry run: all 1 organisations rows are good/);
    assert.equal(await count('organisations', "name = 'Cli Org'"), 0);
    r = await run(srv.dataDir, ['import', 'organisations', f]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /1 organisations imported/);
    assert.equal(await count('organisations', "name = 'Cli Org'"), 1);
    assert.equal(await sqlValue(srv.dataDir,
      "SELECT actor FROM audit_log WHERE action = 'organisation.create' ORDER BY id DESC LIMIT 1"), '0');
  });

  test('role admin is allowed from the command line', async () => {
    const r = await run(srv.dataDir, ['import', 'people', fixture('people_admin.csv')]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(await sqlValue(srv.dataDir, "SELECT role FROM people WHERE email = 'boss@example.org'"), 'admin');
  });

  test('an unknown kind is a usage error (exit 2)', async () => {
    const r = await run(srv.dataDir, ['import', 'sponsors', fixture('people.csv')]);
    assert.equal(r.code, 2);
  });
});

describe('export', () => {
  test('UTF-8 with a BOM, CRLF, attachment, formulas neutralised', async () => {
    const r = await upload(admin, 'organisations', 'organisations_formula.csv');
    assert.equal(r.status, 200, r.text);
    const res = await admin.get('/admin/export/organisations.csv');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/csv; charset=utf-8');
    assert.match(res.headers.get('content-disposition'), /^attachment; filename="alliance-organisations-\d{4}-\d\d-\d\d\.csv"$/);
    assert.match(res.headers.get('cache-control'), /no-store/);
    const body = Buffer.from(await res.arrayBuffer());
    assert.deepEqual([...body.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    const text = body.subarray(3).toString('utf8');
    assert.ok(text.startsWith('slug,name,acronym,country,website,description,contact_address,' +
      'visibility,ecosoc_status,ecosoc_year,dgc_associated,dgc_year,focal_areas\r\n'), text.slice(0, 200));
    const quoted = '"Works on prisons,\nwith ""quotes"" and lines"';
    assert.ok(text.includes(quoted), text.slice(0, 400));
    assert.doesNotMatch(text.replace(quoted, ''), /[^\r]\n/, 'every record ends with CRLF');
    assert.ok(text.endsWith('\r\n'));
    assert.match(text, /\r\nformula-org,'=Formula Org,'@at,,,"'-1\+2, and =cmd\|'\/C calc'!A0",/);
    assert.match(text, /"Works on prisons,\nwith ""quotes"" and lines"/);
    // stored as typed: the guard is only in the file
    assert.equal(await sqlValue(srv.dataDir, "SELECT name FROM organisations WHERE slug = 'formula-org'"),
      '=Formula Org');
  });

  test('people and memberships export in the import columns', async () => {
    let res = await admin.get('/admin/export/people.csv');
    assert.equal(res.status, 200);
    let text = (await res.text()).replace(/^\uFEFF/, '');
    assert.ok(text.startsWith('email,name,country,languages,expertise,role,organisation,' +
      'main_contact,un_post,un_rank\r\n'));
    assert.match(text, /\r\nana@prw\.example\.org,Ana Rep,AT,,,member,penal-reform-watch,yes,vienna,main\r\n/);
    res = await admin.get('/admin/export/memberships.csv');
    text = (await res.text()).replace(/^\uFEFF/, '');
    assert.ok(text.startsWith('organisation,email,level,state,period_start,period_end\r\n'));
    assert.match(text, /\r\npenal-reform-watch,,full,active,2026-01-01,2026-12-31\r\n/);
    assert.match(text, /\r\n,bo@example\.net,individual,active,2026-03-01,2027-02-28\r\n/);
  });

  test('the CLI export is the same bytes as the web export', async () => {
    const web = Buffer.from(await (await admin.get('/admin/export/organisations.csv')).arrayBuffer());
    const r = await run(srv.dataDir, ['export', 'organisations']);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.raw.equals(web));
  });

  test('an export imports into a fresh server as the same organisations', async () => {
    const orgs = Buffer.from(await (await admin.get('/admin/export/organisations.csv')).arrayBuffer());
    const members = (await (await admin.get('/admin/export/memberships.csv')).text())
      .replace(/^\uFEFF/, '').split('\r\n').filter((l) => !l.startsWith(',')).join('\r\n');
    const fresh = await startServer();
    try {
      await writeFile(join(tmp, 'orgs.csv'), orgs);
      await writeFile(join(tmp, 'members.csv'), members);
      let r = await run(fresh.dataDir, ['import', 'organisations', join(tmp, 'orgs.csv')]);
      assert.equal(r.code, 0, r.stderr);
      r = await run(fresh.dataDir, ['import', 'memberships', join(tmp, 'members.csv')]);
      assert.equal(r.code, 0, r.stderr);
      r = await run(fresh.dataDir, ['export', 'organisations']);
      assert.equal(r.raw.toString('utf8'), orgs.toString('utf8'));
      const q = `SELECT o.slug, m.state, m.period_start, m.period_end FROM memberships m
        JOIN organisations o ON o.id = m.organisation_id ORDER BY o.slug`;
      assert.deepEqual(await sql(fresh.dataDir, q), await sql(srv.dataDir, q));
      const list = await (await fetch(`${fresh.url}/api/v1/members`)).json();
      assert.ok(list.organisations.some((o) => o.name === 'Penal Reform Watch'));
    } finally {
      await fresh.stop();
    }
  });
});

describe('who may import and export', () => {
  for (const path of ['/admin/import', '/admin/export/organisations.csv',
    '/admin/export/people.csv', '/admin/export/memberships.csv']) {
    test(`a visitor is sent to sign in, a member is refused: ${path}`, async () => {
      const v = await new Browser(srv.url).get(path);
      await v.arrayBuffer();
      assert.equal(v.status, 303);
      assert.match(v.headers.get('location'), /^\/signin/);
      const m = await member.get(path);
      await m.arrayBuffer();
      assert.equal(m.status, 403);
    });
  }

  test('a member cannot post an import', async () => {
    const fd = new FormData();
    fd.append('kind', 'organisations');
    fd.append('file', new Blob(['name\nSneaky Org\n']), 'x.csv');
    const res = await member.send('POST', '/admin/import', { body: fd });
    await res.arrayBuffer();
    assert.ok([401, 403].includes(res.status), `status ${res.status}`);
    assert.equal(await count('organisations', "name = 'Sneaky Org'"), 0);
  });
});
