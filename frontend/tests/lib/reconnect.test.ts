import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { ServerEvent } from "@/lib/api/types";
import { backoffDelay, DEFAULT_BACKOFF } from "@/lib/ws/backoff";
import { SessionSocket, type SocketLike } from "@/lib/ws/session-socket";
import { buildSocketUrl } from "@/lib/ws/url";

class FakeSocket implements SocketLike {
  readyState = 0;
  sent: string[] = [];
  onopen: ((event: Event) => void) | null = null;
  onmessage: ((event: MessageEvent) => void) | null = null;
  onclose: ((event: CloseEvent) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  constructor(readonly url: string) {}
  send(data: string) {
    this.sent.push(data);
  }
  close() {
    this.readyState = 3;
  }
  open() {
    this.readyState = 1;
    this.onopen?.(new Event("open"));
  }
  receive(event: ServerEvent) {
    this.onmessage?.(new MessageEvent("message", { data: JSON.stringify(event) }));
  }
  drop(code = 1006, reason = "") {
    this.readyState = 3;
    this.onclose?.({ code, reason } as CloseEvent);
  }
}

const location = { protocol: "https:", host: "rehearse.test" };

function setup(overrides: Partial<ConstructorParameters<typeof SessionSocket>[0]> = {}) {
  const sockets: FakeSocket[] = [];
  const events: ServerEvent[] = [];
  const states: string[] = [];
  const socket = new SessionSocket({
    sessionId: "s1",
    getToken: () => "tok en",
    onEvent: (event) => events.push(event),
    onConnectionChange: (state) => states.push(state),
    factory: (url) => {
      const fake = new FakeSocket(url);
      sockets.push(fake);
      return fake;
    },
    location,
    random: () => 0.5,
    ...overrides,
  });
  return { socket, sockets, events, states };
}

const aiMessage = (streamId: string, id: number): ServerEvent => ({
  id: streamId,
  type: "message",
  data: { id, sender: "ai", kind: "chat", text: `m${id}`, created_at: "2025-01-01T00:00:00Z", client_id: null, message_key: null },
});

describe("backoff", () => {
  it("doubles from the base up to the cap", () => {
    const noJitter = { ...DEFAULT_BACKOFF, jitter: 0 };
    expect([0, 1, 2, 3, 4, 5, 10].map((attempt) => backoffDelay(attempt, noJitter))).toEqual([500, 1000, 2000, 4000, 8000, 15000, 15000]);
  });

  it("stays within the jitter band", () => {
    expect(backoffDelay(2, DEFAULT_BACKOFF, () => 0)).toBe(1600);
    expect(backoffDelay(2, DEFAULT_BACKOFF, () => 0.999999)).toBe(2400);
  });
});

describe("socket url", () => {
  it("follows the page's scheme and carries the token and the resume point", () => {
    expect(buildSocketUrl({ location, sessionId: "a/b", token: "t&x", lastEventId: "17-3" })).toBe(
      "wss://rehearse.test/ws/a%2Fb?token=t%26x&last_event_id=17-3",
    );
    expect(buildSocketUrl({ location: { protocol: "http:", host: "localhost:8000" }, sessionId: "s", token: "t" })).toBe("ws://localhost:8000/ws/s?token=t");
  });
});

describe("SessionSocket reconnect", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("reconnects with growing delays, resuming from the last event id", () => {
    const { socket, sockets, events, states } = setup();
    socket.start();
    expect(sockets[0].url).toBe("wss://rehearse.test/ws/s1?token=tok+en");
    sockets[0].open();
    sockets[0].receive(aiMessage("10-0", 1));
    sockets[0].receive(aiMessage("11-0", 2));
    sockets[0].drop();
    expect(states.at(-1)).toBe("reconnecting");

    vi.advanceTimersByTime(499);
    expect(sockets).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(sockets).toHaveLength(2);
    expect(new URL(sockets[1].url).searchParams.get("last_event_id")).toBe("11-0");

    // The second attempt fails before opening: the wait doubles.
    sockets[1].drop();
    vi.advanceTimersByTime(999);
    expect(sockets).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(sockets).toHaveLength(3);

    // Open again: the server replays from 11-0; anything at or below it is dropped.
    sockets[2].open();
    sockets[2].receive(aiMessage("11-0", 2));
    sockets[2].receive(aiMessage("12-0", 3));
    expect(events.map((event) => event.id)).toEqual(["10-0", "11-0", "12-0"]);
    expect(socket.reconnectAttempt).toBe(0);

    // After a successful open the backoff starts over.
    sockets[2].drop();
    vi.advanceTimersByTime(500);
    expect(sockets).toHaveLength(4);
    socket.stop();
  });

  it("queues frames while disconnected and sends them once open", () => {
    const { socket, sockets } = setup();
    socket.start();
    socket.send({ type: "message", text: "early", client_id: "c1" });
    expect(sockets[0].sent).toEqual([]);
    sockets[0].open();
    expect(sockets[0].sent).toEqual(['{"type":"message","text":"early","client_id":"c1"}']);
    socket.send({ type: "message", text: "now", client_id: "c2" });
    expect(sockets[0].sent).toHaveLength(2);
    socket.stop();
  });

  it("gives up and asks for sign-in on 4401; reports 4404 as fatal", () => {
    const onAuthError = vi.fn();
    const onFatal = vi.fn();
    const first = setup({ onAuthError });
    first.socket.start();
    first.sockets[0].drop(4401, "invalid token");
    vi.advanceTimersByTime(60_000);
    expect(onAuthError).toHaveBeenCalledOnce();
    expect(first.sockets).toHaveLength(1);

    const second = setup({ onFatal });
    second.socket.start();
    second.sockets[0].drop(4404, "no such session");
    vi.advanceTimersByTime(60_000);
    expect(onFatal).toHaveBeenCalledWith(4404, "no such session");
    expect(second.sockets).toHaveLength(1);
  });

  it("asks the probe why a handshake was refused: 401 means sign in, 404 means stop", async () => {
    const onAuthError = vi.fn();
    const onFatal = vi.fn();
    const refused = setup({ onAuthError, probe: () => Promise.resolve("auth") });
    refused.socket.start();
    refused.sockets[0].drop(1006); // never opened: what a browser sees of an HTTP 403
    await vi.runAllTimersAsync();
    expect(onAuthError).toHaveBeenCalledOnce();
    expect(refused.sockets).toHaveLength(1);

    const gone = setup({ onFatal, probe: () => Promise.resolve("missing") });
    gone.socket.start();
    gone.sockets[0].drop(1006);
    await vi.runAllTimersAsync();
    expect(onFatal).toHaveBeenCalledWith(4404, "no such session");
    expect(gone.sockets).toHaveLength(1);
    expect(gone.socket.connectionState).toBe("closed");
  });

  it("retries with backoff when the probe finds nothing wrong, or fails itself", async () => {
    const probe = vi.fn<() => Promise<"retry">>().mockResolvedValueOnce("retry").mockRejectedValueOnce(new Error("offline"));
    const { socket, sockets, states } = setup({ probe });
    socket.start();
    sockets[0].drop(1006);
    await vi.advanceTimersByTimeAsync(0);
    expect(states.at(-1)).toBe("reconnecting");
    await vi.advanceTimersByTimeAsync(500);
    expect(sockets).toHaveLength(2);
    sockets[1].drop(1006);
    await vi.advanceTimersByTimeAsync(1000);
    expect(sockets).toHaveLength(3);
    expect(probe).toHaveBeenCalledTimes(2);
    socket.stop();
  });

  it("does not probe when an open socket drops: that is a plain reconnect", async () => {
    const probe = vi.fn(() => Promise.resolve("auth" as const));
    const { socket, sockets } = setup({ probe });
    socket.start();
    sockets[0].open();
    sockets[0].drop(1006);
    await vi.advanceTimersByTimeAsync(500);
    expect(probe).not.toHaveBeenCalled();
    expect(sockets).toHaveLength(2);
    socket.stop();
  });

  it("does not reconnect after stop(), and ignores events from a replaced socket", () => {
    const { socket, sockets, events } = setup();
    socket.start();
    sockets[0].open();
    const stale = sockets[0];
    socket.stop();
    stale.receive(aiMessage("1-0", 1));
    vi.advanceTimersByTime(60_000);
    expect(sockets).toHaveLength(1);
    expect(events).toEqual([]);
  });

  it("starts from a remembered id and skips the wait when asked", () => {
    const { socket, sockets } = setup({ initialLastEventId: "99-1" });
    socket.start();
    expect(new URL(sockets[0].url).searchParams.get("last_event_id")).toBe("99-1");
    sockets[0].drop();
    socket.reconnectNow();
    expect(sockets).toHaveLength(2);
    socket.stop();
  });
});
