// Sends a multipart form (a file upload) to Hoglet's API with the session cookie and the CSRF
// token, as api() sends JSON; an error answer becomes an ApiError with the server's `detail`.
import { ApiError, csrfToken } from './api';

export async function uploadForm<T>(method: string, path: string, form: FormData): Promise<T> {
  const response = await fetch(path, {
    method,
    headers: { 'X-CSRFToken': csrfToken() },
    body: form,
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
