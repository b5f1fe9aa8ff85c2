// BarrioSeguro.Geo map viewer v1.
// Plain ES module; OpenLayers comes from the global `ol` (lib/ol.js, copied from the pinned npm package by Viewer.targets).
// No internet at run time: our own districts, streets and blocks are the basemap.
//
// Test hooks: window.barrioViewer = { map, layers: {districts, neighborhoods, streets, stations, incidents, validation, diff,
//   sectors, coverage, routes}, ready, errors, selectNeighborhood(id), validate(), repairPreview(), applyRepair(), history(),
//   diff(from, to), computePlan({sectors, seed}), showPlan(id), comparePlans(a, b), computeCoverage({mode, minutes}),
//   computeRoutes({mode, shiftHours, shift, seed}) } (coverage and routes: network.js)
//   ready resolves after the initial layers loaded (or failed, see `errors`) and the view was fitted;
//   then document.body.dataset.ready = "true" (and dataset.loadError = "true" if any layer failed).
//   selectNeighborhood(id) resolves with the figures once the planner panel shows them; validate() resolves with the
//   problems once they are drawn on the `validation` layer (see planner.js).

import { t, has, getLang, getLocale, setLang, onLangChange, applyTranslations } from './i18n.js';
import { initPlanner, SECTOR_COLORS } from './planner.js';
import { COVERAGE_COLORS } from './network.js';

const API_BASE = 'api/collections/'; // relative: works behind a path base too
const DATA_PROJECTION = 'EPSG:4326';
const VIEW_PROJECTION = 'EPSG:3857';
const PAGE_LIMIT_ALL = 1000; // API default
const PAGE_LIMIT_BBOX = 5000; // API max is 10000
const MAX_PAGES = 200;
// Used only if the API returns neither neighbourhoods nor districts: El Milagro, Huanchaco (Trujillo).
const FALLBACK_CENTER_LONLAT = [-79.0632, -8.0338];
const FALLBACK_ZOOM = 14;
const FONT = 'system-ui, "Segoe UI", Roboto, "Noto Sans", "Liberation Sans", "DejaVu Sans", Arial, sans-serif';
const LAYER_KEYS = ['districts', 'neighborhoods', 'streets', 'incidents', 'stations']; // bottom to top

// ---------------------------------------------------------------------------------------------------------------
// Readiness (set up first so tests always find the hook, even if OpenLayers failed to load)

let resolveReady;
const ready = new Promise((resolve) => {
  resolveReady = resolve;
});
const loadErrors = new Map(); // layer key -> Error
window.barrioViewer = { map: null, layers: {}, ready, errors: [] };

function markReady(summary) {
  document.body.dataset.ready = 'true';
  if (summary.errors.length > 0) {
    document.body.dataset.loadError = 'true';
  }
  resolveReady(summary);
}

if (!window.ol) {
  // lib/ol.js missing: the build did not run Viewer.targets. Say so plainly in the page.
  applyTranslations();
  const banner = document.getElementById('error');
  document.getElementById('error-list').innerHTML =
    '<li>lib/ol.js (OpenLayers) no se encontró / was not found. ' +
    'Ejecute / run <code>dotnet build</code> (Viewer.targets).</li>';
  document.getElementById('error-retry').hidden = true;
  banner.hidden = false;
  window.barrioViewer.errors = ['lib/ol.js missing'];
  markReady({ errors: window.barrioViewer.errors });
  throw new Error('OpenLayers (lib/ol.js) is not loaded');
}

const { Feature } = ol;
const { Style, Fill, Stroke, Text, Circle: CircleStyle } = ol.style;

// ---------------------------------------------------------------------------------------------------------------
// Formatting helpers

function fmtNumber(value, digits) {
  return new Intl.NumberFormat(getLocale(), { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(
    value,
  );
}

function fmtDateTime(iso) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) {
    return String(iso);
  }
  return new Intl.DateTimeFormat(getLocale(), {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'America/Lima',
  }).format(date);
}

function escapeHtml(value) {
  return String(value).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c],
  );
}

function yesNo(value) {
  return value ? t('value.yes') : t('value.no');
}

function isTrue(value) {
  return value === true || value === 'true' || value === 1;
}

// ---------------------------------------------------------------------------------------------------------------
// Styles

const STREET_CLASSES = {
  // rank: drawing order; w: width in px at zoom 16; fill/casing colours; dash for paths
  motorway: { rank: 9, w: 7, fill: '#e8919f', casing: '#b06470' },
  motorway_link: { rank: 9, w: 4.5, fill: '#e8919f', casing: '#b06470' },
  trunk: { rank: 8, w: 7, fill: '#f2ad8d', casing: '#b9795d' },
  trunk_link: { rank: 8, w: 4.5, fill: '#f2ad8d', casing: '#b9795d' },
  primary: { rank: 7, w: 6.5, fill: '#fbd29c', casing: '#b88b4a' },
  primary_link: { rank: 7, w: 4.5, fill: '#fbd29c', casing: '#b88b4a' },
  secondary: { rank: 6, w: 6, fill: '#f4f7b4', casing: '#9fa26a' },
  secondary_link: { rank: 6, w: 4, fill: '#f4f7b4', casing: '#9fa26a' },
  tertiary: { rank: 5, w: 5.5, fill: '#ffffff', casing: '#a39e93' },
  tertiary_link: { rank: 5, w: 4, fill: '#ffffff', casing: '#a39e93' },
  unclassified: { rank: 4, w: 4, fill: '#ffffff', casing: '#b5aea3' },
  residential: { rank: 4, w: 4, fill: '#ffffff', casing: '#b5aea3' },
  living_street: { rank: 4, w: 4, fill: '#eef0f2', casing: '#b5aea3' },
  service: { rank: 3, w: 2.4, fill: '#ffffff', casing: '#bdb6ab' },
  pedestrian: { rank: 3, w: 3, fill: '#e4e1ea', casing: '#a8a2b3' },
  footway: { rank: 2, w: 1.6, line: '#e0604f', dash: [4, 3] },
  cycleway: { rank: 2, w: 1.6, line: '#3a6fd8', dash: [4, 3] },
  path: { rank: 2, w: 1.5, line: '#b0673f', dash: [3, 3] },
  steps: { rank: 2, w: 3, line: '#e0604f', dash: [1.5, 2] },
  track: { rank: 1, w: 1.8, line: '#8d6b3b', dash: [7, 3] },
  construction: { rank: 1, w: 2, line: '#9a9a9a', dash: [5, 4] },
};
const STREET_DEFAULT = { rank: 3, w: 2.4, fill: '#ffffff', casing: '#bdb6ab' };

function zoomForResolution(resolution) {
  return Math.log2(156543.03392804097 / resolution);
}

const streetStyleCache = new Map();

function streetStyle(feature, resolution) {
  const cls = feature.get('class');
  const spec = STREET_CLASSES[cls] ?? STREET_DEFAULT;
  const zoom = zoomForResolution(resolution);
  const zBucket = Math.round(Math.min(19, Math.max(10, zoom)) * 2) / 2; // half-zoom steps
  const scale = Math.min(2.2, Math.max(0.35, 2 ** ((zBucket - 16) * 0.6)));
  const key = `${cls}|${zBucket}`;
  let styles = streetStyleCache.get(key);
  if (!styles) {
    const width = Math.max(0.8, spec.w * scale);
    if (spec.line) {
      styles = [
        new Style({
          stroke: new Stroke({ color: spec.line, width, lineDash: spec.dash, lineCap: 'butt' }),
          zIndex: 100 + spec.rank,
        }),
      ];
    } else {
      styles = [
        new Style({
          stroke: new Stroke({ color: spec.casing, width: width + (zBucket >= 14 ? 2 : 1), lineCap: 'round' }),
          zIndex: spec.rank,
        }),
        new Style({
          stroke: new Stroke({ color: spec.fill, width, lineCap: 'round', lineJoin: 'round' }),
          zIndex: 100 + spec.rank,
        }),
      ];
    }
    streetStyleCache.set(key, styles);
  }
  const name = feature.get('name');
  if (name && zoom >= 16 && !spec.line) {
    return styles.concat(
      new Style({
        text: new Text({
          text: name,
          font: `${zoom >= 17 ? 12 : 11}px ${FONT}`,
          placement: 'line',
          fill: new Fill({ color: '#3d3a35' }),
          stroke: new Stroke({ color: 'rgba(255,255,255,0.95)', width: 3 }),
        }),
        zIndex: 300,
      }),
    );
  }
  return styles;
}

const districtStyleBase = [
  new Style({
    stroke: new Stroke({ color: 'rgba(107, 91, 123, 0.18)', width: 8 }),
    fill: new Fill({ color: 'rgba(255, 255, 255, 0)' }), // transparent but clickable
  }),
  new Style({ stroke: new Stroke({ color: '#6b5b7b', width: 1.8, lineDash: [10, 4, 2, 4] }) }),
];

function districtLabelStyle(feature, resolution) {
  const name = feature.get('name');
  if (!name || zoomForResolution(resolution) < 9) {
    return null;
  }
  return new Style({
      text: new Text({
        text: String(name).toLocaleUpperCase(getLocale()),
        font: `600 13px ${FONT}`,
        fill: new Fill({ color: '#5a4a6a' }),
        stroke: new Stroke({ color: 'rgba(255,255,255,0.9)', width: 3.5 }),
        overflow: true,
      }),
  });
}

const neighborhoodPolygonStyles = [
  new Style({
    fill: new Fill({ color: 'rgba(200, 16, 46, 0.20)' }),
    stroke: new Stroke({ color: 'rgba(255, 255, 255, 0.85)', width: 7 }),
  }),
  new Style({ stroke: new Stroke({ color: '#b3121f', width: 3.5, lineJoin: 'round' }) }),
];

function neighborhoodLabelStyle(feature) {
  const name = feature.get('name') ?? '';
  const text = isTrue(feature.get('isIllustrative'))
    ? [name, `bold 16px ${FONT}`, '\n', '', t('map.illustrative'), `italic 12px ${FONT}`]
    : name;
  return new Style({
      text: new Text({
        text,
        font: `bold 16px ${FONT}`,
        fill: new Fill({ color: '#7d0c17' }),
        backgroundFill: new Fill({ color: 'rgba(255,255,255,0.82)' }),
        backgroundStroke: new Stroke({ color: '#b3121f', width: 1 }),
        padding: [3, 6, 2, 6],
        overflow: true,
      }),
  });
}

// One icon (circle + star) so that symbol and label form a single declutter item.
const STATION_ICON_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" width="26" height="26" viewBox="0 0 26 26">' +
  '<circle cx="13" cy="13" r="11" fill="#12355b" stroke="#ffffff" stroke-width="2.5"/>' +
  '<polygon points="13,5.6 14.9,10.6 20.2,10.8 16,14.1 17.5,19.2 13,16.2 8.5,19.2 10,14.1 5.8,10.8 11.1,10.6" fill="#ffd54a"/>' +
  '</svg>';
const stationIcon = new ol.style.Icon({
  src: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(STATION_ICON_SVG)}`,
  width: 24,
  height: 24,
});
const stationSymbol = new Style({ image: stationIcon });

function stationStyle(feature, resolution) {
  const name = feature.get('name');
  if (!name || zoomForResolution(resolution) < 13) {
    return stationSymbol;
  }
  return new Style({
    image: stationIcon,
    text: new Text({
      text: name,
      font: `600 12px ${FONT}`,
      offsetY: 21,
      fill: new Fill({ color: '#12355b' }),
      stroke: new Stroke({ color: 'rgba(255,255,255,0.95)', width: 3.5 }),
    }),
  });
}

const INCIDENT_REAL = { fill: '#6a3d9a', stroke: '#ffffff' };
const INCIDENT_SYNTHETIC = { fill: '#a98bd3', stroke: '#4b2a7a' };
const incidentStyleCache = new Map();

function incidentStyle(feature, resolution) {
  const synthetic = isTrue(feature.get('isSynthetic'));
  const radius = zoomForResolution(resolution) >= 16 ? 4 : zoomForResolution(resolution) >= 14 ? 3.2 : 2.4;
  const key = `${synthetic}|${radius}`;
  let style = incidentStyleCache.get(key);
  if (!style) {
    const c = synthetic ? INCIDENT_SYNTHETIC : INCIDENT_REAL;
    style = new Style({
      image: new CircleStyle({
        radius,
        fill: new Fill({ color: c.fill }),
        stroke: new Stroke({ color: c.stroke, width: 1.2 }),
      }),
    });
    incidentStyleCache.set(key, style);
  }
  return style;
}

const selectionStyles = {
  Polygon: [
    new Style({
      stroke: new Stroke({ color: 'rgba(255,255,255,0.9)', width: 7 }),
      fill: new Fill({ color: 'rgba(0, 160, 230, 0.10)' }),
    }),
    new Style({ stroke: new Stroke({ color: '#0090d0', width: 3.5 }) }),
  ],
  LineString: [
    new Style({ stroke: new Stroke({ color: 'rgba(255,255,255,0.9)', width: 10 }) }),
    new Style({ stroke: new Stroke({ color: '#0090d0', width: 5 }) }),
  ],
  Point: [
    new Style({
      image: new CircleStyle({
        radius: 13,
        stroke: new Stroke({ color: '#0090d0', width: 3 }),
        fill: new Fill({ color: 'rgba(0, 160, 230, 0.12)' }),
      }),
    }),
  ],
};
selectionStyles.MultiPolygon = selectionStyles.Polygon;
selectionStyles.MultiLineString = selectionStyles.LineString;
selectionStyles.MultiPoint = selectionStyles.Point;

// ---------------------------------------------------------------------------------------------------------------
// Loading from the API (GeoJSON FeatureCollection pages with `links` rel=next)

class ApiError extends Error {
  constructor(kind, { status, title, detail } = {}) {
    super(`${kind}${status ? ` ${status}` : ''}${title ? `: ${title}` : ''}${detail ? ` — ${detail}` : ''}`);
    this.kind = kind; // 'http' | 'network' | 'badJson'
    this.status = status;
    this.title = title;
    this.detail = detail;
  }

  describe() {
    if (this.kind === 'network') {
      return t('error.network');
    }
    if (this.kind === 'badJson') {
      return t('error.badJson');
    }
    const parts = [t('error.http', { status: this.status })];
    if (this.title) {
      parts.push(this.title);
    }
    if (this.detail && this.detail !== this.title) {
      parts.push(this.detail);
    }
    return parts.join(' — ');
  }
}

async function fetchJson(url) {
  let response;
  try {
    response = await fetch(url, { headers: { Accept: 'application/geo+json, application/json' } });
  } catch {
    throw new ApiError('network');
  }
  let body = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  if (!response.ok) {
    // RFC 7807 ProblemDetails: {title, detail, status}
    throw new ApiError('http', {
      status: body?.status ?? response.status,
      title: body?.title ?? response.statusText,
      detail: body?.detail,
    });
  }
  if (!body || !Array.isArray(body.features)) {
    throw new ApiError('badJson');
  }
  return body;
}

/** Fetches a collection URL and follows rel="next" links until done; returns all GeoJSON features. */
async function fetchAllFeatures(firstUrl) {
  const features = [];
  const seen = new Set();
  let url = new URL(firstUrl, document.baseURI).href;
  for (let page = 0; url && page < MAX_PAGES; page++) {
    seen.add(url);
    const body = await fetchJson(url);
    features.push(...body.features);
    const next = Array.isArray(body.links) ? body.links.find((l) => l && l.rel === 'next' && l.href) : null;
    const nextUrl = next ? new URL(next.href, url).href : null;
    url = nextUrl && !seen.has(nextUrl) && body.features.length > 0 ? nextUrl : null;
  }
  return features;
}

const geojson = new ol.format.GeoJSON();
const ID_PROPERTY = { districts: 'ubigeo', neighborhoods: 'id', stations: 'id', streets: 'id', incidents: 'id' };

function bboxParam(extent, projection) {
  const e = ol.proj.transformExtent(extent, projection, DATA_PROJECTION);
  const clamp = (v, lo, hi) => Math.min(hi, Math.max(lo, v));
  return [clamp(e[0], -180, 180), clamp(e[1], -90, 90), clamp(e[2], -180, 180), clamp(e[3], -90, 90)]
    .map((v) => v.toFixed(6))
    .join(',');
}

// Loading state: drives the spinner and the `ready` promise.
let pendingLoads = 0;
const idleWaiters = [];

function beginLoad() {
  pendingLoads++;
  updateLoading();
}

function endLoad() {
  pendingLoads--;
  updateLoading();
  if (pendingLoads === 0) {
    idleWaiters.splice(0).forEach((fn) => fn());
  }
}

function whenIdle() {
  return pendingLoads === 0 ? Promise.resolve() : new Promise((resolve) => idleWaiters.push(resolve));
}

function makeLoader(key, source, useBbox) {
  return (extent, resolution, projection, success) => {
    const params = new URLSearchParams();
    if (useBbox) {
      params.set('bbox', bboxParam(extent, projection));
    }
    params.set('limit', String(useBbox ? PAGE_LIMIT_BBOX : PAGE_LIMIT_ALL));
    beginLoad();
    fetchAllFeatures(`${API_BASE}${key}/items?${params}`)
      .then((raw) => {
        const features = geojson.readFeatures(
          { type: 'FeatureCollection', features: raw },
          { dataProjection: DATA_PROJECTION, featureProjection: projection },
        );
        for (const f of features) {
          if (f.getId() === undefined && f.get(ID_PROPERTY[key]) !== undefined) {
            f.setId(f.get(ID_PROPERTY[key]));
          }
        }
        source.addFeatures(features); // features with an id already present (bbox overlap) are skipped by OL
        clearLoadError(key);
        success(features);
      })
      .catch((err) => {
        console.error(`Viewer: loading ${key} failed`, err);
        reportLoadError(key, err instanceof ApiError ? err : new ApiError('badJson'));
        // Mark the extent as done anyway: no request storm on every frame; the Retry button refreshes.
        success([]);
      })
      .finally(endLoad);
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Layers

const attributionText = {
  districts: () => t('attr.inei'),
  neighborhoods: () => t('attr.illustrative'),
  streets: () => t('attr.osm'),
  stations: () => t('attr.osm'),
  incidents: () => t('attr.synthetic'),
};

function makeLayer(key, { useBbox, style, minZoom, declutter }) {
  const source = new ol.source.Vector({
    strategy: useBbox ? ol.loadingstrategy.bbox : ol.loadingstrategy.all,
    attributions: () => attributionText[key](),
  });
  source.setLoader(makeLoader(key, source, useBbox));
  const layer = new ol.layer.Vector({
    source,
    style,
    minZoom,
    declutter: declutter ? 'labels' : false,
    updateWhileInteracting: false,
    properties: { name: key, title: `layer.${key}`, loadingStrategy: useBbox ? 'bbox' : 'all' },
  });
  return layer;
}

const layers = {
  districts: makeLayer('districts', { useBbox: false, style: districtStyleBase }),
  neighborhoods: makeLayer('neighborhoods', { useBbox: false, style: neighborhoodPolygonStyles }),
  streets: makeLayer('streets', { useBbox: true, style: streetStyle, minZoom: 12, declutter: true }),
  incidents: makeLayer('incidents', { useBbox: true, style: incidentStyle, minZoom: 11 }),
  stations: makeLayer('stations', { useBbox: false, style: stationStyle, declutter: true }),
};

// Polygon labels go in their own layers above streets and incidents (same sources, visibility follows the layer).
function makeLabelLayer(key, style) {
  const labelLayer = new ol.layer.Vector({
    source: layers[key].getSource(),
    style,
    declutter: 'labels',
    properties: { name: `${key}-labels`, labelsOf: key },
  });
  layers[key].on('change:visible', () => labelLayer.setVisible(layers[key].getVisible()));
  return labelLayer;
}
const labelLayers = [makeLabelLayer('districts', districtLabelStyle), makeLabelLayer('neighborhoods', neighborhoodLabelStyle)];

const selectionSource = new ol.source.Vector();
const selectionLayer = new ol.layer.Vector({
  source: selectionSource,
  style: (f) => selectionStyles[f.getGeometry()?.getType()] ?? selectionStyles.Point,
  properties: { name: 'selection' },
  zIndex: 1000,
});

// ---------------------------------------------------------------------------------------------------------------
// Map

const scaleLine = new ol.control.ScaleLine({
  target: document.getElementById('scale-line'),
  units: 'metric',
  bar: true,
  steps: 4,
  text: false,
  minWidth: 160,
  maxWidth: 220,
});

const mousePosition = new ol.control.MousePosition({
  target: document.getElementById('mouse-position'),
  projection: DATA_PROJECTION,
  coordinateFormat: (c) => `${c[0].toFixed(5)}°, ${c[1].toFixed(5)}°`,
  placeholder: '&#160;',
});

const map = new ol.Map({
  target: 'map',
  layers: [...LAYER_KEYS.map((k) => layers[k]), ...labelLayers, selectionLayer],
  view: new ol.View({ projection: VIEW_PROJECTION, maxZoom: 20, minZoom: 5, constrainResolution: false }),
  controls: ol.control.defaults
    .defaults({
      zoomOptions: { zoomInTipLabel: t('zoom.in'), zoomOutTipLabel: t('zoom.out') },
      attributionOptions: { collapsible: false },
      rotate: false,
    })
    .extend([scaleLine, mousePosition]),
});

window.barrioViewer.map = map;
// OL observes the target's size; a window resize (print preview, headless screenshots) is handled explicitly too.
window.addEventListener('resize', () => map.updateSize());
window.barrioViewer.layers = layers;

// The planner's panel and its layers (validation problems, boundary changes): planner.js.
const planner = initPlanner({
  map,
  layers, // gets .validation, .diff and .sectors
  fmtDateTime,
  selectFeature: (feature) => {
    if (!selected.some((s) => s.feature === feature)) select([{ key: 'neighborhoods', feature }]);
  },
  onLayersChanged: () => renderLegend(),
});
const PLANNER_KEYS = ['routes', 'coverage', 'validation', 'diff', 'sectors'];
Object.assign(window.barrioViewer, {
  selectNeighborhood: (id) => planner.selectNeighborhood(id),
  validate: () => planner.validate(),
  repairPreview: () => planner.repairPreview(),
  applyRepair: () => planner.applyRepair(),
  history: () => planner.history(),
  diff: (from, to) => planner.diff(from, to),
  computePlan: (options) => planner.computePlan(options),
  showPlan: (id) => planner.showPlan(id),
  comparePlans: (a, b) => planner.comparePlans(a, b),
  computeCoverage: (options) => planner.computeCoverage(options),
  computeRoutes: (options) => planner.computeRoutes(options),
});

// ---------------------------------------------------------------------------------------------------------------
// UI: loading indicator, errors, layer switcher, legend, feature info

const loadingEl = document.getElementById('loading');
function updateLoading() {
  loadingEl.hidden = pendingLoads === 0;
  document.body.dataset.loading = pendingLoads > 0 ? 'true' : 'false';
}

function reportLoadError(key, err) {
  loadErrors.set(key, err);
  renderErrors();
}

function clearLoadError(key) {
  if (loadErrors.delete(key)) {
    renderErrors();
  }
}

function renderErrors() {
  const banner = document.getElementById('error');
  const list = document.getElementById('error-list');
  list.replaceChildren(
    ...[...loadErrors].map(([key, err]) => {
      const li = document.createElement('li');
      li.textContent = t('error.layer', { layer: t(`layer.${key}`), message: err.describe() });
      return li;
    }),
  );
  banner.hidden = loadErrors.size === 0;
  window.barrioViewer.errors = [...loadErrors].map(([key, err]) => ({ layer: key, message: err.message }));
  updateLayerSwitcher();
}

document.getElementById('error-retry').addEventListener('click', () => {
  const keys = [...loadErrors.keys()];
  loadErrors.clear();
  renderErrors();
  keys.forEach((k) => layers[k].getSource().refresh());
});
document.getElementById('error-dismiss').addEventListener('click', () => {
  document.getElementById('error').hidden = true;
});

// Layer switcher: one checkbox per layer, top layer first, ids #layer-<name>.
const switcherEl = document.getElementById('layer-switcher');
const switcherOrder = [...LAYER_KEYS].reverse();
const SWITCHER_KEYS = [...PLANNER_KEYS, ...switcherOrder];

function buildLayerSwitcher() {
  switcherEl.replaceChildren(
    ...SWITCHER_KEYS.map((key) => {
      const li = document.createElement('li');
      li.dataset.layer = key;
      const label = document.createElement('label');
      label.htmlFor = `layer-${key}`;
      const input = document.createElement('input');
      input.type = 'checkbox';
      input.id = `layer-${key}`;
      input.className = 'layer-toggle';
      input.dataset.layer = key;
      input.checked = layers[key].getVisible();
      input.addEventListener('change', () => layers[key].setVisible(input.checked));
      const text = document.createElement('span');
      text.className = 'layer-title';
      text.textContent = t(`layer.${key}`);
      label.append(input, text);
      const meta = document.createElement('span');
      meta.className = 'layer-meta';
      li.append(label, meta);
      return li;
    }),
  );
  updateLayerSwitcher();
}

function updateLayerSwitcher() {
  const zoom = map.getView().getZoom();
  for (const li of switcherEl.children) {
    const key = li.dataset.layer;
    const layer = layers[key];
    const input = li.querySelector('input');
    input.checked = layer.getVisible();
    const outOfRange = zoom !== undefined && zoom < layer.getMinZoom();
    li.classList.toggle('out-of-range', outOfRange);
    li.classList.toggle('has-error', loadErrors.has(key));
    const meta = li.querySelector('.layer-meta');
    if (loadErrors.has(key)) {
      meta.textContent = '⚠';
    } else if (outOfRange) {
      meta.textContent = t('layer.zoomIn');
    } else {
      const n = layer.getSource().getFeatures().length;
      meta.textContent = n > 0 ? fmtNumber(n, 0) : '';
    }
  }
  for (const li of document.querySelectorAll('#legend li[data-layer]')) {
    li.classList.toggle('is-hidden', !layers[li.dataset.layer].getVisible());
  }
}

for (const key of [...LAYER_KEYS, ...PLANNER_KEYS]) {
  layers[key].on('change:visible', updateLayerSwitcher);
}

// Legend: small SVG swatches that mirror the map styles. id #legend.
const svg = (inner) => `<svg viewBox="0 0 34 20" aria-hidden="true">${inner}</svg>`;
const roadSwatch = (fill, casing, w) =>
  svg(
    `<line x1="2" y1="10" x2="32" y2="10" stroke="${casing}" stroke-width="${w + 2}" stroke-linecap="round"/>` +
      `<line x1="2" y1="10" x2="32" y2="10" stroke="${fill}" stroke-width="${w}" stroke-linecap="round"/>`,
  );
const dashSwatch = (color, w, dash) =>
  svg(`<line x1="2" y1="10" x2="32" y2="10" stroke="${color}" stroke-width="${w}" stroke-dasharray="${dash}"/>`);

const hatchSwatch = (id, dashed) =>
  svg(
    `<defs><pattern id="${id}" width="5" height="5" patternUnits="userSpaceOnUse" patternTransform="rotate(-45)">` +
      '<rect width="5" height="5" fill="rgba(215,25,28,0.14)"/><line x1="0" y1="0" x2="0" y2="5" stroke="#d7191c" stroke-width="1.6"/>' +
      `</pattern></defs><rect x="3" y="3" width="28" height="14" fill="url(#${id})" stroke="#d7191c" stroke-width="2"` +
      `${dashed ? ' stroke-dasharray="4 2"' : ''}/>`,
  );

function legendEntries() {
  const hasSynthetic = layers.incidents
    .getSource()
    .getFeatures()
    .some((f) => isTrue(f.get('isSynthetic')));
  const hasReal = layers.incidents
    .getSource()
    .getFeatures()
    .some((f) => !isTrue(f.get('isSynthetic')));
  const incidents = [];
  if (hasReal || !hasSynthetic) {
    incidents.push({
      id: 'legend-incident',
      swatch: svg(`<circle cx="17" cy="10" r="4" fill="${INCIDENT_REAL.fill}" stroke="#fff" stroke-width="1.2"/>`),
      text: t('legend.incident'),
    });
  }
  if (hasSynthetic || !hasReal) {
    incidents.push({
      id: 'legend-incident-synthetic',
      swatch: svg(
        `<circle cx="17" cy="10" r="4" fill="${INCIDENT_SYNTHETIC.fill}" stroke="${INCIDENT_SYNTHETIC.stroke}" stroke-width="1.2"/>`,
      ),
      text: t('legend.incidentSynthetic'),
    });
  }
  const planned = [];
  if (layers.validation.getSource().getFeatures().length > 0) {
    planned.push({
      layer: 'validation',
      items: [
        {
          id: 'legend-problem-point',
          swatch: svg(
            '<path d="M11 4 L23 16 M23 4 L11 16" stroke="#fff" stroke-width="6"/>' +
              '<path d="M11 4 L23 16 M23 4 L11 16" stroke="#d7191c" stroke-width="3"/>',
          ),
          text: t('legend.problemPoint'),
        },
        { id: 'legend-problem-area', swatch: hatchSwatch('lg-hatch-problem', true), text: t('legend.problemArea') },
      ],
    });
  }
  const sectorCount = layers.sectors.getSource().getFeatures().length;
  if (sectorCount > 0) {
    const n = Math.min(sectorCount, 4);
    const w = 28 / n;
    planned.push({
      layer: 'sectors',
      items: [
        {
          id: 'legend-sectors',
          swatch: svg(
            SECTOR_COLORS.slice(0, n)
              .map((c, i) => `<rect x="${3 + i * w}" y="3" width="${w}" height="14" fill="${c}" fill-opacity="0.55" stroke="#fff" stroke-width="1.5"/>`)
              .join(''),
          ),
          text: t('legend.sectors', { n: fmtNumber(sectorCount, 0) }),
          note: t('legend.sectorsNote'),
        },
      ],
    });
  }
  if (layers.routes.getSource().getFeatures().length > 0) {
    const c = SECTOR_COLORS[0];
    planned.push({
      layer: 'routes',
      items: [
        {
          id: 'legend-track',
          swatch: svg(
            `<line x1="2" y1="10" x2="32" y2="10" stroke="rgba(20,32,43,0.8)" stroke-width="6" stroke-linecap="round"/>` +
              `<line x1="2" y1="10" x2="32" y2="10" stroke="${c}" stroke-width="3.5" stroke-linecap="round"/>` +
              `<path d="M13 5.5 L21 10 L13 14.5 Z" fill="${c}" stroke="#fff" stroke-width="1.2"/>`,
          ),
          text: t('legend.track'),
        },
        {
          id: 'legend-stop',
          swatch: svg(
            `<circle cx="17" cy="10" r="8" fill="${c}" stroke="#14202b" stroke-width="1.4"/>` +
              '<text x="17" y="13.6" text-anchor="middle" font-size="10" font-weight="700" fill="#fff">1</text>',
          ),
          text: t('legend.stop'),
        },
      ],
    });
  }
  if (layers.coverage.getSource().getFeatures().length > 0) {
    planned.push({
      layer: 'coverage',
      items: [
        { id: 'legend-covered', swatch: roadSwatch(COVERAGE_COLORS.covered, '#ffffff', 3.2), text: t('legend.covered') },
        { id: 'legend-backup', swatch: roadSwatch(COVERAGE_COLORS.backup, '#ffffff', 5.5), text: t('legend.backup') },
        { id: 'legend-uncovered', swatch: dashSwatch(COVERAGE_COLORS.uncovered, 2.4, '7 5'), text: t('legend.uncovered') },
        {
          id: 'legend-unit',
          swatch: svg('<rect x="12.5" y="5.5" width="9" height="9" transform="rotate(45 17 10)" fill="#12355b" stroke="#fff" stroke-width="1.8"/>'),
          text: t('legend.unit'),
        },
      ],
    });
  }
  if (layers.diff.getSource().getFeatures().length > 0) {
    planned.push({
      layer: 'diff',
      items: [
        {
          id: 'legend-added',
          swatch: svg('<rect x="3" y="3" width="28" height="14" fill="rgba(26,150,65,0.38)" stroke="#1a9641" stroke-width="2"/>'),
          text: t('legend.added'),
        },
        { id: 'legend-removed', swatch: hatchSwatch('lg-hatch-removed', false), text: t('legend.removed') },
      ],
    });
  }
  return [
    ...planned,
    {
      layer: 'neighborhoods',
      items: [
        {
          id: 'legend-neighborhood',
          swatch: svg(
            '<rect x="3" y="3" width="28" height="14" rx="1" fill="rgba(200,16,46,0.22)" stroke="#b3121f" stroke-width="2.5"/>',
          ),
          text: t('legend.neighborhood'),
          note: layers.neighborhoods
            .getSource()
            .getFeatures()
            .some((f) => isTrue(f.get('isIllustrative')))
            ? t('legend.neighborhoodIllustrative')
            : null,
        },
      ],
    },
    {
      layer: 'stations',
      items: [
        {
          id: 'legend-station',
          swatch: `<svg viewBox="-4 0 34 26" aria-hidden="true">${STATION_ICON_SVG.replace(/^<svg[^>]*>|<\/svg>$/g, '')}</svg>`,
          text: t('legend.station'),
        },
      ],
    },
    { layer: 'incidents', items: incidents },
    {
      layer: 'streets',
      items: [
        { id: 'legend-street-motorway', swatch: roadSwatch('#e8919f', '#b06470', 6), text: t('legend.street.motorway') },
        { id: 'legend-street-major', swatch: roadSwatch('#fbd29c', '#b88b4a', 5.5), text: t('legend.street.major') },
        {
          id: 'legend-street-residential',
          swatch: roadSwatch('#ffffff', '#a39e93', 4),
          text: t('legend.street.residential'),
        },
        { id: 'legend-street-path', swatch: dashSwatch('#e0604f', 1.8, '4 3'), text: t('legend.street.path') },
        { id: 'legend-street-track', swatch: dashSwatch('#8d6b3b', 1.8, '7 3'), text: t('legend.street.track') },
      ],
    },
    {
      layer: 'districts',
      items: [
        {
          id: 'legend-district',
          swatch: svg(
            '<line x1="2" y1="10" x2="32" y2="10" stroke="rgba(107,91,123,0.2)" stroke-width="7"/>' +
              '<line x1="2" y1="10" x2="32" y2="10" stroke="#6b5b7b" stroke-width="1.8" stroke-dasharray="8 3 2 3"/>',
          ),
          text: t('legend.district'),
        },
      ],
    },
  ];
}

function renderLegend() {
  const el = document.getElementById('legend');
  el.innerHTML = legendEntries()
    .map(
      (group) =>
        `<li class="legend-group" data-layer-group="${group.layer}">${escapeHtml(t(`layer.${group.layer}`))}</li>` +
        group.items
          .map(
            (item) =>
              `<li id="${item.id}" data-layer="${group.layer}">${item.swatch}<span>${escapeHtml(item.text)}` +
              `${item.note ? `<span class="note">${escapeHtml(item.note)}</span>` : ''}</span></li>`,
          )
          .join(''),
    )
    .join('');
  updateLayerSwitcher();
}

// Feature info (side panel), with units and translated values.
const FIELDS = {
  districts: ['name', 'ubigeo', 'province'],
  neighborhoods: ['name', 'areaKm2', 'districtUbigeo', 'status', 'version', 'isIllustrative', 'description', 'id'],
  stations: ['name', 'operator', 'osmId', 'id'],
  streets: ['name', 'class', 'oneway', 'osmId', 'id'],
  incidents: ['category', 'occurredAt', 'isSynthetic', 'id'],
};

function districtName(ubigeo) {
  const f = layers.districts
    .getSource()
    .getFeatures()
    .find((d) => String(d.get('ubigeo')) === String(ubigeo));
  return f ? f.get('name') : null;
}

/** Returns {html} for one property value, already escaped. */
function formatValue(key, prop, value) {
  const empty = `<span class="sub">${escapeHtml(t('value.empty'))}</span>`;
  if (value === null || value === undefined || value === '') {
    return prop === 'name' ? `<em>${escapeHtml(t('value.unnamed'))}</em>` : empty;
  }
  switch (prop) {
    case 'areaKm2': {
      const n = Number(value);
      return Number.isFinite(n) ? `${escapeHtml(fmtNumber(n, 2))} km²` : escapeHtml(value);
    }
    case 'isIllustrative':
      return escapeHtml(isTrue(value) ? t('value.illustrativeYes') : t('value.no'));
    case 'isSynthetic':
      return escapeHtml(isTrue(value) ? t('value.synthetic') : t('value.real'));
    case 'oneway':
      return escapeHtml(yesNo(isTrue(value) || value === 'yes'));
    case 'occurredAt':
      return (
        `${escapeHtml(fmtDateTime(value))} <span class="sub">${escapeHtml(t('value.timeZone'))} · ` +
        `<time datetime="${escapeHtml(value)}">${escapeHtml(value)}</time></span>`
      );
    case 'status':
      return escapeHtml(has(`status.${value}`) ? t(`status.${value}`) : value);
    case 'class':
      return has(`class.${value}`)
        ? `${escapeHtml(t(`class.${value}`))} <span class="sub">highway=${escapeHtml(value)}</span>`
        : `highway=${escapeHtml(value)}`;
    case 'districtUbigeo': {
      const name = districtName(value);
      return name ? `${escapeHtml(name)} <span class="sub">ubigeo ${escapeHtml(value)}</span>` : escapeHtml(value);
    }
    default:
      return typeof value === 'boolean' ? escapeHtml(yesNo(value)) : escapeHtml(value);
  }
}

let selected = []; // [{key, feature}]

function renderFeatureInfo() {
  const el = document.getElementById('feature-info');
  document.getElementById('feature-info-close').hidden = selected.length === 0;
  if (selected.length === 0) {
    el.innerHTML = `<p class="hint">${escapeHtml(t('panel.infoHint'))}</p>`;
    return;
  }
  el.innerHTML = selected
    .map(({ key, feature }) => {
      const props = feature.getProperties();
      delete props[feature.getGeometryName()];
      const known = FIELDS[key] ?? [];
      const keys = [...known, ...Object.keys(props).filter((p) => !known.includes(p))];
      const title =
        key === 'incidents'
          ? props.category ?? t('layer.incidents')
          : key === 'streets' && !props.name
            ? t('value.unnamed')
            : props.name ?? feature.getId() ?? '';
      const badge =
        key === 'incidents' && isTrue(props.isSynthetic)
          ? `<span class="badge-synthetic">${escapeHtml(getLang() === 'es' ? 'sintético' : 'synthetic')}</span>`
          : '';
      const rows = keys
        .filter((p) => p !== 'name' && !(key === 'incidents' && p === 'category')) // both shown as the title
        .map(
          (p) =>
            `<tr data-prop="${escapeHtml(p)}"><th scope="row">${escapeHtml(has(`prop.${p}`) ? t(`prop.${p}`) : p)}</th>` +
            `<td>${formatValue(key, p, props[p])}</td></tr>`,
        )
        .join('');
      return (
        `<article class="feature-card" data-layer="${key}" data-feature-id="${escapeHtml(feature.getId() ?? '')}">` +
        `<h3><span class="layer-tag" data-layer="${key}">${escapeHtml(t(`layer.${key}`))}</span>` +
        `<span class="feature-title">${escapeHtml(title)}</span>${badge}</h3>` +
        `<table class="props"><tbody>${rows}</tbody></table></article>`
      );
    })
    .join('');
}

function select(hits) {
  selected = hits;
  selectionSource.clear();
  // Highlight the top-most hit only (a district is highlighted only when nothing else was hit).
  if (hits.length > 0) {
    selectionSource.addFeature(new Feature(hits[0].feature.getGeometry().clone()));
  }
  renderFeatureInfo();
}

document.getElementById('feature-info-close').addEventListener('click', () => select([]));

map.on('singleclick', (evt) => {
  const byLayer = new Map();
  const all = []; // every hit, top-most first, for the planner (overlapping neighbourhoods, problems)
  map.forEachFeatureAtPixel(
    evt.pixel,
    (feature, layer) => {
      const key = layer?.get('name');
      if (key && key in layers) {
        all.push({ feature, layer });
        if (!byLayer.has(key)) {
          byLayer.set(key, feature);
        }
      }
    },
    { hitTolerance: 4, layerFilter: (l) => l.get('name') in layers },
  );
  // A click on a validation problem or a change picks it, and keeps the planner's neighbourhood and the info panel.
  if (all.some((h) => h.layer === layers.validation || h.layer === layers.diff)) {
    planner.onMapClick(all);
    return;
  }
  // Top-most layer first: stations, incidents, streets, neighbourhoods, districts.
  select(switcherOrder.filter((k) => byLayer.has(k)).map((k) => ({ key: k, feature: byLayer.get(k) })));
  planner.onMapClick(all); // a neighbourhood under the pointer opens the planner's panel
});

map.on('pointermove', (evt) => {
  if (evt.dragging) {
    return;
  }
  const hit = map.hasFeatureAtPixel(evt.pixel, {
    hitTolerance: 4,
    layerFilter: (l) => l.get('name') in layers && l !== layers.districts,
  });
  map.getTargetElement().style.cursor = hit ? 'pointer' : '';
});

const zoomLevelEl = document.getElementById('zoom-level');
map.on('moveend', () => {
  const z = map.getView().getZoom();
  zoomLevelEl.textContent = z === undefined ? '' : `z ${z.toFixed(1)}`;
  updateLayerSwitcher();
});

// ---------------------------------------------------------------------------------------------------------------
// Language

function syncLangButtons() {
  for (const btn of document.querySelectorAll('.lang-toggle button')) {
    btn.setAttribute('aria-pressed', String(btn.dataset.lang === getLang()));
  }
}

function applyLanguage() {
  applyTranslations();
  document.title = t('app.title');
  syncLangButtons();
  buildLayerSwitcher();
  renderLegend();
  renderFeatureInfo();
  renderErrors();
  const zoomIn = map.getTargetElement().querySelector('.ol-zoom-in');
  const zoomOut = map.getTargetElement().querySelector('.ol-zoom-out');
  if (zoomIn) zoomIn.title = t('zoom.in');
  if (zoomOut) zoomOut.title = t('zoom.out');
  for (const key of LAYER_KEYS) {
    layers[key].getSource().setAttributions(() => attributionText[key]()); // re-evaluated in the new language
    layers[key].changed();
  }
  labelLayers.forEach((l) => l.changed()); // labels such as "límite ilustrativo"
  planner.onLanguage();
}

for (const btn of document.querySelectorAll('.lang-toggle button')) {
  btn.addEventListener('click', () => setLang(btn.dataset.lang));
}
onLangChange(applyLanguage);

// ---------------------------------------------------------------------------------------------------------------
// Initial view: neighbourhoods extent, else districts extent, else El Milagro

function fitTo(key, duration = 0) {
  const extent = layers[key].getSource().getExtent();
  if (!extent || ol.extent.isEmpty(extent) || !extent.every(Number.isFinite)) {
    return false;
  }
  map.getView().fit(extent, {
    padding: [50, 50, 50, 50],
    maxZoom: 17,
    duration,
  });
  return true;
}

document.getElementById('zoom-neighborhoods').addEventListener('click', () => {
  if (!fitTo('neighborhoods', 400)) fitTo('districts', 400);
});
document.getElementById('zoom-districts').addEventListener('click', () => fitTo('districts', 400));

function nextRenderComplete() {
  return new Promise((resolve) => {
    map.once('rendercomplete', resolve);
    map.render();
  });
}

function loadAllStrategySource(key) {
  return new Promise((resolve) => {
    const source = layers[key].getSource();
    const done = () => resolve();
    source.once('featuresloadend', done);
    source.once('featuresloaderror', done);
    // The view has no centre yet (nothing renders), so start these loads ourselves.
    source.loadFeatures([-Infinity, -Infinity, Infinity, Infinity], 1, map.getView().getProjection());
  });
}

async function start() {
  applyLanguage();
  // Small layers first, all at once (they decide the initial view).
  await Promise.all(['districts', 'neighborhoods', 'stations'].map(loadAllStrategySource));
  await whenIdle();
  if (!fitTo('neighborhoods') && !fitTo('districts')) {
    map.getView().setCenter(ol.proj.fromLonLat(FALLBACK_CENTER_LONLAT));
    map.getView().setZoom(FALLBACK_ZOOM);
  }
  // Rendering the fitted view starts the bbox loads (streets, incidents); wait for them and for the frame.
  await nextRenderComplete();
  await whenIdle();
  await nextRenderComplete();
  renderLegend(); // knows now whether incidents are synthetic and the boundary illustrative
  markReady({ errors: window.barrioViewer.errors });
}

// Keep the legend (synthetic / illustrative notes) and counts in step with later bbox loads.
for (const key of ['incidents', 'neighborhoods']) {
  layers[key].getSource().on('featuresloadend', () => renderLegend());
}
for (const key of LAYER_KEYS) {
  layers[key].getSource().on('featuresloadend', updateLayerSwitcher);
}

start().catch((err) => {
  console.error('Viewer: start failed', err);
  markReady({ errors: [...window.barrioViewer.errors, { layer: null, message: String(err) }] });
});
