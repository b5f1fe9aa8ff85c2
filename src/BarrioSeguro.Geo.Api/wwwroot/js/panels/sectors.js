// "Sectores", the patrol chief's part of the planner's panel: the contingent's staffing, computing a plan
// (POST /api/neighborhoods/{id}/plans), the kept plans (GET .../plans, /api/plans/{id}[/sectors]), comparing two of them
// (/api/plans/compare). Layer `sectors`. #sectors-result[data-drawn="true"] once the map drew the plan.

import { t } from '../i18n.js';
import { el, fill, byId } from '../dom.js';
import { fmt, fmtPct, fmtMs, fmtShortDateTime } from '../format.js';
import { ApiError, request, isAbort, describe, failure } from '../api.js';
import { emit, on } from '../events.js';
import { layers, readFeatures, rendered, fitWith, zoomTo } from '../map.js';
import { sectorColor } from '../styles.js';
import { computePanel, table, figure, notesList, selectRow, message, renderFailure, planHead, sectorChip, onMapHit, highlightIn } from '../panel.js';
import { noteText } from '../notes.js';
import { workloadExplained } from '../workload.js'; // i18n (issue 12): what "carga" is
import { planName } from '../codes.js';
import './sectorextras.js'; // part "barriers": the plan's barriers, centres and why-here

const API = 'api/neighborhoods/';
const BALANCE_TARGET_PCT = 5; // PartitionOptions.TargetDeviation
const source = layers.sectors.getSource();

const state = {
  id: null, // neighbourhood
  contingent: null, // {id, name, officers, shifts, ...} or null
  staffing: null, // the staffing answer, or null
  staffingError: null,
  staffingLoading: false,
  plan: null, // the plan shown (GET /api/plans/{id} answer)
  features: [], // its sectors
  error: null, // failure() of the last computation
  plans: [], // kept plans of the neighbourhood, newest first
  compare: null, // {with, result} | {with, error}
  highlight: null,
  countTouched: false,
};

const panel = computePanel('sectors', ['staffing', 'count', 'seed', 'plans'], {
  label: (kind) => t(`sectors.loading.${kind}`),
  ready: () => state.id !== null,
});
const { dom, work, run } = panel;

// ---- neighbourhood changes ------------------------------------------------------------------------------------------

function clearDrawing() {
  const had = source.getFeatures().length > 0;
  source.clear();
  state.plan = null;
  state.features = [];
  state.highlight = null;
  emit('plan', null);
  if (had) emit('layers');
}

function reset(id) {
  work.cancel();
  clearDrawing();
  Object.assign(state, { id, contingent: null, staffing: null, staffingError: null, error: null, plans: [], compare: null, countTouched: false });
  dom.section.dataset.planId = '';
  dom.result.dataset.drawn = 'false';
  dom.count.value = '';
  panel.update();
  render();
}

/** Another neighbourhood (or none): loads its contingent's staffing and its kept plans. */
async function onNeighborhood(id) {
  if (id === state.id) return;
  reset(id);
  if (id === null) return;
  state.staffingLoading = true;
  renderStaffing();
  await Promise.allSettled([loadStaffing(id), loadPlans(id)]);
}

async function loadStaffing(id) {
  try {
    const { body: contingents } = await request('api/contingents');
    const mine = (Array.isArray(contingents) ? contingents : []).filter((c) => c.neighborhoodId === id).sort((a, b) => a.id - b.id);
    if (state.id !== id) return;
    state.contingent = mine[0] ?? null;
    if (state.contingent) {
      try {
        const { body } = await request(`api/contingents/${state.contingent.id}/staffing`);
        if (state.id !== id) return;
        state.staffing = body;
      } catch (err) {
        if (state.id !== id) return;
        state.staffingError = err;
      }
    }
  } catch (err) {
    if (state.id !== id) return;
    state.staffingError = err;
  } finally {
    if (state.id === id) {
      state.staffingLoading = false;
      if (!state.countTouched && !dom.count.value && state.staffing?.sectorsPerShift > 0) dom.count.value = String(state.staffing.sectorsPerShift);
      renderStaffing();
      dom.section.dataset.staffing = state.staffing ? String(state.staffing.sectorsPerShift) : 'none';
      emit('staffing', state.staffing);
    }
  }
}

async function loadPlans(id) {
  try {
    const { body } = await request(`${API}${id}/plans`);
    if (state.id !== id) return;
    state.plans = Array.isArray(body) ? body : [];
  } catch {
    if (state.id !== id) return;
    state.plans = [];
  }
  renderPlans();
}

// ---- computing and showing plans --------------------------------------------------------------------------------------

function requireNeighborhood() {
  if (state.id === null) throw new Error('no neighbourhood selected: call selectNeighborhood(id) first');
  return state.id;
}

/** POSTs a plan, then draws it. Resolves with the plan JSON (report included) once the map drew it. */
export async function computePlan({ sectors, seed } = {}) {
  const id = requireNeighborhood();
  const payload = {};
  if (sectors !== undefined && sectors !== null && sectors !== '') payload.sectors = Number(sectors);
  if (seed !== undefined && seed !== null && seed !== '') payload.seed = Number(seed);
  state.error = null;
  state.compare = null;
  try {
    return await run('compute', async (signal) => {
      let created;
      try {
        ({ body: created } = await request(`${API}${id}/plans`, { method: 'POST', json: payload, signal }));
      } catch (err) {
        if (err instanceof ApiError && err.kind === 'http') {
          state.error = failure(err);
          clearDrawing();
          render();
        }
        throw err;
      }
      const plan = await draw(created, signal);
      state.plans = [created, ...state.plans.filter((p) => p.id !== created.id)];
      renderPlans();
      return plan;
    });
  } catch (err) {
    if (isAbort(err) || !state.error) {
      state.error = failure(err);
      renderResult();
    }
    throw err;
  }
}

/** Shows a kept plan: its sectors on the map, its table and figures. Resolves with the plan once drawn. */
export async function showPlan(planId) {
  requireNeighborhood();
  state.error = null;
  try {
    return await run('show', async (signal) => {
      const { body } = await request(`api/plans/${encodeURIComponent(planId)}`, { signal });
      if (body.neighborhoodId !== state.id) throw new Error(`plan ${planId} belongs to neighbourhood ${body.neighborhoodId}`);
      return draw(body, signal);
    });
  } catch (err) {
    state.error = failure(err);
    renderResult();
    throw err;
  }
}

async function draw(plan, signal) {
  const { body } = await request(`api/plans/${plan.id}/sectors`, { signal });
  const features = readFeatures(body);
  features.forEach((f) => f.setId(`sector-${plan.id}-${f.get('sector')}`));
  source.clear();
  source.addFeatures(features);
  layers.sectors.setVisible(true);
  state.plan = plan;
  state.features = features;
  state.highlight = null;
  if (state.compare && state.compare.with === plan.id) state.compare = null;
  dom.section.dataset.planId = String(plan.id);
  dom.result.dataset.drawn = 'false';
  emit('plan', plan);
  emit('layers');
  render();
  fitWith(features);
  await rendered();
  dom.result.dataset.drawn = 'true';
  return plan;
}

/** A plan kept elsewhere (painted: panels/paint.js) joins the list of kept plans and is shown; resolves once drawn. */
export async function addKeptPlan(created) {
  state.plans = [created, ...state.plans.filter((p) => p.id !== created.id)];
  renderPlans();
  return showPlan(created.id);
}

/** Resolves with the comparison of two plans (blocks that change sector). */
export async function comparePlans(a, b) {
  requireNeighborhood();
  state.compare = { with: Number(b), result: null, error: null };
  renderCompare();
  try {
    return await run('compare', async (signal) => {
      const { body } = await request(`api/plans/compare?a=${encodeURIComponent(a)}&b=${encodeURIComponent(b)}`, { signal });
      state.compare = { with: Number(b), result: body, error: null };
      renderCompare();
      return body;
    });
  } catch (err) {
    state.compare = isAbort(err) ? null : { with: Number(b), result: null, error: err };
    renderCompare();
    throw err;
  }
}

// ---- rendering --------------------------------------------------------------------------------------------------------

function render() {
  renderStaffing();
  renderResult();
  renderPlans();
}


function renderStaffing() {
  if (state.id === null) {
    fill(dom.staffing);
    return;
  }
  if (state.staffingLoading) {
    fill(dom.staffing, el('div', { class: 'figures-skeleton', 'aria-hidden': 'true' }, el('span'), el('span')));
    return;
  }
  const c = state.contingent;
  if (!c) {
    fill(
      dom.staffing,
      state.staffingError ? message('error', t('sectors.staffingFailed', { message: describe(state.staffingError) })) : message('muted', t('sectors.noContingent')),
    );
    return;
  }
  const head = el(
    'div',
    { class: 'staffing-head' },
    el('span', { class: 'staffing-name' }, c.name ?? ''),
    el('span', { class: 'staffing-meta' }, t('sectors.contingentMeta', { officers: fmt(c.officers, 0), shifts: fmt(c.shifts, 0) })),
  );
  if (!state.staffing) {
    fill(
      dom.staffing,
      head,
      el(
        'div',
        { class: 'planner-msg is-error', role: 'alert' },
        el('strong', null, t('sectors.cannotStaff')),
        el('span', { class: 'problem-detail', lang: 'en' }, state.staffingError?.body?.detail ?? (state.staffingError ? describe(state.staffingError) : '')),
      ),
    );
    return;
  }
  const s = state.staffing;
  const shifts = (s.perShift ?? []).map((p) =>
    el('tr', null, el('th', { scope: 'row' }, String(p.shift)), el('td', { class: 'num' }, fmt(p.officersOnDuty, 0)), el('td', { class: 'num' }, fmt(p.units, 0))),
  );
  fill(
    dom.staffing,
    head,
    el(
      'div',
      { class: 'staffing-figure', id: 'sectors-per-shift', dataset: { value: s.sectorsPerShift } },
      el('span', { class: 'big' }, fmt(s.sectorsPerShift, 0)),
      el('span', null, s.sectorsPerShift === 1 ? t('sectors.perShiftOne') : t('sectors.perShift')),
    ),
    shifts.length
      ? table(
          { class: 'mini-table staffing-shifts' },
          [{ text: t('sectors.shift') }, { text: t('sectors.onDuty'), class: 'num' }, { text: t('sectors.units'), class: 'num' }],
          shifts,
        )
      : null,
    el(
      'details',
      { class: 'staffing-why' },
      el('summary', null, t('sectors.why')),
      el('ol', { class: 'staffing-sentences' }, (s.explanation ?? []).map((x) => el('li', { dataset: { code: x?.code } }, noteText(x)))),
    ),
  );
}

const tick = (ok) => el('span', { class: ok ? 'ok' : 'ko', title: ok ? t('sectors.yes') : t('sectors.no') }, ok ? '✓' : '✗');

/** A coloured chip "S1" that zooms to its sector. */
const chip = (index) =>
  sectorChip(index, `S${index + 1}`, {
    dataset: { sector: index },
    title: t('sectors.zoomTo'),
    onClick: () => {
      highlight(index);
      const f = state.features.find((x) => Number(x.get('sector')) === index);
      if (f) zoomTo(f);
    },
  });

function renderResult() {
  const e = state.error;
  if (e) {
    renderFailure(dom.result, e, 'sectors-problem', t('sectors.noPlan'), t('sectors.noPlanHint'));
    return;
  }
  const plan = state.plan;
  if (!plan) {
    fill(dom.result);
    dom.result.dataset.state = '';
    return;
  }
  dom.result.dataset.state = 'plan';
  const r = plan.report ?? {};
  const sectors = [...(r.sectors ?? [])].sort((a, b) => a.id - b.id);
  const mean = sectors.length ? sectors.reduce((acc, s) => acc + s.workload, 0) / sectors.length : 0;
  const maxW = Math.max(0, ...sectors.map((s) => s.workload));
  const rows = sectors.map((s) => {
    const dev = mean > 0 ? ((s.workload - mean) / mean) * 100 : 0;
    const pct = maxW > 0 ? Math.round((s.workload / maxW) * 100) : 0;
    return el(
      'tr',
      { dataset: { sector: s.id }, class: state.highlight === s.id && 'is-active' },
      el('th', { scope: 'row' }, chip(s.id)),
      el(
        'td',
        { class: 'num load' },
        el('span', { class: 'load-value' }, fmt(s.workload, 1)),
        el('span', { class: 'load-bar', 'aria-hidden': 'true' }, el('span', { style: { width: `${pct}%`, background: sectorColor(s.id) } })),
        el('span', { class: ['dev', Math.abs(dev) > BALANCE_TARGET_PCT && 'is-over'] }, `${dev >= 0 ? '+' : '−'}${fmtPct(Math.abs(dev), 1)}`),
      ),
      el('td', { class: 'num' }, fmt(s.blocks, 0)),
      el('td', { class: 'num' }, fmt(s.areaKm2, 3)),
      el('td', { class: 'num' }, fmt(s.polsbyPopper, 2)),
      el('td', { class: 'c' }, tick(s.contiguous)),
    );
  });
  const fig = (key, value, note = '', data = {}) => figure(key, t(`sectors.fig.${key}`), value, note, data);
  const dev = Number(r.maxDeviationPct ?? plan.maxDeviationPct);
  const bound = Number(r.balanceBoundPct);
  const within = dev <= BALANCE_TARGET_PCT + 1e-9;
  const devNote =
    Number.isFinite(bound) && bound > BALANCE_TARGET_PCT
      ? t('sectors.boundNote', { bound: fmtPct(bound, 1) })
      : t('sectors.targetNote', { target: fmt(BALANCE_TARGET_PCT, 0) });
  const islands = r.islands ?? [];
  const notes = r.notes ?? [];
  const contiguous = r.contiguous ?? plan.contiguous;
  fill(
    dom.result,
    planHead(
      t('sectors.planTitle', { id: plan.id }),
      [t('sectors.nSectors', { n: fmt(plan.sectors, 0) }), t('sectors.seedShort', { seed: plan.seed }), fmtShortDateTime(plan.createdAt), plan.author]
        .filter(Boolean)
        .join(' · '),
    ),
    table(
      { class: 'sector-table', id: 'sectors-table' },
      [
        { text: t('sectors.col.sector') },
        { text: t('sectors.col.load'), class: 'num', title: workloadExplained(r.weights) },
        { text: t('sectors.col.blocks'), class: 'num', title: t('sectors.col.blocksTitle') },
        { text: 'km²', class: 'num' },
        { text: 'P-P', class: 'num', title: t('planner.polsbyPopperNote') },
        { text: t('sectors.col.contiguous'), class: 'c', title: t('sectors.col.contiguousTitle') },
      ],
      rows,
    ),
    el('p', { class: 'hint workload-help', id: 'workload-help' }, workloadExplained(r.weights)),
    el(
      'table',
      { class: 'props figures-table plan-figures', id: 'plan-figures' },
      el(
        'tbody',
        null,
        fig('maxDeviation', el('span', { class: within ? 'ok' : 'ko' }, fmtPct(dev, 1)), devNote, { value: dev, bound: Number.isFinite(bound) ? bound : '' }),
        fig('contiguous', [tick(contiguous), ' ', contiguous ? t('sectors.yes') : t('sectors.no')]),
        fig('compactness', fmt(Number(r.meanPolsbyPopper ?? plan.meanPolsbyPopper), 2), t('planner.polsbyPopperNote')),
        r.travel
          ? fig(
              'travel',
              t('sectors.travelValue', { mean: fmt(r.travel.meanMinutes, 1), worst: fmt(r.travel.worstMinutes, 1) }),
              t('sectors.travelNote', { total: fmt(r.travel.totalWeightedMinutes, 0) }),
              { value: r.travel.totalWeightedMinutes },
            )
          : null,
        fig('seed', String(r.seed ?? plan.seed)),
        fig('elapsed', fmtMs(r.elapsedMs ?? 0)),
        fig(
          'islands',
          islands.length === 0
            ? t('sectors.none')
            : el(
                'span',
                { lang: 'en' },
                islands.flatMap((x, i) => (i === 0 ? [String(x)] : [el('br'), String(x)])),
              ),
        ),
        r.churn ? fig('churn', t('sectors.churnValue', { n: fmt(r.churn.blocksChanged, 0), pct: fmt(r.churn.workloadSharePct, 1) })) : null,
        fig('data', el('code', null, plan.dataVersion ?? '')),
      ),
    ),
    notesList(
      'plan-notes',
      notes.map((n) => el('li', { dataset: { code: n?.code } }, noteText(n))),
    ),
  );
}

function renderPlans() {
  if (state.id === null) {
    fill(dom.plans);
    return;
  }
  const current = state.plan?.id ?? null;
  const label = (p) => `${t('sectors.nSectors', { n: fmt(p.sectors, 0) })} · ${t('sectors.seedShort', { seed: p.seed })}`;
  const items = state.plans.map((p) => {
    const active = p.id === current;
    return el(
      'li',
      { dataset: { planId: p.id }, class: active && 'is-active', 'aria-current': active && 'true' },
      el(
        'button',
        { type: 'button', class: 'plan-item', dataset: { planId: p.id }, title: planName(p.name), on: { click: () => showPlan(p.id).catch(() => {}) } },
        el('span', { class: 'plan-id' }, `#${p.id}`),
        el('span', { class: 'plan-main' }, label(p), el('span', { class: 'plan-when' }, `${fmtShortDateTime(p.createdAt)} · ${p.author ?? ''}`)),
        el('span', { class: ['plan-dev', !(p.maxDeviationPct <= BALANCE_TARGET_PCT) && 'is-over'] }, `±${fmtPct(p.maxDeviationPct, 1)}`),
      ),
    );
  });
  const others = state.plans.filter((p) => p.id !== current);
  const onCompare = (evt) => {
    const b = Number(evt.target.value);
    if (!b || !state.plan) {
      state.compare = null;
      renderCompare();
      return;
    }
    comparePlans(state.plan.id, b).catch(() => {});
  };
  fill(
    dom.plans,
    el('h4', { class: 'sub-head' }, t('sectors.kept'), state.plans.length ? [' ', el('span', { class: 'count' }, fmt(state.plans.length, 0))] : null),
    state.plans.length ? el('ul', { class: 'plan-list', id: 'plan-list' }, items) : el('p', { class: 'hint' }, t('sectors.noPlans')),
    current !== null && others.length > 0
      ? [
          selectRow('sectors-compare', t('sectors.compareWith'), onCompare, [
            el('option', { value: '' }, '—'),
            others.map((p) => el('option', { value: String(p.id), selected: state.compare?.with === p.id }, `#${p.id} · ${label(p)}`)),
          ]),
          el('div', { id: 'sectors-compare-result' }),
        ]
      : null,
  );
  renderCompare();
}

function renderCompare() {
  const box = byId('sectors-compare-result');
  if (!box) return;
  const c = state.compare;
  if (!c) fill(box);
  else if (c.error) fill(box, message('error', t('planner.failed', { message: describe(c.error) })));
  else if (!c.result) fill(box, el('p', { class: 'hint' }, t('sectors.loading.compare')));
  else {
    const r = c.result;
    fill(
      box,
      el(
        'div',
        { class: 'diff-summary compare-summary', id: 'compare-summary', dataset: { changed: r.blocksChanged, pct: r.blocksChangedPct } },
        el('strong', null, t('sectors.compareHead', { a: r.a.id, b: r.b.id })),
        el('span', null, t('sectors.blocksChanged', { n: fmt(r.blocksChanged, 0), pct: fmt(r.blocksChangedPct, 1), of: fmt(r.commonBlocks, 0) })),
        r.sameData ? null : el('span', { class: 'warn' }, t('sectors.otherData')),
        el('span', { class: 'sub' }, t('sectors.compareNote')),
      ),
    );
  }
}

// ---- interaction ------------------------------------------------------------------------------------------------------

function highlight(index) {
  state.highlight = index;
  highlightIn(source, dom.result.querySelectorAll('#sectors-table tbody tr'), 'sector', index);
}

panel.onSubmit(() => computePlan({ sectors: dom.count.value, seed: dom.seed.value }));
dom.count.addEventListener('input', () => {
  state.countTouched = true;
});

on('neighborhood', (id) => onNeighborhood(id).catch(() => {}));
onMapHit(layers.sectors, (f) => highlight(Number(f.get('sector'))));
on('language', () => {
  if (state.id === null) return;
  render();
  work.relabel();
});

reset(null);
