// "Ciclo de vida de los datos" (issue 13.5, lifecycle): delete and restore neighbourhoods (with their plans), kept plans
// and imports; the imports as dataset versions with what changed from the version before.
// - Barrios: GET api/neighborhoods, "Eliminar" (a confirm dialog, then DELETE with If-Match: the version), "Planes".
// - Planes of a neighbourhood: GET .../plans; a plan made on older street data wears "Datos antiguos" and offers
//   "Recalcular" (POST api/plans/{id}/recompute: the same parameters on the current data, a new kept plan).
// - Importaciones: GET api/imports, "Ver cambios" (GET .../diff: added, removed, renamed, other geometry), "Eliminar"
//   for the current version of streets and stations (the previous version is current again).
// - Admins also see what was deleted (?deleted=true) with "Restaurar" (POST .../restore with If-Match).
// #lifecycle-panel[data-state] is 'idle' | 'busy' | 'done' | 'error'.

import { t } from '../i18n.js';
import { el, fill, byId } from '../dom.js';
import { fmtDateTime } from '../format.js';
import { request, session, failure } from '../api.js';
import { on } from '../events.js';
import { layers } from '../map.js';

const CAN = {
  neighborhood: new Set(['planner', 'admin']),
  plan: new Set(['chief', 'admin']),
  dataset: new Set(['gis', 'admin']), // imports
};
const VERSIONED = new Set(['streets', 'stations']);
const role = () => session()?.role;
const can = (kind) => CAN[kind].has(role());
const isAdmin = () => role() === 'admin';

const state = { open: null, diff: null, message: null, error: null };

const panel = el('section', { class: 'panel panel-lifecycle', id: 'lifecycle-panel', hidden: true, 'aria-labelledby': 'lifecycle-title' });
byId('layers-panel')?.before(panel);

// ---- the confirm dialog (the browser's confirm() speaks the browser's language, not the viewer's) --------------------

const dialog = el('dialog', { id: 'lifecycle-confirm', class: 'lifecycle-confirm', 'aria-labelledby': 'lifecycle-confirm-text' });
document.body.append(dialog);

/** Resolves true when the user confirms. */
function confirmDialog(text, yes) {
  return new Promise((resolve) => {
    const done = (answer) => {
      dialog.close();
      resolve(answer);
    };
    fill(dialog,
      el('p', { id: 'lifecycle-confirm-text' }, text),
      el('div', { class: 'lifecycle-confirm-buttons' },
        el('button', { type: 'button', id: 'lifecycle-confirm-yes', class: 'action-btn', on: { click: () => done(true) } }, yes),
        el('button', { type: 'button', id: 'lifecycle-confirm-no', class: 'action-btn', on: { click: () => done(false) } }, t('lifecycle.cancel'))));
    dialog.onclose = () => resolve(false);
    dialog.showModal();
  });
}

// ---- actions ------------------------------------------------------------------------------------------------------

async function act(fn, message) {
  panel.dataset.state = 'busy';
  state.error = null;
  try {
    await fn();
    state.message = message;
    panel.dataset.state = 'done';
  } catch (err) {
    state.message = null;
    state.error = failure(err).text;
    panel.dataset.state = 'error';
  }
  await render();
}

const ifMatch = (version) => ({ 'If-Match': `"${version}"` });

async function deleteNeighborhood(n) {
  if (!(await confirmDialog(t('lifecycle.confirmNeighborhood', { name: n.name }), t('lifecycle.delete')))) return;
  await act(async () => {
    await request(`api/neighborhoods/${n.id}`, { method: 'DELETE', headers: ifMatch(n.version) });
    if (state.open === n.id) state.open = null;
    layers.neighborhoods.getSource().refresh();
  }, t('lifecycle.deletedNeighborhood', { name: n.name }));
}

async function restoreNeighborhood(n) {
  if (!(await confirmDialog(t('lifecycle.confirmRestore', { name: n.name }), t('lifecycle.restore')))) return;
  await act(async () => {
    await request(`api/neighborhoods/${n.id}/restore`, { method: 'POST', headers: ifMatch(n.version) });
    layers.neighborhoods.getSource().refresh();
  }, t('lifecycle.restoredNeighborhood', { name: n.name }));
}

async function deletePlan(p) {
  if (!(await confirmDialog(t('lifecycle.confirmPlan', { name: p.name }), t('lifecycle.delete')))) return;
  await act(() => request(`api/plans/${p.id}`, { method: 'DELETE', headers: ifMatch(1) }), t('lifecycle.deletedPlan', { name: p.name }));
}

async function restorePlan(p) {
  await act(() => request(`api/plans/${p.id}/restore`, { method: 'POST', headers: ifMatch(1) }), t('lifecycle.restoredPlan', { name: p.name }));
}

async function recompute(p) {
  await act(() => request(`api/plans/${p.id}/recompute`, { method: 'POST' }), t('lifecycle.recomputed', { name: p.name }));
}

async function showDiff(i) {
  await act(async () => {
    const { body } = await request(`api/imports/${i.id}/diff`);
    state.diff = body;
  }, null);
}

async function deleteImport(i) {
  if (!(await confirmDialog(t('lifecycle.confirmImport', { name: i.sourceName, version: i.version }), t('lifecycle.delete')))) return;
  await act(() => request(`api/imports/${i.id}`, { method: 'DELETE', headers: ifMatch(i.version) }), t('lifecycle.deletedImport', { name: i.sourceName }));
}

async function restoreImport(i) {
  await act(() => request(`api/imports/${i.id}/restore`, { method: 'POST', headers: ifMatch(i.version) }), t('lifecycle.restoredImport', { name: i.sourceName }));
}

// ---- rendering ----------------------------------------------------------------------------------------------------

const button = (id, text, label, fn) => el('button', { type: 'button', id, class: 'action-btn is-small', 'aria-label': label, on: { click: fn } }, text);
const get = async (path) => (await request(path)).body ?? [];

function neighborhoodItem(n) {
  return el('li', { dataset: { neighborhoodId: n.id } },
    el('span', { class: 'lifecycle-name' }, n.name),
    button(`lifecycle-plans-${n.id}`, t('lifecycle.plans'), t('lifecycle.plansOf', { name: n.name }), () => {
      state.open = state.open === n.id ? null : n.id;
      render();
    }),
    can('neighborhood') ? button(`lifecycle-delete-neighborhood-${n.id}`, t('lifecycle.delete'), t('lifecycle.deleteNeighborhood', { name: n.name }), () => deleteNeighborhood(n)) : null);
}

function planItem(p) {
  return el('li', { dataset: { planId: p.id, stale: String(Boolean(p.stale)) } },
    el('span', { class: 'lifecycle-name' }, p.name),
    p.stale ? el('span', { class: 'lifecycle-badge', title: t('lifecycle.staleTitle', { version: p.datasetVersion ?? '—', current: p.currentVersion ?? '—' }) }, t('lifecycle.stale')) : null,
    p.stale && can('plan') ? button(`lifecycle-recompute-${p.id}`, t('lifecycle.recompute'), t('lifecycle.recomputePlan', { name: p.name }), () => recompute(p)) : null,
    can('plan') ? button(`lifecycle-delete-plan-${p.id}`, t('lifecycle.delete'), t('lifecycle.deletePlan', { name: p.name }), () => deletePlan(p)) : null);
}

function importItem(i) {
  const line = t('lifecycle.importLine', {
    collection: t(`layer.${i.collection}`), district: i.districtUbigeo ?? '—', version: i.version, count: i.featureCount,
    who: i.importedBy ?? '—', when: fmtDateTime(i.loadedAt),
  });
  return el('li', { dataset: { importId: i.id, current: String(i.current) } },
    el('span', { class: 'lifecycle-name' }, i.sourceName),
    el('span', { class: 'lifecycle-meta' }, line + (i.current ? ` · ${t('lifecycle.current')}` : '')),
    button(`lifecycle-diff-${i.id}`, t('lifecycle.diff'), t('lifecycle.diffOf', { name: i.sourceName }), () => showDiff(i)),
    i.current && VERSIONED.has(i.collection) && can('dataset')
      ? button(`lifecycle-delete-import-${i.id}`, t('lifecycle.delete'), t('lifecycle.deleteImport', { name: i.sourceName }), () => deleteImport(i)) : null);
}

function diffView(d) {
  const names = (list, f = (x) => x.name ?? t('lifecycle.noName')) => list.map(f).join(', ');
  return el('div', { id: 'lifecycle-diff', class: 'lifecycle-diff', 'aria-live': 'polite' },
    el('p', { id: 'lifecycle-diff-summary' }, t('lifecycle.diffSummary', {
      version: d.toVersion, from: d.fromVersion ?? '—', added: d.added.length, removed: d.removed.length,
      renamed: d.renamed.length, moved: d.geometryChanged.length, unchanged: d.unchanged,
    })),
    d.added.length ? el('p', { class: 'hint' }, `${t('lifecycle.added')}: ${names(d.added)}`) : null,
    d.removed.length ? el('p', { class: 'hint' }, `${t('lifecycle.removed')}: ${names(d.removed)}`) : null,
    d.renamed.length ? el('p', { class: 'hint' }, `${t('lifecycle.renamed')}: ${names(d.renamed, (r) => `${r.from ?? t('lifecycle.noName')} → ${r.to ?? t('lifecycle.noName')}`)}`) : null,
    d.geometryChanged.length ? el('p', { class: 'hint' }, `${t('lifecycle.moved')}: ${names(d.geometryChanged)}`) : null);
}

const deletedLine = (x) => t('lifecycle.deletedLine', { who: x.deletedBy ?? '—', when: fmtDateTime(x.deletedAt) });

let rendering = Promise.resolve();

/** Builds the panel from the server's lists; resolves once shown. */
export function render() {
  rendering = rendering.then(draw, draw);
  return rendering;
}

async function draw() {
  panel.hidden = !role();
  if (panel.hidden) return;
  const [neighborhoods, imports] = await Promise.all([get('api/neighborhoods'), get('api/imports')]);
  const admin = isAdmin();
  const [goneNeighborhoods, goneImports] = admin ? await Promise.all([get('api/neighborhoods?deleted=true'), get('api/imports?deleted=true')]) : [[], []];
  const open = neighborhoods.find((n) => n.id === state.open);
  const plans = open ? await get(`api/neighborhoods/${open.id}/plans`) : [];
  const gonePlans = open && admin ? await get(`api/neighborhoods/${open.id}/plans?deleted=true`) : [];
  fill(panel,
    el('div', { class: 'panel-head' }, el('h2', { id: 'lifecycle-title' }, t('lifecycle.title'))),
    el('p', { class: 'hint' }, t('lifecycle.hint')),
    state.message ? el('p', { id: 'lifecycle-message', class: 'hint', role: 'status' }, String(state.message)) : null,
    state.error ? el('p', { id: 'lifecycle-error', class: 'forms-error', role: 'alert' }, state.error) : null,
    el('h3', { class: 'sectors-title' }, t('lifecycle.neighborhoods')),
    el('ul', { id: 'lifecycle-neighborhoods', class: 'forms-items' }, neighborhoods.map(neighborhoodItem)),
    open ? el('h3', { class: 'sectors-title' }, t('lifecycle.plansOf', { name: open.name })) : null,
    open ? (plans.length ? el('ul', { id: 'lifecycle-plans', class: 'forms-items' }, plans.map(planItem)) : el('p', { class: 'hint' }, t('lifecycle.noPlans'))) : null,
    gonePlans.length ? el('ul', { id: 'lifecycle-deleted-plans', class: 'forms-items' }, gonePlans.map((p) => el('li', { dataset: { planId: p.id } },
      el('span', { class: 'lifecycle-name' }, p.name), el('span', { class: 'lifecycle-meta' }, deletedLine(p)),
      button(`lifecycle-restore-plan-${p.id}`, t('lifecycle.restore'), t('lifecycle.restorePlan', { name: p.name }), () => restorePlan(p))))) : null,
    admin ? el('h3', { class: 'sectors-title' }, t('lifecycle.deletedNeighborhoods')) : null,
    admin ? (goneNeighborhoods.length ? el('ul', { id: 'lifecycle-deleted-neighborhoods', class: 'forms-items' }, goneNeighborhoods.map((n) => el('li', { dataset: { neighborhoodId: n.id } },
      el('span', { class: 'lifecycle-name' }, n.name), el('span', { class: 'lifecycle-meta' }, deletedLine(n)),
      button(`lifecycle-restore-neighborhood-${n.id}`, t('lifecycle.restore'), t('lifecycle.restoreNeighborhood', { name: n.name }), () => restoreNeighborhood(n))))) : el('p', { class: 'hint' }, t('lifecycle.nothingDeleted'))) : null,
    el('h3', { class: 'sectors-title' }, t('lifecycle.imports')),
    el('ul', { id: 'lifecycle-imports', class: 'forms-items' }, imports.map(importItem)),
    state.diff ? diffView(state.diff) : null,
    goneImports.length ? el('h3', { class: 'sectors-title' }, t('lifecycle.deletedImports')) : null,
    goneImports.length ? el('ul', { id: 'lifecycle-deleted-imports', class: 'forms-items' }, goneImports.map((i) => el('li', { dataset: { importId: i.id } },
      el('span', { class: 'lifecycle-name' }, `${i.sourceName} (v${i.version})`), el('span', { class: 'lifecycle-meta' }, deletedLine(i)),
      button(`lifecycle-restore-import-${i.id}`, t('lifecycle.restore'), t('lifecycle.restoreImport', { name: i.sourceName }), () => restoreImport(i))))) : null);
  if (!panel.dataset.state) panel.dataset.state = 'idle';
}

// ---- start --------------------------------------------------------------------------------------------------------

render().catch(() => {});
on('language', () => render().catch(() => {}));
