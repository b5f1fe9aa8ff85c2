// i18n (issue 12): names the service makes from codes, said in the viewer's language. Shift codes are Spanish
// (Planning/Names.cs: mañana, tarde, noche, día, "turno N"); a name a user typed is shown as typed.

import { t, has } from './i18n.js';
import { fmt } from './format.js';

/** A shift code in the viewer's language ("mañana" → "morning"); any other shift name as it is. */
export function shiftLabel(code) {
  const s = String(code ?? '');
  const numbered = /^turno (\d+)$/.exec(s);
  if (numbered) return t('shift.numbered', { n: numbered[1] });
  return has(`shift.${s}`) ? t(`shift.${s}`) : s;
}

/** A route's name from its sector, shift and day (the service's "Sector S1 · turno mañana · día 2"). */
export const routeName = (sector, shift, day) =>
  day && Number(day) > 1 ? t('codes.routeNameDay', { sector, shift: shiftLabel(shift), day }) : t('codes.routeName', { sector, shift: shiftLabel(shift) });

/** A plan's name: the one the service made ("El Milagro: 3 sectores (semilla 5)") said again; a given name as it is. */
export function planName(name) {
  const made = /^(.*): (\d+) sectores \(semilla (-?\d+)\)$/.exec(String(name ?? ''));
  if (made) return t('codes.planName', { hood: made[1], n: fmt(Number(made[2]), 0), seed: made[3] });
  // A painted plan kept by the service: "El Milagro: 3 sectores, editado del plan #65".
  const edited = /^(.*): (\d+) sectores, editado del plan #(\d+)$/.exec(String(name ?? ''));
  return edited ? t('codes.planNameEdited', { hood: edited[1], n: fmt(Number(edited[2]), 0), plan: edited[3] }) : String(name ?? '');
}
