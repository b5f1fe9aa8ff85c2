// i18n (issue 12): what "carga" (workload) is made of, said from the plan's own weights (report.weights: [{attribute,
// weight}], Σ weight × value over a sector's blocks): incidents and street metres by default, 100 m = one incident.

import { t, has } from './i18n.js';
import { fmt } from './format.js';

const term = ({ attribute, weight }) => {
  const key = `workload.term.${String(attribute).toLowerCase()}`;
  return has(key) ? t(key, { w: fmt(weight, 2) }) : t('workload.term.other', { name: attribute, w: fmt(weight, 2) });
};

/** One sentence: how the plan's workload is made ("carga = incidentes × 1 + metros de calle × 0,01 ..."). */
export function workloadExplained(weights) {
  const terms = (weights ?? []).filter((w) => Number(w?.weight) !== 0);
  if (terms.length === 0) return t('workload.default');
  const sentence = t('workload.made', { terms: terms.map(term).join(' + ') });
  const incidents = terms.find((w) => String(w.attribute).toLowerCase() === 'incidents');
  const metres = terms.find((w) => ['frontage_m', 'street_m'].includes(String(w.attribute).toLowerCase()));
  return incidents && metres && metres.weight > 0
    ? `${sentence} ${t('workload.equivalence', { m: fmt(incidents.weight / metres.weight, 0) })}`
    : sentence;
}
