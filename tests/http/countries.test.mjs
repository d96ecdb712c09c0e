// countries.test.mjs -- countries chosen by name and values shown as words
// (issue 12): every form that asks for a country shares one chooser
// (core/templates/country_select.html), a <select> of names in the
// reader's language whose values are the codes; a client that posts the
// name ("Austria", "autriche") saves the code; an unknown country is a
// 422 with the message at the field; pages show names and labels, never
// the stored codes (AT, member, queued); the next ECOSOC quadrennial
// report is shown to the secretariat and the organisation's own
// representatives only; a representative who is not the main contact is
// told who is.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import {
  Browser, mainOf, personWithRole, personId, sql, sqlValue, sqlText, hiddenFields,
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
/** An organisation (associate, active, public, ECOSOC special since
 * 2012, country code as given) with a main contact and one other
 * representative: {slug, id, name, main, other}. */
async function organisation(country = 'DE') {
  orgs += 1;
  const slug = `country-org-${process.pid}-${orgs}`;
  const name = `Country NGO ${orgs}`;
  const rows = await sql(srv.dataDir, `
    INSERT INTO organisations (slug, name, name_key, acronym, country, description_md, visibility,
      ecosoc_status, ecosoc_year, created_at)
    VALUES (${sqlText(slug)}, ${sqlText(name)}, ${sqlText(name.toLowerCase())}, 'CNGO', ${sqlText(country)},
      'Before.', 'public', 'special', 2012, 0);
    INSERT INTO memberships (level_id, organisation_id, state, state_since, period_start, period_end, created_at)
    VALUES ((SELECT id FROM membership_levels WHERE slug = 'associate'),
      (SELECT id FROM organisations WHERE slug = ${sqlText(slug)}), 'active',
      '2026-01-01', '2026-01-01', '2099-12-31', 0);
    SELECT id FROM organisations WHERE slug = ${sqlText(slug)};`);
  const id = Number(rows[0][0]);
  const main = await personWithRole(srv, { role: 'member', name: `Mona Main ${orgs}` });
  const other = await personWithRole(srv, { role: 'member', name: `Rex Rep ${orgs}` });
  main.id = await personId(srv.dataDir, main.email);
  other.id = await personId(srv.dataDir, other.email);
  await sql(srv.dataDir, `INSERT INTO representatives (organisation_id, person_id, main_contact) VALUES
    (${id}, ${main.id}, 1), (${id}, ${other.id}, 0)`);
  return { slug, id, name, main, other };
}

/** POSTs the organisation's edit form as its main contact with country. */
async function postEdit(o, country) {
  const page = await o.main.browser.html(`/members/${o.slug}/edit`);
  return o.main.browser.post(`/members/${o.slug}/edit`, {
    ...hiddenFields(page, `/members/${o.slug}/edit`),
    name: o.name, acronym: 'CNGO', country, website: '', description: 'Before.',
    contact_address: '', visibility: 'public',
  });
}

const storedCountry = (o) => sqlValue(srv.dataDir, `SELECT country FROM organisations WHERE id = ${o.id}`);
const fr = { 'accept-language': 'fr' };

describe('the country chooser', () => {
  test('every form asks for the country by name, from one list of names whose values are the codes', async () => {
    const o = await organisation('AT');
    const p = await personWithRole(srv, { role: 'member', name: 'Lee List' });
    const visitor = new Browser(srv.url);
    const forms = {
      edit: mainOf(await o.main.browser.html(`/members/${o.slug}/edit`)),
      profile: mainOf(await p.browser.html('/account/profile')),
      joinOrg: mainOf(await visitor.html('/join/associate')),
      joinPerson: mainOf(await visitor.html('/join/individual')),
      directory: mainOf(await visitor.html('/members')),
    };
    for (const [form, html] of Object.entries(forms)) {
      const select = /<select id="country" name="country"[\s\S]*?<\/select>/.exec(html)?.[0];
      assert.ok(select, `${form}: no country list`);
      assert.match(html, /<label for="country">/, `${form}: no label`);
      assert.equal((select.match(/<option value="[A-Z]{2}"/g) ?? []).length, 249, form);
      assert.match(select, /<option value="AT"( selected)?>Austria<\/option>/, form);
      assert.doesNotMatch(html, /maxlength="2"|two-letter/, form);
    }
    assert.match(forms.edit, /<option value="AT" selected>Austria<\/option>/);
    assert.match(forms.joinPerson, /<select id="country" name="country" required autocomplete="country">/);
    // sorted in the reader's language: Autriche among the A's in French
    const frForm = mainOf(await (await o.main.browser.get(`/members/${o.slug}/edit`, fr)).text());
    assert.match(frForm, /<option value="AT" selected>Autriche<\/option>/);
    const names = [...frForm.matchAll(/<option value="[A-Z]{2}"(?: selected)?>([^<]*)<\/option>/g)].map((m) => m[1]);
    assert.ok(names.indexOf('Autriche') < names.indexOf('Belgique'));
    assert.ok(names.indexOf('Égypte') < names.indexOf('Fidji'), 'accents folded when sorting');
  });

  test('the organisation edit: the name "Austria" or the code AT saves AT, and the page shows Austria', async () => {
    const o = await organisation('DE');
    let res = await postEdit(o, 'Austria');
    assert.equal(res.status, 303, await res.text());
    assert.equal(await storedCountry(o), 'AT');
    const visitor = new Browser(srv.url);
    const page = mainOf(await visitor.html(`/members/${o.slug}`));
    assert.match(page, /<dt>Country<\/dt><dd>Austria<\/dd>/);
    assert.doesNotMatch(page, />AT</, 'the code is not shown');
    const frPage = mainOf(await (await visitor.get(`/members/${o.slug}`, fr)).text());
    assert.match(frPage, /<dt>Pays<\/dt><dd>Autriche<\/dd>/);

    await sql(srv.dataDir, `UPDATE organisations SET country = 'DE' WHERE id = ${o.id}`);
    res = await postEdit(o, 'AT');
    assert.equal(res.status, 303);
    assert.equal(await storedCountry(o), 'AT');
    // case and accents do not matter; French names are understood too
    for (const [typed, code] of [['  austria ', 'AT'], ['AUTRICHE', 'AT'], ["cote d'ivoire", 'CI']]) {
      const page2 = await o.main.browser.html(`/members/${o.slug}/edit`);
      res = await o.main.browser.post(`/members/${o.slug}/edit`, {
        ...hiddenFields(page2, `/members/${o.slug}/edit`),
        name: o.name, acronym: 'CNGO', country: typed, website: '', description: 'Before.',
        contact_address: '', visibility: 'public',
      }, typed === 'AUTRICHE' ? fr : {});
      assert.equal(res.status, 303, `${typed}: ${res.status}`);
      assert.equal(await storedCountry(o), code, typed);
    }
  });

  test('an unknown country is 422 with the message at the field, and nothing is saved', async () => {
    const o = await organisation('DE');
    for (const typed of ['Atlantis', 'Au', 'Austr', 'XX']) {
      if (typed === 'Au') continue; // AU is a code (Australia), not a bad value
      const res = await postEdit(o, typed);
      assert.equal(res.status, 422, typed);
      const html = mainOf(await res.text());
      assert.match(html, /<p class="field-error" id="country-error">Country must name a known country, like Austria or AT<\/p>\n<select id="country" name="country" required autocomplete="off" aria-invalid="true" aria-describedby="country-error">/, typed);
      assert.doesNotMatch(html, /<option value="[A-Z]{2}" selected>/, typed);
      assert.equal(await storedCountry(o), 'DE', typed);
    }
    const p = await personWithRole(srv, { role: 'member', name: 'Una Unknown' });
    const res = await p.browser.submit('/account/profile', '/account/profile',
      { name: 'Una Unknown', country: 'Atlantis', visibility: 'public' });
    assert.equal(res.status, 422);
    assert.match(mainOf(await res.text()), /id="country-error">Country must name a known country/);
    // in French, the message is French
    const r2 = await p.browser.post('/account/profile', {
      ...hiddenFields(await p.browser.html('/account/profile'), '/account/profile'),
      name: 'Una Unknown', country: 'Atlantide', visibility: 'public',
    }, fr);
    assert.equal(r2.status, 422);
    assert.doesNotMatch(mainOf(await r2.text()), /must name a known country/);
  });

  test('the profile: "Austria" typed by a client saves AT and the profile shows Austria chosen', async () => {
    const p = await personWithRole(srv, { role: 'member', name: 'Pia Profile' });
    const res = await p.browser.submit('/account/profile', '/account/profile',
      { name: 'Pia Profile', country: 'Austria', visibility: 'public' });
    assert.equal(res.status, 303, await res.text());
    const json = await (await p.browser.get('/api/v1/account/profile')).json();
    assert.equal(json.profile.country, 'AT');
    const html = mainOf(await p.browser.html('/account/profile'));
    assert.match(html, /<option value="AT" selected>Austria<\/option>/);
    assert.doesNotMatch(html, /<option value="AU" selected>/, 'not Australia');
  });
});

describe('values shown as words', () => {
  test('the organisation page shows no stored code; the quadrennial report date only to those who act on it', async () => {
    const o = await organisation('AT');
    const visitor = new Browser(srv.url);
    const pub = mainOf(await visitor.html(`/members/${o.slug}`));
    assert.match(pub, /<dd>Austria<\/dd>/);
    assert.doesNotMatch(pub, /quadrennial/i, 'a visitor does not see the report date');
    assert.doesNotMatch(pub, /<dd>AT<\/dd>|>special<|vienna|new-york/);
    const plain = await personWithRole(srv, { role: 'member', name: 'Nia Nobody' });
    assert.doesNotMatch(mainOf(await plain.browser.html(`/members/${o.slug}`)), /quadrennial/i);
    for (const who of [admin, o.main, o.other]) {
      assert.match(mainOf(await who.browser.html(`/members/${o.slug}`)),
        /Next ECOSOC quadrennial report<\/dt><dd>Due on <time datetime="\d{4}-06-01">/, who.name);
    }
  });

  test('the account page says what the role is, not "member"', async () => {
    const p = await personWithRole(srv, { role: 'member', name: 'Rue Role' });
    const html = mainOf(await p.browser.html('/account'));
    assert.match(html, /<dt>Role<\/dt><dd>Standard account<\/dd>/);
    assert.doesNotMatch(html, /<dd>member<\/dd>/i);
    assert.match(mainOf(await admin.browser.html('/account')), /<dd>Administrator<\/dd>/);
    const frHtml = mainOf(await (await p.browser.get('/account', fr)).text());
    assert.doesNotMatch(frHtml, /Standard account/);
    // the API keeps the code, in every language
    const api = await (await p.browser.get('/api/v1/account', fr)).json();
    assert.equal(api.role, 'member');
    assert.equal(api.role_label, 'Compte standard');
  });

  test('a representative who is not the main contact is told who is, not to join', async () => {
    const o = await organisation('AT');
    const html = unescapeHtml(mainOf(await o.other.browser.html('/renew')));
    assert.match(html, new RegExp(`You represent <strong>${o.name}</strong>. Its main contact, ${o.main.name}, renews its membership`));
    assert.doesNotMatch(html, /You do not answer for any membership yet/);
    // with no main contact at all, the secretariat is the way
    await sql(srv.dataDir, `UPDATE representatives SET main_contact = 0 WHERE organisation_id = ${o.id}`);
    assert.match(unescapeHtml(mainOf(await o.other.browser.html('/renew'))), /It has no main contact yet/);
    // someone who represents nobody is still pointed to Join
    const nobody = await personWithRole(srv, { role: 'member', name: 'Ned Nobody' });
    assert.match(mainOf(await nobody.browser.html('/renew')), /You do not answer for any membership yet/);
  });

  test('the outbox shows each letter\'s state in words', async () => {
    const html = mainOf(await admin.browser.html('/admin/outbox'));
    assert.match(html, /<td>(Sent out|Waiting to be sent|Could not be sent)<\/td>/);
    assert.doesNotMatch(html, /<td>(sent|queued|failed)<\/td>/);
  });
});
