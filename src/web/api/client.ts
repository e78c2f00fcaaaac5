import type { FormInstance } from 'antd';
import type { Lang } from '../../common/enums';
import type { FieldError, Problem } from '../../common/errors';
import { translate } from '../i18n';

// A small typed wrapper around fetch for the Kedang API: same-origin cookies, the CSRF
// header on writes, the reader's language, and RFC 9457 problems turned into ApiError.

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  /** Localized, human-readable message from the server (problem+json `title`). */
  readonly title: string;
  readonly errors: FieldError[];
  readonly requestId: string | undefined;

  constructor(status: number, code: string, title: string, errors: FieldError[] = [], requestId?: string) {
    super(title);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.title = title;
    this.errors = errors;
    this.requestId = requestId;
  }
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}

type Listener = (error: ApiError, path: string) => void;

const state: { csrfToken: string | null; lang: Lang; listeners: Set<Listener> } = {
  csrfToken: null,
  lang: 'zh',
  listeners: new Set(),
};

export function setCsrfToken(token: string | null): void {
  state.csrfToken = token;
}

export function setApiLanguage(lang: Lang): void {
  state.lang = lang;
}

/** The session's CSRF token, for requests the JSON client does not make (file uploads). */
export function csrfToken(): string | null {
  return state.csrfToken;
}

/** The UI language, for download links that cannot send Accept-Language. */
export function apiLanguage(): Lang {
  return state.lang;
}

/** Notified of every failed request (the session context re-logs in on 401). */
export function onApiError(listener: Listener): () => void {
  state.listeners.add(listener);
  return () => state.listeners.delete(listener);
}

export type Query = Record<string, string | number | boolean | null | undefined>;

export function queryString(query?: Query): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    params.set(k, String(v));
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}

interface RequestOptions {
  query?: Query;
  body?: unknown;
  signal?: AbortSignal;
}

async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = {
    Accept: 'application/json',
    'Accept-Language': state.lang === 'en' ? 'en' : 'zh-CN',
  };
  if (method !== 'GET' && state.csrfToken) headers['X-CSRF-Token'] = state.csrfToken;
  let body: string | undefined;
  if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  let response: Response;
  try {
    response = await fetch(`/api${path}${queryString(opts.query)}`, {
      method,
      headers,
      body,
      credentials: 'same-origin',
      signal: opts.signal,
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError(0, 'network_error', translate(state.lang, 'common.networkError'));
  }
  if (response.status === 204) return undefined as T;
  const type = response.headers.get('content-type') ?? '';
  const isJson = type.includes('json');
  const data: unknown = isJson ? await response.json().catch(() => null) : null;
  if (response.ok) return data as T;
  throw failed(response.status, data, path);
}

/** The ApiError of a failed answer (its problem+json, if any), told to the listeners. */
function failed(status: number, data: unknown, path: string): ApiError {
  const problem = (data ?? {}) as Partial<Problem>;
  const error = new ApiError(
    status,
    problem.code ?? 'http_error',
    problem.title ?? translate(state.lang, 'common.serverError', { status }),
    Array.isArray(problem.errors) ? problem.errors : [],
    problem.requestId,
  );
  for (const listener of state.listeners) listener(error, path);
  return error;
}

/** The name in a Content-Disposition header (RFC 5987 `filename*` first). */
function dispositionName(header: string | null): string | null {
  if (!header) return null;
  const extended = /filename\*=UTF-8''([^;]+)/i.exec(header);
  if (extended?.[1]) {
    try {
      return decodeURIComponent(extended[1]);
    } catch {
      // fall through to the plain name
    }
  }
  return /filename="([^"]*)"/i.exec(header)?.[1] ?? null;
}

/**
 * A file the API serves (a download, a stamped copy, an export), fetched with the session so
 * that a refusal is an ApiError with its message — a plain link would show the browser the raw
 * problem+json. The content is held as a Blob (the browser keeps large ones on disk).
 */
export async function fetchFile(url: string): Promise<{ blob: Blob; name: string | null }> {
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { 'Accept-Language': state.lang === 'en' ? 'en' : 'zh-CN' },
      credentials: 'same-origin',
    });
  } catch {
    throw new ApiError(0, 'network_error', translate(state.lang, 'common.networkError'));
  }
  if (!response.ok) {
    const isJson = (response.headers.get('content-type') ?? '').includes('json');
    throw failed(response.status, isJson ? await response.json().catch(() => null) : null, url);
  }
  return { blob: await response.blob(), name: dispositionName(response.headers.get('content-disposition')) };
}

export const api = {
  get: <T>(path: string, query?: Query, signal?: AbortSignal) => request<T>('GET', path, { query, signal }),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, { body }),
  put: <T>(path: string, body?: unknown) => request<T>('PUT', path, { body }),
  patch: <T>(path: string, body?: unknown) => request<T>('PATCH', path, { body }),
  delete: <T = void>(path: string) => request<T>('DELETE', path),
};

/**
 * Puts the server's field errors under the matching form fields. Returns the errors that
 * belong to no field of the form, so that the caller can show them (with `error.title`).
 */
export function applyFormErrors(form: FormInstance, error: unknown): FieldError[] {
  if (!isApiError(error)) return [];
  const registered = new Set(form.getFieldsError().map((f) => f.name.join('.')));
  const byField = new Map<string, string[]>();
  const rest: FieldError[] = [];
  for (const fe of error.errors) {
    // `roles.0` belongs to the `roles` field.
    const name = registered.has(fe.field) ? fe.field : fe.field.split('.')[0];
    if (name && registered.has(name)) {
      byField.set(name, [...(byField.get(name) ?? []), fe.message]);
    } else {
      rest.push(fe);
    }
  }
  form.setFields(
    [...byField.entries()].map(([name, errors]) => ({ name: name.split('.'), errors: [...new Set(errors)] })),
  );
  return rest;
}

/** One line for a message toast: the server's title, plus field errors no form field shows. */
export function errorText(error: unknown, unplaced: FieldError[] = []): string {
  if (!isApiError(error)) {
    return error instanceof Error ? error.message : String(error);
  }
  const extra = unplaced.map((e) => e.message).filter((m) => m && m !== error.title);
  if (!extra.length) return error.title;
  return state.lang === 'en' ? `${error.title}: ${extra.join('; ')}` : `${error.title}：${extra.join('；')}`;
}

/**
 * Handles a failed form submission: field errors go under their fields; returns the text
 * for the form's alert, or null when every problem is already shown at a field.
 */
export function formErrorText(form: FormInstance, error: unknown): string | null {
  const rest = applyFormErrors(form, error);
  if (isApiError(error) && error.errors.length > 0 && rest.length === 0) return null;
  return errorText(error, rest);
}

/**
 * Sends a file, reporting upload progress (fetch cannot): as multipart/form-data, or with
 * `raw` as the request body itself (the server then needs no multipart parsing).
 */
export async function upload<T>(
  path: string,
  file: File,
  onProgress?: (percent: number) => void,
  raw = false,
): Promise<T> {
  const token = state.csrfToken;
  const lang = state.lang;
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api${path}`);
    xhr.withCredentials = true;
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.setRequestHeader('Accept-Language', lang === 'en' ? 'en' : 'zh-CN');
    if (token) xhr.setRequestHeader('X-CSRF-Token', token);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && onProgress) onProgress(Math.round((e.loaded / e.total) * 100));
    };
    xhr.onerror = () => reject(new ApiError(0, 'network_error', translate(lang, 'common.networkError')));
    xhr.onload = () => {
      let data: unknown = null;
      try {
        data = xhr.responseText ? JSON.parse(xhr.responseText) : null;
      } catch {
        data = null;
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        resolve(data as T);
        return;
      }
      const p = (data ?? {}) as { code?: string; title?: string; errors?: []; requestId?: string };
      reject(
        new ApiError(
          xhr.status,
          p.code ?? 'http_error',
          p.title ?? translate(lang, 'common.serverError', { status: xhr.status }),
          Array.isArray(p.errors) ? p.errors : [],
          p.requestId,
        ),
      );
    };
    if (raw) {
      xhr.setRequestHeader('Content-Type', 'application/octet-stream');
      xhr.send(file);
      return;
    }
    const form = new FormData();
    form.append('file', file, file.name);
    xhr.send(form);
  });
}
