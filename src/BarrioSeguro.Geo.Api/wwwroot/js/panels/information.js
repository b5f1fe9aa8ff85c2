// "Detalle del elemento": the properties of the features under a click, with units and translated values.

import { t, has } from '../i18n.js';
import { el, fill, byId } from '../dom.js';
import { fmt, fmtDateTime, yesNo, isTrue } from '../format.js';
import { layers, selectionSource } from '../map.js';

const FIELDS = {
  districts: ['name', 'ubigeo', 'province', 'department'],
  neighborhoods: ['name', 'areaKm2', 'districtUbigeo', 'status', 'version', 'isIllustrative', 'description', 'id'],
  stations: ['name', 'operator', 'osmId', 'id'],
  streets: ['name', 'class', 'oneway', 'osmId', 'id'],
  incidents: ['category', 'occurredAt', 'isSynthetic', 'id'],
};

const box = byId('feature-info');
const closeButton = byId('feature-info-close');

let selected = []; // [{key, feature}], top-most first

function districtName(ubigeo) {
  const f = layers.districts
    .getSource()
    .getFeatures()
    .find((d) => String(d.get('ubigeo')) === String(ubigeo));
  return f ? f.get('name') : null;
}

const sub = (...text) => el('span', { class: 'sub' }, ...text);

/** The nodes showing one property value. */
function formatValue(prop, value) {
  if (value === null || value === undefined || value === '') {
    return prop === 'name' ? el('em', null, t('value.unnamed')) : sub(t('value.empty'));
  }
  switch (prop) {
    case 'areaKm2': {
      const n = Number(value);
      return Number.isFinite(n) ? `${fmt(n, 2)} km²` : String(value);
    }
    case 'isIllustrative':
      return isTrue(value) ? t('value.illustrativeYes') : t('value.no');
    case 'isSynthetic':
      return isTrue(value) ? t('value.synthetic') : t('value.real');
    case 'oneway':
      return yesNo(isTrue(value) || value === 'yes');
    case 'occurredAt':
      return [fmtDateTime(value), ' ', sub(`${t('value.timeZone')} · `, el('time', { datetime: String(value) }, String(value)))];
    case 'status': {
      // i18n (issue 12): the service says the status as its enum name ("Active"); the viewer says it from its code.
      const code = String(value).toLowerCase();
      return has(`status.${code}`) ? t(`status.${code}`) : String(value);
    }
    case 'layer':
      return [String(value), ' ', sub(t('value.layerLevel'))];
    case 'class':
      return has(`class.${value}`) ? [t(`class.${value}`), ' ', sub(`highway=${value}`)] : `highway=${value}`;
    case 'districtUbigeo': {
      const name = districtName(value);
      return name ? [name, ' ', sub(`ubigeo ${value}`)] : String(value);
    }
    default:
      return typeof value === 'boolean' ? yesNo(value) : String(value);
  }
}

function card({ key, feature }) {
  const props = feature.getProperties();
  delete props[feature.getGeometryName()];
  const known = FIELDS[key] ?? [];
  const keys = [...known, ...Object.keys(props).filter((p) => !known.includes(p))];
  const title =
    key === 'incidents'
      ? (props.category ?? t('layer.incidents'))
      : key === 'streets' && !props.name
        ? t('value.unnamed')
        : (props.name ?? feature.getId() ?? '');
  const badge = key === 'incidents' && isTrue(props.isSynthetic) ? el('span', { class: 'badge-synthetic' }, t('value.syntheticBadge')) : null;
  const rows = keys
    .filter((p) => p !== 'name' && !(key === 'incidents' && p === 'category')) // both shown as the title
    .map((p) =>
      el('tr', { dataset: { prop: p } }, el('th', { scope: 'row' }, has(`prop.${p}`) ? t(`prop.${p}`) : p), el('td', null, formatValue(p, props[p]))),
    );
  return el(
    'article',
    { class: 'feature-card', dataset: { layer: key, featureId: feature.getId() ?? '' } },
    el('h3', null, el('span', { class: 'layer-tag', dataset: { layer: key } }, t(`layer.${key}`)), el('span', { class: 'feature-title' }, String(title)), badge),
    el('table', { class: 'props' }, el('tbody', null, rows)),
  );
}

export function renderInformation() {
  closeButton.hidden = selected.length === 0;
  if (selected.length === 0) fill(box, el('p', { class: 'hint' }, t('panel.infoHint')));
  else fill(box, selected.map(card));
}

/** Shows these hits ([{key, feature}], top-most first) and highlights the first on the map. */
export function select(hits) {
  selected = hits;
  selectionSource.clear();
  // Highlight the top-most hit only (a district is highlighted only when nothing else was hit).
  if (hits.length > 0) selectionSource.addFeature(new ol.Feature(hits[0].feature.getGeometry().clone()));
  renderInformation();
}

/** Shows a neighbourhood unless it is shown already (the planner's selection). */
export function showNeighborhood(feature) {
  if (!selected.some((s) => s.feature === feature)) select([{ key: 'neighborhoods', feature }]);
}

closeButton.addEventListener('click', () => select([]));
