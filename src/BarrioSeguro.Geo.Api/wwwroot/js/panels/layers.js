// "Capas": one checkbox per layer, top layer first (ids #layer-<name>), with its feature count or why it shows nothing.

import { t } from '../i18n.js';
import { el, fill, byId } from '../dom.js';
import { fmt } from '../format.js';
import { map, layers, loadErrors, LAYER_KEYS, PLANNER_KEYS } from '../map.js';

const list = byId('layer-switcher');
/** Base layers, top-most first (the order of a click's hits in the information panel too). */
export const TOP_FIRST = [...LAYER_KEYS].reverse();
const KEYS = [...PLANNER_KEYS, ...TOP_FIRST];

export function buildLayerSwitcher() {
  fill(
    list,
    KEYS.map((key) =>
      el(
        'li',
        { dataset: { layer: key } },
        el(
          'label',
          { htmlFor: `layer-${key}` },
          el('input', {
            type: 'checkbox',
            id: `layer-${key}`,
            class: 'layer-toggle',
            dataset: { layer: key },
            checked: layers[key].getVisible(),
            on: { change: (evt) => layers[key].setVisible(evt.target.checked) },
          }),
          el('span', { class: 'layer-title' }, t(`layer.${key}`)),
        ),
        el('span', { class: 'layer-meta' }),
      ),
    ),
  );
  updateLayerSwitcher();
}

export function updateLayerSwitcher() {
  const zoom = map.getView().getZoom();
  for (const li of list.children) {
    const key = li.dataset.layer;
    const layer = layers[key];
    li.querySelector('input').checked = layer.getVisible();
    const outOfRange = zoom !== undefined && zoom < layer.getMinZoom();
    li.classList.toggle('out-of-range', outOfRange);
    li.classList.toggle('has-error', loadErrors.has(key));
    const meta = li.querySelector('.layer-meta');
    if (loadErrors.has(key)) meta.textContent = '⚠';
    else if (outOfRange) meta.textContent = t('layer.zoomIn');
    else {
      const n = layer.getSource().getFeatures().length;
      meta.textContent = n > 0 ? fmt(n, 0) : '';
    }
  }
  for (const li of document.querySelectorAll('#legend li[data-layer]')) {
    li.classList.toggle('is-hidden', !layers[li.dataset.layer].getVisible());
  }
}

for (const key of KEYS) layers[key].on('change:visible', updateLayerSwitcher);
for (const key of LAYER_KEYS) layers[key].getSource().on('featuresloadend', updateLayerSwitcher);
map.on('moveend', updateLayerSwitcher);
