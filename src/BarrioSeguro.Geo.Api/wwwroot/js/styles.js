// Map styles and colours, shared by the map layers and the legend (which mirrors them as SVG swatches).
// OpenLayers is the global `ol` (lib/ol.js, a classic script loaded before the modules; boot.js checks it).

import { t, getLocale } from './i18n.js';
import { fmt, fmtArea, isTrue } from './format.js';

const { Style, Fill, Stroke, Text, Circle: CircleStyle, RegularShape, Icon } = ol.style;

export const FONT = 'system-ui, "Segoe UI", Roboto, "Noto Sans", "Liberation Sans", "DejaVu Sans", Arial, sans-serif';
export const RED = '#d7191c';
export const GREEN = '#1a9641';
export const NAVY = '#12355b';

/** Paul Tol's "muted" scheme (colour-blind safe, distinct in print), then light grey; cycles after ten sectors. */
export const SECTOR_COLORS = ['#332288', '#88CCEE', '#44AA99', '#117733', '#999933', '#DDCC77', '#CC6677', '#882255', '#AA4499', '#DDDDDD'];
/** outside: streets beyond the neighbourhood, which the coverage does not count (grey, not a gap). */
export const COVERAGE_COLORS = { covered: '#1a9641', backup: '#00441b', uncovered: '#d7191c', outside: '#8a9096' };

export function sectorColor(index) {
  return SECTOR_COLORS[((index % SECTOR_COLORS.length) + SECTOR_COLORS.length) % SECTOR_COLORS.length];
}

export function rgba(hex, alpha) {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}

/** Dark text on light colours, white text on dark ones (relative luminance). */
export function inkOn(hex) {
  const n = parseInt(hex.slice(1), 16);
  const lin = (c) => {
    const v = c / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  };
  const l = 0.2126 * lin((n >> 16) & 255) + 0.7152 * lin((n >> 8) & 255) + 0.0722 * lin(n & 255);
  return l > 0.35 ? '#14202b' : '#ffffff';
}

export function zoomForResolution(resolution) {
  return Math.log2(156543.03392804097 / resolution);
}

// ---- base layers ------------------------------------------------------------------------------------------------

export const STREET_CLASSES = {
  // rank: drawing order; w: width in px at zoom 16; fill/casing colours; dash for paths
  motorway: { rank: 9, w: 7, fill: '#e8919f', casing: '#b06470' },
  motorway_link: { rank: 9, w: 4.5, fill: '#e8919f', casing: '#b06470' },
  trunk: { rank: 8, w: 7, fill: '#f2ad8d', casing: '#b9795d' },
  trunk_link: { rank: 8, w: 4.5, fill: '#f2ad8d', casing: '#b9795d' },
  primary: { rank: 7, w: 6.5, fill: '#fbd29c', casing: '#b88b4a' },
  primary_link: { rank: 7, w: 4.5, fill: '#fbd29c', casing: '#b88b4a' },
  secondary: { rank: 6, w: 6, fill: '#f4f7b4', casing: '#9fa26a' },
  secondary_link: { rank: 6, w: 4, fill: '#f4f7b4', casing: '#9fa26a' },
  tertiary: { rank: 5, w: 5.5, fill: '#ffffff', casing: '#a39e93' },
  tertiary_link: { rank: 5, w: 4, fill: '#ffffff', casing: '#a39e93' },
  unclassified: { rank: 4, w: 4, fill: '#ffffff', casing: '#b5aea3' },
  residential: { rank: 4, w: 4, fill: '#ffffff', casing: '#b5aea3' },
  living_street: { rank: 4, w: 4, fill: '#eef0f2', casing: '#b5aea3' },
  service: { rank: 3, w: 2.4, fill: '#ffffff', casing: '#bdb6ab' },
  pedestrian: { rank: 3, w: 3, fill: '#e4e1ea', casing: '#a8a2b3' },
  footway: { rank: 2, w: 1.6, line: '#e0604f', dash: [4, 3] },
  cycleway: { rank: 2, w: 1.6, line: '#3a6fd8', dash: [4, 3] },
  path: { rank: 2, w: 1.5, line: '#b0673f', dash: [3, 3] },
  steps: { rank: 2, w: 3, line: '#e0604f', dash: [1.5, 2] },
  track: { rank: 1, w: 1.8, line: '#8d6b3b', dash: [7, 3] },
  construction: { rank: 1, w: 2, line: '#9a9a9a', dash: [5, 4] },
};
const STREET_DEFAULT = { rank: 3, w: 2.4, fill: '#ffffff', casing: '#bdb6ab' };

const streetStyleCache = new Map();

export function streetStyle(feature, resolution) {
  const cls = feature.get('class');
  const spec = STREET_CLASSES[cls] ?? STREET_DEFAULT;
  const zoom = zoomForResolution(resolution);
  const zBucket = Math.round(Math.min(19, Math.max(10, zoom)) * 2) / 2; // half-zoom steps
  const scale = Math.min(2.2, Math.max(0.35, 2 ** ((zBucket - 16) * 0.6)));
  const key = `${cls}|${zBucket}`;
  let styles = streetStyleCache.get(key);
  if (!styles) {
    const width = Math.max(0.8, spec.w * scale);
    styles = spec.line
      ? [new Style({ stroke: new Stroke({ color: spec.line, width, lineDash: spec.dash, lineCap: 'butt' }), zIndex: 100 + spec.rank })]
      : [
          new Style({ stroke: new Stroke({ color: spec.casing, width: width + (zBucket >= 14 ? 2 : 1), lineCap: 'round' }), zIndex: spec.rank }),
          new Style({ stroke: new Stroke({ color: spec.fill, width, lineCap: 'round', lineJoin: 'round' }), zIndex: 100 + spec.rank }),
        ];
    streetStyleCache.set(key, styles);
  }
  const name = feature.get('name');
  if (name && zoom >= 16 && !spec.line) {
    return styles.concat(
      new Style({
        text: new Text({
          text: name,
          font: `${zoom >= 17 ? 12 : 11}px ${FONT}`,
          placement: 'line',
          fill: new Fill({ color: '#3d3a35' }),
          stroke: new Stroke({ color: 'rgba(255,255,255,0.95)', width: 3 }),
        }),
        zIndex: 300,
      }),
    );
  }
  return styles;
}

export const districtStyle = [
  new Style({
    stroke: new Stroke({ color: 'rgba(107, 91, 123, 0.18)', width: 8 }),
    fill: new Fill({ color: 'rgba(255, 255, 255, 0)' }), // transparent but clickable
  }),
  new Style({ stroke: new Stroke({ color: '#6b5b7b', width: 1.8, lineDash: [10, 4, 2, 4] }) }),
];

export function districtLabelStyle(feature, resolution) {
  const name = feature.get('name');
  if (!name || zoomForResolution(resolution) < 9) return null;
  return new Style({
    text: new Text({
      text: String(name).toLocaleUpperCase(getLocale()),
      font: `600 13px ${FONT}`,
      fill: new Fill({ color: '#5a4a6a' }),
      stroke: new Stroke({ color: 'rgba(255,255,255,0.9)', width: 3.5 }),
      overflow: true,
    }),
  });
}

export const neighborhoodStyle = [
  new Style({
    fill: new Fill({ color: 'rgba(200, 16, 46, 0.20)' }),
    stroke: new Stroke({ color: 'rgba(255, 255, 255, 0.85)', width: 7 }),
  }),
  new Style({ stroke: new Stroke({ color: '#b3121f', width: 3.5, lineJoin: 'round' }) }),
];

export function neighborhoodLabelStyle(feature) {
  const name = feature.get('name') ?? '';
  const text = isTrue(feature.get('isIllustrative'))
    ? [name, `bold 16px ${FONT}`, '\n', '', t('map.illustrative'), `italic 12px ${FONT}`]
    : name;
  return new Style({
    text: new Text({
      text,
      font: `bold 16px ${FONT}`,
      fill: new Fill({ color: '#7d0c17' }),
      backgroundFill: new Fill({ color: 'rgba(255,255,255,0.82)' }),
      backgroundStroke: new Stroke({ color: '#b3121f', width: 1 }),
      padding: [3, 6, 2, 6],
      overflow: true,
    }),
  });
}

/** The station symbol (circle + star) as SVG shapes: one icon on the map (symbol and label declutter as one), the same in the legend. */
export const STATION_SHAPES = [
  ['circle', { cx: 13, cy: 13, r: 11, fill: NAVY, stroke: '#ffffff', 'stroke-width': 2.5 }],
  ['polygon', { points: '13,5.6 14.9,10.6 20.2,10.8 16,14.1 17.5,19.2 13,16.2 8.5,19.2 10,14.1 5.8,10.8 11.1,10.6', fill: '#ffd54a' }],
];

function stationIconUri() {
  const shapes = STATION_SHAPES.map(([tag, attrs]) => `<${tag} ${Object.entries(attrs).map(([k, v]) => `${k}="${v}"`).join(' ')}/>`);
  const doc = `<svg xmlns="http://www.w3.org/2000/svg" width="26" height="26" viewBox="0 0 26 26">${shapes.join('')}</svg>`;
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(doc)}`;
}

const stationIcon = new Icon({ src: stationIconUri(), width: 24, height: 24 });
const stationSymbol = new Style({ image: stationIcon });

export function stationStyle(feature, resolution) {
  const name = feature.get('name');
  if (!name || zoomForResolution(resolution) < 13) return stationSymbol;
  return new Style({
    image: stationIcon,
    text: new Text({
      text: name,
      font: `600 12px ${FONT}`,
      offsetY: 21,
      fill: new Fill({ color: NAVY }),
      stroke: new Stroke({ color: 'rgba(255,255,255,0.95)', width: 3.5 }),
    }),
  });
}

export const INCIDENT_REAL = { fill: '#6a3d9a', stroke: '#ffffff' };
export const INCIDENT_SYNTHETIC = { fill: '#a98bd3', stroke: '#4b2a7a' };
const incidentStyleCache = new Map();

export function incidentStyle(feature, resolution) {
  const synthetic = isTrue(feature.get('isSynthetic'));
  const zoom = zoomForResolution(resolution);
  const radius = zoom >= 16 ? 4 : zoom >= 14 ? 3.2 : 2.4;
  const key = `${synthetic}|${radius}`;
  let style = incidentStyleCache.get(key);
  if (!style) {
    const c = synthetic ? INCIDENT_SYNTHETIC : INCIDENT_REAL;
    style = new Style({
      image: new CircleStyle({ radius, fill: new Fill({ color: c.fill }), stroke: new Stroke({ color: c.stroke, width: 1.2 }) }),
    });
    incidentStyleCache.set(key, style);
  }
  return style;
}

const selectionStyles = {
  Polygon: [
    new Style({ stroke: new Stroke({ color: 'rgba(255,255,255,0.9)', width: 7 }), fill: new Fill({ color: 'rgba(0, 160, 230, 0.10)' }) }),
    new Style({ stroke: new Stroke({ color: '#0090d0', width: 3.5 }) }),
  ],
  LineString: [
    new Style({ stroke: new Stroke({ color: 'rgba(255,255,255,0.9)', width: 10 }) }),
    new Style({ stroke: new Stroke({ color: '#0090d0', width: 5 }) }),
  ],
  Point: [
    new Style({
      image: new CircleStyle({ radius: 13, stroke: new Stroke({ color: '#0090d0', width: 3 }), fill: new Fill({ color: 'rgba(0, 160, 230, 0.12)' }) }),
    }),
  ],
};
selectionStyles.MultiPolygon = selectionStyles.Polygon;
selectionStyles.MultiLineString = selectionStyles.LineString;
selectionStyles.MultiPoint = selectionStyles.Point;

export const selectionStyle = (f) => selectionStyles[f.getGeometry()?.getType()] ?? selectionStyles.Point;

/** The neighbourhood being planned: a dark outline with a white halo. */
export const focusStyle = [
  new Style({ stroke: new Stroke({ color: 'rgba(255,255,255,0.95)', width: 7 }) }),
  new Style({ stroke: new Stroke({ color: NAVY, width: 2.5, lineDash: [10, 4] }) }),
];

// ---- planner overlays: validation problems, boundary changes ----------------------------------------------------------

function hatch(color, background) {
  const size = 8;
  const canvas = document.createElement('canvas');
  canvas.width = size;
  canvas.height = size;
  const g = canvas.getContext('2d');
  g.fillStyle = background;
  g.fillRect(0, 0, size, size);
  g.strokeStyle = color;
  g.lineWidth = 1.4;
  g.beginPath();
  for (const o of [-size, 0, size]) {
    g.moveTo(o, size);
    g.lineTo(o + size, 0);
  }
  g.stroke();
  return g.createPattern(canvas, 'repeat');
}

const problemHatch = hatch('rgba(215, 25, 28, 0.85)', 'rgba(215, 25, 28, 0.12)');
const removedHatch = hatch('rgba(215, 25, 28, 0.75)', 'rgba(215, 25, 28, 0.18)');

/** One label per feature: at the interior point of its largest polygon (not one per part of a MultiPolygon). */
export function labelPoint(feature) {
  const g = feature.getGeometry();
  if (!g) return undefined;
  if (g.getType() === 'Polygon') return g.getInteriorPoint();
  if (g.getType() === 'MultiPolygon') {
    const parts = g.getPolygons();
    if (parts.length === 0) return undefined;
    return parts.reduce((a, b) => (b.getArea() > a.getArea() ? b : a)).getInteriorPoint();
  }
  if (g.getType() === 'MultiPoint') return g.getPoint(0);
  return g;
}

function labelStyle(text, color, { offsetX = 0, offsetY = 0, textAlign } = {}) {
  return new Style({
    geometry: labelPoint,
    text: new Text({
      text,
      font: `600 12px ${FONT}`,
      fill: new Fill({ color: '#ffffff' }),
      backgroundFill: new Fill({ color }),
      backgroundStroke: new Stroke({ color: '#ffffff', width: 1.5 }),
      padding: [2, 5, 1, 5],
      offsetX,
      offsetY,
      textAlign,
      overflow: true,
    }),
    zIndex: 50,
  });
}

function crossStyles(highlight) {
  const radius = highlight ? 12 : 9;
  const cross = (r, stroke) => new RegularShape({ points: 4, radius: r, radius2: 0, angle: Math.PI / 4, stroke });
  return [
    new Style({ image: cross(radius + 1, new Stroke({ color: 'rgba(255,255,255,0.95)', width: 7 })) }),
    new Style({ image: cross(radius, new Stroke({ color: RED, width: 3.5 })) }),
  ];
}
const crossNormal = crossStyles(false);
const crossHighlight = crossStyles(true);

const problemAreaStyles = [
  new Style({ fill: new Fill({ color: problemHatch }), stroke: new Stroke({ color: 'rgba(255,255,255,0.9)', width: 4 }) }),
  new Style({ stroke: new Stroke({ color: RED, width: 2, lineDash: [6, 3] }) }),
];
const problemAreaHighlight = [
  new Style({ fill: new Fill({ color: problemHatch }), stroke: new Stroke({ color: '#ffe14d', width: 8 }) }),
  new Style({ stroke: new Stroke({ color: RED, width: 3 }) }),
];

export function problemStyle(feature) {
  const point = /Point$/.test(feature.getGeometry()?.getType() ?? '');
  const highlight = feature.get('highlight') === true;
  const label = `${feature.get('index')}. ${t(`kind.${feature.get('kind')}`)}`;
  if (point) return [...(highlight ? crossHighlight : crossNormal), labelStyle(label, RED, { offsetX: 14, textAlign: 'left' })];
  return [...(highlight ? problemAreaHighlight : problemAreaStyles), labelStyle(label, RED)];
}

const addedStyles = [new Style({ fill: new Fill({ color: 'rgba(26, 150, 65, 0.38)' }), stroke: new Stroke({ color: GREEN, width: 2 }) })];
const removedStyles = [new Style({ fill: new Fill({ color: removedHatch }), stroke: new Stroke({ color: RED, width: 2, lineDash: [6, 3] }) })];

export function diffStyle(feature) {
  const added = feature.get('change') === 'added';
  const area = feature.get('areaM2');
  const base = added ? addedStyles : removedStyles;
  if (!Number.isFinite(Number(area))) return base;
  return [...base, labelStyle(`${added ? '+' : '−'}${fmtArea(area)}`, added ? GREEN : RED)];
}

// ---- sectors, coverage, routes ------------------------------------------------------------------------------------

const sectorStyleCache = new Map();

export function sectorStyle(feature) {
  const index = Number(feature.get('sector'));
  const highlight = feature.get('highlight') === true;
  const key = `${index}|${highlight}|${getLocale()}|${feature.get('workload')}`;
  let styles = sectorStyleCache.get(key);
  if (styles) return styles;
  const color = sectorColor(index);
  const text = t('sectors.mapLabel', { s: index + 1, w: fmt(Number(feature.get('workload')), 1) });
  styles = [
    new Style({
      fill: new Fill({ color: rgba(color, highlight ? 0.62 : 0.42) }),
      stroke: new Stroke({ color: '#ffffff', width: highlight ? 4 : 2.5 }),
    }),
    ...(highlight ? [new Style({ stroke: new Stroke({ color: '#14202b', width: 1.5 }) })] : []),
    new Style({
      geometry: labelPoint,
      text: new Text({
        text,
        font: `700 12px ${FONT}`,
        fill: new Fill({ color: inkOn(color) }),
        backgroundFill: new Fill({ color }),
        backgroundStroke: new Stroke({ color: '#ffffff', width: 1.5 }),
        padding: [3, 6, 2, 6],
        overflow: true,
      }),
      zIndex: 60,
    }),
  ];
  if (sectorStyleCache.size > 400) sectorStyleCache.clear();
  sectorStyleCache.set(key, styles);
  return styles;
}

export const clearSectorStyles = () => sectorStyleCache.clear();

const coverageStyles = {
  covered: [
    new Style({ stroke: new Stroke({ color: 'rgba(255,255,255,0.85)', width: 6, lineCap: 'round' }), zIndex: 1 }),
    new Style({ stroke: new Stroke({ color: COVERAGE_COLORS.covered, width: 3.2, lineCap: 'round' }), zIndex: 2 }),
  ],
  backup: [
    new Style({ stroke: new Stroke({ color: 'rgba(255,255,255,0.9)', width: 8.5, lineCap: 'round' }), zIndex: 3 }),
    new Style({ stroke: new Stroke({ color: COVERAGE_COLORS.backup, width: 5.5, lineCap: 'round' }), zIndex: 4 }),
  ],
  uncovered: [
    new Style({ stroke: new Stroke({ color: 'rgba(255,255,255,0.75)', width: 5, lineCap: 'butt' }), zIndex: 0 }),
    new Style({ stroke: new Stroke({ color: COVERAGE_COLORS.uncovered, width: 2.4, lineDash: [7, 5], lineCap: 'butt' }), zIndex: 0.5 }),
  ],
  outside: [new Style({ stroke: new Stroke({ color: COVERAGE_COLORS.outside, width: 3, lineCap: 'round', lineJoin: 'round' }), zIndex: -1 })],
};

const unitStyleCache = new Map();
function unitStyle(feature) {
  const name = feature.get('name') ?? '';
  let s = unitStyleCache.get(name);
  if (!s) {
    s = [
      new Style({
        image: new RegularShape({
          points: 4,
          radius: 6.5,
          angle: Math.PI / 4,
          fill: new Fill({ color: NAVY }),
          stroke: new Stroke({ color: '#ffffff', width: 2 }),
        }),
        text: new Text({
          text: name,
          font: `700 11px ${FONT}`,
          offsetY: -13,
          fill: new Fill({ color: NAVY }),
          stroke: new Stroke({ color: '#ffffff', width: 3 }),
        }),
        zIndex: 10,
      }),
    ];
    unitStyleCache.set(name, s);
  }
  return s;
}

export const clearUnitStyles = () => unitStyleCache.clear();

export function coverageStyle(feature) {
  if (feature.get('kind') === 'unit') return unitStyle(feature);
  return coverageStyles[feature.get('status')] ?? coverageStyles.uncovered;
}

/** Arrows along a line every 280 pixels (at most 16 per track: sparse), pointing the way the route goes. */
function arrowStyles(geometry, resolution, color) {
  const coords = geometry.getCoordinates();
  const spacing = 280 * resolution;
  const out = [];
  let next = spacing / 2;
  let run = 0;
  for (let i = 1; i < coords.length && out.length < 16; i++) {
    const [x0, y0] = coords[i - 1];
    const [x1, y1] = coords[i];
    const len = Math.hypot(x1 - x0, y1 - y0);
    if (len === 0) continue;
    while (run + len >= next && out.length < 16) {
      const f = (next - run) / len;
      out.push(
        new Style({
          geometry: new ol.geom.Point([x0 + (x1 - x0) * f, y0 + (y1 - y0) * f]),
          image: new RegularShape({
            points: 3,
            radius: 5.5,
            rotation: Math.PI / 2 - Math.atan2(y1 - y0, x1 - x0),
            rotateWithView: true,
            fill: new Fill({ color }),
            stroke: new Stroke({ color: '#ffffff', width: 1.5 }),
          }),
          zIndex: 20,
        }),
      );
      next += spacing;
    }
    run += len;
  }
  return out;
}

const trackStyleCache = new Map();

export function routeStyle(feature, resolution) {
  const color = sectorColor(Number(feature.get('sector')));
  if (feature.get('kind') === 'stop') {
    // Several stops at one place are one marker with their count (stops.js); a single stop shows its number.
    const many = Number(feature.get('count')) > 1;
    const highlight = feature.get('highlight') === true;
    return new Style({
      image: new CircleStyle({ radius: many ? 11.5 : 9, fill: new Fill({ color }), stroke: new Stroke({ color: highlight ? '#ffe14d' : '#14202b', width: highlight ? 3 : 1.5 }) }),
      text: new Text({ text: many ? `×${feature.get('count')}` : String(feature.get('stop') ?? ''), font: `700 10.5px ${FONT}`, fill: new Fill({ color: inkOn(color) }) }),
      zIndex: 30,
    });
  }
  const key = `${feature.getId()}|${resolution}`;
  let styles = trackStyleCache.get(key);
  if (styles) return styles;
  styles = [
    new Style({ stroke: new Stroke({ color: 'rgba(20,32,43,0.8)', width: 6, lineCap: 'round', lineJoin: 'round' }), zIndex: 1 }),
    new Style({ stroke: new Stroke({ color, width: 3.5, lineCap: 'round', lineJoin: 'round' }), zIndex: 2 }),
    ...arrowStyles(feature.getGeometry(), resolution, color),
  ];
  if (trackStyleCache.size > 200) trackStyleCache.clear();
  trackStyleCache.set(key, styles);
  return styles;
}

export const clearTrackStyles = () => trackStyleCache.clear();
