// BarrioSeguro.Geo map viewer: native ES modules, no build step; OpenLayers is the global `ol` (lib/ol.js, copied
// from the pinned npm package by Viewer.targets). This module wires the panels to the map and sets the test hook:
//
// window.barrioViewer = { map, layers: {districts, neighborhoods, streets, stations, incidents, validation, diff,
//   sectors, coverage, routes}, ready, errors, selectNeighborhood(id), validate(), repairPreview(), applyRepair(),
//   history(), diff(from, to), computePlan({sectors, seed}), showPlan(id), comparePlans(a, b),
//   computeCoverage({mode, minutes}), computeRoutes({mode, shiftHours, shift, seed}), signIn(user, password), signOut(),
//   startPainting(), saveAsPlan(), comparePainted(b), undoPaint(), redoPaint(), evaluateLocally(), paintState() }
//   ready resolves after the initial layers loaded (or failed, see `errors`) and the view was fitted; then
//   document.body.dataset.ready = "true" (and dataset.loadError = "true" if any layer failed). Each function resolves
//   once the panel shows (and the map drew) what it asked for: see panels/*.js.

import { hook, markReady } from './boot.js'; // first: checks that OpenLayers is loaded
import { t, getLang, setLang, onLangChange, applyTranslations } from './i18n.js';
import { emit } from './events.js';
import { map, layers, loadInitialView, translateMap } from './map.js';
import { select, renderInformation } from './panels/information.js';
import { buildLayerSwitcher, TOP_FIRST } from './panels/layers.js';
import { renderLegend } from './panels/legend.js';
import { renderErrors } from './panels/status.js';
import { selectNeighborhood, validate, repairPreview, applyRepair } from './panels/neighborhood.js';
import { history, diff } from './panels/history.js';
import { computePlan, showPlan, comparePlans } from './panels/sectors.js';
import { computeCoverage } from './panels/coverage.js';
import { computeRoutes } from './panels/routes.js';
import { renderAccount, signIn, signOut } from './panels/account.js';
import { isEditing } from './panels/draw.js';
import './panels/blockpick.js'; // "Crear desde manzanas"
import './layout.js'; // sidebar width, tables that scroll, overlays that give way
import { isPainting, startPainting, saveAsPlan, comparePainted, undo as undoPaint, redo as redoPaint, evaluateLocally, paintState } from './panels/paint.js';
import { exportShown } from './panels/export.js';
import './panels/osmimport.js'; // issue 13.1, osm: upload an OpenStreetMap PBF for a district
import './panels/forms.js'; // issue 12, forms: contingents, stations, hot spots, incidents (its map clicks come first)
import { openOverview, sortBy as sortOverview, showPeru, zoomToRow } from './panels/overview.js'; // issue 13.3: the national overview
import { choose as chooseDistrict, workingDistrict } from './panels/districtsearch.js'; // issue 13.2: "Buscar distrito"
import './panels/lifecycle.js'; // issue 13.5: delete, restore, dataset versions
import { tileLayers, dataFeature } from './tiles.js'; // issue 14.6: streets, districts and blocks drawn from vector tiles

Object.assign(hook, {
  map,
  layers,
  tileLayers, // issue 14.6: the vector tile layers (tiles.js)
  selectNeighborhood: (id) => selectNeighborhood(id),
  validate,
  repairPreview,
  applyRepair,
  history,
  diff,
  computePlan,
  showPlan,
  comparePlans,
  computeCoverage,
  computeRoutes,
  signIn,
  signOut,
  // painting sectors (panels/paint.js)
  startPainting,
  saveAsPlan,
  comparePainted,
  undoPaint,
  redoPaint,
  evaluateLocally,
  paintState,
  exportShown,
  // national overview (panels/overview.js)
  openOverview,
  sortOverview,
  showPeru,
  zoomToOverviewRow: zoomToRow,
  chooseDistrict, // issue 13.2: zooms to a district ({ubigeo, name, bbox, ...}) and makes it the working district
  workingDistrict,
});

// ---- clicks on the map ------------------------------------------------------------------------------------------------

// OpenLayers says 'singleclick' 250 ms after the click (to tell it from a double click). By then the click that closed
// a drawing may have been saved and the editing ended: judge a click by what the map was doing when it was made.
let clickedWhileBusy = false;
map.on('click', () => {
  clickedWhileBusy = isEditing() || isPainting();
});

map.on('singleclick', (evt) => {
  // Clicks draw or reshape the boundary (panels/draw.js), or paint sectors (panels/paint.js): they select nothing.
  if (clickedWhileBusy || isEditing() || isPainting()) return;
  const byLayer = new Map();
  const all = []; // every hit, top-most first, for the planner (overlapping neighbourhoods, problems)
  map.forEachFeatureAtPixel(
    evt.pixel,
    (hit, hitLayer) => {
      // A tile feature (tiles.js) stands for its layer's feature: the whole one when the layer has it loaded.
      const key = hitLayer?.get('tilesOf') ?? hitLayer?.get('name');
      const layer = hitLayer?.get('tilesOf') ? layers[key] : hitLayer;
      const feature = hitLayer?.get('tilesOf') ? dataFeature(key, hit) : hit;
      if (key && key in layers) {
        all.push({ feature, layer });
        if (!byLayer.has(key)) byLayer.set(key, feature);
      }
    },
    { hitTolerance: 4, layerFilter: (l) => (l.get('tilesOf') ?? l.get('name')) in layers },
  );
  // A click on a validation problem or a change picks it, and keeps the planner's neighbourhood and the information.
  if (!all.some((h) => h.layer === layers.validation || h.layer === layers.diff)) {
    select(TOP_FIRST.filter((k) => byLayer.has(k)).map((k) => ({ key: k, feature: byLayer.get(k) })));
  }
  emit('mapclick', all); // a neighbourhood under the pointer opens the planner's panel
});

// ---- language ---------------------------------------------------------------------------------------------------------

function applyLanguage() {
  applyTranslations();
  document.title = t('app.title');
  for (const btn of document.querySelectorAll('.lang-toggle button')) btn.setAttribute('aria-pressed', String(btn.dataset.lang === getLang()));
  buildLayerSwitcher();
  renderLegend();
  renderInformation();
  renderErrors();
  translateMap();
  emit('language');
}

for (const btn of document.querySelectorAll('.lang-toggle button')) btn.addEventListener('click', () => setLang(btn.dataset.lang));
onLangChange(applyLanguage);

// ---- start ------------------------------------------------------------------------------------------------------------

async function start() {
  applyLanguage();
  renderAccount();
  await loadInitialView();
  renderLegend(); // knows now whether incidents are synthetic and the boundary illustrative
  markReady({ errors: hook.errors });
}

start().catch((err) => {
  console.error('Viewer: start failed', err);
  markReady({ errors: [...hook.errors, { layer: null, message: String(err) }] });
});
