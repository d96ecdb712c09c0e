// statements.test.mjs -- civil society statements (src/statements/): the
// four the Alliance's description names, seeded and closed; the
// secretariat drafts one (a draft is nobody else's, in HTML, JSON and the
// search), opens it (not without its text, not with a closing day past),
// edits it, closes it, deletes only drafts and takes an endorsement off;
// the main contact of a member organisation endorses it for that
// organisation and takes it back while it is open; nobody else can (the
// main contact of a lapsed member, a plain member, the main contact of
// another organisation); its endorsements as CSV; it closes by itself at
// the end of its closing day.  Every change is in the audit log.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { assertFormErrors } from '../lib/forms.mjs';
import {
  Browser, personWithRole, personId, sql, sqlValue, sqlText, mainOf, formCsrf, mailsTo, nextMail, linkIn,
} from '../lib/accounts.mjs';

const SEEDED = [
  'uncac-cosp-marrakech-2011', 'drugs-and-crime-as-a-threat-to-development-2012',
  'doha-civil-society-declaration-2015', 'untoc-high-level-debate-2017',
];
const DAY = 86400e3;
const ymd = (ms) => new Date(ms).toISOString().slice(0, 10);

let srv;
const as = {};
const orgs = {};

/** An organisation with a main contact (a new person) and a membership
 * in state; resolves to {id, slug, name, contact, pid}. */
async function organisation(key, name, state, country = 'AT') {
  const contact = await personWithRole(srv, { role: 'member', name: `Contact of ${name}` });
  const pid = await personId(srv.dataDir, contact.email);
  const slug = `st-${key}`;
  await sql(srv.dataDir, `INSERT INTO organisations (slug, name, name_key, country, visibility, created_at)
    VALUES (${sqlText(slug)}, ${sqlText(name)}, ${sqlText(name.toLowerCase())}, '${country}', 'public', 0);
    INSERT INTO representatives (organisation_id, person_id, main_contact)
    VALUES ((SELECT id FROM organisations WHERE slug = ${sqlText(slug)}), ${pid}, 1);
    INSERT INTO memberships (level_id, organisation_id, state, state_since, period_start, period_end, created_at)
    SELECT l.id, o.id, '${state}', '2026-01-01', '2026-01-01', '2027-12-31', 0
    FROM membership_levels l, organisations o WHERE l.slug = 'associate' AND o.slug = ${sqlText(slug)};`);
  const id = Number(await sqlValue(srv.dataDir, `SELECT id FROM organisations WHERE slug = ${sqlText(slug)}`));
  return { id, slug, name, contact: contact.browser, email: contact.email, pid };
}

before(async () => {
  srv = await startServer();
  as.visitor = new Browser(srv.url);
  as.admin = (await personWithRole(srv, { role: 'admin', name: 'Sam Secretariat' })).browser;
  as.plain = (await personWithRole(srv, { role: 'member', name: 'Pia Plain' })).browser;
  orgs.a = await organisation('a', 'Justice Watch Vienna', 'active', 'AT');
  orgs.b = await organisation('b', 'Prison Reform Kenya', 'grace', 'KE');
  orgs.lapsed = await organisation('c', 'Lapsed Friends', 'lapsed', 'FR');
});
after(async () => { if (srv) await srv.stop(); });

const audits = (action, slug) => sqlValue(srv.dataDir,
  `SELECT count(*) FROM audit_log WHERE action = ${sqlText(action)} AND object_id = ${sqlText(slug)}`).then(Number);
const endorsements = (slug) => sqlValue(srv.dataDir, `SELECT count(*) FROM statement_endorsements e
  JOIN statements s ON s.id = e.statement_id WHERE s.slug = ${sqlText(slug)}`).then(Number);

/** Waits (up to 30 s) until check() resolves true. */
async function waitFor(check, what) {
  for (let end = Date.now() + 30_000; !(await check());) {
    assert.ok(Date.now() < end, `waited 30 s for ${what}`);
    await new Promise((ok) => setTimeout(ok, 100));
  }
}

/** Posts the statement page's form for org (endorse or withdraw) as b. */
async function endorse(b, slug, org, action = 'endorse') {
  const page = await b.html(`/statements/${slug}`);
  return b.post(`/statements/${slug}/${action}`, { csrf: formCsrf(page), organisation: String(org.id) });
}

describe('the statements the description names', () => {
  test('all four are listed, closed, each with its page, UN body and occasion, and found by the search', async () => {
    const list = mainOf(await as.visitor.html('/statements'));
    for (const slug of SEEDED) assert.match(list, new RegExp(`href="/statements/${slug}"`));
    assert.doesNotMatch(list, /Open for endorsement/);
    const doha = mainOf(await as.visitor.html('/statements/doha-civil-society-declaration-2015'));
    assert.match(doha, /<h1>Doha Civil Society Declaration<\/h1>/);
    assert.match(doha, /2015 Crime Congress, Doha \(2015\)/);
    assert.match(doha, /<a href="\/bodies\/crime-congress">United Nations Congress on Crime Prevention and Criminal Justice<\/a>/);
    assert.match(doha, /The text of this statement is not on the platform yet\./);
    assert.match(doha, /No endorsement is recorded on the platform\./);
    assert.doesNotMatch(doha, /action="\/statements\/[^"]+\/endorse"/);
    const hits = mainOf(await as.visitor.html('/search?q=Marrakech'));
    assert.match(hits, /href="\/statements\/uncac-cosp-marrakech-2011"/);
    const json = await (await as.visitor.get('/api/v1/statements')).json();
    assert.deepEqual(json.statements.map((s) => s.slug).sort(), [...SEEDED].sort());
  });

  test('the public navigation names them', async () => {
    assert.match(await as.visitor.html('/'), /<a href="\/statements"[^>]*>Statements<\/a>/);
  });
});

describe('a statement from draft to closed', () => {
  let slug;
  let links; // the UN body and working party it names, as the form sends them

  test('a draft needs a title; a UN body or working party not in the list is refused beside its field', async () => {
    const form = await as.admin.html('/admin/statements/new');
    const csrf = formCsrf(form, '/admin/statements');
    const empty = await as.admin.post('/admin/statements', { csrf, title: '' });
    assert.equal(empty.status, 422);
    assertFormErrors(await empty.text(), { action: '/admin/statements', invalid: ['title'] });
    const bad = await as.admin.post('/admin/statements', { csrf, title: 'Bad body', un_body: '9999', party: '9999' });
    assert.equal(bad.status, 422);
    const html = await bad.text();
    assertFormErrors(html, { action: '/admin/statements', invalid: ['un_body', 'party'] });
    assert.match(html, /Choose a UN body from the list\./);
    assert.match(html, /value="Bad body"/, 'what was typed is kept');
    assert.equal(Number(await sqlValue(srv.dataDir, "SELECT count(*) FROM statements WHERE title = 'Bad body'")), 0);
  });

  test('the secretariat drafts one: nobody else sees it, in HTML, JSON or the search', async () => {
    const form = await as.admin.html('/admin/statements/new');
    links = {
      party: String(await sqlValue(srv.dataDir, "SELECT id FROM parties WHERE slug = 'victims'")),
      un_body: String(await sqlValue(srv.dataDir, "SELECT id FROM bodies WHERE slug = 'ccpcj'")),
      focal: 'femicide', // the edits below keep this one of its two areas
    };
    const res = await as.admin.post('/admin/statements', [...Object.entries({
      csrf: formCsrf(form, '/admin/statements'), title: 'Statement on Victims’ Rights', year: '2027',
      summary: 'Victims first.', occasion: 'Thirty-sixth Crime Commission, Vienna', ...links,
    }), ['focal', 'victims-rights'], ['focal', 'no-such-area']]);
    assert.equal(res.status, 303);
    const loc = res.headers.get('location');
    assert.match(loc, /^\/admin\/statements\/statement-on-victims-rights\?done=added$/);
    slug = 'statement-on-victims-rights';
    const drafted = mainOf(await as.admin.html(loc));
    assert.match(drafted, /The statement has been drafted\./);
    assert.match(drafted, /<input type="checkbox" name="focal" value="femicide" checked> Femicide/);
    assert.match(drafted, /<input type="checkbox" name="focal" value="victims-rights" checked>/);
    assert.doesNotMatch(mainOf(await as.visitor.html('/focal-points/femicide')), /Victims’ Rights/, 'a draft is on no area\'s page');
    assert.equal(await audits('statement.draft', slug), 1);
    const draftPost = await orgs.a.contact.post(`/statements/${slug}/endorse`,
      { csrf: formCsrf(await orgs.a.contact.html('/statements')), organisation: String(orgs.a.id) });
    assert.equal(draftPost.status, 404, 'a draft is no statement to a main contact either');
    for (const who of ['visitor', 'plain']) {
      assert.equal((await as[who].get(`/statements/${slug}`)).status, 404, who);
      assert.equal((await as[who].get(`/api/v1/statements/${slug}`)).status, 404, who);
      assert.equal((await as[who].get(`/statements/${slug}/endorsements.csv`)).status, 404, who);
      assert.doesNotMatch(await as[who].html('/statements'), /Victims’ Rights/, who);
    }
    assert.match(mainOf(await as.admin.html(`/statements/${slug}`)), /This is a draft/);
    const party = mainOf(await as.visitor.html('/working-parties/victims'));
    assert.match(party, /<h2 id="statements-h">Statements<\/h2>/);
    assert.match(party, /No statement of this working party is on the platform yet\./);
    assert.doesNotMatch(mainOf(await as.visitor.html('/search?q=Victims+first')), new RegExp(slug));
    const overview = mainOf(await as.admin.html('/admin'));
    assert.match(overview, /Statement drafts/);
  });

  test('it does not open without its text, nor with its closing day past', async () => {
    const page = await as.admin.html(`/admin/statements/${slug}`);
    const csrf = formCsrf(page, `/admin/statements/${slug}/open`);
    const noText = await as.admin.post(`/admin/statements/${slug}/open`, { csrf });
    assert.equal(noText.status, 409);
    assert.match(await noText.text(), /Write the text of the statement/);
    const edited = await as.admin.post(`/admin/statements/${slug}/edit`, {
      csrf, title: 'Statement on Victims’ Rights', summary: 'Victims first.', year: '2027',
      body: 'We, the undersigned organisations, call on States to **put victims first**.',
      closes_on: ymd(Date.now() - 2 * DAY), ...links,
    });
    assert.equal(edited.status, 303);
    assert.equal(await audits('statement.edit', slug), 1);
    const past = await as.admin.post(`/admin/statements/${slug}/open`, { csrf });
    assert.equal(past.status, 409);
    assert.match(await past.text(), /closing day has passed/);
    assert.equal(await sqlValue(srv.dataDir, `SELECT state FROM statements WHERE slug = ${sqlText(slug)}`), 'draft');
  });

  test('opened, it is public, in the search, and says until when it takes endorsements', async () => {
    const page = await as.admin.html(`/admin/statements/${slug}`);
    const csrf = formCsrf(page, `/admin/statements/${slug}/edit`);
    const closes = ymd(Date.now() + 30 * DAY);
    assert.equal((await as.admin.post(`/admin/statements/${slug}/edit`, {
      csrf, title: 'Statement on Victims’ Rights', summary: 'Victims first.', year: '2027',
      occasion: 'Thirty-sixth Crime Commission, Vienna',
      body: 'We, the undersigned organisations, call on States to **put victims first**.', closes_on: closes, ...links,
    })).status, 303);
    const res = await as.admin.post(`/admin/statements/${slug}/open`, { csrf, notify: '1' });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), `/admin/statements/${slug}?done=opened`);
    assert.equal(await audits('statement.open', slug), 1);
    const pub = mainOf(await as.visitor.html(`/statements/${slug}`));
    assert.match(pub, /<strong>put victims first<\/strong>/);
    assert.match(pub, /Open for endorsement until \d\d [A-Z][a-z]{2} \d{4}/);
    assert.match(pub, /<a href="\/signin">sign in<\/a> to endorse/);
    assert.match(pub, /<dt>Written by<\/dt><dd><a href="\/working-parties\/victims">Victims<\/a><\/dd>/);
    assert.match(pub, /<dt>Addressed to<\/dt><dd><a href="\/bodies\/ccpcj">Commission on Crime Prevention and Criminal Justice<\/a><\/dd>/);
    const list = mainOf(await as.visitor.html('/statements'));
    assert.ok(list.indexOf(slug) < list.indexOf(SEEDED[3]), 'an open statement comes first');
    assert.match(mainOf(await as.visitor.html('/search?q=undersigned')), new RegExp(`href="/statements/${slug}"`));
    // the focal area it is about lists it; the one the edit took off, not
    assert.match(pub, /<dt>Focal areas<\/dt><dd><a href="\/focal-points\/femicide">Femicide<\/a><\/dd>/);
    const area = mainOf(await as.visitor.html('/focal-points/femicide'));
    assert.match(area, /<h2 id="work-statement-h">Civil society statements<\/h2>/);
    assert.match(area, new RegExp(`<a href="/statements/${slug}">Statement on Victims’ Rights</a>`));
    assert.doesNotMatch(mainOf(await as.visitor.html('/focal-points/victims-rights')), new RegExp(slug));
    // the working party that wrote it lists it on its page
    const party = mainOf(await as.visitor.html('/working-parties/victims'));
    assert.match(party, new RegExp(`<a href="/statements/${slug}">Statement on Victims’ Rights</a><br><span class="muted">` +
      'Thirty-sixth Crime Commission, Vienna \\(2027\\) · Open for endorsement until '));
    const again = await as.admin.post(`/admin/statements/${slug}/open`, { csrf });
    assert.equal(again.status, 409);
  });

  test('its opening is told by e-mail to each main contact of a member organisation, once', async () => {
    const subject = 'A statement is open for endorsement: Statement on Victims’ Rights';
    for (const o of [orgs.a, orgs.b]) {
      const mail = await nextMail(srv.dataDir, o.email, 0, { subject });
      assert.match(mail.text, /The Alliance has opened the statement “Statement on Victims’ Rights” for endorsement by its member organisations, until \d\d [A-Z][a-z]{2} \d{4}\./);
      assert.match(mail.text, /Where it is delivered: Thirty-sixth Crime Commission, Vienna/);
      assert.match(mail.text, new RegExp(`As the main contact of ${o.name}, you may endorse it`));
      assert.equal(linkIn(mail, '/statements/'), `/statements/${slug}`);
    }
    await waitFor(async () => Number(await sqlValue(srv.dataDir,
      "SELECT count(*) FROM jobs WHERE kind = 'statements.notify' AND status = 'done'")) === 1, 'the job ran');
    assert.equal((await mailsTo(srv.dataDir, orgs.lapsed.email)).filter((m) => m.msg.decoded.subject === subject).length, 0,
      'not to the main contact of a lapsed member');
    assert.equal(Number(await sqlValue(srv.dataDir, `SELECT count(*) FROM statement_notices n
      JOIN statements s ON s.id = n.statement_id WHERE s.slug = ${sqlText(slug)}`)), 2);
    assert.match(mainOf(await as.admin.html(`/admin/statements/${slug}`)), /<dt>Main contacts told<\/dt><dd>2<\/dd>/);
  });

  test('the main contact endorses it for the organisation, once, and it is named with the statement and in its CSV', async () => {
    const page = mainOf(await orgs.a.contact.html(`/statements/${slug}`));
    assert.match(page, /Endorse for Justice Watch Vienna/);
    const res = await endorse(orgs.a.contact, slug, orgs.a);
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), `/statements/${slug}?done=endorsed#endorse-h`);
    const twice = await endorse(orgs.a.contact, slug, orgs.a);
    assert.equal(twice.status, 303);
    assert.equal(await endorsements(slug), 1);
    assert.equal(await audits('statement.endorse', slug), 1);
    const after = mainOf(await orgs.a.contact.html(`/statements/${slug}?done=endorsed`));
    assert.match(after, /Your organisation endorses this statement\./);
    assert.match(after, /Justice Watch Vienna endorses this statement\./);
    assert.match(after, /action="\/statements\/[^"]+\/withdraw"/);
    const pub = mainOf(await as.visitor.html(`/statements/${slug}`));
    assert.match(pub, /1 organisation endorses this statement\./);
    assert.match(pub, /<a href="\/members\/st-a">Justice Watch Vienna<\/a> · <span class="muted">Austria<\/span>/);
    const csv = await as.visitor.get(`/statements/${slug}/endorsements.csv`);
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get('content-type'), /^text\/csv; charset=utf-8/);
    assert.match(csv.headers.get('content-disposition'), new RegExp(`attachment; filename="${slug}-endorsements.csv"`));
    const bytes = Buffer.from(await csv.arrayBuffer());
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'the byte order mark spreadsheets read as UTF-8');
    assert.equal(bytes.subarray(3).toString('utf8'), `Organisation,Acronym,Country,Endorsed on\r\nJustice Watch Vienna,,Austria,${ymd(Date.now())}\r\n`);
    const fr = await as.visitor.get(`/statements/${slug}/endorsements.csv`, { cookie: 'lang=fr' });
    assert.match(Buffer.from(await fr.arrayBuffer()).toString('utf8'), /^\uFEFFOrganisation,Sigle,Pays,Soutenue le\r\n/);
    const json = await (await as.visitor.get(`/api/v1/statements/${slug}`)).json();
    assert.deepEqual(json.endorsers.map((e) => e.name), ['Justice Watch Vienna']);
    assert.doesNotMatch(JSON.stringify(json), /Contact of|@/, 'who endorsed is the secretariat\'s');
    const admin = mainOf(await as.admin.html(`/admin/statements/${slug}`));
    assert.match(admin, /Contact of Justice Watch Vienna/);
    // the organisation's page in the directory lists what it endorses
    const org = mainOf(await as.visitor.html('/members/st-a'));
    assert.match(org, /<h2 id="org-statements-h">Statements it endorses<\/h2>/);
    assert.match(org, new RegExp(`<a href="/statements/${slug}">Statement on Victims’ Rights</a>`));
    assert.doesNotMatch(mainOf(await as.visitor.html('/members/st-b')), /Statements it endorses/,
      'an organisation that endorses nothing has no such section');
  });

  test('a member in its grace period endorses too; a lapsed one, a plain member and another organisation\'s contact cannot', async () => {
    assert.equal((await endorse(orgs.b.contact, slug, orgs.b)).status, 303);
    const lapsedPage = mainOf(await orgs.lapsed.contact.html(`/statements/${slug}`));
    assert.doesNotMatch(lapsedPage, /Endorse for/);
    assert.match(lapsedPage, /The main contact of a member organisation endorses a statement for it/);
    assert.equal((await endorse(orgs.lapsed.contact, slug, orgs.lapsed)).status, 403);
    assert.equal((await endorse(as.plain, slug, orgs.lapsed)).status, 403);
    const res = await endorse(orgs.b.contact, slug, orgs.lapsed);
    assert.equal(res.status, 403);
    assert.match(await res.text(), /Only the main contact of a member organisation/);
    const visitor = await as.visitor.post(`/statements/${slug}/endorse`, { organisation: String(orgs.a.id) });
    assert.ok(visitor.status >= 400 && visitor.status < 500, `a visitor: ${visitor.status}`);
    const noOrg = await orgs.a.contact.post(`/statements/${slug}/endorse`,
      { csrf: formCsrf(await orgs.a.contact.html(`/statements/${slug}`)) });
    assert.equal(noOrg.status, 422);
    assert.equal(await endorsements(slug), 2);
  });

  test('the main contact takes the endorsement back while it is open', async () => {
    const res = await endorse(orgs.b.contact, slug, orgs.b, 'withdraw');
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), `/statements/${slug}?done=withdrawn#endorse-h`);
    assert.equal(await endorsements(slug), 1);
    assert.equal(await audits('statement.unendorse', slug), 1);
    assert.doesNotMatch(mainOf(await as.visitor.html(`/statements/${slug}`)), /Prison Reform Kenya/);
    assert.equal((await endorse(orgs.b.contact, slug, orgs.b)).status, 303);
  });

  test('the secretariat takes an endorsement off at the organisation\'s request', async () => {
    const page = await as.admin.html(`/admin/statements/${slug}`);
    const action = `/admin/statements/${slug}/endorsements/${orgs.b.id}/remove`;
    const res = await as.admin.post(action, { csrf: formCsrf(page, action) });
    assert.equal(res.status, 303);
    assert.equal(await endorsements(slug), 1);
    const again = await as.admin.post(action, { csrf: formCsrf(page, action) });
    assert.equal(again.status, 404);
  });

  test('closed by the secretariat, it takes no more endorsements and cannot be deleted', async () => {
    const page = await as.admin.html(`/admin/statements/${slug}`);
    const csrf = formCsrf(page, `/admin/statements/${slug}/close`);
    assert.equal((await as.admin.post(`/admin/statements/${slug}/close`, { csrf })).status, 303);
    assert.equal(await audits('statement.close', slug), 1);
    assert.equal((await as.admin.post(`/admin/statements/${slug}/close`, { csrf })).status, 409);
    const seen = await orgs.b.contact.html(`/statements/${slug}`);
    const pub = mainOf(seen);
    assert.match(pub, /<dd>Closed<\/dd>/);
    assert.doesNotMatch(pub, /Endorse for/);
    const late = await orgs.b.contact.post(`/statements/${slug}/endorse`,
      { csrf: formCsrf(seen), organisation: String(orgs.b.id) });
    assert.equal(late.status, 409);
    assert.equal((await as.admin.post(`/admin/statements/${slug}/delete`, { csrf })).status, 409);
    assert.equal(await endorsements(slug), 1);
  });

  test('the secretariat records an endorsement received by e-mail, found by a word of the name', async () => {
    const found = mainOf(await as.admin.html(`/admin/statements/${slug}?q=prison`));
    assert.match(found, /<span>Prison Reform Kenya · Kenya<\/span>/);
    const none = mainOf(await as.admin.html(`/admin/statements/${slug}?q=lapsed`));
    assert.match(none, /No member organisation in good standing with such a name/, 'a lapsed member is not offered');
    assert.doesNotMatch(mainOf(await as.admin.html(`/admin/statements/${slug}?q=justice`)), /<span>Justice Watch Vienna/,
      'one that endorses it already is not offered');
    const action = `/admin/statements/${slug}/endorsements`;
    const csrf = formCsrf(await as.admin.html(`/admin/statements/${slug}?q=prison`), action);
    const res = await as.admin.post(action, { csrf, organisation: String(orgs.b.id) });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), `/admin/statements/${slug}?done=recorded`);
    assert.equal(await endorsements(slug), 2);
    assert.match(mainOf(await as.admin.html(`/admin/statements/${slug}`)), /Sam Secretariat/);
    assert.equal((await as.admin.post(action, { csrf, organisation: String(orgs.b.id) })).status, 409);
    assert.equal((await as.admin.post(action, { csrf, organisation: String(orgs.lapsed.id) })).status, 409);
    assert.match(mainOf(await as.visitor.html(`/statements/${slug}`)), /2 organisations endorse this statement\./);
  });

  test('opened again, it tells nobody twice', async () => {
    const page = await as.admin.html(`/admin/statements/${slug}`);
    const csrf = formCsrf(page, `/admin/statements/${slug}/open`);
    const seen = (await mailsTo(srv.dataDir, orgs.b.email)).length;
    assert.equal((await as.admin.post(`/admin/statements/${slug}/open`, { csrf, notify: '1' })).status, 303);
    await waitFor(async () => Number(await sqlValue(srv.dataDir,
      "SELECT count(*) FROM jobs WHERE kind = 'statements.notify' AND status = 'done'")) === 2, 'the second run');
    assert.equal((await mailsTo(srv.dataDir, orgs.b.email)).length, seen);
    assert.equal((await as.admin.post(`/admin/statements/${slug}/close`, { csrf })).status, 303);
  });
});

describe('a statement closes at the end of its closing day', () => {
  test('past its day it reads closed and refuses an endorsement, with no job run', async () => {
    await sql(srv.dataDir, `INSERT INTO statements (slug, title, body_md, state, closes_on, created_at, updated_at)
      VALUES ('closing-day', 'Closing day', 'Text.', 'open', ${sqlText(ymd(Date.now()))}, 0, 0),
             ('closed-day', 'Closed day', 'Text.', 'open', ${sqlText(ymd(Date.now() - DAY))}, 0, 0)`);
    assert.match(mainOf(await orgs.a.contact.html('/statements/closing-day')), /Endorse for Justice Watch Vienna/);
    const page = await orgs.a.contact.html('/statements/closed-day');
    assert.match(mainOf(page), /<dd>Closed<\/dd>/);
    const res = await orgs.a.contact.post('/statements/closed-day/endorse', { csrf: formCsrf(page), organisation: String(orgs.a.id) });
    assert.equal(res.status, 409);
  });
});

describe('a draft goes', () => {
  test('the secretariat deletes a draft; nothing of it stays', async () => {
    await sql(srv.dataDir, `INSERT INTO statements (slug, title, created_at, updated_at) VALUES ('to-delete', 'To delete', 0, 0)`);
    const page = await as.admin.html('/admin/statements/to-delete');
    assert.doesNotMatch(mainOf(page), /Record an endorsement/, 'a draft takes no endorsement');
    assert.equal((await as.admin.post('/admin/statements/to-delete/endorsements',
      { csrf: formCsrf(page, '/admin/statements/to-delete/delete'), organisation: String(orgs.a.id) })).status, 409);
    const action = '/admin/statements/to-delete/delete';
    const res = await as.admin.post(action, { csrf: formCsrf(page, action) });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/admin/statements?done=deleted');
    assert.equal(Number(await sqlValue(srv.dataDir, "SELECT count(*) FROM statements WHERE slug = 'to-delete'")), 0);
    assert.equal(await audits('statement.delete', 'to-delete'), 1);
    assert.equal((await as.admin.get('/admin/statements/to-delete')).status, 404);
  });

  test('only the secretariat reaches the statements desk', async () => {
    for (const who of ['visitor', 'plain']) {
      const res = await as[who].get('/admin/statements');
      assert.ok([303, 401, 403, 404].includes(res.status), `${who}: ${res.status}`);
    }
    assert.match(mainOf(await as.admin.html('/admin/statements')), /Statements, drafts first/);
  });
});
