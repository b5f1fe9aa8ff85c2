// The map's frame: the banner of layers that failed to load (Reintentar / Ocultar), the zoom level, the zoom buttons.

import { t } from '../i18n.js';
import { el, fill, byId } from '../dom.js';
import { map, layers, loadErrors, retryLoads, fitTo } from '../map.js';
import { on } from '../events.js';
import { hook } from '../boot.js';
import { updateLayerSwitcher } from './layers.js';

export function renderErrors() {
  fill(
    byId('error-list'),
    [...loadErrors].map(([key, err]) => el('li', null, t('error.layer', { layer: t(`layer.${key}`), message: err.describe() }))),
  );
  byId('error').hidden = loadErrors.size === 0;
  hook.errors = [...loadErrors].map(([key, err]) => ({ layer: key, message: err.message }));
  updateLayerSwitcher();
}

on('loaderrors', renderErrors);
byId('error-retry').addEventListener('click', retryLoads);
byId('error-dismiss').addEventListener('click', () => {
  byId('error').hidden = true;
});

const zoomLevel = byId('zoom-level');
map.on('moveend', () => {
  const z = map.getView().getZoom();
  zoomLevel.textContent = z === undefined ? '' : `z ${z.toFixed(1)}`;
});

byId('zoom-neighborhoods').addEventListener('click', () => {
  if (!fitTo('neighborhoods', 400)) fitTo('districts', 400);
});
byId('zoom-districts').addEventListener('click', () => fitTo('districts', 400));

// Not every layer is hit-testable for the pointer: the districts' transparent fill would make the whole map a link.
map.on('pointermove', (evt) => {
  if (evt.dragging) return;
  const hit = map.hasFeatureAtPixel(evt.pixel, { hitTolerance: 4, layerFilter: (l) => l.get('name') in layers && l !== layers.districts });
  map.getTargetElement().style.cursor = hit ? 'pointer' : '';
});
