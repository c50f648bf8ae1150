// Calls to the HeatScheduler API with the planner's token (kept for this browser tab only).

const TOKEN_KEY = 'heatscheduler.token';

export const auth = {
  get token() {
    return sessionStorage.getItem(TOKEN_KEY);
  },
  set token(value) {
    if (value) sessionStorage.setItem(TOKEN_KEY, value);
    else sessionStorage.removeItem(TOKEN_KEY);
  },
  /** The token's claims, read without checking the signature (the API checks it); only to show who and which tenant. */
  get claims() {
    const token = this.token;
    if (!token) return null;
    try {
      const payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
      return JSON.parse(atob(payload));
    } catch {
      return null;
    }
  },
};

/** An error answer of the API: `{ code, message, details: [{ path, message }] }`. */
export class ApiError extends Error {
  constructor(status, body) {
    super(body?.message ?? `HTTP ${status}`);
    this.status = status;
    this.code = body?.code ?? 'HTTP';
    this.details = Array.isArray(body?.details) ? body.details : [];
  }
}

function headers(extra = {}) {
  const h = { Accept: 'application/json', ...extra };
  if (auth.token) h.Authorization = `Bearer ${auth.token}`;
  return h;
}

/** Signals a 401 to the app (which shows the sign-in page). */
function unauthenticated() {
  window.dispatchEvent(new CustomEvent('heatscheduler:unauthenticated'));
}

export async function api(path, { method = 'GET', body, signal } = {}) {
  const init = { method, headers: headers(body === undefined ? {} : { 'Content-Type': 'application/json' }), signal };
  if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
  const response = await fetch(path, init);
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!response.ok) {
    if (response.status === 401) unauthenticated();
    throw new ApiError(response.status, json);
  }
  return json;
}

/** Public files of the page's server (no token needed). */
export async function publicJson(path) {
  const response = await fetch(path, { headers: { Accept: 'application/json' } });
  if (!response.ok) throw new ApiError(response.status, null);
  return response.json();
}

/**
 * Follows `/api/runs/:id/events` (Server-Sent Events read over fetch, so the bearer token goes
 * with it), reconnecting with `Last-Event-ID` after a dropped connection until the `end` event.
 */
export async function followRun(runId, onEvent, signal) {
  let lastEventId;
  for (let attempt = 0; !signal.aborted; attempt++) {
    try {
      const ended = await readStream(`/api/runs/${runId}/events`, lastEventId, signal, (event) => {
        if (event.id) lastEventId = event.id;
        onEvent(event);
      });
      if (ended) return;
    } catch (err) {
      if (signal.aborted) return;
      if (err instanceof ApiError && err.status < 500) throw err;
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(2000 * (attempt + 1), 10000)));
  }
}

async function readStream(url, lastEventId, signal, onEvent) {
  const extra = { Accept: 'text/event-stream' };
  if (lastEventId) extra['Last-Event-ID'] = lastEventId;
  const response = await fetch(url, { headers: headers(extra), signal });
  if (!response.ok) {
    if (response.status === 401) unauthenticated();
    throw new ApiError(response.status, await response.json().catch(() => null));
  }
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return false;
    buffer += decoder.decode(value, { stream: true });
    let cut;
    while ((cut = buffer.indexOf('\n\n')) >= 0) {
      const event = parseEvent(buffer.slice(0, cut));
      buffer = buffer.slice(cut + 2);
      if (!event) continue;
      onEvent(event);
      if (event.event === 'end') return true;
    }
  }
}

function parseEvent(block) {
  const fields = {};
  for (const line of block.split('\n')) {
    if (!line || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    fields[line.slice(0, colon)] = line.slice(colon + 1).trimStart();
  }
  if (fields.data === undefined) return null;
  return { id: fields.id, event: fields.event ?? 'message', data: JSON.parse(fields.data) };
}

/** Downloads a report file with the token (a plain link cannot carry it). */
export async function download(path, filename) {
  const response = await fetch(path, { headers: headers({ Accept: '*/*' }) });
  if (!response.ok) throw new ApiError(response.status, await response.json().catch(() => null));
  const url = URL.createObjectURL(await response.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}
