// The one HTTP client of the viewer: every request of every panel goes through request().
// JSON in and out, a ProblemDetails (RFC 9457) becomes an ApiError that says the server's reason, and every request can
// be cancelled with an AbortSignal. Tasks (below) tie a request to a spinner with its "Cancelar" button.
// Paths are relative to the page (document.baseURI), so the viewer also works behind a path base.

import { t, getLang, getLocale } from './i18n.js';

const ACCEPT = 'application/json, application/geo+json, application/problem+json';

// ---- sign-in: the bearer token lives in sessionStorage (gone with the tab), sent on every request ----------------------

const SESSION_KEY = 'barrioViewer.session';

/** The signed-in user {token, username, role, districts}, or null. */
export function session() {
  try {
    const s = JSON.parse(sessionStorage.getItem(SESSION_KEY) ?? 'null');
    return s && typeof s.token === 'string' && Date.now() < s.expiresAt ? s : null;
  } catch {
    return null;
  }
}

export const isSignedIn = () => session() !== null;

/** POST /api/auth/token; keeps the token. Rejects with the ApiError (401: wrong name or password, or locked). */
export async function signIn(username, password) {
  const { body } = await request('api/auth/token', { method: 'POST', json: { username, password } });
  sessionStorage.setItem(SESSION_KEY, JSON.stringify({
    token: body.access_token, username: body.username, role: body.role, districts: body.districts ?? [],
    expiresAt: Date.now() + body.expires_in * 1000,
  }));
  return session();
}

/** Revokes the token on the server (every token of the user) and forgets it. */
export async function signOut() {
  try {
    if (isSignedIn()) await request('api/auth/revoke', { method: 'POST' });
  } catch {
    // Signed out here anyway; the token expires by itself.
  } finally {
    sessionStorage.removeItem(SESSION_KEY);
  }
}

export class ApiError extends Error {
  /** kind: 'http' (the server answered an error) | 'network' (no answer) | 'badJson' (an answer that is not JSON). */
  constructor(kind, { status, title, detail, body } = {}) {
    super(`${kind}${status ? ` ${status}` : ''}${title ? `: ${title}` : ''}${detail ? ` — ${detail}` : ''}`);
    this.kind = kind;
    this.status = status;
    this.title = title;
    this.detail = detail;
    this.body = body ?? null; // the ProblemDetails (extensions such as currentVersion included)
  }

  /** One line in the viewer's language, with the server's own title and detail. */
  describe() {
    if (this.kind === 'network') return t('error.network');
    if (this.kind === 'badJson') return t('error.badJson');
    const parts = [t('error.http', { status: this.status })];
    if (this.title) parts.push(this.title);
    const detail = this.reason();
    if (detail && detail !== this.title) parts.push(detail);
    return parts.join(' — ');
  }

  // i18n (issue 12): a refusal with a note (code, args) is said in the viewer's current language.
  /** The server's reason: its note in the viewer's language when it has one the catalog knows, else its detail. */
  reason() {
    const note = this.note();
    return (note && sayNote?.(note)) || this.detail;
  }

  /** The refusal's note {code, args, text}, or null. */
  note() {
    const b = this.body;
    return b && typeof b.code === 'string' && b.args && typeof b.args === 'object' ? { code: b.code, args: b.args, text: this.detail } : null;
  }
}

// Set by notes.js once loaded (notes.js imports this module, so it cannot be imported back here).
let sayNote = null;
/** i18n (issue 12): how a note is said (notes.js registers noteText when the catalog knows the code, else null). */
export function setNoteSayer(fn) {
  sayNote = fn;
}

/** True when the request was cancelled (Cancelar, or a newer request took its place). */
export const isAbort = (err) => err?.name === 'AbortError';

/** A message for any failure: the ApiError's sentence, else the error's own message. */
export function describe(err) {
  return err instanceof ApiError ? err.describe() : String(err?.message ?? err);
}

/**
 * What a panel shows of a failure: {cancelled} | {status, title, detail, text} for an HTTP error | {text}.
 */
export function failure(err) {
  if (isAbort(err)) return { cancelled: true };
  if (err instanceof ApiError && err.kind === 'http') {
    return { status: err.status, title: err.title ?? null, detail: err.reason() ?? null, text: err.describe(), said: Boolean(err.note() && err.reason() !== err.detail) };
  }
  return { text: describe(err) };
}

/**
 * Sends a request and reads its JSON answer. Resolves with {body, response}; rejects with an ApiError, or with the
 * AbortError when the signal fired.
 */
export async function request(path, { method = 'GET', headers = {}, signal, json, text, contentType, form } = {}) {
  let response;
  const signedIn = session();
  try {
    response = await fetch(new URL(path, document.baseURI), {
      method,
      headers: {
        Accept: ACCEPT,
        'Accept-Language': `${getLocale()}, ${getLang()};q=0.9`, // the server's notes and texts in the viewer's language
        ...(signedIn ? { Authorization: `Bearer ${signedIn.token}` } : {}),
        ...(json !== undefined ? { 'Content-Type': 'application/json' } : {}),
        ...(text !== undefined ? { 'Content-Type': contentType ?? 'text/plain' } : {}), // a file sent as it is (CSV)
        ...headers,
      },
      body: json !== undefined ? JSON.stringify(json) : (form ?? text), // form: a FormData (multipart, the browser sets its boundary)
      signal,
    });
  } catch (err) {
    if (isAbort(err)) throw err;
    throw new ApiError('network');
  }
  let body = null;
  try {
    body = await response.json();
  } catch (err) {
    if (isAbort(err)) throw err;
    body = null;
  }
  // A token the server no longer takes (expired, revoked): forget it, so the page offers to sign in again.
  if (response.status === 401 && signedIn) sessionStorage.removeItem(SESSION_KEY);
  if (!response.ok) {
    throw new ApiError('http', {
      status: response.status,
      title: body?.title ?? response.statusText,
      detail: body?.detail,
      body,
    });
  }
  if (response.status === 204) return { body: null, response }; // a delete: no body
  if (body === null) throw new ApiError('badJson', { status: response.status });
  return { body, response };
}

/**
 * One vector tile's bytes (issue 14.6, tiles.js), with the bearer token when signed in; an empty tile (204) is an empty
 * buffer. The browser revalidates it by its ETag (Cache-Control: no-cache), so an unchanged tile costs a 304.
 */
export async function fetchTile(path) {
  const signedIn = session();
  const response = await fetch(new URL(path, document.baseURI), { headers: signedIn ? { Authorization: `Bearer ${signedIn.token}` } : {} })
    .catch(() => { throw new ApiError('network'); });
  if (response.status === 204) return new ArrayBuffer(0);
  if (!response.ok) throw new ApiError('http', { status: response.status, title: response.statusText });
  return response.arrayBuffer();
}

/**
 * Downloads a file the server answers (GPX, PDF, exports) with the bearer token, which a plain <a download> cannot send:
 * the body becomes a blob and a temporary link saves it under the server's file name. onProgress(received, total)
 * follows the bytes (total 0 when the server sent no Content-Length); signal cancels. Resolves with
 * {fileName, bytes, warnings} (warnings: the X-Barrio-Warning-Count of the answer).
 */
export async function download(path, fallbackName, { signal, onProgress } = {}) {
  const signedIn = session();
  const response = await fetch(new URL(path, document.baseURI), {
    headers: signedIn ? { Authorization: `Bearer ${signedIn.token}` } : {},
    signal,
  }).catch((err) => {
    throw isAbort(err) ? err : new ApiError('network');
  });
  if (!response.ok) {
    let body = null;
    try { body = await response.json(); } catch { body = null; }
    throw new ApiError('http', { status: response.status, title: body?.title ?? response.statusText, detail: body?.detail, body });
  }
  const total = Number(response.headers.get('content-length')) || 0;
  const chunks = [];
  let received = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    received += value.length;
    onProgress?.(received, total);
  }
  const match = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(response.headers.get('content-disposition') ?? '');
  const fileName = match ? decodeURIComponent(match[1]) : fallbackName;
  const url = URL.createObjectURL(new Blob(chunks, { type: response.headers.get('content-type') ?? 'application/octet-stream' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return { fileName, bytes: received, warnings: Number(response.headers.get('x-barrio-warning-count')) || 0 };
}

/** Reads a GeoJSON collection and follows its rel="next" links (at most maxPages pages); returns all features. */
export async function requestAllFeatures(path, { maxPages = 200, signal } = {}) {
  const features = [];
  const seen = new Set();
  let url = new URL(path, document.baseURI).href;
  for (let page = 0; url && page < maxPages; page++) {
    seen.add(url);
    const { body } = await request(url, { signal });
    if (!Array.isArray(body.features)) throw new ApiError('badJson');
    features.push(...body.features);
    const next = Array.isArray(body.links) ? body.links.find((l) => l && l.rel === 'next' && l.href) : null;
    const nextUrl = next ? new URL(next.href, url).href : null;
    url = nextUrl && !seen.has(nextUrl) && body.features.length > 0 ? nextUrl : null;
  }
  return features;
}

/**
 * Long work with a spinner and a "Cancelar" button: run(slot, kind, fn) calls fn(signal); a new task in the same slot
 * cancels the one before; the button cancels them all. box is shown while anything runs, text says what the newest
 * task does (label(kind)), onChange(running) follows every start and end.
 */
export function tasks({ box, text, cancel, label, onChange = () => {} }) {
  const running = new Map(); // slot -> {controller, kind}

  function update() {
    const list = [...running.values()];
    box.hidden = list.length === 0;
    if (list.length > 0) text.textContent = label(list[list.length - 1].kind);
    onChange(list.length > 0);
  }

  async function run(slot, kind, fn) {
    running.get(slot)?.controller.abort();
    const task = { controller: new AbortController(), kind };
    running.delete(slot); // re-insert so that the newest task names the spinner
    running.set(slot, task);
    update();
    try {
      return await fn(task.controller.signal);
    } finally {
      if (running.get(slot) === task) running.delete(slot);
      update();
    }
  }

  function cancelAll() {
    for (const task of running.values()) task.controller.abort();
  }

  cancel.addEventListener('click', cancelAll);

  return {
    run,
    cancel: cancelAll,
    abort: (slot) => running.get(slot)?.controller.abort(),
    get busy() {
      return running.size > 0;
    },
    /** Re-says the spinner's text (after a language change). */
    relabel: update,
  };
}
