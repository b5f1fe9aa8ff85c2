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

import { t, has, getLocale } from './i18n.js';

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

async function request(path, { method = 'GET', headers = {}, signal } = {}) {
  let response;
  try {
    response = await fetch(new URL(path, document.baseURI), {
      method,
      headers: { Accept: 'application/json, application/geo+json, application/problem+json', ...headers },
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
  }

  setButtonsDisabled(true);
  el.panel.dataset.state = 'closed';

  return {
    layers: { validation: validationLayer, diff: diffLayer },
    selectNeighborhood,
    validate,
    repairPreview,
    applyRepair,
    history,
    diff,
    close,
    cancel: cancelAll,
    onMapClick,
    onLanguage,
    current: () => state.id,
  };
}
