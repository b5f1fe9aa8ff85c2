// "Vista nacional" (issue 13.3): every Barrio Seguro neighbourhood by department, province and district, from
// GET /api/overview. The totals (department > province > district) and the neighbourhoods are two tables that scroll
// inside the panel; a column header sorts (sort=, dir= on the server); a total narrows the list to it and zooms the map
// to it (the district limits loaded, else its neighbourhoods), a neighbourhood row zooms to the neighbourhood, "Todo el
// Perú" goes back. The neighbourhoods are points at national zoom and polygons (the neighbourhoods layer) nearer in.
// CSV and GeoPackage come from the same query (format=csv|gpkg) through api.js's download().
// #overview-panel[data-state] 'idle' | 'loading' | 'ready' | 'error'; [data-sort], [data-dir], [data-filter]
// (department:13, province:1301, district:130104 or empty) and [data-zoomed] (the last thing zoomed to) say what shows.

import { t } from '../i18n.js';
import { el, fill, byId } from '../dom.js';
import { fmt, fmtKm2, fmtPct } from '../format.js';
import { request, download, describe, isAbort, session } from '../api.js';
import { on } from '../events.js';
import { map, layers, fromLonLat } from '../map.js';

/** Peru, lon/lat: where the overview starts and where "Todo el Perú" goes back to. */
export const PERU_EXTENT = [-81.35, -18.36, -68.65, -0.03];

/** Coarser than this (m per pixel of the view) the neighbourhoods are points: about zoom 12 and out. */
const POINT_RESOLUTION = 30;

const COLUMNS = [
  { key: 'name', label: 'overview.col.name' },
  { key: 'department', label: 'overview.col.department' },
  { key: 'province', label: 'overview.col.province' },
  { key: 'district', label: 'overview.col.district' },
  { key: 'status', label: 'overview.col.status' },
  { key: 'areaKm2', label: 'overview.col.area', num: true },
  { key: 'blocks', label: 'overview.col.blocks', num: true },
  { key: 'incidents', label: 'overview.col.incidents', num: true },
  { key: 'officers', label: 'overview.col.officers', num: true },
  { key: 'sectors', label: 'overview.col.sectors', num: true },
  { key: 'sectorsPerShift', label: 'overview.col.sectorsPerShift', num: true },
  { key: 'coverage', label: 'overview.col.coverage', num: true },
];

const root = byId('overview-panel');
const opener = byId('overview-open');
const state = { sort: 'department', dir: 'asc', filter: null, report: null, controller: null, loaded: null };
let dom = null;

// ---- the map layer: one point per neighbourhood, drawn only at national zoom ------------------------------------------

const pointStyle = new ol.style.Style({
  image: new ol.style.Circle({ radius: 6, fill: new ol.style.Fill({ color: '#c2410c' }), stroke: new ol.style.Stroke({ color: '#ffffff', width: 2 }) }),
});
const pickedStyle = new ol.style.Style({
  image: new ol.style.Circle({ radius: 8, fill: new ol.style.Fill({ color: '#1d4ed8' }), stroke: new ol.style.Stroke({ color: '#ffffff', width: 2 }) }),
});

export const overviewLayer = new ol.layer.Vector({
  source: new ol.source.Vector(),
  style: (feature, resolution) => (resolution < POINT_RESOLUTION ? null : feature.get('picked') ? pickedStyle : pointStyle),
  zIndex: 999,
  visible: false,
  properties: { name: 'overview', title: 'overview.layer' },
});
map.addLayer(overviewLayer);

function drawPoints(rows) {
  const source = overviewLayer.getSource();
  source.clear();
  source.addFeatures(rows.map((r) => {
    const f = new ol.Feature({ geometry: new ol.geom.Point(fromLonLat(r.lon, r.lat)), name: r.name });
    f.setId(`overview-${r.id}`);
    return f;
  }));
}

// ---- zooming ---------------------------------------------------------------------------------------------------------

function lonLatExtent([minX, minY, maxX, maxY]) {
  const [x0, y0] = fromLonLat(minX, minY);
  const [x1, y1] = fromLonLat(maxX, maxY);
  return [x0, y0, x1, y1];
}

/** Fits the view; resolves once the map has moved there (and drawn), also when it was there already. */
function fit(extent, maxZoom, zoomed) {
  return new Promise((resolve) => {
    map.getView().fit(extent, {
      padding: [40, 40, 40, 40],
      maxZoom,
      duration: 250,
      callback: () => {
        root.dataset.zoomed = zoomed;
        map.once('rendercomplete', resolve);
        map.render();
      },
    });
  });
}

/** The extent of a department, province or district: its loaded district limits, else its neighbourhoods (bbox). */
function totalExtent(level, total) {
  const extent = ol.extent.createEmpty();
  for (const f of layers.districts.getSource().getFeatures()) {
    const ubigeo = String(f.get('ubigeo') ?? f.getId() ?? '');
    if (ubigeo.startsWith(total.code)) ol.extent.extend(extent, f.getGeometry().getExtent());
  }
  if (!ol.extent.isEmpty(extent)) return extent;
  return total.bbox ? lonLatExtent(total.bbox) : lonLatExtent(PERU_EXTENT);
}

export function zoomToPeru() {
  return fit(lonLatExtent(PERU_EXTENT), 8, 'peru');
}

/** A neighbourhood row: the map goes to it, and draws it as a polygon (the neighbourhoods layer). */
export function zoomToRow(id) {
  const row = state.report?.rows.find((r) => r.id === id);
  if (!row) return Promise.resolve();
  layers.neighborhoods.setVisible(true);
  for (const f of overviewLayer.getSource().getFeatures()) f.set('picked', f.getId() === `overview-${id}`);
  for (const tr of dom.rows.querySelectorAll('tr')) tr.setAttribute('aria-selected', String(tr.dataset.id === String(id)));
  return fit(lonLatExtent(row.bbox), 17, `neighborhood:${id}`);
}

// ---- loading ---------------------------------------------------------------------------------------------------------

function query(extra = {}) {
  const q = new URLSearchParams({ sort: state.sort, dir: state.dir, ...extra });
  if (state.filter) q.set(state.filter.level, state.filter.code);
  return q;
}

/** Loads the overview with the current sort and filter; resolves with the report once the tables show it. */
export async function loadOverview() {
  state.controller?.abort();
  const controller = new AbortController();
  state.controller = controller;
  root.dataset.state = 'loading';
  fill(dom.message, el('p', { class: ['planner-msg', 'is-muted'] }, t('overview.loading')));
  try {
    const { body } = await request(`api/overview?${query()}`, { signal: controller.signal });
    state.report = body;
    // The totals are of the whole country (or the user's districts): kept from the first answer without a filter.
    if (!state.filter) state.loaded = body;
    render();
    drawPoints(body.rows);
    fill(dom.message);
    root.dataset.state = 'ready';
    return body;
  } catch (err) {
    if (isAbort(err)) return null;
    root.dataset.state = 'error';
    fill(dom.message, el('p', { class: ['planner-msg', 'is-error'], role: 'alert' }, t('overview.failed', { reason: describe(err) })));
    throw err;
  } finally {
    if (state.controller === controller) state.controller = null;
  }
}

// ---- the tables ------------------------------------------------------------------------------------------------------

const count = (n) => fmt(Number(n) || 0, 0);

function coverageText(row) {
  const c = latestCoverage(row);
  if (!c) return t('value.empty');
  return t('overview.coverageCell', { pct: fmtPct(c.coveredStreetKmPct), min: fmt(c.minutes, 0), mode: t(`mode.${c.mode}`) });
}

function latestCoverage(row) {
  return [...(row.coverage ?? [])].sort((a, b) => String(b.computedAt).localeCompare(String(a.computedAt)))[0] ?? null;
}

function cell(row, key) {
  switch (key) {
    case 'name': return row.name;
    case 'department': return row.department ?? row.departmentCode ?? t('value.empty');
    case 'province': return row.province ?? row.provinceCode ?? t('value.empty');
    case 'district': return row.district ?? row.ubigeo ?? t('value.empty');
    case 'status': return t(`status.${row.status}`);
    case 'areaKm2': return fmtKm2(row.areaKm2);
    case 'blocks': return count(row.blocks);
    case 'incidents': return count(row.incidents);
    case 'officers': return count(row.officers);
    case 'sectors': return row.sectors == null ? t('value.empty') : count(row.sectors);
    case 'sectorsPerShift': return row.sectorsPerShift == null ? t('value.empty') : count(row.sectorsPerShift);
    case 'coverage': return coverageText(row);
    default: return '';
  }
}

function renderHeader() {
  fill(dom.head, el('tr', null, COLUMNS.map((c) => {
    const sorted = state.sort === c.key;
    const button = el('button', {
      type: 'button',
      class: 'overview-sort',
      dataset: { sort: c.key },
      'aria-label': t('overview.sortBy', { column: t(c.label) }),
      on: { click: () => sortBy(c.key) },
    }, t(c.label), sorted ? (state.dir === 'asc' ? ' ▲' : ' ▼') : '');
    return el('th', { scope: 'col', class: c.num ? 'num' : null, 'aria-sort': sorted ? (state.dir === 'asc' ? 'ascending' : 'descending') : 'none' }, button);
  })));
}

function renderRows() {
  const rows = state.report?.rows ?? [];
  fill(dom.rows, rows.map((r) => el('tr', {
    dataset: { id: r.id },
    tabindex: 0,
    'aria-selected': 'false',
    on: {
      click: () => zoomToRow(r.id),
      keydown: (e) => { if (e.key === 'Enter') zoomToRow(r.id); },
    },
  }, COLUMNS.map((c) => el('td', { class: c.num ? 'num' : null }, cell(r, c.key))))));
  dom.empty.hidden = rows.length > 0;
}

function totalRow(level, total, depth) {
  const name = total.name ?? total.code ?? t('value.empty');
  const filtered = state.filter?.level === level && state.filter.code === total.code;
  return el('tr', {
    class: [`overview-${level}`, filtered ? 'is-current' : null],
    dataset: { level, code: total.code ?? '' },
    tabindex: 0,
    on: {
      click: () => showTotal(level, total),
      keydown: (e) => { if (e.key === 'Enter') showTotal(level, total); },
    },
  },
  el('th', { scope: 'row', style: { paddingLeft: `${0.4 + depth}em` } }, total.code ? `${name} (${total.code})` : name),
  el('td', { class: 'num' }, count(total.neighborhoods)),
  el('td', { class: 'num' }, fmtKm2(total.areaKm2)),
  el('td', { class: 'num' }, count(total.blocks)),
  el('td', { class: 'num' }, count(total.incidents)),
  el('td', { class: 'num' }, count(total.officers)),
  el('td', { class: 'num' }, count(total.sectors)));
}

function renderTotals() {
  const report = state.loaded ?? state.report;
  if (!report) return;
  fill(dom.totalsHead, el('tr', null,
    el('th', { scope: 'col' }, t('overview.col.place')),
    ['neighborhoods', 'area', 'blocks', 'incidents', 'officers', 'sectors'].map((k) => el('th', { scope: 'col', class: 'num' }, t(`overview.total.${k}`)))));
  const body = [];
  for (const d of report.departments) {
    body.push(totalRow('department', d, 0));
    for (const p of report.provinces.filter((x) => x.code?.startsWith(d.code ?? '~'))) {
      body.push(totalRow('province', p, 1));
      for (const x of report.districts.filter((y) => y.code?.startsWith(p.code ?? '~'))) body.push(totalRow('district', x, 2));
    }
  }
  const all = report.total;
  body.push(el('tr', { class: 'overview-total' },
    el('th', { scope: 'row' }, t('overview.total.country')),
    el('td', { class: 'num' }, count(all.neighborhoods)),
    el('td', { class: 'num' }, fmtKm2(all.areaKm2)),
    el('td', { class: 'num' }, count(all.blocks)),
    el('td', { class: 'num' }, count(all.incidents)),
    el('td', { class: 'num' }, count(all.officers)),
    el('td', { class: 'num' }, count(all.sectors))));
  fill(dom.totals, body);
}

function render() {
  root.dataset.sort = state.sort;
  root.dataset.dir = state.dir;
  root.dataset.filter = state.filter ? `${state.filter.level}:${state.filter.code}` : '';
  const n = state.report?.rows.length ?? 0;
  dom.summary.textContent = state.filter
    ? t('overview.summaryIn', { n: count(n), place: state.filter.name })
    : t('overview.summary', { n: count(n) });
  renderHeader();
  renderRows();
  renderTotals();
}

/** Sorts by a column: the same column again turns the direction. */
export async function sortBy(key) {
  if (state.sort === key) state.dir = state.dir === 'asc' ? 'desc' : 'asc';
  else {
    state.sort = key;
    state.dir = COLUMNS.find((c) => c.key === key)?.num ? 'desc' : 'asc';
  }
  return loadOverview();
}

/** A department, province or district: the list narrows to it and the map zooms to it. */
export async function showTotal(level, total) {
  state.filter = { level, code: total.code, name: total.name ?? total.code };
  const loaded = loadOverview();
  await fit(totalExtent(level, total), level === 'district' ? 15 : level === 'province' ? 12 : 10, `${level}:${total.code}`);
  return loaded;
}

export async function showPeru() {
  state.filter = null;
  const loaded = loadOverview();
  await zoomToPeru();
  return loaded;
}

async function saveAs(format) {
  dom.downloadMessage.replaceChildren();
  try {
    const { fileName } = await download(`api/overview?${query({ format })}`, `barrio_seguro_overview.${format}`);
    fill(dom.downloadMessage, el('p', { class: ['planner-msg', 'is-muted'] }, t('overview.saved', { file: fileName })));
  } catch (err) {
    fill(dom.downloadMessage, el('p', { class: ['planner-msg', 'is-error'], role: 'alert' }, t('overview.failed', { reason: describe(err) })));
  }
}

// ---- the panel -------------------------------------------------------------------------------------------------------

function build() {
  const title = el('h2', { id: 'overview-title' });
  const close = el('button', { type: 'button', id: 'overview-close', class: 'icon-btn' }, '×');
  const peru = el('button', { type: 'button', id: 'overview-peru', class: ['action-btn', 'is-small'] });
  const csv = el('button', { type: 'button', id: 'overview-csv', class: ['action-btn', 'is-small'] });
  const gpkg = el('button', { type: 'button', id: 'overview-gpkg', class: ['action-btn', 'is-small'] });
  const summary = el('p', { id: 'overview-summary', class: 'hint', 'aria-live': 'polite' });
  const message = el('div', { id: 'overview-message' });
  const downloadMessage = el('div', { id: 'overview-download', 'aria-live': 'polite' });
  const totalsCaption = el('caption');
  const totalsHead = el('thead');
  const totals = el('tbody', { id: 'overview-totals' });
  const rowsCaption = el('caption');
  const head = el('thead');
  const rows = el('tbody', { id: 'overview-rows' });
  const empty = el('p', { class: 'hint', hidden: true });
  fill(root,
    el('div', { class: 'panel-head' }, title, close),
    summary,
    el('div', { class: 'planner-row' }, peru, csv, gpkg),
    downloadMessage,
    message,
    el('div', { class: ['table-scroll', 'overview-scroll'], id: 'overview-totals-scroll' }, el('table', { class: ['overview-table', 'is-totals'] }, totalsCaption, totalsHead, totals)),
    el('div', { class: ['table-scroll', 'overview-scroll'], id: 'overview-rows-scroll' }, el('table', { class: 'overview-table', id: 'overview-table' }, rowsCaption, head, rows)),
    empty);
  root.setAttribute('aria-labelledby', 'overview-title');
  root.dataset.state = 'idle';
  close.addEventListener('click', closeOverview);
  peru.addEventListener('click', () => showPeru().catch(() => {}));
  csv.addEventListener('click', () => saveAs('csv'));
  gpkg.addEventListener('click', () => saveAs('gpkg'));
  return { title, close, peru, csv, gpkg, summary, message, downloadMessage, totalsCaption, totalsHead, totals, rowsCaption, head, rows, empty };
}

function renderTexts() {
  dom.title.textContent = t('overview.title');
  dom.close.title = t('overview.close');
  dom.close.setAttribute('aria-label', t('overview.close'));
  dom.peru.textContent = t('overview.peru');
  dom.csv.textContent = t('overview.csv');
  dom.csv.setAttribute('aria-label', t('overview.csvTitle'));
  dom.gpkg.textContent = t('overview.gpkg');
  dom.gpkg.setAttribute('aria-label', t('overview.gpkgTitle'));
  dom.totalsCaption.textContent = t('overview.totals');
  dom.rowsCaption.textContent = t('overview.neighborhoods');
  dom.empty.textContent = t('overview.empty');
  if (opener) {
    opener.textContent = t('overview.open');
    opener.title = t('overview.openTitle');
  }
  if (state.report) render();
}

/** Opens the panel, loads the overview and shows all of Peru; resolves once both show. */
export async function openOverview() {
  root.hidden = false;
  opener?.setAttribute('aria-pressed', 'true');
  overviewLayer.setVisible(true);
  root.scrollIntoView?.({ block: 'start' });
  const loaded = loadOverview();
  await zoomToPeru();
  return loaded;
}

export function closeOverview() {
  state.controller?.abort();
  root.hidden = true;
  overviewLayer.setVisible(false);
  opener?.setAttribute('aria-pressed', 'false');
  root.dataset.state = 'idle';
}

if (root) {
  dom = build();
  renderTexts();
  on('language', renderTexts);
  if (opener) opener.hidden = session() === null; // any signed-in role may read it
  opener?.addEventListener('click', () => (root.hidden ? openOverview().catch(() => {}) : closeOverview()));
}
