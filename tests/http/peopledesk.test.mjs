// peopledesk.test.mjs -- the secretariat's people desk (src/accounts/people.c
// with what src/organisations/people_roles.c says of people), issue 12:
//
// What is proved: the list shows each person's organisations and roles in
// words (main contact / representative of which organisation, linked to
// /admin/organisations/ID; the account's role and state); a person's page
// shows name, e-mail, account state, language, roles, organisations,
// invitation and history; an invitation sent again makes a new link and the
// old one stops working; a sign-in link arrives in the outbox and signs in;
// mail to one person is limited per address (429 on the page); the bulk
// invitation mails each imported person exactly once, in their language,
// and a second press mails nobody; visitors and members cannot use any of
// it; absent, empty and non-UTF-8 values are 4xx, never 500.
// People and organisations come in with `alliance import`, as a secretariat
// would bring them.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../lib/server.mjs';
import {
  Browser, PASSWORD, cli, formCsrf, hiddenFields, linkIn, mainOf, outbox, outboxDrained, personId,
  personWithRole, sql, sqlValue, tokenOf, unescapeHtml,
} from '../lib/accounts.mjs';

let srv;
let admin;
let member;
let tmp;

const ORGS = `Name,Acronym,Country,Website,Description,Contact Address,visibility
Penal Reform Watch,PRW,AT,https://prw.example.org,Prisons,Vienna,public
Justice Now,JN,US,http://jn.example.org,Plain,,hidden
`;
// Ana: main contact of one, representative of the other; Ben: a
// representative; Cleo, Dan, Eve: nobody's (Eve reads French).
const PEOPLE = `email,name,country,role,organisation,main_contact,un_post,un_rank
ana@prw.example.org,Ana Rep,AT,member,penal-reform-watch,yes,vienna,main
ben@prw.example.org,Ben Second,AT,member,penal-reform-watch,no,new-york,alternate
cleo@example.net,Cleo Imported,,member,,,,
dan@example.net,Dan Imported,,member,,,,
eve@example.fr,Eve Importée,FR,member,,,,
`;

/** The text of a page's <main>, tags out, spaces folded. */
const textOf = (html) => unescapeHtml(mainOf(html).replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ');

/** The messages in the outbox to address, once the outbox is drained. */
async function mailsTo(address) {
  await outboxDrained(srv.dataDir);
  return (await outbox(srv.dataDir)).filter((m) => m.to === address);
}

/** POSTs a button of the person page of id (action: invitation,
 * signin-link) as b with the page's CSRF token. */
async function press(b, id, action) {
  const page = await b.html(`/admin/people/${id}`);
  return b.post(`/admin/people/${id}/${action}`, { csrf: formCsrf(page, `/admin/people/${id}/${action}`) });
}

before(async () => {
  srv = await startServer();
  tmp = await mkdtemp(join(tmpdir(), 'alliance-peopledesk-'));
  await writeFile(join(tmp, 'orgs.csv'), ORGS);
  await writeFile(join(tmp, 'people.csv'), PEOPLE);
  await cli(srv.dataDir, ['import', 'organisations', join(tmp, 'orgs.csv')]);
  await cli(srv.dataDir, ['import', 'people', join(tmp, 'people.csv')]);
  await sql(srv.dataDir, `INSERT INTO representatives (organisation_id, person_id, main_contact)
    SELECT o.id, p.id, 0 FROM organisations o, people p
    WHERE o.slug = 'justice-now' AND p.email = 'ana@prw.example.org'`);
  await sql(srv.dataDir, "UPDATE people SET language = 'fr' WHERE email = 'eve@example.fr'");
  admin = (await personWithRole(srv, { role: 'admin', name: 'Ada Admin', password: null })).browser;
  member = (await personWithRole(srv, { role: 'member', password: null })).browser;
});

after(async () => {
  await srv?.stop();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('the list', () => {
  test('shows each person\'s organisations and roles in words, linked', async () => {
    const html = await admin.html('/admin/people?q=ana');
    const main = mainOf(html);
    const idOf = async (slug) => (await sql(srv.dataDir, `SELECT id FROM organisations WHERE slug = '${slug}'`))[0][0];
    assert.match(main, new RegExp(`<a href="/admin/organisations/${await idOf('penal-reform-watch')}">Main contact of Penal Reform Watch</a> \\(Vienna, main representative\\)`));
    assert.match(main, new RegExp(`<a href="/admin/organisations/${await idOf('justice-now')}">Representative of Justice Now</a>`));
    const text = textOf(html);
    assert.ok(text.includes('Never invited nor signed in'), text);
    assert.ok(text.includes('Member'), text);
    assert.ok(!/new-york|vienna \(|\bmain-contact\b/.test(text), `a code shows: ${text}`);
    const ben = textOf(await admin.html('/admin/people?q=ben'));
    assert.ok(ben.includes('Representative of Penal Reform Watch (New York, alternate representative)'), ben);
    const cleo = textOf(await admin.html('/admin/people?q=cleo'));
    assert.ok(cleo.includes('None'), cleo);
  });

  test('shows the account in words, and filters by it', async () => {
    const html = textOf(await admin.html('/admin/people?q=ada'));
    assert.ok(html.includes('Active'), html);
    assert.ok(html.includes('Last sign-in:'), html);
    const never = textOf(await admin.html('/admin/people?state=never'));
    assert.ok(never.includes('cleo@example.net') && !never.includes('ada'), never);
    assert.ok(never.includes('Invite imported people'), never);
  });

  test('a person\'s name opens their page', async () => {
    const id = await personId(srv.dataDir, 'ana@prw.example.org');
    const html = await admin.html('/admin/people?q=ana');
    assert.ok(mainOf(html).includes(`<a href="/admin/people/${id}">Ana Rep</a>`));
  });
});

describe('a person\'s page', () => {
  test('shows name, e-mail, account, language, roles, organisations and history', async () => {
    const id = await personId(srv.dataDir, 'ana@prw.example.org');
    const html = await admin.html(`/admin/people/${id}`);
    const text = textOf(html);
    for (const s of ['Ana Rep', 'ana@prw.example.org', 'Never invited nor signed in', 'Not chosen',
      'Main contact of Penal Reform Watch', 'Representative of Justice Now', 'Vienna, main representative',
      'Account created', 'by the system', 'Send an invitation', 'Send a sign-in link']) {
      assert.ok(text.includes(s), `no "${s}" in ${text}`);
    }
    const orgId = (await sql(srv.dataDir, "SELECT id FROM organisations WHERE slug = 'penal-reform-watch'"))[0][0];
    assert.ok(mainOf(html).includes(`href="/admin/organisations/${orgId}"`));
    const org = await admin.get(`/admin/organisations/${orgId}`);
    assert.equal(org.status, 200, 'the link leads to the organisation desk');
    await org.arrayBuffer();
    const eve = textOf(await admin.html(`/admin/people/${await personId(srv.dataDir, 'eve@example.fr')}`));
    assert.ok(eve.includes('Français'), eve);
  });

  test('the role set there comes back to the page, in its history in words', async () => {
    const id = await personId(srv.dataDir, 'eve@example.fr');
    const page = await admin.html(`/admin/people/${id}`);
    const res = await admin.post(`/admin/people/${id}/role`,
      { ...hiddenFields(page, `/admin/people/${id}/role`), role: 'editor' });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), `/admin/people/${id}?done=role`);
    const text = textOf(await admin.html(`/admin/people/${id}?done=role`));
    assert.ok(text.includes('The role has been saved.') && text.includes('Role changed (from Standard account to Editor)'), text);
    assert.ok(!/Account created \(from/.test(text), `another record took the role change's words: ${text}`);
    await admin.post(`/admin/people/${id}/role`, { ...hiddenFields(page, `/admin/people/${id}/role`), role: 'member' });
  });

  test('an unknown or malformed id is a 404', async () => {
    for (const path of ['/admin/people/999999', '/admin/people/0', '/admin/people/abc', '/admin/people/-1']) {
      const res = await admin.get(path);
      assert.equal(res.status, 404, path);
      await res.arrayBuffer();
    }
  });
});

describe('mail to one person', () => {
  test('an invitation sent again makes a new link; the old one stops working', async () => {
    const id = await personId(srv.dataDir, 'ben@prw.example.org');
    let res = await press(admin, id, 'invitation');
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), `/admin/people/${id}?done=invitation`);
    let mails = await mailsTo('ben@prw.example.org');
    assert.equal(mails.length, 1);
    const first = linkIn(mails[0], '/signin/link?token=');
    assert.match(mails[0].text, /7 days/);

    const page = textOf(await admin.html(`/admin/people/${id}?done=invitation`));
    assert.ok(page.includes('A new invitation is in the outbox'), page);
    assert.ok(page.includes('Invited, never signed in') && page.includes('Its link works until'), page);
    assert.ok(page.includes('Invitation sent') && page.includes('by Ada Admin'), page);

    res = await press(admin, id, 'invitation');
    assert.equal(res.status, 303);
    mails = await mailsTo('ben@prw.example.org');
    assert.equal(mails.length, 2);
    const second = linkIn(mails[1], '/signin/link?token=');
    assert.notEqual(tokenOf(first), tokenOf(second));

    const ben = new Browser(srv.url);
    res = await ben.get(first);
    assert.equal(res.status, 410, 'the replaced link still works');
    await res.arrayBuffer();
    res = await ben.submit(second, '/signin/link');
    assert.equal(res.status, 303);
    assert.equal((await ben.get('/account')).status, 200);
    const after = textOf(await admin.html(`/admin/people/${id}`));
    assert.ok(after.includes('Active') && !after.includes('Never, as far as we know'), after);
  });

  test('a sign-in link arrives in the outbox and signs in', async () => {
    const id = await personId(srv.dataDir, 'ana@prw.example.org');
    const res = await press(admin, id, 'signin-link');
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), `/admin/people/${id}?done=link`);
    const mails = await mailsTo('ana@prw.example.org');
    assert.equal(mails.length, 1);
    assert.equal(mails[0].msg.decoded.subject, 'Your sign-in link');
    const link = linkIn(mails[0], '/reset/confirm?token=');
    const ana = new Browser(srv.url);
    const r = await ana.submit(link, '/reset/confirm', { password: PASSWORD });
    assert.equal(r.status, 303);
    assert.equal((await ana.get('/account')).status, 200);
    const audit = await sqlValue(srv.dataDir,
      `SELECT count(*) FROM audit_log WHERE action = 'person.signin.sent' AND object_id = '${id}'`);
    assert.equal(Number(audit), 1);
  });

  test('a fourth message to one address within the hour is refused on the page (429)', async () => {
    const id = await personId(srv.dataDir, 'dan@example.net');
    for (let i = 0; i < 3; i++) assert.equal((await press(admin, id, 'signin-link')).status, 303);
    const res = await press(admin, id, 'signin-link');
    assert.equal(res.status, 429);
    assert.ok(res.headers.get('retry-after'));
    const text = textOf(await res.text());
    assert.ok(text.includes('Too many messages') && text.includes('Dan Imported'), text);
    assert.equal((await mailsTo('dan@example.net')).length, 3);
  });
});

describe('inviting imported people in bulk', () => {
  test('mails each person never invited nor signed in once, in their language; a second press none', async () => {
    const never = (await sql(srv.dataDir,
      'SELECT email FROM people WHERE invited_at IS NULL AND last_signin_at IS NULL AND password_hash IS NULL'))
      .map((row) => row[0]).sort();
    // Dan had sign-in links, not an invitation: he is still "never"; Ana
    // and Ben signed in; the first administrator (alliance init) never did
    for (const e of ['cleo@example.net', 'dan@example.net', 'eve@example.fr']) assert.ok(never.includes(e), e);
    for (const e of ['ana@prw.example.org', 'ben@prw.example.org']) assert.ok(!never.includes(e), e);
    const before = new Map();
    for (const e of never) before.set(e, (await mailsTo(e)).length);
    const page = await admin.html('/admin/people?state=never');
    assert.ok(textOf(page).includes(`Invite ${never.length} people`), textOf(page));
    let res = await admin.post('/admin/invitations', { csrf: formCsrf(page, '/admin/invitations') });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), `/admin/people?state=never&done=invited&sent=${never.length}`);
    const done = textOf(await admin.html(res.headers.get('location')));
    assert.ok(done.includes(`${never.length} invitations have been put in the outbox.`) &&
      done.includes('No one matches'), done);
    for (const e of never) {
      const mails = await mailsTo(e);
      assert.equal(mails.length, before.get(e) + 1, e);
      linkIn(mails.at(-1), '/signin/link?token=');
    }
    const eve = (await mailsTo('eve@example.fr')).at(-1);
    assert.match(eve.msg.decoded.subject, /invit/i);
    assert.notEqual(eve.msg.decoded.subject, 'You are invited to sign in', 'Eve reads French');

    res = await admin.post('/admin/invitations', { csrf: formCsrf(page, '/admin/invitations') });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/admin/people?state=never&done=invited&sent=0');
    for (const e of never) assert.equal((await mailsTo(e)).length, before.get(e) + 1, `${e} was mailed twice`);
    const audit = await sqlValue(srv.dataDir,
      "SELECT count(*) FROM audit_log WHERE action = 'person.invite' AND CAST(after_json AS TEXT) LIKE '%\"bulk\"%'");
    assert.equal(Number(audit), never.length);
  });
});

describe('who may use the desk', () => {
  const posts = (id) => [`/admin/people/${id}/invitation`, `/admin/people/${id}/signin-link`,
    '/admin/invitations', `/admin/people/${id}/role`];

  test('a visitor is sent to sign in, and cannot post (401)', async () => {
    const id = await personId(srv.dataDir, 'cleo@example.net');
    const visitor = new Browser(srv.url);
    const res = await visitor.get(`/admin/people/${id}`);
    assert.equal(res.status, 303);
    assert.equal(new URL(res.headers.get('location'), srv.url).pathname, '/signin');
    const token = formCsrf(await visitor.html('/signin'));
    for (const path of posts(id)) {
      const r = await visitor.post(path, { csrf: token, role: 'admin' });
      assert.equal(r.status, 401, path);
      await r.arrayBuffer();
    }
  });

  test('a member gets 403 on every page and action, and nothing is sent', async () => {
    const id = await personId(srv.dataDir, 'cleo@example.net');
    const count = (await mailsTo('cleo@example.net')).length;
    for (const path of ['/admin/people', `/admin/people/${id}`]) {
      const r = await member.get(path);
      assert.equal(r.status, 403, path);
      await r.arrayBuffer();
    }
    const token = formCsrf(await member.html('/account'));
    for (const path of posts(id)) {
      const r = await member.post(path, { csrf: token, role: 'admin' });
      assert.equal(r.status, 403, path);
      await r.arrayBuffer();
    }
    assert.equal((await mailsTo('cleo@example.net')).length, count);
  });

  test('without a CSRF token nothing is sent (403)', async () => {
    const id = await personId(srv.dataDir, 'cleo@example.net');
    for (const path of posts(id)) {
      const r = await admin.post(path, {});
      assert.equal(r.status, 403, path);
      await r.arrayBuffer();
    }
  });
});

describe('bad input', () => {
  test('absent, empty, unknown and non-UTF-8 values are 4xx, never 500', async () => {
    const id = await personId(srv.dataDir, 'cleo@example.net');
    for (const q of ['state=bogus', 'state=%FF', 'sent=abc', 'sent=-1', 'sent=99999', 'done=%FF', 'done=nope',
      'q=%FF%FE', 'role=owner']) {
      const res = await admin.get(`/admin/people?${q}`);
      assert.ok(res.status >= 400 && res.status < 500, `${q}: ${res.status}`);
      await res.arrayBuffer();
    }
    for (const q of ['done=nope', 'done=%FF', 'done=']) {
      const res = await admin.get(`/admin/people/${id}?${q}`);
      assert.ok(res.status < 500, `${q}: ${res.status}`);
      await res.arrayBuffer();
    }
    const page = await admin.html(`/admin/people/${id}`);
    const csrf = formCsrf(page, `/admin/people/${id}/invitation`);
    for (const path of ['/admin/people/999999/invitation', '/admin/people/abc/signin-link',
      '/admin/people/0/invitation']) {
      const res = await admin.post(path, { csrf });
      assert.equal(res.status, 404, path);
      await res.arrayBuffer();
    }
    for (const role of ['', 'owner', '\xff']) {
      const res = await admin.post(`/admin/people/${id}/role`, { csrf, role, back: 'person' });
      assert.equal(res.status, 422, `role=${role}`);
      await res.arrayBuffer();
    }
    const res = await admin.post(`/admin/people/${id}/role`, { csrf, role: 'member', back: 'nowhere' });
    assert.equal(res.status, 422);
    await res.arrayBuffer();
  });

  test('a disabled account gets no mail (409)', async () => {
    const id = await personId(srv.dataDir, 'cleo@example.net');
    await sql(srv.dataDir, `UPDATE people SET disabled_at = 1 WHERE id = ${id}`);
    try {
      const page = await admin.html(`/admin/people/${id}`);
      assert.ok(textOf(page).includes('This account is disabled'));
      const csrf = formCsrf(page, `/admin/people/${id}/role`);
      for (const action of ['invitation', 'signin-link']) {
        const res = await admin.post(`/admin/people/${id}/${action}`, { csrf });
        assert.equal(res.status, 409, action);
        await res.arrayBuffer();
      }
    } finally {
      await sql(srv.dataDir, `UPDATE people SET disabled_at = NULL WHERE id = ${id}`);
    }
  });
});
