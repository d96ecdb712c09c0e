// focal.test.mjs -- the focal points (issue 12, point 3): the twelve areas'
// texts (migration 0024 replaces only what 0002 seeded, never a text the
// secretariat edited).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { startServer } from '../lib/server.mjs';
import { Browser, mainOf, sql } from '../lib/accounts.mjs';

const AREAS = ['corrections-sentencing', 'corruption', 'crime-prevention', 'femicide', 'gender',
  'ai-cybercrime', 'lawyers-prosecutors', 'prison-chaplains', 'restorative-justice', 'sdg-16',
  'terrorism-prevention', 'victims-rights'];

let srv;
const as = {};

before(async () => {
  srv = await startServer();
  as.visitor = new Browser(srv.url);
});

after(async () => { if (srv) await srv.stop(); });

describe('the texts of the twelve areas', () => {
  test('every_area_has_a_summary_and_a_body_of_two_paragraphs', async () => {
    // lengths, and the blank lines between paragraphs (the values span lines)
    const rows = await sql(srv.dataDir, `SELECT slug, length(summary), length(body_md),
      (length(body_md) - length(replace(body_md, '\n\n', ''))) / 2 FROM focal_areas ORDER BY position`);
    assert.deepEqual(rows.map((r) => r[0]), AREAS);
    for (const [slug, summary, body, breaks] of rows) {
      assert.ok(Number(summary) >= 100, `${slug}: summary ${summary} characters`);
      assert.ok(Number(body) >= 400, `${slug}: body ${body} characters`);
      assert.ok(Number(breaks) >= 1, `${slug}: one paragraph`);
      const html = mainOf(await as.visitor.html(`/focal-points/${slug}`));
      assert.ok((html.match(/<p>/g) || []).length >= 2, `${slug}: the page shows one paragraph`);
    }
  });

  test('the_one_line_texts_are_gone', async () => {
    const html = mainOf(await as.visitor.html('/focal-points/gender'));
    assert.doesNotMatch(html, /The Alliance.s focal point for gender in crime prevention/);
    assert.match(html, /Bangkok Rules/);
  });
});

describe('migration 0024 on a database whose texts were edited', () => {
  test('edited_texts_stay_and_seeded_ones_are_replaced', async () => {
    const other = await startServer({
      beforeServe: async ({ bin, dataDir, env }) => {
        // back to 0002's texts for gender; sdg-16 edited by the secretariat
        await sql(dataDir, `
          UPDATE focal_areas SET
            summary = 'The Alliance''s focal point for gender in crime prevention and criminal justice.',
            body_md = 'Gender is one of the focal points for areas of work that the Alliance has identified since the 2015 Crime Congress.'
            WHERE slug = 'gender';
          UPDATE focal_areas SET summary = 'Our own summary.', body_md = 'Our own body.' WHERE slug = 'sdg-16';
          DELETE FROM schema_migrations WHERE version = 24;`);
        await new Promise((ok, fail) => execFile(bin, ['migrate', '--data', dataDir], { env },
          (err, stdout, stderr) => (err ? fail(new Error(stderr)) : ok())));
      },
    });
    try {
      const rows = await sql(other.dataDir, `SELECT slug, summary,
        CASE WHEN body_md LIKE '%Bangkok Rules%' THEN 'new body' ELSE body_md END
        FROM focal_areas WHERE slug IN ('gender', 'sdg-16') ORDER BY slug`);
      assert.match(rows[0][1], /as victims, as offenders/);
      assert.equal(rows[0][2], 'new body');
      assert.deepEqual(rows[1], ['sdg-16', 'Our own summary.', 'Our own body.']);
    } finally {
      await other.stop();
    }
  });
});
