// "Crear desde manzanas": a planner clicks (or taps) the district's blocks to pick them; their union, dissolved by the
// server (POST /api/neighborhoods/proposals, holes only where unpicked blocks are surrounded), becomes the draft that
// panels/draw.js checks as it goes and saves like a drawn one. "Terminar selección" turns it into an editable draft.
// #draw-panel[data-picked] is the number of picked blocks; [data-shapes] counts the unions shown; #blocks-status says
// what is loading.

import { t } from '../i18n.js';
import { el, fill, byId } from '../dom.js';
import { fmt } from '../format.js';
import { request, session, isAbort, ApiError } from '../api.js';
import { map, DATA_PROJECTION } from '../map.js';
import { on } from '../events.js';
import { blockSource, blockLayer, loadBlocks, districtInView } from '../blocks.js';
import { startFromBlocks, setShape, isPicking } from './draw.js';

const EDITORS = new Set(['planner', 'admin']);
const start = byId('blocks-start');
const status = byId('blocks-status');
const panel = byId('draw-panel');
const geojson = new ol.format.GeoJSON();

const picked = new Set();
let ubigeo = null;
let pending = null; // AbortController of the union asked last

function say(key, args, kind = 'hint') {
  status.hidden = !key;
  if (!key) return fill(status);
  fill(status, el('span', { class: kind }, t(key, args)));
}

function renderCount() {
  panel.dataset.picked = String(picked.size);
  say(picked.size ? 'blocks.count' : 'blocks.pick', { n: fmt(picked.size, 0) });
}

/** Opens the editor on the blocks of the district in view (computed first when none are kept). */
export async function startPicking() {
  startFromBlocks();
  picked.clear();
  ubigeo = districtInView();
  panel.dataset.picked = '0';
  panel.dataset.blocks = 'loading';
  if (!ubigeo) {
    say('blocks.noDistrict');
    return 0;
  }
  say('blocks.loading');
  try {
    const n = await loadBlocks(ubigeo, { compute: true, onCompute: () => say('blocks.computing') });
    if (!isPicking()) return n;
    panel.dataset.blocks = String(n);
    for (const f of blockSource.getFeatures()) f.unset('picked');
    renderCount();
    return n;
  } catch (err) {
    panel.dataset.blocks = 'error';
    fill(status, el('span', { class: 'planner-msg is-error', role: 'alert' }, err instanceof ApiError ? err.describe() : String(err?.message ?? err)));
    status.hidden = false;
    throw err;
  }
}

/** The union of the picked blocks from the server, as the draft. */
async function showUnion() {
  pending?.abort();
  if (picked.size === 0) {
    setShape(null);
    renderCount();
    return;
  }
  const controller = new AbortController();
  pending = controller;
  try {
    const { body } = await request('api/neighborhoods/proposals', {
      method: 'POST',
      json: { scope: `district:${ubigeo}`, blockIds: [...picked] },
      signal: controller.signal,
    });
    if (pending !== controller || !isPicking()) return;
    const geometry = geojson.readGeometry(body.geometry, { dataProjection: DATA_PROJECTION, featureProjection: map.getView().getProjection() });
    setShape(geometry);
    renderCount();
  } catch (err) {
    if (isAbort(err)) return;
    fill(status, el('span', { class: 'planner-msg is-error', role: 'alert' }, err instanceof ApiError ? err.describe() : String(err?.message ?? err)));
  }
}

function toggle(feature) {
  const id = String(feature.getId());
  if (picked.has(id)) {
    picked.delete(id);
    feature.unset('picked');
  } else {
    picked.add(id);
    feature.set('picked', true);
  }
  renderCount();
  showUnion();
}

map.on('singleclick', (evt) => {
  if (!isPicking()) return;
  const hit = map.forEachFeatureAtPixel(evt.pixel, (f) => f, { layerFilter: (l) => l === blockLayer, hitTolerance: 0 });
  if (hit) toggle(hit);
});

function showStart() {
  start.hidden = !EDITORS.has(session()?.role);
}

start.addEventListener('click', () => startPicking().catch(() => {}));
on('language', () => {
  if (isPicking()) renderCount();
});
// Leaving the editor (saved, discarded, closed) forgets the picking.
new MutationObserver(() => {
  if (panel.hidden || !isPicking()) {
    pending?.abort();
    if (!isPicking()) {
      picked.clear();
      say(null);
    }
  }
}).observe(panel, { attributes: true, attributeFilter: ['hidden', 'data-state'] });

showStart();
