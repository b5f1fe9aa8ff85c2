// "Historial": the versions of the neighbourhood (GET .../revisions, Lima time, m² added and removed); ticking two shows
// GET .../diff?from=&to= on the `diff` layer. Drawn in the neighbourhood panel's result area.

import { t } from '../i18n.js';
import { el, byId } from '../dom.js';
import { fmtM2, fmtKm2, fmtDateTime, fmtShortDateTime } from '../format.js';
import { request, isAbort } from '../api.js';
import { emit } from '../events.js';
import { layers, readFeatures, fitWith } from '../map.js';
import { table } from '../panel.js';
import { action, ensureSelected, runAction, showView, renderView, currentView, registerView, drawn, markUndrawn, showFailure } from './neighborhood.js';

const API = 'api/neighborhoods/';

/** Resolves with the revisions once listed. */
export async function history() {
  return action('history', async (id, signal) => {
    const { body } = await request(`${API}${id}/revisions`, { signal });
    const revisions = Array.isArray(body) ? body : [];
    layers.validation.getSource().clear();
    layers.diff.getSource().clear();
    emit('layers');
    showView({ type: 'history', revisions, picked: [], diff: null });
    return revisions;
  });
}

/** Resolves with {from, to, added, removed} (m²) once the changes between two versions are drawn. */
export async function diff(from, to) {
  const id = await ensureSelected();
  if (currentView()?.type !== 'history') await history();
  const view = currentView();
  view.picked = [Number(from), Number(to)];
  try {
    return await runAction('diff', async (signal) => {
      const { body } = await request(`${API}${id}/diff?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`, { signal });
      const features = readFeatures(body);
      const area = (change) => (body.features ?? []).find((f) => f.properties?.change === change)?.properties?.areaM2 ?? 0;
      layers.diff.getSource().clear();
      layers.diff.getSource().addFeatures(features);
      layers.diff.setVisible(true);
      emit('layers');
      view.diff = { from: Number(from), to: Number(to), added: area('added'), removed: area('removed') };
      markUndrawn();
      renderView();
      fitWith(features);
      await drawn();
      return view.diff;
    });
  } catch (err) {
    if (isAbort(err)) {
      view.picked = [];
      renderView();
    } else showFailure(err);
    throw err;
  }
}

/** A ticked or unticked version: two ticked show their diff (the two most recent picks). */
function pick(view, version, checked) {
  if (currentView() !== view) return;
  let picked = view.picked.filter((x) => x !== version);
  if (checked) picked.push(version);
  if (picked.length > 2) picked = picked.slice(-2);
  view.picked = picked;
  if (picked.length === 2) {
    const [a, b] = [...picked].sort((x, y) => x - y);
    diff(a, b).catch(() => {});
  } else {
    view.diff = null;
    layers.diff.getSource().clear();
    emit('layers');
    renderView();
  }
}

function row(view, r) {
  const checked = view.picked.includes(r.version);
  const version = t('history.vShort', { v: r.version });
  return el(
    'tr',
    { dataset: { version: r.version }, class: checked && 'is-picked' },
    el(
      'td',
      { class: 'pick' },
      el('input', {
        type: 'checkbox',
        class: 'rev-pick',
        value: String(r.version),
        'aria-label': `${t('history.compare')} ${version}`,
        checked,
        on: { change: (evt) => pick(view, r.version, evt.target.checked) },
      }),
    ),
    el('td', { class: 'rev-v' }, version),
    el(
      'td',
      { class: 'rev-main' },
      el('span', { class: 'rev-author' }, r.author ?? ''),
      el('time', { datetime: String(r.createdAt ?? ''), title: fmtDateTime(r.createdAt) }, fmtShortDateTime(r.createdAt)),
      el('span', { class: ['rev-comment', !r.comment && 'is-empty'] }, r.comment || t('history.noComment')),
      el('span', { class: 'rev-area' }, `${t('history.area')}: ${fmtKm2(r.areaKm2, 3)}`),
    ),
    el(
      'td',
      { class: 'rev-delta' },
      el('span', { class: 'plus', title: t('history.added') }, `+${fmtM2(r.addedSquareMeters)}`),
      el('span', { class: 'minus', title: t('history.removed') }, `−${fmtM2(r.removedSquareMeters)}`),
    ),
  );
}

function summary(d) {
  if (!d) return el('p', { class: 'hint', id: 'diff-summary' }, t('history.pickTwo'));
  const changes =
    d.added === 0 && d.removed === 0
      ? el('span', null, t('history.diffNone'))
      : [
          el('span', { class: 'is-added' }, el('span', { class: 'swatch swatch-added', 'aria-hidden': 'true' }), t('history.diffAdded', { area: fmtM2(d.added) })),
          el('span', { class: 'is-removed' }, el('span', { class: 'swatch swatch-removed', 'aria-hidden': 'true' }), t('history.diffRemoved', { area: fmtM2(d.removed) })),
        ];
  return el('div', { class: 'diff-summary', id: 'diff-summary', dataset: { from: d.from, to: d.to } }, el('strong', null, t('history.diff', { from: d.from, to: d.to })), changes);
}

registerView('history', (view) => [
  el('div', { class: 'result-head' }, el('span', null, t('history.title'))),
  el('p', { class: 'hint' }, t('history.hint')),
  table(
    { class: 'history', id: 'history-table' },
    [
      {},
      { text: t('history.version') },
      { text: `${t('history.author')} · ${t('history.date')} · ${t('history.comment')}` },
      { text: `${t('history.added')} / ${t('history.removed')}`, class: 'num' },
    ],
    [...view.revisions].sort((a, b) => b.version - a.version).map((r) => row(view, r)),
  ),
  summary(view.diff),
]);

byId('btn-history').addEventListener('click', () => history().catch(() => {}));
