// Figures as a user reads them: es-PE (or en) numbers, always with their unit, times in Lima.

import { t, has, getLocale } from './i18n.js';

const NBSP = '\u00a0';
const LIMA = 'America/Lima';

export function fmt(value, digits) {
  return new Intl.NumberFormat(getLocale(), { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value);
}

/** Areas in m² throughout the planner (problems, repairs, history), with a decimal only for tiny ones. */
export function fmtArea(m2) {
  const v = Number(m2);
  if (!Number.isFinite(v)) return t('value.empty');
  return `${fmt(v, Math.abs(v) < 10 ? 1 : 0)}${NBSP}m²`;
}

export function fmtM2(m2) {
  const v = Number(m2);
  return Number.isFinite(v) ? `${fmt(v, 0)}${NBSP}m²` : t('value.empty');
}

export const fmtKm = (v, d = 2) => `${fmt(Number(v) || 0, d)}${NBSP}km`;
export const fmtKm2 = (v, d = 3) => `${fmt(Number(v) || 0, d)}${NBSP}km²`;
export const fmtPct = (v, d = 1) => `${fmt(Number(v) || 0, d)}${NBSP}%`;
export const fmtMs = (v) => `${fmt(Number(v) || 0, 0)}${NBSP}ms`;

/** Date and time in Lima: 28 nov. 2026, 12:59 p. m. */
export function fmtDateTime(iso) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return String(iso);
  return new Intl.DateTimeFormat(getLocale(), { dateStyle: 'medium', timeStyle: 'short', timeZone: LIMA }).format(date);
}

/** Date and time in Lima, short (narrow tables): 28/11/26, 12:59 p. m. */
export function fmtShortDateTime(iso) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return String(iso);
  return new Intl.DateTimeFormat(getLocale(), { dateStyle: 'short', timeStyle: 'short', timeZone: LIMA }).format(date);
}

/** Longitude and latitude in degrees (WGS84). */
export const fmtLonLat = (c) => `${c[0].toFixed(5)}°, ${c[1].toFixed(5)}°`;

/** "1 incidente" / "44 incidentes": the key's One variant for one, if the table has it. */
export function plural(key, n) {
  return n === 1 && has(`${key}One`) ? t(`${key}One`) : t(key, { n: fmt(n, 0) });
}

export const yesNo = (value) => (value ? t('value.yes') : t('value.no'));

/** The API writes booleans as JSON booleans; shapefile-born data may say "true" or 1. */
export const isTrue = (value) => value === true || value === 'true' || value === 1;
