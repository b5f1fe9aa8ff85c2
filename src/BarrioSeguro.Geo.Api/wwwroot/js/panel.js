// What the planner's panels share: their elements found by id prefix, the spinner with "Cancelar", a computing panel's
// section and form, the messages, tables, chips and notes they draw, and highlighting what a click picked.
// Each panel still owns its DOM: these only build what it asks for.

import { t } from './i18n.js';
import { el, fill, byId } from './dom.js';
import { tasks } from './api.js';
import { on } from './events.js';
import { sectorColor, inkOn } from './styles.js';

/** {key: #prefix-key} for each key. */
export const elements = (prefix, keys) => Object.fromEntries(keys.map((k) => [k, byId(`${prefix}-${k}`)]));

/** The panel's spinner (#prefix-busy, its text #prefix-busy-text, its button #prefix-cancel): see tasks() in api.js. */
export const busy = (prefix, label, onChange) =>
  tasks({ box: byId(`${prefix}-busy`), text: byId(`${prefix}-busy-text`), cancel: byId(`${prefix}-cancel`), label, onChange });

/**
 * A panel that computes from a form: #prefix-section (data-busy while it works, hidden while it has nothing to work
 * on), #prefix-form, #prefix-compute, #prefix-result and the other keys. ready() says whether there is something to
 * work on. run(kind, fn) runs in the panel's one slot (a new run cancels the one before).
 */
export function computePanel(prefix, keys, { label, ready }) {
  const dom = elements(prefix, ['section', 'form', 'compute', 'result', ...keys]);
  const work = busy(prefix, label, (running) => {
    dom.section.dataset.busy = running ? 'true' : 'false';
    dom.compute.disabled = running || !ready();
  });
  return {
    dom,
    work,
    run: (kind, fn) => work.run(prefix, kind, fn),
    /** Shows the section and enables its button as ready() says. */
    update() {
      dom.section.hidden = !ready();
      dom.compute.disabled = work.busy || !ready();
    },
    /** A valid submit of the form calls fn (its failure is shown by the panel, not thrown at the page). */
    onSubmit(fn) {
      dom.form.addEventListener('submit', (evt) => {
        evt.preventDefault();
        if (!dom.form.reportValidity()) return;
        fn().catch(() => {});
      });
    },
  };
}

/** One line of the panel's own: tone 'muted' | 'error' | ... (p.planner-msg.is-tone). */
export const message = (tone, text, attrs = {}) => el('p', { class: ['planner-msg', `is-${tone}`], ...attrs }, text);

/**
 * Shows a failure (failure() in api.js) in box: "Cancelado", the server's reason of a 422 under head (and a hint), or
 * the error in one line (#id). box[data-state] is then 'cancelled' or 'error'.
 */
export function renderFailure(box, e, id, head, hint = null) {
  if (e.cancelled) {
    fill(box, message('muted', t('planner.cancelled')));
    box.dataset.state = 'cancelled';
    return;
  }
  box.dataset.state = 'error';
  fill(
    box,
    e.status === 422
      ? el(
          'div',
          { class: 'problem-box', role: 'alert', id },
          el('strong', null, head),
          el('p', { class: 'problem-detail', lang: e.said ? null : 'en' }, e.detail ?? e.title ?? ''), // i18n: said from its note when it has one
          hint ? el('p', { class: 'sub' }, hint) : null,
        )
      : message('error', t('planner.failed', { message: e.text ?? '' }), { role: 'alert', id }),
  );
}

/** The head line of a result: its title and what it was computed with. */
export const planHead = (title, meta) => el('div', { class: 'plan-head' }, el('span', { class: 'plan-title' }, title), el('span', { class: 'plan-meta' }, meta));

/** A chip in the colour of sector `index` (0-based): a button when it does something (onClick), else a span. */
export function sectorChip(index, label, { class: cls, onClick, ...attrs } = {}) {
  const color = sectorColor(index);
  const style = { '--c': color, '--chip-ink': inkOn(color) };
  return onClick
    ? el('button', { type: 'button', class: ['sector-chip', cls], style, on: { click: onClick }, ...attrs }, label)
    : el('span', { class: ['sector-chip', cls], style, ...attrs }, label);
}

/** Calls fn(feature) with the top-most feature of layer under a click on the map, if there is one. */
export const onMapHit = (layer, fn) =>
  on('mapclick', (hits) => {
    const hit = hits.find((h) => h.layer === layer);
    if (hit) fn(hit.feature);
  });

/** Highlights what has `key` = value: the features of source (property key) and the rows (data-key). */
export function highlightIn(source, rows, key, value) {
  for (const f of source.getFeatures()) f.set('highlight', Number(f.get(key)) === value);
  for (const tr of rows) tr.classList.toggle('is-active', Number(tr.dataset[key]) === value);
}

/**
 * A table from its columns and body rows. A column is {text, class, title} (all optional: {} is an empty header).
 */
export const table = (attrs, columns, rows) =>
  el(
    'table',
    attrs,
    el('thead', null, el('tr', null, columns.map((c) => el('th', { class: c.class, title: c.title }, c.text)))),
    el('tbody', null, rows),
  );

/** One row of a figures table: tr[data-figure=key] with its label, value and a note under it. */
export const figure = (key, label, value, note = '', data = {}) =>
  el(
    'tr',
    { dataset: { figure: key, ...data } },
    el('th', { scope: 'row' }, label),
    el('td', null, el('span', { class: 'fig-value' }, value), note ? el('span', { class: 'sub' }, note) : null),
  );

/** The notes of a result: "Notas" and a list (ul#id), or one line that says there are none. */
export const notesList = (id, items, attrs = {}) =>
  items.length
    ? [el('h4', { class: 'sub-head' }, t('sectors.fig.notes')), el('ul', { class: 'plan-notes', id, ...attrs }, items)]
    : el('p', { class: 'hint', id }, `${t('sectors.fig.notes')}: ${t('sectors.none')}`);

/** A labelled <select> in a row (div.compare-row): its id, label, change handler and options. */
export const selectRow = (id, label, onChange, options) =>
  el('div', { class: 'compare-row' }, el('label', { htmlFor: id }, label), el('select', { id, on: { change: onChange } }, options));
