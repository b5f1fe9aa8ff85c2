// Part "barriers" (issue 11): what a shown plan was made with beside its sectors: its barriers as lines, its centres as
// points (a comisaría by its name), and "¿por qué aquí?" for a block (GET /api/plans/{id}/blocks/{block}/why), said
// in the viewer's language. Listens to the sectors panel's 'plan' event; draws on layers of its own.
// #sector-extras[data-barriers][data-centres] count what is drawn; #sector-why[data-block] once an answer is shown.

/* global ol */
import { t, onLangChange } from '../i18n.js';
import { el, fill, byId } from '../dom.js';
import { fmt } from '../format.js';
import { request, failure } from '../api.js';
import { on } from '../events.js';
import { map, fromLonLat } from '../map.js';
import { noteText } from '../notes.js';

const label = (s) => `S${s + 1}`;

const barrierSource = new ol.source.Vector();
const centreSource = new ol.source.Vector();
export const barrierLayer = new ol.layer.Vector({
  source: barrierSource,
  zIndex: 60,
  style: [
    new ol.style.Style({ stroke: new ol.style.Stroke({ color: 'rgba(255,255,255,0.9)', width: 6 }) }),
    new ol.style.Style({ stroke: new ol.style.Stroke({ color: '#b3001b', width: 3, lineDash: [10, 6] }) }),
  ],
});
export const centreLayer = new ol.layer.Vector({
  source: centreSource,
  zIndex: 61,
  style: (feature) => new ol.style.Style({
    image: new ol.style.RegularShape({
      points: 4, radius: 9, angle: Math.PI / 4,
      fill: new ol.style.Fill({ color: feature.get('fixed') ? '#1b3a8c' : '#ffffff' }),
      stroke: new ol.style.Stroke({ color: '#1b3a8c', width: 2 }),
    }),
    text: new ol.style.Text({
      text: feature.get('name'), offsetY: -16, font: '600 12px system-ui, sans-serif',
      fill: new ol.style.Fill({ color: '#102040' }), stroke: new ol.style.Stroke({ color: '#ffffff', width: 3 }),
    }),
  }),
});
barrierLayer.set('name', 'sector-barriers');
centreLayer.set('name', 'sector-centres');
map.addLayer(barrierLayer);
map.addLayer(centreLayer);

const box = el('div', { id: 'sector-extras', class: 'sector-extras', 'aria-live': 'polite', hidden: true });
byId('sectors-result')?.after(box);

const state = { plan: null, why: null, error: null, block: '' };

/** The name of sector s's centre: the station's, else "centre of S1". */
function centreName(plan, s, centre) {
  const names = plan.parameters?.centreNames ?? [];
  if (centre.centreFixed && names[s]) return names[s];
  return t('sectorExtras.centreOf', { sector: label(s) });
}

function onPlan(plan) {
  state.plan = plan;
  state.why = null;
  state.error = null;
  barrierSource.clear();
  centreSource.clear();
  const paths = plan?.report?.barriers?.paths ?? [];
  for (const path of paths) {
    const lines = path.lines.map((line) => line.map(([lon, lat]) => fromLonLat(lon, lat)));
    barrierSource.addFeature(new ol.Feature({ geometry: new ol.geom.MultiLineString(lines), name: path.name }));
  }
  const centres = plan?.report?.travel?.sectors ?? [];
  for (const c of centres) {
    centreSource.addFeature(new ol.Feature({
      geometry: new ol.geom.Point(fromLonLat(c.centreLon, c.centreLat)),
      name: centreName(plan, c.sector, c), fixed: c.centreFixed, sector: c.sector,
    }));
  }
  box.dataset.barriers = String(paths.length);
  box.dataset.centres = String(centres.length);
  render();
}

async function explain(block) {
  const plan = state.plan;
  if (!plan || !block) return;
  state.block = block;
  state.error = null;
  try {
    const { body } = await request(`api/plans/${plan.id}/blocks/${encodeURIComponent(block)}/why`);
    if (state.plan !== plan) return;
    state.why = body;
  } catch (err) {
    state.why = null;
    state.error = failure(err);
  }
  render();
}

function renderWhy() {
  const why = state.why;
  if (state.error) return state.error.cancelled ? null : el('p', { class: 'sector-why-error', role: 'alert' }, state.error.text);
  if (!why) return null;
  const own = why.own;
  return el('div', { id: 'sector-why', class: 'sector-why', 'data-block': why.block },
    el('h5', {}, t('sectorExtras.whyTitle', { block: why.block, sector: why.label })),
    el('p', {}, t('sectorExtras.fromCentre', { minutes: fmt(own.minutes, 1) })),
    el('ul', { class: 'sector-why-reasons' }, ...why.reasons.map((r) => el('li', { 'data-code': r.code }, noteText(r)))));
}

function render() {
  const plan = state.plan;
  const paths = plan?.report?.barriers?.paths ?? [];
  const centres = plan?.report?.travel?.sectors ?? [];
  if (!plan || (paths.length === 0 && centres.length === 0)) {
    box.hidden = true;
    fill(box);
    return;
  }
  box.hidden = false;
  const input = el('input', { type: 'text', id: 'sector-why-block', value: state.block, 'aria-label': t('sectorExtras.blockLabel') });
  const form = el('form', { class: 'sector-why-form', on: { submit: (e) => { e.preventDefault(); explain(input.value.trim()); } } },
    el('label', { for: 'sector-why-block' }, t('sectorExtras.blockLabel')), input,
    el('button', { type: 'submit', class: 'action-btn is-small' }, t('sectorExtras.explain')));
  fill(box,
    paths.length > 0 ? el('p', { class: 'sector-barriers' }, t('sectorExtras.barriers', { names: paths.map((p) => p.name).join(', ') })) : null,
    centres.length > 0 ? el('ul', { class: 'sector-centres' }, ...centres.map((c) => el('li', {},
      el('span', {}, `${label(c.sector)}: ${centreName(plan, c.sector, c)}`),
      c.centreBlock ? el('button', {
        type: 'button', class: 'action-btn is-small', 'data-block': c.centreBlock,
        'aria-label': t('sectorExtras.whyFor', { block: c.centreBlock }),
        on: { click: () => explain(c.centreBlock) },
      }, t('sectorExtras.why')) : null))) : null,
    form,
    renderWhy());
}

on('plan', onPlan);
onLangChange(() => {
  centreSource.getFeatures().forEach((f) => {
    const c = state.plan?.report?.travel?.sectors?.find((x) => x.sector === f.get('sector'));
    if (c) f.set('name', centreName(state.plan, c.sector, c));
  });
  render();
});
