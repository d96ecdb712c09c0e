// party_team.test.mjs -- a working party's team and notices (issue 13;
// src/parties/team.c): the secretariat appoints a chair of a seeded party;
// joining by request (approval) and at once (open); invitations; role
// changes, removals and leaving, with the last chair kept; the chairs'
// notices by e-mail to each of the team, within a limit per party; who sees
// the team (HTML and /api/v1) by the party's team_visibility; the people
// desk's "Chair of ..."; an archived party refuses every write.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import {
  Browser, mainOf, sql, sqlText, sqlValue, personWithRole, personId, hiddenFields,
  mailsTo, nextMail, outboxDrained,
} from '../lib/accounts.mjs';

let srv;
const as = {};
const ids = {};
const emails = {};

/** Posts the form of page path whose action is action, with more fields. */
async function postForm(b, path, action, fields = {}) {
  const page = await b.html(path);
  return b.post(action, { ...hiddenFields(page, action), ...fields });
}

/** Posts to action with b's csrf token (read from the party's page). */
async function act(b, slug, action, fields = {}) {
  const page = await b.html(`/working-parties/${slug}`);
  const csrf = /name="csrf" value="([^"]+)"/.exec(page)?.[1];
  assert.ok(csrf, `no csrf token on /working-parties/${slug}`);
  return b.post(action, { csrf, ...fields });
}

const roleOf = async (slug, who) => (await sqlValue(srv.dataDir, `SELECT role FROM object_roles
  WHERE object_type = 'party' AND object_id = ${sqlText(slug)} AND person_id = ${ids[who]}`)) ?? undefined;

const audits = async (action, slug) => Number(await sqlValue(srv.dataDir, `SELECT count(*) FROM audit_log
  WHERE action = ${sqlText(action)} AND object_id = ${sqlText(slug)}`));

const teamApi = async (b, slug) => {
  const res = await b.get(`/api/v1/working-parties/${slug}/team`);
  assert.equal(res.status, 200);
  return (await res.json()).team;
};

function assert303(res, slug, done) {
  assert.equal(res.status, 303, `expected 303, got ${res.status}`);
  assert.equal(res.headers.get('location'), `/working-parties/${slug}?done=${done}#team`);
}

before(async () => {
  srv = await startServer();
  as.visitor = new Browser(srv.url);
  const names = {
    admin: 'Ada Admin', chair: 'Chloe Chair', asker: 'Ash Asker', invitee: 'Ivo Invitee',
    other: 'Otto Otherchair', joiner: 'Jo Joiner', outsider: 'Olga Outsider', insider: 'Ines Individual',
  };
  for (const [who, name] of Object.entries(names)) {
    const p = await personWithRole(srv, { role: who === 'admin' ? 'admin' : 'member', name, password: null });
    as[who] = p.browser;
    emails[who] = p.email;
    ids[who] = await personId(srv.dataDir, p.email);
  }
  // the insider holds an individual membership: a member of the Alliance
  await sql(srv.dataDir, `INSERT INTO memberships (level_id, person_id, state, state_since,
    period_start, period_end, created_at) VALUES ((SELECT id FROM membership_levels
    WHERE slug = 'individual'), ${ids.insider}, 'active', '2026-01-01', '2026-01-01', '2026-12-31', 0)`);
  await outboxDrained(srv.dataDir);
});

after(async () => { if (srv) await srv.stop(); });

describe('the team of a working party', () => {
  test('the_secretariat_appoints_a_chair_of_a_seeded_party', async () => {
    // a seeded party has no team; nobody but the secretariat may act
    assert.equal(await roleOf('victims', 'chair'), undefined);
    const refused = await act(as.chair, 'victims', `/working-parties/victims/team/${ids.chair}/role`, { role: 'chair' });
    assert.equal(refused.status, 403);
    const seen = (await mailsTo(srv.dataDir, emails.chair)).length;
    const res = await act(as.admin, 'victims', `/working-parties/victims/team/${ids.chair}/role`, { role: 'chair' });
    assert303(res, 'victims', 'appointed');
    assert.equal(await roleOf('victims', 'chair'), 'chair');
    assert.equal(await audits('party.role.set', 'victims'), 1);
    const mail = await nextMail(srv.dataDir, emails.chair, seen);
    assert.equal(mail.msg.decoded.subject, 'You are now Chair in Victims');
    const page = mainOf(await as.chair.html('/working-parties/victims?done=appointed'));
    assert.match(page, /You are Chair in this working party\./);
    assert.match(page, /Requests to join/);
    // the other party's chair, appointed through the invitations form
    const r2 = await postForm(as.admin, '/working-parties/corruption/invitations', '/working-parties/corruption/invitations',
      { email: emails.other, role: 'chair', appoint: '1' });
    assert303(r2, 'corruption', 'appointed');
    assert.equal(await roleOf('corruption', 'other'), 'chair');
  });

  test('a_request_to_join_is_answered_by_the_chair_only', async () => {
    const seenChair = (await mailsTo(srv.dataDir, emails.chair)).length;
    const res = await act(as.asker, 'victims', '/working-parties/victims/join', { message: 'I work with <victims>.' });
    assert303(res, 'victims', 'requested');
    assert.equal(await roleOf('victims', 'asker'), undefined);
    const ask = await nextMail(srv.dataDir, emails.chair, seenChair);
    assert.equal(ask.msg.decoded.subject, 'Ash Asker asks to join Victims');
    assert.match(ask.text, /I work with <victims>\./);
    // asked already
    assert.equal((await act(as.asker, 'victims', '/working-parties/victims/join')).status, 409);
    const mine = mainOf(await as.asker.html('/working-parties/victims'));
    assert.match(mine, /You have asked to join this team/);
    const id = await sqlValue(srv.dataDir, `SELECT id FROM party_requests WHERE person_id = ${ids.asker}
      AND kind = 'request' AND state = 'pending'`);
    const chairPage = mainOf(await as.chair.html('/working-parties/victims'));
    assert.match(chairPage, /Ash Asker/);
    assert.match(chairPage, /I work with &lt;victims&gt;\./);
    // another party's chair, and the asker, may not answer it
    assert.equal((await act(as.other, 'victims', `/working-parties/victims/requests/${id}/accept`)).status, 403);
    assert.equal((await act(as.asker, 'victims', `/working-parties/victims/requests/${id}/accept`)).status, 403);
    const seen = (await mailsTo(srv.dataDir, emails.asker)).length;
    assert303(await act(as.chair, 'victims', `/working-parties/victims/requests/${id}/accept`), 'victims', 'accepted');
    assert.equal(await roleOf('victims', 'asker'), 'member');
    assert.equal(await audits('party.request.accept', 'victims'), 1);
    const welcome = await nextMail(srv.dataDir, emails.asker, seen);
    assert.equal(welcome.msg.decoded.subject, 'Welcome to Victims');
    assert.match(mainOf(await as.asker.html('/working-parties/victims')), /You are Member in this working party\./);
    // answered once
    assert.equal((await act(as.chair, 'victims', `/working-parties/victims/requests/${id}/decline`)).status, 404);
  });

  test('an_open_party_takes_a_person_at_once', async () => {
    await sql(srv.dataDir, "UPDATE parties SET join_policy = 'open' WHERE slug = 'corruption'");
    const page = mainOf(await as.joiner.html('/working-parties/corruption'));
    assert.match(page, /Join the team/);
    assert303(await act(as.joiner, 'corruption', '/working-parties/corruption/join'), 'corruption', 'joined');
    assert.equal(await roleOf('corruption', 'joiner'), 'member');
    assert.equal(await audits('party.join', 'corruption'), 1);
    assert.equal((await act(as.joiner, 'corruption', '/working-parties/corruption/join')).status, 409);
  });

  test('an_invited_person_accepts_and_only_they_may', async () => {
    const seen = (await mailsTo(srv.dataDir, emails.invitee)).length;
    const res = await postForm(as.chair, '/working-parties/victims/invitations', '/working-parties/victims/invitations',
      { email: emails.invitee.toUpperCase().replace('EXAMPLE.ORG', 'example.org'), role: 'expert', message: 'Join us.' });
    assert303(res, 'victims', 'invited');
    const mail = await nextMail(srv.dataDir, emails.invitee, seen);
    assert.equal(mail.msg.decoded.subject, 'You are invited to join Victims');
    assert.match(mail.text, /as Expert/);
    assert.match(mail.text, /\/working-parties\/victims/);
    // no account, or in the team already: the form again with the message
    const none = await postForm(as.chair, '/working-parties/victims/invitations', '/working-parties/victims/invitations',
      { email: 'nobody@example.org', role: 'member' });
    assert.equal(none.status, 422);
    assert.match(await none.text(), /No one has an account with this address/);
    const dup = await postForm(as.chair, '/working-parties/victims/invitations', '/working-parties/victims/invitations',
      { email: emails.asker, role: 'member' });
    assert.equal(dup.status, 409);
    const id = await sqlValue(srv.dataDir, `SELECT id FROM party_requests WHERE person_id = ${ids.invitee}
      AND kind = 'invitation' AND state = 'pending'`);
    const page = mainOf(await as.invitee.html('/working-parties/victims'));
    assert.match(page, /You are invited to join this team as Expert/);
    assert.equal((await act(as.outsider, 'victims', `/working-parties/victims/invitations/${id}/accept`)).status, 404);
    assert303(await act(as.invitee, 'victims', `/working-parties/victims/invitations/${id}/accept`), 'victims', 'welcome');
    assert.equal(await roleOf('victims', 'invitee'), 'expert');
    assert.equal(await audits('party.invite', 'victims'), 1);
  });

  test('roles_change_by_the_managers_only_and_chairs_by_chairs', async () => {
    // a member may not change roles
    assert.equal((await act(as.asker, 'victims', `/working-parties/victims/team/${ids.invitee}/role`,
      { role: 'member' })).status, 403);
    // the chair makes the asker co-chair: one row replaced
    assert303(await act(as.chair, 'victims', `/working-parties/victims/team/${ids.asker}/role`, { role: 'co-chair' }),
      'victims', 'role');
    assert.deepEqual(await sql(srv.dataDir, `SELECT role FROM object_roles WHERE object_type = 'party'
      AND object_id = 'victims' AND person_id = ${ids.asker}`), [['co-chair']]);
    // a co-chair manages, but does not make chairs
    assert.equal((await act(as.asker, 'victims', `/working-parties/victims/team/${ids.invitee}/role`,
      { role: 'chair' })).status, 403);
    assert303(await act(as.asker, 'victims', `/working-parties/victims/team/${ids.invitee}/role`, { role: 'observer' }),
      'victims', 'role');
    assert.equal(await roleOf('victims', 'invitee'), 'observer');
    // a manager cannot put someone in the team without asking them
    assert.equal((await act(as.chair, 'victims', `/working-parties/victims/team/${ids.outsider}/role`,
      { role: 'member' })).status, 404);
    // bad role: a 4xx with the message
    const bad = await act(as.chair, 'victims', `/working-parties/victims/team/${ids.invitee}/role`, { role: 'king' });
    assert.equal(bad.status, 422);
  });

  test('the_last_chair_stays_unless_the_secretariat_acts', async () => {
    const leave = await act(as.chair, 'victims', '/working-parties/victims/leave');
    assert.equal(leave.status, 409);
    assert.match(await leave.text(), /last chair/);
    // nor stops being chair by their own hand
    assert.equal((await act(as.chair, 'victims', `/working-parties/victims/team/${ids.chair}/role`,
      { role: 'member' })).status, 409);
    // a co-chair may not remove a chair, nor change their role, nor sees
    // the forms to
    assert.equal((await act(as.asker, 'victims', `/working-parties/victims/team/${ids.chair}/remove`)).status, 403);
    assert.equal((await act(as.asker, 'victims', `/working-parties/victims/team/${ids.chair}/role`,
      { role: 'member' })).status, 403);
    const coChairPage = mainOf(await as.asker.html('/working-parties/victims'));
    assert.doesNotMatch(coChairPage, new RegExp(`/team/${ids.chair}/`));
    assert.match(coChairPage, /Requests to join/);
    assert.equal(await roleOf('victims', 'chair'), 'chair');
  });

  test('a_person_leaves_and_a_manager_removes', async () => {
    assert303(await act(as.invitee, 'victims', '/working-parties/victims/leave'), 'victims', 'left');
    assert.equal(await roleOf('victims', 'invitee'), undefined);
    assert.equal(await audits('party.leave', 'victims'), 1);
    assert.equal((await act(as.invitee, 'victims', '/working-parties/victims/leave')).status, 409);
    assert303(await act(as.other, 'corruption', `/working-parties/corruption/team/${ids.joiner}/remove`),
      'corruption', 'removed');
    assert.equal(await roleOf('corruption', 'joiner'), undefined);
    assert.equal(await audits('party.remove', 'corruption'), 1);
  });
});

describe('notices to the team', () => {
  test('a_notice_reaches_each_of_the_team_in_their_language_and_no_one_else', async () => {
    // the team of victims: chair (Chloe), co-chair (Ash); the asker reads French
    await sql(srv.dataDir, `UPDATE people SET language = 'fr' WHERE id = ${ids.asker}`);
    await outboxDrained(srv.dataDir);
    const before = {};
    for (const who of ['chair', 'asker', 'invitee', 'outsider', 'other']) {
      before[who] = (await mailsTo(srv.dataDir, emails[who])).length;
    }
    assert.equal((await as.asker.get('/working-parties/victims/notices')).status, 200);
    assert.equal((await as.invitee.get('/working-parties/victims/notices')).status, 403);
    const res = await postForm(as.chair, '/working-parties/victims/notices', '/working-parties/victims/notices',
      { subject: 'Meeting on {party} & Monday', body: 'We meet on Monday.\nBring the draft.' });
    assert.equal(res.status, 303, await res.text());
    assert.equal(res.headers.get('location'), '/working-parties/victims/notices?done=2');
    const toChair = await nextMail(srv.dataDir, emails.chair, before.chair);
    assert.equal(toChair.msg.decoded.subject, '[Victims] Meeting on {party} & Monday');
    assert.match(toChair.text, /Chloe Chair, Chair of the working party Victims/);
    assert.match(toChair.text, /We meet on Monday\.\s+Bring the draft\./);
    const toAsker = await nextMail(srv.dataDir, emails.asker, before.asker);
    assert.equal(toAsker.msg.decoded.subject, '[Victims] Meeting on {party} & Monday');
    assert.match(toAsker.text, /groupe de travail Victims/);
    await outboxDrained(srv.dataDir);
    for (const who of ['invitee', 'outsider', 'other']) {
      assert.equal((await mailsTo(srv.dataDir, emails[who])).length, before[who], `${who} got the notice`);
    }
    assert.deepEqual(await sql(srv.dataDir, `SELECT subject, recipients FROM party_notices
      WHERE party_id = (SELECT id FROM parties WHERE slug = 'victims')`), [['Meeting on {party} & Monday', '2']]);
    assert.equal(await audits('party.notice', 'victims'), 1);
    const list = mainOf(await as.chair.html('/working-parties/victims/notices?done=2'));
    assert.match(list, /The notice has been sent to 2 people\./);
    assert.match(list, /Meeting on \{party\} &amp; Monday/);
    // no subject: the form again
    const empty = await postForm(as.chair, '/working-parties/victims/notices', '/working-parties/victims/notices',
      { subject: '', body: 'x' });
    assert.equal(empty.status, 422);
  });

  test('a_party_sends_at_most_ten_notices_a_day', async () => {
    // one was sent above; nine more pass, the eleventh is refused, whoever
    // of the managers sends it
    for (let i = 2; i <= 10; i++) {
      const res = await postForm(as.chair, '/working-parties/victims/notices', '/working-parties/victims/notices',
        { subject: `Notice ${i}`, body: 'Text.' });
      assert.equal(res.status, 303, `notice ${i}: ${res.status}`);
    }
    const res = await postForm(as.asker, '/working-parties/victims/notices', '/working-parties/victims/notices',
      { subject: 'One too many', body: 'Text.' });
    assert.equal(res.status, 429);
    assert.ok(Number(res.headers.get('retry-after')) > 0);
    // (the asker reads French)
    assert.match(await res.text(), /Trop d’avis ont été envoyés à cette équipe aujourd’hui/);
    assert.equal(Number(await sqlValue(srv.dataDir, `SELECT count(*) FROM party_notices
      WHERE subject = 'One too many'`)), 0);
  });
});

describe('who sees the team', () => {
  test('the_team_is_hidden_below_its_visibility_in_html_and_json', async () => {
    // the chair shows their name to everyone; the co-chair to members
    await sql(srv.dataDir, `UPDATE people SET visibility = 'public' WHERE id = ${ids.chair};
      UPDATE people SET visibility = 'members' WHERE id = ${ids.asker}`);
    for (const [vis, sees] of [['team', []], ['members', ['insider']], ['public', ['insider', 'visitor', 'outsider']]]) {
      await sql(srv.dataDir, `UPDATE parties SET team_visibility = ${sqlText(vis)} WHERE slug = 'victims'`);
      for (const who of ['visitor', 'outsider', 'insider']) {
        const html = mainOf(await as[who].html('/working-parties/victims'));
        const api = await teamApi(as[who], 'victims');
        if (sees.includes(who)) {
          assert.match(html, /Chloe Chair/, `${who} at ${vis}`);
          assert.equal(api.visible, true);
          assert.ok(api.members.some((m) => m.name === 'Chloe Chair'));
          // the co-chair's name only to members
          assert.equal(api.members.some((m) => m.name === 'Ash Asker'), who === 'insider', `${who} at ${vis}`);
          assert.ok(api.members.every((m) => m.person_id === undefined), 'ids to managers only');
        } else {
          assert.doesNotMatch(html, /Chloe Chair|Ash Asker/, `${who} at ${vis}`);
          assert.equal(api.visible, false);
          assert.deepEqual(api.members, []);
          assert.match(api.reason, /see who is in this working party/);
        }
        const page = await as[who].get('/working-parties/victims/team');
        assert.equal(page.status, 200);
        assert.equal(/Chloe Chair/.test(await page.text()), sees.includes(who));
      }
    }
    // the team sees itself whatever the visibility
    await sql(srv.dataDir, "UPDATE parties SET team_visibility = 'team' WHERE slug = 'victims'");
    assert.match(mainOf(await as.asker.html('/working-parties/victims')), /Chloe Chair/);
  });

  test('the_people_desk_says_chair_of_victims_and_what_waits', async () => {
    const page = mainOf(await as.admin.html(`/admin/people/${ids.chair}`));
    assert.match(page, /Chair of Victims/);
    assert.match(mainOf(await as.admin.html('/admin/people')), /Chair of Victims/);
    assert303(await act(as.outsider, 'victims', '/working-parties/victims/join'), 'victims', 'requested');
    assert.match(mainOf(await as.admin.html(`/admin/people/${ids.outsider}`)), /Asked to join Victims/);
  });
});

describe('an archived party', () => {
  test('refuses_every_write_with_409', async () => {
    await sql(srv.dataDir, "UPDATE parties SET state = 'archived' WHERE slug = 'corruption'");
    const reqId = 1;
    const writes = [
      [as.outsider, '/working-parties/corruption/join', {}],
      [as.other, '/working-parties/corruption/leave', {}],
      [as.other, `/working-parties/corruption/requests/${reqId}/accept`, {}],
      [as.other, `/working-parties/corruption/requests/${reqId}/decline`, {}],
      [as.other, '/working-parties/corruption/invitations', { email: emails.outsider, role: 'member' }],
      [as.outsider, `/working-parties/corruption/invitations/${reqId}/accept`, {}],
      [as.outsider, `/working-parties/corruption/invitations/${reqId}/decline`, {}],
      [as.other, `/working-parties/corruption/team/${ids.other}/role`, { role: 'member' }],
      [as.other, `/working-parties/corruption/team/${ids.other}/remove`, {}],
      [as.other, '/working-parties/corruption/notices', { subject: 'S', body: 'B' }],
      [as.admin, `/working-parties/corruption/team/${ids.outsider}/role`, { role: 'chair' }],
    ];
    for (const [b, path, fields] of writes) {
      const res = await act(b, 'corruption', path, fields);
      assert.equal(res.status, 409, `${path}: ${res.status}`);
      assert.match(await res.text(), /archived/);
    }
    assert.equal(await roleOf('corruption', 'other'), 'chair');
    // the page still shows the team, without forms
    const page = mainOf(await as.other.html('/working-parties/corruption'));
    assert.match(page, /Otto Otherchair/);
    assert.doesNotMatch(page, /action="\/working-parties\/corruption\/(leave|join|invitations)"/);
  });
});
