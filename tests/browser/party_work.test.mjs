// party_work.test.mjs -- a working party's schedule, resources and a
// decision in a real browser (issue 13): on a phone and a desktop viewport
// a chair opens the party's page (meetings, resources, decisions), opens a
// decision and votes with a reason by clicking; nothing is wider than the
// viewport and axe-core finds nothing on any page visited.  Screenshots go
// to build/screenshots/party-work-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SHOTS, VIEWPORTS, launchBrowser, openPageOn, clickTo } from '../lib/browser.mjs';
import { startServer } from '../lib/server.mjs';
import { cli, sql, sqlValue, uniqueEmail } from '../lib/accounts.mjs';

const PARTY = 'restorative-justice';
let srv;
let browser;
let partyId;

before(async () => {
  srv = await startServer();
  ({ browser } = await launchBrowser());
  partyId = await sqlValue(srv.dataDir, `SELECT id FROM parties WHERE slug = '${PARTY}'`);
  await sql(srv.dataDir, `
    INSERT INTO people (email, name, created_at) VALUES ('mo@example.org', 'Mohammed Al-Rashidi Fernández', 0),
      ('li@example.org', 'Li Wei', 0);
    INSERT INTO object_roles (person_id, object_type, object_id, role, granted_at) VALUES
      ((SELECT id FROM people WHERE email = 'mo@example.org'), 'party', '${PARTY}', 'member', 0),
      ((SELECT id FROM people WHERE email = 'li@example.org'), 'party', '${PARTY}', 'expert', 0);
    INSERT INTO meetings (slug, uid, title, kind, party_id, time_zone, all_day, starts_local, ends_local,
      starts_utc, ends_utc, last_ends_utc, place, agenda_md, visibility, created_at, updated_at) VALUES
      ('annual-plenary-2099', 'annual-plenary-2099-uid', 'Annual plenary on restorative practice in prisons', 'party',
        ${partyId}, 'Europe/Vienna', 0, '2099-03-04T14:30:00', '2099-03-04T16:30:00', 4076314200, 4076321400,
        4076321400, 'Vienna International Centre, Conference Room M3',
        'Agenda **to follow**; interpretation in French and Arabic.', 'public', 0, 0),
      ('team-retreat-2099', 'team-retreat-2099-uid', 'Team retreat', 'party', ${partyId}, 'UTC', 1, '2099-05-01',
        '2099-05-01', 4081276800, 4081363200, 4081363200, 'Online', '', 'team', 0, 0);
    INSERT INTO party_resources (party_id, kind, title, url, note, visibility, created_at) VALUES
      (${partyId}, 'link', 'Handbook on Restorative Justice Programmes (second edition)',
       'https://www.unodc.org/documents/justice-and-prison-reform/20-01146_Handbook_on_Restorative_Justice_Programmes.pdf',
       'The reference text for the working party.', 'public', 1);
    INSERT INTO party_resources (party_id, kind, title, library_ref, note, visibility, created_at) VALUES
      (${partyId}, 'library', 'Basic principles on restorative justice', 'ECOSOC-2002-12', '', 'members', 2);
    INSERT INTO party_decisions (party_id, title, body_md, closes_at, created_at) VALUES
      (${partyId}, 'Adopt the draft guidelines on victim-offender mediation', 'As circulated on 12 March. *Comments* welcome.', 4000000000, 0);
    INSERT INTO party_votes (decision_id, person_id, position, reason, voted_at) VALUES
      ((SELECT max(id) FROM party_decisions), (SELECT id FROM people WHERE email = 'mo@example.org'), 'block',
       'The guidelines do not yet address the safety of victims of domestic violence, which is a precondition for us.', 10),
      ((SELECT max(id) FROM party_decisions), (SELECT id FROM people WHERE email = 'li@example.org'), 'agree', '', 20)`);
});

after(async () => {
  if (browser) await browser.close();
  if (srv) await srv.stop();
});

/** A chair of the party signed in, in a new context with viewport. */
async function chairPage(viewport, name) {
  const email = uniqueEmail(`chair-${name}`);
  const { stdout } = await cli(srv.dataDir, ['user', 'add', email, '--name', `Chiara Chair ${name}`, '--role', 'member']);
  const m = /https?:\/\/\S+\/signin\/link\?token=[A-Za-z0-9_-]+/.exec(stdout);
  assert.ok(m, `no sign-in link in:\n${stdout}`);
  await sql(srv.dataDir, `INSERT INTO object_roles (person_id, object_type, object_id, role, granted_at)
    VALUES ((SELECT id FROM people WHERE email = '${email}'), 'party', '${PARTY}', 'chair', 0)`);
  const link = new URL(m[0]);
  const context = await browser.newContext({ viewport });
  const page = await openPageOn(context, srv.url);
  await page.goto(srv.url + link.pathname + link.search, { waitUntil: 'load' });
  await clickTo(page, page.locator('main').getByRole('button', { name: 'Sign me in' }),
    (u) => u.pathname !== '/signin/link');
  return { context, page };
}

async function assertFits(page) {
  const { doc, view } = await page.evaluate(() => ({
    doc: document.documentElement.scrollWidth, view: window.innerWidth,
  }));
  assert.ok(doc <= view, `${page.url()}: the page is ${doc}px wide in a ${view}px viewport`);
}

for (const vp of VIEWPORTS) {
  test(`a chair reads the party's work and votes (${vp.name})`, async () => {
    const { context, page } = await chairPage({ width: vp.width, height: vp.height }, vp.name);
    try {
      await page.goto(`${srv.url}/working-parties/${PARTY}`, { waitUntil: 'load' });
      const main = page.locator('main');
      await main.getByRole('heading', { name: 'Meetings', exact: true }).waitFor();
      assert.ok(await main.getByRole('link', { name: /Team retreat/ }).isVisible());
      assert.ok(await main.getByRole('link', { name: 'Add a resource' }).isVisible());
      await assertFits(page);
      await page.screenshot({ path: `${SHOTS}/party-work-page-${vp.name}.png`, fullPage: true });

      // the chairs' forms fit and pass axe-core too
      for (const form of ['meetings', 'resources', 'decisions']) {
        await page.goto(`${srv.url}/working-parties/${PARTY}/${form}/new`, { waitUntil: 'load' });
        await assertFits(page);
        await page.screenshot({ path: `${SHOTS}/party-work-${form}-form-${vp.name}.png`, fullPage: true });
      }
      await page.goto(`${srv.url}/working-parties/${PARTY}`, { waitUntil: 'load' });
      await clickTo(page, main.getByRole('link', { name: 'Adopt the draft guidelines on victim-offender mediation' }),
        /\/decisions\/\d+$/);
      await main.getByText('blocks this proposal').waitFor();
      await main.getByLabel('Disagree').check();
      await main.getByLabel(/Your reason/).fill('Mediation must stay voluntary for both sides.');
      await clickTo(page, main.getByRole('button', { name: 'Vote', exact: true }), /\/decisions\/\d+/);
      await main.locator('li', { hasText: `Chiara Chair ${vp.name}` })
        .filter({ hasText: 'Mediation must stay voluntary for both sides.' }).waitFor();
      assert.ok(await main.getByRole('button', { name: 'Change my vote' }).isVisible());
      await assertFits(page);
      await page.screenshot({ path: `${SHOTS}/party-work-decision-${vp.name}.png`, fullPage: true });
      assert.deepEqual(page.problems, []);
    } finally {
      await context.close();
    }
  });
}
