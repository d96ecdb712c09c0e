// party_work.test.mjs -- a working party's work (issue 13; src/parties/
// resources.c, decisions.c; its meetings are the calendar's, in
// party_meetings.test.mjs): the chairs keep the resources (links, files,
// library items), each
// seen only by whom its visibility allows (HTML and JSON, the file's
// download too); decisions are the team's own: members vote agree,
// abstain, disagree or block with a reason and may change it until it
// closes, observers may not vote, nobody outside the team sees one;
// closing (at the time, or early) stores the count and refuses later
// votes (409); an archived party refuses every write (409).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { Browser, mainOf, sql, sqlValue, sqlText, personWithRole, personId, hiddenFields, unescapeHtml } from '../lib/accounts.mjs';

const PARTY = 'victims';
const OTHER = 'corruption';
let srv;
const as = {};
const ids = {};

/** Gives person a role in a party, as the team module would. */
const grant = (who, role, slug = PARTY) => sql(srv.dataDir,
  `INSERT INTO object_roles (person_id, object_type, object_id, role, granted_at)
   VALUES (${ids[who]}, 'party', ${sqlText(slug)}, ${sqlText(role)}, 0)`);

/** The CSRF token of a page's form posting to action. */
async function csrfOf(b, page, action) {
  const html = await b.html(page);
  const token = hiddenFields(html, action).csrf;
  assert.ok(token, `no form to ${action} on ${page}`);
  return token;
}

/** Posts a multipart form with a file, as a browser would. */
async function postFile(b, action, fields, file) {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.append(k, v);
  if (file) fd.append('file', new Blob([file.bytes], { type: file.type }), file.name);
  return b.keep(await fetch(`${srv.url}${action}`,
    { method: 'POST', redirect: 'manual', body: fd, headers: b.headers() }));
}

/** The browser's CSRF token, from any page's form (the header's sign-out). */
async function anyCsrf(b) {
  const html = await b.html('/account');
  const m = /name="csrf" value="([^"]+)"/.exec(html);
  assert.ok(m, 'no CSRF token on /account');
  return m[1];
}

const partyPage = (b, slug = PARTY) => b.get(`/working-parties/${slug}`);
const partyJson = async (b, slug = PARTY) => {
  const res = await b.get(`/api/v1/working-parties/${slug}`);
  assert.equal(res.status, 200);
  return res.json();
};

before(async () => {
  srv = await startServer();
  as.visitor = new Browser(srv.url);
  for (const [who, role] of [['chair', 'member'], ['m1', 'member'], ['m2', 'member'], ['m3', 'member'],
    ['observer', 'member'], ['outsider', 'member'], ['other', 'member'], ['admin', 'admin'], ['individual', 'member']]) {
    const p = await personWithRole(srv, { role, name: `Work ${who}`, password: null });
    as[who] = p.browser;
    ids[who] = await personId(srv.dataDir, p.email);
  }
  await grant('chair', 'chair');
  await grant('m1', 'member');
  await grant('m2', 'rapporteur');
  await grant('m3', 'expert');
  await grant('observer', 'observer');
  await grant('other', 'member', OTHER);
  // an individual member of the Alliance: reads what is for members, not the team's
  await sql(srv.dataDir, `INSERT INTO memberships (level_id, person_id, state, state_since,
    period_start, period_end, created_at) VALUES ((SELECT id FROM membership_levels
    WHERE slug = 'individual'), ${ids.individual}, 'active', '2026-01-01', '2026-01-01', '2099-12-31', 0)`);
});

after(() => srv?.stop());

// A party's meetings are the calendar's: tests/http/party_meetings.test.mjs.

test('resources: a link, a file (downloaded as sent), a library item; team-only ones stay with the team', async () => {
  const action = `/working-parties/${PARTY}/resources`;
  const csrf = await csrfOf(as.chair, `${action}/new`, action);
  let res = await as.chair.post(action, { csrf, kind: 'link', title: 'UNODC handbook',
    url: 'https://www.unodc.org/handbook', note: 'The basics', visibility: 'public' });
  assert.equal(res.status, 303, await res.text());
  res = await as.chair.post(action, { csrf, kind: 'link', title: 'No address', visibility: 'public' });
  assert.equal(res.status, 422);
  res = await as.chair.post(action, { csrf, kind: 'link', title: 'Bad', url: 'javascript:alert(1)', visibility: 'public' });
  assert.equal(res.status, 422);
  res = await as.chair.post(action, { csrf, kind: 'library', title: 'Victims charter',
    library_ref: 'LIB-2026-014', visibility: 'members' });
  assert.equal(res.status, 303);

  const bytes = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.from([0, 1, 2, 255, 254]), Buffer.from('\n%%EOF\n')]);
  res = await postFile(as.chair, action, { csrf, kind: 'file', title: 'Draft guidelines',
    note: 'For the team only', visibility: 'team' }, { bytes, type: 'application/pdf', name: 'guidelines.pdf' });
  assert.equal(res.status, 303, await res.text());
  // a file that is not what its name says, and a kind we do not keep
  res = await postFile(as.chair, action, { csrf, kind: 'file', title: 'Fake', visibility: 'public' },
    { bytes: Buffer.from('<html>'), type: 'application/pdf', name: 'fake.pdf' });
  assert.equal(res.status, 422);
  res = await postFile(as.chair, action, { csrf, kind: 'file', title: 'Script', visibility: 'public' },
    { bytes: Buffer.from('#!/bin/sh'), type: 'text/x-sh', name: 'run.sh' });
  assert.equal(res.status, 422);

  const [[fileId, fileType, fileSize]] = await sql(srv.dataDir, `SELECT id, content_type, size FROM party_resources WHERE kind = 'file'`);
  const file = { id: fileId, content_type: fileType, size: fileSize };
  assert.equal(file.content_type, 'application/pdf');
  assert.equal(Number(file.size), bytes.length);
  const href = `/working-parties/${PARTY}/resources/${file.id}/file`;
  const page = mainOf(await as.m1.html(`/working-parties/${PARTY}`));
  assert.ok(page.includes(`href="${href}"`), 'the team sees the file');
  assert.match(page, /Library item/);
  assert.match(page, /LIB-2026-014/);
  for (const b of [as.m1, as.chair, as.admin]) {
    const got = await b.get(href);
    assert.equal(got.status, 200);
    assert.match(got.headers.get('content-disposition'), /^attachment; filename="guidelines\.pdf"$/);
    assert.deepEqual(Buffer.from(await got.arrayBuffer()), bytes);
  }
  for (const b of [as.visitor, as.outsider, as.other]) {
    assert.equal((await b.get(href)).status, 404);
    const html = mainOf(await (await partyPage(b)).text());
    assert.match(html, /UNODC handbook/);
    assert.doesNotMatch(html, /Draft guidelines/);
    const json = JSON.stringify(await partyJson(b));
    assert.match(json, /UNODC handbook/);
    assert.doesNotMatch(json, /Draft guidelines|guidelines\.pdf|stored_path/);
  }
  // members-only: a member of the Alliance sees the library item, a visitor does not
  assert.doesNotMatch(mainOf(await as.visitor.html(`/working-parties/${PARTY}`)), /Victims charter/);
  const memberView = mainOf(await as.individual.html(`/working-parties/${PARTY}`));
  assert.match(memberView, /Victims charter/);
  assert.doesNotMatch(memberView, /Draft guidelines/);
  assert.equal((await as.individual.get(href)).status, 404);

  // deleting
  const link = { id: await sqlValue(srv.dataDir, `SELECT id FROM party_resources WHERE title = 'UNODC handbook'`) };
  // from the party's page itself, with the token its form carries
  const chairView = await as.chair.html(`/working-parties/${PARTY}`);
  const del = hiddenFields(chairView, `${action}/${link.id}/delete`);
  assert.ok(del.csrf, 'the delete form carries a CSRF token');
  res = await as.chair.post(`${action}/${link.id}/delete`, del);
  assert.equal(res.status, 303);
  assert.doesNotMatch(mainOf(await as.visitor.html(`/working-parties/${PARTY}`)), /UNODC handbook/);
  assert.equal((await as.m1.post(`${action}/${file.id}/delete`, { csrf: await anyCsrf(as.m1) })).status, 403);

  // the party's files a day are counted: past the limit, 429 and nothing kept
  await sql(srv.dataDir, `UPDATE rate_limits SET count = 50 WHERE key = 'party-file:addr:${PARTY}'`);
  const before = await sqlValue(srv.dataDir, 'SELECT count(*) FROM party_resources');
  res = await postFile(as.chair, action, { csrf, kind: 'file', title: 'One too many', visibility: 'public' },
    { bytes: Buffer.from('Plain notes\n'), type: 'text/plain', name: 'notes.txt' });
  assert.equal(res.status, 429);
  assert.ok(res.headers.get('retry-after'));
  assert.match(await res.text(), /Too many documents/);
  assert.equal(await sqlValue(srv.dataDir, 'SELECT count(*) FROM party_resources'), before);
});

test('decisions: the team votes, changes a vote, observers may not vote, outsiders never see one', async () => {
  const action = `/working-parties/${PARTY}/decisions`;
  const csrf = await csrfOf(as.chair, `${action}/new`, action);
  let res = await as.chair.post(action, { csrf, title: 'Adopt the guidelines', body: 'As drafted.',
    closes_at: '2001-01-01T10:00' });
  assert.equal(res.status, 422, 'a closing time in the past');
  res = await as.chair.post(action, { csrf, title: 'Adopt the guidelines', body: 'As *drafted*.',
    closes_at: '2099-01-01T10:00' });
  assert.equal(res.status, 303, await res.text());
  const path = res.headers.get('location');
  assert.match(path, new RegExp(`^/working-parties/${PARTY}/decisions/\\d+$`));
  const id = Number(path.split('/').pop());

  const vote = async (who, position, reason = '') => {
    const page = await as[who].html(path);
    return as[who].post(`${path}/vote`, { ...hiddenFields(page, `${path}/vote`), position, reason });
  };
  assert.equal((await vote('m1', 'agree', 'Good work')).status, 303);
  assert.equal((await vote('m2', 'disagree', 'Too early')).status, 303);
  assert.equal((await vote('m3', 'abstain')).status, 303);
  assert.equal((await vote('m2', 'block', 'Missing the victims’ view')).status, 303, 'a vote changed');
  assert.equal(Number(await sqlValue(srv.dataDir, `SELECT count(*) AS n FROM party_votes WHERE decision_id = ${id}`)), 3);
  const page = await as.m1.html(path);
  assert.match(mainOf(page), /Missing the victims’ view/);
  assert.match(mainOf(page), /blocks this proposal/);
  assert.match(mainOf(page), /Work m2<\/strong>: Block/);
  // the observer reads it but may not vote; the secretariat outside the team neither
  const obs = await as.observer.html(path);
  assert.doesNotMatch(obs, /action="[^"]*\/vote"/);
  assert.equal((await as.observer.post(`${path}/vote`, { csrf: await anyCsrf(as.observer), position: 'agree' })).status, 403);
  const adminPage = await as.admin.html(path);
  assert.equal((await as.admin.post(`${path}/vote`, { csrf: await anyCsrf(as.admin), position: 'agree' })).status, 403);
  // a bad position is the form again
  assert.equal((await vote('m1', 'maybe')).status, 422);

  // nobody outside the team sees it: the page, the party page, the API
  for (const b of [as.outsider, as.other]) {
    assert.equal((await b.get(path)).status, 404);
    assert.equal((await b.get(`/api/v1${path}`)).status, 404);
  }
  assert.notEqual((await as.visitor.get(path)).status, 200);
  for (const b of [as.visitor, as.outsider, as.other]) {
    assert.doesNotMatch(await (await partyPage(b)).text(), /Adopt the guidelines/);
    assert.doesNotMatch(JSON.stringify(await partyJson(b)), /Adopt the guidelines|decisions/);
  }
  const search = await as.m1.get(`/search?q=${encodeURIComponent('guidelines')}`);
  if (search.status === 200) assert.doesNotMatch(mainOf(await search.text()), /Adopt the guidelines/);
  // the team's JSON has the votes and the count
  const api = await (await as.m1.get(`/api/v1${path}`)).json();
  assert.deepEqual(api.counts.map((c) => [c.position, c.n]), [['agree', 1], ['abstain', 1], ['disagree', 0], ['block', 1]]);
  assert.equal(api.votes.length, 3);
  assert.ok(JSON.stringify(await partyJson(as.m1)).includes('Adopt the guidelines'));

  // the time passes: nobody may vote any more, even before the job runs
  await sql(srv.dataDir, `UPDATE party_decisions SET closes_at = 1000 WHERE id = ${id}`);
  const closedPage = await as.m1.html(path);
  assert.doesNotMatch(closedPage, /action="[^"]*\/vote"/);
  assert.equal((await as.m1.post(`${path}/vote`, { csrf: hiddenFields(page, `${path}/vote`).csrf, position: 'disagree' })).status, 409);
  // the chair writes the outcome: the decision is closed with its count
  const chairPage = await as.chair.html(path);
  res = await as.chair.post(`${path}/outcome`, { ...hiddenFields(chairPage, `${path}/outcome`), outcome: 'Not adopted: blocked.' });
  assert.equal(res.status, 303, await res.text());
  const [row] = await sql(srv.dataDir, `SELECT state, agree, abstain, disagree, block, outcome, closed_at FROM party_decisions WHERE id = ${id}`);
  assert.deepEqual(row, ['closed', '1', '1', '0', '1', 'Not adopted: blocked.', '1000']);
  assert.match(mainOf(await as.m3.html(path)), /Not adopted: blocked\./);
});

test('a chair closes a decision early: the count is kept and later votes are refused', async () => {
  const action = `/working-parties/${PARTY}/decisions`;
  const csrf = await csrfOf(as.chair, `${action}/new`, action);
  const res = await as.chair.post(action, { csrf, title: 'Meet in Vienna', closes_at: '2099-06-01T12:00' });
  assert.equal(res.status, 303);
  const path = res.headers.get('location');
  const id = Number(path.split('/').pop());
  for (const who of ['m1', 'm2']) {
    const page = await as[who].html(path);
    assert.equal((await as[who].post(`${path}/vote`, { ...hiddenFields(page, `${path}/vote`), position: 'agree' })).status, 303);
  }
  // only a chair closes it
  const m1page = await as.m1.html(path);
  assert.equal((await as.m1.post(`${path}/close`, { csrf: await anyCsrf(as.m1) })).status, 403);
  const page = await as.chair.html(path);
  assert.equal((await as.chair.post(`${path}/close`, hiddenFields(page, `${path}/close`))).status, 303);
  const [row] = await sql(srv.dataDir, `SELECT state, agree, abstain, disagree, block FROM party_decisions WHERE id = ${id}`);
  assert.deepEqual(row, ['closed', '2', '0', '0', '0']);
  assert.equal((await as.m3.post(`${path}/vote`, { csrf: await anyCsrf(as.m3), position: 'block' })).status, 409);
  assert.equal((await as.chair.post(`${path}/close`, hiddenFields(page, `${path}/close`))).status, 409);
  assert.match(mainOf(await as.m1.html(path)), /Result/);
});

test('an archived party refuses every write with 409', async () => {
  const slug = 'border-crime-technology';
  await sql(srv.dataDir, `INSERT INTO object_roles (person_id, object_type, object_id, role, granted_at)
    VALUES (${ids.chair}, 'party', ${sqlText(slug)}, 'chair', 0), (${ids.m1}, 'party', ${sqlText(slug)}, 'member', 0)`);
  const partyId = await sqlValue(srv.dataDir, `SELECT id FROM parties WHERE slug = ${sqlText(slug)}`);
  await sql(srv.dataDir, `INSERT INTO party_resources (party_id, kind, title, url, created_at) VALUES (${partyId}, 'link', 'Old link', 'https://example.org/', 0);
    INSERT INTO party_decisions (party_id, title, closes_at, created_at) VALUES (${partyId}, 'Old proposal', 4000000000, 0)`);
  await sql(srv.dataDir, `UPDATE parties SET state = 'archived' WHERE slug = ${sqlText(slug)}`);
  const r = { id: await sqlValue(srv.dataDir, `SELECT id FROM party_resources WHERE title = 'Old link'`) };
  const d = { id: await sqlValue(srv.dataDir, `SELECT id FROM party_decisions WHERE title = 'Old proposal'`) };
  const base = `/working-parties/${slug}`;
  const writes = [
    [as.chair, `${base}/resources`, { kind: 'link', title: 'x', url: 'https://example.org/', visibility: 'public' }],
    [as.chair, `${base}/resources/${r.id}/delete`, {}],
    [as.chair, `${base}/decisions`, { title: 'x', closes_at: '2099-01-01T10:00' }],
    [as.m1, `${base}/decisions/${d.id}/vote`, { position: 'agree' }],
    [as.chair, `${base}/decisions/${d.id}/close`, {}],
    [as.chair, `${base}/decisions/${d.id}/outcome`, { outcome: 'x' }],
  ];
  for (const [b, path, fields] of writes) {
    const res = await b.post(path, { csrf: await anyCsrf(b), ...fields });
    assert.equal(res.status, 409, `POST ${path}: ${res.status}`);
  }
  // the pages are still read
  const html = mainOf(await as.m1.html(base));
  assert.match(html, /Old link/);
  assert.match(html, /Old proposal/);
  assert.doesNotMatch(html, /Add a meeting|Add a resource|Put a proposal/);
  assert.equal(Number(await sqlValue(srv.dataDir, `SELECT count(*) AS n FROM party_votes WHERE decision_id = ${d.id}`)), 0);
});

test('the recurring job closes a decision whose time has come, with its count', async () => {
  const partyId = await sqlValue(srv.dataDir, `SELECT id FROM parties WHERE slug = ${sqlText(PARTY)}`);
  await sql(srv.dataDir, `INSERT INTO party_decisions (party_id, title, closes_at, created_at)
    VALUES (${partyId}, 'Due by now', 2000, 0)`);
  const id = await sqlValue(srv.dataDir, `SELECT id FROM party_decisions WHERE title = 'Due by now'`);
  await sql(srv.dataDir, `INSERT INTO party_votes (decision_id, person_id, position, voted_at)
    VALUES (${id}, ${ids.m1}, 'disagree', 1500), (${id}, ${ids.m2}, 'agree', 1500), (${id}, ${ids.m3}, 'disagree', 1500)`);
  // the job is queued once the server starts; make its run due now
  await sql(srv.dataDir, `UPDATE jobs SET run_at = 0 WHERE kind = 'parties.decisions.close' AND status = 'queued'`);
  let row;
  for (let i = 0; i < 300; i++) {
    [row] = await sql(srv.dataDir, `SELECT state, agree, abstain, disagree, block, closed_at FROM party_decisions WHERE id = ${id}`);
    if (row[0] === 'closed') break;
    await new Promise((ok) => setTimeout(ok, 200));
  }
  assert.deepEqual(row, ['closed', '1', '0', '2', '0', '2000']);
  assert.equal(await sqlValue(srv.dataDir, `SELECT count(*) FROM audit_log WHERE action = 'party.decision.close'
    AND object_id = ${sqlText(`${PARTY}:decision:${id}`)}`), '1');
});

test('long lists: the page shows the latest, the full lists page through the rest as the viewer may see them', async () => {
  const slug = 'religion-violent-extremism';
  const partyId = await sqlValue(srv.dataDir, `SELECT id FROM parties WHERE slug = ${sqlText(slug)}`);
  await sql(srv.dataDir, `INSERT INTO object_roles (person_id, object_type, object_id, role, granted_at)
    VALUES (${ids.m1}, 'party', ${sqlText(slug)}, 'member', 0)`);
  const values = (n, f) => Array.from({ length: n }, (_, i) => f(i + 1)).join(', ');
  await sql(srv.dataDir, `INSERT INTO party_resources (party_id, kind, title, url, visibility, created_at) VALUES
    ${values(60, (i) => `(${partyId}, 'link', 'Link no. ${i}', 'https://example.org/${i}', 'public', ${i})`)},
    (${partyId}, 'link', 'Secret link', 'https://example.org/secret', 'team', 0);
    INSERT INTO party_decisions (party_id, title, closes_at, created_at) VALUES
    ${values(30, (i) => `(${partyId}, 'Proposal no. ${i}', ${4000000000 + i}, 0)`)}`);
  const base = `/working-parties/${slug}`;
  const page = mainOf(await as.visitor.html(base));
  assert.equal((page.match(/Link no\. \d+/g) ?? []).length, 20);
  assert.ok(page.includes(`href="${base}/resources"`), 'a link to all resources');
  assert.doesNotMatch(page, /Proposal no\.|\/decisions"/);

  const titles = (html, re) => (mainOf(html).match(re) ?? []);
  // the visitor: 60 links, 50 then 10
  assert.equal(titles(await as.visitor.html(`${base}/resources`), /Link no\. \d+/g).length, 50);
  const r2 = await as.visitor.html(`${base}/resources?page=2`);
  assert.equal(titles(r2, /Link no\. \d+/g).length, 10);
  assert.doesNotMatch(r2, /Secret link/);
  assert.match(await as.m1.html(`${base}/resources?page=2`), /Secret link/);
  const json = await (await as.visitor.get(`/api/v1${base}/resources?page=2`)).json();
  assert.equal(json.items.length, 10);
  // decisions: the team pages through them; nobody else
  const team = mainOf(await as.m1.html(base));
  assert.equal((team.match(/Proposal no\. \d+/g) ?? []).length, 10);
  assert.ok(team.includes(`href="${base}/decisions"`));
  assert.equal(titles(await as.m1.html(`${base}/decisions`), /Proposal no\. \d+/g).length, 25);
  assert.equal(titles(await as.m1.html(`${base}/decisions?page=2`), /Proposal no\. \d+/g).length, 5);
  for (const b of [as.outsider, as.other]) {
    assert.equal((await b.get(`${base}/decisions`)).status, 404);
    assert.equal((await b.get(`/api/v1${base}/decisions`)).status, 404);
  }
  assert.notEqual((await as.visitor.get(`${base}/decisions`)).status, 200);
});
