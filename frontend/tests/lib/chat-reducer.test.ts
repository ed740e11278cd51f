import { describe, expect, it } from "vitest";
import type { ServerEvent, StoredMessage } from "@/lib/api/types";
import { chatReducer, initialChatState, isAwaitingReply, type ChatState } from "@/lib/chat/reducer";
import { compareStreamIds } from "@/lib/chat/stream-ids";

const at = (second: number) => new Date(Date.UTC(2025, 0, 1, 12, 0, second)).toISOString();

function msg(id: number, sender: "ai" | "user", text: string, second: number, clientId: string | null = null): StoredMessage {
  return { id, sender, text, created_at: at(second), client_id: clientId, kind: "chat", message_key: null };
}

const message = (streamId: string, data: StoredMessage): ServerEvent => ({
  id: streamId,
  type: "message",
  data: { ...data, message_key: data.message_key ?? null },
});
const token = (streamId: string, key: string, delta: string): ServerEvent => ({ id: streamId, type: "token", data: { message_key: key, delta } });

function apply(events: ServerEvent[], state: ChatState = initialChatState): ChatState {
  return events.reduce((acc, event) => chatReducer(acc, { type: "event", event }), state);
}

const texts = (state: ChatState) => state.items.map((item) => item.text);

describe("stream ids", () => {
  it("orders by milliseconds, then sequence, numerically", () => {
    expect(compareStreamIds("1700000000000-2", "1700000000000-10")).toBeLessThan(0);
    expect(compareStreamIds("1700000000001-0", "1700000000000-99")).toBeGreaterThan(0);
    expect(compareStreamIds("5-5", "5-5")).toBe(0);
    expect(compareStreamIds("nope", "5-5")).toBeNull();
  });
});

describe("chat stream reducer", () => {
  it("turns message events into ordered messages", () => {
    const state = apply([message("1-0", msg(1, "ai", "Welcome", 0)), message("2-0", msg(2, "user", "Hi", 5, "c1"))]);
    expect(texts(state)).toEqual(["Welcome", "Hi"]);
    expect(state.lastEventId).toBe("2-0");
  });

  it("streams tokens into a draft that the final message replaces", () => {
    let state = apply([token("1-0", "k1", "Hel"), token("1-1", "k1", "lo "), token("1-2", "k1", "there")]);
    expect(state.drafts).toEqual([{ key: "k1", text: "Hello there" }]);
    expect(state.items).toHaveLength(0);
    state = apply([message("2-0", { ...msg(7, "ai", "Hello there!", 3), client_id: "k1" })], state);
    expect(state.drafts).toEqual([]);
    expect(texts(state)).toEqual(["Hello there!"]);
    // A late token for a finished message does not resurrect the draft.
    state = apply([token("2-1", "k1", "zzz")], state);
    expect(state.drafts).toEqual([]);
  });

  it("matches a draft by message_key when the stored message carries it", () => {
    let state = apply([token("1-0", "s:t1", "First"), token("1-1", "s:t2", "Second")]);
    state = apply([message("2-0", { ...msg(3, "ai", "Second!", 2), message_key: "s:t2" })], state);
    expect(state.drafts).toEqual([{ key: "s:t1", text: "First" }]);
  });

  it("completes the oldest draft when the message_key does not match the message", () => {
    const state = apply([token("1-0", "stream-a", "Thinking"), message("2-0", msg(9, "ai", "Thinking done", 1))]);
    expect(state.drafts).toEqual([]);
    expect(texts(state)).toEqual(["Thinking done"]);
  });

  it("shows the user's message optimistically, then replaces it with the echo (client_id)", () => {
    let state = chatReducer(initialChatState, { type: "send", clientId: "c-1", text: "My answer", createdAt: at(10) });
    expect(state.items).toMatchObject([{ text: "My answer", pending: true, id: null }]);
    expect(isAwaitingReply(state)).toBe(true);
    state = apply([message("3-0", msg(42, "user", "My answer", 10, "c-1"))], state);
    expect(state.items).toHaveLength(1);
    expect(state.items[0]).toMatchObject({ id: 42, pending: false, key: "c-1" });
  });

  it("dedupes by message id (history vs. live events) and by stream id", () => {
    let state = chatReducer(initialChatState, { type: "history", messages: [msg(1, "ai", "Q1", 0), msg(2, "user", "A1", 4, "c-a")] });
    state = apply([message("1-0", msg(1, "ai", "Q1", 0)), message("2-0", msg(2, "user", "A1", 4, "c-a")), message("3-0", msg(3, "ai", "Q2", 8))], state);
    expect(texts(state)).toEqual(["Q1", "A1", "Q2"]);
    const again = apply([message("3-0", msg(99, "ai", "replayed under an old id", 9))], state);
    expect(again).toBe(state);
  });

  it("merges history that arrives after live events in time order", () => {
    let state = apply([message("5-0", msg(5, "ai", "Latest", 30))]);
    state = chatReducer(state, { type: "history", messages: [msg(1, "ai", "First", 0), msg(2, "user", "Second", 10), msg(5, "ai", "Latest", 30)] });
    expect(texts(state)).toEqual(["First", "Second", "Latest"]);
  });

  it("replays after a reconnect without losing or duplicating anything", () => {
    const log: ServerEvent[] = [
      message("1-0", msg(1, "ai", "Q1", 0)),
      token("2-0", "k2", "Good "),
      token("2-1", "k2", "point."),
      message("3-0", { ...msg(2, "ai", "Good point.", 5), client_id: "k2" }),
      message("4-0", msg(3, "user", "Thanks", 8, "c-3")),
    ];
    // First connection saw up to 2-0, then dropped; the server replays from last_event_id (or from the start).
    const before = apply(log.slice(0, 2));
    expect(before.lastEventId).toBe("2-0");
    const fromLastId = apply(log.slice(2), before);
    const fromStart = apply(log, before);
    const straight = apply(log);
    for (const state of [fromLastId, fromStart]) {
      expect(texts(state)).toEqual(texts(straight));
      expect(state.drafts).toEqual([]);
      expect(state.lastEventId).toBe("4-0");
    }
    expect(texts(straight)).toEqual(["Q1", "Good point.", "Thanks"]);
  });

  it("tracks status, code results, feedback and errors (errors have no stream id)", () => {
    const state = apply([
      { id: "1-0", type: "status", data: { status: "in_progress", deadline: "2025-01-01T13:00:00Z", reason: null } },
      { id: "2-0", type: "code_result", data: { id: 1, language: "python", status: "pending", stdout: "", stderr: "", exit_code: null, duration_ms: null, truncated: false } },
      { id: "2-1", type: "code_result", data: { id: 1, language: "python", status: "ok", stdout: "hi\n", stderr: "", exit_code: 0, duration_ms: 40, truncated: false } },
      { id: "3-0", type: "status", data: { status: "expired", deadline: null, reason: "deadline" } },
      { id: "4-0", type: "feedback_ready", data: { session_id: "s", overall: 70 } },
      { id: null, type: "error", data: { message: "malformed frame" } },
    ]);
    expect(state.status).toBe("expired");
    expect(state.deadline).toBe("2025-01-01T13:00:00Z");
    expect(state.statusReason).toBe("deadline");
    expect(state.runs).toHaveLength(1);
    expect(state.runs[0]).toMatchObject({ status: "ok", stdout: "hi\n" });
    expect(state.feedbackReady).toBe(true);
    expect(state.error).toBe("malformed frame");
    expect(state.lastEventId).toBe("4-0");
  });

  it("keeps a run's verdict when the 202 that queued it is handled after the verdict's event", () => {
    const verdict = { id: 7, language: "python", status: "ok" as const, stdout: "1\n", stderr: "", exit_code: 0, duration_ms: 30, truncated: false };
    let state = apply([{ id: "7-0", type: "code_result", data: verdict }]);
    state = chatReducer(state, { type: "runs", runs: [{ ...verdict, status: "pending", stdout: "", exit_code: null, duration_ms: null, code: "print(1)" }] });
    expect(state.runs).toHaveLength(1);
    expect(state.runs[0]).toMatchObject({ status: "ok", stdout: "1\n", code: "print(1)" });
  });

  it("shows a nudge once, as a stored AI message, even when its message twin also arrives", () => {
    const nudge = { ...msg(11, "ai", "Still there?", 60), kind: "nudge" as const, message_key: null };
    const state = apply([{ id: "5-0", type: "nudge", data: nudge }, message("5-1", nudge)]);
    expect(state.items).toHaveLength(1);
    expect(state.items[0]).toMatchObject({ nudge: true, text: "Still there?" });
  });

  it("does not let a nudge complete a streamed draft", () => {
    const nudge = { ...msg(12, "ai", "Still there?", 60), kind: "nudge" as const, message_key: null };
    const state = apply([token("6-0", "k1", "Half a rep"), { id: "6-1", type: "nudge", data: nudge }]);
    expect(state.drafts).toEqual([{ key: "k1", text: "Half a rep" }]);
  });
});
