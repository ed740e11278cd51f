/**
 * One session's WebSocket, kept alive: reconnects with backoff, resumes from
 * the last stream id it received, queues frames while down, and gives up only
 * when the token is refused or the session is gone.
 *
 * The server checks the token and the session before the handshake completes, so
 * a browser sees a refusal only as a socket that closes (1006) without ever
 * opening. When that happens the socket asks `probe` (GET /sessions/{id} with the
 * same token) what is wrong: "auth" (401), "missing" (404) or "retry" (anything
 * else: the server is down or restarting). Servers that accept first and close
 * with 4401 / 4404 are understood too.
 */
import type { ClientMessageFrame, ServerEvent } from "@/lib/api/types";
import { isReplay, laterStreamId } from "@/lib/chat/stream-ids";
import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from "@/lib/ws/backoff";
import { buildSocketUrl } from "@/lib/ws/url";

/** The parts of the browser WebSocket this class uses, so tests can hand in a fake. */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: Event) => void) | null;
  onmessage: ((event: MessageEvent) => void) | null;
  onclose: ((event: CloseEvent) => void) | null;
  onerror: ((event: Event) => void) | null;
}

export type SocketFactory = (url: string) => SocketLike;

export type ConnectionState = "idle" | "connecting" | "open" | "reconnecting" | "closed";

export type ProbeResult = "auth" | "missing" | "retry";

export const CLOSE_BAD_TOKEN = 4401;
export const CLOSE_NO_SESSION = 4404;
const OPEN = 1;

export interface SessionSocketOptions {
  sessionId: string;
  getToken: () => string | null;
  onEvent: (event: ServerEvent) => void;
  onConnectionChange?: (state: ConnectionState, attempt: number) => void;
  /** 4401, or no token at all: the caller should re-authenticate. */
  onAuthError?: () => void;
  /** 4404 (or another 44xx), or a probe that found no session: retrying will not help. */
  onFatal?: (code: number, reason: string) => void;
  /** Why did a socket close without opening? Without a probe, it is retried like any drop. */
  probe?: () => Promise<ProbeResult>;
  factory?: SocketFactory;
  location?: { protocol: string; host: string };
  apiBase?: string;
  backoff?: BackoffOptions;
  random?: () => number;
  initialLastEventId?: string | null;
}

function isServerEvent(value: unknown): value is ServerEvent {
  if (!value || typeof value !== "object") return false;
  const candidate = value as { id?: unknown; type?: unknown; data?: unknown };
  const idOk = candidate.id === null || candidate.id === undefined || typeof candidate.id === "string";
  return typeof candidate.type === "string" && idOk && typeof candidate.data === "object" && candidate.data !== null;
}

export class SessionSocket {
  private socket: SocketLike | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private attempt = 0;
  private stopped = true;
  private queue: string[] = [];
  private state: ConnectionState = "idle";
  private lastId: string | null;
  /** Whether the current socket ever opened; a refused handshake never does. */
  private opened = false;

  constructor(private readonly options: SessionSocketOptions) {
    this.lastId = options.initialLastEventId ?? null;
  }

  get lastEventId(): string | null {
    return this.lastId;
  }

  get connectionState(): ConnectionState {
    return this.state;
  }

  get reconnectAttempt(): number {
    return this.attempt;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.clearTimer();
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      this.detach(socket);
      socket.close(1000, "client closed");
    }
    this.setState("closed");
  }

  /** Skip the wait (the browser came back online, the tab became visible). */
  reconnectNow(): void {
    if (this.stopped || this.state !== "reconnecting") return;
    this.clearTimer();
    this.connect();
  }

  /** Send a frame now, or as soon as the connection is back. */
  send(frame: ClientMessageFrame): void {
    const data = JSON.stringify(frame);
    if (this.socket && this.socket.readyState === OPEN && this.state === "open") {
      this.socket.send(data);
    } else {
      this.queue.push(data);
    }
  }

  private connect(): void {
    const token = this.options.getToken();
    if (!token) return this.giveUp("auth");
    const url = buildSocketUrl({
      location: this.options.location ?? window.location,
      apiBase: this.options.apiBase,
      sessionId: this.options.sessionId,
      token,
      lastEventId: this.lastId,
    });
    const factory = this.options.factory ?? ((target: string) => new WebSocket(target) as SocketLike);
    this.setState(this.attempt === 0 ? "connecting" : "reconnecting");
    let socket: SocketLike;
    try {
      socket = factory(url);
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    this.opened = false;
    socket.onopen = () => this.handleOpen(socket);
    socket.onmessage = (event) => this.handleMessage(event);
    socket.onclose = (event) => this.handleClose(socket, event);
    socket.onerror = () => {
      /* a close event follows; reconnecting is decided there */
    };
  }

  private handleOpen(socket: SocketLike): void {
    if (socket !== this.socket) return;
    this.opened = true;
    this.attempt = 0;
    this.setState("open");
    const pending = this.queue;
    this.queue = [];
    for (const data of pending) socket.send(data);
  }

  private handleMessage(message: MessageEvent): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(String(message.data));
    } catch {
      return;
    }
    if (!isServerEvent(parsed)) return;
    const event = { ...parsed, id: parsed.id ?? null } as ServerEvent;
    if (isReplay(event.id, this.lastId)) return;
    this.lastId = laterStreamId(this.lastId, event.id);
    this.options.onEvent(event);
  }

  private handleClose(socket: SocketLike, event: CloseEvent): void {
    if (socket !== this.socket) return;
    this.detach(socket);
    this.socket = null;
    if (this.stopped) return;
    if (event.code === CLOSE_BAD_TOKEN) return this.giveUp("auth");
    if (event.code >= 4400 && event.code < 4500) return this.giveUp("fatal", event.code, event.reason);
    if (!this.opened && this.options.probe) return this.probeThenReconnect(this.options.probe);
    this.scheduleReconnect();
  }

  private probeThenReconnect(probe: () => Promise<ProbeResult>): void {
    this.setState("reconnecting");
    probe().then(
      (result) => {
        if (this.stopped) return;
        if (result === "auth") this.giveUp("auth");
        else if (result === "missing") this.giveUp("fatal", CLOSE_NO_SESSION, "no such session");
        else this.scheduleReconnect();
      },
      () => {
        if (!this.stopped) this.scheduleReconnect();
      },
    );
  }

  private giveUp(why: "auth" | "fatal", code = CLOSE_BAD_TOKEN, reason = ""): void {
    this.stopped = true;
    this.clearTimer();
    this.setState("closed");
    if (why === "auth") this.options.onAuthError?.();
    else this.options.onFatal?.(code, reason);
  }

  private scheduleReconnect(): void {
    const delay = backoffDelay(this.attempt, this.options.backoff ?? DEFAULT_BACKOFF, this.options.random);
    this.attempt += 1;
    this.setState("reconnecting");
    this.clearTimer();
    this.timer = setTimeout(() => {
      this.timer = null;
      if (!this.stopped) this.connect();
    }, delay);
  }

  private detach(socket: SocketLike): void {
    socket.onopen = null;
    socket.onmessage = null;
    socket.onclose = null;
    socket.onerror = null;
  }

  private clearTimer(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private setState(state: ConnectionState): void {
    if (this.state === state && state !== "reconnecting") return;
    this.state = state;
    this.options.onConnectionChange?.(state, this.attempt);
  }
}
