// Talks to Hoglet's API with the session cookie: every write carries the CSRF token (the
// posthog_csrftoken cookie's value in X-CSRFToken), and an error answer becomes an ApiError with
// the server's `detail`.

export class ApiError extends Error {
  constructor(readonly status: number, message: string, readonly code: string) {
    super(message);
  }
}

function csrfToken(): string {
  const match = document.cookie.match(/(?:^|;\s*)posthog_csrftoken=([^;]*)/);
  return match ? decodeURIComponent(match[1]) : '';
}

// `body` is sent as JSON, or as it is when it is a multipart form (FormData: a file upload).
export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const form = body instanceof FormData;
  const headers: Record<string, string> = {};
  if (body !== undefined && !form) headers['Content-Type'] = 'application/json';
  if (method !== 'GET') headers['X-CSRFToken'] = csrfToken();
  const response = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : form ? body : JSON.stringify(body),
    credentials: 'same-origin',
  });
  const text = await response.text();
  let parsed: any = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = null;
  }
  if (!response.ok) {
    throw new ApiError(response.status, parsed?.detail ?? `${response.status} ${response.statusText}`,
                       parsed?.code ?? '');
  }
  return parsed as T;
}

export interface Project {
  id: number;
  name: string;
  api_token: string;
  timezone?: string;
}

export interface Me {
  id: number;
  email: string;
  first_name: string;
  organization: { id: string; name: string };
  team: Project | null;
}

export interface Page<T> {
  count?: number;
  next: string | null;
  results: T[];
}
