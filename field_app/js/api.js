// The server's /api/v1 over fetch. Errors come back as ApiError (with the server's Japanese
// message) or NetworkError (no answer at all: offline, aborted, timed out).

let token = null;
let deviceId = null;

export function useCredentials(newToken, newDeviceId) {
  token = newToken;
  deviceId = newDeviceId;
}

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.message || `サーバーからエラーが返りました（${status}）。`);
    this.status = status;
    this.code = body?.code ?? "http_error";
    this.details = body?.details ?? null;
  }

  get retryable() { return this.status >= 500 || this.status === 429 || this.status === 408; }
}

export class NetworkError extends Error {
  constructor() { super("サーバーにつながりません。電波のある所で自動的に送ります。"); }
}

export async function call(path, { method = "GET", json, body, headers = {}, timeoutMs = 60000 } = {}) {
  const all = { ...headers };
  if (token) all.Authorization = `Bearer ${token}`;
  if (deviceId) all["X-Device-Id"] = deviceId;
  if (json !== undefined) all["Content-Type"] = "application/json";
  let response;
  let data = null;
  try {
    response = await fetch(`/api/v1${path}`, {
      method, headers: all, cache: "no-store", signal: AbortSignal.timeout(timeoutMs),
      body: json !== undefined ? JSON.stringify(json) : body,
    });
    const text = await response.text(); // a body cut off mid-way is a network error too
    data = text ? JSON.parse(text) : null;
  } catch (error) {
    if (response && error instanceof SyntaxError && !response.ok) data = null;
    else throw new NetworkError();
  }
  if (!response.ok) throw new ApiError(response.status, data);
  return { status: response.status, data };
}

// A binary GET (a photo): the Blob, or null when the server has none for us (404/403).
export async function fetchBlob(path, { timeoutMs = 30000 } = {}) {
  const headers = token ? { Authorization: `Bearer ${token}` } : {};
  let response;
  try {
    response = await fetch(`/api/v1${path}`, { headers, signal: AbortSignal.timeout(timeoutMs) });
    if (response.status === 404 || response.status === 403) return null;
    if (!response.ok) throw new ApiError(response.status, null);
    return await response.blob();
  } catch (error) {
    if (error instanceof ApiError) throw error;
    throw new NetworkError();
  }
}
