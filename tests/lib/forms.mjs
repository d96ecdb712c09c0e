// forms.mjs -- the one error pattern every form follows (core http.h,
// resp_form_errors; core/templates/form_errors.html), checked on the HTML
// of a form shown again:
//   - the form is there (never a bare error page), and the title begins
//     "Error: ";
//   - one error summary, id "error-summary", role="alert", tabindex="-1"
//     and autofocus (it takes the focus without JavaScript), listing one
//     link per message, each leading to an element that exists;
//   - each field named in `invalid` (element ids) has aria-invalid="true"
//     (a fieldset: aria-describedby only) and aria-describedby naming its
//     message ID-error, which stands before the field;
//   - every id any aria-describedby names exists.
import assert from 'node:assert/strict';
import { mainOf } from './accounts.mjs';

const idsOf = (html) => new Set([...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]));

/** Asserts the pattern on html; action: the form's action (a string). */
export function assertFormErrors(html, { action, invalid = [] }) {
  const main = mainOf(html);
  const where = `form ${action}`;
  assert.match(html, /<title>Error: /, `${where}: the title says there is an error`);
  assert.ok(main.includes(`action="${action}"`), `${where}: the form is shown again`);
  const summaries = [...main.matchAll(/<div class="error-summary"[^>]*>/g)].map((m) => m[0]);
  assert.equal(summaries.length, 1, `${where}: one error summary, not ${summaries.length}`);
  for (const a of ['id="error-summary"', 'role="alert"', 'tabindex="-1"', 'autofocus']) {
    assert.ok(summaries[0].includes(a), `${where}: the summary has ${a}: ${summaries[0]}`);
  }
  // the summary stands before the form it is about
  assert.ok(main.indexOf('id="error-summary"') < main.indexOf(`action="${action}"`),
    `${where}: the summary comes before its form`);
  const ids = idsOf(main);
  const summary = /<div class="error-summary"[\s\S]*?<\/div>/.exec(main)[0];
  const links = [...summary.matchAll(/<a href="#([^"]+)"/g)].map((m) => m[1]);
  assert.ok(links.length > 0, `${where}: the summary links to the fields`);
  for (const l of links) assert.ok(ids.has(l), `${where}: the summary's link #${l} leads nowhere`);
  for (const m of main.matchAll(/aria-describedby="([^"]+)"/g)) {
    for (const id of m[1].split(/\s+/)) assert.ok(ids.has(id), `${where}: aria-describedby names ${id}, which is not on the page`);
  }
  for (const id of invalid) {
    const tag = new RegExp(`<(input|select|textarea|fieldset)\\b[^>]*\\bid="${id}"[^>]*>`).exec(main);
    assert.ok(tag, `${where}: no field #${id}`);
    if (tag[1] !== 'fieldset') assert.match(tag[0], /aria-invalid="true"/, `${where}: #${id} is not aria-invalid`);
    assert.match(tag[0], new RegExp(`aria-describedby="[^"]*\\b${id}-error\\b`), `${where}: #${id} does not name its message`);
    const msg = main.indexOf(`id="${id}-error"`);
    assert.ok(msg >= 0 && msg < main.indexOf(tag[0]), `${where}: the message of #${id} stands before it`);
  }
  // no field is marked invalid without a message on the page
  for (const m of main.matchAll(/<[^>]*aria-invalid="true"[^>]*>/g)) {
    assert.match(m[0], /aria-describedby="[^"]*-error/, `${where}: an invalid field without its message: ${m[0]}`);
  }
}
