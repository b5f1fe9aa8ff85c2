// What the coverage and routes panels share: patrol modes, the panel that follows the plan shown and computes for it,
// the server's notes in the viewer's language.

import { t } from './i18n.js';
import { el, fill } from './dom.js';
import { failure } from './api.js';
import { emit, on } from './events.js';
import { fadeCoverage } from './map.js';
import { computePanel, renderFailure } from './panel.js';

export const MODES = ['foot', 'bike', 'moto', 'car'];

/** Fills a mode <select> in the current language, keeping its choice (else data-default, else on foot). */
export function fillModes(select) {
  const value = select.value || select.dataset.default || 'foot';
  fill(select, MODES.map((m) => el('option', { value: m, selected: m === value }, t(`mode.${m}`))));
}

/**
 * A computePanel (panel.js) with a mode <select> (#prefix-mode) that computes for the plan drawn by the sectors panel
 * (state.plan, or none). With another plan, what was computed for the one before goes: the features of `source`, the
 * state fields fresh() gives, the result. state.error shows in the result (#prefix-problem, headed failed()); after a
 * language change the result is drawn again (render()) when shown() says there is one.
 */
export function planPanel(prefix, keys, { label, state, source, fresh, shown, render, failed }) {
  const panel = computePanel(prefix, ['mode', ...keys], { label, ready: () => !!state.plan });
  const { dom, work } = panel;
  const showProblem = () => renderFailure(dom.result, state.error, `${prefix}-problem`, `${failed()} (HTTP 422):`);

  /** Runs a computation, fn(signal) drawing it: a failure shows, and one not cancelled drops the drawing (state patch). */
  async function compute(fn, dropped) {
    state.error = null;
    dom.result.dataset.drawn = 'false';
    try {
      return await panel.run(prefix, fn);
    } catch (err) {
      state.error = failure(err);
      if (!state.error.cancelled) {
        source.clear();
        Object.assign(state, dropped);
        fadeCoverage();
        emit('layers');
      }
      showProblem();
      throw err;
    }
  }

  followPlan(panel, state, source, fresh);
  on('language', () => {
    fillModes(dom.mode);
    if (state.error) showProblem();
    else if (shown()) render();
    work.relabel();
  });
  fillModes(dom.mode);
  return { ...panel, showProblem, compute };
}

/** Follows the plan shown into state.plan, starting with none. */
function followPlan(panel, state, source, fresh) {
  const onPlan = (plan) => {
    const same = plan && state.plan && plan.id === state.plan.id;
    state.plan = plan ?? null;
    panel.update();
    if (same) return;
    panel.work.cancel();
    const had = source.getFeatures().length > 0;
    source.clear();
    fadeCoverage();
    Object.assign(state, fresh());
    fill(panel.dom.result);
    panel.dom.result.dataset.state = '';
    panel.dom.result.dataset.drawn = 'false';
    if (had) emit('layers');
  };
  on('plan', onPlan);
  onPlan(null);
}

// ---- notes: the server writes English; say the ones we recognise in the viewer's language ------------------------------

const NOTE_PATTERNS = [
  [/^one round of the tour with its stops takes (\d+) min, longer than the ([\d.]+) h shift$/, (m) => t('note.roundLonger', { min: m[1], h: m[2] })],
  [/^Shift (.+) has (\d+) unit\(s\) for (\d+) sectors: sectors (.+) have none\.$/, (m) => t('note.shiftShort', { shift: m[1], units: m[2], sectors: m[3], list: m[4] })],
  [
    /^([\d,]+) of ([\d,]+) connected pieces of the network \(([\d.,]+) km\) have no unit: they cannot be reached and count as not covered$/,
    (m) => t('note.noUnit', { n: m[1], of: m[2], km: `${m[3]}\u00a0km` }),
  ],
  [/^hot spot (.+): the longest gap is (\d+) min, over the (\d+) min asked/, (m) => t('note.hotspotGap', { name: m[1], gap: m[2], max: m[3] })],
  [/^hot spot (.+): cannot be reached from the route$/, (m) => t('note.hotspotUnreachable', { name: m[1] })],
  [/^(\d+) two-way street\(s\) walked both ways to balance the route$/, (m) => t('note.bothWays', { n: m[1] })],
  [/^mixed streets \((\d+) two-way required, the rest one-way\)/, (m) => t('note.mixed', { n: m[1] })],
  [/^the required streets form (\d+) separate pieces/, (m) => t('note.pieces', { n: m[1] })],
  [/^(\d+) required street\(s\) cannot be covered by a closed walk/, (m) => t('note.notClosed', { n: m[1] })],
  [/^Sector (\S+) holds no street the patrol mode can use\.$/, (m) => t('note.noStreet', { s: m[1] })],
  [/^Hot spot (.+) lies more than 200 m from any street of the network: left out\.$/, (m) => t('note.hotspotFar', { name: m[1] })],
];

/** {text, lang?}: lang 'en' when the note is the server's own sentence. */
export function translateNote(text) {
  const s = String(text ?? '');
  for (const [re, fn] of NOTE_PATTERNS) {
    const m = s.match(re);
    if (m) return { text: fn(m), original: s };
  }
  return { text: s, lang: 'en' };
}

/** One note as a list item (or span). */
export const noteItem = (n, tag = 'li') => el(tag, { lang: n.lang }, n.text);
