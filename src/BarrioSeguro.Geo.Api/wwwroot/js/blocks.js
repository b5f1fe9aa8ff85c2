// The district's kept blocks (manzanas) for the boundary editor: a faint layer to snap to while drawing or reshaping,
// and the blocks "Crear desde manzanas" picks from (panels/blockpick.js). Loaded from GET /api/districts/{ubigeo}/blocks;
// computed first (POST, planners only) when none are kept and the caller asks for it.

import { request } from './api.js';
import { map, layers, DATA_PROJECTION } from './map.js';

const geojson = new ol.format.GeoJSON();
export const blockSource = new ol.source.Vector();

const faint = new ol.style.Style({ stroke: new ol.style.Stroke({ color: 'rgba(96,72,40,0.55)', width: 1 }) });
const picked = new ol.style.Style({
  fill: new ol.style.Fill({ color: 'rgba(179,89,0,0.35)' }),
  stroke: new ol.style.Stroke({ color: '#b35900', width: 2 }),
});
const pickable = new ol.style.Style({
  fill: new ol.style.Fill({ color: 'rgba(255,255,255,0.01)' }), // hit-testable inside, not only on the edge
  stroke: new ol.style.Stroke({ color: 'rgba(96,72,40,0.7)', width: 1.2 }),
});

let picking = false;
export const blockLayer = new ol.layer.Vector({
  source: blockSource,
  zIndex: 1015,
  visible: false,
  properties: { name: 'draft-blocks' },
  style: (f) => (f.get('picked') ? picked : picking ? pickable : faint),
});
map.addLayer(blockLayer);

export function setPicking(on) {
  picking = on;
  blockLayer.changed();
}

let loaded = null; // { ubigeo, promise }

/** The district under the map's centre, else the one that shows most in the view, else the only one. */
export function districtInView() {
  const view = map.getView();
  const source = layers.districts.getSource();
  const centre = view.getCenter();
  const at = centre ? source.getFeaturesAtCoordinate(centre) : [];
  if (at.length) return at[0].get('ubigeo');
  const extent = view.calculateExtent(map.getSize());
  let best = null;
  let bestArea = 0;
  for (const f of source.getFeatures()) {
    const area = ol.extent.getArea(ol.extent.getIntersection(extent, f.getGeometry().getExtent()));
    if (area > bestArea) [best, bestArea] = [f, area];
  }
  return best?.get('ubigeo') ?? null;
}

/** Loads the district's blocks once (again after another district); compute: POST when none are kept. Resolves with their count. */
export function loadBlocks(ubigeo, { compute = false, onCompute = () => {} } = {}) {
  if (!ubigeo) return Promise.resolve(0);
  if (loaded?.ubigeo === ubigeo && (blockSource.getFeatures().length > 0 || !compute)) return loaded.promise;
  const path = `api/districts/${encodeURIComponent(ubigeo)}/blocks`;
  const promise = (async () => {
    let { body } = await request(path);
    if ((body.features ?? []).length === 0 && compute) {
      onCompute();
      await request(path, { method: 'POST' });
      ({ body } = await request(path));
    }
    const features = geojson.readFeatures(body, { dataProjection: DATA_PROJECTION, featureProjection: map.getView().getProjection() });
    for (const f of features) f.setId(f.get('id'));
    blockSource.clear();
    blockSource.addFeatures(features);
    blockSource.set('ubigeo', ubigeo);
    return features.length;
  })();
  loaded = { ubigeo, promise };
  promise.catch(() => {
    if (loaded?.promise === promise) loaded = null;
  });
  return promise;
}
