// The map and its layers. No internet at run time: our own districts, streets and blocks are the basemap.
// Base layers load GeoJSON pages from /api/collections/{name}/items (all at once, or by bbox for the big ones);
// the planner's overlays (validation, diff, sectors, coverage, routes) are filled by their panels.

import { t } from './i18n.js';
import { ApiError, requestAllFeatures, isSignedIn } from './api.js';
import { emit } from './events.js';
import { byId } from './dom.js';
import { fmtLonLat } from './format.js';
import * as styles from './styles.js';

const COLLECTIONS = 'api/collections/'; // relative: works behind a path base too
export const DATA_PROJECTION = 'EPSG:4326';
const VIEW_PROJECTION = 'EPSG:3857';
const PAGE_LIMIT_ALL = 1000; // API default
const PAGE_LIMIT_BBOX = 5000; // API max is 10000
// Used only if the API returns neither neighbourhoods nor districts: El Milagro, Huanchaco (Trujillo).
const FALLBACK_CENTER_LONLAT = [-79.0632, -8.0338];
const FALLBACK_ZOOM = 14;

/** Base layers, bottom to top. */
export const LAYER_KEYS = ['districts', 'neighborhoods', 'streets', 'incidents', 'stations'];
/** The planner's overlays, as the layer switcher lists them (top first). */
export const PLANNER_KEYS = ['routes', 'coverage', 'validation', 'diff', 'sectors'];

const ID_PROPERTY = { districts: 'ubigeo', neighborhoods: 'id', stations: 'id', streets: 'id', incidents: 'id' };
const geojson = new ol.format.GeoJSON();

// ---- loading state: the spinner, the load errors and whenIdle() ----------------------------------------------------

let pendingLoads = 0;
const idleWaiters = [];
/** layer key -> ApiError of its last failed load */
export const loadErrors = new Map();

function updateLoading() {
  byId('loading').hidden = pendingLoads === 0;
  document.body.dataset.loading = pendingLoads > 0 ? 'true' : 'false';
}

export function beginLoad() { // also the tile layers' (tiles.js)
  pendingLoads++;
  updateLoading();
}

export function endLoad() {
  pendingLoads--;
  updateLoading();
  if (pendingLoads === 0) idleWaiters.splice(0).forEach((fn) => fn());
}

/** Resolves once no layer is loading. */
export function whenIdle() {
  return pendingLoads === 0 ? Promise.resolve() : new Promise((resolve) => idleWaiters.push(resolve));
}

function bboxParam(extent, projection) {
  const e = ol.proj.transformExtent(extent, projection, DATA_PROJECTION);
  const clamp = (v, lo, hi) => Math.min(hi, Math.max(lo, v));
  return [clamp(e[0], -180, 180), clamp(e[1], -90, 90), clamp(e[2], -180, 180), clamp(e[3], -90, 90)].map((v) => v.toFixed(6)).join(',');
}

/** Layers only a signed-in user may read; anonymous visitors see the base layers alone. */
export const SIGNED_IN_LAYERS = new Set(['neighborhoods', 'incidents']);

function makeLoader(key, source, useBbox) {
  return (extent, resolution, projection, success) => {
    if (SIGNED_IN_LAYERS.has(key) && !isSignedIn()) {
      success([]);
      return;
    }
    const params = new URLSearchParams();
    if (useBbox) params.set('bbox', bboxParam(extent, projection));
    params.set('limit', String(useBbox ? PAGE_LIMIT_BBOX : PAGE_LIMIT_ALL));
    beginLoad();
    requestAllFeatures(`${COLLECTIONS}${key}/items?${params}`)
      .then((raw) => {
        const features = geojson.readFeatures({ type: 'FeatureCollection', features: raw }, { dataProjection: DATA_PROJECTION, featureProjection: projection });
        for (const f of features) {
          if (f.getId() === undefined && f.get(ID_PROPERTY[key]) !== undefined) f.setId(f.get(ID_PROPERTY[key]));
        }
        source.addFeatures(features); // features with an id already present (bbox overlap) are skipped by OL
        if (loadErrors.delete(key)) emit('loaderrors');
        success(features);
      })
      .catch((err) => {
        console.error(`Viewer: loading ${key} failed`, err);
        loadErrors.set(key, err instanceof ApiError ? err : new ApiError('badJson'));
        emit('loaderrors');
        // Mark the extent as done anyway: no request storm on every frame; the Retry button refreshes.
        success([]);
      })
      .finally(endLoad);
  };
}

/** Loads the failed layers again. */
export function retryLoads() {
  const keys = [...loadErrors.keys()];
  loadErrors.clear();
  emit('loaderrors');
  keys.forEach((k) => layers[k].getSource().refresh());
}

// ---- layers -----------------------------------------------------------------------------------------------------

const attributionText = {
  districts: () => t('attr.inei'),
  neighborhoods: () => t('attr.illustrative'),
  streets: () => t('attr.osm'),
  stations: () => t('attr.osm'),
  incidents: () => t('attr.synthetic'),
};

function baseLayer(key, { useBbox, style, minZoom, declutter }) {
  const source = new ol.source.Vector({
    strategy: useBbox ? ol.loadingstrategy.bbox : ol.loadingstrategy.all,
    attributions: () => attributionText[key](),
  });
  source.setLoader(makeLoader(key, source, useBbox));
  return new ol.layer.Vector({
    source,
    style,
    minZoom,
    declutter: declutter ? 'labels' : false,
    updateWhileInteracting: false,
    properties: { name: key, title: `layer.${key}`, loadingStrategy: useBbox ? 'bbox' : 'all' },
  });
}

function overlay(name, style, zIndex) {
  return new ol.layer.Vector({ source: new ol.source.Vector(), style, zIndex, properties: { name, title: `layer.${name}` } });
}

/** Every layer a user can switch, by name (the test hook's `layers`). */
export const layers = {
  districts: baseLayer('districts', { useBbox: false, style: styles.districtStyle }),
  neighborhoods: baseLayer('neighborhoods', { useBbox: false, style: styles.neighborhoodStyle }),
  streets: baseLayer('streets', { useBbox: true, style: styles.streetStyle, minZoom: 12, declutter: true }),
  incidents: baseLayer('incidents', { useBbox: true, style: styles.incidentStyle, minZoom: 11 }),
  stations: baseLayer('stations', { useBbox: false, style: styles.stationStyle, declutter: true }),
  // Over the selection highlight (1000); the sectors under the neighbourhood's outline (1001), validation and changes.
  sectors: overlay('sectors', styles.sectorStyle, 1000.5),
  coverage: overlay('coverage', styles.coverageStyle, 1002),
  routes: overlay('routes', styles.routeStyle, 1003),
  diff: overlay('diff', styles.diffStyle, 1005),
  validation: overlay('validation', styles.problemStyle, 1010),
};

// Polygon labels go in their own layers above streets and incidents (same sources, visibility follows the layer).
function labelLayer(key, style) {
  const layer = new ol.layer.Vector({ source: layers[key].getSource(), style, declutter: 'labels', properties: { name: `${key}-labels`, labelsOf: key } });
  layers[key].on('change:visible', () => layer.setVisible(layers[key].getVisible()));
  return layer;
}
export const labelLayers = [labelLayer('districts', styles.districtLabelStyle), labelLayer('neighborhoods', styles.neighborhoodLabelStyle)];

/** The feature picked in the information panel, highlighted. */
export const selectionSource = new ol.source.Vector();
const selectionLayer = new ol.layer.Vector({ source: selectionSource, style: styles.selectionStyle, properties: { name: 'selection' }, zIndex: 1000 });

/** The neighbourhood being planned: an outline under the problems, over everything else. */
const focusLayer = new ol.layer.Vector({ source: new ol.source.Vector(), style: styles.focusStyle, zIndex: 1001, properties: { name: 'planner-focus' } });

// ---- the map ----------------------------------------------------------------------------------------------------

export const map = new ol.Map({
  target: 'map',
  layers: [
    ...LAYER_KEYS.map((k) => layers[k]),
    ...labelLayers,
    selectionLayer,
    focusLayer,
    ...PLANNER_KEYS.map((k) => layers[k]),
  ],
  view: new ol.View({ projection: VIEW_PROJECTION, maxZoom: 20, minZoom: 5, constrainResolution: false }),
  controls: ol.control.defaults
    .defaults({
      zoomOptions: { zoomInTipLabel: t('zoom.in'), zoomOutTipLabel: t('zoom.out') },
      attributionOptions: { collapsible: false },
      rotate: false,
    })
    .extend([
      new ol.control.ScaleLine({ target: byId('scale-line'), units: 'metric', bar: true, steps: 4, text: false, minWidth: 160, maxWidth: 220 }),
      new ol.control.MousePosition({ target: byId('mouse-position'), projection: DATA_PROJECTION, coordinateFormat: fmtLonLat, placeholder: '&#160;' }), // the placeholder is OL's markup
    ]),
});

// OL observes the target's size; a window resize (print preview, headless screenshots) is handled explicitly too.
window.addEventListener('resize', () => map.updateSize());

/** Re-says the texts drawn by the map (zoom buttons, attributions, labels) in the current language. */
export function translateMap() {
  const zoomIn = map.getTargetElement().querySelector('.ol-zoom-in');
  const zoomOut = map.getTargetElement().querySelector('.ol-zoom-out');
  if (zoomIn) zoomIn.title = t('zoom.in');
  if (zoomOut) zoomOut.title = t('zoom.out');
  for (const key of LAYER_KEYS) {
    layers[key].getSource().setAttributions(() => attributionText[key]()); // re-evaluated in the new language
    layers[key].changed();
  }
  labelLayers.forEach((l) => l.changed()); // labels such as "límite ilustrativo"
  styles.clearSectorStyles();
  styles.clearUnitStyles();
  for (const key of PLANNER_KEYS) layers[key].changed();
}

// ---- helpers for the panels ---------------------------------------------------------------------------------------

export function readFeature(json) {
  return geojson.readFeature(json, { dataProjection: DATA_PROJECTION, featureProjection: map.getView().getProjection() });
}

/** GeoJSON features in the view's projection; features without a place (empty geometry) are left out. */
export function readFeatures(json) {
  return geojson.readFeatures(json, { dataProjection: DATA_PROJECTION, featureProjection: map.getView().getProjection() }).filter((f) => {
    const g = f.getGeometry();
    return g && !ol.extent.isEmpty(g.getExtent());
  });
}

/** GeoJSON features as they are (the validation keeps the problems without a place in its list). */
export function readAllFeatures(json) {
  return geojson.readFeatures(json, { dataProjection: DATA_PROJECTION, featureProjection: map.getView().getProjection() });
}

export function toLonLat(coordinate) {
  return ol.proj.toLonLat(coordinate.slice(0, 2), map.getView().getProjection());
}

export function fromLonLat(lon, lat) {
  return ol.proj.transform([lon, lat], DATA_PROJECTION, map.getView().getProjection());
}

/** Resolves once the map drew its next frame (what was just added is on screen). */
export function rendered() {
  return new Promise((resolve) => {
    map.once('rendercomplete', resolve);
    map.render();
  });
}

/** Outlines the planned neighbourhood (null: none). */
export function setFocus(feature) {
  focusLayer.getSource().clear();
  const g = feature?.getGeometry();
  if (g) focusLayer.getSource().addFeature(new ol.Feature(g.clone()));
}

/** Fits the view to the planned neighbourhood and the given features. */
export function fitWith(features) {
  const extent = ol.extent.createEmpty();
  for (const f of [...focusLayer.getSource().getFeatures(), ...features]) ol.extent.extend(extent, f.getGeometry().getExtent());
  if (ol.extent.isEmpty(extent)) return;
  map.getView().fit(extent, { padding: [60, 60, 60, 60], maxZoom: 18 });
}

/** Zooms to one feature (a sector, a route) with an animation. */
export function zoomTo(feature) {
  map.getView().fit(feature.getGeometry().getExtent(), { padding: [60, 60, 60, 60], maxZoom: 18, duration: 300 });
}

/** Fits the view to a base layer's extent; false when it has none. */
export function fitTo(key, duration = 0) {
  const extent = layers[key].getSource().getExtent();
  if (!extent || ol.extent.isEmpty(extent) || !extent.every(Number.isFinite)) return false;
  map.getView().fit(extent, { padding: [50, 50, 50, 50], maxZoom: 17, duration });
  return true;
}

function loadAll(key) {
  return new Promise((resolve) => {
    const source = layers[key].getSource();
    source.once('featuresloadend', () => resolve());
    source.once('featuresloaderror', () => resolve());
    // The view has no centre yet (nothing renders), so start these loads ourselves.
    source.loadFeatures([-Infinity, -Infinity, Infinity, Infinity], 1, map.getView().getProjection());
  });
}

/** The initial view: the neighbourhoods' extent, else the districts', else El Milagro; resolves once drawn. */
export async function loadInitialView() {
  // Small layers first, all at once (they decide the initial view).
  await Promise.all(['districts', 'neighborhoods', 'stations'].map(loadAll));
  await whenIdle();
  if (!fitTo('neighborhoods') && !fitTo('districts')) {
    map.getView().setCenter(ol.proj.fromLonLat(FALLBACK_CENTER_LONLAT));
    map.getView().setZoom(FALLBACK_ZOOM);
  }
  // Rendering the fitted view starts the bbox loads (streets, incidents); wait for them and for the frame.
  await rendered();
  await whenIdle();
  await rendered();
}

/** Reloads the neighbourhoods layer (after a save or a repair); resolves once loaded. */
export function reloadNeighborhoods() {
  const source = layers.neighborhoods.getSource();
  const loaded = new Promise((resolve) => {
    source.once('featuresloadend', resolve);
    source.once('featuresloaderror', resolve);
  });
  source.refresh(); // drops the features and the loaded extents
  // Load now, not on the next frame: a hidden layer, or a map held in an interaction, renders no frame that would.
  source.loadFeatures([-Infinity, -Infinity, Infinity, Infinity], map.getView().getResolution() ?? 1, map.getView().getProjection());
  map.render();
  return loaded;
}

/** Coverage under drawn routes is faded so the tracks read first; full strength when alone. */
export function fadeCoverage() {
  layers.coverage.setOpacity(layers.routes.getSource().getFeatures().length > 0 ? 0.35 : 1);
}
