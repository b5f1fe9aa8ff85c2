// "Exportar": downloads a layer shown on the map, or a layer of the sector plan shown, as a file for desktop GIS and GPS
// units, written by the server's export code: GET /api/collections/{name}/export (base layers) and
// GET /api/plans/{planId}/export?layer=sectors|blocks|routes|coverage (the plan), with format (shapefile, geopackage,
// geojson, kml, csv; gpx for routes) and crs (EPSG:4326 or the UTM zone of the map's centre). The file comes with the
// bearer token, so api.js's download() fetches it and saves it under the server's file name, with its progress (bytes
// of Content-Length) and a cancel button. #export-panel[data-state] 'idle' | 'busy' | 'done' | 'error' | 'cancelled'.

import { t } from '../i18n.js';
import { planName } from '../codes.js';
import { el, fill, byId } from '../dom.js';
import { fmt } from '../format.js';
import { download, isAbort, describe } from '../api.js';
import { on } from '../events.js';
import { map, layers, LAYER_KEYS, toLonLat } from '../map.js';

const FORMATS = ['shapefile', 'geopackage', 'geojson', 'kml', 'csv', 'gpx'];
const LON_LAT_ONLY = new Set(['geojson', 'kml', 'gpx']); // the server writes these in EPSG:4326 only
const PLAN_LAYERS = ['sectors', 'blocks', 'routes', 'coverage'];

const root = byId('export-panel');
const state = { plan: null, controller: null };
let dom = null;

/** The WGS 84 UTM zone of the map's centre, e.g. 32717 for Trujillo. */
function utmEpsg() {
  const centre = map.getView().getCenter();
  const [lon, lat] = centre ? toLonLat(centre) : [-79, -8];
  const zone = Math.min(60, Math.max(1, Math.floor((lon + 180) / 6) + 1));
  return (lat < 0 ? 32700 : 32600) + zone;
}

/** What can be exported now: the base layers shown, then the plan's layers (blocks and sectors always; routes and coverage once drawn). */
function choices() {
  const list = LAYER_KEYS.filter((k) => layers[k].getVisible()).map((k) => ({ value: `collection:${k}`, label: t(`layer.${k}`) }));
  if (state.plan) {
    for (const layer of PLAN_LAYERS) {
      if ((layer === 'routes' || layer === 'coverage') && layers[layer].getSource().getFeatures().length === 0) continue;
      list.push({ value: `plan:${layer}`, label: t(`export.plan.${layer}`, { name: state.plan.name ? planName(state.plan.name) : state.plan.id }) });
    }
  }
  return list;
}

function option(value, label, selected) {
  return el('option', { value, selected: selected || undefined }, label);
}

function build() {
  const layer = el('select', { id: 'export-layer', name: 'layer' });
  const format = el('select', { id: 'export-format', name: 'format' });
  const crs = el('select', { id: 'export-crs', name: 'crs' });
  const submit = el('button', { type: 'submit', id: 'export-submit', class: ['action-btn', 'is-primary'] });
  const progress = el('progress', { id: 'export-progress', max: 100 });
  const progressText = el('span', { id: 'export-progress-text' });
  const cancel = el('button', { type: 'button', id: 'export-cancel', class: ['action-btn', 'is-small'] });
  const busy = el('div', { id: 'export-busy', class: 'planner-busy', role: 'status', hidden: true }, progress, progressText, cancel);
  const result = el('div', { id: 'export-result', 'aria-live': 'polite' });
  const title = el('h2', { id: 'export-title' });
  const labels = {
    layer: el('span'), format: el('span'), crs: el('span'),
  };
  const form = el(
    'form',
    { id: 'export-form', class: 'sectors-form', novalidate: true },
    el('label', { class: 'field', htmlFor: 'export-layer' }, labels.layer, layer),
    el('label', { class: 'field', htmlFor: 'export-format' }, labels.format, format),
    el('label', { class: 'field', htmlFor: 'export-crs' }, labels.crs, crs),
    submit,
  );
  fill(root, title, form, busy, result);
  root.setAttribute('aria-labelledby', 'export-title');
  root.dataset.state = 'idle';
  layer.addEventListener('change', renderFormats);
  format.addEventListener('change', renderCrs);
  form.addEventListener('submit', (evt) => {
    evt.preventDefault();
    exportShown().catch(() => {}); // the failure is shown in #export-result
  });
  cancel.addEventListener('click', () => state.controller?.abort());
  return { title, labels, layer, format, crs, submit, busy, progress, progressText, cancel, result };
}

function renderLayers() {
  const previous = dom.layer.value;
  const list = choices();
  fill(dom.layer, list.map((c) => option(c.value, c.label, c.value === previous)));
  dom.submit.disabled = list.length === 0;
  renderFormats();
}

function renderFormats() {
  const previous = dom.format.value || 'shapefile';
  const routes = dom.layer.value === 'plan:routes';
  const list = FORMATS.filter((f) => f !== 'gpx' || routes);
  fill(dom.format, list.map((f) => option(f, t(`export.format.${f}`), f === (list.includes(previous) ? previous : 'shapefile'))));
  renderCrs();
}

function renderCrs() {
  const previous = dom.crs.value;
  const utm = utmEpsg();
  const lonLatOnly = LON_LAT_ONLY.has(dom.format.value);
  const list = [{ value: 'EPSG:4326', label: t('export.crs.wgs84') }];
  if (!lonLatOnly) list.push({ value: `EPSG:${utm}`, label: t('export.crs.utm', { zone: `${utm % 100}${utm >= 32700 ? 'S' : 'N'}`, code: utm }) });
  const fallback = lonLatOnly || dom.format.value === 'csv' ? 'EPSG:4326' : `EPSG:${utm}`;
  const chosen = list.some((c) => c.value === previous) ? previous : fallback;
  fill(dom.crs, list.map((c) => option(c.value, c.label, c.value === chosen)));
}

function renderTexts() {
  dom.title.textContent = t('export.title');
  dom.labels.layer.textContent = t('export.layer');
  dom.labels.format.textContent = t('export.format');
  dom.labels.crs.textContent = t('export.crs');
  // The accessible names of the lists: a label around a list would add the chosen option to the name.
  dom.layer.setAttribute('aria-label', t('export.layer'));
  dom.format.setAttribute('aria-label', t('export.format'));
  dom.crs.setAttribute('aria-label', t('export.crs'));
  dom.submit.textContent = t('export.submit');
  dom.submit.setAttribute('aria-label', t('export.submit'));
  dom.cancel.textContent = t('planner.cancel');
  renderLayers();
}

/** The URL of the chosen export. */
function exportUrl() {
  const [kind, name] = dom.layer.value.split(':');
  const query = new URLSearchParams({ format: dom.format.value, crs: dom.crs.value });
  if (kind === 'collection') return `api/collections/${encodeURIComponent(name)}/export?${query}`;
  query.set('layer', name);
  if (name === 'routes') {
    // The routes shown: one calendar entry when every track drawn is of the same day and shift.
    const tracks = layers.routes.getSource().getFeatures().filter((f) => f.get('kind') === 'track');
    const days = new Set(tracks.map((f) => `${f.get('day')}|${f.get('shift')}`));
    if (tracks.length > 0 && days.size === 1 && tracks[0].get('day') && tracks[0].get('shift')) {
      query.set('day', String(tracks[0].get('day')));
      query.set('shift', String(tracks[0].get('shift')));
    }
  }
  if (name === 'coverage') {
    // The computation drawn (its pieces are named coverage-{id}-{status}), else the newest of each shift.
    const id = layers.coverage.getSource().getFeatures().map((f) => /^coverage-(\d+)-/.exec(String(f.getId() ?? ''))?.[1]).find(Boolean);
    if (id) query.set('coverage', id);
  }
  return `api/plans/${encodeURIComponent(state.plan.id)}/export?${query}`;
}

function setBusy(on, text = '') {
  dom.busy.hidden = !on;
  dom.submit.disabled = on;
  dom.progressText.textContent = text;
  if (on) dom.progress.removeAttribute('value');
}

/** Downloads the chosen layer; resolves with {fileName, bytes} once the browser was handed the file. */
export async function exportShown() {
  if (!dom.layer.value) throw new Error('nothing to export');
  state.controller?.abort();
  const controller = new AbortController();
  state.controller = controller;
  root.dataset.state = 'busy';
  fill(dom.result);
  setBusy(true, t('export.preparing'));
  try {
    const { fileName, bytes: received, warnings } = await download(exportUrl(), 'export', {
      signal: controller.signal,
      onProgress: (got, total) => {
        if (total > 0) {
          dom.progress.value = Math.round((100 * got) / total);
          dom.progressText.textContent = t('export.progress', { pct: fmt((100 * got) / total, 0), kb: fmt(got / 1024, 0) });
        } else dom.progressText.textContent = t('export.received', { kb: fmt(got / 1024, 0) });
      },
    });
    fill(dom.result, el('p', { class: ['planner-msg', 'is-muted'] }, t('export.done', { file: fileName, kb: fmt(received / 1024, 0) })),
      warnings > 0 ? el('p', { class: ['planner-msg', 'is-muted'] }, t('export.warnings', { n: warnings })) : null);
    root.dataset.state = 'done';
    return { fileName, bytes: received };
  } catch (err) {
    const cancelled = isAbort(err);
    root.dataset.state = cancelled ? 'cancelled' : 'error';
    fill(dom.result, el('p', { class: ['planner-msg', cancelled ? 'is-muted' : 'is-error'], role: cancelled ? undefined : 'alert' },
      cancelled ? t('export.cancelled') : t('export.failed', { reason: describe(err) })));
    throw err;
  } finally {
    if (state.controller === controller) state.controller = null;
    setBusy(false);
  }
}

if (root) {
  dom = build();
  renderTexts();
  on('language', renderTexts);
  on('plan', (plan) => {
    state.plan = plan ?? null;
    renderLayers();
  });
  on('layers', renderLayers);
  for (const key of LAYER_KEYS) layers[key].on('change:visible', renderLayers);
  map.on('moveend', renderCrs);
}
