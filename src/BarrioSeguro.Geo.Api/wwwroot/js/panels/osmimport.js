// "Importar OpenStreetMap" (issue 13.1, part osm): a planner uploads an OpenStreetMap PBF extract for a district
// (POST /api/imports/osm, multipart: file, district, jobId). While the upload runs the panel asks
// GET /api/imports/osm/{jobId} how far it got (stage and percent) and shows it with "Cancelar", as the other long tasks
// do; then it says what was loaded (the server's notes, said in the viewer's language) and draws the new streets.
// #osmimport-panel[data-state] 'idle' | 'busy' | 'done' | 'error' | 'cancelled'. Shown to planners and admins only.

import { t } from '../i18n.js';
import { el, fill, byId } from '../dom.js';
import { request, session, isAbort, failure } from '../api.js';
import { noteText } from '../notes.js';
import { fmt } from '../format.js';
import { on, emit } from '../events.js';
import { layers } from '../map.js';

const root = byId('osmimport-panel');
const ROLES = new Set(['planner', 'admin']);
const POLL_MS = 400;
let dom = null;
let controller = null;

function build() {
  const title = el('h2', { id: 'osmimport-title' });
  const hint = el('p', { class: 'hint', id: 'osmimport-hint' });
  const districtLabel = el('span');
  const district = el('input', {
    id: 'osmimport-district', name: 'district', type: 'text', inputmode: 'numeric', pattern: '[0-9]{6}', required: true,
    autocomplete: 'off', list: 'osmimport-districts',
  });
  const districts = el('datalist', { id: 'osmimport-districts' });
  const fileLabel = el('span');
  const file = el('input', { id: 'osmimport-file', name: 'file', type: 'file', accept: '.pbf,.osm.pbf', required: true });
  const buildingsLabel = el('span');
  const buildings = el('input', { id: 'osmimport-buildings', name: 'buildings', type: 'checkbox' });
  const submit = el('button', { type: 'submit', id: 'osmimport-submit', class: ['action-btn', 'is-primary'] });
  const form = el('form', { id: 'osmimport-form', class: 'sectors-form', novalidate: true },
    el('label', { class: 'field', htmlFor: 'osmimport-district' }, districtLabel, district),
    districts,
    el('label', { class: 'field', htmlFor: 'osmimport-file' }, fileLabel, file),
    el('label', { class: 'field', htmlFor: 'osmimport-buildings' }, buildings, buildingsLabel),
    submit);
  const progress = el('progress', { id: 'osmimport-progress', max: 100 });
  const progressText = el('span', { id: 'osmimport-busy-text' });
  const cancel = el('button', { type: 'button', id: 'osmimport-cancel', class: ['action-btn', 'is-small'] });
  const busy = el('div', { id: 'osmimport-busy', class: 'planner-busy', role: 'status', hidden: true }, progress, progressText, cancel);
  const result = el('div', { id: 'osmimport-result', 'aria-live': 'polite' });
  fill(root, title, hint, form, busy, result);
  root.setAttribute('aria-labelledby', 'osmimport-title');
  root.dataset.state = 'idle';
  form.addEventListener('submit', (evt) => {
    evt.preventDefault();
    if (!form.reportValidity()) return;
    importOsm().catch(() => {}); // the failure is shown in #osmimport-result
  });
  cancel.addEventListener('click', () => controller?.abort());
  return { title, hint, districtLabel, district, districts, fileLabel, file, buildingsLabel, buildings, submit, busy, progress, progressText, cancel, result };
}

function renderTexts() {
  dom.title.textContent = t('osmimport.title');
  dom.hint.textContent = t('osmimport.hint');
  dom.districtLabel.textContent = t('osmimport.district');
  dom.district.setAttribute('aria-label', t('osmimport.district'));
  dom.district.placeholder = '130104';
  dom.fileLabel.textContent = t('osmimport.file');
  dom.file.setAttribute('aria-label', t('osmimport.file'));
  dom.buildingsLabel.textContent = t('osmimport.buildings');
  dom.submit.textContent = t('osmimport.submit');
  dom.cancel.textContent = t('planner.cancel');
}

/** The districts the map knows, as choices (ubigeo, name). */
function renderDistricts() {
  const features = layers.districts.getSource().getFeatures();
  fill(dom.districts, features
    .map((f) => ({ ubigeo: String(f.get('ubigeo') ?? ''), name: String(f.get('name') ?? '') }))
    .filter((d) => d.ubigeo)
    .sort((a, b) => a.ubigeo.localeCompare(b.ubigeo))
    .map((d) => el('option', { value: d.ubigeo }, `${d.ubigeo} ${d.name}`)));
}

function stageText(stage, percent) {
  return t(`osmimport.stage.${stage}`, { pct: Math.round(percent) });
}

function setBusy(busy) {
  dom.busy.hidden = !busy;
  dom.submit.disabled = busy;
  if (busy) {
    dom.progress.value = 0;
    dom.progressText.textContent = stageText('upload', 0);
  }
}

/** Follows the job until stop() is called: the stage and percent the server reports. */
function follow(jobId, signal) {
  let timer = null;
  const tick = async () => {
    try {
      const { body } = await request(`api/imports/osm/${encodeURIComponent(jobId)}`, { signal });
      dom.progress.value = body.percent;
      dom.progressText.textContent = stageText(body.stage, body.percent);
    } catch {
      // Not started yet (the file is still on its way) or cancelled: ask again, or stop.
    }
    if (!signal.aborted) timer = setTimeout(tick, POLL_MS);
  };
  timer = setTimeout(tick, POLL_MS);
  return () => clearTimeout(timer);
}

/** Uploads the chosen file for the district; resolves with the server's answer once shown. */
export async function importOsm() {
  controller?.abort();
  const mine = new AbortController();
  controller = mine;
  const jobId = `v${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
  const form = new FormData();
  form.append('district', dom.district.value.trim());
  form.append('jobId', jobId);
  form.append('buildings', dom.buildings.checked ? 'true' : 'false');
  form.append('file', dom.file.files[0]);
  root.dataset.state = 'busy';
  fill(dom.result);
  setBusy(true);
  const polling = new AbortController();
  const stop = follow(jobId, polling.signal);
  try {
    const { body } = await request('api/imports/osm', { method: 'POST', form, signal: mine.signal });
    fill(dom.result,
      el('p', { class: ['planner-msg', 'is-muted'], id: 'osmimport-summary' }, noteText(body.summary)),
      el('p', { class: ['planner-msg', 'is-muted'] }, t('osmimport.covered', { pct: fmt(body.coveredPct, 1) })),
      ...(body.buildings == null ? [] : [el('p', { class: ['planner-msg', 'is-muted'], id: 'osmimport-buildings-count' },
        t('osmimport.buildingsLoaded', { count: fmt(body.buildings, 0) }))]),
      ...[...body.warnings, ...(body.notes ?? [])].map((w) => el('p', { class: ['planner-msg', 'is-muted'], role: 'note' }, noteText(w))));
    root.dataset.state = 'done';
    layers.streets.getSource().refresh();
    layers.stations.getSource().refresh();
    emit('layers');
    return body;
  } catch (err) {
    const f = failure(err);
    root.dataset.state = f.cancelled ? 'cancelled' : 'error';
    fill(dom.result, el('p', { class: ['planner-msg', f.cancelled ? 'is-muted' : 'is-error'], role: f.cancelled ? undefined : 'alert', id: 'osmimport-error' },
      f.cancelled ? t('planner.cancelled') : t('osmimport.failed', { reason: f.detail ?? f.text ?? '' })));
    if (!isAbort(err)) throw err;
    return null;
  } finally {
    polling.abort();
    stop();
    if (controller === mine) controller = null;
    setBusy(false);
  }
}

if (root) {
  const user = session();
  root.hidden = !(user && ROLES.has(user.role));
  if (!root.hidden) {
    dom = build();
    renderTexts();
    renderDistricts();
    layers.districts.getSource().on('change', renderDistricts);
    on('language', renderTexts);
  }
}
