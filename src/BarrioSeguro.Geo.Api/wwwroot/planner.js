// BarrioSeguro.Geo viewer: the planner's panel for one neighbourhood.
// Figures (GET /api/neighborhoods/{id}/figures), validation drawn on the map (GET .../validation, layer `validation`),
// repair preview and apply (POST .../repair[?apply=true] with If-Match), history and diffs between two versions
// (GET .../revisions, GET .../diff?from=&to=, layer `diff`). Every request can be cancelled (AbortController).
//
// Test hooks (added to window.barrioViewer by app.js):
//   selectNeighborhood(id) -> Promise<figures> once the panel shows them
//   validate()             -> Promise<problems[]> once they are drawn (plain objects: index, kind, message, areaM2, other, geometryType)
//   repairPreview(), applyRepair(), history(), diff(from, to) -> Promises of what they showed
//   layers.validation, layers.diff; #planner-panel[data-state] is 'loading' | 'ready' | 'error' | 'cancelled'.
//   Sectors (POST/GET /api/neighborhoods/{id}/plans, GET /api/plans/{id}[/sectors], /api/plans/compare, contingent
//   staffing): layers.sectors; computePlan({sectors, seed}) -> Promise<plan JSON> once drawn; showPlan(id) likewise;
//   comparePlans(a, b) -> Promise<comparison>. #sectors-result[data-drawn="true"] once the map drew the plan.

import { t, has, getLocale } from './i18n.js';
import { initNetwork } from './network.js';

const API = 'api/neighborhoods/';
const DATA_PROJECTION = 'EPSG:4326';

const FONT_STACK = 'system-ui, "Segoe UI", Roboto, "Noto Sans", "Liberation Sans", "DejaVu Sans", Arial, sans-serif';
const RED = '#d7191c';
const GREEN = '#1a9641';

const { Style, Fill, Stroke, Text, RegularShape } = ol.style;

// ---------------------------------------------------------------------------------------------------------------
// Formatting

function fmt(value, digits) {
  return new Intl.NumberFormat(getLocale(), { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value);
}

/** Areas in m² throughout the planner (problems, repairs, history), with a decimal only for tiny ones. */
function fmtArea(m2) {
  const v = Number(m2);
  if (!Number.isFinite(v)) return t('value.empty');
  return `${fmt(v, Math.abs(v) < 10 ? 1 : 0)}\u00a0m²`;
}

function fmtM2(m2) {
  const v = Number(m2);
  return Number.isFinite(v) ? `${fmt(v, 0)}\u00a0m²` : t('value.empty');
}

/** Date and time in Lima, short (the history table is narrow): 28/11/26, 12:59 p. m. */
function fmtShortDateTime(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return new Intl.DateTimeFormat(getLocale(), { dateStyle: 'short', timeStyle: 'short', timeZone: 'America/Lima' }).format(d);
}

function fmtPlace(lonLat) {
  return `${lonLat[0].toFixed(5)}°, ${lonLat[1].toFixed(5)}°`;
}

function escapeHtml(value) {
  return String(value).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c],
  );
}

function plural(key, n) {
  return n === 1 && has(`${key}One`) ? t(`${key}One`) : t(key, { n: fmt(n, 0) });
}

// ---------------------------------------------------------------------------------------------------------------
// Requests (cancellable)

class PlannerError extends Error {
  constructor(kind, status, body) {
    super(`${kind}${status ? ` ${status}` : ''}${body?.title ? `: ${body.title}` : ''}${body?.detail ? ` — ${body.detail}` : ''}`);
    this.kind = kind; // 'network' | 'http' | 'badJson'
    this.status = status;
    this.body = body;
  }

  describe() {
    if (this.kind === 'network') return t('error.network');
    if (this.kind === 'badJson') return t('error.badJson');
    const parts = [t('error.http', { status: this.status })];
    if (this.body?.title) parts.push(this.body.title);
    if (this.body?.detail && this.body.detail !== this.body.title) parts.push(this.body.detail);
    return parts.join(' — ');
  }
}

const isAbort = (err) => err?.name === 'AbortError';

async function request(path, { method = 'GET', headers = {}, signal, json } = {}) {
  let response;
  try {
    response = await fetch(new URL(path, document.baseURI), {
      method,
      headers: {
        Accept: 'application/json, application/geo+json, application/problem+json',
        ...(json !== undefined ? { 'Content-Type': 'application/json' } : {}),
        ...headers,
      },
      body: json !== undefined ? JSON.stringify(json) : undefined,
      signal,
    });
  } catch (err) {
    if (isAbort(err)) throw err;
    throw new PlannerError('network');
  }
  let body = null;
  try {
    body = await response.json();
  } catch (err) {
    if (isAbort(err)) throw err;
    body = null;
  }
  if (!response.ok) throw new PlannerError('http', response.status, body);
  if (body === null) throw new PlannerError('badJson', response.status);
  return { body, response };
}

// ---------------------------------------------------------------------------------------------------------------
// Styles

function hatch(color, background) {
  const size = 8;
  const canvas = document.createElement('canvas');
  canvas.width = size;
  canvas.height = size;
  const g = canvas.getContext('2d');
  g.fillStyle = background;
  g.fillRect(0, 0, size, size);
  g.strokeStyle = color;
  g.lineWidth = 1.4;
  g.beginPath();
  for (const o of [-size, 0, size]) {
    g.moveTo(o, size);
    g.lineTo(o + size, 0);
  }
  g.stroke();
  return g.createPattern(canvas, 'repeat');
}

const problemHatch = hatch('rgba(215, 25, 28, 0.85)', 'rgba(215, 25, 28, 0.12)');
const removedHatch = hatch('rgba(215, 25, 28, 0.75)', 'rgba(215, 25, 28, 0.18)');

/** One label per feature: at the interior point of its largest polygon (not one per part of a MultiPolygon). */
function labelPoint(feature) {
  const g = feature.getGeometry();
  if (!g) return undefined;
  if (g.getType() === 'Polygon') return g.getInteriorPoint();
  if (g.getType() === 'MultiPolygon') {
    const parts = g.getPolygons();
    if (parts.length === 0) return undefined;
    return parts.reduce((a, b) => (b.getArea() > a.getArea() ? b : a)).getInteriorPoint();
  }
  if (g.getType() === 'MultiPoint') return g.getPoint(0);
  return g;
}

function labelStyle(text, color, { offsetX = 0, offsetY = 0, textAlign } = {}) {
  return new Style({
    geometry: labelPoint,
    text: new Text({
      text,
      font: `600 12px ${FONT_STACK}`,
      fill: new Fill({ color: '#ffffff' }),
      backgroundFill: new Fill({ color }),
      backgroundStroke: new Stroke({ color: '#ffffff', width: 1.5 }),
      padding: [2, 5, 1, 5],
      offsetX,
      offsetY,
      textAlign,
      overflow: true,
    }),
    zIndex: 50,
  });
}

function crossStyles(highlight) {
  const radius = highlight ? 12 : 9;
  return [
    new Style({
      image: new RegularShape({
        points: 4,
        radius: radius + 1,
        radius2: 0,
        angle: Math.PI / 4,
        stroke: new Stroke({ color: 'rgba(255,255,255,0.95)', width: 7 }),
      }),
    }),
    new Style({
      image: new RegularShape({
        points: 4,
        radius,
        radius2: 0,
        angle: Math.PI / 4,
        stroke: new Stroke({ color: RED, width: 3.5 }),
      }),
    }),
  ];
}
const crossNormal = crossStyles(false);
const crossHighlight = crossStyles(true);

const problemAreaStyles = [
  new Style({ fill: new Fill({ color: problemHatch }), stroke: new Stroke({ color: 'rgba(255,255,255,0.9)', width: 4 }) }),
  new Style({ stroke: new Stroke({ color: RED, width: 2, lineDash: [6, 3] }) }),
];
const problemAreaHighlight = [
  new Style({ fill: new Fill({ color: problemHatch }), stroke: new Stroke({ color: '#ffe14d', width: 8 }) }),
  new Style({ stroke: new Stroke({ color: RED, width: 3 }) }),
];

function problemStyle(feature) {
  const point = /Point$/.test(feature.getGeometry()?.getType() ?? '');
  const highlight = feature.get('highlight') === true;
  const label = `${feature.get('index')}. ${t(`kind.${feature.get('kind')}`)}`;
  if (point) {
    return [...(highlight ? crossHighlight : crossNormal), labelStyle(label, RED, { offsetX: 14, textAlign: 'left' })];
  }
  return [...(highlight ? problemAreaHighlight : problemAreaStyles), labelStyle(label, RED)];
}

const addedStyles = [
  new Style({ fill: new Fill({ color: 'rgba(26, 150, 65, 0.38)' }), stroke: new Stroke({ color: GREEN, width: 2 }) }),
];
const removedStyles = [
  new Style({ fill: new Fill({ color: removedHatch }), stroke: new Stroke({ color: RED, width: 2, lineDash: [6, 3] }) }),
];

function diffStyle(feature) {
  const added = feature.get('change') === 'added';
  const area = feature.get('areaM2');
  const base = added ? addedStyles : removedStyles;
  if (!Number.isFinite(Number(area))) return base;
  return [...base, labelStyle(`${added ? '+' : '−'}${fmtArea(area)}`, added ? GREEN : RED)];
}

// ---------------------------------------------------------------------------------------------------------------
// Patrol sectors (the chief's part of the panel): the contingent's staffing, computing a plan, the kept plans,
// comparing two of them. Layer `sectors`.

/** Paul Tol's "muted" scheme (colour-blind safe, distinct in print), then light grey; cycles after ten sectors. */
export const SECTOR_COLORS = ['#332288', '#88CCEE', '#44AA99', '#117733', '#999933', '#DDCC77', '#CC6677', '#882255', '#AA4499', '#DDDDDD'];
const BALANCE_TARGET_PCT = 5; // PartitionOptions.TargetDeviation

function sectorColor(index) {
  return SECTOR_COLORS[((index % SECTOR_COLORS.length) + SECTOR_COLORS.length) % SECTOR_COLORS.length];
}

function rgba(hex, alpha) {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}

/** Dark text on light colours, white text on dark ones (relative luminance). */
function inkOn(hex) {
  const n = parseInt(hex.slice(1), 16);
  const lin = (c) => {
    const v = c / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  };
  const l = 0.2126 * lin((n >> 16) & 255) + 0.7152 * lin((n >> 8) & 255) + 0.0722 * lin(n & 255);
  return l > 0.35 ? '#14202b' : '#ffffff';
}

const sectorStyleCache = new Map();

function sectorStyle(feature) {
  const index = Number(feature.get('sector'));
  const highlight = feature.get('highlight') === true;
  const key = `${index}|${highlight}|${getLocale()}|${feature.get('workload')}`;
  let styles = sectorStyleCache.get(key);
  if (styles) return styles;
  const color = sectorColor(index);
  const text = t('sectors.mapLabel', { s: index + 1, w: fmt(Number(feature.get('workload')), 1) });
  styles = [
    new Style({
      fill: new Fill({ color: rgba(color, highlight ? 0.62 : 0.42) }),
      stroke: new Stroke({ color: '#ffffff', width: highlight ? 4 : 2.5 }),
    }),
    ...(highlight ? [new Style({ stroke: new Stroke({ color: '#14202b', width: 1.5 }) })] : []),
    new Style({
      geometry: labelPoint,
      text: new Text({
        text,
        font: `700 12px ${FONT_STACK}`,
        fill: new Fill({ color: inkOn(color) }),
        backgroundFill: new Fill({ color }),
        backgroundStroke: new Stroke({ color: '#ffffff', width: 1.5 }),
        padding: [3, 6, 2, 6],
        overflow: true,
      }),
      zIndex: 60,
    }),
  ];
  if (sectorStyleCache.size > 400) sectorStyleCache.clear();
  sectorStyleCache.set(key, styles);
  return styles;
}

/**
 * The "Sectores" section. env: { map, layers, readFeatures(json), rendered(), fitWith(features), currentFeature(),
 * onLayersChanged(), fmtDateTime(iso) }.
 */
function initSectors(env) {
  const { map, layers } = env;
  const sectorsLayer = new ol.layer.Vector({
    source: new ol.source.Vector(),
    style: sectorStyle,
    zIndex: 1000.5, // over the selection highlight, under the neighbourhood's outline, validation and changes
    properties: { name: 'sectors', title: 'layer.sectors' },
  });
  map.addLayer(sectorsLayer);
  layers.sectors = sectorsLayer;

  const el = {
    section: document.getElementById('sectors-section'),
    staffing: document.getElementById('sectors-staffing'),
    form: document.getElementById('sectors-form'),
    count: document.getElementById('sectors-count'),
    seed: document.getElementById('sectors-seed'),
    compute: document.getElementById('sectors-compute'),
    busy: document.getElementById('sectors-busy'),
    busyText: document.getElementById('sectors-busy-text'),
    result: document.getElementById('sectors-result'),
    plans: document.getElementById('sectors-plans'),
  };

  const state = {
    id: null, // neighbourhood
    contingent: null, // {id, name, officers, shifts, ...} or null
    staffing: null, // the staffing answer, or null
    staffingError: null,
    staffingLoading: false,
    plan: null, // the plan shown (GET /api/plans/{id} answer)
    features: [], // its sectors
    error: null, // {title, detail, status} of the last failed computation
    plans: [], // kept plans of the neighbourhood, newest first
    compare: null, // {with, result} | {with, error}
    highlight: null,
    task: null, // {controller, kind}
    countTouched: false,
  };

  // ---- busy / cancel --------------------------------------------------------------------------------------------

  function setBusy(task) {
    state.task = task;
    el.busy.hidden = !task;
    el.section.dataset.busy = task ? 'true' : 'false';
    el.compute.disabled = !!task || state.id === null;
    if (task) el.busyText.textContent = t(`sectors.loading.${task.kind}`);
  }

  async function run(kind, fn) {
    state.task?.controller.abort();
    const task = { controller: new AbortController(), kind };
    setBusy(task);
    try {
      return await fn(task.controller.signal);
    } finally {
      if (state.task === task) setBusy(null);
    }
  }

  function cancel() {
    state.task?.controller.abort();
  }
  document.getElementById('sectors-cancel').addEventListener('click', cancel);

  // ---- neighbourhood changes --------------------------------------------------------------------------------------

  function clearDrawing() {
    const had = sectorsLayer.getSource().getFeatures().length > 0;
    sectorsLayer.getSource().clear();
    state.plan = null;
    state.features = [];
    state.highlight = null;
    env.onPlan?.(null);
    if (had) env.onLayersChanged(); // not at start-up: app.js's legend is not set up yet
  }

  function reset(id) {
    cancel();
    clearDrawing();
    Object.assign(state, {
      id,
      contingent: null,
      staffing: null,
      staffingError: null,
      error: null,
      plans: [],
      compare: null,
      countTouched: false,
    });
    el.section.dataset.planId = '';
    el.result.dataset.drawn = 'false';
    el.count.value = '';
    el.section.hidden = id === null;
    setBusy(null);
    render();
  }

  /** Called by the planner when another neighbourhood is selected (or none). Loads staffing and kept plans. */
  async function onNeighborhood(id) {
    if (id === state.id) return;
    reset(id);
    if (id === null) return;
    state.staffingLoading = true;
    renderStaffing();
    await Promise.allSettled([loadStaffing(id), loadPlans(id)]);
  }

  async function loadStaffing(id) {
    try {
      const { body: contingents } = await request('api/contingents');
      const mine = (Array.isArray(contingents) ? contingents : []).filter((c) => c.neighborhoodId === id).sort((a, b) => a.id - b.id);
      if (state.id !== id) return;
      state.contingent = mine[0] ?? null;
      if (state.contingent) {
        try {
          const { body } = await request(`api/contingents/${state.contingent.id}/staffing`);
          if (state.id !== id) return;
          state.staffing = body;
        } catch (err) {
          if (state.id !== id) return;
          state.staffingError = err;
        }
      }
    } catch (err) {
      if (state.id !== id) return;
      state.staffingError = err;
    } finally {
      if (state.id === id) {
        state.staffingLoading = false;
        if (!state.countTouched && !el.count.value && state.staffing?.sectorsPerShift > 0) {
          el.count.value = String(state.staffing.sectorsPerShift);
        }
        renderStaffing();
        el.section.dataset.staffing = state.staffing ? String(state.staffing.sectorsPerShift) : 'none';
        env.onStaffing?.(state.staffing);
      }
    }
  }

  async function loadPlans(id) {
    try {
      const { body } = await request(`${API}${id}/plans`);
      if (state.id !== id) return;
      state.plans = Array.isArray(body) ? body : [];
    } catch (err) {
      if (state.id !== id) return;
      state.plans = [];
      state.plansError = err;
    }
    renderPlans();
  }

  // ---- computing and showing plans --------------------------------------------------------------------------------

  function requireNeighborhood() {
    if (state.id === null) throw new Error('no neighbourhood selected: call selectNeighborhood(id) first');
    return state.id;
  }

  /** POST a plan, then draw it. Resolves with the plan JSON (report included) once the map drew it. */
  async function computePlan({ sectors, seed } = {}) {
    const id = requireNeighborhood();
    const payload = {};
    if (sectors !== undefined && sectors !== null && sectors !== '') payload.sectors = Number(sectors);
    if (seed !== undefined && seed !== null && seed !== '') payload.seed = Number(seed);
    state.error = null;
    state.compare = null;
    try {
      return await run('compute', async (signal) => {
        let created;
        try {
          ({ body: created } = await request(`${API}${id}/plans`, { method: 'POST', json: payload, signal }));
        } catch (err) {
          if (err instanceof PlannerError && err.kind === 'http') {
            state.error = { status: err.status, title: err.body?.title ?? null, detail: err.body?.detail ?? null, text: err.describe() };
            clearDrawing();
            render();
          }
          throw err;
        }
        const plan = await draw(created, signal);
        state.plans = [created, ...state.plans.filter((p) => p.id !== created.id)];
        renderPlans();
        return plan;
      });
    } catch (err) {
      if (isAbort(err)) {
        state.error = { cancelled: true };
        renderResult();
      } else if (!state.error) {
        state.error = { text: err instanceof PlannerError ? err.describe() : String(err?.message ?? err) };
        renderResult();
      }
      throw err;
    }
  }

  /** Shows a kept plan: its sectors on the map, its table and figures. */
  async function showPlan(planId) {
    requireNeighborhood();
    state.error = null;
    try {
      return await run('show', async (signal) => {
        const { body } = await request(`api/plans/${encodeURIComponent(planId)}`, { signal });
        if (body.neighborhoodId !== state.id) throw new Error(`plan ${planId} belongs to neighbourhood ${body.neighborhoodId}`);
        return draw(body, signal);
      });
    } catch (err) {
      if (isAbort(err)) state.error = { cancelled: true };
      else state.error = { text: err instanceof PlannerError ? err.describe() : String(err?.message ?? err) };
      renderResult();
      throw err;
    }
  }

  async function draw(plan, signal) {
    const { body } = await request(`api/plans/${plan.id}/sectors`, { signal });
    const features = env.readFeatures(body);
    features.forEach((f) => f.setId(`sector-${plan.id}-${f.get('sector')}`));
    sectorsLayer.getSource().clear();
    sectorsLayer.getSource().addFeatures(features);
    sectorsLayer.setVisible(true);
    state.plan = plan;
    state.features = features;
    state.highlight = null;
    if (state.compare && state.compare.with === plan.id) state.compare = null;
    el.section.dataset.planId = String(plan.id);
    el.result.dataset.drawn = 'false';
    env.onPlan?.(plan);
    env.onLayersChanged();
    render();
    env.fitWith(features);
    await env.rendered();
    el.result.dataset.drawn = 'true';
    return plan;
  }

  async function compare(a, b) {
    requireNeighborhood();
    state.compare = { with: Number(b), result: null, error: null };
    renderCompare();
    try {
      return await run('compare', async (signal) => {
        const { body } = await request(`api/plans/compare?a=${encodeURIComponent(a)}&b=${encodeURIComponent(b)}`, { signal });
        state.compare = { with: Number(b), result: body, error: null };
        renderCompare();
        return body;
      });
    } catch (err) {
      state.compare = isAbort(err) ? null : { with: Number(b), result: null, error: err };
      renderCompare();
      throw err;
    }
  }

  // ---- rendering ----------------------------------------------------------------------------------------------------

  function render() {
    renderStaffing();
    renderResult();
    renderPlans();
  }

  function renderStaffing() {
    if (state.id === null) {
      el.staffing.innerHTML = '';
      return;
    }
    if (state.staffingLoading) {
      el.staffing.innerHTML = '<div class="figures-skeleton" aria-hidden="true"><span></span><span></span></div>';
      return;
    }
    const c = state.contingent;
    if (!c) {
      el.staffing.innerHTML = state.staffingError
        ? `<p class="planner-msg is-error">${escapeHtml(t('sectors.staffingFailed', { message: state.staffingError.describe?.() ?? state.staffingError.message }))}</p>`
        : `<p class="planner-msg is-muted">${escapeHtml(t('sectors.noContingent'))}</p>`;
      return;
    }
    const head =
      `<div class="staffing-head"><span class="staffing-name">${escapeHtml(c.name ?? '')}</span>` +
      `<span class="staffing-meta">${escapeHtml(t('sectors.contingentMeta', { officers: fmt(c.officers, 0), shifts: fmt(c.shifts, 0) }))}</span></div>`;
    if (!state.staffing) {
      el.staffing.innerHTML =
        head +
        `<div class="planner-msg is-error" role="alert"><strong>${escapeHtml(t('sectors.cannotStaff'))}</strong>` +
        `<span class="problem-detail" lang="en">${escapeHtml(state.staffingError?.body?.detail ?? state.staffingError?.describe?.() ?? '')}</span></div>`;
      return;
    }
    const s = state.staffing;
    const shifts = (s.perShift ?? [])
      .map(
        (p) =>
          `<tr><th scope="row">${escapeHtml(p.shift)}</th><td class="num">${escapeHtml(fmt(p.officersOnDuty, 0))}</td>` +
          `<td class="num">${escapeHtml(fmt(p.units, 0))}</td></tr>`,
      )
      .join('');
    el.staffing.innerHTML =
      head +
      `<div class="staffing-figure" id="sectors-per-shift" data-value="${s.sectorsPerShift}">` +
      `<span class="big">${escapeHtml(fmt(s.sectorsPerShift, 0))}</span>` +
      `<span>${escapeHtml(s.sectorsPerShift === 1 ? t('sectors.perShiftOne') : t('sectors.perShift'))}</span></div>` +
      (shifts
        ? `<table class="mini-table staffing-shifts"><thead><tr><th>${escapeHtml(t('sectors.shift'))}</th>` +
          `<th class="num">${escapeHtml(t('sectors.onDuty'))}</th><th class="num">${escapeHtml(t('sectors.units'))}</th></tr></thead>` +
          `<tbody>${shifts}</tbody></table>`
        : '') +
      `<details class="staffing-why"><summary>${escapeHtml(t('sectors.why'))}</summary>` +
      `<ol class="staffing-sentences" lang="en">${(s.explanation ?? []).map((x) => `<li>${escapeHtml(x)}</li>`).join('')}</ol></details>`;
  }

  const yesNo = (ok) =>
    `<span class="${ok ? 'ok' : 'ko'}" title="${escapeHtml(ok ? t('sectors.yes') : t('sectors.no'))}">${ok ? '✓' : '✗'}</span>`;

  function renderResult() {
    const e = state.error;
    if (e) {
      if (e.cancelled) {
        el.result.innerHTML = `<p class="planner-msg is-muted">${escapeHtml(t('planner.cancelled'))}</p>`;
      } else if (e.status === 422) {
        el.result.innerHTML =
          `<div class="problem-box" role="alert" id="sectors-problem"><strong>${escapeHtml(t('sectors.noPlan'))}</strong>` +
          `<p class="problem-detail" lang="en">${escapeHtml(e.detail ?? e.title ?? '')}</p>` +
          `<p class="sub">${escapeHtml(t('sectors.noPlanHint'))}</p></div>`;
      } else {
        el.result.innerHTML = `<p class="planner-msg is-error" role="alert" id="sectors-problem">${escapeHtml(t('planner.failed', { message: e.text ?? '' }))}</p>`;
      }
      el.result.dataset.state = e.cancelled ? 'cancelled' : 'error';
      return;
    }
    const plan = state.plan;
    if (!plan) {
      el.result.innerHTML = '';
      el.result.dataset.state = '';
      return;
    }
    el.result.dataset.state = 'plan';
    const r = plan.report ?? {};
    const sectors = [...(r.sectors ?? [])].sort((a, b) => a.id - b.id);
    const mean = sectors.length ? sectors.reduce((acc, s) => acc + s.workload, 0) / sectors.length : 0;
    const maxW = Math.max(0, ...sectors.map((s) => s.workload));
    const rows = sectors
      .map((s) => {
        const dev = mean > 0 ? ((s.workload - mean) / mean) * 100 : 0;
        const color = sectorColor(s.id);
        const pct = maxW > 0 ? Math.round((s.workload / maxW) * 100) : 0;
        return (
          `<tr data-sector="${s.id}"${state.highlight === s.id ? ' class="is-active"' : ''}>` +
          `<th scope="row"><button type="button" class="sector-chip" data-sector="${s.id}" style="--c:${color};--chip-ink:${inkOn(color)}" ` +
          `title="${escapeHtml(t('sectors.zoomTo'))}">S${s.id + 1}</button></th>` +
          `<td class="num load"><span class="load-value">${escapeHtml(fmt(s.workload, 1))}</span>` +
          `<span class="load-bar" aria-hidden="true"><span style="width:${pct}%;background:${color}"></span></span>` +
          `<span class="dev${Math.abs(dev) > BALANCE_TARGET_PCT ? ' is-over' : ''}">${dev >= 0 ? '+' : '−'}${escapeHtml(fmt(Math.abs(dev), 1))}\u00a0%</span></td>` +
          `<td class="num">${escapeHtml(fmt(s.blocks, 0))}</td>` +
          `<td class="num">${escapeHtml(fmt(s.areaKm2, 3))}</td>` +
          `<td class="num">${escapeHtml(fmt(s.polsbyPopper, 2))}</td>` +
          `<td class="c">${yesNo(s.contiguous)}</td></tr>`
        );
      })
      .join('');
    const fig = (key, value, note = '', extra = '') =>
      `<tr data-figure="${key}"${extra}><th scope="row">${escapeHtml(t(`sectors.fig.${key}`))}</th>` +
      `<td><span class="fig-value">${value}</span>${note ? `<span class="sub">${note}</span>` : ''}</td></tr>`;
    const dev = Number(r.maxDeviationPct ?? plan.maxDeviationPct);
    const bound = Number(r.balanceBoundPct);
    const within = dev <= BALANCE_TARGET_PCT + 1e-9;
    const devNote =
      Number.isFinite(bound) && bound > BALANCE_TARGET_PCT
        ? escapeHtml(t('sectors.boundNote', { bound: `${fmt(bound, 1)}\u00a0%` }))
        : escapeHtml(t('sectors.targetNote', { target: fmt(BALANCE_TARGET_PCT, 0) }));
    const islands = r.islands ?? [];
    const notes = r.notes ?? [];
    const churn = r.churn
      ? fig(
          'churn',
          escapeHtml(t('sectors.churnValue', { n: fmt(r.churn.blocksChanged, 0), pct: fmt(r.churn.workloadSharePct, 1) })),
        )
      : '';
    el.result.innerHTML =
      `<div class="plan-head"><span class="plan-title">${escapeHtml(t('sectors.planTitle', { id: plan.id }))}</span>` +
      `<span class="plan-meta">${escapeHtml(
        [t('sectors.nSectors', { n: fmt(plan.sectors, 0) }), t('sectors.seedShort', { seed: plan.seed }), fmtShortDateTime(plan.createdAt), plan.author]
          .filter(Boolean)
          .join(' · '),
      )}</span></div>` +
      `<table class="sector-table" id="sectors-table"><thead><tr>` +
      `<th>${escapeHtml(t('sectors.col.sector'))}</th><th class="num">${escapeHtml(t('sectors.col.load'))}</th>` +
      `<th class="num" title="${escapeHtml(t('sectors.col.blocksTitle'))}">${escapeHtml(t('sectors.col.blocks'))}</th>` +
      `<th class="num">km²</th><th class="num" title="${escapeHtml(t('planner.polsbyPopperNote'))}">P-P</th>` +
      `<th class="c" title="${escapeHtml(t('sectors.col.contiguousTitle'))}">${escapeHtml(t('sectors.col.contiguous'))}</th></tr></thead><tbody>${rows}</tbody></table>` +
      `<table class="props figures-table plan-figures" id="plan-figures"><tbody>` +
      fig(
        'maxDeviation',
        `<span class="${within ? 'ok' : 'ko'}">${escapeHtml(fmt(dev, 1))}\u00a0%</span>`,
        devNote,
        ` data-value="${dev}" data-bound="${Number.isFinite(bound) ? bound : ''}"`,
      ) +
      fig('contiguous', `${yesNo(r.contiguous ?? plan.contiguous)} ${escapeHtml((r.contiguous ?? plan.contiguous) ? t('sectors.yes') : t('sectors.no'))}`) +
      fig('compactness', escapeHtml(fmt(Number(r.meanPolsbyPopper ?? plan.meanPolsbyPopper), 2)), escapeHtml(t('planner.polsbyPopperNote'))) +
      fig('seed', escapeHtml(String(r.seed ?? plan.seed))) +
      fig('elapsed', escapeHtml(`${fmt(Number(r.elapsedMs ?? 0), 0)}\u00a0ms`)) +
      fig(
        'islands',
        islands.length === 0 ? escapeHtml(t('sectors.none')) : `<span lang="en">${islands.map(escapeHtml).join('<br>')}</span>`,
      ) +
      churn +
      fig('data', `<code>${escapeHtml(plan.dataVersion ?? '')}</code>`) +
      `</tbody></table>` +
      (notes.length
        ? `<h4 class="sub-head">${escapeHtml(t('sectors.fig.notes'))}</h4><ul class="plan-notes" id="plan-notes" lang="en">${notes
            .map((n) => `<li>${escapeHtml(n)}</li>`)
            .join('')}</ul>`
        : `<p class="hint" id="plan-notes">${escapeHtml(t('sectors.fig.notes'))}: ${escapeHtml(t('sectors.none'))}</p>`);
  }

  function renderPlans() {
    if (state.id === null) {
      el.plans.innerHTML = '';
      return;
    }
    const current = state.plan?.id ?? null;
    const items = state.plans
      .map((p) => {
        const active = p.id === current;
        return (
          `<li data-plan-id="${p.id}"${active ? ' class="is-active" aria-current="true"' : ''}>` +
          `<button type="button" class="plan-item" data-plan-id="${p.id}" title="${escapeHtml(p.name ?? '')}">` +
          `<span class="plan-id">#${p.id}</span>` +
          `<span class="plan-main">${escapeHtml(t('sectors.nSectors', { n: fmt(p.sectors, 0) }))} · ${escapeHtml(t('sectors.seedShort', { seed: p.seed }))}` +
          `<span class="plan-when">${escapeHtml(fmtShortDateTime(p.createdAt))} · ${escapeHtml(p.author ?? '')}</span></span>` +
          `<span class="plan-dev${p.maxDeviationPct <= BALANCE_TARGET_PCT ? '' : ' is-over'}">±${escapeHtml(fmt(p.maxDeviationPct, 1))}\u00a0%</span>` +
          `</button></li>`
        );
      })
      .join('');
    const others = state.plans.filter((p) => p.id !== current);
    const compareHtml =
      current !== null && others.length > 0
        ? `<div class="compare-row"><label for="sectors-compare">${escapeHtml(t('sectors.compareWith'))}</label>` +
          `<select id="sectors-compare"><option value="">—</option>${others
            .map(
              (p) =>
                `<option value="${p.id}"${state.compare?.with === p.id ? ' selected' : ''}>#${p.id} · ${escapeHtml(
                  t('sectors.nSectors', { n: fmt(p.sectors, 0) }),
                )} · ${escapeHtml(t('sectors.seedShort', { seed: p.seed }))}</option>`,
            )
            .join('')}</select></div><div id="sectors-compare-result"></div>`
        : '';
    el.plans.innerHTML =
      `<h4 class="sub-head">${escapeHtml(t('sectors.kept'))}${state.plans.length ? ` <span class="count">${fmt(state.plans.length, 0)}</span>` : ''}</h4>` +
      (state.plans.length
        ? `<ul class="plan-list" id="plan-list">${items}</ul>`
        : `<p class="hint">${escapeHtml(t('sectors.noPlans'))}</p>`) +
      compareHtml;
    renderCompare();
  }

  function renderCompare() {
    const box = document.getElementById('sectors-compare-result');
    if (!box) return;
    const c = state.compare;
    if (!c) {
      box.innerHTML = '';
      return;
    }
    if (c.error) {
      box.innerHTML = `<p class="planner-msg is-error">${escapeHtml(t('planner.failed', { message: c.error.describe?.() ?? c.error.message }))}</p>`;
      return;
    }
    if (!c.result) {
      box.innerHTML = `<p class="hint">${escapeHtml(t('sectors.loading.compare'))}</p>`;
      return;
    }
    const r = c.result;
    box.innerHTML =
      `<div class="diff-summary compare-summary" id="compare-summary" data-changed="${r.blocksChanged}" data-pct="${r.blocksChangedPct}">` +
      `<strong>${escapeHtml(t('sectors.compareHead', { a: r.a.id, b: r.b.id }))}</strong>` +
      `<span>${escapeHtml(t('sectors.blocksChanged', { n: fmt(r.blocksChanged, 0), pct: fmt(r.blocksChangedPct, 1), of: fmt(r.commonBlocks, 0) }))}</span>` +
      (r.sameData ? '' : `<span class="warn">${escapeHtml(t('sectors.otherData'))}</span>`) +
      `<span class="sub">${escapeHtml(t('sectors.compareNote'))}</span></div>`;
  }

  // ---- interaction --------------------------------------------------------------------------------------------------

  function highlight(index) {
    state.highlight = index;
    for (const f of sectorsLayer.getSource().getFeatures()) f.set('highlight', Number(f.get('sector')) === index);
    for (const tr of el.result.querySelectorAll('#sectors-table tbody tr')) tr.classList.toggle('is-active', Number(tr.dataset.sector) === index);
  }

  el.form.addEventListener('submit', (evt) => {
    evt.preventDefault();
    if (!el.form.reportValidity()) return;
    computePlan({ sectors: el.count.value, seed: el.seed.value }).catch(() => {});
  });
  el.count.addEventListener('input', () => {
    state.countTouched = true;
  });

  el.result.addEventListener('click', (evt) => {
    const chip = evt.target.closest('button.sector-chip');
    if (!chip) return;
    const index = Number(chip.dataset.sector);
    highlight(index);
    const f = state.features.find((x) => Number(x.get('sector')) === index);
    if (f) map.getView().fit(f.getGeometry().getExtent(), { padding: [60, 60, 60, 60], maxZoom: 18, duration: 300 });
  });

  el.plans.addEventListener('click', (evt) => {
    const item = evt.target.closest('button.plan-item');
    if (item) showPlan(Number(item.dataset.planId)).catch(() => {});
  });
  el.plans.addEventListener('change', (evt) => {
    if (evt.target.id !== 'sectors-compare') return;
    const b = Number(evt.target.value);
    if (!b || !state.plan) {
      state.compare = null;
      renderCompare();
      return;
    }
    compare(state.plan.id, b).catch(() => {});
  });

  /** Map click: a sector under the pointer marks its row. */
  function onMapClick(hits) {
    const hit = hits.find((h) => h.layer === sectorsLayer);
    if (hit) highlight(Number(hit.feature.get('sector')));
    return false;
  }

  function onLanguage() {
    sectorStyleCache.clear();
    sectorsLayer.changed();
    render();
    if (state.task) el.busyText.textContent = t(`sectors.loading.${state.task.kind}`);
  }

  reset(null);

  return {
    layer: sectorsLayer,
    onNeighborhood,
    computePlan,
    showPlan,
    compare,
    onMapClick,
    onLanguage,
    cancel,
  };
}

// ---------------------------------------------------------------------------------------------------------------

/**
 * Sets up the planner panel and its two layers on `map`.
 * ctx: { map, layers, selectFeature(feature|null), onLayersChanged(), fmtDateTime(iso) }
 */
export function initPlanner(ctx) {
  const { map, layers } = ctx;
  const geojson = new ol.format.GeoJSON();

  const validationLayer = new ol.layer.Vector({
    source: new ol.source.Vector(),
    style: problemStyle,
    zIndex: 1010,
    properties: { name: 'validation', title: 'layer.validation' },
  });
  const diffLayer = new ol.layer.Vector({
    source: new ol.source.Vector(),
    style: diffStyle,
    zIndex: 1005,
    properties: { name: 'diff', title: 'layer.diff' },
  });
  // The neighbourhood being planned: a dark outline with a white halo, under the problems, over everything else.
  const focusLayer = new ol.layer.Vector({
    source: new ol.source.Vector(),
    style: [
      new Style({ stroke: new Stroke({ color: 'rgba(255,255,255,0.95)', width: 7 }) }),
      new Style({ stroke: new Stroke({ color: '#12355b', width: 2.5, lineDash: [10, 4] }) }),
    ],
    zIndex: 1001,
    properties: { name: 'planner-focus' },
  });
  map.addLayer(focusLayer);
  map.addLayer(diffLayer);
  map.addLayer(validationLayer);

  function setFocus(feature) {
    focusLayer.getSource().clear();
    const g = feature?.getGeometry();
    if (g) focusLayer.getSource().addFeature(new ol.Feature(g.clone()));
  }
  layers.validation = validationLayer;
  layers.diff = diffLayer;

  // Coverage and patrol routes of the plan shown (layers `coverage` and `routes`): network.js.
  const network = initNetwork({
    map,
    layers,
    request,
    PlannerError,
    isAbort,
    fmt,
    escapeHtml,
    sectorColor,
    inkOn,
    readFeatures: (json) => readFeatures(json),
    rendered: () => rendered(),
    fitWith: (features) => fitWith(features),
    onLayersChanged: () => ctx.onLayersChanged(),
  });

  // The chief's part: staffing, sector plans (layer `sectors`).
  const sectors = initSectors({
    map,
    layers,
    readFeatures: (json) => readFeatures(json),
    rendered: () => rendered(),
    fitWith: (features) => fitWith(features),
    onLayersChanged: () => ctx.onLayersChanged(),
    onPlan: (plan) => network.onPlan(plan),
    onStaffing: (staffing) => network.onStaffing(staffing),
  });

  const el = {
    panel: document.getElementById('planner-panel'),
    name: document.getElementById('planner-name'),
    meta: document.getElementById('planner-meta'),
    figures: document.getElementById('planner-figures'),
    actions: document.getElementById('planner-actions'),
    busy: document.getElementById('planner-busy'),
    busyText: document.getElementById('planner-busy-text'),
    result: document.getElementById('planner-result'),
  };

  const state = {
    id: null,
    feature: null, // the neighbourhood as read from GET /api/neighborhoods/{id} (view projection)
    props: null,
    figures: null,
    version: null,
    view: null, // what the result area shows: {type: 'validation'|'repair'|'history'|'message', ...}
    tasks: new Map(), // slot -> {controller, kind}
  };

  // ---- busy / cancel ------------------------------------------------------------------------------------------

  function updateBusy() {
    const running = [...state.tasks.values()];
    el.busy.hidden = running.length === 0;
    document.body.dataset.plannerBusy = running.length > 0 ? 'true' : 'false';
    if (running.length > 0) el.busyText.textContent = t(`planner.loading.${running[running.length - 1].kind}`);
  }

  /** Runs fn(signal) in a slot ('figures' or 'action'): a new task in the same slot aborts the previous one. */
  async function runTask(slot, kind, fn) {
    state.tasks.get(slot)?.controller.abort();
    const task = { controller: new AbortController(), kind };
    state.tasks.delete(slot); // re-insert so the newest task names the spinner
    state.tasks.set(slot, task);
    updateBusy();
    setButtonsDisabled(true);
    try {
      return await fn(task.controller.signal);
    } finally {
      if (state.tasks.get(slot) === task) state.tasks.delete(slot);
      updateBusy();
      setButtonsDisabled(state.tasks.size > 0);
    }
  }

  function cancelAll() {
    for (const task of state.tasks.values()) task.controller.abort();
  }

  document.getElementById('planner-cancel').addEventListener('click', cancelAll);

  function setButtonsDisabled(disabled) {
    for (const b of el.actions.querySelectorAll('button')) b.disabled = disabled || state.id === null;
  }

  function showFailure(err) {
    if (isAbort(err)) {
      showView({ type: 'message', tone: 'muted', text: t('planner.cancelled') });
      el.panel.dataset.state = 'cancelled';
    } else {
      console.error('Viewer planner:', err);
      const message = err instanceof PlannerError ? err.describe() : String(err?.message ?? err);
      showView({ type: 'message', tone: 'error', text: t('planner.failed', { message }) });
    }
  }

  // ---- selection and figures ----------------------------------------------------------------------------------

  function readFeature(json) {
    return geojson.readFeature(json, { dataProjection: DATA_PROJECTION, featureProjection: map.getView().getProjection() });
  }

  function readFeatures(json) {
    return geojson
      .readFeatures(json, { dataProjection: DATA_PROJECTION, featureProjection: map.getView().getProjection() })
      .filter((f) => {
        const g = f.getGeometry();
        return g && !ol.extent.isEmpty(g.getExtent());
      });
  }

  function layerFeature(id) {
    return layers.neighborhoods.getSource().getFeatureById(id) ?? null;
  }

  let selecting = null; // {id, promise}

  function selectNeighborhood(id, { force = false } = {}) {
    const nid = Number(id);
    if (!Number.isInteger(nid)) return Promise.reject(new Error(`not a neighbourhood id: ${id}`));
    if (!force && state.id === nid) {
      if (selecting?.id === nid) return selecting.promise;
      if (state.figures) return Promise.resolve(state.figures);
    }
    if (state.id !== nid) {
      state.tasks.get('action')?.controller.abort();
      clearOverlays();
      state.view = null;
      state.figures = null;
    }
    state.id = nid;
    sectors.onNeighborhood(nid).catch(() => {});
    el.panel.hidden = false;
    el.panel.dataset.neighborhoodId = String(nid);
    el.panel.dataset.state = 'loading';
    const known = layerFeature(nid);
    if (known) ctx.selectFeature(known);
    setFocus(known);
    renderHead(known?.getProperties() ?? null);
    if (!state.figures) renderFigures(null);
    renderView();

    const promise = runTask('figures', 'figures', async (signal) => {
      const [feature, figures] = await Promise.all([
        request(`${API}${nid}`, { signal }),
        request(`${API}${nid}/figures`, { signal }),
      ]);
      if (state.id !== nid) throw new DOMException('another neighbourhood was selected', 'AbortError');
      state.feature = readFeature(feature.body);
      state.props = feature.body.properties ?? {};
      state.figures = figures.body;
      state.version = figures.body.version ?? state.props.version ?? null;
      setFocus(state.feature);
      renderHead(state.props);
      renderFigures(state.figures);
      el.panel.dataset.state = 'ready';
      el.panel.dataset.version = String(state.version ?? '');
      return state.figures;
    })
      .catch((err) => {
        if (state.id === nid) {
          el.panel.dataset.state = isAbort(err) ? 'cancelled' : 'error';
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

  function close() {
    cancelAll();
    sectors.onNeighborhood(null).catch(() => {});
    clearOverlays();
    setFocus(null);
    state.id = null;
    state.feature = state.props = state.figures = state.version = state.view = null;
    el.panel.hidden = true;
    el.panel.dataset.state = 'closed';
    delete el.panel.dataset.neighborhoodId;
    setButtonsDisabled(true);
  }

  document.getElementById('planner-close').addEventListener('click', close);

  function renderHead(props) {
    el.name.textContent = props?.name ?? (state.id !== null ? `#${state.id}` : '');
    const bits = [];
    if (props?.version !== undefined && props?.version !== null) bits.push(t('planner.version', { v: props.version }));
    if (props?.status) bits.push(has(`status.${String(props.status).toLowerCase()}`) ? t(`status.${String(props.status).toLowerCase()}`) : props.status);
    if (props?.isIllustrative === true) bits.push(t('map.illustrative'));
    el.meta.textContent = bits.join(' · ');
  }

  function renderFigures(figures, err) {
    if (!figures) {
      el.figures.innerHTML = err
        ? `<p class="planner-msg ${isAbort(err) ? 'is-muted' : 'is-error'}">${escapeHtml(
            isAbort(err) ? t('planner.cancelled') : t('planner.failed', { message: err.describe?.() ?? err.message }),
          )}</p>`
        : '<div class="figures-skeleton" aria-hidden="true"><span></span><span></span><span></span><span></span></div>';
      return;
    }
    const row = (key, value, note = '') =>
      `<tr data-figure="${key}"><th scope="row">${escapeHtml(t(`planner.${key}`))}</th>` +
      `<td><span class="fig-value">${escapeHtml(value)}</span>${note ? `<span class="sub">${escapeHtml(note)}</span>` : ''}</td></tr>`;
    const byClass = Object.entries(figures.streetKmByClass ?? {}).sort((a, b) => b[1] - a[1]);
    const maxKm = byClass.length > 0 ? byClass[0][1] : 0;
    const classRows = byClass
      .map(([cls, km]) => {
        const label = has(`class.${cls}`) ? t(`class.${cls}`) : cls;
        const pct = maxKm > 0 ? Math.max(2, Math.round((km / maxKm) * 100)) : 0;
        return (
          `<li data-street-class="${escapeHtml(cls)}" title="highway=${escapeHtml(cls)}">` +
          `<span class="cls-name">${escapeHtml(label)}</span>` +
          `<span class="cls-bar" aria-hidden="true"><span style="width:${pct}%"></span></span>` +
          `<span class="cls-km">${escapeHtml(fmt(km, 2))}\u00a0km</span></li>`
        );
      })
      .join('');
    el.figures.innerHTML =
      `<table class="props figures-table"><tbody>` +
      row('area', `${fmt(figures.areaKm2, 3)}\u00a0km²`) +
      row('perimeter', `${fmt(figures.perimeterKm, 2)}\u00a0km`) +
      row('polsbyPopper', fmt(figures.polsbyPopper, 2), t('planner.polsbyPopperNote')) +
      row('streetKm', `${fmt(figures.streetKm, 2)}\u00a0km`) +
      row('incidents', plural('planner.incidentsUnit', figures.incidents)) +
      row('stations', plural('planner.stationsUnit', figures.stations)) +
      `</tbody></table>` +
      (classRows
        ? `<details class="street-classes" open><summary>${escapeHtml(t('planner.streetKmByClass'))}</summary>` +
          `<ul class="cls-list" data-figure="streetKmByClass">${classRows}</ul></details>`
        : '');
    setButtonsDisabled(state.tasks.size > 0);
  }

  // ---- result area --------------------------------------------------------------------------------------------

  function showView(view) {
    state.view = view;
    el.result.dataset.drawn = 'false';
    renderView();
  }

  /** Waits for the map to draw what was just added, then says so (#planner-result[data-drawn="true"]). */
  async function drawn() {
    await rendered();
    el.result.dataset.drawn = 'true';
  }

  function renderView() {
    const v = state.view;
    el.result.dataset.view = v?.type ?? '';
    if (!v) {
      el.result.innerHTML = '';
      return;
    }
    switch (v.type) {
      case 'message':
        el.result.innerHTML = `<p class="planner-msg is-${v.tone}">${escapeHtml(v.text)}</p>`;
        break;
      case 'validation':
        renderValidation(v);
        break;
      case 'repair':
        renderRepair(v);
        break;
      case 'history':
        renderHistory(v);
        break;
      default:
        el.result.innerHTML = '';
    }
  }

  // ---- validation ---------------------------------------------------------------------------------------------

  function problemPlace(feature) {
    const g = feature.getGeometry();
    if (!g) return null;
    let c;
    if (g.getType() === 'Point') c = g.getCoordinates();
    else if (g.getType() === 'MultiPoint') c = g.getPoint(0).getCoordinates();
    else if (g.getType() === 'Polygon') c = g.getInteriorPoint().getCoordinates();
    else if (g.getType() === 'MultiPolygon') c = g.getInteriorPoints().getPoint(0).getCoordinates();
    else c = ol.extent.getCenter(g.getExtent());
    return ol.proj.toLonLat(c.slice(0, 2), map.getView().getProjection());
  }

  /** A sentence in the current language from the structured problem; the server's (English) sentence otherwise. */
  function problemMessage(p) {
    const key = `msg.${p.kind}`;
    if (!has(key)) return p.message;
    const near = p.place ? t('planner.near', { place: fmtPlace(p.place) }) : '';
    return t(key, { other: p.other ?? '?', area: fmtArea(p.areaM2), near }).replace(/\s+\./, '.');
  }

  function renderValidation(v) {
    if (v.problems.length === 0) {
      el.result.innerHTML =
        `<div class="valid-badge" data-valid="true"><span class="check" aria-hidden="true">✓</span>` +
        `<span>${escapeHtml(t('planner.valid'))}</span></div>`;
      return;
    }
    const items = v.problems
      .map(
        (p) =>
          `<li><button type="button" class="problem${p.index === v.highlight ? ' is-active' : ''}" data-index="${p.index}" ` +
          `data-kind="${escapeHtml(p.kind)}" title="${escapeHtml(p.message)}"${p.hasPlace ? '' : ' disabled'}>` +
          `<span class="problem-num${p.point ? ' is-point' : ''}">${p.index}</span>` +
          `<span class="problem-body"><span class="problem-kind">${escapeHtml(t(`kind.${p.kind}`))}</span>` +
          `<span class="problem-msg">${escapeHtml(problemMessage(p))}</span></span></button></li>`,
      )
      .join('');
    el.result.innerHTML =
      `<div class="result-head is-invalid"><span class="cross" aria-hidden="true">✕</span>` +
      `<span>${escapeHtml(plural('planner.problems', v.problems.length))}</span></div>` +
      `<p class="hint">${escapeHtml(t('planner.problemHint'))}</p>` +
      `<ol class="problem-list" id="problem-list">${items}</ol>`;
  }

  el.result.addEventListener('click', (evt) => {
    const problem = evt.target.closest('button.problem');
    if (problem) {
      zoomToProblem(Number(problem.dataset.index));
      return;
    }
    if (evt.target.closest('#repair-apply')) {
      applyRepair().catch(() => {});
      return;
    }
    if (evt.target.closest('#planner-reload')) {
      reload().catch(() => {});
    }
  });

  function highlightProblem(index) {
    for (const f of validationLayer.getSource().getFeatures()) f.set('highlight', f.get('index') === index);
    if (state.view?.type === 'validation') {
      state.view.highlight = index;
      for (const b of el.result.querySelectorAll('button.problem')) {
        b.classList.toggle('is-active', Number(b.dataset.index) === index);
      }
    }
  }

  function zoomToProblem(index) {
    const feature = validationLayer.getSource().getFeatures().find((f) => f.get('index') === index);
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

  function clearOverlays() {
    validationLayer.getSource().clear();
    diffLayer.getSource().clear();
    ctx.onLayersChanged();
  }

  function fitWith(features) {
    const extent = ol.extent.createEmpty();
    if (state.feature?.getGeometry()) ol.extent.extend(extent, state.feature.getGeometry().getExtent());
    for (const f of features) ol.extent.extend(extent, f.getGeometry().getExtent());
    if (ol.extent.isEmpty(extent)) return;
    map.getView().fit(extent, { padding: [60, 60, 60, 60], maxZoom: 18 });
  }

  function rendered() {
    return new Promise((resolve) => {
      map.once('rendercomplete', resolve);
      map.render();
    });
  }

  async function ensureSelected() {
    if (state.id === null) throw new Error('no neighbourhood selected: call selectNeighborhood(id) first');
    if (!state.figures) await selectNeighborhood(state.id);
    return state.id;
  }

  async function validate() {
    const id = await ensureSelected();
    try {
      return await runTask('action', 'validation', async (signal) => {
        const { body } = await request(`${API}${id}/validation`, { signal });
        const features = geojson.readFeatures(body.problems ?? { type: 'FeatureCollection', features: [] }, {
          dataProjection: DATA_PROJECTION,
          featureProjection: map.getView().getProjection(),
        });
        const problems = features.map((f, i) => {
          const g = f.getGeometry();
          const hasPlace = !!g && !ol.extent.isEmpty(g.getExtent());
          f.set('index', i + 1);
          return {
            index: i + 1,
            kind: f.get('kind'),
            message: f.get('message'),
            areaM2: f.get('areaM2') ?? null,
            other: f.get('other') ?? null,
            geometryType: hasPlace ? g.getType() : null,
            hasPlace,
            point: hasPlace && /Point$/.test(g.getType()),
            place: hasPlace ? problemPlace(f) : null,
          };
        });
        const placed = features.filter((f) => f.getGeometry() && !ol.extent.isEmpty(f.getGeometry().getExtent()));
        diffLayer.getSource().clear();
        validationLayer.getSource().clear();
        validationLayer.getSource().addFeatures(placed);
        validationLayer.setVisible(true);
        ctx.onLayersChanged();
        showView({ type: 'validation', problems, valid: body.valid === true, highlight: null });
        el.result.dataset.valid = String(problems.length === 0);
        fitWith(placed);
        await drawn();
        return problems.map(({ index, kind, message, areaM2, other, geometryType }) => ({
          index,
          kind,
          message,
          areaM2,
          other,
          geometryType,
        }));
      });
    } catch (err) {
      showFailure(err);
      throw err;
    }
  }

  // ---- repair -------------------------------------------------------------------------------------------------

  async function repairPreview() {
    const id = await ensureSelected();
    try {
      return await runTask('action', 'repair', async (signal) => {
        const { body } = await request(`${API}${id}/repair`, { method: 'POST', signal });
        const added = body.added ? readFeatures({ type: 'FeatureCollection', features: [body.added] }) : [];
        const removed = body.removed ? readFeatures({ type: 'FeatureCollection', features: [body.removed] }) : [];
        added.forEach((f) => f.set('areaM2', body.addedSquareMeters));
        removed.forEach((f) => f.set('areaM2', body.removedSquareMeters));
        validationLayer.getSource().clear();
        diffLayer.getSource().clear();
        diffLayer.getSource().addFeatures([...removed, ...added]);
        diffLayer.setVisible(true);
        ctx.onLayersChanged();
        showView({ type: 'repair', preview: body, outcome: null });
        fitWith([...added, ...removed]);
        await drawn();
        return body;
      });
    } catch (err) {
      showFailure(err);
      throw err;
    }
  }

  async function applyRepair() {
    const id = await ensureSelected();
    const preview = state.view?.type === 'repair' ? state.view.preview : null;
    if (!preview) throw new Error('no repair preview to apply');
    const view = state.view;
    try {
      return await runTask('action', 'apply', async (signal) => {
        let result;
        try {
          ({ body: result } = await request(`${API}${id}/repair?apply=true`, {
            method: 'POST',
            headers: { 'If-Match': `"${preview.version}"` },
            signal,
          }));
        } catch (err) {
          if (err instanceof PlannerError && err.status === 409) {
            view.outcome = { conflict: true, currentVersion: err.body?.currentVersion ?? null };
            renderView();
            el.panel.dataset.conflict = 'true';
          }
          throw err;
        }
        view.outcome = { applied: result.applied === true, version: result.version };
        diffLayer.getSource().clear();
        ctx.onLayersChanged();
        renderView();
        await reloadNeighborhoods();
        await refreshFigures();
        return result;
      });
    } catch (err) {
      if (!(err instanceof PlannerError && err.status === 409)) showFailure(err);
      throw err;
    }
  }

  function renderRepair(v) {
    const p = v.preview;
    const changes = p.changes ?? [];
    let html = `<div class="result-head"><span>${escapeHtml(t('repair.title'))}</span></div>`;
    if (changes.length === 0) {
      html += `<div class="valid-badge" data-valid="true"><span class="check" aria-hidden="true">✓</span><span>${escapeHtml(t('repair.none'))}</span></div>`;
    } else {
      html +=
        `<ul class="repair-summary">` +
        `<li class="is-added"><span class="swatch swatch-added" aria-hidden="true"></span>${escapeHtml(t('repair.added', { area: fmtM2(p.addedSquareMeters) }))}</li>` +
        `<li class="is-removed"><span class="swatch swatch-removed" aria-hidden="true"></span>${escapeHtml(t('repair.removed', { area: fmtM2(p.removedSquareMeters) }))}</li>` +
        (p.repaired?.properties?.areaKm2 !== undefined
          ? `<li>${escapeHtml(t('repair.newArea', { area: `${fmt(p.repaired.properties.areaKm2, 3)}\u00a0km²` }))}</li>`
          : '') +
        `</ul>` +
        `<h4 class="sub-head">${escapeHtml(t('repair.changes'))}</h4>` +
        `<ul class="repair-changes" lang="en">${changes.map((c) => `<li>${escapeHtml(c)}</li>`).join('')}</ul>`;
      if (!v.outcome?.applied && !v.outcome?.conflict) {
        html += `<div class="planner-row"><button type="button" id="repair-apply" class="action-btn is-primary" title="${escapeHtml(
          t('repair.applyTitle', { v: p.version }),
        )}">${escapeHtml(t('repair.apply'))}</button><span class="sub">${escapeHtml(t('planner.version', { v: p.version }))}</span></div>`;
      }
    }
    if (v.outcome?.conflict) {
      const text =
        v.outcome.currentVersion !== null && v.outcome.currentVersion !== undefined
          ? t('repair.conflict', { v: v.outcome.currentVersion })
          : t('repair.conflictUnknown');
      html +=
        `<div class="conflict" role="alert" id="planner-conflict"><strong>409</strong> <span>${escapeHtml(text)}</span>` +
        `<button type="button" id="planner-reload" class="action-btn">${escapeHtml(t('repair.reload'))}</button></div>`;
    } else if (v.outcome?.applied) {
      html += `<div class="valid-badge" data-applied="true"><span class="check" aria-hidden="true">✓</span><span>${escapeHtml(
        t('repair.applied', { v: v.outcome.version }),
      )}</span></div>`;
    }
    el.result.innerHTML = html;
  }

  async function reloadNeighborhoods() {
    const source = layers.neighborhoods.getSource();
    const loaded = new Promise((resolve) => {
      source.once('featuresloadend', resolve);
      source.once('featuresloaderror', resolve);
    });
    source.refresh();
    map.render();
    await loaded;
    const f = state.id !== null ? layerFeature(state.id) : null;
    if (f) ctx.selectFeature(f);
  }

  async function refreshFigures() {
    const id = state.id;
    const [feature, figures] = await Promise.all([request(`${API}${id}`), request(`${API}${id}/figures`)]);
    if (state.id !== id) return;
    state.feature = readFeature(feature.body);
    state.props = feature.body.properties ?? {};
    state.figures = figures.body;
    state.version = figures.body.version ?? state.props.version ?? null;
    setFocus(state.feature);
    el.panel.dataset.version = String(state.version ?? '');
    delete el.panel.dataset.conflict;
    renderHead(state.props);
    renderFigures(state.figures);
  }

  async function reload() {
    await runTask('figures', 'figures', async () => {
      await reloadNeighborhoods();
      await refreshFigures();
    });
    clearOverlays();
    showView(null);
  }

  // ---- history and diff ---------------------------------------------------------------------------------------

  async function history() {
    const id = await ensureSelected();
    try {
      return await runTask('action', 'history', async (signal) => {
        const { body } = await request(`${API}${id}/revisions`, { signal });
        const revisions = Array.isArray(body) ? body : [];
        validationLayer.getSource().clear();
        diffLayer.getSource().clear();
        ctx.onLayersChanged();
        showView({ type: 'history', revisions, picked: [], diff: null });
        return revisions;
      });
    } catch (err) {
      showFailure(err);
      throw err;
    }
  }

  function renderHistory(v) {
    const rows = [...v.revisions]
      .sort((a, b) => b.version - a.version)
      .map((r) => {
        const checked = v.picked.includes(r.version);
        return (
          `<tr data-version="${r.version}"${checked ? ' class="is-picked"' : ''}>` +
          `<td class="pick"><input type="checkbox" class="rev-pick" value="${r.version}" aria-label="${escapeHtml(
            t('history.compare'),
          )} ${escapeHtml(t('history.vShort', { v: r.version }))}"${checked ? ' checked' : ''}></td>` +
          `<td class="rev-v">${escapeHtml(t('history.vShort', { v: r.version }))}</td>` +
          `<td class="rev-main"><span class="rev-author">${escapeHtml(r.author ?? '')}</span>` +
          `<time datetime="${escapeHtml(r.createdAt)}" title="${escapeHtml(ctx.fmtDateTime(r.createdAt))}">${escapeHtml(fmtShortDateTime(r.createdAt))}</time>` +
          `<span class="rev-comment${r.comment ? '' : ' is-empty'}">${escapeHtml(r.comment || t('history.noComment'))}</span>` +
          `<span class="rev-area">${escapeHtml(t('history.area'))}: ${escapeHtml(fmt(r.areaKm2, 3))}\u00a0km²</span></td>` +
          `<td class="rev-delta"><span class="plus" title="${escapeHtml(t('history.added'))}">+${escapeHtml(fmtM2(r.addedSquareMeters))}</span>` +
          `<span class="minus" title="${escapeHtml(t('history.removed'))}">−${escapeHtml(fmtM2(r.removedSquareMeters))}</span></td></tr>`
        );
      })
      .join('');
    let diffHtml = `<p class="hint" id="diff-summary">${escapeHtml(t('history.pickTwo'))}</p>`;
    if (v.diff) {
      const { from, to, added, removed } = v.diff;
      diffHtml =
        `<div class="diff-summary" id="diff-summary" data-from="${from}" data-to="${to}"><strong>${escapeHtml(
          t('history.diff', { from, to }),
        )}</strong>` +
        (added === 0 && removed === 0
          ? `<span>${escapeHtml(t('history.diffNone'))}</span>`
          : `<span class="is-added"><span class="swatch swatch-added" aria-hidden="true"></span>${escapeHtml(
              t('history.diffAdded', { area: fmtM2(added) }),
            )}</span><span class="is-removed"><span class="swatch swatch-removed" aria-hidden="true"></span>${escapeHtml(
              t('history.diffRemoved', { area: fmtM2(removed) }),
            )}</span>`) +
        `</div>`;
    }
    el.result.innerHTML =
      `<div class="result-head"><span>${escapeHtml(t('history.title'))}</span></div>` +
      `<p class="hint">${escapeHtml(t('history.hint'))}</p>` +
      `<table class="history" id="history-table"><thead><tr><th></th><th>${escapeHtml(t('history.version'))}</th>` +
      `<th>${escapeHtml(t('history.author'))} · ${escapeHtml(t('history.date'))} · ${escapeHtml(t('history.comment'))}</th>` +
      `<th class="num">${escapeHtml(t('history.added'))} / ${escapeHtml(t('history.removed'))}</th></tr></thead>` +
      `<tbody>${rows}</tbody></table>${diffHtml}`;
  }

  el.result.addEventListener('change', (evt) => {
    const box = evt.target.closest('input.rev-pick');
    if (!box || state.view?.type !== 'history') return;
    const v = Number(box.value);
    let picked = state.view.picked.filter((x) => x !== v);
    if (box.checked) picked.push(v);
    if (picked.length > 2) picked = picked.slice(-2); // keep the two most recent picks
    state.view.picked = picked;
    if (picked.length === 2) {
      const [a, b] = [...picked].sort((x, y) => x - y);
      diff(a, b).catch(() => {});
    } else {
      state.view.diff = null;
      diffLayer.getSource().clear();
      ctx.onLayersChanged();
      renderView();
    }
  });

  async function diff(from, to) {
    const id = await ensureSelected();
    if (state.view?.type !== 'history') await history();
    const view = state.view;
    view.picked = [Number(from), Number(to)];
    try {
      return await runTask('action', 'diff', async (signal) => {
        const { body } = await request(`${API}${id}/diff?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`, { signal });
        const features = readFeatures(body);
        const area = (change) =>
          (body.features ?? []).find((f) => f.properties?.change === change)?.properties?.areaM2 ?? 0;
        diffLayer.getSource().clear();
        diffLayer.getSource().addFeatures(features);
        diffLayer.setVisible(true);
        ctx.onLayersChanged();
        view.diff = { from: Number(from), to: Number(to), added: area('added'), removed: area('removed') };
        el.result.dataset.drawn = 'false';
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

  // ---- buttons, map clicks, language --------------------------------------------------------------------------

  const swallow = () => {};
  document.getElementById('btn-validate').addEventListener('click', () => validate().catch(swallow));
  document.getElementById('btn-repair').addEventListener('click', () => repairPreview().catch(swallow));
  document.getElementById('btn-history').addEventListener('click', () => history().catch(swallow));

  /**
   * Called by the map's click handler with the features under the pointer. Returns true when the click was about
   * the planner's overlays (a problem was picked), so the caller keeps the current neighbourhood.
   */
  function onMapClick(hits) {
    sectors.onMapClick(hits);
    network.onMapClick(hits);
    const problem = hits.find((h) => h.layer === validationLayer);
    if (problem) {
      highlightProblem(problem.feature.get('index'));
      return true;
    }
    if (hits.some((h) => h.layer === diffLayer)) return true;
    const barrios = hits.filter((h) => h.layer === layers.neighborhoods).map((h) => h.feature);
    if (barrios.length === 0) return false;
    // Keep the current one when it is among those under the pointer (overlapping neighbourhoods).
    const keep = barrios.find((f) => Number(f.getId() ?? f.get('id')) === state.id);
    const pick = keep ?? barrios[0];
    selectNeighborhood(pick.getId() ?? pick.get('id')).catch(swallow);
    return false;
  }

  function onLanguage() {
    if (state.id === null) return;
    renderHead(state.props);
    renderFigures(state.figures);
    renderView();
    updateBusy();
    validationLayer.changed();
    diffLayer.changed();
    sectors.onLanguage();
    network.onLanguage();
  }

  setButtonsDisabled(true);
  el.panel.dataset.state = 'closed';

  return {
    layers: { validation: validationLayer, diff: diffLayer, sectors: sectors.layer, coverage: network.coverageLayer, routes: network.routesLayer },
    selectNeighborhood,
    validate,
    repairPreview,
    applyRepair,
    history,
    diff,
    computePlan: (options) => sectors.computePlan(options),
    showPlan: (id) => sectors.showPlan(id),
    comparePlans: (a, b) => sectors.compare(a, b),
    computeCoverage: (options) => network.computeCoverage(options),
    computeRoutes: (options) => network.computeRoutes(options),
    close,
    cancel: cancelAll,
    onMapClick,
    onLanguage,
    current: () => state.id,
  };
}
