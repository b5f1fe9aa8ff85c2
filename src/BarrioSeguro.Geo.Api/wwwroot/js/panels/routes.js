// "Rutas" of the sector plan shown: POST /api/plans/{planId}/routes {mode, shiftHours, shift, seed}, then
// GET /api/plans/{planId}/routes for the tracks (layer `routes`), a table per route and a GPX link
// (GET /api/routes/{id}/gpx). The stops come from the route reports: one marker per place with its count and a popup
// of its times (stops.js), opened by a click on the marker or by the place's button under the table; then the cycle
// calendar (cycle.js). #routes-result[data-drawn="true"] once drawn; [data-state] 'ready' | 'error' | 'cancelled'.

import { shiftLabel } from '../codes.js'; // i18n (issue 12)
import { t } from '../i18n.js';
import { el, fill } from '../dom.js';
import { fmt, fmtKm, fmtPct } from '../format.js';
import { request, download } from '../api.js';
import { emit, on } from '../events.js';
import { layers, readFeatures, rendered, fitWith, zoomTo, fadeCoverage } from '../map.js';
import { clearTrackStyles } from '../styles.js';
import { planPanel, translateNote, noteItem } from '../network.js';
import { stopFeatures, openStops, closeStops, openedStops, translateStops } from '../stops.js';
import { cycleSection, cycleOf } from './cycle.js';
import { table, notesList, planHead, sectorChip, onMapHit, highlightIn } from '../panel.js';

const HOTSPOT_LIMIT_MIN = 120;
const source = layers.routes.getSource();
// allTracks: every kept track of the plan (other shifts too), for the cycle's entries; cycleRouteId: the sector whose
// calendar is shown (by its route); entry: the calendar entry shown {routeId, day, shift, trackId}.
const fresh = () => ({ body: null, hours: 8, gpx: null, error: null, highlight: null, allTracks: [], cycleRouteId: null, entry: null });
const state = { plan: null, ...fresh() };

const panel = planPanel('routes', ['hours', 'shift', 'seed'], {
  label: () => t('routes.loading'),
  state,
  source,
  fresh,
  shown: () => !!state.body,
  render: () => render(),
  failed: () => t('routes.failed'),
});
const { dom } = panel;

/** The contingent's first shift name is the form's default, until the user types another. */
function onStaffing(staffing) {
  const first = staffing?.perShift?.[0]?.shift;
  if (first && !dom.shift.dataset.touched) dom.shift.value = first;
}
dom.shift.addEventListener('input', () => {
  dom.shift.dataset.touched = 'true';
});

/** Resolves with {routes, notes} once the tracks are drawn. */
export async function computeRoutes({ mode = 'foot', shiftHours = 8, shift, seed = 1 } = {}) {
  if (!state.plan) throw new Error('no sector plan shown: call computePlan or showPlan first');
  const planId = state.plan.id;
  const payload = { mode: String(mode), shiftHours: Number(shiftHours), seed: Number(seed) };
  const name = shift ?? dom.shift.value;
  closeStops();
  if (name && String(name).trim()) payload.shift = String(name).trim();
  return panel.compute(
    async (signal) => {
      const { body } = await request(`api/plans/${planId}/routes`, { method: 'POST', json: payload, signal });
      const { body: geo } = await request(`api/plans/${planId}/routes`, { signal });
      const ids = new Set((body.routes ?? []).map((r) => r.id));
      state.allTracks = readFeatures({ ...geo, features: (geo.features ?? []).filter((f) => f.properties?.kind === 'track') });
      state.allTracks.forEach((f) => f.setId(`route-${f.get('routeId')}`));
      const tracks = state.allTracks.filter((f) => ids.has(f.get('routeId')));
      state.entry = null;
      source.clear();
      clearTrackStyles();
      source.addFeatures([...tracks, ...(body.routes ?? []).flatMap(stopFeatures)]);
      layers.routes.setVisible(true);
      fadeCoverage();
      state.body = body;
      state.hours = payload.shiftHours;
      state.gpx = new Map(tracks.map((f) => [f.get('routeId'), f.get('gpx')]));
      render();
      emit('layers');
      fitWith(tracks);
      await rendered();
      dom.result.dataset.drawn = 'true';
      return body;
    },
    { body: null },
  );
}

function unreachableNote(report) {
  const list = report?.unreachable ?? [];
  if (!list.length) return [];
  const m = list.reduce((a, u) => a + (Number(u.lengthM) || 0), 0);
  return [{ text: t('routes.unreachable', { n: fmt(list.length, 0), km: fmtKm(m / 1000, 2) }) }];
}

function highlight(id) {
  state.highlight = id;
  highlightIn(source, dom.result.querySelectorAll('#routes-table tbody tr'), 'routeId', id);
}

const chip = (r, label) =>
  sectorChip(r.sector, label, {
    class: 'route-chip',
    dataset: { routeId: r.id },
    title: t('routes.zoomTo'),
    onClick: () => {
      highlight(r.id);
      const f = source.getFeatureById(`route-${r.id}`);
      if (f) zoomTo(f);
    },
  });

function gapCell(spots) {
  const maxGap = spots.length ? Math.max(...spots.map((h) => Number(h.maxIntervalMinutes) || 0)) : null;
  if (maxGap === null) return el('td', { class: 'num', dataset: { within: '' } }, el('span', { class: 'muted', title: t('routes.noHotspots') }, '—'));
  const within = spots.every((h) => h.withinLimit !== false && (Number(h.maxIntervalMinutes) || 0) <= HOTSPOT_LIMIT_MIN + 1e-6);
  return el(
    'td',
    { class: 'num', dataset: { within: String(within) } },
    `${fmt(maxGap, 0)}\u00a0`,
    within ? el('span', { class: 'ok', title: `≤ ${HOTSPOT_LIMIT_MIN} min` }, '✓') : el('span', { class: 'ko', title: `> ${HOTSPOT_LIMIT_MIN} min` }, '✗'),
  );
}

/**
 * The kept track of a calendar entry: the one its `routeId` names (fetched from GET .../routes?day=&shift= when not
 * yet loaded); for a calendar kept before entries had routes, the newest kept route of the sector, mode and shift of
 * that day (a track with a `day`), else of that shift, which is kept for the first day the calendar has it.
 */
async function entryTrack(route, entry) {
  if (entry.routeId != null) {
    const byId = (id) => state.allTracks.find((f) => Number(f.get('routeId')) === Number(id)) ?? null;
    if (!byId(entry.routeId) && state.plan) {
      const q = new URLSearchParams({ day: String(entry.day), shift: String(entry.shift), mode: String(route.mode) });
      const { body: geo } = await request(`api/plans/${state.plan.id}/routes?${q}`);
      const more = readFeatures({ ...geo, features: (geo.features ?? []).filter((f) => f.properties?.kind === 'track') });
      more.forEach((f) => f.setId(`route-${f.get('routeId')}`));
      state.allTracks.push(...more.filter((f) => !byId(f.get('routeId'))));
    }
    if (byId(entry.routeId)) return byId(entry.routeId);
  }
  const cycle = cycleOf(state.body, route);
  const same = state.allTracks.filter((f) => Number(f.get('sector')) === route.sector && f.get('mode') === route.mode && f.get('shift') === entry.shift);
  const firstDay = Math.min(...(cycle?.calendar ?? []).filter((e) => e.shift === entry.shift).map((e) => Number(e.day)));
  const match = same.filter((f) => (f.get('day') != null ? Number(f.get('day')) === entry.day : entry.day === firstDay));
  return match.sort((a, b) => b.get('routeId') - a.get('routeId'))[0] ?? null;
}

/** Shows a calendar entry's route on the map (highlighted, zoomed to), or says it is not kept. */
async function showEntry(route, entry) {
  let track = null;
  try {
    track = await entryTrack(route, entry);
  } catch (err) {
    console.error('Viewer: calendar entry route failed', err);
  }
  state.cycleRouteId = route.id;
  state.entry = { routeId: route.id, day: entry.day, shift: entry.shift, trackId: track ? track.get('routeId') : null };
  if (track) {
    if (!source.getFeatureById(track.getId())) {
      source.addFeature(track);
      emit('layers');
    }
    highlight(track.get('routeId'));
    zoomTo(track);
  }
  render();
  if (track) await rendered();
  // The panel was drawn again: the keyboard stays on the entry.
  dom.result.querySelector(`.cycle-entry[data-route-id="${route.id}"][data-day="${entry.day}"][data-shift="${CSS.escape(String(entry.shift))}"]`)?.focus();
}

function cycleBlock(routes) {
  const section = cycleSection(state.body, routes, {
    sectorRouteId: state.cycleRouteId,
    chosen: state.entry,
    onSector: (id) => {
      state.cycleRouteId = id;
      render();
    },
    onEntry: showEntry,
  });
  if (!section) return null;
  const e = state.entry;
  if (e && e.routeId === Number(section.dataset.routeId)) {
    section.append(
      e.trackId != null
        ? el('p', { class: 'sub', id: 'routes-cycle-shown', dataset: { routeId: e.trackId } }, t('cycle.shown', { day: e.day, shift: shiftLabel(e.shift) }))
        : el('p', { class: 'planner-msg is-muted', id: 'routes-cycle-shown' }, t('cycle.notKept', { day: e.day, shift: shiftLabel(e.shift) })),
    );
  }
  return section;
}

/** Under the table, per route, a button for each stop place ("name ×3"): the popup from the keyboard. */
function stopButtons(routes) {
  const items = routes
    .map((r) => ({ r, places: source.getFeatures().filter((f) => f.get('kind') === 'stop' && f.get('routeId') === r.id).sort((a, b) => a.get('place') - b.get('place')) }))
    .filter((x) => x.places.length > 0);
  if (!items.length) return null;
  return [
    el('h4', { class: 'sub-head' }, t('stops.head')),
    el(
      'ul',
      { class: 'stop-places', id: 'routes-stops' },
      items.map(({ r, places }) =>
        el(
          'li',
          { dataset: { routeId: r.id } },
          sectorChip(r.sector, String(r.report?.sector ?? `S${r.sector + 1}`), { class: 'is-static' }),
          places.map((f) =>
            el(
              'button',
              {
                type: 'button', class: 'stop-place', dataset: { routeId: r.id, place: f.get('place') }, title: t('stops.open'),
                on: { click: (e) => { highlight(r.id); openStops(f, e.currentTarget); } },
              },
              `${f.get('name') ?? ''} `,
              el('span', { class: 'stop-count' }, stopMarkerLabel(f)),
            ),
          ),
        ),
      ),
    ),
  ];
}

const stopMarkerLabel = (f) => (Number(f.get('count')) > 1 ? `×${f.get('count')}` : t('stops.numberShort', { n: f.get('stop') }));

function render() {
  const body = state.body;
  const box = dom.result;
  if (!body) return;
  box.dataset.state = 'ready';
  const shiftMin = state.hours * 60;
  // The time a route may take: the shift's patrol time (the shift minus break and hand-over) when the server says it.
  const patrolMin = Number(body.patrolMinutes) > 0 ? Number(body.patrolMinutes) : null;
  const routes = [...(body.routes ?? [])].sort((a, b) => a.sector - b.sector);
  const rows = routes.map((r) => {
    const p = r.report ?? {};
    const over = Number(p.durationMin) > (patrolMin ?? shiftMin) + 1e-6;
    const gpx = state.gpx?.get(r.id) ?? `/api/routes/${r.id}/gpx`;
    return el(
      'tr',
      { dataset: { routeId: r.id, sector: r.sector }, class: state.highlight === r.id && 'is-active' },
      el('th', { scope: 'row' }, chip(r, String(p.sector ?? `S${r.sector + 1}`))),
      el('td', { class: 'num', title: fmtKm(p.lengthKm, 2) }, fmt(p.lengthKm ?? 0, 1)),
      el(
        'td',
        {
          class: ['num', over && 'is-over'],
          title: patrolMin ? t('routes.ofPatrol', { min: fmt(shiftMin, 0), patrol: fmt(patrolMin, 0) }) : t('routes.ofShift', { min: fmt(shiftMin, 0) }),
        },
        fmt(p.durationMin ?? 0, 0),
        el('span', { class: 'of' }, `/${fmt(shiftMin, 0)}`),
      ),
      el('td', { class: 'num' }, fmtPct(p.deadheadPct, 0)),
      el('td', { class: 'num' }, fmtPct(p.streetsCoveredPct, 0)),
      el('td', { class: 'num' }, fmt((p.stops ?? []).length, 0)),
      gapCell(p.hotspots ?? []),
      el(
        'td',
        { class: 'c' },
        el('a', {
          class: 'gpx-link', href: String(gpx).replace(/^\//, ''), download: true, dataset: { routeId: r.id }, title: t('routes.gpxTitle'),
          // The GPX needs the bearer token: fetched by api.js, then saved.
          on: { click: (e) => { e.preventDefault(); download(e.currentTarget.getAttribute('href'), `ruta-${r.id}.gpx`).catch((err) => console.error('Viewer: GPX download failed', err)); } },
        }, 'GPX'),
      ),
    );
  });
  const perSector = routes
    .map((r) => ({ sector: r.report?.sector ?? `S${r.sector + 1}`, items: [...(r.report?.notes ?? []).map(translateNote), ...unreachableNote(r.report)] }))
    .filter((n) => n.items.length > 0);
  const general = (body.notes ?? []).map(translateNote);
  const first = routes[0];
  const col = (text, title) => ({ text, title, class: 'num' });
  fill(
    box,
    planHead(
      t('routes.head', { mode: t(`mode.${first?.mode ?? 'foot'}`), shift: shiftLabel(first?.shift ?? ''), h: fmt(state.hours, 0) }),
      [patrolMin ? t('routes.patrolShort', { min: fmt(patrolMin, 0) }) : null, t('routes.seedShort', { seed: first?.seed ?? '' })].filter(Boolean).join(' · '),
    ),
    table(
      { class: 'sector-table route-table', id: 'routes-table' },
      [
        { text: t('sectors.col.sector') },
        col('km', t('routes.col.kmTitle')),
        col(t('routes.col.min'), t('routes.col.minTitle')),
        col(t('routes.col.deadhead'), t('routes.col.deadheadTitle')),
        col(t('routes.col.streets'), t('routes.col.streetsTitle')),
        col(t('routes.col.stops'), t('routes.col.stopsTitle')),
        col(t('routes.col.gap'), t('routes.col.gapTitle')),
        {},
      ],
      rows,
    ),
    stopButtons(routes),
    cycleBlock(routes),
    notesList('routes-notes', [
      ...general.map((n) => noteItem(n)),
      ...perSector.map((n) =>
        el(
          'li',
          { dataset: { sector: n.sector } },
          el('strong', null, `${n.sector}:`),
          ' ',
          n.items.flatMap((x, i) => (i === 0 ? [noteItem(x, 'span')] : ['; ', noteItem(x, 'span')])),
        ),
      ),
    ]),
  );
}

panel.onSubmit(() => computeRoutes({ mode: dom.mode.value, shiftHours: dom.hours.value, shift: dom.shift.value, seed: dom.seed.value }));

on('staffing', onStaffing);
onMapHit(layers.routes, (f) => highlight(f.get('routeId')));
// A click on a stop marker opens its times; a click anywhere else on the map closes them.
on('mapclick', (hits) => {
  const stop = hits.find((h) => h.layer === layers.routes && h.feature.get('kind') === 'stop');
  if (stop) openStops(stop.feature);
  else if (openedStops()) closeStops();
});
on('plan', () => closeStops());
on('language', () => translateStops());
