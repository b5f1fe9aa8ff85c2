// The notes of the server's results, said in the viewer's language from the one catalog the service says them from
// (GET /api/notes/catalog, the service's notes.json). A note is {code, args, text}: code and named arguments (numbers
// as numbers, in the unit the catalog names; names as strings), text the server's sentence, used until the catalog
// has loaded or for a code the catalog does not know.

import { getLang } from './i18n.js';
import { request, setNoteSayer } from './api.js';

let catalog = null;

/** Resolves once the catalog is loaded (or failed to load: the server's texts are used then). */
export const notesReady = request('api/notes/catalog')
  .then(({ body }) => {
    catalog = body;
    return body;
  })
  .catch(() => null);

function number(v, kind, language) {
  if (v === null || !Number.isFinite(Number(v))) return '—';
  const value = Number(v);
  if (kind.invariant) return String(Number(value.toFixed(kind.maxDigits ?? kind.digits ?? 6)));
  const fixed = kind.digits;
  const max = fixed ?? kind.maxDigits ?? 0;
  // The catalog's separators, not the browser's: the same figure reads the same in the viewer and the field kit.
  const plain = new Intl.NumberFormat('en-US', { minimumFractionDigits: fixed ?? 0, maximumFractionDigits: max, useGrouping: true }).format(value);
  return plain.replace(/[,.]/g, (c) => (c === ',' ? language.group : language.decimal));
}

function argument(value, kind = {}, lang, language) {
  if (Array.isArray(value)) {
    const max = kind.max ?? Infinity;
    const kept = value.slice(0, max);
    if (kind.and && kept.length > 1 && kept.length === value.length) return `${kept.slice(0, -1).join(', ')} ${language.and} ${kept[kept.length - 1]}`;
    const shown = kept.join(', ');
    return value.length > max ? `${shown} ${language.more.replace('{count}', number(value.length - max, { digits: 0 }, language))}` : shown;
  }
  if (typeof value === 'string') return kind.values?.[value]?.[lang] ?? value;
  if ((typeof value === 'number' || value === null) && kind.area) {
    // An area in m²: km² from 0.1 km², whole m² from 10 m² (the service's NoteCatalog says it the same way).
    const v = Number(value);
    if (v >= 100000) return `${number(v / 1e6, { digits: 2 }, language)} km²`;
    return `${number(v, v >= 10 ? { digits: 0 } : { maxDigits: 1 }, language)} m²`;
  }
  if (typeof value === 'number' || value === null) {
    const n = number(value, kind, language);
    return kind.unit ? `${n} ${kind.unit}` : n;
  }
  return String(value);
}

/** The note's sentence in the viewer's language; a bare string (an older report) as it is. */
export function noteText(note, lang = getLang()) {
  if (note === null || typeof note !== 'object') return String(note ?? '');
  const entry = catalog?.notes?.[note.code];
  if (!entry) return note.text ?? note.code;
  const language = catalog.languages[lang] ?? catalog.languages.en;
  const template = entry[lang] ?? entry.en;
  const args = note.args ?? {};
  // {name} is the argument; {name:one|many} the word for one or for any other number.
  return template.replace(/\{(\w+)(?::([^{}|]*)\|([^{}]*))?\}/g, (m, name, one, many) => {
    if (!(name in args)) return m;
    if (one !== undefined) return Number(args[name]) === 1 ? one : many;
    return argument(args[name], catalog.kinds[entry.args[name]], lang, language);
  });
}

/** True when the viewer can say the note itself (else it shows the server's text, in the language the server chose). */
export const knowsNote = (note) => Boolean(note && typeof note === 'object' && catalog?.notes?.[note.code]);

// i18n (issue 12): the ProblemDetails of a refusal (code, args) is said from the catalog too.
setNoteSayer((note) => (knowsNote(note) ? noteText(note) : null));
