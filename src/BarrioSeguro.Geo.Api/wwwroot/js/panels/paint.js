// Painting sectors (issue 12, item 2): the chief picks a sector and clicks or drags over blocks on the map to move
// them into it. The table (workload, deviation, travel, contiguity, Polsby-Popper) follows at once from a local
// evaluation on GET /api/plans/{id}/paint (the same arithmetic as Core's PlanEdits, see PlanEditsTests), and is
// confirmed by POST /api/plans/{id}/evaluate (debounced). A move that would split a sector is refused with the note
// sectors.move_splits in the viewer's language. Blocks or whole sectors can be locked; moves undone and redone; the
// result kept as a new plan (POST /api/plans/{id}/edits); two plans compared on the map (blocks that changed sector).
// Mouse, pen and touch alike: pointer events on the map's viewport. #paint-box[data-confirmed] says what the server said.

import { t } from '../i18n.js';
import { el, fill, byId } from '../dom.js';
import { fmt, fmtPct } from '../format.js';
import { ApiError, request, isAbort, describe } from '../api.js';
import { on } from '../events.js';
import { map, readFeatures, rendered } from '../map.js';
import { sectorColor, rgba } from '../styles.js';
import { table, sectorChip, message, selectRow } from '../panel.js';
import { noteText } from '../notes.js';
import { addKeptPlan } from './sectors.js';
import { planName } from '../codes.js';

const DEBOUNCE_MS = 350;

const state = {
  neighborhood: null,
  plan: null, // the plan shown by the sectors panel
  basis: null, // GET /api/plans/{id}/paint
  original: [], // sector per block index, as the plan has it
  part: [], // sector per block index, as painted
  features: [], // OpenLayers features of the blocks, by index
  painting: false,
  tool: 'paint', // 'paint' | 'lock'
  brush: 0,
  lockedBlocks: new Set(),
  lockedSectors: new Set(),
  undo: [], // strokes: [{i, from, to}]
  redo: [],
  stroke: null,
  local: null, // the local evaluation
  server: null, // {version, report} | {version, error}
  version: 0, // bumps on every change of moves or locks
  refusal: null, // {code, args, text}
  compare: null, // {b, changed: Set, workloadPct, summary} | {error}
  plans: [],
  saving: false,
};

const source = new ol.source.Vector();
const paintLayer = new ol.layer.Vector({ source, style: blockStyle, zIndex: 1000.7, properties: { name: 'paint' } });
map.addLayer(paintLayer);
paintLayer.setVisible(false);

/** Whether clicks on the map paint (main.js leaves them alone then). */
export const isPainting = () => state.painting;

// ---- the box in the sectors panel ------------------------------------------------------------------------------------

const box = el('div', { class: 'paint-box', id: 'paint-box', hidden: true, dataset: { confirmed: 'none' } });
byId('sectors-result').after(box);

// ---- local evaluation (Core's PlanEdits / PlanEvaluator arithmetic) ----------------------------------------------------

/** Connected pieces of sector s under part (links with 0 m are bridges to islands and count, as in the service). */
function pieces(part, s, skip = -1) {
  const blocks = state.basis.blocks;
  const seen = new Set();
  let count = 0;
  for (let i = 0; i < part.length; i++) {
    if (part[i] !== s || i === skip || seen.has(i)) continue;
    count++;
    const stack = [i];
    seen.add(i);
    while (stack.length) {
      const j = stack.pop();
      for (const [n] of blocks[j].neighbours) {
        if (n !== skip && part[n] === s && !seen.has(n)) {
          seen.add(n);
          stack.push(n);
        }
      }
    }
  }
  return count;
}

const label = (s) => `S${s + 1}`;

/** Why block i may not go to sector s now (a note), or null. */
function refusalOf(i, s) {
  const b = state.basis.blocks[i];
  const from = state.part[i];
  if (state.lockedBlocks.has(i)) return { code: 'sectors.move_locked', args: { block: b.id, sector: label(from) } };
  for (const x of [from, s]) if (state.lockedSectors.has(x)) return { code: 'sectors.move_sector_locked', args: { sector: label(x), block: b.id } };
  const next = state.part.slice();
  next[i] = s;
  if (!next.includes(from)) return { code: 'sectors.move_empties', args: { sector: label(from), blocks: [b.id] } };
  if (pieces(next, from) > pieces(state.part, from)) return { code: 'sectors.move_splits', args: { sector: label(from), blocks: [b.id] } };
  if (pieces(next, s) > pieces(state.part, s)) return { code: 'sectors.move_splits', args: { sector: label(s), blocks: [b.id] } };
  return null;
}

/** The figures of the painted plan: per sector workload, deviation from its target, area, Polsby-Popper, contiguity, travel. */
export function evaluateLocally(part = state.part) {
  const { blocks, shares, centres, scale, speedMps } = state.basis;
  const labels = [...new Set(part)].sort((a, b) => a - b);
  const total = blocks.reduce((a, b) => a + b.workload, 0);
  const shareOf = (s) => (shares && s < shares.length ? shares[s] : 1);
  const shareSum = shares ? labels.reduce((a, s) => a + shareOf(s), 0) : labels.length;
  const sectors = labels.map((s) => {
    const members = [];
    for (let i = 0; i < part.length; i++) if (part[i] === s) members.push(i);
    let workload = 0;
    let area = 0;
    let perimeter = 0;
    for (const i of members) {
      const b = blocks[i];
      workload += b.workload;
      area += b.areaM2;
      perimeter += b.perimeterM;
      for (const [n, shared] of b.neighbours) if (part[n] === s) perimeter -= shared; // each shared edge from both sides: twice
    }
    const target = shares ? (total * shareOf(s)) / shareSum : total / labels.length;
    return {
      id: s,
      workload,
      blocks: members.length,
      areaKm2: area / 1e6,
      polsbyPopper: perimeter > 0 ? (4 * Math.PI * area) / (perimeter * perimeter) : 0,
      contiguous: pieces(part, s) <= 1,
      targetWorkload: target,
      deviationPct: ((workload - target) / target) * 100,
      members,
    };
  });
  let travel = null;
  if (state.basis.travelLocal) {
    const d = (ax, ay, bx, by) => Math.sqrt((ax - bx) * (ax - bx) + (ay - by) * (ay - by));
    let weighted = 0;
    let worst = 0;
    for (const s of sectors) {
      const m = s.members;
      let ox;
      let oy;
      if (s.id < centres.length) [ox, oy] = centres[s.id];
      else {
        // The best centre: least Σ workload × distance; every block up to 100, else the 40 nearest the weighted centroid.
        let candidates = m;
        if (m.length > 100) {
          let sx = 0;
          let sy = 0;
          let sw = 0;
          for (const i of m) {
            const w = blocks[i].workload + 1e-9;
            sx += blocks[i].x * w;
            sy += blocks[i].y * w;
            sw += w;
          }
          sx /= sw;
          sy /= sw;
          const sq = (i) => (blocks[i].x - sx) ** 2 + (blocks[i].y - sy) ** 2;
          candidates = m.slice().sort((a, b) => sq(a) - sq(b) || a - b).slice(0, 40);
        }
        let best = -1;
        let bestCost = Number.MAX_VALUE;
        if (m.length === 1) best = m[0];
        else
          for (const c of candidates) {
            let cost = 0;
            for (const j of m) cost += blocks[j].workload * d(blocks[c].x, blocks[c].y, blocks[j].x, blocks[j].y);
            if (cost < bestCost - 1e-9 || (Math.abs(cost - bestCost) <= 1e-9 && c < best)) {
              best = c;
              bestCost = cost;
            }
          }
        ox = blocks[best].x;
        oy = blocks[best].y;
      }
      let wt = 0;
      let w = 0;
      let plain = 0;
      let far = -1;
      for (const i of m) {
        const seconds = d(ox, oy, blocks[i].x, blocks[i].y) / scale / speedMps;
        wt += blocks[i].workload * seconds;
        w += blocks[i].workload;
        plain += seconds;
        if (seconds > far) far = seconds;
      }
      s.weightedMinutes = wt / 60;
      s.meanMinutes = (w > 0 ? wt / w : plain / m.length) / 60;
      s.worstMinutes = far / 60;
      weighted += wt;
      worst = Math.max(worst, far);
    }
    travel = { totalWeightedMinutes: weighted / 60, meanMinutes: total > 0 ? weighted / total / 60 : 0, worstMinutes: worst / 60 };
  }
  const maxDeviationPct = Math.max(...sectors.map((s) => Math.abs(s.deviationPct)));
  const meanPolsbyPopper = sectors.reduce((a, s) => a + s.polsbyPopper, 0) / sectors.length;
  let changed = 0;
  let moved = 0;
  for (let i = 0; i < part.length; i++) {
    if (part[i] !== state.original[i]) {
      changed++;
      moved += blocks[i].workload;
    }
  }
  return {
    sectors,
    maxDeviationPct,
    meanPolsbyPopper,
    contiguous: sectors.every((s) => s.contiguous),
    travel,
    blocksMoved: changed,
    workloadMovedPct: total > 0 ? (moved / total) * 100 : 0,
  };
}

// ---- the map ------------------------------------------------------------------------------------------------------------

const styleCache = new Map();
function blockStyle(feature) {
  const i = feature.get('index');
  const s = state.part[i] ?? feature.get('sector');
  const moved = state.part.length > 0 && state.part[i] !== state.original[i];
  const locked = state.lockedBlocks.has(i) || state.lockedSectors.has(s);
  const changed = state.compare?.changed?.has(i) ?? false;
  const key = `${s}|${moved}|${locked}|${changed}`;
  if (!styleCache.has(key)) {
    const color = sectorColor(s);
    const styles = [
      new ol.style.Style({
        fill: new ol.style.Fill({ color: rgba(color, locked ? 0.25 : 0.55) }),
        stroke: new ol.style.Stroke({ color: locked ? '#222222' : 'rgba(255,255,255,0.9)', width: locked ? 2 : 0.8, lineDash: locked ? [4, 3] : undefined }),
      }),
    ];
    if (moved) styles.push(new ol.style.Style({ stroke: new ol.style.Stroke({ color: '#12355b', width: 2.5 }) }));
    if (changed) styles.push(new ol.style.Style({ stroke: new ol.style.Stroke({ color: '#d7191c', width: 3 }), fill: new ol.style.Fill({ color: 'rgba(215,25,28,0.25)' }) }));
    styleCache.set(key, styles);
  }
  return styleCache.get(key);
}

function refreshMap() {
  source.changed();
}

/** The block under a pixel of the map (its index), or -1. */
function blockAt(pixel) {
  let found = -1;
  map.forEachFeatureAtPixel(
    pixel,
    (f) => {
      found = f.get('index');
      return true;
    },
    { layerFilter: (l) => l === paintLayer, hitTolerance: 0 },
  );
  return found;
}

// Pointer events: one path for mouse, pen and touch. While painting, dragging paints instead of panning.
const viewport = map.getViewport();
let dragPans = [];

function onPointerDown(evt) {
  if (!state.painting || evt.button > 0) return;
  const i = blockAt(map.getEventPixel(evt));
  if (i < 0) return;
  evt.preventDefault();
  state.stroke = [];
  viewport.setPointerCapture?.(evt.pointerId);
  touchBlock(i);
}

function onPointerMove(evt) {
  if (!state.painting || !state.stroke) return;
  const i = blockAt(map.getEventPixel(evt));
  if (i >= 0) touchBlock(i);
}

function onPointerUp() {
  if (!state.stroke) return;
  const stroke = state.stroke;
  state.stroke = null;
  const moves = movesOf(stroke);
  if (moves.length > 0) {
    state.undo.push(moves);
    state.redo = [];
  }
  if (moves.length > 0 || stroke.some((m) => m.lock)) changed(); // locks are no moves: not undone, but checked again
  else render();
}

viewport.addEventListener('pointerdown', onPointerDown);
viewport.addEventListener('pointermove', onPointerMove);
viewport.addEventListener('pointerup', onPointerUp);
viewport.addEventListener('pointercancel', onPointerUp);

/** The tool on one block: paint it with the brush (when allowed), or lock / unlock it. */
function touchBlock(i) {
  if (state.stroke.some((m) => m.i === i)) return; // once per stroke
  if (state.tool === 'lock') {
    if (state.lockedBlocks.has(i)) state.lockedBlocks.delete(i);
    else state.lockedBlocks.add(i);
    state.stroke.push({ i, lock: true });
    state.refusal = null;
    refreshMap();
    render();
    return;
  }
  const s = state.brush;
  if (state.part[i] === s) return;
  const refusal = refusalOf(i, s);
  if (refusal) {
    state.refusal = refusal;
    state.stroke.push({ i, refused: true });
    renderMessage();
    return;
  }
  state.refusal = null;
  state.stroke.push({ i, from: state.part[i], to: s });
  state.part[i] = s;
  state.local = evaluateLocally();
  refreshMap();
  render();
}

// ---- changes, undo and the server's confirmation ---------------------------------------------------------------------

const movesOf = (strokes) => strokes.filter((m) => m.to !== undefined);

function changed() {
  state.version++;
  state.local = evaluateLocally();
  refreshMap();
  render();
  scheduleServer();
}

export function undo() {
  const stroke = state.undo.pop();
  if (!stroke) return;
  for (const m of [...stroke].reverse()) state.part[m.i] = m.from;
  state.redo.push(stroke);
  state.refusal = null;
  changed();
}

export function redo() {
  const stroke = state.redo.pop();
  if (!stroke) return;
  for (const m of stroke) state.part[m.i] = m.to;
  state.undo.push(stroke);
  state.refusal = null;
  changed();
}

/** The painted moves (block id → sector) and locks, as the API takes them. */
export function body() {
  const moves = {};
  const blocks = state.basis?.blocks ?? [];
  for (let i = 0; i < state.part.length; i++) if (state.part[i] !== state.original[i]) moves[blocks[i].id] = state.part[i];
  return {
    moves,
    locks: { blocks: [...state.lockedBlocks].sort((a, b) => a - b).map((i) => blocks[i].id), sectors: [...state.lockedSectors].sort((a, b) => a - b) },
  };
}

let timer = null;
let inflight = null;
function scheduleServer() {
  clearTimeout(timer);
  inflight?.abort();
  box.dataset.confirmed = 'pending';
  timer = setTimeout(confirmWithServer, DEBOUNCE_MS);
}

async function confirmWithServer() {
  if (!state.plan || !state.basis) return;
  const version = state.version;
  const controller = new AbortController();
  inflight = controller;
  try {
    const { body: answer } = await request(`api/plans/${state.plan.id}/evaluate`, { method: 'POST', json: body(), signal: controller.signal });
    if (version !== state.version) return;
    state.server = { version, report: answer.report, blocksMoved: answer.blocksMoved, workloadMovedPct: answer.workloadMovedPct };
    render();
    box.dataset.confirmed = 'true';
  } catch (err) {
    if (isAbort(err) || version !== state.version) return;
    state.server = { version, error: err };
    if (err instanceof ApiError && err.body?.code) state.refusal = { code: err.body.code, args: err.body.args, text: err.body.detail };
    render();
    box.dataset.confirmed = 'refused';
  } finally {
    if (inflight === controller) inflight = null;
  }
}

// ---- starting, saving, comparing -------------------------------------------------------------------------------------

async function loadBasis(planId) {
  const { body: basis } = await request(`api/plans/${planId}/paint`);
  const features = [];
  for (const f of readFeatures(basis.geometry)) {
    f.setId(`paint-${f.get('index')}`);
    features[f.get('index')] = f;
  }
  return { basis, features };
}

/** Starts painting the shown plan; resolves once its blocks are on the map. */
export async function startPainting() {
  if (!state.plan) throw new Error('no plan shown: compute or show one first');
  const plan = state.plan;
  const { basis, features } = await loadBasis(plan.id);
  if (state.plan?.id !== plan.id) return;
  Object.assign(state, {
    basis,
    original: basis.blocks.map((b) => b.sector),
    part: basis.blocks.map((b) => b.sector),
    features,
    painting: true,
    brush: state.brush < basis.k ? state.brush : 0,
    lockedBlocks: new Set(),
    lockedSectors: new Set(),
    undo: [],
    redo: [],
    server: null,
    refusal: null,
    compare: null,
  });
  state.version++;
  state.local = evaluateLocally();
  styleCache.clear();
  source.clear();
  source.addFeatures(features.filter(Boolean));
  paintLayer.setVisible(true);
  dragPans = map.getInteractions().getArray().filter((x) => x instanceof ol.interaction.DragPan && x.getActive());
  dragPans.forEach((x) => x.setActive(false));
  viewport.classList.add('is-painting');
  box.dataset.painting = 'true';
  render();
  scheduleServer();
  await rendered();
}

function stopPainting() {
  state.painting = false;
  state.stroke = null;
  dragPans.forEach((x) => x.setActive(true));
  dragPans = [];
  viewport.classList.remove('is-painting');
  box.dataset.painting = 'false';
  clearTimeout(timer);
  inflight?.abort();
  if (!state.compare) {
    source.clear();
    paintLayer.setVisible(false);
  }
  render();
}

/** Keeps the painted plan as a new plan; resolves with it once the sectors panel shows it. */
export async function saveAsPlan() {
  if (!state.plan || !state.basis) throw new Error('nothing painted');
  state.saving = true;
  render();
  try {
    const { body: created } = await request(`api/plans/${state.plan.id}/edits`, { method: 'POST', json: body() });
    stopPainting();
    await addKeptPlan(created);
    return created;
  } catch (err) {
    if (err instanceof ApiError && err.body?.code) state.refusal = { code: err.body.code, args: err.body.args, text: err.body.detail };
    else state.refusal = { text: describe(err) };
    throw err;
  } finally {
    state.saving = false;
    render();
  }
}

/** Shows on the map the blocks that are in another sector in plan b than in the shown plan. */
export async function comparePainted(b) {
  if (!state.plan) throw new Error('no plan shown');
  const a = state.plan.id;
  try {
    const [{ basis: ba, features }, { basis: bb }, { body: summary }] = await Promise.all([
      state.basis && state.basis.planId === a ? Promise.resolve({ basis: state.basis, features: state.features }) : loadBasis(a),
      loadBasis(b),
      request(`api/plans/compare?a=${a}&b=${b}`),
    ]);
    if (state.plan?.id !== a) return null;
    const sectorInB = new Map(bb.blocks.map((x) => [x.id, x.sector]));
    const changedBlocks = new Set();
    let moved = 0;
    let total = 0;
    ba.blocks.forEach((x, i) => {
      total += x.workload;
      const other = sectorInB.get(x.id);
      if (other !== undefined && other !== x.sector) {
        changedBlocks.add(i);
        moved += x.workload;
      }
    });
    if (!state.painting) {
      state.basis = ba;
      state.features = features;
      state.original = ba.blocks.map((x) => x.sector);
      state.part = state.original.slice();
      source.clear();
      source.addFeatures(features.filter(Boolean));
    }
    state.compare = { b: Number(b), changed: changedBlocks, workloadPct: total > 0 ? (moved / total) * 100 : 0, summary };
    styleCache.clear();
    paintLayer.setVisible(true);
    refreshMap();
    render();
    await rendered();
    return state.compare;
  } catch (err) {
    state.compare = { b: Number(b), error: err };
    render();
    throw err;
  }
}

function clearCompare() {
  state.compare = null;
  styleCache.clear();
  if (!state.painting) {
    source.clear();
    paintLayer.setVisible(false);
  }
  refreshMap();
  render();
}

async function loadPlans() {
  if (state.neighborhood === null) return;
  try {
    const { body: plans } = await request(`api/neighborhoods/${state.neighborhood}/plans`);
    state.plans = Array.isArray(plans) ? plans : [];
  } catch {
    state.plans = [];
  }
  render();
}

// ---- rendering ----------------------------------------------------------------------------------------------------------

const fmtDev = (d) => `${d >= 0 ? '+' : '−'}${fmtPct(Math.abs(d), 1)}`;
const tick = (ok) => el('span', { class: ok ? 'ok' : 'ko', title: ok ? t('sectors.yes') : t('sectors.no') }, ok ? '✓' : '✗');

function renderMessage() {
  const slot = byId('paint-message');
  if (!slot) return;
  const r = state.refusal;
  fill(slot, r ? message('error', r.code ? noteText(r) : r.text, { role: 'alert', dataset: { code: r.code ?? '' } }) : null);
}

function renderTable() {
  const local = state.local;
  const server = state.server?.version === state.version && state.server.report ? state.server.report : null;
  const bySector = new Map((server?.sectors ?? []).map((s) => [s.id, s]));
  const travelBy = new Map((server?.travel?.sectors ?? []).map((s) => [s.sector, s]));
  const rows = local.sectors.map((s) => {
    const sv = bySector.get(s.id);
    const tv = travelBy.get(s.id);
    const dev = sv ? ((sv.workload - sv.targetWorkload) / sv.targetWorkload) * 100 : s.deviationPct;
    const minutes = tv ? tv.meanMinutes : s.meanMinutes;
    const locked = state.lockedSectors.has(s.id);
    return el(
      'tr',
      {
        dataset: {
          sector: s.id,
          workload: s.workload,
          deviation: s.deviationPct,
          minutes: s.meanMinutes ?? '',
          pp: s.polsbyPopper,
          contiguous: s.contiguous,
          blocks: s.blocks,
          serverWorkload: sv?.workload,
          serverPp: sv?.polsbyPopper,
          serverMinutes: tv?.meanMinutes,
        },
        class: state.brush === s.id && state.painting && 'is-active',
      },
      el('th', { scope: 'row' }, sectorChip(s.id, label(s.id))),
      el('td', { class: 'num' }, fmt(sv ? sv.workload : s.workload, 1)),
      el('td', { class: ['num', Math.abs(dev) > (state.basis?.tolerancePct ?? 5) && 'is-over'] }, fmtDev(dev)),
      el('td', { class: 'num' }, minutes === undefined ? '…' : `${fmt(minutes, 1)} min`),
      el('td', { class: 'c' }, tick(sv ? sv.contiguous : s.contiguous)),
      el('td', { class: 'num' }, fmt(sv ? sv.polsbyPopper : s.polsbyPopper, 2)),
      el(
        'td',
        { class: 'c' },
        el('input', {
          type: 'checkbox',
          checked: locked,
          'aria-label': t('paint.lockSector', { sector: label(s.id) }),
          title: t('paint.lockSector', { sector: label(s.id) }),
          on: {
            change: (e) => {
              if (e.target.checked) state.lockedSectors.add(s.id);
              else state.lockedSectors.delete(s.id);
              state.version++;
              styleCache.clear();
              refreshMap();
              scheduleServer();
              render();
            },
          },
        }),
      ),
    );
  });
  return table(
    { class: 'sector-table paint-table', id: 'paint-table' },
    [
      { text: t('sectors.col.sector') },
      { text: t('paint.col.load'), class: 'num', title: t('paint.col.loadTitle') },
      { text: t('paint.col.deviation'), class: 'num', title: t('paint.col.deviationTitle') },
      { text: t('paint.col.travel'), class: 'num', title: t('paint.col.travelTitle') },
      { text: t('sectors.col.contiguous'), class: 'c', title: t('sectors.col.contiguousTitle') },
      { text: 'P-P', class: 'num', title: t('planner.polsbyPopperNote') },
      { text: t('paint.lock'), class: 'c' },
    ],
    rows,
  );
}

function renderCompare() {
  const c = state.compare;
  const others = state.plans.filter((p) => p.id !== state.plan?.id);
  const chooser =
    others.length > 0
      ? selectRow(
          'paint-compare',
          t('paint.compare'),
          (e) => {
            const b = Number(e.target.value);
            if (b) comparePainted(b).catch(() => {});
            else clearCompare();
          },
          [el('option', { value: '' }, '—'), others.map((p) => el('option', { value: String(p.id), selected: c?.b === p.id }, `#${p.id} · ${planName(p.name)}`))],
        )
      : null;
  let result = null;
  if (c?.error) result = message('error', t('planner.failed', { message: describe(c.error) }));
  else if (c)
    result = el(
      'p',
      { class: 'diff-summary', id: 'paint-compare-summary', dataset: { changed: c.changed.size, workloadPct: c.workloadPct, serverChanged: c.summary?.blocksChanged } },
      t('paint.compareSummary', { a: state.plan?.id, b: c.b, n: fmt(c.changed.size, 0), pct: fmtPct(c.workloadPct, 1) }),
    );
  return el('div', { class: 'paint-compare' }, chooser, result);
}

function render() {
  if (!state.plan) {
    box.hidden = true;
    fill(box);
    return;
  }
  box.hidden = false;
  const k = state.plan.sectors;
  const toggle = el(
    'button',
    {
      type: 'button',
      id: 'paint-toggle',
      class: ['action-btn', state.painting && 'is-primary'],
      'aria-pressed': String(state.painting),
      on: { click: () => (state.painting ? stopPainting() : startPainting().catch((err) => ((state.refusal = { text: describe(err) }), render()))) },
    },
    state.painting ? t('paint.stop') : t('paint.start'),
  );
  if (!state.painting) {
    fill(box, el('h4', { class: 'sub-head' }, t('paint.title')), el('div', { class: 'paint-actions' }, toggle), el('div', { id: 'paint-message' }), renderCompare());
    renderMessage();
    return;
  }
  const brushes = el(
    'div',
    { class: 'paint-brushes', role: 'group', 'aria-label': t('paint.brushes') },
    Array.from({ length: k }, (_, s) =>
      sectorChip(s, label(s), {
        class: state.brush === s && state.tool === 'paint' && 'is-active',
        'aria-pressed': String(state.brush === s && state.tool === 'paint'),
        'aria-label': t('paint.with', { sector: label(s) }),
        title: t('paint.with', { sector: label(s) }),
        dataset: { brush: s },
        onClick: () => {
          state.brush = s;
          state.tool = 'paint';
          render();
        },
      }),
    ),
    el(
      'button',
      {
        type: 'button',
        id: 'paint-lock-tool',
        class: ['action-btn', 'is-small', state.tool === 'lock' && 'is-primary'],
        'aria-pressed': String(state.tool === 'lock'),
        title: t('paint.lockBlocksTitle'),
        on: {
          click: () => {
            state.tool = state.tool === 'lock' ? 'paint' : 'lock';
            render();
          },
        },
      },
      t('paint.lock'),
    ),
  );
  const local = state.local;
  const confirmed = state.server?.version === state.version && state.server.report;
  fill(
    box,
    el('h4', { class: 'sub-head' }, t('paint.title')),
    el('p', { class: 'hint' }, state.tool === 'lock' ? t('paint.lockHint') : t('paint.hint', { sector: label(state.brush) })),
    brushes,
    el('div', { id: 'paint-message' }),
    renderTable(),
    el(
      'p',
      { class: 'sub paint-summary', id: 'paint-summary', dataset: { moved: local.blocksMoved } },
      t('paint.summary', {
        n: fmt(local.blocksMoved, 0),
        pct: fmtPct(local.workloadMovedPct, 1),
        dev: fmtPct(confirmed ? state.server.report.maxDeviationPct : local.maxDeviationPct, 1),
      }),
      ' · ',
      el('span', { class: 'paint-state' }, confirmed ? t('paint.confirmed') : state.server?.error && state.server.version === state.version ? t('paint.refused') : t('paint.checking')),
    ),
    el(
      'div',
      { class: 'paint-actions' },
      el('button', { type: 'button', id: 'paint-undo', class: 'action-btn is-small', disabled: state.undo.length === 0, on: { click: undo } }, t('paint.undo')),
      el('button', { type: 'button', id: 'paint-redo', class: 'action-btn is-small', disabled: state.redo.length === 0, on: { click: redo } }, t('paint.redo')),
      el(
        'button',
        { type: 'button', id: 'paint-save', class: 'action-btn is-primary', disabled: local.blocksMoved === 0 || state.saving, on: { click: () => saveAsPlan().catch(() => {}) } },
        t('paint.save'),
      ),
      toggle,
    ),
    renderCompare(),
  );
  renderMessage();
}

// ---- following the sectors panel --------------------------------------------------------------------------------------

on('plan', (plan) => {
  if (plan?.id === state.plan?.id) return;
  if (state.painting) stopPainting();
  state.plan = plan;
  state.basis = null;
  state.compare = null;
  state.refusal = null;
  source.clear();
  paintLayer.setVisible(false);
  if (plan) loadPlans();
  render();
});
on('neighborhood', (id) => {
  state.neighborhood = id;
  state.plans = [];
});
on('language', () => {
  styleCache.clear();
  render();
});
document.addEventListener('keydown', (e) => {
  if (!state.painting || !(e.ctrlKey || e.metaKey)) return;
  const key = e.key.toLowerCase();
  if (key === 'z' && !e.shiftKey) undo();
  else if (key === 'y' || (key === 'z' && e.shiftKey)) redo();
  else return;
  e.preventDefault();
});

/** For tests: the basis and, per block, the pixel of its interior point and whether the map shows it there. */
export function paintState() {
  const blocks = (state.basis?.blocks ?? []).map((b, i) => {
    const f = state.features[i];
    const g = f?.getGeometry();
    let point = null;
    if (g) {
      const poly = g.getType() === 'MultiPolygon' ? g.getPolygons().reduce((a, c) => (c.getArea() > a.getArea() ? c : a)) : g;
      point = poly.getInteriorPoint().getCoordinates().slice(0, 2);
    }
    const pixel = point ? map.getPixelFromCoordinate(point) : null;
    const rect = viewport.getBoundingClientRect();
    const client = pixel ? [rect.left + pixel[0], rect.top + pixel[1]] : null;
    const shown = client !== null && document.elementFromPoint(client[0], client[1])?.closest('.ol-viewport') === viewport && blockAt(pixel) === i;
    return { id: b.id, sector: state.part[i], neighbours: b.neighbours.map((n) => n[0]), client, shown };
  });
  return { planId: state.plan?.id ?? null, painting: state.painting, version: state.version, body: body(), blocks };
}

