// Layout that fits: a sidebar that can be widened (drag the handle, or arrow keys on it; the width is kept in
// localStorage), every table in the sidebar inside a scroller of its own (no table wider than its panel), and the
// planner's validation and repair marks cleared when a later step (sectors, coverage, routes) draws on the map.

import { t } from './i18n.js';
import { map, layers } from './map.js';
import { emit, on } from './events.js';

const KEY = 'barrioViewer.sidebarWidth';
const MIN = 280;
const STEP = 24;
const root = document.documentElement;
const sidebar = document.getElementById('sidebar');
const handle = document.getElementById('sidebar-resizer');

/** Widest the sidebar may be: leaves the map at least 320 px (or 40 % of the window). */
const max = () => Math.max(MIN, Math.min(900, window.innerWidth - Math.max(320, window.innerWidth * 0.4)));
const clamp = (w) => Math.round(Math.min(max(), Math.max(MIN, w)));

function stored() {
  try {
    const w = Number(localStorage.getItem(KEY));
    return Number.isFinite(w) && w > 0 ? w : null;
  } catch {
    return null; // storage disabled
  }
}

export function sidebarWidth() {
  return sidebar.getBoundingClientRect().width;
}

/** Sets the sidebar's width in CSS pixels (clamped); keep: remember it for the next visit. */
export function setSidebarWidth(width, { keep = true } = {}) {
  const w = clamp(width);
  root.style.setProperty('--sidebar-w', `${w}px`);
  handle.setAttribute('aria-valuenow', String(w));
  handle.setAttribute('aria-valuemin', String(MIN));
  handle.setAttribute('aria-valuemax', String(Math.round(max())));
  handle.setAttribute('aria-valuetext', t('layout.width', { px: w }));
  if (keep) {
    try {
      localStorage.setItem(KEY, String(w));
    } catch {
      /* storage disabled: the width lasts for this page only */
    }
  }
  map.updateSize();
  return w;
}

const initial = stored();
if (initial !== null) setSidebarWidth(initial, { keep: false });
else setSidebarWidth(sidebarWidth(), { keep: false });

// Pointer events: mouse, pen and touch alike.
handle.addEventListener('pointerdown', (e) => {
  if (e.button !== 0) return;
  e.preventDefault();
  handle.setPointerCapture(e.pointerId);
  const left = sidebar.getBoundingClientRect().left;
  document.body.classList.add('is-resizing');
  const move = (ev) => setSidebarWidth(ev.clientX - left, { keep: false });
  const up = (ev) => {
    handle.releasePointerCapture(ev.pointerId);
    handle.removeEventListener('pointermove', move);
    handle.removeEventListener('pointerup', up);
    handle.removeEventListener('pointercancel', up);
    document.body.classList.remove('is-resizing');
    setSidebarWidth(sidebarWidth());
  };
  handle.addEventListener('pointermove', move);
  handle.addEventListener('pointerup', up);
  handle.addEventListener('pointercancel', up);
});

handle.addEventListener('keydown', (e) => {
  const w = sidebarWidth();
  const step = e.shiftKey ? STEP * 4 : STEP;
  const next = { ArrowRight: w + step, ArrowLeft: w - step, Home: MIN, End: max() }[e.key];
  if (next === undefined) return;
  e.preventDefault();
  setSidebarWidth(next);
});

window.addEventListener('resize', () => setSidebarWidth(sidebarWidth(), { keep: false }));
on('language', () => handle.setAttribute('aria-valuetext', t('layout.width', { px: Math.round(sidebarWidth()) })));

// ---- tables scroll inside their panel -------------------------------------------------------------------------------

function wrapTables(node) {
  const tables = node instanceof HTMLTableElement ? [node] : node.querySelectorAll?.('table') ?? [];
  for (const table of tables) {
    if (table.parentElement?.classList.contains('table-scroll')) continue;
    const wrap = document.createElement('div');
    wrap.className = 'table-scroll';
    wrap.tabIndex = 0; // a scroller reachable by keyboard
    table.replaceWith(wrap);
    wrap.append(table);
  }
}

wrapTables(sidebar);
new MutationObserver((records) => {
  for (const r of records) for (const n of r.addedNodes) if (n.nodeType === Node.ELEMENT_NODE) wrapTables(n);
}).observe(sidebar, { childList: true, subtree: true });

// ---- one step's overlays give way to the next -----------------------------------------------------------------------

const LATER = ['sectors', 'coverage', 'routes'];
let clearing = false;
for (const key of LATER) {
  layers[key].getSource().on('addfeature', () => {
    if (clearing) return;
    clearing = true;
    queueMicrotask(() => {
      clearing = false;
      const validation = layers.validation.getSource();
      const diff = layers.diff.getSource();
      if (validation.getFeatures().length === 0 && diff.getFeatures().length === 0) return;
      validation.clear();
      diff.clear();
      emit('layers');
    });
  });
}
