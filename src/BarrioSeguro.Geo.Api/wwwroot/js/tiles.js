// Vector tiles (issue 14.6): streets, districts and the kept blocks are drawn from
// api/collections/{name}/tiles/WebMercatorQuad/{z}/{y}/{x} (Mapbox vector tiles made by PostGIS), so a view loads the
// tiles it shows, not whole layers. The GeoJSON layers of streets and districts stay as data for the panels (snapping,
// district names) but are no longer drawn; a click identifies from the tile features (main.js: `tilesOf`).
// Police layers (blocks) send the sign-in token like every request; tiles are revalidated by ETag (304) by the browser.

import { fetchTile, isSignedIn } from './api.js';
import { map, layers, beginLoad, endLoad } from './map.js';
import * as styles from './styles.js';

const TEMPLATE = (name) => `api/collections/${name}/tiles/WebMercatorQuad/{z}/{y}/{x}`;
const ID_PROPERTY = { streets: 'id', districts: 'ubigeo', blocks: 'id' };

/** Loads a tile through api.js (the bearer token when signed in; 204 is an empty tile), counted as a load (whenIdle). */
function loadTile(tile, url) {
  tile.setLoader((extent, resolution, projection) => {
    beginLoad();
    fetchTile(url)
      .then((buffer) => {
        const features = buffer.byteLength === 0 ? [] : tile.getFormat().readFeatures(buffer, { extent, featureProjection: projection });
        tile.setFeatures(features);
      })
      .catch((err) => {
        console.error('Viewer: loading a tile failed', err);
        tile.setState(3); // TileState.ERROR
      })
      .finally(endLoad);
  });
}

function tileLayer(key, { style, minZoom, declutter, zIndex, visible = true }) {
  const source = new ol.source.VectorTile({
    format: new ol.format.MVT(), // streets carry the MVT feature id; districts and blocks their ubigeo and id properties
    url: TEMPLATE(key),
    tileLoadFunction: loadTile,
    maxZoom: 16, // deeper views overzoom the z16 tiles: they hold every street already
  });
  return new ol.layer.VectorTile({
    source,
    style,
    minZoom,
    zIndex,
    visible,
    declutter: declutter ? 'labels' : false,
    properties: { name: `${key}-tiles`, tilesOf: key },
  });
}

const blockStyle = new ol.style.Style({
  fill: new ol.style.Fill({ color: 'rgba(255,255,255,0.01)' }), // clickable inside
  stroke: new ol.style.Stroke({ color: 'rgba(120, 96, 64, 0.55)', width: 1 }),
});

/** The tile layers by the key of the layer they draw (the test hook's `tileLayers`). */
export const tileLayers = {
  districts: tileLayer('districts', { style: styles.districtStyle }),
  streets: tileLayer('streets', { style: styles.streetStyle, minZoom: 12, declutter: true }),
  // The kept blocks (police data, signed-in users, limited to their districts by the server).
  blocks: tileLayer('blocks', { style: blockStyle, minZoom: 14, visible: isSignedIn() && layers.neighborhoods.getVisible() }),
};

// Each tile layer goes just above the GeoJSON layer it replaces on screen, and follows its switch.
function place(key, over) {
  const all = map.getLayers();
  const at = all.getArray().indexOf(layers[over]);
  all.insertAt(at + 1, tileLayers[key]);
  layers[over].on('change:visible', () => tileLayers[key].setVisible(layers[over].getVisible() && (key !== 'blocks' || isSignedIn())));
}
place('districts', 'districts');
place('blocks', 'neighborhoods');
place('streets', 'streets');
for (const key of ['streets', 'districts']) layers[key].setStyle(null); // drawn from tiles now

/**
 * The feature a tile feature stands for: the whole one of the GeoJSON layer when it is loaded there (same id), else the
 * tile's piece as an ordinary feature (its geometry in the view's projection).
 */
export function dataFeature(key, renderFeature) {
  if (renderFeature instanceof ol.Feature) return renderFeature;
  const id = renderFeature.getId() ?? renderFeature.get(ID_PROPERTY[key]);
  const whole = id === undefined ? null : layers[key]?.getSource().getFeatureById(id);
  return whole ?? ol.render.Feature.toFeature(renderFeature);
}
