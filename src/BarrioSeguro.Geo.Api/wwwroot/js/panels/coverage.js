// "Cobertura" of the sector plan shown: POST /api/plans/{planId}/coverage {mode, minutes} gives one computation per
// shift; GET /api/coverages/{id}/pieces draws covered / backup / uncovered street pieces inside the neighbourhood and
// the streets outside it in grey (clipped by the server; layer `coverage`, with the units at the sector centres). #coverage-result[data-drawn="true"] once drawn; [data-state] 'ready' | 'error' | 'cancelled'.

import { t } from '../i18n.js';
import { el, fill } from '../dom.js';
import { fmt, fmtKm, fmtPct } from '../format.js';
import { request, failure } from '../api.js';
import { emit } from '../events.js';
import { layers, readFeatures, rendered, fitWith, fromLonLat, fadeCoverage } from '../map.js';
import { COVERAGE_COLORS } from '../styles.js';
import { planPanel, translateNote, noteItem } from '../network.js';
import { table, figure, notesList, selectRow, planHead, sectorChip } from '../panel.js';

const source = layers.coverage.getSource();
const fresh = () => ({ rows: null, shift: null, error: null });
const state = { plan: null, ...fresh() };

const panel = planPanel('coverage', ['minutes'], {
  label: () => t('coverage.loading'),
  state,
  source,
  fresh,
  shown: () => !!state.rows,
  render: () => render(),
  failed: () => t('coverage.failed'),
});
const { dom, showProblem } = panel;

/** Resolves with the coverage per shift once the current shift is drawn. */
export async function computeCoverage({ mode = 'foot', minutes = 10 } = {}) {
  if (!state.plan) throw new Error('no sector plan shown: call computePlan or showPlan first');
  const planId = state.plan.id;
  const payload = { mode: String(mode), minutes: Number(minutes) };
  return panel.compute(
    async (signal) => {
      const { body } = await request(`api/plans/${planId}/coverage`, { method: 'POST', json: payload, signal });
      const rows = Array.isArray(body) ? body : [];
      state.rows = rows;
      state.shift = rows[0]?.shift ?? null;
      await draw(signal, true);
      return rows;
    },
    { rows: null },
  );
}

function current() {
  const rows = state.rows ?? [];
  return rows.find((r) => r.shift === state.shift) ?? rows[0] ?? null;
}

async function draw(signal, fit) {
  const row = current();
  if (!row) return;
  const { body } = await request(`api/coverages/${row.id}/pieces`, { signal });
  const pieces = readFeatures(body);
  pieces.forEach((f, i) => f.setId(`coverage-${row.id}-${f.get('status') ?? i}`));
  source.clear();
  source.addFeatures([...pieces, ...unitFeatures(row)]);
  layers.coverage.setVisible(true);
  fadeCoverage();
  dom.result.dataset.drawn = 'false';
  render();
  emit('layers');
  if (fit) fitWith(pieces.filter((f) => f.get('status') !== 'outside'));
  await rendered();
  dom.result.dataset.drawn = 'true';
}

/** Where the units stand: the report's unitPlaces, else (older computations) the sectors' interior points. */
function unitFeatures(row) {
  const places = row.report?.unitPlaces;
  if (Array.isArray(places) && places.length) {
    return places.map((p) => {
      const f = new ol.Feature(new ol.geom.Point(fromLonLat(p.lon, p.lat)));
      f.setProperties({ kind: 'unit', name: p.name, shift: row.shift });
      return f;
    });
  }
  const sectors = layers.sectors
    .getSource()
    .getFeatures()
    .sort((a, b) => a.get('sector') - b.get('sector'))
    .slice(0, row.units ?? 0);
  return sectors.map((s) => {
    const g = s.getGeometry();
    const inner = g.getType() === 'Polygon' ? g.getInteriorPoint() : g.getPolygons().reduce((a, b) => (b.getArea() > a.getArea() ? b : a)).getInteriorPoint();
    const f = new ol.Feature(new ol.geom.Point(inner.getCoordinates().slice(0, 2)));
    f.setProperties({ kind: 'unit', name: `S${Number(s.get('sector')) + 1}`, shift: row.shift });
    return f;
  });
}

const bar = (p, color) =>
  el('span', { class: 'pct-bar', 'aria-hidden': 'true' }, el('span', { style: { width: `${Math.max(0, Math.min(100, Number(p) || 0))}%`, background: color } }));

function onShift(evt) {
  state.shift = evt.target.value;
  panel.run('coverage', (signal) => draw(signal, false)).catch((err) => {
    state.error = failure(err);
    showProblem();
  });
}

function render() {
  const rows = state.rows ?? [];
  const row = current();
  const box = dom.result;
  if (!row) {
    fill(box, el('p', { class: 'hint' }, t('coverage.none')));
    return;
  }
  box.dataset.state = 'ready';
  const r = row.report ?? {};
  const f = r.figures ?? {};
  const fig = (key, value, note = '') => figure(key, t(`coverage.fig.${key}`), value, note);
  const sectorRows = (r.sectors ?? []).map((s) => {
    const idx = Number(String(s.name).replace(/^S/, '')) - 1;
    const g = s.figures ?? {};
    return el(
      'tr',
      { dataset: { sector: s.name } },
      el('th', { scope: 'row' }, sectorChip(Number.isFinite(idx) ? idx : 0, String(s.name), { class: 'is-static' })),
      el('td', { class: 'num' }, fmtKm(g.streetKm, 1)),
      el('td', { class: 'num' }, fmtPct(g.coveredStreetKmPct, 0), bar(g.coveredStreetKmPct, COVERAGE_COLORS.covered)),
      el('td', { class: 'num' }, fmtPct(g.backupStreetKmPct, 0)),
      el('td', { class: 'num' }, fmtPct(g.coveredIncidentPct, 0)),
    );
  });
  const notes = (r.notes ?? []).map(translateNote);
  const missing = (r.unitsRefused ?? []).length;
  fill(
    box,
    planHead(t('coverage.head', { mode: t(`mode.${row.mode}`), min: fmt(row.minutes, 0) }), t('sectors.planTitle', { id: row.planId })),
    selectRow(
      'coverage-shift',
      t('coverage.shift'),
      onShift,
      rows.map((x) => el('option', { value: String(x.shift), selected: x.shift === row.shift }, `${x.shift} · ${t('coverage.nUnits', { n: fmt(x.units, 0) })}`)),
    ),
    el(
      'div',
      { class: 'kpi', id: 'coverage-kpi', dataset: { pct: Number(f.coveredStreetKmPct) || 0 } },
      el('span', { class: 'big' }, fmtPct(f.coveredStreetKmPct)),
      el('span', null, t('coverage.kpi', { covered: fmtKm(f.coveredStreetKm), total: fmtKm(f.streetKm) })),
      bar(f.coveredStreetKmPct, COVERAGE_COLORS.covered),
    ),
    el(
      'table',
      { class: 'props figures-table plan-figures', id: 'coverage-figures' },
      el(
        'tbody',
        null,
        fig('backup', fmtPct(f.backupStreetKmPct), t('coverage.backupNote', { km: fmtKm(f.backupStreetKm) })),
        fig('incidents', fmtPct(f.coveredIncidentPct), t('coverage.incidentsNote', { n: fmt(f.incidents ?? 0, 0) })),
        fig('blocks', fmtPct(f.coveredBlocksPct), t('coverage.blocksNote', { n: fmt(f.coveredBlocks ?? 0, 0), of: fmt(f.blocks ?? 0, 0) })),
        fig('units', fmt(row.units, 0), missing ? t('coverage.unitsRefused', { n: fmt(missing, 0) }) : ''),
        fig('unreachable', fmtKm(r.kmWithoutUnit ?? 0), t('coverage.unreachableNote', { n: fmt(r.componentsWithoutUnit ?? 0, 0) })),
      ),
    ),
    table(
      { class: 'sector-table', id: 'coverage-sectors' },
      [
        { text: t('sectors.col.sector') },
        { text: t('coverage.col.streets'), class: 'num' },
        { text: t('coverage.col.covered'), class: 'num' },
        { text: t('coverage.col.backup'), class: 'num' },
        { text: t('coverage.col.incidents'), class: 'num' },
      ],
      sectorRows,
    ),
    notesList('coverage-notes', notes.map((n) => noteItem(n))),
  );
}

panel.onSubmit(() => computeCoverage({ mode: dom.mode.value, minutes: dom.minutes.value }));
