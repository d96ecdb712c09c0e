// search_pages.test.mjs -- the site search finds the pages modules declare
// as documents (issue 12: "sponsor" found nothing): Benefits, Join,
// Sponsor and Renew, by their titles, their own words and what they show
// from the database (the levels' and tiers' names and texts), each once,
// linked to its page and labelled with its kind; and it follows the
// secretariat's edits of a level and of a tier (a new tier too) in the
// same transaction.  Runs on SQLite and, with
// ALLIANCE_TEST_DATABASE=postgresql, on PostgreSQL.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { Browser, mainOf, hiddenFields, personWithRole, sql, unescapeHtml } from '../lib/accounts.mjs';

let srv;
let admin;
const visitor = () => new Browser(srv.url);

before(async () => {
  srv = await startServer();
  admin = (await personWithRole(srv, { role: 'admin', name: 'Sue Search' })).browser;
});

after(async () => {
  if (srv) await srv.stop();
});

/** The hits of /search?q=q as a visitor sees them: [{href, title, kind}]. */
async function hits(q) {
  const html = mainOf(await visitor().html(`/search?q=${encodeURIComponent(q)}`));
  return [...html.matchAll(/<li><a href="([^"]*)">([^<]*)<\/a> <span class="muted">([^<]*)<\/span>/g)]
    .map((m) => ({ href: m[1], title: unescapeHtml(m[2]), kind: unescapeHtml(m[3]) }));
}

/** The hrefs of the hits for q. */
const hrefs = async (q) => (await hits(q)).map((h) => h.href);

describe('the pages modules declare are found', () => {
  for (const [q, href, title, kind] of [
    ['sponsor', '/sponsor', 'Sponsor the Alliance', 'Sponsorship'],
    ['benefits', '/benefits', 'Membership benefits', 'Membership'],
    ['join', '/join', 'Join the Alliance', 'Membership'],
    ['renew', '/renew', 'Renew', 'Membership'],
  ]) {
    test(`"${q}" finds ${href}, once, by its title`, async () => {
      const found = await hits(q);
      const mine = found.filter((h) => h.href === href);
      assert.equal(mine.length, 1, `${href} in ${JSON.stringify(found)}`);
      assert.deepEqual(mine[0], { href, title, kind });
      const res = await visitor().get(href);
      assert.ok([200, 303].includes(res.status), `GET ${href}: ${res.status}`);
    });
  }

  test('their own words and what they show from the database find them too', async () => {
    // the lead of /sponsor; a seeded tier's name; a level's name and summary
    assert.ok((await hrefs('civil society present')).includes('/sponsor'));
    const tier = (await sql(srv.dataDir, 'SELECT name FROM sponsorship_tiers ORDER BY position LIMIT 1'))[0][0];
    assert.ok((await hrefs(tier)).includes('/sponsor'), `tier ${tier}`);
    const [name, summary] = (await sql(srv.dataDir,
      "SELECT name, summary FROM membership_levels WHERE slug = 'associate'"))[0];
    for (const q of [name, summary.split(/\s+/).slice(0, 4).join(' ')]) {
      const found = await hrefs(q);
      assert.ok(found.includes('/benefits') && found.includes('/join'), `${q}: ${found}`);
    }
    // who may apply is on /benefits, not on the cards of /join
    const who = (await sql(srv.dataDir,
      "SELECT who_may_apply_md FROM membership_levels WHERE who_may_apply_md <> '' ORDER BY position LIMIT 1"))[0][0];
    const words = who.replace(/[^\p{L}\p{N} ]+/gu, ' ').split(/\s+/).filter((w) => w.length > 3).slice(0, 3).join(' ');
    assert.ok((await hrefs(words)).includes('/benefits'), `who may apply: ${words}`);
  });
});

describe('the search follows the secretariat\'s edits', () => {
  test('a level\'s new summary finds /benefits and /join, its old words no longer', async () => {
    const [id, name, dues, currency, period, grace, un, who, benefits] = (await sql(srv.dataDir,
      `SELECT id, name, dues_amount, dues_currency, period, grace_days, requires_un_status,
        who_may_apply_md, benefits_md FROM membership_levels WHERE slug = 'individual'`))[0];
    assert.deepEqual(await hrefs('Quetzalcoatl'), []);
    const action = `/admin/levels/${id}`;
    const page = await admin.html('/admin/levels');
    const res = await admin.post(action, {
      ...hiddenFields(page, action), name, summary: 'For a Quetzalcoatl scholar of criminal justice.',
      dues: (Number(dues) / 100).toFixed(2), currency, period, grace_days: grace,
      ...(Number(un) ? { requires_un_status: '1' } : {}), who_may_apply_md: who, benefits_md: benefits,
    });
    assert.equal(res.status, 303, mainOf(await res.text()).slice(0, 800));
    assert.deepEqual((await hrefs('Quetzalcoatl')).sort(), ['/benefits', '/join']);
  });

  test('a tier renamed and a tier added are found on /sponsor', async () => {
    assert.deepEqual(await hrefs('Axolotl'), []);
    const [id, amount, currency, position] = (await sql(srv.dataDir,
      'SELECT id, amount, currency, position FROM sponsorship_tiers ORDER BY position LIMIT 1'))[0];
    let page = await admin.html('/admin/tiers');
    let res = await admin.post(`/admin/tiers/${id}`, {
      ...hiddenFields(page, `/admin/tiers/${id}`), name: 'Axolotl friend',
      amount: (Number(amount) / 100).toFixed(2), currency, description_md: 'Keeps the news flowing.', position,
    });
    assert.equal(res.status, 303, mainOf(await res.text()).slice(0, 800));
    assert.deepEqual(await hrefs('Axolotl'), ['/sponsor']);

    page = await admin.html('/admin/tiers');
    res = await admin.post('/admin/tiers', {
      ...hiddenFields(page, '/admin/tiers'), slug: 'pangolin', name: 'Pangolin circle',
      amount: '9000', currency: 'EUR', description_md: 'For the *zyzzyva* fund.',
    });
    assert.equal(res.status, 303, mainOf(await res.text()).slice(0, 800));
    assert.deepEqual(await hrefs('Pangolin'), ['/sponsor']);
    assert.deepEqual(await hrefs('zyzzyva'), ['/sponsor']);
    // still one document for the page
    assert.equal((await hits('sponsor')).filter((h) => h.href === '/sponsor').length, 1);
  });
});
