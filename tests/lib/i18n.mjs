// i18n.mjs -- what the tests know of the message catalogs, and the check
// that a page (or an e-mail) rendered in a language shows no English the
// catalogs translate.
//
// It reads the catalogs from the source tree: every module's
// src/<module>/po/messages.pot (the msgids, the English text) and
// <lang>.po (their translations; fuzzy entries count as untranslated, as
// msgfmt drops them).
//
//   catalog(lang)              Map msgid -> translation ('' when none)
//   untranslatedEnglish(text, lang, {html})
//        the English msgids of more than one word that appear in the text
//        content of text (tags, scripts and styles removed, entities
//        decoded; html: false for plain text such as an e-mail) although
//        lang translates them to something else, or does not translate
//        them at all.  An empty list means the page is in that language as
//        far as the catalogs go.  A msgid's {name} arguments match up
//        to 120 characters of one block of the page (never across
//        elements); inline tags in a msgid are ignored.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { resolve, join } from 'node:path';

const root = resolve(new URL('../..', import.meta.url).pathname);

/** PO text -> [{id, plural, strs: [...], fuzzy}] (header included). */
export function parsePo(text) {
  const entries = [];
  let e = null;
  let field = null;
  const unq = (s) => JSON.parse(s.replace(/\\t/g, '\\t'));
  const flush = () => { if (e && e.id !== undefined) entries.push(e); e = null; field = null; };
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '') { flush(); continue; }
    if (line.startsWith('#,')) {
      if (!e || e.id !== undefined) { flush(); e = { strs: [], fuzzy: false }; }
      if (/\bfuzzy\b/.test(line)) e.fuzzy = true;
      continue;
    }
    if (line.startsWith('#~')) { flush(); continue; }
    if (line.startsWith('#')) {
      if (e && e.id !== undefined) flush();
      continue;
    }
    let m;
    if ((m = /^msgctxt (".*")$/.exec(line))) {
      if (e && e.id !== undefined) flush();
      if (!e) e = { strs: [], fuzzy: false };
      e.ctx = unq(m[1]);
      field = ['ctx'];
    } else if ((m = /^msgid (".*")$/.exec(line))) {
      if (e && e.id !== undefined) flush();
      if (!e) e = { strs: [], fuzzy: false };
      e.id = unq(m[1]);
      field = ['id'];
    } else if ((m = /^msgid_plural (".*")$/.exec(line))) {
      e.plural = unq(m[1]);
      field = ['plural'];
    } else if ((m = /^msgstr (".*")$/.exec(line))) {
      e.strs[0] = unq(m[1]);
      field = ['strs', 0];
    } else if ((m = /^msgstr\[(\d+)\] (".*")$/.exec(line))) {
      e.strs[Number(m[1])] = unq(m[2]);
      field = ['strs', Number(m[1])];
    } else if (/^".*"$/.test(line) && e && field) {
      if (field[0] === 'strs') e.strs[field[1]] += unq(line);
      else e[field[0]] += unq(line);
    }
  }
  flush();
  return entries;
}

function modules() {
  return readdirSync(join(root, 'src'), { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(root, 'src', d.name, 'po', 'messages.pot')))
    .map((d) => d.name);
}

const cache = new Map();

/** msgid -> translation in lang ('' when untranslated); plural msgids too. */
export function catalog(lang) {
  if (cache.has(lang)) return cache.get(lang);
  const out = new Map();
  for (const m of modules()) {
    const dir = join(root, 'src', m, 'po');
    // a module's template names its msgids; one another module already
    // translated stays translated (the build's msgcat --use-first of the
    // translated entries does the same)
    for (const e of parsePo(readFileSync(join(dir, 'messages.pot'), 'utf8'))) {
      if (e.id === '') continue;
      if (!out.has(e.id)) out.set(e.id, '');
      if (e.plural && !out.has(e.plural)) out.set(e.plural, '');
    }
    const po = join(dir, `${lang}.po`);
    if (!existsSync(po)) continue;
    for (const e of parsePo(readFileSync(po, 'utf8'))) {
      if (e.id === '' || e.fuzzy) continue;
      if (out.get(e.id) === '' || !out.has(e.id)) out.set(e.id, e.strs[0] || '');
      if (e.plural && (out.get(e.plural) === '' || !out.has(e.plural))) {
        out.set(e.plural, e.strs[1] || e.strs[e.strs.length - 1] || '');
      }
    }
  }
  cache.set(lang, out);
  return out;
}

const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };
const decode = (s) => s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (all, n) => {
  if (n[0] === '#') {
    const c = n[1] === 'x' || n[1] === 'X' ? parseInt(n.slice(2), 16) : parseInt(n.slice(1), 10);
    return String.fromCodePoint(c);
  }
  return ENTITIES[n.toLowerCase()] ?? all;
});
const squash = (s) => s.replace(/[\s\u00a0]+/g, ' ');
// Blocks of a page are separated by U+2029 (a paragraph separator), so a
// message's arguments never match across two elements of a page.
const BLOCK = '\u2029';
const squashBlocks = (s) => s.replace(/[^\S\u2029]+/g, ' ').replace(/ ?\u2029[ \u2029]*/g, BLOCK);
const INLINE = /^\/?(a|strong|em|code|span|abbr|b|i)\b/i;

/** The text a reader sees of html: inline tags vanish, others separate. */
export function textContent(html) {
  return squashBlocks(decode(html
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<([^>]*)>/g, (all, inner) => (INLINE.test(inner) ? '' : BLOCK))));
}

const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** See the file's header. */
export function untranslatedEnglish(text, lang, { html = true } = {}) {
  const seen = html ? textContent(text) : squash(text);
  const found = [];
  for (const [id, tr] of catalog(lang)) {
    if (tr === id) continue; // the same in both languages ("New York")
    const plain = squash(id.replace(/<[^>]*>/g, ''));
    // words are what has letters: "{date}, {start} to {end}" has one
    // ("to"), which any English name in the page's data would match
    const words = plain.replace(/\{[A-Za-z0-9_]+\}/g, ' ').trim().split(' ').filter((w) => /\p{L}/u.test(w));
    if (words.length < 2) continue;
    // an argument is a value (a number, a name, a date): within one
    // block of the page (nor across the " | " of a title), never a
    // whole paragraph
    const re = new RegExp((/^\w/.test(plain) ? '\\b' : '') +
      plain.split(/\{[A-Za-z0-9_]+\}/).map(escapeRe).join('[^|\\n\\u2029]{1,120}?'));
    if (re.test(seen)) found.push(id);
  }
  return found;
}
