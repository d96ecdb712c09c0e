// manage.test.mjs -- an organisation's main contact manages it (issue 4):
// /members/:slug/edit and /members/:slug/representatives with its POSTs.
//
// Organisations, memberships and representatives are written straight into
// the database with the sqlite3 command, as directory.test.mjs does; the
// main contact's right to manage comes from the object role that migration
// 0013's triggers keep in step with representatives.main_contact, so these
// tests also prove the triggers.  What is proved: who may (main contact and
// admins; other representatives and members 403; visitors sent to sign in),
// the edit reaching the directory (name, search key, focal areas,
// Markdown), hiding from visitors everywhere, UN status for admins only,
// bad input re-shown with nothing written, invitations through the outbox
// to a set-up account, UN posts with one main per post, removal (never the
// last main contact), hand-over, CSRF, and the audit records.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import {
  Browser, mainOf, personWithRole, personId, sql, sqlValue, sqlText, mailsTo,
  nextMail, linkIn, formCsrf, hiddenFields, uniqueEmail, outboxDrained, PASSWORD,
  unescapeHtml,
} from '../lib/accounts.mjs';

let srv;
let admin;
before(async () => {
  srv = await startServer();
  admin = await personWithRole(srv, { role: 'admin', name: 'Sue Secretariat' });
});
after(async () => { if (srv) await srv.stop(); });

let orgs = 0;
/**
 * An organisation (associate, active, public) with a main contact and one
 * other representative, both signed-in members.  Resolves to {slug, id,
 * name, main, other} (main and other as personWithRole gives them, with
 * their id).
 */
async function organisation({ visibility = 'public' } = {}) {
  orgs += 1;
  const slug = `manage-org-${process.pid}-${orgs}`;
  const name = `Manage NGO ${orgs}`;
  const rows = await sql(srv.dataDir, `
    INSERT INTO organisations (slug, name, name_key, acronym, country, description_md, visibility, created_at)
    VALUES (${sqlText(slug)}, ${sqlText(name)}, ${sqlText(name.toLowerCase())}, 'MNGO', 'AT', 'Before.', ${sqlText(visibility)}, 0);
    INSERT INTO memberships (level_id, organisation_id, state, state_since, period_start, period_end, created_at)
    VALUES ((SELECT id FROM membership_levels WHERE slug = 'associate'),
      (SELECT id FROM organisations WHERE slug = ${sqlText(slug)}), 'active',
      '2026-01-01', '2026-01-01', '2099-12-31', 0);
    SELECT id FROM organisations WHERE slug = ${sqlText(slug)};`);
  const id = Number(rows[0][0]);
  const main = await personWithRole(srv, { role: 'member', name: `Mia Main ${orgs}` });
  const other = await personWithRole(srv, { role: 'member', name: `Otto Other ${orgs}` });
  main.id = await personId(srv.dataDir, main.email);
  other.id = await personId(srv.dataDir, other.email);
  await sql(srv.dataDir, `INSERT INTO representatives (organisation_id, person_id, main_contact) VALUES
    (${id}, ${main.id}, 1), (${id}, ${other.id}, 0)`);
  return { slug, id, name, main, other };
}

/** Every field of the edit form, as the form sends it, with changes. */
function editFields(o, changes = {}) {
  return {
    name: o.name, acronym: 'MNGO', country: 'AT', website: '', description: 'Before.',
    contact_address: '', visibility: 'public', ...changes,
  };
}

/** POSTs the edit form of o as browser b (csrf from the form). */
async function postEdit(b, o, changes = {}, extra = []) {
  const page = await b.html(`/members/${o.slug}/edit`);
  const fields = Object.entries({ ...hiddenFields(page, `/members/${o.slug}/edit`), ...editFields(o, changes) });
  return b.post(`/members/${o.slug}/edit`, [...fields, ...extra]);
}

const auditCount = (action, id) => sqlValue(srv.dataDir,
  `SELECT count(*) FROM audit_log WHERE action = ${sqlText(action)} AND object_type = 'organisation' AND object_id = '${id}'`);
/** The newest audit record of action on organisation id: {before, after,
 * actor}, each column read alone (sqlite3 splits columns on '|'). */
const lastAudit = async (action, id) => {
  const rec = await sqlValue(srv.dataDir, `SELECT max(id) FROM audit_log WHERE action = ${sqlText(action)}
    AND object_type = 'organisation' AND object_id = '${id}'`);
  assert.ok(rec, `no audit record ${action} for organisation ${id}`);
  const col = (c) => sqlValue(srv.dataDir, `SELECT ${c} FROM audit_log WHERE id = ${rec}`);
  const json = (v) => (v === null || v === '' ? null : JSON.parse(v));
  return { before: json(await col('before_json')), after: json(await col('after_json')), actor: Number(await col('actor')) };
};
const repsPath = (o) => `/members/${o.slug}/representatives`;

describe('who may manage an organisation', () => {
  test('a visitor is sent to sign in, and may not post', async () => {
    const o = await organisation();
    const v = new Browser(srv.url);
    for (const path of [`/members/${o.slug}/edit`, repsPath(o)]) {
      const res = await v.get(path);
      assert.equal(res.status, 303, path);
      assert.equal(res.headers.get('location'), `/signin?next=${encodeURIComponent(path)}`);
    }
    await v.html('/signup'); // a csrf cookie, so the refusal is the role's
    const csrf = formCsrf(await v.html('/signup'));
    const res = await v.post(`/members/${o.slug}/edit`, { csrf, ...editFields(o, { name: 'Hacked' }) });
    assert.equal(res.status, 401);
    assert.equal(await sqlValue(srv.dataDir, `SELECT name FROM organisations WHERE id = ${o.id}`), o.name);
  });

  test('a representative who is not the main contact, and another member, get 403 and no links', async () => {
    const o = await organisation();
    const stranger = await personWithRole(srv, { role: 'member', name: 'Stan Stranger' });
    for (const who of [o.other, stranger]) {
      for (const path of [`/members/${o.slug}/edit`, repsPath(o)]) {
        const res = await who.browser.get(path);
        assert.equal(res.status, 403, `${who.name} ${path}`);
      }
      const csrf = formCsrf(await who.browser.html('/account'));
      const posts = [
        [`/members/${o.slug}/edit`, { csrf, ...editFields(o, { name: 'Hacked' }) }],
        [repsPath(o), { csrf, name: 'Eve', email: uniqueEmail('eve') }],
        [`${repsPath(o)}/${who === o.other ? o.other.id : o.main.id}/main-contact`, { csrf }],
        [`${repsPath(o)}/${o.main.id}/remove`, { csrf }],
        [`${repsPath(o)}/${o.main.id}/post`, { csrf, un_post: 'vienna', un_rank: 'main' }],
      ];
      for (const [path, fields] of posts) {
        const res = await who.browser.post(path, fields);
        assert.equal(res.status, 403, `${who.name} POST ${path}`);
        assert.doesNotMatch(await res.text(), /did not come from this site/);
      }
      const page = mainOf(await who.browser.html(`/members/${o.slug}`));
      assert.doesNotMatch(page, /Edit organisation/);
      assert.doesNotMatch(page, new RegExp(`href="/members/${o.slug}/representatives"`));
    }
    assert.equal(await sqlValue(srv.dataDir, `SELECT name FROM organisations WHERE id = ${o.id}`), o.name);
    assert.equal(await sqlValue(srv.dataDir, `SELECT count(*) FROM representatives WHERE organisation_id = ${o.id}`), '2');
    assert.equal(await sqlValue(srv.dataDir, `SELECT person_id FROM representatives WHERE organisation_id = ${o.id} AND main_contact = 1`), String(o.main.id));
  });

  test('the main contact and administrators see the links and the pages', async () => {
    const o = await organisation();
    for (const who of [o.main, admin]) {
      const page = mainOf(await who.browser.html(`/members/${o.slug}`));
      assert.match(page, new RegExp(`href="/members/${o.slug}/edit">Edit organisation`));
      assert.match(page, new RegExp(`href="/members/${o.slug}/representatives">Representatives`));
      assert.match(mainOf(await who.browser.html(`/members/${o.slug}/edit`)), new RegExp(`Edit ${o.name}`));
      assert.match(mainOf(await who.browser.html(repsPath(o))), new RegExp(o.other.name));
    }
    // a visitor's page has no links either
    assert.doesNotMatch(mainOf(await new Browser(srv.url).html(`/members/${o.slug}`)), /Edit organisation/);
  });

  test('the pages of an organisation without a membership link no page that answers 404', async () => {
    const o = await organisation();
    const own = (html) => [...mainOf(html).matchAll(new RegExp(`href="/members/${o.slug}"`, 'g'))].length;
    assert.ok(own(await admin.browser.html(`/members/${o.slug}/edit`)) > 0, 'listed: its page is linked');
    // imported without a membership: not listed, its page answers 404
    await sql(srv.dataDir, `DELETE FROM memberships WHERE organisation_id = ${o.id}`);
    assert.equal((await admin.browser.get(`/members/${o.slug}`)).status, 404);
    for (const path of [`/members/${o.slug}/edit`, repsPath(o), `/members/${o.slug}/edit?saved=1`]) {
      const html = await admin.browser.html(path);
      assert.equal(own(html), 0, `${path} links the organisation's page`);
      assert.match(mainOf(html), new RegExp(o.name));
    }
  });

  test('an administrator gets 404 for an organisation that does not exist', async () => {
    const res = await admin.browser.get('/members/no-such-organisation/edit');
    assert.equal(res.status, 404);
  });
});

describe('editing the organisation', () => {
  test('the main contact edits it and the directory shows the change; the slug stays; audited', async () => {
    const o = await organisation();
    const res = await postEdit(o.main.browser, o, {
      name: 'Ärzte gegen Gewalt', acronym: 'AGG', country: 'DE', website: 'https://agg.example.org',
      description: 'We work on *violence prevention*.', contact_address: 'Strasse 1\nBerlin',
    }, [['focal', 'femicide'], ['focal', 'victims-rights']]);
    assert.equal(res.status, 303, await res.text());
    assert.equal(res.headers.get('location'), `/members/${o.slug}/edit?saved=1`);
    assert.match(mainOf(await o.main.browser.html(`/members/${o.slug}/edit?saved=1`)), /details are saved/);

    const visitor = new Browser(srv.url);
    const org = (await (await visitor.get(`/api/v1/members/${o.slug}`)).json()).organisation;
    assert.equal(org.name, 'Ärzte gegen Gewalt');
    assert.equal(org.acronym, 'AGG');
    assert.equal(org.country, 'DE');
    assert.equal(org.website, 'https://agg.example.org');
    assert.match(org.description_html, /<em>violence prevention<\/em>/);
    assert.deepEqual(org.focal_areas.map((f) => f.slug).sort(), ['femicide', 'victims-rights']);
    assert.equal(org.slug, o.slug);
    // the search key follows the name (accents and case folded)
    assert.equal(await sqlValue(srv.dataDir, `SELECT name_key FROM organisations WHERE id = ${o.id}`), 'arzte gegen gewalt');
    const found = await (await visitor.get('/api/v1/members?q=arzte')).json();
    assert.ok(found.organisations.some((x) => x.slug === o.slug), 'not found by its new name');

    const a = await lastAudit('organisation.edit', o.id);
    assert.equal(a.actor, o.main.id);
    assert.equal(a.before.name, o.name);
    assert.equal(a.after.name, 'Ärzte gegen Gewalt');
    assert.equal(a.before.focal_areas, '');
    assert.equal(a.after.focal_areas, 'femicide,victims-rights');
    assert.ok(!('visibility' in a.after), 'unchanged fields are not in the record');
  });

  test('hidden: a visitor no longer sees it at /members, /members/:slug nor /api/v1/members; its contact still does', async () => {
    const o = await organisation();
    const visitor = new Browser(srv.url);
    // seen first (and so in the page cache), then hidden
    assert.match(await visitor.html('/members'), new RegExp(o.name));
    const form = mainOf(await o.main.browser.html(`/members/${o.slug}/edit`));
    assert.match(form, /Hidden/);
    assert.match(form, /only its own representatives and the secretariat see it/);
    const res = await postEdit(o.main.browser, o, { visibility: 'hidden' });
    assert.equal(res.status, 303);
    assert.doesNotMatch(await visitor.html('/members'), new RegExp(o.name));
    assert.equal((await visitor.get(`/members/${o.slug}`)).status, 404);
    assert.equal((await visitor.get(`/api/v1/members/${o.slug}`)).status, 404);
    const list = await (await visitor.get('/api/v1/members?q=manage')).json();
    assert.ok(!list.organisations.some((x) => x.slug === o.slug), 'still in /api/v1/members');
    // nor a member who does not represent it
    const stranger = await personWithRole(srv, { role: 'member', name: 'Sid Stranger' });
    assert.equal((await stranger.browser.get(`/members/${o.slug}`)).status, 404);
    assert.match(mainOf(await o.main.browser.html(`/members/${o.slug}`)), /Hidden: shown only to its representatives/);
    assert.equal((await lastAudit('organisation.edit', o.id)).after.visibility, 'hidden');
  });

  test('UN status: the main contact sees it but cannot change it; an administrator can', async () => {
    const o = await organisation();
    const form = mainOf(await o.main.browser.html(`/members/${o.slug}/edit`));
    assert.doesNotMatch(form, /name="ecosoc_status"/);
    assert.match(form, /secretariat verifies UN status/);
    const res = await postEdit(o.main.browser, o, { acronym: 'X1', ecosoc_status: 'general', ecosoc_year: '2001', dgc_associated: '1', dgc_year: '2002' });
    assert.equal(res.status, 303);
    assert.equal(await sqlValue(srv.dataDir, `SELECT acronym || ' ' || coalesce(ecosoc_status, '-') || ' ' || dgc_associated FROM organisations WHERE id = ${o.id}`), 'X1 - 0');

    assert.match(mainOf(await admin.browser.html(`/members/${o.slug}/edit`)), /name="ecosoc_status"/);
    const bad = await postEdit(admin.browser, o, { ecosoc_year: '2004' });
    assert.equal(bad.status, 422);
    assert.match(mainOf(await bad.text()), /choose the status too/);
    const ok = await postEdit(admin.browser, o, { ecosoc_status: 'special', ecosoc_year: '2004', dgc_associated: '1', dgc_year: '2010' });
    assert.equal(ok.status, 303);
    const org = (await (await new Browser(srv.url).get(`/api/v1/members/${o.slug}`)).json()).organisation;
    assert.equal(org.un_status_text, 'ECOSOC special (2004); DGC associated (2010)');
    assert.match(mainOf(await o.main.browser.html(`/members/${o.slug}/edit`)), /ECOSOC special \(2004\); DGC associated \(2010\)/);
  });

  test('bad input: 422, the form again with what was typed and the messages, nothing written', async () => {
    const o = await organisation();
    const before = await sqlValue(srv.dataDir, `SELECT name || '|' || country || '|' || description_md FROM organisations WHERE id = ${o.id}`);
    const audits = await auditCount('organisation.edit', o.id);
    const res = await postEdit(o.main.browser, o, { name: '', country: 'XX', website: 'not a url', description: 'Kept <as> typed', visibility: 'secret' },
      [['focal', 'no-such-area']]);
    assert.equal(res.status, 422);
    const page = mainOf(await res.text());
    assert.match(page, /Please correct the following/);
    for (const field of ['name', 'country', 'website', 'visibility', 'focal']) {
      assert.match(page, new RegExp(`href="#${field}"`), `no message for ${field}`);
    }
    assert.match(page, /Kept &lt;as&gt; typed<\/textarea>/);
    assert.match(page, /value="not a url"/);
    assert.doesNotMatch(page, /<option value="[A-Z]{2}" selected>/, 'an unknown country selects none');
    assert.equal(await sqlValue(srv.dataDir, `SELECT name || '|' || country || '|' || description_md FROM organisations WHERE id = ${o.id}`), before);
    assert.equal(await auditCount('organisation.edit', o.id), audits);
  });

  test('the country is a list of names: the stored one chosen, a chosen one kept after errors', async () => {
    const o = await organisation();
    const form = mainOf(await o.main.browser.html(`/members/${o.slug}/edit`));
    assert.match(form, /<select id="country" name="country" required autocomplete="off">\n<option value="">Choose a country<\/option>/);
    assert.match(form, /<option value="AT" selected>Austria<\/option>/);
    assert.match(form, /<option value="KE">Kenya<\/option>/);
    assert.doesNotMatch(form, /two-letter code/);
    const res = await postEdit(o.main.browser, o, { name: '', country: 'KE' });
    assert.equal(res.status, 422);
    const page = mainOf(await res.text());
    assert.match(page, /<option value="KE" selected>Kenya<\/option>/);
    assert.equal((page.match(/<option value="[A-Z]{2}" selected>/g) ?? []).length, 1);
  });

  test('a name another organisation has is refused (409), nothing written', async () => {
    const o = await organisation();
    const taken = await organisation();
    const res = await postEdit(o.main.browser, o, { name: taken.name.toUpperCase(), acronym: 'NEW' });
    assert.equal(res.status, 409);
    assert.match(unescapeHtml(mainOf(await res.text())), /another organisation already uses this name; choose another or contact the secretariat/);
    assert.equal(await sqlValue(srv.dataDir, `SELECT name || ' ' || acronym FROM organisations WHERE id = ${o.id}`), `${o.name} MNGO`);
  });

  test('a hidden organisation\'s name gets the answer of any taken name and nothing of it is shown', async () => {
    const o = await organisation();
    const shown = await organisation();
    const hidden = await organisation({ visibility: 'hidden' });
    // stored as "Manage NGO n"; typed in other letters, so the stored form
    // would only appear if the answer echoed the hidden organisation
    const message = async (name) => {
      const res = await postEdit(o.main.browser, o, { name });
      const html = unescapeHtml(mainOf(await res.text()));
      assert.equal(res.status, 409, name);
      assert.ok(!html.includes(hidden.name) && !html.includes(shown.name), `the stored name is shown:\n${html}`);
      return /<p class="field-error" id="name-error">([^<]*)<\/p>/.exec(html)?.[1];
    };
    const forHidden = await message(hidden.name.toUpperCase());
    const forShown = await message(shown.name.toUpperCase());
    assert.ok(forHidden, 'no message next to the name');
    assert.equal(forHidden, forShown);
    assert.doesNotMatch(forHidden, /hidden|called/i);
    assert.equal(await sqlValue(srv.dataDir, `SELECT name FROM organisations WHERE id = ${o.id}`), o.name);
  });

  test('without a valid csrf token nothing changes', async () => {
    const o = await organisation();
    const res = await o.main.browser.post(`/members/${o.slug}/edit`, { csrf: 'forged', ...editFields(o, { name: 'Forged' }) });
    assert.equal(res.status, 403);
    assert.match(await res.text(), /did not come from this site/);
    const res2 = await o.main.browser.post(`${repsPath(o)}/${o.other.id}/remove`, {});
    assert.equal(res2.status, 403);
    assert.equal(await sqlValue(srv.dataDir, `SELECT name FROM organisations WHERE id = ${o.id}`), o.name);
    assert.equal(await sqlValue(srv.dataDir, `SELECT count(*) FROM representatives WHERE organisation_id = ${o.id}`), '2');
  });
});

describe('representatives', () => {
  test('the list shows names, addresses, main contact and UN posts', async () => {
    const o = await organisation();
    await sql(srv.dataDir, `UPDATE representatives SET un_post = 'geneva', un_rank = 'alternate' WHERE person_id = ${o.other.id}`);
    const page = mainOf(await o.main.browser.html(repsPath(o)));
    assert.match(page, new RegExp(o.main.email));
    assert.match(page, new RegExp(o.other.email));
    assert.match(page, /Main contact/);
    assert.match(page, /Geneva, alternate representative/);
    const json = await (await o.main.browser.get(`/api/v1${repsPath(o)}`)).json();
    assert.deepEqual(json.representatives.map((r) => [r.name, r.main_contact]), [[o.main.name, 1], [o.other.name, 0]]);
  });

  test('invite: mail with a link, the account set up through it, then listed; audited', async () => {
    const o = await organisation();
    const email = uniqueEmail('invitee');
    const res = await o.main.browser.submit(repsPath(o), repsPath(o), { name: 'Ines Invited', email: email.toUpperCase() });
    assert.equal(res.status, 303, await res.text());
    assert.equal(res.headers.get('location'), `${repsPath(o)}?done=invited`);
    assert.match(mainOf(await o.main.browser.html(`${repsPath(o)}?done=invited`)), /invitation is sent/);
    const mail = await nextMail(srv.dataDir, email, 0, { subject: `You are invited to represent ${o.name}` });
    assert.match(mail.text, new RegExp(`${o.main.name} has added you to the representatives of ${o.name}`));
    const link = linkIn(mail, '/signin/link?token=');
    const pid = await personId(srv.dataDir, email);
    assert.equal(await sqlValue(srv.dataDir, `SELECT main_contact FROM representatives WHERE organisation_id = ${o.id} AND person_id = ${pid}`), '0');
    assert.match(mainOf(await o.main.browser.html(repsPath(o))), /Invited; has not chosen a password yet/);

    // the invitee follows the link and chooses a password
    const b = new Browser(srv.url);
    const signin = await b.submit(link, '/signin/link');
    assert.equal(signin.status, 303);
    const pw = await b.submit('/account', '/account/password', { password: PASSWORD });
    assert.equal(pw.status, 303);
    const list = mainOf(await o.main.browser.html(repsPath(o)));
    assert.match(list, /Ines Invited/);
    assert.doesNotMatch(list, /has not chosen a password yet/);
    // a member now, who sees the organisation's representatives, but may not manage it
    assert.match(mainOf(await b.html(`/members/${o.slug}`)), new RegExp(o.main.name));
    assert.equal((await b.get(`/members/${o.slug}/edit`)).status, 403);

    const a = await lastAudit('representative.add', o.id);
    assert.equal(a.after.person, pid);
    assert.equal(a.after.email, email);
  });

  test('invite: an existing account is asked, listed as invited, and becomes a representative only on accepting', async () => {
    const o = await organisation();
    const known = await personWithRole(srv, { role: 'editor', name: 'Kim Known' });
    const count = () => sqlValue(srv.dataDir, `SELECT count(*) FROM representatives WHERE organisation_id = ${o.id}`);
    const people = await sqlValue(srv.dataDir, 'SELECT count(*) FROM people');
    const seen = (await mailsTo(srv.dataDir, known.email)).length;
    const res = await o.main.browser.submit(repsPath(o), repsPath(o), { name: 'Kim K.', email: known.email });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), `${repsPath(o)}?done=asked`);
    assert.equal(await sqlValue(srv.dataDir, 'SELECT count(*) FROM people'), people);
    assert.equal(await count(), '2', 'added without consent');
    const list = mainOf(await o.main.browser.html(`${repsPath(o)}?done=asked`));
    assert.match(list, /become a representative once they accept/);
    assert.match(list, new RegExp(`Kim Known \\(${known.email}\\): invited, no answer yet`));
    assert.equal(await lastAudit('representative.invite', o.id).then((a) => a.after.person), await personId(srv.dataDir, known.email));

    const mail = await nextMail(srv.dataDir, known.email, seen, { subject: `You are invited to represent ${o.name}` });
    assert.ok(!mail.text.includes('/signin/link'), 'an existing account got a sign-in link');
    const link = linkIn(mail, `/members/${o.slug}/representatives/accept?token=`);
    // opening the link changes nothing; the button does
    const b = new Browser(srv.url);
    const page = await b.html(link);
    assert.equal(await count(), '2');
    assert.match(mainOf(page), /Become a representative/);
    const done = await b.post(`/members/${o.slug}/representatives/accept`, hiddenFields(page, `/members/${o.slug}/representatives/accept`));
    const donePage = mainOf(await done.text());
    assert.equal(done.status, 200, donePage);
    assert.match(donePage, new RegExp(`You are now a representative of ${o.name}\\.`));
    assert.match(donePage, new RegExp(`<a href="/members/${o.slug}">The organisation&#39;s page</a>`));
    assert.equal(await count(), '3');
    assert.equal(await sqlValue(srv.dataDir, `SELECT main_contact FROM representatives WHERE organisation_id = ${o.id}
      AND person_id = (SELECT id FROM people WHERE email = ${sqlText(known.email)})`), '0');
    assert.doesNotMatch(mainOf(await o.main.browser.html(repsPath(o))), /no answer yet/);
    const a = await lastAudit('representative.add', o.id);
    assert.equal(a.after.accepted, true);
    // the link works once
    const again = await new Browser(srv.url).get(link);
    assert.equal(again.status, 410);
    // a page that says what happened and what to do, not "Error 410"
    const gone = mainOf(await again.text());
    assert.match(gone, /<h1 id="page-title">This invitation cannot be used<\/h1>/);
    assert.match(gone, /main contact can invite you again/);
    assert.doesNotMatch(gone, /410|Gone|Error/);
  });

  test('invite: an invitation link works only for its organisation, not once replaced, not after 7 days', async () => {
    const o = await organisation();
    const elsewhere = await organisation();
    const known = await personWithRole(srv, { role: 'member', name: 'Rosa Replaced' });
    const invite = async () => {
      const seen = (await mailsTo(srv.dataDir, known.email)).length;
      assert.equal((await o.main.browser.submit(repsPath(o), repsPath(o), { name: 'Rosa', email: known.email })).status, 303);
      return linkIn(await nextMail(srv.dataDir, known.email, seen, { subject: `You are invited to represent ${o.name}` }),
        `/members/${o.slug}/representatives/accept?token=`);
    };
    const first = await invite();
    const status = async (path) => { const r = await new Browser(srv.url).get(path); await r.arrayBuffer(); return r.status; };
    assert.equal(await status(first.replace(o.slug, elsewhere.slug)), 410, 'another organisation\'s address');
    const second = await invite();
    assert.equal(await status(first), 410, 'the replaced link');
    assert.equal(await status(second), 200);
    await sql(srv.dataDir, `UPDATE representative_invitations SET expires_at = ${Math.floor(Date.now() / 1000) - 1}
      WHERE organisation_id = ${o.id}`);
    assert.equal(await status(second), 410, 'an expired link');
    assert.doesNotMatch(mainOf(await o.main.browser.html(repsPath(o))), /no answer yet/);
    assert.equal(await sqlValue(srv.dataDir, `SELECT count(*) FROM representatives WHERE organisation_id = ${o.id}`), '2');
  });

  test('invite: bad input 400 and someone already there 409, the form refilled, nothing written', async () => {
    const o = await organisation();
    const count = () => sqlValue(srv.dataDir, `SELECT count(*) FROM representatives WHERE organisation_id = ${o.id}`);
    const people = await sqlValue(srv.dataDir, 'SELECT count(*) FROM people');
    const bad = await o.main.browser.submit(repsPath(o), repsPath(o), { name: 'Nora', email: 'not-an-address' });
    assert.equal(bad.status, 400);
    const page = mainOf(await bad.text());
    assert.match(page, /href="#email"/);
    assert.match(page, /value="Nora"/);
    const again = await o.main.browser.submit(repsPath(o), repsPath(o), { name: 'Otto', email: o.other.email });
    assert.equal(again.status, 409);
    assert.match(mainOf(await again.text()), new RegExp(`already represents ${o.name}`));
    assert.equal(await count(), '2');
    assert.equal(await sqlValue(srv.dataDir, 'SELECT count(*) FROM people'), people);
  });

  test('UN post and rank: one main representative per post, said so; the person is told; audited', async () => {
    const o = await organisation();
    const post = (who, un_post, un_rank) => o.main.browser.submit(repsPath(o), `${repsPath(o)}/${who.id}/post`, { un_post, un_rank });
    await outboxDrained(srv.dataDir);
    const seen = (await mailsTo(srv.dataDir, o.other.email)).length;
    let res = await post(o.main, 'vienna', 'main');
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), `${repsPath(o)}?done=post`);

    res = await post(o.other, 'vienna', 'main');
    assert.equal(res.status, 409);
    assert.match(mainOf(await res.text()), new RegExp(`${o.name} already has a main representative in Vienna: ${o.main.name}`));
    assert.equal(await sqlValue(srv.dataDir, `SELECT coalesce(un_post, '-') FROM representatives WHERE person_id = ${o.other.id}`), '-');

    res = await post(o.other, 'vienna', 'alternate');
    assert.equal(res.status, 303);
    const mail = await nextMail(srv.dataDir, o.other.email, seen, { subject: `Your UN post for ${o.name}` });
    assert.match(mail.text, /Vienna, alternate representative/);
    // a main in another post is fine
    res = await post(o.other, 'geneva', 'main');
    assert.equal(res.status, 303);
    // a rank without a post is not
    res = await post(o.other, '', 'main');
    assert.equal(res.status, 400);
    assert.match(mainOf(await res.text()), /A rank needs a post/);
    assert.equal(await sqlValue(srv.dataDir, `SELECT un_post || ' ' || un_rank FROM representatives WHERE person_id = ${o.other.id}`), 'geneva main');
    const a = await lastAudit('representative.post', o.id);
    assert.deepEqual(a.before, { person: o.other.id, un_post: 'vienna', un_rank: 'alternate' });
    assert.deepEqual(a.after, { person: o.other.id, un_post: 'geneva', un_rank: 'main' });
    // someone who is not a representative of this organisation: 404
    const stranger = await personWithRole(srv, { role: 'member', name: 'Nat Nobody' });
    res = await o.main.browser.submit(repsPath(o), `${repsPath(o)}/${o.other.id}/post`, { un_post: 'geneva' });
    assert.equal(res.status, 303);
    const csrf = formCsrf(await o.main.browser.html(repsPath(o)));
    res = await o.main.browser.post(`${repsPath(o)}/${await personId(srv.dataDir, stranger.email)}/post`, { csrf, un_post: 'geneva' });
    assert.equal(res.status, 404);
  });

  test('remove: the person is gone and told; audited', async () => {
    const o = await organisation();
    const seen = (await mailsTo(srv.dataDir, o.other.email)).length;
    const res = await o.main.browser.submit(repsPath(o), `${repsPath(o)}/${o.other.id}/remove`);
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), `${repsPath(o)}?done=removed`);
    assert.equal(await sqlValue(srv.dataDir, `SELECT count(*) FROM representatives WHERE organisation_id = ${o.id} AND person_id = ${o.other.id}`), '0');
    const mail = await nextMail(srv.dataDir, o.other.email, seen, { subject: `You no longer represent ${o.name}` });
    assert.match(mail.text, /has removed you/);
    const a = await lastAudit('representative.remove', o.id);
    assert.equal(a.before.person, o.other.id);
    assert.equal(a.before.email, o.other.email);
    assert.equal(a.after, null);
    // their account stays
    assert.equal(await personId(srv.dataDir, o.other.email), o.other.id);
  });

  test('the last main contact cannot be removed (409), even by an administrator', async () => {
    const o = await organisation();
    const page = mainOf(await o.main.browser.html(repsPath(o)));
    assert.doesNotMatch(page, new RegExp(`action="${repsPath(o)}/${o.main.id}/remove"`));
    for (const who of [o.main, admin]) {
      const csrf = formCsrf(await who.browser.html(repsPath(o)));
      const res = await who.browser.post(`${repsPath(o)}/${o.main.id}/remove`, { csrf });
      assert.equal(res.status, 409);
      assert.match(mainOf(await res.text()), /an organisation always has one: hand the role over/);
    }
    assert.equal(await sqlValue(srv.dataDir, `SELECT main_contact FROM representatives WHERE organisation_id = ${o.id} AND person_id = ${o.main.id}`), '1');
    assert.equal(await auditCount('representative.remove', o.id), '0');
  });

  test('hand-over: the other becomes main contact and may manage; the former may not; both told; audited', async () => {
    const o = await organisation();
    const seenNew = (await mailsTo(srv.dataDir, o.other.email)).length;
    const seenOld = (await mailsTo(srv.dataDir, o.main.email)).length;
    const res = await o.main.browser.submit(repsPath(o), `${repsPath(o)}/${o.other.id}/main-contact`);
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), `/members/${o.slug}`);
    assert.equal((await sql(srv.dataDir, `SELECT person_id FROM representatives WHERE organisation_id = ${o.id} AND main_contact = 1`)).join(','), String(o.other.id));
    // the object role followed (the triggers of migration 0013)
    assert.equal((await sql(srv.dataDir, `SELECT person_id FROM object_roles WHERE object_type = 'organisation' AND object_id = ${sqlText(o.slug)} AND role = 'main-contact'`)).join(','), String(o.other.id));
    assert.equal((await o.main.browser.get(`/members/${o.slug}/edit`)).status, 403);
    assert.equal((await o.other.browser.get(`/members/${o.slug}/edit`)).status, 200);
    assert.match(mainOf(await o.other.browser.html(`/members/${o.slug}`)), /Edit organisation/);
    assert.doesNotMatch(mainOf(await o.main.browser.html(`/members/${o.slug}`)), /Edit organisation/);
    const mNew = await nextMail(srv.dataDir, o.other.email, seenNew, { subject: `You are now the main contact of ${o.name}` });
    assert.match(mNew.text, new RegExp(`/members/${o.slug}/representatives`));
    await nextMail(srv.dataDir, o.main.email, seenOld, { subject: `You are no longer the main contact of ${o.name}` });
    const a = await lastAudit('representative.main_contact', o.id);
    assert.deepEqual(a.before, { main_contacts: [o.main.id] });
    assert.deepEqual(a.after, { main_contacts: [o.other.id] });
    // and the former one is now a representative the new one may remove
    const rm = await o.other.browser.submit(repsPath(o), `${repsPath(o)}/${o.main.id}/remove`);
    assert.equal(rm.status, 303);
    // handing over to the main contact itself is refused
    const csrf = formCsrf(await o.other.browser.html(repsPath(o)));
    const self = await o.other.browser.post(`${repsPath(o)}/${o.other.id}/main-contact`, { csrf });
    assert.equal(self.status, 409);
  });

  test('an administrator manages any organisation', async () => {
    const o = await organisation();
    const res = await admin.browser.submit(repsPath(o), `${repsPath(o)}/${o.other.id}/main-contact`);
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), `${repsPath(o)}?done=main-contact`);
    const a = await lastAudit('representative.main_contact', o.id);
    assert.equal(a.actor, await personId(srv.dataDir, admin.email));
  });
});
