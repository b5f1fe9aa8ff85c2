// "Planificación del barrio": the planner's panel for one neighbourhood.
// Figures (GET /api/neighborhoods/{id}/figures), validation drawn on the map (GET .../validation, layer `validation`),
// repair preview and apply (POST .../repair[?apply=true] with If-Match, layer `diff`). History and diffs: history.js,
// in the same result area. #planner-panel[data-state] is 'closed' | 'loading' | 'ready' | 'error' | 'cancelled';
// #planner-result[data-drawn="true"] once the map drew what the result area describes.

import { t, has } from '../i18n.js';
import { el, fill, byId } from '../dom.js';
import { fmt, fmtArea, fmtM2, fmtKm, fmtKm2, fmtLonLat, plural } from '../format.js';
import { request, isAbort, describe, ApiError } from '../api.js';
import { emit, on } from '../events.js';
import { map, layers, readFeature, readFeatures, readAllFeatures, rendered, setFocus, fitWith, toLonLat, reloadNeighborhoods } from '../map.js';
import { showNeighborhood } from './information.js';
import { elements, busy, figure, message } from '../panel.js';
import { noteText, knowsNote } from '../notes.js';

const API = 'api/neighborhoods/';

const dom = elements('planner', ['panel', 'name', 'meta', 'figures', 'actions', 'result']);

const state = {
  id: null,
  props: null, // the neighbourhood's properties as read from GET /api/neighborhoods/{id}
  figures: null,
  version: null,
  view: null, // what the result area shows: {type: 'message' | 'validation' | 'repair' | 'history', ...}
};

// ---- busy / cancel ------------------------------------------------------------------------------------------------

function setButtonsDisabled(disabled) {
  for (const b of dom.actions.querySelectorAll('button')) b.disabled = disabled || state.id === null;
}

/** Two slots: 'figures' and 'action' (validate, repair, history, diff); one spinner with "Cancelar" for both. */
const work = busy(
  'planner',
  (kind) => t(`planner.loading.${kind}`),
  (running) => {
    document.body.dataset.plannerBusy = running ? 'true' : 'false';
    setButtonsDisabled(running);
  },
);

/** Runs an action of the result area (a new one cancels the one before). */
export const runAction = (kind, fn) => work.run('action', kind, fn);

// ---- result area: one view at a time --------------------------------------------------------------------------------

const views = {
  message: (v) => message(v.tone, v.text),
  validation: renderValidation,
  repair: renderRepair,
};

/** Lets another module draw a view type in the result area (history.js: 'history'). */
export function registerView(type, render) {
  views[type] = render;
}

export function currentView() {
  return state.view;
}

export function showView(view) {
  state.view = view;
  dom.result.dataset.drawn = 'false';
  renderView();
}

export function renderView() {
  const v = state.view;
  dom.result.dataset.view = v?.type ?? '';
  fill(dom.result, v ? (views[v.type]?.(v) ?? null) : null);
}

/** Waits for the map to draw what was just added, then says so (#planner-result[data-drawn="true"]). */
export async function drawn() {
  await rendered();
  dom.result.dataset.drawn = 'true';
}

export function markUndrawn() {
  dom.result.dataset.drawn = 'false';
}

export function showFailure(err) {
  if (isAbort(err)) {
    showView({ type: 'message', tone: 'muted', text: t('planner.cancelled') });
    dom.panel.dataset.state = 'cancelled';
  } else {
    console.error('Viewer planner:', err);
    showView({ type: 'message', tone: 'error', text: t('planner.failed', { message: describe(err) }) });
  }
}

/** Runs an action on the neighbourhood shown, fn(id, signal) (see runAction); a failure shows in the result area. */
export async function action(kind, fn) {
  const id = await ensureSelected();
  try {
    return await runAction(kind, (signal) => fn(id, signal));
  } catch (err) {
    showFailure(err);
    throw err;
  }
}

export function clearOverlays() {
  layers.validation.getSource().clear();
  layers.diff.getSource().clear();
  emit('layers');
}

// ---- selection and figures ------------------------------------------------------------------------------------------

const layerFeature = (id) => layers.neighborhoods.getSource().getFeatureById(id) ?? null;

let selecting = null; // {id, promise}

/** Opens the panel on a neighbourhood; resolves with its figures once shown. */
export function selectNeighborhood(id, { force = false } = {}) {
  const nid = Number(id);
  if (!Number.isInteger(nid)) return Promise.reject(new Error(`not a neighbourhood id: ${id}`));
  if (!force && state.id === nid) {
    if (selecting?.id === nid) return selecting.promise;
    if (state.figures) return Promise.resolve(state.figures);
  }
  if (state.id !== nid) {
    work.abort('action');
    clearOverlays();
    state.view = null;
    state.figures = null;
  }
  state.id = nid;
  emit('neighborhood', nid);
  dom.panel.hidden = false;
  dom.panel.dataset.neighborhoodId = String(nid);
  dom.panel.dataset.state = 'loading';
  const known = layerFeature(nid);
  if (known) showNeighborhood(known);
  setFocus(known);
  renderHead(known?.getProperties() ?? null);
  if (!state.figures) renderFigures(null);
  renderView();

  const promise = work
    .run('figures', 'figures', async (signal) => {
      const [feature, figures] = await Promise.all([request(`${API}${nid}`, { signal }), request(`${API}${nid}/figures`, { signal })]);
      if (state.id !== nid) throw new DOMException('another neighbourhood was selected', 'AbortError');
      applyLoaded(feature.body, figures.body);
      dom.panel.dataset.state = 'ready';
      return state.figures;
    })
    .catch((err) => {
      if (state.id === nid) {
        dom.panel.dataset.state = isAbort(err) ? 'cancelled' : 'error';
        renderFigures(null, err);
      }
      throw err;
    })
    .finally(() => {
      if (selecting?.promise === promise) selecting = null;
    });
  selecting = { id: nid, promise };
  return promise;
}

function applyLoaded(feature, figures) {
  state.props = feature.properties ?? {};
  state.figures = figures;
  state.version = figures.version ?? state.props.version ?? null;
  setFocus(readFeature(feature));
  dom.panel.dataset.version = String(state.version ?? '');
  renderHead(state.props);
  renderFigures(state.figures);
}

export function close() {
  work.cancel();
  emit('neighborhood', null);
  clearOverlays();
  setFocus(null);
  state.id = null;
  state.props = state.figures = state.version = state.view = null;
  dom.panel.hidden = true;
  dom.panel.dataset.state = 'closed';
  delete dom.panel.dataset.neighborhoodId;
  setButtonsDisabled(true);
}

byId('planner-close').addEventListener('click', close);

/** The neighbourhood shown; throws when there is none; waits for its figures. */
export async function ensureSelected() {
  if (state.id === null) throw new Error('no neighbourhood selected: call selectNeighborhood(id) first');
  if (!state.figures) await selectNeighborhood(state.id);
  return state.id;
}

function renderHead(props) {
  dom.name.textContent = props?.name ?? (state.id !== null ? `#${state.id}` : '');
  const bits = [];
  if (props?.version !== undefined && props?.version !== null) bits.push(t('planner.version', { v: props.version }));
  if (props?.status) {
    const status = String(props.status).toLowerCase();
    bits.push(has(`status.${status}`) ? t(`status.${status}`) : String(props.status));
  }
  if (props?.isIllustrative === true) bits.push(t('map.illustrative'));
  dom.meta.textContent = bits.join(' · ');
}

function renderFigures(figures, err) {
  if (!figures) {
    fill(
      dom.figures,
      err
        ? message(isAbort(err) ? 'muted' : 'error', isAbort(err) ? t('planner.cancelled') : t('planner.failed', { message: describe(err) }))
        : el('div', { class: 'figures-skeleton', 'aria-hidden': 'true' }, el('span'), el('span'), el('span'), el('span')),
    );
    return;
  }
  const row = (key, value, note = '') => figure(key, t(`planner.${key}`), value, note);
  const byClass = Object.entries(figures.streetKmByClass ?? {}).sort((a, b) => b[1] - a[1]);
  const maxKm = byClass.length > 0 ? byClass[0][1] : 0;
  const classes = byClass.map(([cls, km]) => {
    const pct = maxKm > 0 ? Math.max(2, Math.round((km / maxKm) * 100)) : 0;
    return el(
      'li',
      { dataset: { streetClass: cls }, title: `highway=${cls}` },
      el('span', { class: 'cls-name' }, has(`class.${cls}`) ? t(`class.${cls}`) : cls),
      el('span', { class: 'cls-bar', 'aria-hidden': 'true' }, el('span', { style: { width: `${pct}%` } })),
      el('span', { class: 'cls-km' }, fmtKm(km, 2)),
    );
  });
  fill(
    dom.figures,
    el(
      'table',
      { class: 'props figures-table' },
      el(
        'tbody',
        null,
        row('area', fmtKm2(figures.areaKm2, 3)),
        row('perimeter', fmtKm(figures.perimeterKm, 2)),
        row('polsbyPopper', fmt(figures.polsbyPopper, 2), t('planner.polsbyPopperNote')),
        row('streetKm', fmtKm(figures.streetKm, 2)),
        row('incidents', plural('planner.incidentsUnit', figures.incidents)),
        row('stations', plural('planner.stationsUnit', figures.stations)),
      ),
    ),
    classes.length
      ? el(
          'details',
          { class: 'street-classes', open: true },
          el('summary', null, t('planner.streetKmByClass')),
          el('ul', { class: 'cls-list', dataset: { figure: 'streetKmByClass' } }, classes),
        )
      : null,
  );
  setButtonsDisabled(work.busy);
}

// ---- validation -------------------------------------------------------------------------------------------------------

function problemPlace(feature) {
  const g = feature.getGeometry();
  if (!g) return null;
  let c;
  if (g.getType() === 'Point') c = g.getCoordinates();
  else if (g.getType() === 'MultiPoint') c = g.getPoint(0).getCoordinates();
  else if (g.getType() === 'Polygon') c = g.getInteriorPoint().getCoordinates();
  else if (g.getType() === 'MultiPolygon') c = g.getInteriorPoints().getPoint(0).getCoordinates();
  else c = ol.extent.getCenter(g.getExtent());
  return toLonLat(c);
}

/** A sentence in the current language from the structured problem; the server's (English) sentence otherwise. */
function problemMessage(p) {
  const key = `msg.${p.kind}`;
  // i18n (issue 12): a kind the viewer has no sentence for is said from the server's note (code, args).
  if (!has(key)) return p.code && knowsNote(p) ? noteText(p) : p.message;
  const near = p.place ? t('planner.near', { place: fmtLonLat(p.place) }) : '';
  return t(key, { other: p.other ?? '?', area: fmtArea(p.areaM2), near }).replace(/\s+\./, '.');
}

/** Resolves with the problems (index, kind, message, areaM2, other, geometryType) once drawn on the `validation` layer. */
export async function validate() {
  return action('validation', async (id, signal) => {
    const { body } = await request(`${API}${id}/validation`, { signal });
    const features = readAllFeatures(body.problems ?? { type: 'FeatureCollection', features: [] });
    const problems = features.map((f, i) => {
      const g = f.getGeometry();
      const hasPlace = !!g && !ol.extent.isEmpty(g.getExtent());
      f.set('index', i + 1);
      return {
        index: i + 1,
        kind: f.get('kind'),
        message: f.get('message'),
        code: f.get('code') ?? null,
        args: f.get('args') ?? null,
        text: f.get('message'),
        areaM2: f.get('areaM2') ?? null,
        other: f.get('other') ?? null,
        geometryType: hasPlace ? g.getType() : null,
        hasPlace,
        point: hasPlace && /Point$/.test(g.getType()),
        place: hasPlace ? problemPlace(f) : null,
      };
    });
    const placed = features.filter((f) => f.getGeometry() && !ol.extent.isEmpty(f.getGeometry().getExtent()));
    layers.diff.getSource().clear();
    layers.validation.getSource().clear();
    layers.validation.getSource().addFeatures(placed);
    layers.validation.setVisible(true);
    emit('layers');
    showView({ type: 'validation', problems, valid: body.valid === true, highlight: null });
    dom.result.dataset.valid = String(problems.length === 0);
    fitWith(placed);
    await drawn();
    return problems.map(({ index, kind, message, areaM2, other, geometryType }) => ({ index, kind, message, areaM2, other, geometryType }));
  });
}

function renderValidation(v) {
  if (v.problems.length === 0) {
    return el('div', { class: 'valid-badge', dataset: { valid: 'true' } }, el('span', { class: 'check', 'aria-hidden': 'true' }, '✓'), el('span', null, t('planner.valid')));
  }
  const items = v.problems.map((p) =>
    el(
      'li',
      null,
      el(
        'button',
        {
          type: 'button',
          class: ['problem', p.index === v.highlight && 'is-active'],
          dataset: { index: p.index, kind: p.kind },
          title: p.message ?? '',
          disabled: !p.hasPlace,
          on: { click: () => zoomToProblem(p.index) },
        },
        el('span', { class: ['problem-num', p.point && 'is-point'] }, String(p.index)),
        el('span', { class: 'problem-body' }, el('span', { class: 'problem-kind' }, t(`kind.${p.kind}`)), el('span', { class: 'problem-msg' }, problemMessage(p))),
      ),
    ),
  );
  return [
    el('div', { class: 'result-head is-invalid' }, el('span', { class: 'cross', 'aria-hidden': 'true' }, '✕'), el('span', null, plural('planner.problems', v.problems.length))),
    el('p', { class: 'hint' }, t('planner.problemHint')),
    el('ol', { class: 'problem-list', id: 'problem-list' }, items),
  ];
}

function highlightProblem(index) {
  for (const f of layers.validation.getSource().getFeatures()) f.set('highlight', f.get('index') === index);
  if (state.view?.type === 'validation') {
    state.view.highlight = index;
    for (const b of dom.result.querySelectorAll('button.problem')) b.classList.toggle('is-active', Number(b.dataset.index) === index);
  }
}

function zoomToProblem(index) {
  const feature = layers.validation.getSource().getFeatures().find((f) => f.get('index') === index);
  highlightProblem(index);
  if (!feature) return;
  const extent = feature.getGeometry().getExtent();
  const view = map.getView();
  if (ol.extent.getWidth(extent) === 0 && ol.extent.getHeight(extent) === 0) {
    view.animate({ center: ol.extent.getCenter(extent), zoom: Math.max(view.getZoom() ?? 17, 18), duration: 300 });
  } else {
    view.fit(extent, { padding: [80, 80, 80, 80], maxZoom: 18, duration: 300 });
  }
}

// ---- repair -----------------------------------------------------------------------------------------------------------

/** Resolves with the repair preview once its changes are drawn on the `diff` layer. */
export async function repairPreview() {
  return action('repair', async (id, signal) => {
    const { body } = await request(`${API}${id}/repair`, { method: 'POST', signal });
    const added = body.added ? readFeatures({ type: 'FeatureCollection', features: [body.added] }) : [];
    const removed = body.removed ? readFeatures({ type: 'FeatureCollection', features: [body.removed] }) : [];
    added.forEach((f) => f.set('areaM2', body.addedSquareMeters));
    removed.forEach((f) => f.set('areaM2', body.removedSquareMeters));
    layers.validation.getSource().clear();
    layers.diff.getSource().clear();
    layers.diff.getSource().addFeatures([...removed, ...added]);
    layers.diff.setVisible(true);
    emit('layers');
    showView({ type: 'repair', preview: body, outcome: null });
    fitWith([...added, ...removed]);
    await drawn();
    return body;
  });
}

/** Saves the previewed repair on the version it was computed from (If-Match); a 412 (409 from older services) says someone else changed it. */
export async function applyRepair() {
  const id = await ensureSelected();
  const preview = state.view?.type === 'repair' ? state.view.preview : null;
  if (!preview) throw new Error('no repair preview to apply');
  const view = state.view;
  try {
    return await runAction('apply', async (signal) => {
      let result;
      try {
        ({ body: result } = await request(`${API}${id}/repair?apply=true`, { method: 'POST', headers: { 'If-Match': `"${preview.version}"` }, signal }));
      } catch (err) {
        if (isConflict(err)) {
          view.outcome = { conflict: true, status: err.status, currentVersion: err.body?.currentVersion ?? null };
          renderView();
          dom.panel.dataset.conflict = 'true';
        }
        throw err;
      }
      view.outcome = { applied: result.applied === true, version: result.version };
      layers.diff.getSource().clear();
      emit('layers');
      renderView();
      await reloadLayerAndFigures();
      return result;
    });
  } catch (err) {
    if (!isConflict(err)) showFailure(err);
    throw err;
  }
}

/** A stale version: 412 when If-Match named it, 409 when the body did. */
function isConflict(err) {
  return err instanceof ApiError && (err.status === 412 || err.status === 409);
}

function renderRepair(v) {
  const p = v.preview;
  // i18n (issue 12): each change said from its note in the viewer's language; the server's sentence otherwise.
  const changes = p.changeNotes?.length ? p.changeNotes : (p.changes ?? []);
  // Once applied it is saved: the head no longer says "preview, not saved".
  const out = [el('div', { class: 'result-head', dataset: { applied: v.outcome?.applied ? 'true' : null } }, el('span', null, t(v.outcome?.applied ? 'repair.titleApplied' : 'repair.title')))];
  if (changes.length === 0) {
    out.push(el('div', { class: 'valid-badge', dataset: { valid: 'true' } }, el('span', { class: 'check', 'aria-hidden': 'true' }, '✓'), el('span', null, t('repair.none'))));
  } else {
    out.push(
      el(
        'ul',
        { class: 'repair-summary' },
        el('li', { class: 'is-added' }, el('span', { class: 'swatch swatch-added', 'aria-hidden': 'true' }), t('repair.added', { area: fmtM2(p.addedSquareMeters) })),
        el('li', { class: 'is-removed' }, el('span', { class: 'swatch swatch-removed', 'aria-hidden': 'true' }), t('repair.removed', { area: fmtM2(p.removedSquareMeters) })),
        p.repaired?.properties?.areaKm2 !== undefined ? el('li', null, t('repair.newArea', { area: fmtKm2(p.repaired.properties.areaKm2, 3) })) : null,
      ),
      el('h4', { class: 'sub-head' }, t('repair.changes')),
      el('ul', { class: 'repair-changes' }, changes.map((c) => el('li', { dataset: { code: c?.code ?? '' } }, noteText(c)))),
    );
    if (!v.outcome?.applied && !v.outcome?.conflict) {
      out.push(
        el(
          'div',
          { class: 'planner-row' },
          el(
            'button',
            {
              type: 'button',
              id: 'repair-apply',
              class: 'action-btn is-primary',
              title: t('repair.applyTitle', { v: p.version }),
              on: { click: () => applyRepair().catch(() => {}) },
            },
            t('repair.apply'),
          ),
          el('span', { class: 'sub' }, t('planner.version', { v: p.version })),
        ),
      );
    }
  }
  if (v.outcome?.conflict) {
    const known = v.outcome.currentVersion !== null && v.outcome.currentVersion !== undefined;
    out.push(
      el(
        'div',
        { class: 'conflict', role: 'alert', id: 'planner-conflict' },
        el('strong', null, String(v.outcome.status ?? 412)),
        ' ',
        el('span', null, known ? t('repair.conflict', { v: v.outcome.currentVersion }) : t('repair.conflictUnknown')),
        el('button', { type: 'button', id: 'planner-reload', class: 'action-btn', on: { click: () => reload().catch(() => {}) } }, t('repair.reload')),
      ),
    );
  } else if (v.outcome?.applied) {
    out.push(
      el(
        'div',
        { class: 'valid-badge', dataset: { applied: 'true' } },
        el('span', { class: 'check', 'aria-hidden': 'true' }, '✓'),
        el('span', null, t('repair.applied', { v: v.outcome.version })),
      ),
    );
  }
  return out;
}

async function reloadLayerAndFigures() {
  await reloadNeighborhoods();
  const f = state.id !== null ? layerFeature(state.id) : null;
  if (f) showNeighborhood(f);
  const id = state.id;
  const [feature, figures] = await Promise.all([request(`${API}${id}`), request(`${API}${id}/figures`)]);
  if (state.id !== id) return;
  delete dom.panel.dataset.conflict;
  applyLoaded(feature.body, figures.body);
}

/** After a conflict: the neighbourhood as it is now, and no preview. */
async function reload() {
  await work.run('figures', 'figures', () => reloadLayerAndFigures());
  clearOverlays();
  showView(null);
}

// ---- buttons, map clicks, language ------------------------------------------------------------------------------------

byId('btn-validate').addEventListener('click', () => validate().catch(() => {}));
byId('btn-repair').addEventListener('click', () => repairPreview().catch(() => {}));

on('mapclick', (hits) => {
  const problem = hits.find((h) => h.layer === layers.validation);
  if (problem) {
    highlightProblem(problem.feature.get('index'));
    return;
  }
  if (hits.some((h) => h.layer === layers.diff)) return;
  const barrios = hits.filter((h) => h.layer === layers.neighborhoods).map((h) => h.feature);
  if (barrios.length === 0) return;
  // Keep the current one when it is among those under the pointer (overlapping neighbourhoods).
  const keep = barrios.find((f) => Number(f.getId() ?? f.get('id')) === state.id);
  const pick = keep ?? barrios[0];
  selectNeighborhood(pick.getId() ?? pick.get('id')).catch(() => {});
});

on('language', () => {
  if (state.id === null) return;
  renderHead(state.props);
  renderFigures(state.figures);
  renderView();
  work.relabel();
});

setButtonsDisabled(true);
dom.panel.dataset.state = 'closed';
