// A few named events between the map and the panels, so that no panel needs to know who listens:
//   'layers'       overlay layers changed (the legend redraws)
//   'neighborhood' (id | null) the planner's neighbourhood changed
//   'plan'         (plan | null) the sector plan shown changed (coverage and routes follow it)
//   'staffing'     (staffing | null) the contingent's staffing is known
//   'mapclick'     (hits) features under a click, top-most first: [{feature, layer}]
//   'language'     the language changed (after the static texts were translated)

const listeners = new Map();

export function on(name, fn) {
  if (!listeners.has(name)) listeners.set(name, []);
  listeners.get(name).push(fn);
}

export function emit(name, ...args) {
  for (const fn of listeners.get(name) ?? []) fn(...args);
}
