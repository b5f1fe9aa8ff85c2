// Issue 13.2, districts: "Buscar distrito" in the top bar. Suggests districts of all of Peru as the user types
// (GET /api/districts?q=, accents and case aside, by name or ubigeo prefix), zooms the map to the chosen one and makes
// it the working district: a neighbourhood drawn next is created in it (panels/draw.js asks workingDistrict()).
// A combobox (WAI-ARIA 1.2): arrows move through the suggestions, Enter chooses, Escape closes.

import { request, isAbort } from '../api.js';
import { t, onLangChange } from '../i18n.js';
import { el, fill, byId } from '../dom.js';
import { emit } from '../events.js';
import { map, fromLonLat } from '../map.js';

const SUGGESTIONS = 8;
const DELAY_MS = 150;
const MAX_LENGTH = 100; // the API's limit on q

const input = byId('district-search');
const list = byId('district-search-list');
const status = byId('district-search-status');

let chosen = null; // {ubigeo, name, province, department, bbox, hasBoundary}
let items = [];
let active = -1;
let timer = 0;
let controller = null;

/** The district chosen in the search box ({ubigeo, name, ...}), or null. */
export function workingDistrict() {
  return chosen;
}

function label(d) {
  const where = [d.province, d.department].filter(Boolean).join(', ');
  return `${d.name}${where ? ` — ${where}` : ''} (${d.ubigeo})`;
}

function close() {
  list.hidden = true;
  input.setAttribute('aria-expanded', 'false');
  input.removeAttribute('aria-activedescendant');
  active = -1;
}

function render() {
  fill(
    list,
    items.map((d, i) =>
      el(
        'li',
        {
          id: `district-option-${d.ubigeo}`,
          role: 'option',
          class: ['district-option', i === active && 'is-active'],
          'aria-selected': i === active ? 'true' : 'false',
          dataset: { ubigeo: d.ubigeo },
          // mousedown, not click: the input keeps its focus and does not close the list first.
          on: { mousedown: (e) => { e.preventDefault(); choose(d); } },
        },
        el('span', { class: 'district-option-name' }, d.name),
        el('span', { class: 'district-option-where' }, ` ${[d.province, d.department].filter(Boolean).join(', ')} · ${d.ubigeo}`),
      ),
    ),
  );
  const open = items.length > 0;
  list.hidden = !open;
  input.setAttribute('aria-expanded', open ? 'true' : 'false');
  if (active >= 0 && items[active]) input.setAttribute('aria-activedescendant', `district-option-${items[active].ubigeo}`);
  else input.removeAttribute('aria-activedescendant');
}

async function suggest(text) {
  controller?.abort();
  const q = text.trim();
  if (q.length === 0) {
    items = [];
    close();
    status.textContent = '';
    return;
  }
  if (q.length > MAX_LENGTH) {
    status.textContent = t('districtSearch.tooLong', { max: MAX_LENGTH });
    return;
  }
  controller = new AbortController();
  try {
    const { body } = await request(`api/districts?q=${encodeURIComponent(q)}&limit=${SUGGESTIONS}`, { signal: controller.signal });
    items = body.districts ?? [];
    active = items.length > 0 ? 0 : -1;
    render();
    status.textContent = items.length === 0 ? t('districtSearch.none', { q }) : t('districtSearch.count', { n: body.matched });
    document.body.dataset.districtSearch = 'done';
  } catch (err) {
    if (isAbort(err)) return;
    items = [];
    close();
    status.textContent = t('districtSearch.failed');
  }
}

/** Makes the district the working one and zooms to it; resolves once the map drew it. */
export function choose(d) {
  chosen = d;
  items = [];
  close();
  input.value = label(d);
  if (d.bbox) {
    const [a, b] = [fromLonLat(d.bbox[0], d.bbox[1]), fromLonLat(d.bbox[2], d.bbox[3])];
    map.getView().fit([a[0], a[1], b[0], b[1]], { padding: [60, 60, 60, 60], maxZoom: 16 });
    status.textContent = t('districtSearch.working', { name: d.name });
  } else {
    status.textContent = t('districtSearch.noBoundary', { name: d.name });
  }
  document.body.dataset.workingDistrict = d.ubigeo;
  emit('workingdistrict', d);
  return new Promise((resolve) => {
    map.once('rendercomplete', () => resolve(d));
    map.render();
  });
}

input.addEventListener('input', () => {
  clearTimeout(timer);
  document.body.dataset.districtSearch = 'pending';
  timer = setTimeout(() => suggest(input.value), DELAY_MS);
});

input.addEventListener('keydown', (e) => {
  if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
    if (items.length === 0) return;
    e.preventDefault();
    active = (active + (e.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length;
    render();
  } else if (e.key === 'Enter') {
    if (active >= 0 && items[active]) {
      e.preventDefault();
      choose(items[active]);
    }
  } else if (e.key === 'Escape') {
    close();
  }
});

input.addEventListener('blur', () => setTimeout(close, 100));

function translate() {
  input.placeholder = t('districtSearch.placeholder');
  if (chosen) status.textContent = t(chosen.bbox ? 'districtSearch.working' : 'districtSearch.noBoundary', { name: chosen.name });
}
onLangChange(translate);
translate();
