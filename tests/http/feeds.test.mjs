// feeds.test.mjs -- the site's news and its Atom feeds (issue 13;
// src/parties/articles.c): /news lists every party's published articles,
// newest first, with the party's name; /news.atom and each party's
// /working-parties/:slug/feed.atom are RFC 4287 feeds that a real parser
// (@rowanmanning/feed-parser) reads back as published -- titles, links,
// dates, authors -- and that xmllint finds well-formed.  Drafts are in
// none of them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseFeed } from '@rowanmanning/feed-parser';
import { startServer } from '../lib/server.mjs';
import { Browser, mainOf, sql, sqlText, personWithRole, personId, hiddenFields } from '../lib/accounts.mjs';

let srv, chair, visitor, tmp;
const published = {}; // title -> {href, party}

/** Drafts an article in party and, unless draft, publishes it. */
async function article(party, title, { summary = '', body = '', draft = false } = {}) {
  const form = await chair.html(`/working-parties/${party}/articles/new`);
  let res = await chair.post(`/working-parties/${party}/articles`,
    { ...hiddenFields(form, `/working-parties/${party}/articles`), title, summary, body });
  assert.equal(res.status, 303, await res.text());
  const href = res.headers.get('location');
  if (!draft) {
    const edit = await chair.html(`${href}/edit`);
    res = await chair.post(`${href}/publish`, hiddenFields(edit, `${href}/publish`));
    assert.equal(res.status, 303, await res.text());
    published[title] = { href, party };
  }
  return href;
}

/** GETs a feed: asserts its type, resolves to its text. */
async function feed(path) {
  const res = await visitor.get(path);
  const text = await res.text();
  assert.equal(res.status, 200, `${path}: ${text.slice(0, 300)}`);
  assert.match(res.headers.get('content-type'), /^application\/atom\+xml\b/);
  return text;
}

/** xmllint --noout on xml: resolves to its stderr ('' when well-formed). */
async function xmllint(xml, name) {
  const file = join(tmp, name);
  await writeFile(file, xml);
  return new Promise((ok) => {
    execFile('xmllint', ['--noout', file], (err, stdout, stderr) => ok(err ? `${err.message}\n${stderr}` : stderr));
  });
}

/** The stored publication and change times of an article, as Dates. */
async function times(href) {
  const [party, , slug] = href.split('/').slice(2);
  const [[p, u]] = await sql(srv.dataDir, `SELECT a.published_at, a.updated_at FROM party_articles a
    JOIN parties p ON p.id = a.party_id WHERE p.slug = ${sqlText(party)} AND a.slug = ${sqlText(slug)}`);
  return { published: new Date(Number(p) * 1000), updated: new Date(Number(u) * 1000) };
}

before(async () => {
  srv = await startServer();
  tmp = await mkdtemp(join(tmpdir(), 'alliance-feeds-'));
  visitor = new Browser(srv.url);
  const p = await personWithRole(srv, { name: 'Feed Chair', password: null });
  chair = p.browser;
  const id = await personId(srv.dataDir, p.email);
  for (const party of ['victims', 'corruption']) {
    await sql(srv.dataDir, `INSERT INTO object_roles (person_id, object_type, object_id, role, granted_at)
      VALUES (${id}, 'party', ${sqlText(party)}, 'chair', 0)`);
  }
  // the chair shows their name to everyone: it is the entries' author
  await sql(srv.dataDir, `UPDATE people SET visibility = 'public' WHERE id = ${id}`);
  await article('victims', 'Hearing <survivors> & "families"', { summary: 'A summary & more.', body: 'Some **bold** words.' });
  await article('corruption', 'Open contracting in 2026', { body: 'Procurement *matters*.' });
  await article('victims', 'Unfinished draft Xylograph', { draft: true, body: 'Not yet.' });
});

after(async () => {
  await srv?.stop();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

test('/news lists the published articles newest first, with their party', async () => {
  const page = await visitor.html('/news');
  assert.match(page, /<link rel="alternate" type="application\/atom\+xml" title="[^"]+" href="\/news.atom">/);
  assert.match(page, /<a href="\/news" aria-current="page">News<\/a>/);
  const main = mainOf(page);
  const first = main.indexOf('Open contracting in 2026');
  const second = main.indexOf('Hearing &lt;survivors&gt; &amp; &quot;families&quot;');
  assert.ok(first > 0 && second > first, 'newest first');
  assert.match(main, /<a href="\/working-parties\/corruption">Corruption[^<]*<\/a>/);
  assert.doesNotMatch(main, /Xylograph/);
  const json = await (await visitor.get('/api/v1/news')).json();
  assert.deepEqual(json.articles.map((a) => a.title), ['Open contracting in 2026', 'Hearing <survivors> & "families"']);
});

test('/news.atom: every party\'s articles, as a parser reads them', async () => {
  const xml = await feed('/news.atom');
  assert.equal(await xmllint(xml, 'news.xml'), '');
  assert.doesNotMatch(xml, /Xylograph/);
  const f = parseFeed(xml);
  assert.match(f.title, /news/i);
  assert.equal(f.self, `${srv.url}/news.atom`);
  assert.equal(f.url, `${srv.url}/news`);
  assert.deepEqual(f.items.map((i) => i.title), ['Open contracting in 2026', 'Hearing <survivors> & "families"']);
  const newest = await times(published['Open contracting in 2026'].href);
  assert.equal(f.updated.getTime(), newest.updated.getTime());
  const ids = new Set();
  for (const item of f.items) {
    const { href } = published[item.title];
    const t = await times(href);
    assert.equal(item.url, `${srv.url}${href}`);
    assert.equal(item.published.getTime(), t.published.getTime());
    assert.equal(item.updated.getTime(), t.updated.getTime());
    assert.equal(item.authors[0].name, 'Feed Chair');
    assert.match(item.id, /^tag:127\.0\.0\.1,2026:article-\d+$/);
    ids.add(item.id);
  }
  assert.equal(ids.size, 2);
  const hearing = f.items.find((i) => i.title.startsWith('Hearing'));
  assert.equal(hearing.description, 'A summary & more.');
  assert.match(hearing.content, /<strong>bold<\/strong>/);
  assert.match(xml, /<content type="html">&lt;p&gt;Some &lt;strong&gt;bold/);
  assert.equal(f.items.find((i) => i.title.startsWith('Open')).categories[0].label, 'Corruption');
  // the same ids on a second reading: stable
  assert.deepEqual(parseFeed(await feed('/news.atom')).items.map((i) => i.id), f.items.map((i) => i.id));
});

test('a party\'s feed holds its own articles only', async () => {
  const xml = await feed('/working-parties/victims/feed.atom');
  assert.equal(await xmllint(xml, 'victims.xml'), '');
  const f = parseFeed(xml);
  assert.equal(f.self, `${srv.url}/working-parties/victims/feed.atom`);
  assert.equal(f.url, `${srv.url}/working-parties/victims`);
  assert.match(f.title, /Victims/);
  assert.deepEqual(f.items.map((i) => i.title), ['Hearing <survivors> & "families"']);
  assert.equal(f.items[0].url, `${srv.url}${published['Hearing <survivors> & "families"'].href}`);
  // a party without articles: a valid, empty feed
  const empty = await feed('/working-parties/border-crime-technology/feed.atom');
  assert.equal(await xmllint(empty, 'empty.xml'), '');
  assert.deepEqual(parseFeed(empty).items, []);
  assert.equal((await visitor.get('/working-parties/no-such-party/feed.atom')).status, 404);
  assert.match(await visitor.html('/working-parties/victims'),
    /<link rel="alternate" type="application\/atom\+xml" title="[^"]*" href="\/working-parties\/victims\/feed.atom">/);
});

test('a stored row with control characters still makes well-formed XML', async () => {
  await sql(srv.dataDir, `UPDATE party_articles SET summary = 'bell' || char(7) || 'end'
    WHERE slug = 'open-contracting-in-2026'`).catch(async () => {
    // PostgreSQL: chr() instead of char()
    await sql(srv.dataDir, `UPDATE party_articles SET summary = 'bell' || chr(7) || 'end'
      WHERE slug = 'open-contracting-in-2026'`);
  });
  const xml = await feed('/news.atom');
  assert.equal(await xmllint(xml, 'control.xml'), '');
  assert.equal(parseFeed(xml).items[0].description, 'bellend');
});
