// What the coverage and routes panels share: patrol modes, the panel that follows the plan shown and computes for it,
// the server's notes in the viewer's language.

import { t } from './i18n.js';
import { noteText, knowsNote } from './notes.js';
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

// ---- notes: said in the viewer's language from the service's catalog (notes.js) ---------------------------------------

/** {text, code?, lang?}: the note's sentence, lang 'en' only when it is an older report's English sentence. */
export function translateNote(note) {
  if (knowsNote(note)) return { text: noteText(note), code: note.code };
  if (note && typeof note === 'object') return { text: note.text ?? note.code ?? '', code: note.code };
  return { text: String(note ?? ''), lang: 'en' };
}

/** One note as a list item (or span). */
export const noteItem = (n, tag = 'li') => el(tag, { lang: n.lang, dataset: { code: n.code } }, n.text);
