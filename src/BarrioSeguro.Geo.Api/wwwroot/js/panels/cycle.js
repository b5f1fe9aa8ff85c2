// The coverage cycle of the routes panel: per sector, the calendar day × shift → route (each entry's km, min and the
// cumulative % of the sector's reachable streets walked), how many shifts a full pass takes per mode, and a flag when
// the cycle cannot cover the sector. The data is the route report's `cycle` (SectorCycleReport, kept with the route),
// else the answer's `cycle.sectors[]`. An entry is a button: onEntry shows its route on the map.

import { t } from '../i18n.js';
import { el } from '../dom.js';
import { fmt, fmtKm, fmtPct } from '../format.js';
import { selectRow, sectorChip } from '../panel.js';
import { translateNote, noteItem } from '../network.js';
import { shiftLabel, routeName } from '../codes.js'; // i18n (issue 12)

/** The cycle of a route's sector: its report's, else the answer's for its label. */
export function cycleOf(body, route) {
  const label = route.report?.sector ?? `S${route.sector + 1}`;
  return route.report?.cycle ?? (body?.cycle?.sectors ?? []).find((s) => s.sector === label) ?? null;
}

/** The shift codes of the calendar in their order: the answer's, else as the entries give them. */
function shiftsOf(body, cycle) {
  const listed = body?.cycle?.shifts;
  if (Array.isArray(listed) && listed.length) return listed;
  return [...new Set((cycle.calendar ?? []).map((e) => e.shift))];
}

const daysOf = (body, cycle) => Number(body?.cycle?.days) || Math.max(0, ...(cycle.calendar ?? []).map((e) => Number(e.day) || 0));

function passText(p) {
  const mode = t(`cycle.mode.${p.mode}`);
  return p.shifts == null ? t('cycle.passNone', { mode }) : t('cycle.pass', { n: fmt(p.shifts, 0), mode });
}

/**
 * The cycle section for the routes shown, or null when no route has a cycle. chosen: {routeId, day, shift} of the
 * entry shown (or null); onSector(routeId) picks the sector; onEntry(route, entry) shows an entry's route.
 */
export function cycleSection(body, routes, { sectorRouteId, chosen, onSector, onEntry }) {
  const withCycle = routes.filter((r) => cycleOf(body, r));
  if (!withCycle.length) return null;
  const route = withCycle.find((r) => r.id === sectorRouteId) ?? withCycle[0];
  const cycle = cycleOf(body, route);
  const shifts = shiftsOf(body, cycle);
  const days = daysOf(body, cycle);
  const label = route.report?.sector ?? `S${route.sector + 1}`;
  const entries = new Map((cycle.calendar ?? []).map((e) => [`${e.day}|${e.shift}`, e]));
  const covered = cycle.coveredInCycle === true;
  const isChosen = (e) => chosen && chosen.routeId === route.id && chosen.day === e.day && chosen.shift === e.shift;

  const cell = (day, shift) => {
    const e = entries.get(`${day}|${shift}`);
    if (!e) return el('td', { class: 'c muted' }, '—');
    return el(
      'td',
      { class: 'c' },
      el(
        'button',
        {
          type: 'button', class: ['cycle-entry', isChosen(e) && 'is-active'],
          dataset: { routeId: route.id, day: e.day, shift: e.shift, pct: e.coveredPct },
          title: t('cycle.entryTitle', { name: routeName(label, e.shift, e.day), km: fmtKm(e.newStreetsKm, 1) }),
          'aria-pressed': String(!!isChosen(e)),
          on: { click: () => onEntry(route, e) },
        },
        el('span', { class: 'cycle-km' }, fmtKm(e.lengthKm, 1)),
        el('span', { class: 'cycle-min' }, `${fmt(Number(e.durationMin) || 0, 0)}\u00a0min`),
        el('span', { class: 'cycle-pct' }, fmtPct(e.coveredPct, 0)),
      ),
    );
  };

  return el(
    'div',
    { class: 'cycle', id: 'routes-cycle', dataset: { routeId: route.id, sector: label, covered: String(covered) } },
    el('h4', { class: 'sub-head' }, t('cycle.head', { days: fmt(days, 0), shifts: fmt(shifts.length, 0) })),
    withCycle.length > 1
      ? selectRow(
          'routes-cycle-sector',
          t('cycle.sector'),
          (evt) => onSector(Number(evt.target.value)),
          withCycle.map((r) => el('option', { value: String(r.id), selected: r.id === route.id }, String(r.report?.sector ?? `S${r.sector + 1}`))),
        )
      : null,
    el(
      'p',
      { class: ['cycle-summary', !covered && 'is-over'], id: 'routes-cycle-summary' },
      sectorChip(route.sector, label, { class: 'is-static' }),
      ' ',
      covered
        ? t('cycle.covered', { pct: fmtPct(cycle.coveredPct, 0), km: fmtKm(cycle.reachableKm, 1), n: fmt(cycle.shiftsNeeded, 0), mode: t(`cycle.mode.${cycle.mode}`) })
        : t('cycle.notCovered', { pct: fmtPct(cycle.coveredPct, 0), km: fmtKm(cycle.reachableKm, 1) }),
    ),
    el('p', { class: 'sub', id: 'routes-cycle-passes' }, `${t('cycle.fullPass')}: `, (cycle.shiftsForFullPass ?? []).map(passText).join(' · ')),
    el('p', { class: 'sub' }, t('cycle.deadhead', { km: fmtKm(cycle.deadheadKm, 1), pct: fmtPct(cycle.deadheadPct, 0) })),
    (cycle.notes ?? []).length ? el('ul', { class: 'plan-notes', id: 'routes-cycle-notes' }, cycle.notes.map((n) => noteItem(translateNote(n)))) : null,
    el(
      'table',
      { class: 'sector-table cycle-table', id: 'routes-cycle-table' },
      el('thead', null, el('tr', null, el('th', null, t('cycle.day')), shifts.map((s) => el('th', { class: 'c' }, shiftLabel(s))))),
      el(
        'tbody',
        null,
        Array.from({ length: days }, (_, i) => i + 1).map((day) =>
          el('tr', { dataset: { day } }, el('th', { scope: 'row' }, t('cycle.dayN', { n: day })), shifts.map((s) => cell(day, s))),
        ),
      ),
    ),
    el('p', { class: 'hint' }, t('cycle.hint')),
  );
}
