// "Leyenda": small SVG swatches that mirror the map styles (styles.js), for the visible layers that show something;
// it follows the layer switcher (a hidden layer leaves the legend).

import { t } from '../i18n.js';
import { el, svg, fill, byId } from '../dom.js';
import { fmt, isTrue } from '../format.js';
import { layers, LAYER_KEYS, PLANNER_KEYS } from '../map.js';
import { on } from '../events.js';
import { SECTOR_COLORS, COVERAGE_COLORS, INCIDENT_REAL, INCIDENT_SYNTHETIC, STATION_SHAPES, RED, GREEN, NAVY } from '../styles.js';
import { updateLayerSwitcher } from './layers.js';

const list = byId('legend');

const swatch = (...shapes) => svg('svg', { viewBox: '0 0 34 20', 'aria-hidden': 'true' }, ...shapes);
const line = (attrs) => svg('line', { x1: 2, y1: 10, x2: 32, y2: 10, ...attrs });
const roadSwatch = (color, casing, w) =>
  swatch(line({ stroke: casing, 'stroke-width': w + 2, 'stroke-linecap': 'round' }), line({ stroke: color, 'stroke-width': w, 'stroke-linecap': 'round' }));
const dashSwatch = (color, w, dash) => swatch(line({ stroke: color, 'stroke-width': w, 'stroke-dasharray': dash }));
const boxSwatch = (attrs) => swatch(svg('rect', { x: 3, y: 3, width: 28, height: 14, ...attrs }));

function hatchSwatch(id, dashed) {
  return swatch(
    svg(
      'defs',
      null,
      svg(
        'pattern',
        { id, width: 5, height: 5, patternUnits: 'userSpaceOnUse', patternTransform: 'rotate(-45)' },
        svg('rect', { width: 5, height: 5, fill: 'rgba(215,25,28,0.14)' }),
        svg('line', { x1: 0, y1: 0, x2: 0, y2: 5, stroke: RED, 'stroke-width': 1.6 }),
      ),
    ),
    svg('rect', { x: 3, y: 3, width: 28, height: 14, fill: `url(#${id})`, stroke: RED, 'stroke-width': 2, 'stroke-dasharray': dashed ? '4 2' : null }),
  );
}

const hasFeatures = (key) => layers[key].getSource().getFeatures().length > 0;
const hasOutside = () => layers.coverage.getSource().getFeatures().some((f) => f.get('status') === 'outside');

function incidentItems() {
  const features = layers.incidents.getSource().getFeatures();
  const hasSynthetic = features.some((f) => isTrue(f.get('isSynthetic')));
  const hasReal = features.some((f) => !isTrue(f.get('isSynthetic')));
  const items = [];
  if (hasReal || !hasSynthetic) {
    items.push({
      id: 'legend-incident',
      swatch: swatch(svg('circle', { cx: 17, cy: 10, r: 4, fill: INCIDENT_REAL.fill, stroke: '#fff', 'stroke-width': 1.2 })),
      text: t('legend.incident'),
    });
  }
  if (hasSynthetic || !hasReal) {
    items.push({
      id: 'legend-incident-synthetic',
      swatch: swatch(svg('circle', { cx: 17, cy: 10, r: 4, fill: INCIDENT_SYNTHETIC.fill, stroke: INCIDENT_SYNTHETIC.stroke, 'stroke-width': 1.2 })),
      text: t('legend.incidentSynthetic'),
    });
  }
  return items;
}

/** The planner's overlays, only while they show something. */
function plannerGroups() {
  const groups = [];
  if (hasFeatures('validation')) {
    const cross = (stroke, width) => svg('path', { d: 'M11 4 L23 16 M23 4 L11 16', stroke, 'stroke-width': width });
    groups.push({
      layer: 'validation',
      items: [
        { id: 'legend-problem-point', swatch: swatch(cross('#fff', 6), cross(RED, 3)), text: t('legend.problemPoint') },
        { id: 'legend-problem-area', swatch: hatchSwatch('lg-hatch-problem', true), text: t('legend.problemArea') },
      ],
    });
  }
  const sectorCount = layers.sectors.getSource().getFeatures().length;
  if (sectorCount > 0) {
    const n = Math.min(sectorCount, 4);
    const w = 28 / n;
    groups.push({
      layer: 'sectors',
      items: [
        {
          id: 'legend-sectors',
          swatch: swatch(
            SECTOR_COLORS.slice(0, n).map((c, i) =>
              svg('rect', { x: 3 + i * w, y: 3, width: w, height: 14, fill: c, 'fill-opacity': 0.55, stroke: '#fff', 'stroke-width': 1.5 }),
            ),
          ),
          text: t('legend.sectors', { n: fmt(sectorCount, 0) }),
          note: t('legend.sectorsNote'),
        },
      ],
    });
  }
  if (hasFeatures('routes')) {
    const c = SECTOR_COLORS[0];
    groups.push({
      layer: 'routes',
      items: [
        {
          id: 'legend-track',
          swatch: swatch(
            line({ stroke: 'rgba(20,32,43,0.8)', 'stroke-width': 6, 'stroke-linecap': 'round' }),
            line({ stroke: c, 'stroke-width': 3.5, 'stroke-linecap': 'round' }),
            svg('path', { d: 'M13 5.5 L21 10 L13 14.5 Z', fill: c, stroke: '#fff', 'stroke-width': 1.2 }),
          ),
          text: t('legend.track'),
        },
        {
          id: 'legend-stop',
          swatch: swatch(
            svg('circle', { cx: 17, cy: 10, r: 8, fill: c, stroke: '#14202b', 'stroke-width': 1.4 }),
            svg('text', { x: 17, y: 13.6, 'text-anchor': 'middle', 'font-size': 10, 'font-weight': 700, fill: '#fff' }, '1'),
          ),
          text: t('legend.stop'),
        },
      ],
    });
  }
  if (hasFeatures('coverage')) {
    groups.push({
      layer: 'coverage',
      items: [
        { id: 'legend-covered', swatch: roadSwatch(COVERAGE_COLORS.covered, '#ffffff', 3.2), text: t('legend.covered') },
        { id: 'legend-backup', swatch: roadSwatch(COVERAGE_COLORS.backup, '#ffffff', 5.5), text: t('legend.backup') },
        { id: 'legend-uncovered', swatch: dashSwatch(COVERAGE_COLORS.uncovered, 2.4, '7 5'), text: t('legend.uncovered') },
        ...(hasOutside() ? [{ id: 'legend-outside', swatch: swatch(line({ stroke: COVERAGE_COLORS.outside, 'stroke-width': 3, 'stroke-linecap': 'round' })), text: t('legend.outside') }] : []),
        {
          id: 'legend-unit',
          swatch: swatch(svg('rect', { x: 12.5, y: 5.5, width: 9, height: 9, transform: 'rotate(45 17 10)', fill: NAVY, stroke: '#fff', 'stroke-width': 1.8 })),
          text: t('legend.unit'),
        },
      ],
    });
  }
  if (hasFeatures('diff')) {
    groups.push({
      layer: 'diff',
      items: [
        { id: 'legend-added', swatch: boxSwatch({ fill: 'rgba(26,150,65,0.38)', stroke: GREEN, 'stroke-width': 2 }), text: t('legend.added') },
        { id: 'legend-removed', swatch: hatchSwatch('lg-hatch-removed', false), text: t('legend.removed') },
      ],
    });
  }
  return groups;
}

function groups() {
  const illustrative = layers.neighborhoods
    .getSource()
    .getFeatures()
    .some((f) => isTrue(f.get('isIllustrative')));
  return [
    ...plannerGroups(),
    {
      layer: 'neighborhoods',
      items: [
        {
          id: 'legend-neighborhood',
          swatch: boxSwatch({ rx: 1, fill: 'rgba(200,16,46,0.22)', stroke: '#b3121f', 'stroke-width': 2.5 }),
          text: t('legend.neighborhood'),
          note: illustrative ? t('legend.neighborhoodIllustrative') : null,
        },
      ],
    },
    {
      layer: 'stations',
      items: [
        {
          id: 'legend-station',
          swatch: svg('svg', { viewBox: '-4 0 34 26', 'aria-hidden': 'true' }, STATION_SHAPES.map(([tag, attrs]) => svg(tag, attrs))),
          text: t('legend.station'),
        },
      ],
    },
    { layer: 'incidents', items: incidentItems() },
    {
      layer: 'streets',
      items: [
        { id: 'legend-street-motorway', swatch: roadSwatch('#e8919f', '#b06470', 6), text: t('legend.street.motorway') },
        { id: 'legend-street-major', swatch: roadSwatch('#fbd29c', '#b88b4a', 5.5), text: t('legend.street.major') },
        { id: 'legend-street-residential', swatch: roadSwatch('#ffffff', '#a39e93', 4), text: t('legend.street.residential') },
        { id: 'legend-street-path', swatch: dashSwatch('#e0604f', 1.8, '4 3'), text: t('legend.street.path') },
        { id: 'legend-street-track', swatch: dashSwatch('#8d6b3b', 1.8, '7 3'), text: t('legend.street.track') },
      ],
    },
    {
      layer: 'districts',
      items: [
        {
          id: 'legend-district',
          swatch: swatch(
            line({ stroke: 'rgba(107,91,123,0.2)', 'stroke-width': 7 }),
            line({ stroke: '#6b5b7b', 'stroke-width': 1.8, 'stroke-dasharray': '8 3 2 3' }),
          ),
          text: t('legend.district'),
        },
      ],
    },
  ];
}

export function renderLegend() {
  const shown = groups().filter((group) => group.items.length > 0 && layers[group.layer].getVisible());
  list.dataset.layers = shown.map((g) => g.layer).join(' ');
  fill(
    list,
    shown.length === 0 ? el('li', { class: 'legend-empty hint' }, t('legend.empty')) : null,
    shown.map((group) => [
      el('li', { class: 'legend-group', dataset: { layerGroup: group.layer } }, t(`layer.${group.layer}`)),
      group.items.map((item) =>
        el(
          'li',
          { id: item.id, dataset: { layer: group.layer } },
          item.swatch,
          el('span', null, item.text, item.note ? el('span', { class: 'note' }, item.note) : null),
        ),
      ),
    ]),
  );
  updateLayerSwitcher();
}

// The synthetic / illustrative notes follow later loads; the overlays follow the panels.
for (const key of ['incidents', 'neighborhoods']) layers[key].getSource().on('featuresloadend', () => renderLegend());
on('layers', renderLegend);
for (const key of [...PLANNER_KEYS, ...LAYER_KEYS]) layers[key].on('change:visible', () => renderLegend());
