// BarrioSeguro.Geo viewer: coverage and patrol routes of the sector plan shown in the planner's panel.
// Coverage: POST /api/plans/{planId}/coverage {mode, minutes} -> one computation per shift; GET /api/coverages/{id}/pieces
// draws covered / backup / uncovered street pieces (layer `coverage`, with the units at the sector centres).
// Routes: POST /api/plans/{planId}/routes {mode, shiftHours, shift, seed}, then GET /api/plans/{planId}/routes for the
// tracks and stops (layer `routes`), a table per route and a GPX link (GET /api/routes/{id}/gpx).
//
// Test hooks (added to window.barrioViewer by app.js): layers.coverage, layers.routes,
//   computeCoverage({mode, minutes}) -> Promise<coverages[]> once drawn; computeRoutes({mode, shiftHours, shift, seed})
//   -> Promise<{routes, notes}> once drawn. #coverage-result / #routes-result [data-drawn="true"] once the map drew them,
//   [data-state] 'ready' | 'error' | 'cancelled'.

import { t } from './i18n.js';

const { Style, Fill, Stroke, Text, Circle: CircleStyle, RegularShape } = ol.style;
const FONT_STACK = 'system-ui, "Segoe UI", Roboto, "Noto Sans", "Liberation Sans", "DejaVu Sans", Arial, sans-serif';

export const MODES = ['foot', 'bike', 'moto', 'car'];
export const COVERAGE_COLORS = { covered: '#1a9641', backup: '#00441b', uncovered: '#d7191c' };
const HOTSPOT_LIMIT_MIN = 120;

// ---------------------------------------------------------------------------------------------------------------
// Styles

const coverageStyles = {
  covered: [
    new Style({ stroke: new Stroke({ color: 'rgba(255,255,255,0.85)', width: 6, lineCap: 'round' }), zIndex: 1 }),
    new Style({ stroke: new Stroke({ color: COVERAGE_COLORS.covered, width: 3.2, lineCap: 'round' }), zIndex: 2 }),
  ],
  backup: [
    new Style({ stroke: new Stroke({ color: 'rgba(255,255,255,0.9)', width: 8.5, lineCap: 'round' }), zIndex: 3 }),
    new Style({ stroke: new Stroke({ color: COVERAGE_COLORS.backup, width: 5.5, lineCap: 'round' }), zIndex: 4 }),
  ],
  uncovered: [
    new Style({ stroke: new Stroke({ color: 'rgba(255,255,255,0.75)', width: 5, lineCap: 'butt' }), zIndex: 0 }),
    new Style({ stroke: new Stroke({ color: COVERAGE_COLORS.uncovered, width: 2.4, lineDash: [7, 5], lineCap: 'butt' }), zIndex: 0.5 }),
  ],
};

const unitStyleCache = new Map();
function unitStyle(feature) {
  const name = feature.get('name') ?? '';
  let s = unitStyleCache.get(name);
  if (!s) {
    s = [
      new Style({
        image: new RegularShape({
          points: 4,
          radius: 6.5,
          angle: Math.PI / 4,
          fill: new Fill({ color: '#12355b' }),
          stroke: new Stroke({ color: '#ffffff', width: 2 }),
        }),
        text: new Text({
          text: name,
          font: `700 11px ${FONT_STACK}`,
          offsetY: -13,
          fill: new Fill({ color: '#12355b' }),
          stroke: new Stroke({ color: '#ffffff', width: 3 }),
        }),
        zIndex: 10,
      }),
    ];
    unitStyleCache.set(name, s);
  }
  return s;
}

function coverageStyle(feature) {
  if (feature.get('kind') === 'unit') return unitStyle(feature);
  return coverageStyles[feature.get('status')] ?? coverageStyles.uncovered;
}

/** Arrows along a line every 280 pixels (at most 16 per track: sparse), pointing the way the route goes. */
function arrowStyles(geometry, resolution, color) {
  const coords = geometry.getCoordinates();
  const spacing = 280 * resolution;
  const out = [];
  let next = spacing / 2;
  let run = 0;
  for (let i = 1; i < coords.length && out.length < 16; i++) {
    const [x0, y0] = coords[i - 1];
    const [x1, y1] = coords[i];
    const len = Math.hypot(x1 - x0, y1 - y0);
    if (len === 0) continue;
    while (run + len >= next && out.length < 16) {
      const f = (next - run) / len;
      out.push(
        new Style({
          geometry: new ol.geom.Point([x0 + (x1 - x0) * f, y0 + (y1 - y0) * f]),
          image: new RegularShape({
            points: 3,
            radius: 5.5,
            rotation: Math.PI / 2 - Math.atan2(y1 - y0, x1 - x0),
            rotateWithView: true,
            fill: new Fill({ color }),
            stroke: new Stroke({ color: '#ffffff', width: 1.5 }),
          }),
          zIndex: 20,
        }),
      );
      next += spacing;
    }
    run += len;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------

/**
 * The "Cobertura" and "Rutas" sections. env: { map, layers, request, PlannerError, isAbort, fmt, escapeHtml, sectorColor,
 * inkOn, readFeatures(json), rendered(), fitWith(features), onLayersChanged() }.
 */
export function initNetwork(env) {
  const { map, layers, request, PlannerError, isAbort, fmt, escapeHtml: esc, sectorColor, inkOn } = env;

  const trackStyleCache = new Map();
  function routeStyle(feature, resolution) {
    const sector = Number(feature.get('sector'));
    const color = sectorColor(sector);
    if (feature.get('kind') === 'stop') {
      return new Style({
        image: new CircleStyle({ radius: 9, fill: new Fill({ color }), stroke: new Stroke({ color: '#14202b', width: 1.5 }) }),
        text: new Text({ text: String(feature.get('stop') ?? ''), font: `700 10.5px ${FONT_STACK}`, fill: new Fill({ color: inkOn(color) }) }),
        zIndex: 30,
      });
    }
    const key = `${feature.getId()}|${resolution}`;
    let styles = trackStyleCache.get(key);
    if (styles) return styles;
    styles = [
      new Style({ stroke: new Stroke({ color: 'rgba(20,32,43,0.8)', width: 6, lineCap: 'round', lineJoin: 'round' }), zIndex: 1 }),
      new Style({ stroke: new Stroke({ color, width: 3.5, lineCap: 'round', lineJoin: 'round' }), zIndex: 2 }),
      ...arrowStyles(feature.getGeometry(), resolution, color),
    ];
    if (trackStyleCache.size > 200) trackStyleCache.clear();
    trackStyleCache.set(key, styles);
    return styles;
  }

  const coverageLayer = new ol.layer.Vector({
    source: new ol.source.Vector(),
    style: coverageStyle,
    zIndex: 1002,
    properties: { name: 'coverage', title: 'layer.coverage' },
  });
  const routesLayer = new ol.layer.Vector({
    source: new ol.source.Vector(),
    style: routeStyle,
    zIndex: 1003,
    properties: { name: 'routes', title: 'layer.routes' },
  });
  map.addLayer(coverageLayer);
  map.addLayer(routesLayer);
  layers.coverage = coverageLayer;
  layers.routes = routesLayer;

  const $ = (id) => document.getElementById(id);
  const el = {
    cov: {
      section: $('coverage-section'),
      form: $('coverage-form'),
      mode: $('coverage-mode'),
      minutes: $('coverage-minutes'),
      compute: $('coverage-compute'),
      busy: $('coverage-busy'),
      busyText: $('coverage-busy-text'),
      result: $('coverage-result'),
    },
    rt: {
      section: $('routes-section'),
      form: $('routes-form'),
      mode: $('routes-mode'),
      hours: $('routes-hours'),
      shift: $('routes-shift'),
      seed: $('routes-seed'),
      compute: $('routes-compute'),
      busy: $('routes-busy'),
      busyText: $('routes-busy-text'),
      result: $('routes-result'),
    },
  };

  const state = {
    plan: null,
    coverage: { rows: null, shift: null, error: null, task: null },
    routes: { body: null, hours: 8, error: null, task: null, highlight: null },
  };

  // ---- busy / cancel ------------------------------------------------------------------------------------------

  function setBusy(which, task) {
    const s = state[which === 'cov' ? 'coverage' : 'routes'];
    const e = el[which];
    s.task = task;
    e.busy.hidden = !task;
    e.section.dataset.busy = task ? 'true' : 'false';
    e.compute.disabled = !!task || !state.plan;
    if (task) e.busyText.textContent = t(`${which === 'cov' ? 'coverage' : 'routes'}.loading`);
  }

  async function run(which, fn) {
    const s = state[which === 'cov' ? 'coverage' : 'routes'];
    s.task?.controller.abort();
    const task = { controller: new AbortController() };
    setBusy(which, task);
    try {
      return await fn(task.controller.signal);
    } finally {
      if (s.task === task) setBusy(which, null);
    }
  }

  $('coverage-cancel').addEventListener('click', () => state.coverage.task?.controller.abort());
  $('routes-cancel').addEventListener('click', () => state.routes.task?.controller.abort());

  function failure(err) {
    if (isAbort(err)) return { cancelled: true };
    if (err instanceof PlannerError && err.kind === 'http') {
      return { status: err.status, title: err.body?.title ?? null, detail: err.body?.detail ?? null, text: err.describe() };
    }
    return { text: err instanceof PlannerError ? err.describe() : String(err?.message ?? err) };
  }

  function renderProblem(box, e, id, head) {
    if (e.cancelled) {
      box.innerHTML = `<p class="planner-msg is-muted">${esc(t('planner.cancelled'))}</p>`;
      box.dataset.state = 'cancelled';
      return;
    }
    box.dataset.state = 'error';
    box.innerHTML =
      e.status === 422
        ? `<div class="problem-box" role="alert" id="${id}"><strong>${esc(head)} (HTTP 422):</strong>` +
          `<p class="problem-detail" lang="en">${esc(e.detail ?? e.title ?? '')}</p></div>`
        : `<p class="planner-msg is-error" role="alert" id="${id}">${esc(t('planner.failed', { message: e.text ?? '' }))}</p>`;
  }

  // ---- plan changes -------------------------------------------------------------------------------------------

  /** Called by the sectors section when a plan is drawn (or cleared): the coverage and routes of another plan go. */
  function onPlan(plan) {
    const same = plan && state.plan && plan.id === state.plan.id;
    state.plan = plan ?? null;
    el.cov.section.hidden = !plan;
    el.rt.section.hidden = !plan;
    if (same) return;
    state.coverage.task?.controller.abort();
    state.routes.task?.controller.abort();
    const had = coverageLayer.getSource().getFeatures().length + routesLayer.getSource().getFeatures().length > 0;
    coverageLayer.getSource().clear();
    routesLayer.getSource().clear();
    fadeCoverage();
    state.coverage = { rows: null, shift: null, error: null, task: null };
    state.routes = { body: null, hours: 8, error: null, task: null, highlight: null };
    setBusy('cov', null);
    setBusy('rt', null);
    for (const box of [el.cov.result, el.rt.result]) {
      box.innerHTML = '';
      box.dataset.state = '';
      box.dataset.drawn = 'false';
    }
    if (had) env.onLayersChanged();
  }

  /** The shift names of the contingent (from the sectors section's staffing), for the routes form's default. */
  function onStaffing(staffing) {
    const first = staffing?.perShift?.[0]?.shift;
    if (first && !el.rt.shift.dataset.touched) el.rt.shift.value = first;
  }
  el.rt.shift.addEventListener('input', () => {
    el.rt.shift.dataset.touched = 'true';
  });

  function requirePlan() {
    if (!state.plan) throw new Error('no sector plan shown: call computePlan or showPlan first');
    return state.plan.id;
  }

  // ---- coverage -----------------------------------------------------------------------------------------------

  async function computeCoverage({ mode = 'foot', minutes = 10 } = {}) {
    const planId = requirePlan();
    const payload = { mode: String(mode), minutes: Number(minutes) };
    state.coverage.error = null;
    el.cov.result.dataset.drawn = 'false';
    try {
      return await run('cov', async (signal) => {
        const { body } = await request(`api/plans/${planId}/coverage`, { method: 'POST', json: payload, signal });
        const rows = Array.isArray(body) ? body : [];
        state.coverage.rows = rows;
        state.coverage.shift = rows[0]?.shift ?? null;
        await drawCoverage(signal, true);
        return rows;
      });
    } catch (err) {
      state.coverage.error = failure(err);
      if (!state.coverage.error.cancelled) {
        coverageLayer.getSource().clear();
        state.coverage.rows = null;
        env.onLayersChanged();
      }
      renderProblem(el.cov.result, state.coverage.error, 'coverage-problem', t('coverage.failed'));
      throw err;
    }
  }

  function currentCoverage() {
    const rows = state.coverage.rows ?? [];
    return rows.find((r) => r.shift === state.coverage.shift) ?? rows[0] ?? null;
  }

  async function drawCoverage(signal, fit) {
    const row = currentCoverage();
    if (!row) return;
    const { body } = await request(`api/coverages/${row.id}/pieces`, { signal });
    const pieces = env.readFeatures(body);
    pieces.forEach((f, i) => f.setId(`coverage-${row.id}-${f.get('status') ?? i}`));
    const units = unitFeatures(row);
    coverageLayer.getSource().clear();
    coverageLayer.getSource().addFeatures([...pieces, ...units]);
    coverageLayer.setVisible(true);
    fadeCoverage();
    el.cov.result.dataset.drawn = 'false';
    renderCoverage();
    env.onLayersChanged();
    if (fit) env.fitWith(pieces);
    await env.rendered();
    el.cov.result.dataset.drawn = 'true';
  }

  /** Where the units stand: the report's unitPlaces, else (older computations) the sectors' interior points. */
  function unitFeatures(row) {
    const proj = map.getView().getProjection();
    const places = row.report?.unitPlaces;
    if (Array.isArray(places) && places.length) {
      return places.map((p) => {
        const f = new ol.Feature(new ol.geom.Point(ol.proj.transform([p.lon, p.lat], 'EPSG:4326', proj)));
        f.setProperties({ kind: 'unit', name: p.name, shift: row.shift });
        return f;
      });
    }
    const sectors = layers.sectors.getSource().getFeatures().sort((a, b) => a.get('sector') - b.get('sector')).slice(0, row.units ?? 0);
    return sectors.map((s) => {
      const g = s.getGeometry();
      const inner = g.getType() === 'Polygon' ? g.getInteriorPoint() : g.getPolygons().reduce((a, b) => (b.getArea() > a.getArea() ? b : a)).getInteriorPoint();
      const f = new ol.Feature(new ol.geom.Point(inner.getCoordinates().slice(0, 2)));
      f.setProperties({ kind: 'unit', name: `S${Number(s.get('sector')) + 1}`, shift: row.shift });
      return f;
    });
  }

  const km = (v, d = 2) => `${fmt(Number(v) || 0, d)}\u00a0km`;
  const pct = (v, d = 1) => `${fmt(Number(v) || 0, d)}\u00a0%`;

  function renderCoverage() {
    const rows = state.coverage.rows ?? [];
    const row = currentCoverage();
    const box = el.cov.result;
    if (!row) {
      box.innerHTML = `<p class="hint">${esc(t('coverage.none'))}</p>`;
      return;
    }
    box.dataset.state = 'ready';
    const r = row.report ?? {};
    const f = r.figures ?? {};
    const options = rows
      .map((x) => `<option value="${esc(x.shift)}"${x.shift === row.shift ? ' selected' : ''}>${esc(x.shift)} · ${esc(t('coverage.nUnits', { n: fmt(x.units, 0) }))}</option>`)
      .join('');
    const fig = (key, value, note = '') =>
      `<tr data-figure="${key}"><th scope="row">${esc(t(`coverage.fig.${key}`))}</th><td><span class="fig-value">${value}</span>` +
      `${note ? `<span class="sub">${note}</span>` : ''}</td></tr>`;
    const bar = (p, color) =>
      `<span class="pct-bar" aria-hidden="true"><span style="width:${Math.max(0, Math.min(100, Number(p) || 0))}%;background:${color}"></span></span>`;
    const sectorRows = (r.sectors ?? [])
      .map((s) => {
        const idx = Number(String(s.name).replace(/^S/, '')) - 1;
        const color = sectorColor(Number.isFinite(idx) ? idx : 0);
        const g = s.figures ?? {};
        return (
          `<tr data-sector="${esc(s.name)}"><th scope="row"><span class="sector-chip is-static" style="--c:${color};--chip-ink:${inkOn(color)}">${esc(s.name)}</span></th>` +
          `<td class="num">${esc(km(g.streetKm, 1))}</td>` +
          `<td class="num">${esc(pct(g.coveredStreetKmPct, 0))}${bar(g.coveredStreetKmPct, COVERAGE_COLORS.covered)}</td>` +
          `<td class="num">${esc(pct(g.backupStreetKmPct, 0))}</td>` +
          `<td class="num">${esc(pct(g.coveredIncidentPct, 0))}</td></tr>`
        );
      })
      .join('');
    const notes = (r.notes ?? []).map(translateNote);
    const missing = (r.unitsRefused ?? []).length;
    box.innerHTML =
      `<div class="plan-head"><span class="plan-title">${esc(t('coverage.head', { mode: t(`mode.${row.mode}`), min: fmt(row.minutes, 0) }))}</span>` +
      `<span class="plan-meta">${esc(t('sectors.planTitle', { id: row.planId }))}</span></div>` +
      `<div class="compare-row"><label for="coverage-shift">${esc(t('coverage.shift'))}</label><select id="coverage-shift">${options}</select></div>` +
      `<div class="kpi" id="coverage-kpi" data-pct="${Number(f.coveredStreetKmPct) || 0}">` +
      `<span class="big">${esc(pct(f.coveredStreetKmPct))}</span>` +
      `<span>${esc(t('coverage.kpi', { covered: km(f.coveredStreetKm), total: km(f.streetKm) }))}</span>${bar(f.coveredStreetKmPct, COVERAGE_COLORS.covered)}</div>` +
      `<table class="props figures-table plan-figures" id="coverage-figures"><tbody>` +
      fig('backup', esc(pct(f.backupStreetKmPct)), esc(t('coverage.backupNote', { km: km(f.backupStreetKm) }))) +
      fig('incidents', esc(pct(f.coveredIncidentPct)), esc(t('coverage.incidentsNote', { n: fmt(f.incidents ?? 0, 0) }))) +
      fig('blocks', esc(pct(f.coveredBlocksPct)), esc(t('coverage.blocksNote', { n: fmt(f.coveredBlocks ?? 0, 0), of: fmt(f.blocks ?? 0, 0) }))) +
      fig('units', esc(fmt(row.units, 0)), missing ? esc(t('coverage.unitsRefused', { n: fmt(missing, 0) })) : '') +
      fig('unreachable', esc(km(r.kmWithoutUnit ?? 0)), esc(t('coverage.unreachableNote', { n: fmt(r.componentsWithoutUnit ?? 0, 0) }))) +
      `</tbody></table>` +
      `<table class="sector-table" id="coverage-sectors"><thead><tr><th>${esc(t('sectors.col.sector'))}</th>` +
      `<th class="num">${esc(t('coverage.col.streets'))}</th><th class="num">${esc(t('coverage.col.covered'))}</th>` +
      `<th class="num">${esc(t('coverage.col.backup'))}</th><th class="num">${esc(t('coverage.col.incidents'))}</th></tr></thead>` +
      `<tbody>${sectorRows}</tbody></table>` +
      (notes.length
        ? `<h4 class="sub-head">${esc(t('sectors.fig.notes'))}</h4><ul class="plan-notes" id="coverage-notes">${notes
            .map((n) => `<li${n.lang ? ` lang="${n.lang}"` : ''}>${esc(n.text)}</li>`)
            .join('')}</ul>`
        : `<p class="hint" id="coverage-notes">${esc(t('sectors.fig.notes'))}: ${esc(t('sectors.none'))}</p>`);
  }

  el.cov.result.addEventListener('change', (evt) => {
    if (evt.target.id !== 'coverage-shift') return;
    state.coverage.shift = evt.target.value;
    run('cov', (signal) => drawCoverage(signal, false)).catch((err) => {
      state.coverage.error = failure(err);
      renderProblem(el.cov.result, state.coverage.error, 'coverage-problem', t('coverage.failed'));
    });
  });

  // ---- routes -------------------------------------------------------------------------------------------------

  async function computeRoutes({ mode = 'foot', shiftHours = 8, shift, seed = 1 } = {}) {
    const planId = requirePlan();
    const payload = { mode: String(mode), shiftHours: Number(shiftHours), seed: Number(seed) };
    const name = shift ?? el.rt.shift.value;
    if (name && String(name).trim()) payload.shift = String(name).trim();
    state.routes.error = null;
    el.rt.result.dataset.drawn = 'false';
    try {
      return await run('rt', async (signal) => {
        const { body } = await request(`api/plans/${planId}/routes`, { method: 'POST', json: payload, signal });
        const { body: geo } = await request(`api/plans/${planId}/routes`, { signal });
        const ids = new Set((body.routes ?? []).map((r) => r.id));
        const features = env.readFeatures({ ...geo, features: (geo.features ?? []).filter((f) => ids.has(f.properties?.routeId)) });
        features.forEach((f, i) =>
          f.setId(f.get('kind') === 'track' ? `route-${f.get('routeId')}` : `stop-${f.get('routeId')}-${f.get('stop') ?? i}`),
        );
        routesLayer.getSource().clear();
        trackStyleCache.clear();
        routesLayer.getSource().addFeatures(features);
        routesLayer.setVisible(true);
        fadeCoverage();
        state.routes.body = body;
        state.routes.hours = payload.shiftHours;
        state.routes.gpx = new Map(features.filter((f) => f.get('kind') === 'track').map((f) => [f.get('routeId'), f.get('gpx')]));
        renderRoutes();
        env.onLayersChanged();
        env.fitWith(features.filter((f) => f.get('kind') === 'track'));
        await env.rendered();
        el.rt.result.dataset.drawn = 'true';
        return body;
      });
    } catch (err) {
      state.routes.error = failure(err);
      if (!state.routes.error.cancelled) {
        routesLayer.getSource().clear();
        state.routes.body = null;
        fadeCoverage();
        env.onLayersChanged();
      }
      renderProblem(el.rt.result, state.routes.error, 'routes-problem', t('routes.failed'));
      throw err;
    }
  }

  function renderRoutes() {
    const body = state.routes.body;
    const box = el.rt.result;
    if (!body) return;
    box.dataset.state = 'ready';
    const shiftMin = state.routes.hours * 60;
    const routes = [...(body.routes ?? [])].sort((a, b) => a.sector - b.sector);
    const rows = routes
      .map((r) => {
        const p = r.report ?? {};
        const color = sectorColor(r.sector);
        const spots = p.hotspots ?? [];
        const maxGap = spots.length ? Math.max(...spots.map((h) => Number(h.maxIntervalMinutes) || 0)) : null;
        const within = spots.every((h) => h.withinLimit !== false && (Number(h.maxIntervalMinutes) || 0) <= HOTSPOT_LIMIT_MIN + 1e-6);
        const over = Number(p.durationMin) > shiftMin + 1e-6;
        const gpx = state.routes.gpx?.get(r.id) ?? `/api/routes/${r.id}/gpx`;
        return (
          `<tr data-route-id="${r.id}" data-sector="${r.sector}"${state.routes.highlight === r.id ? ' class="is-active"' : ''}>` +
          `<th scope="row"><button type="button" class="sector-chip route-chip" data-route-id="${r.id}" style="--c:${color};--chip-ink:${inkOn(color)}" ` +
          `title="${esc(t('routes.zoomTo'))}">${esc(p.sector ?? `S${r.sector + 1}`)}</button></th>` +
          `<td class="num" title="${esc(km(p.lengthKm, 2))}">${esc(fmt(p.lengthKm ?? 0, 1))}</td>` +
          `<td class="num${over ? ' is-over' : ''}" title="${esc(t('routes.ofShift', { min: fmt(shiftMin, 0) }))}">${esc(fmt(p.durationMin ?? 0, 0))}` +
          `<span class="of">/${esc(fmt(shiftMin, 0))}</span></td>` +
          `<td class="num">${esc(pct(p.deadheadPct, 0))}</td>` +
          `<td class="num">${esc(pct(p.streetsCoveredPct, 0))}</td>` +
          `<td class="num">${esc(fmt((p.stops ?? []).length, 0))}</td>` +
          `<td class="num" data-within="${maxGap === null ? '' : String(within)}">${
            maxGap === null
              ? `<span class="muted" title="${esc(t('routes.noHotspots'))}">—</span>`
              : `${esc(fmt(maxGap, 0))}\u00a0${within ? '<span class="ok" title="≤ 120 min">✓</span>' : '<span class="ko" title="> 120 min">✗</span>'}`
          }</td>` +
          `<td class="c"><a class="gpx-link" href="${esc(gpx.replace(/^\//, ''))}" download data-route-id="${r.id}" title="${esc(t('routes.gpxTitle'))}">GPX</a></td></tr>`
        );
      })
      .join('');
    const notes = routes
      .map((r) => ({ sector: r.report?.sector ?? `S${r.sector + 1}`, items: [...(r.report?.notes ?? []).map(translateNote), ...unreachableNote(r.report)] }))
      .filter((n) => n.items.length > 0);
    const general = (body.notes ?? []).map(translateNote);
    const first = routes[0];
    box.innerHTML =
      `<div class="plan-head"><span class="plan-title">${esc(
        t('routes.head', { mode: t(`mode.${first?.mode ?? 'foot'}`), shift: first?.shift ?? '', h: fmt(state.routes.hours, 0) }),
      )}</span><span class="plan-meta">${esc(t('routes.seedShort', { seed: first?.seed ?? '' }))}</span></div>` +
      `<table class="sector-table route-table" id="routes-table"><thead><tr><th>${esc(t('sectors.col.sector'))}</th>` +
      `<th class="num" title="${esc(t('routes.col.kmTitle'))}">km</th><th class="num" title="${esc(t('routes.col.minTitle'))}">${esc(t('routes.col.min'))}</th>` +
      `<th class="num" title="${esc(t('routes.col.deadheadTitle'))}">${esc(t('routes.col.deadhead'))}</th>` +
      `<th class="num" title="${esc(t('routes.col.streetsTitle'))}">${esc(t('routes.col.streets'))}</th>` +
      `<th class="num" title="${esc(t('routes.col.stopsTitle'))}">${esc(t('routes.col.stops'))}</th>` +
      `<th class="num" title="${esc(t('routes.col.gapTitle'))}">${esc(t('routes.col.gap'))}</th><th></th></tr></thead>` +
      `<tbody>${rows}</tbody></table>` +
      (notes.length || general.length
        ? `<h4 class="sub-head">${esc(t('sectors.fig.notes'))}</h4><ul class="plan-notes" id="routes-notes">${[
            ...general.map((n) => `<li${n.lang ? ` lang="${n.lang}"` : ''}>${esc(n.text)}</li>`),
            ...notes.map(
              (n) =>
                `<li data-sector="${esc(n.sector)}"><strong>${esc(n.sector)}:</strong> ${n.items
                  .map((x) => `<span${x.lang ? ` lang="${x.lang}"` : ''}>${esc(x.text)}</span>`)
                  .join('; ')}</li>`,
            ),
          ].join('')}</ul>`
        : `<p class="hint" id="routes-notes">${esc(t('sectors.fig.notes'))}: ${esc(t('sectors.none'))}</p>`);
  }

  function unreachableNote(report) {
    const list = report?.unreachable ?? [];
    if (!list.length) return [];
    const m = list.reduce((a, u) => a + (Number(u.lengthM) || 0), 0);
    return [{ text: t('routes.unreachable', { n: fmt(list.length, 0), km: km(m / 1000, 2) }) }];
  }

  /** Coverage under drawn routes is faded so the tracks read first; full strength when alone. */
  function fadeCoverage() {
    coverageLayer.setOpacity(routesLayer.getSource().getFeatures().length > 0 ? 0.35 : 1);
  }

  function highlightRoute(id) {
    state.routes.highlight = id;
    for (const f of routesLayer.getSource().getFeatures()) f.set('highlight', f.get('routeId') === id);
    for (const tr of el.rt.result.querySelectorAll('#routes-table tbody tr')) tr.classList.toggle('is-active', Number(tr.dataset.routeId) === id);
  }

  el.rt.result.addEventListener('click', (evt) => {
    const chip = evt.target.closest('button.route-chip');
    if (!chip) return;
    const id = Number(chip.dataset.routeId);
    highlightRoute(id);
    const f = routesLayer.getSource().getFeatureById(`route-${id}`);
    if (f) map.getView().fit(f.getGeometry().getExtent(), { padding: [60, 60, 60, 60], maxZoom: 18, duration: 300 });
  });

  // ---- notes: the server writes English; say the ones we recognise in the viewer's language ------------------------

  const NOTE_PATTERNS = [
    [/^one round of the tour with its stops takes (\d+) min, longer than the ([\d.]+) h shift$/, (m) => t('note.roundLonger', { min: m[1], h: m[2] })],
    [/^Shift (.+) has (\d+) unit\(s\) for (\d+) sectors: sectors (.+) have none\.$/, (m) => t('note.shiftShort', { shift: m[1], units: m[2], sectors: m[3], list: m[4] })],
    [
      /^([\d,]+) of ([\d,]+) connected pieces of the network \(([\d.,]+) km\) have no unit: they cannot be reached and count as not covered$/,
      (m) => t('note.noUnit', { n: m[1], of: m[2], km: `${m[3]}\u00a0km` }),
    ],
    [/^hot spot (.+): the longest gap is (\d+) min, over the (\d+) min asked/, (m) => t('note.hotspotGap', { name: m[1], gap: m[2], max: m[3] })],
    [/^hot spot (.+): cannot be reached from the route$/, (m) => t('note.hotspotUnreachable', { name: m[1] })],
    [/^(\d+) two-way street\(s\) walked both ways to balance the route$/, (m) => t('note.bothWays', { n: m[1] })],
    [/^mixed streets \((\d+) two-way required, the rest one-way\)/, (m) => t('note.mixed', { n: m[1] })],
    [/^the required streets form (\d+) separate pieces/, (m) => t('note.pieces', { n: m[1] })],
    [/^(\d+) required street\(s\) cannot be covered by a closed walk/, (m) => t('note.notClosed', { n: m[1] })],
    [/^Sector (\S+) holds no street the patrol mode can use\.$/, (m) => t('note.noStreet', { s: m[1] })],
    [/^Hot spot (.+) lies more than 200 m from any street of the network: left out\.$/, (m) => t('note.hotspotFar', { name: m[1] })],
  ];

  function translateNote(text) {
    const s = String(text ?? '');
    for (const [re, fn] of NOTE_PATTERNS) {
      const m = s.match(re);
      if (m) return { text: fn(m), original: s };
    }
    return { text: s, lang: 'en' };
  }

  // ---- forms, map clicks, language --------------------------------------------------------------------------------

  el.cov.form.addEventListener('submit', (evt) => {
    evt.preventDefault();
    if (!el.cov.form.reportValidity()) return;
    computeCoverage({ mode: el.cov.mode.value, minutes: el.cov.minutes.value }).catch(() => {});
  });
  el.rt.form.addEventListener('submit', (evt) => {
    evt.preventDefault();
    if (!el.rt.form.reportValidity()) return;
    computeRoutes({ mode: el.rt.mode.value, shiftHours: el.rt.hours.value, shift: el.rt.shift.value, seed: el.rt.seed.value }).catch(() => {});
  });

  function fillModes() {
    for (const select of [el.cov.mode, el.rt.mode]) {
      const value = select.value || select.dataset.default || 'foot';
      select.innerHTML = MODES.map((m) => `<option value="${m}"${m === value ? ' selected' : ''}>${esc(t(`mode.${m}`))}</option>`).join('');
    }
  }

  function onMapClick(hits) {
    const hit = hits.find((h) => h.layer === routesLayer);
    if (hit) highlightRoute(hit.feature.get('routeId'));
    return false;
  }

  function onLanguage() {
    fillModes();
    unitStyleCache.clear();
    if (state.coverage.error) renderProblem(el.cov.result, state.coverage.error, 'coverage-problem', t('coverage.failed'));
    else if (state.coverage.rows) renderCoverage();
    if (state.routes.error) renderProblem(el.rt.result, state.routes.error, 'routes-problem', t('routes.failed'));
    else if (state.routes.body) renderRoutes();
    if (state.coverage.task) el.cov.busyText.textContent = t('coverage.loading');
    if (state.routes.task) el.rt.busyText.textContent = t('routes.loading');
  }

  fillModes();
  onPlan(null);

  return { coverageLayer, routesLayer, onPlan, onStaffing, computeCoverage, computeRoutes, onMapClick, onLanguage };
}

