import { getToken, redirectToSignIn } from "@/lib/auth";

/** Where the API lives; empty means the same origin (the production setup). */
export const API_BASE = (process.env.NEXT_PUBLIC_API_BASE ?? "").replace(/\/+$/, "");

export class ApiError extends Error {
  readonly status: number;
  /** Seconds to wait, from a 429's Retry-After. */
  readonly retryAfter: number | null;

  constructor(status: number, message: string, retryAfter: number | null = null) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.retryAfter = retryAfter;
  }
}

interface RequestOptions {
  method?: "GET" | "POST" | "PATCH" | "DELETE";
  body?: unknown;
  /** Sign-in calls have no token and must not bounce to sign-in on 401. */
  auth?: boolean;
  signal?: AbortSignal;
}

export interface ApiResponse<T> {
  status: number;
  data: T;
}

function parseRetryAfter(value: string | null): number | null {
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds));
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!text) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function errorMessage(status: number, body: unknown, retryAfter: number | null): string {
  if (body && typeof body === "object" && "error" in body && typeof body.error === "string") {
    return body.error;
  }
  if (status === 429) {
    return retryAfter !== null ? `Too many requests. Try again in ${retryAfter} s.` : "Too many requests. Try again shortly.";
  }
  if (status >= 500) return "The server had a problem. Please try again.";
  return `Request failed (${status}).`;
}

/** One JSON request. Resolves with the status too, since 202 and 200 mean different things. */
export async function request<T>(path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
  const { method = "GET", body, auth = true, signal } = options;
  const headers: Record<string, string> = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (auth) {
    const token = getToken();
    if (!token) {
      redirectToSignIn();
      throw new ApiError(401, "Please sign in.");
    }
    headers.Authorization = `Bearer ${token}`;
  }
  let response: Response;
  try {
    response = await fetch(`${API_BASE}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
      cache: "no-store",
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === "AbortError") throw cause;
    throw new ApiError(0, "Cannot reach the server. Check your connection and try again.");
  }
  const data = await readBody(response);
  if (response.status === 401 && auth) {
    redirectToSignIn();
    throw new ApiError(401, "Your sign-in has expired.");
  }
  if (!response.ok) {
    const retryAfter = parseRetryAfter(response.headers.get("Retry-After"));
    throw new ApiError(response.status, errorMessage(response.status, data, retryAfter), retryAfter);
  }
  return { status: response.status, data: data as T };
}

/**
 * The status `GET path` answers with the current token (0 when the server cannot be reached),
 * without the sign-in bounce: for callers that decide what a 401 or a 404 means themselves.
 */
export async function probeStatus(path: string): Promise<number> {
  const token = getToken();
  if (!token) return 401;
  try {
    const response = await fetch(`${API_BASE}${path}`, {
      headers: { Accept: "application/json", Authorization: `Bearer ${token}` },
      cache: "no-store",
    });
    await response.body?.cancel();
    return response.status;
  } catch {
    return 0;
  }
}

export async function requestData<T>(path: string, options?: RequestOptions): Promise<T> {
  return (await request<T>(path, options)).data;
}

export function describeError(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return "Something went wrong.";
}
