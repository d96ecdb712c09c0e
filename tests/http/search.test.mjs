// search.test.mjs -- the site search (/search) and the directory's word
// search (/members?q=) through core/search.h, the same scenarios on SQLite
// (FTS5) and on PostgreSQL (tsvector; a private cluster this file starts,
// tests/lib/pg.mjs): a name with accents found without them, prefixes,
// Arabic and Cyrillic names, a title hit ranked first, hits marked in the
// snippet, typed query syntax harmless, and the directory's first page for
// a query the same on both backends for the same data.  It chooses its
// backends itself, so the suite's PostgreSQL run (ALLIANCE_TEST_DATABASE)
// skips it: the SQLite run has run it on both.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { startCluster } from '../lib/pg.mjs';
import { sql, sqlText } from '../lib/accounts.mjs';
import { onPostgres } from '../lib/testdb.mjs';

/** What fold_text() stores as name_key: no accents, no case, one space. */
const fold = (s) => s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase()
  .replace(/\s+/g, ' ').trim();

// [slug, name, acronym, description, visibility]
const ORGS = [
  ['asociacion', 'Asociación Civil por la Justicia', 'ACJ', 'Defending rights in **Córdoba** and beyond.', 'public'],
  ['crime-prev', 'Crime Prevention Network', 'CPN', 'Preventing crime in cities.', 'public'],
  ['ru-lawyers', 'Ассоциация юристов', '', 'Юристы Москвы.', 'public'],
  ['ar-lawyers', 'جمعية المحامين', '', 'محامون من القاهرة.', 'public'],
  ['body-hit', 'Quokka Watch', 'QW', 'Our work on zanzibarite trade, year after year.', 'public'],
  ['title-hit', 'Zanzibarite Alliance', 'ZA', 'Other things.', 'public'],
  ['hidden-org', 'Xyloquent Justice Circle', 'XJC', 'Hidden.', 'hidden'],
  ['members-only', 'Wombatish Justice Forum', 'WJF', 'For members.', 'members'],
];
// 80 more, so that a query's first page (50) is not all of it
for (let i = 0; i < 80; i++) {
  const n = String(i).padStart(2, '0');
  const names = [`Justice Group ${n}`, `Justicia Grupo ${n}`, `Юстиция ${n}`, `Jüstice Ünion ${n}`];
  ORGS.push([`justice-${n}`, names[i % names.length], i % 3 ? '' : `JG${n}`, 'Justice work.', 'public']);
}

/** The SQL that puts ORGS in, listed (an active membership): the same
 * statements on both backends. */
function seedSql() {
  return ORGS.map(([slug, name, acronym, desc, vis]) => `
    INSERT INTO organisations (slug, name, name_key, acronym, country, description_md,
      visibility, dgc_associated, created_at)
    VALUES (${sqlText(slug)}, ${sqlText(name)}, ${sqlText(fold(name))}, ${sqlText(acronym)}, 'AT',
      ${sqlText(desc)}, ${sqlText(vis)}, 0, 0);
    INSERT INTO memberships (level_id, organisation_id, state, state_since, period_start,
      period_end, created_at)
    VALUES ((SELECT id FROM membership_levels WHERE slug = 'associate'),
      (SELECT id FROM organisations WHERE slug = ${sqlText(slug)}), 'active', '2026-01-01',
      '2026-01-01', '2026-12-31', 0);`).join('\n');
}

// what people may type that means something to FTS5, tsquery or SQL
const HOSTILE = ['"', "'", "' OR 1=1 --", 'crim:*', ':*', '&|!()', 'a & b | !c', 'a <-> b',
  'NEAR(crime prevention)', 'crime OR x', 'title:crime', '^crime', '((', '-', '\\', '%_',
  '«»—', 'x'.repeat(100), "crime'); DROP TABLE search_index; --"];

const backends = {
  sqlite: { srv: null },
  postgresql: { srv: null, pg: null },
};
const firstPages = {}; // backend -> the directory's first page for "justice"

if (onPostgres) {
  test('search on both backends', { skip: 'runs both backends itself, in the SQLite run' }, () => {});
} else {
  before(async () => {
    const seed = seedSql();
    backends.sqlite.srv = await startServer({
      beforeServe: async ({ dataDir }) => { await sql(dataDir, seed); },
    });
    const pg = await startCluster();
    backends.postgresql.pg = pg;
    const url = await pg.createDatabase();
    backends.postgresql.srv = await startServer({
      env: { ALLIANCE_DATABASE: url },
      beforeServe: async () => { await pg.sql(url, seed); },
    });
  });

  after(async () => {
    for (const b of Object.values(backends)) if (b.srv) await b.srv.stop();
    if (backends.postgresql.pg) await backends.postgresql.pg.stop();
  });

  for (const [name, b] of Object.entries(backends)) {
    const getJson = async (path) => {
      const res = await fetch(`${b.srv.url}${path}`);
      const text = await res.text();
      assert.equal(res.status, 200, `${path}: ${text.slice(0, 300)}\n${b.srv.stderr().slice(-2000)}`);
      return JSON.parse(text);
    };
    const search = async (q) => (await getJson(`/api/v1/search?q=${encodeURIComponent(q)}`)).results;
    const slugs = async (q) => (await search(q)).map((h) => h.slug);
    const members = async (q, page = 1) => getJson(
      `/api/v1/members?q=${encodeURIComponent(q)}${page > 1 ? `&page=${page}` : ''}`);

    describe(`search on ${name}`, () => {
      test('a name with accents is found without them, and with them', async () => {
        assert.equal((await search('asociacion'))[0]?.slug, 'asociacion');
        assert.equal((await search('ASOCIACIÓN justicia'))[0]?.slug, 'asociacion');
        assert.ok((await slugs('justice union 07')).includes('justice-07'));
      });

      test('every word typed is the beginning of a word', async () => {
        assert.ok((await slugs('crim')).includes('crime-prev'));
        assert.ok((await slugs('prev crim')).includes('crime-prev'));
        assert.ok(!(await slugs('rime')).includes('crime-prev'), 'not the middle of a word');
        assert.ok(!(await slugs('crim zzzqx')).includes('crime-prev'), 'all words required');
      });

      test('Arabic and Cyrillic names are found', async () => {
        assert.ok((await slugs('ассоциация')).includes('ru-lawyers'));
        assert.ok((await slugs('АССОЦ юрист')).includes('ru-lawyers'));
        assert.ok((await slugs('جمعية')).includes('ar-lawyers'));
        assert.ok((await slugs('المحام')).includes('ar-lawyers'));
      });

      test('a title hit ranks before a body hit', async () => {
        assert.deepEqual(await slugs('zanzibarite'), ['title-hit', 'body-hit']);
      });

      test('the snippet marks the hits, without Markdown marks', async () => {
        const hit = (await search('cordoba')).find((h) => h.slug === 'asociacion');
        assert.ok(hit, 'found');
        const marked = hit.snippet.filter((p) => p.hit).map((p) => p.text);
        assert.deepEqual(marked, ['Córdoba']);
        assert.ok(!hit.snippet.some((p) => p.text.includes('**')));
        const html = await (await fetch(`${b.srv.url}/search?q=cordoba`)).text();
        assert.match(html, /<mark>Córdoba<\/mark>/);
      });

      test('only listed public organisations are in the site search', async () => {
        assert.deepEqual(await slugs('xyloquent'), []);
        assert.deepEqual(await slugs('wombatish justice forum'), []);
      });

      test('query syntax typed is only text: no error, no injection', async () => {
        for (const q of HOSTILE) {
          const res = await fetch(`${b.srv.url}/api/v1/search?q=${encodeURIComponent(q)}`);
          assert.equal(res.status, 200, q);
          await res.json();
        }
        assert.ok((await slugs('crime')).includes('crime-prev'), 'the index is still there');
        // punctuation around words is a separator, not syntax
        assert.ok((await slugs('"crim*"')).includes('crime-prev'));
      });

      test('query syntax typed in the directory is only text', async () => {
        for (const q of HOSTILE) {
          const res = await fetch(`${b.srv.url}/api/v1/members?q=${encodeURIComponent(q)}`);
          assert.equal(res.status, 200, q);
          await res.json();
        }
        assert.equal((await members('"crim*"')).total, 1);
      });

      test('the directory finds names and acronyms by their words, accents aside', async () => {
        const names = async (q) => (await members(q)).organisations.map((o) => o.name);
        assert.deepEqual(await names('asociacion'), ['Asociación Civil por la Justicia']);
        assert.deepEqual(await names('acj'), ['Asociación Civil por la Justicia']);
        assert.deepEqual(await names('ассоц'), ['Ассоциация юристов']);
        assert.deepEqual(await names('جمعية'), ['جمعية المحامين']);
        assert.deepEqual(await names('crim prev'), ['Crime Prevention Network']);
        assert.deepEqual(await names('%'), [], 'no word: nothing');
        // a visitor does not see the hidden or the members' organisation
        assert.deepEqual(await names('xyloquent'), []);
        assert.deepEqual(await names('wombatish'), []);
      });

      test('the directory pages a query', async () => {
        const p1 = await members('justice');
        // 20 "Justice Group", 20 "Jüstice Ünion" (accents aside); the
        // Asociación's "Justicia" begins with "justic" but not "justice"
        assert.equal(p1.total, 40);
        assert.equal(p1.organisations.length, 40);
        const p2 = await members('justic');
        assert.equal(p2.total, 61);
        assert.equal(p2.organisations.length, 50);
        const all = await members('j');
        assert.ok(all.total > 50);
        assert.equal(all.organisations.length, 50);
        firstPages[name] = all.organisations.map((o) => [o.slug, o.name, o.acronym]);
      });
    });
  }

  describe('both backends', () => {
    test('the directory\'s first page for a query is the same on SQLite and PostgreSQL', () => {
      assert.ok(firstPages.sqlite && firstPages.postgresql, 'both pages were read');
      assert.equal(firstPages.sqlite.length, 50);
      assert.deepEqual(firstPages.postgresql, firstPages.sqlite);
    });
  });
}
