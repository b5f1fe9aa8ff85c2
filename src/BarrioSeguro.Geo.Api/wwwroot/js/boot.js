// First module to run (main.js imports it first): the test hook exists even when OpenLayers failed to load, and a
// missing lib/ol.js is said plainly in the page. Throwing here stops the other modules, which all need `ol`.

import { t, applyTranslations } from './i18n.js';
import { el, fill, byId } from './dom.js';

let resolveReady;
const ready = new Promise((resolve) => {
  resolveReady = resolve;
});

/** The test hook; main.js adds the map, the layers and the panels' functions. */
export const hook = { map: null, layers: {}, ready, errors: [] };
window.barrioViewer = hook;

/** The initial layers are loaded (or failed, see hook.errors) and the view is fitted. */
export function markReady(summary) {
  document.body.dataset.ready = 'true';
  if (summary.errors.length > 0) document.body.dataset.loadError = 'true';
  resolveReady(summary);
}

if (!window.ol) {
  // lib/ol.js missing: the build did not run Viewer.targets.
  applyTranslations();
  fill(byId('error-list'), el('li', null, t('error.noOpenLayers'), ' ', el('code', null, 'dotnet build'), ' (Viewer.targets).'));
  byId('error-retry').hidden = true;
  byId('error').hidden = false;
  hook.errors = ['lib/ol.js missing'];
  markReady({ errors: hook.errors });
  throw new Error('OpenLayers (lib/ol.js) is not loaded');
}
