// Hot-spot stops on the map: the stops of a route at the same place are one marker with their count ("×3"), and a
// popup lists their times (Lima clock times, as the route report gives them). The popup opens from a click on the
// marker or from the stop buttons of the routes panel (keyboard), takes the focus, and closes with × or Escape.

import { t } from './i18n.js';
import { el, fill } from './dom.js';
import { fmt } from './format.js';
import { map, fromLonLat } from './map.js';
import { sectorColor } from './styles.js';

/** Places closer than this (degrees, about 1 m) are the same place. */
const SAME_PLACE_DEG = 1e-5;

/** Each marker's visits [{number, arrive, minutes, detour}] (kept off its properties, which the information panel lists). */
const visitsOf = new WeakMap();

/**
 * One marker per place of a route's stops, in the order of their first visit: features of kind 'stop' with routeId,
 * sector, label ("S1"), name, place (1, 2, ...), count and the first stop's number.
 */
export function stopFeatures(route) {
  const groups = [];
  for (const s of route.report?.stops ?? []) {
    const lon = Number(s.lon);
    const lat = Number(s.lat);
    if (!Number.isFinite(lon) || !Number.isFinite(lat)) continue;
    let g = groups.find((x) => Math.abs(x.lon - lon) < SAME_PLACE_DEG && Math.abs(x.lat - lat) < SAME_PLACE_DEG);
    if (!g) {
      g = { lon, lat, name: s.name, visits: [] };
      groups.push(g);
    }
    g.visits.push({ number: s.number, arrive: s.arrive, minutes: s.minutes, detour: s.detour === true });
  }
  return groups.map((g, i) => {
    const f = new ol.Feature(new ol.geom.Point(fromLonLat(g.lon, g.lat)));
    f.setId(`stop-${route.id}-${i + 1}`);
    f.setProperties({
      kind: 'stop', routeId: route.id, sector: route.sector, label: route.report?.sector ?? `S${route.sector + 1}`, name: g.name,
      place: i + 1, count: g.visits.length, stop: g.visits[0].number,
    });
    visitsOf.set(f, g.visits);
    return f;
  });
}

// ---- the popup ------------------------------------------------------------------------------------------------------

const popup = el('div', { class: 'stop-popup', id: 'stop-popup', role: 'dialog', tabindex: '-1', hidden: true });
const overlay = new ol.Overlay({ element: popup, positioning: 'bottom-center', offset: [0, -16], stopEvent: true, autoPan: { margin: 30, animation: { duration: 0 } } });
map.addOverlay(overlay);

let shown = null; // the feature whose popup is open
let opener = null; // what had the focus when it opened (a button of the panel), given it back on close

function render() {
  if (!shown) return;
  const f = shown;
  const visits = visitsOf.get(f) ?? [];
  const title = t('stops.title', { s: f.get('label'), name: f.get('name') ?? '' });
  popup.setAttribute('aria-label', title);
  popup.style.setProperty('--c', sectorColor(Number(f.get('sector'))));
  fill(
    popup,
    el(
      'div',
      { class: 'stop-popup-head' },
      el('strong', null, title),
      el('button', { type: 'button', class: 'icon-btn stop-popup-close', title: t('panel.close'), 'aria-label': t('panel.close'), on: { click: () => closeStops() } }, '×'),
    ),
    el('p', { class: 'sub', id: 'stop-popup-count' }, visits.length > 1 ? t('stops.count', { n: fmt(visits.length, 0) }) : t('stops.one')),
    el(
      'ol',
      { class: 'stop-visits' },
      visits.map((v) =>
        el(
          'li',
          { dataset: { stop: v.number } },
          el('span', { class: 'stop-no' }, t('stops.number', { n: v.number })),
          ' ',
          el('time', { class: 'stop-time' }, String(v.arrive ?? '')),
          ` · ${fmt(Number(v.minutes) || 0, 0)}\u00a0min`,
          v.detour ? el('span', { class: 'sub' }, ` · ${t('stops.detour')}`) : null,
        ),
      ),
    ),
    el('p', { class: 'sub' }, t('stops.lima')),
  );
}

/** Opens the popup of a stop marker, focused; `from` gets the focus back when it closes. */
export function openStops(feature, from = null) {
  shown = feature;
  opener = from;
  render();
  popup.hidden = false;
  popup.dataset.routeId = String(feature.get('routeId'));
  popup.dataset.place = String(feature.get('place'));
  overlay.setPosition(feature.getGeometry().getCoordinates());
  popup.focus({ preventScroll: true });
}

export function closeStops() {
  const back = opener;
  shown = null;
  opener = null;
  popup.hidden = true;
  overlay.setPosition(undefined);
  if (!back) return;
  // The panel may have been drawn again meanwhile (another language): its button for the same place then.
  const same = document.contains(back)
    ? back
    : document.querySelector(`.stop-place[data-route-id="${CSS.escape(back.dataset.routeId ?? '')}"][data-place="${CSS.escape(back.dataset.place ?? '')}"]`);
  same?.focus();
}

/** The popup's feature (null when closed). */
export const openedStops = () => shown;

/** Re-says the popup in the current language. */
export const translateStops = () => render();

popup.addEventListener('keydown', (e) => {
  if (e.key === 'Escape') {
    e.preventDefault();
    closeStops();
  }
});
