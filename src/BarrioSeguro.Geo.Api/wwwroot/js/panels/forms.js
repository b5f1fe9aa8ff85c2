// "Registro de datos" (issue 12, forms): what chiefs and planners enter by hand.
// - Contingents: "Nuevo contingente", the list with Editar / Eliminar (officers, shifts, availability %, mode, officers
//   per unit, serenazgo units) — POST /api/contingents, PUT/DELETE /api/contingents/{id} with If-Match.
// - Points: "Agregar comisaría", "Agregar punto caliente", "Agregar incidente": a click on the map places the point,
//   then a form takes its attributes (POST /api/stations | hotspots | incidents). With the panel open, a click on a
//   station, hot spot or incident opens it for editing (PUT / DELETE with If-Match).
// - "Importar incidentes (CSV)": a file, its CRS, a preview of the first rows, "Validar" (a dry run) and "Importar";
//   the server's errors listed by line and column.
// Every form is checked before it is sent; the server's refusal is shown next to the field it names (`parameter`),
// said from its note (code and args) in the viewer's language; a 412 says who changed it and offers "Recargar".
// #forms-panel[data-state] is 'idle' | 'picking' | 'editing' | 'saving' | 'saved' | 'error' | 'conflict'.

import { t, getLang } from '../i18n.js';
import { el, fill, byId } from '../dom.js';
import { fmtDateTime } from '../format.js';
import { request, session, ApiError } from '../api.js';
import { noteText } from '../notes.js';
import { on } from '../events.js';
import { map, layers } from '../map.js';

const ROLES = {
  contingents: new Set(['chief', 'admin']),
  stations: new Set(['planner', 'admin']),
  hotspots: new Set(['chief', 'admin']),
  incidents: new Set(['chief', 'admin']),
};
const MODES = { foot: [2], bike: [1, 2], moto: [2], car: [2, 3] };
const LIMA_OFFSET = '-05:00';
const CRS_CHOICES = ['EPSG:4326', 'EPSG:32717', 'EPSG:32718', 'EPSG:32719', 'EPSG:31977', 'EPSG:24877'];

// ---- hot spots layer (the other point kinds have theirs in map.js) -----------------------------------------------

const hotspotSource = new ol.source.Vector();
const hotspotStyle = new ol.style.Style({
  image: new ol.style.RegularShape({
    points: 3, radius: 9, fill: new ol.style.Fill({ color: '#d35400' }), stroke: new ol.style.Stroke({ color: '#fff', width: 1.5 }),
  }),
});
const hotspotLayer = new ol.layer.Vector({ source: hotspotSource, style: hotspotStyle, zIndex: 900, properties: { name: 'hotspots-entry' } });
const pickSource = new ol.source.Vector();
const pickLayer = new ol.layer.Vector({
  source: pickSource,
  zIndex: 1030,
  style: new ol.style.Style({
    image: new ol.style.Circle({ radius: 8, fill: new ol.style.Fill({ color: 'rgba(39,174,96,.5)' }), stroke: new ol.style.Stroke({ color: '#1e8449', width: 2 }) }),
  }),
  properties: { name: 'forms-pick' },
});
map.addLayer(hotspotLayer);
map.addLayer(pickLayer);

const state = {
  picking: null, // 'stations' | 'hotspots' | 'incidents' while waiting for a click on the map
  kind: null, // the kind of the open form
  id: null, // the entry edited (null: a new one)
  etag: null, // its ETag when read (If-Match)
  lonLat: null,
};

const canEnter = (kind) => ROLES[kind].has(session()?.role);
const anyRole = () => Object.keys(ROLES).some(canEnter);
export const isPicking = () => state.picking !== null;

// ---- the panel ----------------------------------------------------------------------------------------------------

const panel = el('section', { class: 'panel panel-planner panel-forms', id: 'forms-panel', hidden: true, 'aria-labelledby': 'forms-title' });
byId('layers-panel')?.before(panel);

function setState(s) {
  panel.dataset.state = s;
}

function toolbar() {
  const button = (id, key, kind, fn) => (canEnter(kind)
    ? el('button', { type: 'button', id, class: 'action-btn', 'aria-label': t(key), on: { click: fn } }, t(key))
    : null);
  return el('div', { class: 'forms-tools', role: 'toolbar', 'aria-label': t('forms.title') },
    button('forms-new-contingent', 'forms.newContingent', 'contingents', () => openContingent(null)),
    button('forms-add-station', 'forms.addStation', 'stations', () => startPicking('stations')),
    button('forms-add-hotspot', 'forms.addHotspot', 'hotspots', () => startPicking('hotspots')),
    button('forms-add-incident', 'forms.addIncident', 'incidents', () => startPicking('incidents')),
    button('forms-csv-open', 'forms.importCsv', 'incidents', openImport));
}

const body = el('div', { id: 'forms-body', class: 'forms-body', 'aria-live': 'polite' });
const list = el('div', { id: 'forms-contingents', class: 'forms-list' });

function render() {
  panel.hidden = !anyRole();
  if (panel.hidden) return;
  fill(panel,
    el('div', { class: 'panel-head' }, el('h2', { id: 'forms-title' }, t('forms.title'))),
    el('p', { class: 'hint' }, t('forms.hint')),
    toolbar(), body, list);
  if (!panel.dataset.state) setState('idle');
  if (canEnter('contingents')) renderContingents().catch(() => {});
}

// ---- contingents --------------------------------------------------------------------------------------------------

async function renderContingents() {
  const { body: all } = await request('api/contingents');
  fill(list,
    el('h3', { class: 'sectors-title' }, t('forms.contingents')),
    all.length === 0 ? el('p', { class: 'hint' }, t('forms.noContingents')) : el('ul', { class: 'forms-items' }, all.map((c) => el('li', { dataset: { contingentId: c.id } },
      el('span', { class: 'forms-item-name' }, c.name),
      el('span', { class: 'forms-item-meta' }, t('forms.contingentLine', { officers: c.officers, shifts: c.shifts })),
      el('button', { type: 'button', class: 'action-btn is-small', 'aria-label': `${t('forms.edit')} ${c.name}`, on: { click: () => openContingent(c.id) } }, t('forms.edit'))))));
}

const FIELDS = {
  contingents: [
    { name: 'neighborhoodId', type: 'neighborhood' },
    { name: 'name', type: 'text', required: true, max: 200 },
    { name: 'officers', type: 'int', required: true, min: 1, max: 10000 },
    { name: 'shifts', type: 'int', required: true, min: 1, max: 24, value: 3 },
    { name: 'availability', type: 'pct', required: true, min: 1, max: 100, value: 100 },
    { name: 'mode', type: 'mode', value: 'foot' },
    { name: 'crewSize', type: 'int', required: true, min: 1, max: 3, value: 2 },
    { name: 'jointUnits', type: 'int', required: true, min: 0, max: 1000, value: 0 },
  ],
  stations: [
    { name: 'name', type: 'text', required: true, max: 200 },
    { name: 'operator', type: 'text', max: 200 },
  ],
  hotspots: [
    { name: 'name', type: 'text', required: true, max: 200 },
    { name: 'description', type: 'area', max: 4000 },
  ],
  incidents: [
    { name: 'category', type: 'text', required: true, max: 100 },
    { name: 'occurredAt', type: 'datetime', required: true },
  ],
};

function neighborhoodOptions(selected) {
  const features = layers.neighborhoods.getSource().getFeatures().slice().sort((a, b) => String(a.get('name')).localeCompare(String(b.get('name'))));
  const current = selected ?? Number(byId('planner-panel')?.dataset.neighborhoodId) ?? null;
  return features.map((f) => el('option', { value: String(f.get('id')), selected: Number(f.get('id')) === Number(current) || undefined }, f.get('name')));
}

function input(field, value) {
  const id = `forms-${field.name}`;
  // Named by its label's own text (not the error shown inside the label too): aria-labelledby.
  const common = { id, name: field.name, 'aria-labelledby': `${id}-label`, 'aria-describedby': `${id}-error`, required: field.required || undefined };
  switch (field.type) {
    case 'neighborhood':
      return el('select', common, neighborhoodOptions(value));
    case 'mode':
      return el('select', common, Object.keys(MODES).map((m) => el('option', { value: m, selected: m === value || undefined }, t(`forms.mode.${m}`))));
    case 'int':
    case 'pct':
      return el('input', { ...common, type: 'number', step: '1', min: String(field.min), max: String(field.max), inputmode: 'numeric', value: value ?? field.value ?? '' });
    case 'datetime':
      return el('input', { ...common, type: 'datetime-local', value: value ?? '' });
    case 'area':
      return el('textarea', { ...common, rows: 2, maxlength: String(field.max) }, value ?? '');
    default:
      return el('input', { ...common, type: 'text', maxlength: String(field.max), autocomplete: 'off', value: value ?? '' });
  }
}

function fieldRow(kind, field, value) {
  return el('label', { class: 'field', for: `forms-${field.name}`, dataset: { field: field.name } },
    el('span', { id: `forms-${field.name}-label` }, t(`forms.field.${field.name}`)),
    input(field, value),
    el('span', { class: 'forms-error', id: `forms-${field.name}-error`, role: 'alert', hidden: true }));
}

/** The form of a kind with its values (an entry read from the server, or the defaults). */
function renderForm(kind, values, asTyped = false) {
  const form = el('form', { id: 'forms-form', class: 'forms-form', novalidate: true, dataset: { kind }, on: { submit: (e) => { e.preventDefault(); save().catch(() => {}); } } },
    el('h3', { class: 'sectors-title', id: 'forms-form-title' }, t(state.id ? `forms.edit.${kind}` : `forms.new.${kind}`)),
    FIELDS[kind].map((f) => fieldRow(kind, f, asTyped ? values?.[f.name] : shown(f, values?.[f.name]))),
    state.lonLat ? el('p', { class: 'hint', id: 'forms-place' }, t('forms.place', { lon: state.lonLat[0].toFixed(6), lat: state.lonLat[1].toFixed(6) })) : null,
    el('div', { class: 'planner-row' },
      el('button', { type: 'submit', id: 'forms-save', class: 'action-btn is-primary' }, t(state.id ? 'forms.saveChanges' : 'forms.save')),
      state.id ? el('button', { type: 'button', id: 'forms-delete', class: 'action-btn', on: { click: () => remove().catch(() => {}) } }, t('forms.delete')) : null,
      el('button', { type: 'button', id: 'forms-cancel', class: 'action-btn', on: { click: closeForm } }, t('forms.cancel'))),
    el('div', { id: 'forms-result', 'aria-live': 'polite' }));
  fill(body, form);
  setState('editing');
  form.querySelector('input, select, textarea')?.focus();
}

/** A value as the form shows it: availability as %, a date-time in Lima's clock. */
function shown(field, value) {
  if (value === undefined || value === null) return undefined;
  if (field.type === 'pct') return String(Math.round(Number(value) * 1000) / 10);
  if (field.type === 'datetime') return String(value).slice(0, 16); // "2024-05-04T21:30" of "2024-05-04T21:30:00-05:00"
  return value;
}

async function openContingent(id) {
  stopPicking();
  state.kind = 'contingents';
  state.id = id;
  state.lonLat = null;
  state.etag = null;
  if (id === null) {
    renderForm('contingents', null);
    return;
  }
  const { body: c, response } = await request(`api/contingents/${id}`);
  state.etag = response.headers.get('ETag');
  renderForm('contingents', c);
}

// ---- points -------------------------------------------------------------------------------------------------------

function startPicking(kind) {
  closeForm();
  state.picking = kind;
  setState('picking');
  fill(body, el('p', { class: 'planner-msg is-muted', id: 'forms-pick-hint' }, t('forms.pickHint', { what: t(`forms.what.${kind}`) })),
    el('button', { type: 'button', class: 'action-btn', id: 'forms-pick-cancel', on: { click: closeForm } }, t('forms.cancel')));
  map.getTargetElement().style.cursor = 'crosshair';
}

function stopPicking() {
  state.picking = null;
  const target = map.getTargetElement();
  if (target) target.style.cursor = '';
}

function placePick(lonLat) {
  pickSource.clear();
  pickSource.addFeature(new ol.Feature(new ol.geom.Point(ol.proj.fromLonLat(lonLat))));
}

async function openPoint(kind, id) {
  stopPicking();
  const { body: entry, response } = await request(`api/${kind}/${id}`);
  state.kind = kind;
  state.id = id;
  state.etag = response.headers.get('ETag');
  state.lonLat = [entry.lon, entry.lat];
  placePick(state.lonLat);
  renderForm(kind, entry);
}

// Registered before main.js's listener (imported first): a pick click places the point and goes no further.
map.on('singleclick', (evt) => {
  if (panel.hidden) return;
  if (state.picking) {
    const kind = state.picking;
    stopPicking();
    state.kind = kind;
    state.id = null;
    state.etag = null;
    state.lonLat = ol.proj.toLonLat(evt.coordinate).map((v) => Math.round(v * 1e7) / 1e7);
    placePick(state.lonLat);
    renderForm(kind, kind === 'incidents' ? { occurredAt: limaNow() } : null);
    evt.stopPropagation();
    return;
  }
  // With the panel open, a click on an entry the user may change opens it (the information panel shows it too).
  const hit = [];
  map.forEachFeatureAtPixel(evt.pixel, (feature, layer) => {
    const name = layer?.get('name');
    const kind = name === 'hotspots-entry' ? 'hotspots' : name === 'stations' || name === 'incidents' ? name : null;
    if (kind && canEnter(kind) && feature.get('id') !== undefined) hit.push({ kind, id: feature.get('id') });
  }, { hitTolerance: 4 });
  if (hit.length > 0 && !byId('forms-form')) openPoint(hit[0].kind, hit[0].id).catch((err) => showFailure(err));
});

function limaNow() {
  const lima = new Date(Date.now() - 5 * 3600 * 1000);
  return lima.toISOString().slice(0, 16);
}

async function loadHotspots() {
  if (!session()) return;
  const { body: all } = await request('api/hotspots');
  hotspotSource.clear();
  hotspotSource.addFeatures(all.map((h) => {
    const f = new ol.Feature({ geometry: new ol.geom.Point(ol.proj.fromLonLat([h.lon, h.lat])), ...h });
    f.setId(`hotspot-${h.id}`);
    return f;
  }));
}

// ---- checking and sending -----------------------------------------------------------------------------------------

function clearErrors() {
  for (const e of body.querySelectorAll('.forms-error')) {
    e.hidden = true;
    e.textContent = '';
  }
  for (const i of body.querySelectorAll('[aria-invalid]')) i.removeAttribute('aria-invalid');
}

function showFieldError(name, text) {
  const box = byId(`forms-${name}-error`);
  const control = byId(`forms-${name}`);
  if (!box) return false;
  box.textContent = text;
  box.hidden = false;
  control?.setAttribute('aria-invalid', 'true');
  control?.focus();
  return true;
}

/** The JSON body of the form, or null after showing what is wrong in it (nothing is sent then). */
function readForm(kind) {
  clearErrors();
  const out = {};
  const errors = [];
  for (const f of FIELDS[kind]) {
    const raw = byId(`forms-${f.name}`).value.trim();
    const label = t(`forms.field.${f.name}`);
    if (raw === '') {
      if (f.required) errors.push([f.name, t('forms.err.required', { field: label })]);
      else out[f.name] = null;
      continue;
    }
    if (f.type === 'int' || f.type === 'pct' || f.type === 'neighborhood') {
      const n = Number(raw);
      if (!Number.isInteger(n)) {
        errors.push([f.name, t('forms.err.integer', { field: label })]);
        continue;
      }
      if (f.min !== undefined && (n < f.min || n > f.max)) {
        errors.push([f.name, t('forms.err.range', { field: label, min: f.min, max: f.max })]);
        continue;
      }
      out[f.name] = f.type === 'pct' ? n / 100 : n;
    } else if (f.type === 'datetime') {
      out[f.name] = `${raw}${raw.length === 16 ? ':00' : ''}${LIMA_OFFSET}`; // the form's clock is Lima's
    } else {
      if (raw.length > f.max) errors.push([f.name, t('forms.err.tooLong', { field: label, max: f.max })]);
      out[f.name] = raw;
    }
  }
  if (kind === 'contingents' && out.mode && Number.isInteger(out.crewSize) && !MODES[out.mode].includes(out.crewSize)) {
    errors.push(['crewSize', t('forms.err.crew', { mode: t(`forms.mode.${out.mode}`), allowed: MODES[out.mode].join(', ') })]);
  }
  if (state.lonLat) [out.lon, out.lat] = state.lonLat;
  if (errors.length > 0) {
    for (const [name, text] of errors.reverse()) showFieldError(name, text);
    setState('error');
    return null;
  }
  return out;
}

function result(...children) {
  const box = byId('forms-result');
  if (box) fill(box, ...children);
}

/** A refusal next to its field, said from its note in the viewer's language; a 412 with "Recargar". */
function showFailure(err) {
  const p = err instanceof ApiError ? err.body : null;
  if (err instanceof ApiError && err.status === 412) {
    setState('conflict');
    result(el('div', { class: 'planner-msg is-error', id: 'forms-conflict', role: 'alert' },
      t('forms.conflict', { version: p?.currentVersion ?? '?', who: p?.changedBy ?? '?', when: p?.changedAt ? fmtDateTime(p.changedAt) : '?' }),
      ' ',
      el('button', { type: 'button', id: 'forms-reload', class: 'action-btn is-small', on: { click: () => reload().catch(showFailure) } }, t('forms.reload'))));
    return;
  }
  setState('error');
  const said = p?.code && p?.args ? noteText({ code: p.code, args: p.args, text: p.detail }) : null;
  if (p?.parameter && said && showFieldError(p.parameter, said)) {
    result(el('p', { class: 'planner-msg is-error', id: 'forms-error', role: 'alert' }, `${p.title ?? ''}: ${said}`));
    return;
  }
  const text = err instanceof ApiError && err.kind === 'http'
    ? [t('error.http', { status: err.status }), p?.title, said ?? (getLang() === 'es' && p?.code ? null : p?.detail)].filter(Boolean).join(' — ')
    : t('error.network');
  result(el('p', { class: 'planner-msg is-error', id: 'forms-error', role: 'alert' }, text));
}

async function save() {
  const kind = state.kind;
  const json = readForm(kind);
  if (!json) return;
  setState('saving');
  try {
    const path = state.id ? `api/${kind}/${state.id}` : `api/${kind}`;
    const { body: saved, response } = await request(path, {
      method: state.id ? 'PUT' : 'POST',
      json,
      headers: state.id ? { 'If-Match': state.etag ?? '' } : {},
    });
    state.id = saved.id;
    state.etag = response.headers.get('ETag');
    await afterChange(kind);
    renderForm(kind, saved);
    setState('saved');
    result(el('p', { class: 'planner-msg is-muted', id: 'forms-saved', dataset: { id: saved.id } }, t('forms.saved', { what: t(`forms.what.${kind}`), id: saved.id })));
  } catch (err) {
    showFailure(err);
    throw err;
  }
}

async function remove() {
  const kind = state.kind;
  if (!state.id) return;
  setState('saving');
  try {
    await request(`api/${kind}/${state.id}`, { method: 'DELETE', headers: { 'If-Match': state.etag ?? '' } });
    const id = state.id;
    closeForm();
    await afterChange(kind);
    fill(body, el('p', { class: 'planner-msg is-muted', id: 'forms-deleted' }, t('forms.deleted', { what: t(`forms.what.${kind}`), id })));
    setState('saved');
  } catch (err) {
    showFailure(err);
    throw err;
  }
}

/** Reads the current version again into the form (after a 412). */
async function reload() {
  if (state.kind === 'contingents') await openContingent(state.id);
  else await openPoint(state.kind, state.id);
  result(el('p', { class: 'planner-msg is-muted', id: 'forms-reloaded' }, t('forms.reloaded')));
}

async function afterChange(kind) {
  if (kind === 'contingents') await renderContingents();
  else if (kind === 'hotspots') await loadHotspots();
  else await refreshLayer(layers[kind]);
}

function refreshLayer(layer) {
  const source = layer?.getSource();
  if (!source) return Promise.resolve();
  const loaded = new Promise((resolve) => {
    source.once('featuresloadend', resolve);
    source.once('featuresloaderror', resolve);
    setTimeout(resolve, 10_000); // a bbox layer out of view loads nothing: do not wait for it
  });
  source.refresh();
  map.render();
  return loaded;
}

function closeForm() {
  stopPicking();
  pickSource.clear();
  state.kind = null;
  state.id = null;
  state.etag = null;
  state.lonLat = null;
  fill(body);
  setState('idle');
}

// ---- CSV import ---------------------------------------------------------------------------------------------------

const csv = { text: null, name: null };

function openImport() {
  closeForm();
  state.kind = 'csv';
  const file = el('input', { type: 'file', id: 'forms-csv-file', accept: '.csv,text/csv', 'aria-label': t('forms.csvFile'), on: { change: () => readFile(file.files[0]) } });
  const crs = el('select', { id: 'forms-csv-crs', 'aria-label': t('forms.csvCrs') }, CRS_CHOICES.map((c) => el('option', { value: c }, t(`forms.crs.${c}`))));
  fill(body, el('div', { class: 'forms-form', id: 'forms-csv-form' },
    el('h3', { class: 'sectors-title' }, t('forms.importCsv')),
    el('p', { class: 'hint' }, t('forms.csvHint')),
    el('label', { class: 'field', for: 'forms-csv-file' }, el('span', null, t('forms.csvFile')), file),
    el('label', { class: 'field', for: 'forms-csv-crs' }, el('span', null, t('forms.csvCrs')), crs),
    el('div', { id: 'forms-csv-preview', class: 'forms-preview' }),
    el('div', { class: 'planner-row' },
      el('button', { type: 'button', id: 'forms-csv-check', class: 'action-btn', disabled: true, on: { click: () => sendCsv(true).catch(() => {}) } }, t('forms.csvCheck')),
      el('button', { type: 'button', id: 'forms-csv-send', class: 'action-btn is-primary', disabled: true, on: { click: () => sendCsv(false).catch(() => {}) } }, t('forms.csvImport')),
      el('button', { type: 'button', id: 'forms-cancel', class: 'action-btn', on: { click: closeForm } }, t('forms.cancel'))),
    el('div', { id: 'forms-result', 'aria-live': 'polite' })));
  setState('editing');
}

async function readFile(file) {
  if (!file) return;
  csv.text = await file.text();
  csv.name = file.name;
  const lines = csv.text.replace(/^\uFEFF/, '').split(/\r?\n/).filter((l) => l.trim() !== '');
  const sep = (lines[0]?.split(';').length ?? 0) > (lines[0]?.split(',').length ?? 0) ? ';' : ',';
  const rows = lines.slice(0, 6).map((l) => l.split(sep));
  fill(byId('forms-csv-preview'),
    el('p', { class: 'hint', id: 'forms-csv-rows' }, t('forms.csvRows', { n: Math.max(0, lines.length - 1), file: file.name })),
    rows.length ? el('div', { class: 'table-scroll' }, el('table', { class: 'forms-table', id: 'forms-csv-table' },
      el('thead', null, el('tr', null, rows[0].map((h) => el('th', null, h.trim())))),
      el('tbody', null, rows.slice(1).map((r) => el('tr', null, r.map((c) => el('td', null, c.trim()))))))) : null);
  byId('forms-csv-check').disabled = false;
  byId('forms-csv-send').disabled = false;
  result();
}

async function sendCsv(dryRun) {
  if (!csv.text) return;
  const crs = byId('forms-csv-crs').value;
  const params = new URLSearchParams();
  if (crs !== 'EPSG:4326') params.set('crs', crs);
  if (dryRun) params.set('dryRun', 'true');
  setState('saving');
  let answer;
  try {
    ({ body: answer } = await request(`api/incidents/import?${params}`, { method: 'POST', text: csv.text, contentType: 'text/csv' }));
  } catch (err) {
    setState('error');
    const p = err instanceof ApiError ? err.body : null;
    if (p?.errors) {
      result(el('div', { class: 'planner-msg is-error', id: 'forms-csv-errors', role: 'alert' },
        el('p', null, noteText({ code: p.code, args: p.args, text: p.detail })),
        el('div', { class: 'table-scroll' }, el('table', { class: 'forms-table' },
          el('thead', null, el('tr', null, el('th', null, t('forms.csvLine')), el('th', null, t('forms.csvColumn')), el('th', null, t('forms.csvReason')))),
          el('tbody', null, p.errors.map((e) => el('tr', { dataset: { line: e.line } },
            el('td', { class: 'num' }, String(e.line)), el('td', null, e.column), el('td', null, noteText({ code: e.code, args: e.args, text: e.text })))))))));
    } else {
      showFailure(err);
    }
    return;
  }
  setState('saved');
  if (dryRun) {
    result(el('p', { class: 'planner-msg is-muted', id: 'forms-csv-valid' }, t('forms.csvValid', { n: answer.valid })));
    return;
  }
  result(el('p', { class: 'planner-msg is-muted', id: 'forms-csv-imported', dataset: { imported: answer.imported } }, t('forms.csvImported', { n: answer.imported })));
  await refreshLayer(layers.incidents);
}

// ---- start --------------------------------------------------------------------------------------------------------

render();
loadHotspots().catch(() => {});
on('language', () => {
  const open = state.kind;
  // What was typed stays: the form is built again in the new language with the values as they stand.
  const typed = open && open !== 'csv' ? Object.fromEntries(FIELDS[open].map((f) => [f.name, byId(`forms-${f.name}`)?.value])) : null;
  render();
  if (open === 'csv') openImport();
  else if (open) renderForm(open, typed, true);
});

