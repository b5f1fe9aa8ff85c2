// "Dibujar barrio" and "Editar límite": a planner draws a new neighbourhood or reshapes one on the map.
// OpenLayers Draw (Polygon), Modify (move, add by dragging an edge, delete with Alt+click or "Quitar vértices") and Snap
// (street centrelines, the district's block edges and the other neighbourhoods' edges). "Crear desde manzanas"
// (panels/blockpick.js) gives the shape as the union of clicked blocks instead of drawn vertices. While drawing, the shape is checked as it goes: a local
// self-intersection test at once, and POST /api/neighborhoods/validate (debounced) for overlaps and parts outside the
// district, drawn on the map. Undo/redo (buttons, Ctrl+Z / Ctrl+Y). Saving: POST /api/neighborhoods (new) or
// PUT /api/neighborhoods/{id} with If-Match (a new version); a 412 says whose change came first (from .../revisions)
// and lets the planner reload or keep the drawing as a draft.
// #draw-panel[data-mode] is 'draw' | 'edit'; [data-state] 'drawing' | 'picking' | 'drawn' | 'saving' | 'saved' | 'error' | 'conflict';
// #draw-live[data-checked="true"] once the server's answer for the current shape is shown.

import { t } from '../i18n.js';
import { el, fill, byId } from '../dom.js';
import { fmt, fmtKm, fmtKm2, fmtShortDateTime } from '../format.js';
import { request, session, isAbort, ApiError } from '../api.js';
import { on } from '../events.js';
import { map, layers, readFeature, DATA_PROJECTION, reloadNeighborhoods } from '../map.js';
import * as styles from '../styles.js';
import { selectNeighborhood, clearOverlays } from './neighborhood.js';
import { blockSource, blockLayer, loadBlocks, districtInView, setPicking } from '../blocks.js';

const API = 'api/neighborhoods';
const VALIDATE_DELAY_MS = 400;
const DRAFT_KEY = 'barrioViewer.draft.';
const EDITORS = new Set(['planner', 'admin']);

const dom = Object.fromEntries(
  ['panel', 'title', 'hint', 'name', 'name-field', 'finish', 'undo', 'redo', 'delete', 'snap', 'figures', 'live', 'save', 'discard', 'result', 'close', 'start'].map(
    (k) => [k, byId(`draw-${k}`)],
  ),
);
const editButton = byId('btn-edit');

const geojson = new ol.format.GeoJSON();
const draftSource = new ol.source.Vector();
const problemSource = new ol.source.Vector();
const draftLayer = new ol.layer.Vector({ source: draftSource, zIndex: 1020, properties: { name: 'draft' } });
const problemLayer = new ol.layer.Vector({ source: problemSource, style: styles.problemStyle, zIndex: 1021, properties: { name: 'draft-problems' } });
map.addLayer(draftLayer);
map.addLayer(problemLayer);

const state = {
  mode: null, // 'draw' | 'edit' | null
  id: null, // the neighbourhood reshaped
  version: null, // the version the edit started from (If-Match)
  props: null,
  sketch: null, // the polygon being drawn, before it is finished
  otherParts: [], // the parts of a MultiPolygon after the first, kept as they are (the editor reshapes the first)
  undo: [], // snapshots (rings in the view's projection), the last one is the current shape
  redo: [],
  deleteMode: false,
  picking: false, // "Crear desde manzanas": the shape is the union of the picked blocks
  checks: 0, // validation requests sent, to drop stale answers
  problems: [],
  validateTimer: null,
  validateAbort: null,
};

let draw = null;
let modify = null;
let snaps = [];

export const isEditing = () => state.mode !== null;

// ---- geometry helpers -----------------------------------------------------------------------------------------------

const closed = (ring) => (ring.length > 0 && (ring[0][0] !== ring.at(-1)[0] || ring[0][1] !== ring.at(-1)[1]) ? [...ring, ring[0]] : ring);

/** The outer ring of the current shape (the sketch while drawing), closed, in the view's projection; null if none. */
function currentRing() {
  if (state.sketch) {
    const ring = closed(state.sketch.getCoordinates()[0] ?? []);
    return ring.length >= 4 ? ring : null;
  }
  const g = draftSource.getFeatures()[0]?.getGeometry();
  if (!g) return null;
  const poly = g.getType() === 'MultiPolygon' ? g.getPolygon(0) : g;
  return poly.getCoordinates()[0];
}

function currentGeometry() {
  if (state.sketch) {
    const ring = currentRing();
    return ring ? new ol.geom.Polygon([ring]) : null;
  }
  const g = draftSource.getFeatures()[0]?.getGeometry();
  if (!g) return null;
  return state.otherParts.length ? new ol.geom.MultiPolygon([g.getCoordinates(), ...state.otherParts]) : g;
}

function segmentsCross(a, b, c, d) {
  const o = (p, q, r) => Math.sign((q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0]));
  return o(a, b, c) * o(a, b, d) < 0 && o(c, d, a) * o(c, d, b) < 0;
}

/** Whether two edges of the ring that do not share a vertex cross (checked at once, before the server answers). */
function crossesItself(ring) {
  const n = ring.length - 1;
  for (let i = 0; i < n; i++) {
    for (let j = i + 2; j < n; j++) {
      if (i === 0 && j === n - 1) continue; // neighbours through the closing vertex
      if (segmentsCross(ring[i], ring[i + 1], ring[j], ring[j + 1])) return true;
    }
  }
  return false;
}

/** The district (ubigeo) under the shape: the one that holds most of its vertices. */
function districtOf(ring) {
  const counts = new Map();
  for (const c of ring.slice(0, -1)) {
    for (const d of layers.districts.getSource().getFeaturesAtCoordinate(c)) {
      const u = d.get('ubigeo');
      if (u) counts.set(u, (counts.get(u) ?? 0) + 1);
    }
  }
  if (state.props?.districtUbigeo) return state.props.districtUbigeo;
  // The district chosen in "Buscar distrito" (issue 13.2) wins where the shape lies in it (INEI's limits overlap a
  // little) or in no district drawn (one INEI's file has no boundary for).
  if (working && (counts.has(working.ubigeo) || counts.size === 0)) return working.ubigeo;
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
}

/** The working district of "Buscar distrito" (panels/districtsearch.js), or null. */
let working = null;
on('workingdistrict', (d) => {
  working = d;
});

function districtName(ubigeo) {
  if (working?.ubigeo === ubigeo) return working.name;
  const d = layers.districts.getSource().getFeatures().find((f) => f.get('ubigeo') === ubigeo);
  return d?.get('name') ?? ubigeo;
}

function asGeoJson(geometry, properties) {
  return geojson.writeFeatureObject(new ol.Feature({ geometry: geometry.clone(), ...properties }), {
    dataProjection: DATA_PROJECTION,
    featureProjection: map.getView().getProjection(),
    decimals: 7,
  });
}

// ---- panel ----------------------------------------------------------------------------------------------------------

function setState(s) {
  dom.panel.dataset.state = s;
}

function updateButtons() {
  const drawing = state.sketch !== null || (state.mode === 'draw' && draftSource.getFeatures().length === 0);
  dom.finish.hidden = state.mode !== 'draw' || !(drawing || state.picking);
  dom.finish.disabled = state.picking ? draftSource.getFeatures().length === 0 : !state.sketch || (currentRing()?.length ?? 0) < 4;
  dom.finish.textContent = t(state.picking ? 'blocks.finish' : 'draw.finish');
  dom.undo.disabled = state.picking || (state.sketch ? false : state.undo.length <= 1);
  dom.redo.disabled = state.picking || state.sketch !== null || state.redo.length === 0;
  dom.delete.disabled = drawing || state.picking;
  dom.delete.setAttribute('aria-pressed', String(state.deleteMode));
  dom.save.disabled = drawing || draftSource.getFeatures().length === 0 || dom.panel.dataset.state === 'saving';
}

function renderTitle() {
  if (state.mode === 'edit') {
    dom.title.textContent = t('draw.editTitle', { name: state.props?.name ?? `#${state.id}` });
    dom.hint.textContent = t('draw.editHint');
  } else if (dom.panel.dataset.source === 'blocks') {
    dom.title.textContent = t('blocks.title');
    dom.hint.textContent = t(state.picking ? 'blocks.hint' : 'draw.editHint');
  } else {
    dom.title.textContent = t('draw.title');
    dom.hint.textContent = t('draw.hint');
  }
  dom['name-field'].hidden = state.mode === 'edit';
}

function renderFigures() {
  const g = currentGeometry();
  if (!g) {
    fill(dom.figures, el('p', { class: 'hint' }, t(state.picking ? 'blocks.none' : 'draw.noShape')));
    return;
  }
  const ring = currentRing();
  const projection = map.getView().getProjection();
  const areaKm2 = Math.abs(ol.sphere.getArea(g, { projection })) / 1e6;
  const perimeterKm = ol.sphere.getLength(new ol.geom.LineString(ring), { projection }) / 1000;
  const vertices = ring.length - 1;
  const ubigeo = districtOf(ring);
  const row = (key, label, value) => el('tr', { dataset: { figure: key } }, el('th', { scope: 'row' }, label), el('td', null, el('span', { class: 'fig-value' }, value)));
  fill(
    dom.figures,
    el(
      'table',
      { class: 'props figures-table' },
      el(
        'tbody',
        null,
        row('vertices', t('draw.vertices'), t('draw.verticesUnit', { n: fmt(vertices, 0) })),
        row('area', t('planner.area'), fmtKm2(areaKm2, 4)),
        row('perimeter', t('planner.perimeter'), fmtKm(perimeterKm, 3)),
        row('district', t('draw.district'), ubigeo ? districtName(ubigeo) : t('draw.noDistrict')),
      ),
    ),
  );
  dom.figures.dataset.areaKm2 = String(areaKm2);
  dom.figures.dataset.vertices = String(vertices);
}

function problemText(p) {
  const area = p.areaM2 !== null && p.areaM2 !== undefined ? `${fmt(p.areaM2, p.areaM2 < 10 ? 1 : 0)}\u00a0m²` : '';
  return t(`msg.${p.kind}`, { other: p.other ?? '?', area, near: '' }).replace(/\s+\./, '.');
}

function renderLive() {
  const ring = currentRing();
  if (!ring) {
    fill(dom.live);
    return;
  }
  const local = crossesItself(ring);
  const items = state.problems.map((p) =>
    el('li', { dataset: { kind: p.kind } }, el('strong', null, t(`kind.${p.kind}`)), ' ', el('span', null, problemText(p))),
  );
  if (local && !state.problems.some((p) => p.kind === 'self-intersection')) {
    items.unshift(el('li', { dataset: { kind: 'self-intersection', local: 'true' } }, el('strong', null, t('kind.self-intersection')), ' ', t('draw.crossesItself')));
  }
  const pending = dom.live.dataset.checked !== 'true';
  fill(
    dom.live,
    items.length
      ? el('ul', { class: 'draw-problems', id: 'draw-problems' }, items)
      : pending
        ? el('p', { class: 'hint' }, t('draw.checking'))
        : el('p', { class: 'valid-badge', dataset: { valid: 'true' } }, el('span', { class: 'check', 'aria-hidden': 'true' }, '✓'), ' ', t('draw.valid')),
  );
  dom.live.dataset.problems = String(items.length);
}

/** Checks the shape on the server after a pause in the drawing; a newer shape cancels the older check. */
function scheduleValidate() {
  dom.live.dataset.checked = 'false';
  clearTimeout(state.validateTimer);
  state.validateTimer = setTimeout(validateNow, VALIDATE_DELAY_MS);
}

async function validateNow() {
  const g = currentGeometry();
  const ring = currentRing();
  if (!g || !ring) return;
  state.validateAbort?.abort();
  const controller = new AbortController();
  state.validateAbort = controller;
  const check = ++state.checks;
  try {
    const { body } = await request(`${API}/validate`, {
      method: 'POST',
      json: asGeoJson(g, { districtUbigeo: districtOf(ring), ...(state.id !== null ? { id: state.id } : {}) }), // a reshape is no overlap with itself
      signal: controller.signal,
    });
    if (check !== state.checks) return;
    const features = geojson.readFeatures(body.problems ?? { type: 'FeatureCollection', features: [] }, {
      dataProjection: DATA_PROJECTION,
      featureProjection: map.getView().getProjection(),
    });
    state.problems = features.map((f) => ({ kind: f.get('kind'), areaM2: f.get('areaM2') ?? null, other: f.get('other') ?? null }));
    problemSource.clear();
    problemSource.addFeatures(features.filter((f) => f.getGeometry() && !ol.extent.isEmpty(f.getGeometry().getExtent())));
    dom.live.dataset.checked = 'true';
  } catch (err) {
    if (isAbort(err) || check !== state.checks) return;
    state.problems = [];
    dom.live.dataset.checked = 'true';
    fill(dom.live, problemBox(err, 'draw-live-error'));
    return;
  }
  renderLive();
}

/** The server's ProblemDetails in the viewer's language (its title is translated by the server; the reason as it says it). */
function problemBox(err, id) {
  const http = err instanceof ApiError && err.kind === 'http';
  return el(
    'div',
    { class: 'problem-box', role: 'alert', id },
    el('strong', null, http ? `${err.status} — ${err.title ?? ''}` : err instanceof ApiError ? err.describe() : String(err?.message ?? err)),
    http && err.detail && err.detail !== err.title ? el('p', { class: 'problem-detail', lang: err.reason() !== err.detail ? null : 'en' }, err.reason()) : null, // Core's reason: its note in the viewer's language when it has one
  );
}

function changed() {
  renderFigures();
  renderLive();
  scheduleValidate();
  updateButtons();
}

// ---- undo / redo ----------------------------------------------------------------------------------------------------

/** The edited polygon's rings (outer and holes) as plain coordinates. */
const snapshot = () => {
  const g = state.sketch ? null : draftSource.getFeatures()[0]?.getGeometry();
  return g ? g.getCoordinates().map((ring) => ring.map((c) => c.slice(0, 2))) : null;
};

function remember() {
  const s = snapshot();
  if (!s) return;
  const last = state.undo.at(-1);
  if (last && JSON.stringify(last) === JSON.stringify(s)) return;
  state.undo.push(s);
  state.redo = [];
  updateButtons();
}

function restore(rings) {
  const f = draftSource.getFeatures()[0];
  if (!f) return;
  f.getGeometry().setCoordinates(rings.map((ring) => ring.map((c) => c.slice())));
  changed();
}

export function undo() {
  if (state.sketch) {
    draw?.removeLastPoint();
    return;
  }
  if (state.undo.length <= 1) return;
  state.redo.push(state.undo.pop());
  restore(state.undo.at(-1));
}

export function redo() {
  if (state.sketch || state.redo.length === 0) return;
  const rings = state.redo.pop();
  state.undo.push(rings);
  restore(rings);
}

// ---- interactions ---------------------------------------------------------------------------------------------------

function addSnaps(exceptId) {
  const others = new ol.Collection(layers.neighborhoods.getSource().getFeatures().filter((f) => f.getId() !== exceptId));
  snaps = [
    new ol.interaction.Snap({ source: layers.streets.getSource() }),
    new ol.interaction.Snap({ source: blockSource }), // block edges: where streets were cut off or clipped at the district
    new ol.interaction.Snap({ features: others }),
  ];
  for (const s of snaps) {
    s.setActive(dom.snap.checked);
    map.addInteraction(s); // after Draw and Modify: Snap must see the pointer first
  }
}

function removeInteractions() {
  for (const i of [draw, modify, ...snaps]) if (i) map.removeInteraction(i);
  draw = modify = null;
  snaps = [];
}

function startModify() {
  modify = new ol.interaction.Modify({
    source: draftSource,
    deleteCondition: (e) => ol.events.condition.singleClick(e) && (state.deleteMode || ol.events.condition.altKeyOnly(e)),
  });
  modify.on('modifyend', () => {
    remember();
    changed();
  });
  map.addInteraction(modify);
  draftSource.getFeatures()[0]?.getGeometry().on('change', () => {
    renderFigures();
    renderLive();
    scheduleValidate();
  });
}

function startDraw() {
  draw = new ol.interaction.Draw({ source: draftSource, type: 'Polygon' });
  draw.on('drawstart', (e) => {
    state.sketch = e.feature.getGeometry();
    state.sketch.on('change', changed);
    updateButtons();
  });
  draw.on('drawabort', () => {
    state.sketch = null;
    changed();
  });
  draw.on('drawend', () => {
    state.sketch = null;
    // The finished feature is added to the source after this event: go on once it is there.
    setTimeout(() => {
      map.removeInteraction(draw);
      draw = null;
      for (const s of snaps) map.removeInteraction(s);
      startModify();
      addSnaps(null);
      remember();
      setState('drawn');
      changed();
      dom.name.focus();
    });
  });
  map.addInteraction(draw);
}

function reset() {
  clearTimeout(state.validateTimer);
  state.validateAbort?.abort();
  state.checks++;
  removeInteractions();
  draftSource.clear();
  problemSource.clear();
  Object.assign(state, { sketch: null, otherParts: [], undo: [], redo: [], deleteMode: false, picking: false, problems: [], id: null, version: null, props: null });
  for (const f of blockSource.getFeatures()) if (f.get('picked')) f.unset('picked');
  setPicking(false);
  delete dom.panel.dataset.source;
  delete dom.panel.dataset.picked;
  dom.live.dataset.checked = 'false';
  fill(dom.result);
  fill(dom.live);
}

function open(mode) {
  reset();
  state.mode = mode;
  dom.panel.hidden = false;
  dom.panel.dataset.mode = mode;
  document.body.dataset.editing = mode;
  clearOverlays(); // the last step's validation or repair marks do not belong to the new boundary
  blockLayer.setVisible(true);
  renderTitle();
}

/** "Dibujar barrio": a new polygon, clicked vertex by vertex (or tapped); closes on its first vertex or "Terminar". */
export function startDrawing() {
  open('draw');
  dom.name.value = '';
  startDraw();
  addSnaps(null);
  setState('drawing');
  changed();
  loadBlocks(districtInView()).catch(() => {}); // to snap to; none kept: streets and boundaries only
}

/** "Crear desde manzanas": the draft is whatever panels/blockpick.js gives to setShape (the union of the picked blocks). */
export function startFromBlocks() {
  open('draw');
  dom.panel.dataset.source = 'blocks';
  dom.name.value = '';
  state.picking = true;
  setPicking(true);
  renderTitle();
  setState('picking');
  changed();
}

export const isPicking = () => state.picking;

/** The picked blocks' union (an ol Polygon or MultiPolygon in the view's projection, or null) as the draft. */
export function setShape(geometry) {
  if (!state.picking) return;
  removeInteractions();
  draftSource.clear();
  state.otherParts = [];
  if (geometry) {
    const parts = geometry.getType() === 'MultiPolygon' ? geometry.getCoordinates() : [geometry.getCoordinates()];
    draftSource.addFeature(new ol.Feature(new ol.geom.Polygon(parts[0]))); // real holes (unpicked blocks inside) kept
    state.otherParts = parts.slice(1);
  }
  dom.panel.dataset.shapes = String(Number(dom.panel.dataset.shapes ?? 0) + 1);
  changed();
}

/** Ends the picking: the union becomes an ordinary draft to reshape (snapping to streets and blocks) and save. */
function finishPicking() {
  if (!state.picking || draftSource.getFeatures().length === 0) return;
  state.picking = false;
  setPicking(false);
  startModify();
  addSnaps(null);
  remember();
  renderTitle();
  setState('drawn');
  changed();
  dom.name.focus();
}

/** "Editar límite": the neighbourhood's current boundary in the editor, its version kept for If-Match. */
export async function startEditing(id) {
  open('edit');
  state.id = Number(id);
  setState('loading');
  const { body, response } = await request(`${API}/${state.id}`);
  loadForEdit(body, response);
  offerDraft();
  loadBlocks(state.props?.districtUbigeo ?? districtInView()).catch(() => {});
  return state.version;
}

/** A drawing kept after a conflict (in this browser): offered back when the same neighbourhood is edited again. */
function offerDraft() {
  let draft = null;
  try {
    draft = JSON.parse(localStorage.getItem(DRAFT_KEY + state.id) ?? 'null');
  } catch {
    draft = null;
  }
  if (!Array.isArray(draft?.rings)) return;
  fill(
    dom.result,
    el(
      'div',
      { class: 'planner-row', id: 'draw-draft' },
      el('span', { class: 'sub' }, t('draw.draftFound', { v: draft.version })),
      el('button', {
        type: 'button', id: 'draw-restore', class: 'action-btn',
        on: { click: () => { state.otherParts = draft.otherParts ?? []; restore(draft.rings); remember(); fill(dom.result); } },
      }, t('draw.restore')),
    ),
  );
}

function loadForEdit(body, response) {
  const feature = readFeature(body);
  const etag = response?.headers.get('etag')?.replace(/^W\//, '').replaceAll('"', '');
  state.props = body.properties ?? {};
  state.version = Number(etag ?? state.props.version);
  const g = feature.getGeometry();
  const parts = g.getType() === 'MultiPolygon' ? g.getCoordinates() : [g.getCoordinates()];
  removeInteractions();
  draftSource.clear();
  draftSource.addFeature(new ol.Feature(new ol.geom.Polygon(parts[0]))); // holes included
  state.otherParts = parts.slice(1);
  state.undo = [];
  state.redo = [];
  remember();
  startModify();
  addSnaps(state.id);
  dom.panel.dataset.version = String(state.version);
  renderTitle();
  setState('drawn');
  changed();
}

export function close() {
  reset();
  state.mode = null;
  dom.panel.hidden = true;
  blockLayer.setVisible(false);
  delete dom.panel.dataset.mode;
  delete document.body.dataset.editing;
  setState('closed');
}

// ---- saving ---------------------------------------------------------------------------------------------------------

export async function save() {
  const g = currentGeometry();
  if (!g || state.sketch) return null;
  const ring = currentRing();
  if (state.mode === 'draw' && !dom.name.value.trim()) {
    fill(dom.result, el('p', { class: 'planner-msg is-error', role: 'alert', id: 'draw-error' }, t('draw.nameRequired')));
    dom.name.focus();
    return null;
  }
  setState('saving');
  updateButtons();
  fill(dom.result, el('p', { class: 'hint' }, t('draw.saving')));
  try {
    let body;
    if (state.mode === 'draw') {
      ({ body } = await request(API, {
        method: 'POST',
        json: asGeoJson(g, { name: dom.name.value.trim(), districtUbigeo: districtOf(ring), status: 'draft' }),
      }));
    } else {
      ({ body } = await request(`${API}/${state.id}`, { method: 'PUT', headers: { 'If-Match': `"${state.version}"` }, json: asGeoJson(g, {}) }));
    }
    const saved = body.properties ?? {};
    localStorage.removeItem(DRAFT_KEY + saved.id);
    await reloadNeighborhoods();
    close();
    await selectNeighborhood(saved.id, { force: true });
    fill(byId('planner-result'), el('p', { class: 'valid-badge', id: 'draw-saved', dataset: { version: saved.version } }, el('span', { class: 'check', 'aria-hidden': 'true' }, '✓'), ' ', t('draw.saved', { name: saved.name, v: saved.version })));
    return saved;
  } catch (err) {
    if (err instanceof ApiError && err.status === 412 && state.mode === 'edit') {
      await showConflict(err);
    } else {
      setState('error');
      fill(dom.result, problemBox(err, 'draw-error'));
    }
    updateButtons();
    throw err;
  }
}

/** A stale version: who saved the versions after ours (from the history), and what to do. */
async function showConflict(err) {
  setState('conflict');
  const current = err.body?.currentVersion ?? null;
  let newer = [];
  try {
    const { body } = await request(`${API}/${state.id}/revisions`);
    newer = body.filter((r) => r.version > state.version).sort((a, b) => a.version - b.version);
  } catch {
    newer = [];
  }
  fill(
    dom.result,
    el(
      'div',
      { class: 'conflict', role: 'alert', id: 'draw-conflict', dataset: { currentVersion: current ?? '' } },
      el('strong', null, '412'),
      ' ',
      el('span', null, t('draw.conflict', { mine: state.version, v: current ?? '?' })),
      newer.length
        ? el(
            'ul',
            { class: 'conflict-list' },
            newer.map((r) => el('li', { dataset: { version: r.version } }, t('draw.conflictBy', { v: r.version, author: r.author, time: fmtShortDateTime(r.createdAt) }))),
          )
        : null,
      el('button', { type: 'button', id: 'draw-reload', class: 'action-btn', on: { click: () => reloadCurrent().catch(() => {}) } }, t('draw.reload')),
      el('button', { type: 'button', id: 'draw-keep', class: 'action-btn', on: { click: () => keepDraft(current) } }, t('draw.keep')),
    ),
  );
}

/** Drops the own edit and loads the boundary as it is now. */
async function reloadCurrent() {
  const { body, response } = await request(`${API}/${state.id}`);
  fill(dom.result);
  localStorage.removeItem(DRAFT_KEY + state.id);
  loadForEdit(body, response);
  await reloadNeighborhoods();
}

/** Keeps the own shape in the editor (and in this browser) as a draft on top of the current version. */
function keepDraft(current) {
  if (current !== null) state.version = Number(current);
  localStorage.setItem(DRAFT_KEY + state.id, JSON.stringify({ version: state.version, rings: snapshot(), otherParts: state.otherParts }));
  dom.panel.dataset.version = String(state.version);
  setState('drawn');
  fill(dom.result, el('p', { class: 'planner-msg is-muted', id: 'draw-kept' }, t('draw.kept', { v: state.version })));
  updateButtons();
}

// ---- controls -------------------------------------------------------------------------------------------------------

function canEdit() {
  return EDITORS.has(session()?.role);
}

function showStart() {
  dom.start.hidden = !canEdit();
  editButton.hidden = !canEdit();
}

dom.start.addEventListener('click', () => startDrawing());
editButton.addEventListener('click', () => {
  const id = byId('planner-panel').dataset.neighborhoodId;
  if (id) startEditing(id).catch((err) => fill(dom.result, problemBox(err, 'draw-error')));
});
dom.finish.addEventListener('click', () => (state.picking ? finishPicking() : draw?.finishDrawing()));
dom.undo.addEventListener('click', undo);
dom.redo.addEventListener('click', redo);
dom.delete.addEventListener('click', () => {
  state.deleteMode = !state.deleteMode;
  updateButtons();
});
dom.snap.addEventListener('change', () => snaps.forEach((s) => s.setActive(dom.snap.checked)));
dom.save.addEventListener('click', () => save().catch(() => {}));
dom.discard.addEventListener('click', close);
dom.close.addEventListener('click', close);

document.addEventListener('keydown', (e) => {
  if (!isEditing()) return;
  if (e.key === 'Escape' && state.sketch) {
    draw?.abortDrawing(); // starts over; the panel stays open
    return;
  }
  if (!(e.ctrlKey || e.metaKey)) return;
  if (e.target instanceof HTMLInputElement && e.target.type === 'text') return; // the name field keeps its own undo
  const key = e.key.toLowerCase();
  if (key === 'z' && !e.shiftKey) undo();
  else if (key === 'y' || (key === 'z' && e.shiftKey)) redo();
  else return;
  e.preventDefault();
});

on('language', () => {
  renderTitle();
  if (isEditing()) {
    renderFigures();
    renderLive();
    updateButtons(); // "Terminar dibujo" / "Terminar selección" is set here, not by data-i18n
  }
});

showStart();
dom.panel.dataset.state = 'closed';
