/** An answer other than 2xx from the query API, with the message it gave (never a stack trace). */
export class ApiError extends Error {
  constructor(status, message, parameter) {
    super(message);
    this.status = status;
    this.parameter = parameter;
  }
}

/** GET a JSON endpoint of the query API with the session cookie; 401 tells the app to show the login page. */
export async function getJson(path, params = {}) {
  const search = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== undefined && v !== ''));
  const url = search.size > 0 ? `${path}?${search}` : path;
  const res = await fetch(url, { credentials: 'same-origin', headers: { accept: 'application/json' } });
  const body = await res.json().catch(() => ({}));
  if (res.status === 401) {
    window.dispatchEvent(new Event('vigil:logged-out'));
    throw new ApiError(401, 'Your session has ended: log in again.');
  }
  if (!res.ok) throw new ApiError(res.status, body?.error?.message ?? `the server answered ${res.status}`, body?.error?.parameter);
  return body;
}

export async function postJson(path, body) {
  const res = await fetch(path, { method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const answer = await res.json().catch(() => ({}));
  if (!res.ok) throw new ApiError(res.status, answer?.error?.message ?? `the server answered ${res.status}`);
  return answer;
}
