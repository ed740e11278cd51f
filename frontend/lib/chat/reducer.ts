/**
 * Folds the session's event stream (and the REST history) into what the chat
 * shows. Pure, so replaying events after a reconnect is safe: an event is
 * applied once (stream id), a message shown once (message id), and the user's
 * own optimistic message is replaced by its echo (client_id).
 */
import type { CodeRun, Id, Sender, ServerEvent, SessionStatus, StoredMessage } from "@/lib/api/types";
import { isReplay, laterStreamId, streamIdTime } from "@/lib/chat/stream-ids";

export interface ChatMessage {
  kind: "message";
  /** Stable React key: the client_id for the user's own messages, else the message id. */
  key: string;
  id: Id | null;
  sender: Sender;
  text: string;
  createdAt: string;
  clientId: string | null;
  /** Sent by us, not yet echoed by the server. */
  pending: boolean;
  /** The interviewer checking in after a silence. */
  nudge: boolean;
  sortTime: number;
}

export type ChatItem = ChatMessage;

/** An AI message still being written, token by token. */
export interface Draft {
  key: string;
  text: string;
}

export interface ChatState {
  items: ChatItem[];
  drafts: Draft[];
  /** message_keys whose final message arrived; late tokens for them are dropped. */
  finalizedKeys: string[];
  lastEventId: string | null;
  status: SessionStatus | null;
  deadline: string | null;
  statusReason: string | null;
  runs: CodeRun[];
  feedbackReady: boolean;
  error: string | null;
}

export type ChatAction =
  | { type: "event"; event: ServerEvent }
  | { type: "history"; messages: StoredMessage[] }
  | { type: "runs"; runs: CodeRun[] }
  | { type: "send"; clientId: string; text: string; createdAt: string }
  | { type: "status"; status: SessionStatus; deadline?: string | null }
  | { type: "dismiss_error" };

export const initialChatState: ChatState = {
  items: [],
  drafts: [],
  finalizedKeys: [],
  lastEventId: null,
  status: null,
  deadline: null,
  statusReason: null,
  runs: [],
  feedbackReady: false,
  error: null,
};

const MAX_FINALIZED_KEYS = 200;
const PENDING_SORT_TIME = Number.MAX_SAFE_INTEGER;

function timeOf(iso: string, fallback: number): number {
  const parsed = Date.parse(iso);
  return Number.isNaN(parsed) ? fallback : parsed;
}

/** Insert keeping items ordered by sortTime; equal times keep arrival order; pending stay last. */
function insertSorted(items: ChatItem[], item: ChatItem): ChatItem[] {
  let index = items.length;
  while (index > 0 && items[index - 1].sortTime > item.sortTime) index -= 1;
  return [...items.slice(0, index), item, ...items.slice(index)];
}

function toChatMessage(message: StoredMessage, fallbackTime: number): ChatMessage {
  return {
    kind: "message",
    key: message.sender === "user" && message.client_id ? message.client_id : `m-${String(message.id)}`,
    id: message.id,
    sender: message.sender,
    text: message.text,
    createdAt: message.created_at,
    clientId: message.client_id ?? null,
    pending: false,
    nudge: message.kind === "nudge",
    sortTime: timeOf(message.created_at, fallbackTime),
  };
}

function finalizeDraft(state: ChatState, message: StoredMessage): Pick<ChatState, "drafts" | "finalizedKeys"> {
  if (message.sender !== "ai") return { drafts: state.drafts, finalizedKeys: state.finalizedKeys };
  const candidates = [message.message_key, message.client_id, String(message.id)].filter(
    (key): key is string => Boolean(key),
  );
  let key = state.drafts.find((draft) => candidates.includes(draft.key))?.key;
  // The stored message does not (yet) name the message_key its tokens were streamed
  // under: when nothing matches, the oldest draft is the one this reply completes.
  // A nudge is never streamed, so it completes nothing.
  if (key === undefined && state.drafts.length > 0 && message.kind !== "nudge") key = state.drafts[0].key;
  const finalized = [...candidates, ...(key !== undefined ? [key] : [])];
  return {
    drafts: state.drafts.filter((draft) => draft.key !== key),
    finalizedKeys: [...state.finalizedKeys, ...finalized].slice(-MAX_FINALIZED_KEYS),
  };
}

/** Add a stored message unless it is already shown; an echo replaces its optimistic copy. */
export function addMessage(state: ChatState, message: StoredMessage, fallbackTime = Date.now()): ChatState {
  const known = state.items.some((item) => item.id !== null && String(item.id) === String(message.id));
  const draftsUpdate = finalizeDraft(state, message);
  const items = message.client_id
    ? state.items.filter((item) => !(item.pending && item.clientId === message.client_id))
    : state.items;
  if (known) return { ...state, ...draftsUpdate, items };
  return { ...state, ...draftsUpdate, items: insertSorted(items, toChatMessage(message, fallbackTime)) };
}

function addToken(state: ChatState, key: string, delta: string): ChatState {
  if (state.finalizedKeys.includes(key)) return state;
  const existing = state.drafts.find((draft) => draft.key === key);
  const drafts = existing
    ? state.drafts.map((draft) => (draft.key === key ? { ...draft, text: draft.text + delta } : draft))
    : [...state.drafts, { key, text: delta }];
  return { ...state, drafts };
}

/** Merge a run in by id. A late "pending" (a 202 answered after the verdict's event) never hides a verdict. */
function upsertRun(runs: CodeRun[], run: CodeRun): CodeRun[] {
  const same = (existing: CodeRun) => String(existing.id) === String(run.id);
  const merge = (existing: CodeRun): CodeRun =>
    run.status === "pending" && existing.status !== "pending" ? { ...run, ...existing } : { ...existing, ...run };
  return runs.some(same) ? runs.map((existing) => (same(existing) ? merge(existing) : existing)) : [...runs, run];
}

function applyEvent(state: ChatState, event: ServerEvent): ChatState {
  const arrival = streamIdTime(event.id) ?? Date.now();
  switch (event.type) {
    case "message":
      return addMessage(state, event.data, arrival);
    case "token":
      return addToken(state, event.data.message_key, event.data.delta);
    case "status":
      return {
        ...state,
        status: event.data.status,
        deadline: event.data.deadline ?? state.deadline,
        statusReason: event.data.reason ?? null,
      };
    case "code_result":
      return { ...state, runs: upsertRun(state.runs, event.data) };
    case "feedback_ready":
      return { ...state, feedbackReady: true };
    case "nudge":
      // A nudge is a stored AI message; its `message` twin (same id) is shown once.
      return addMessage(state, { ...event.data, kind: "nudge" }, arrival);
    case "error":
      return { ...state, error: event.data.message };
    default:
      return state;
  }
}

export function chatReducer(state: ChatState, action: ChatAction): ChatState {
  switch (action.type) {
    case "event": {
      if (isReplay(action.event.id, state.lastEventId)) return state;
      const next = applyEvent(state, action.event);
      return { ...next, lastEventId: laterStreamId(state.lastEventId, action.event.id) };
    }
    case "history":
      return action.messages.reduce((acc, message) => addMessage(acc, message), state);
    case "runs":
      return action.runs.reduce((acc, run) => ({ ...acc, runs: upsertRun(acc.runs, run) }), state);
    case "send": {
      const optimistic: ChatMessage = {
        kind: "message",
        key: action.clientId,
        id: null,
        sender: "user",
        text: action.text,
        createdAt: action.createdAt,
        clientId: action.clientId,
        pending: true,
        nudge: false,
        sortTime: PENDING_SORT_TIME,
      };
      return { ...state, items: [...state.items, optimistic] };
    }
    case "status":
      return { ...state, status: action.status, deadline: action.deadline ?? state.deadline };
    case "dismiss_error":
      return { ...state, error: null };
    default:
      return state;
  }
}

/** The interviewer owes a reply: the last thing said was the candidate's. */
export function isAwaitingReply(state: ChatState): boolean {
  if (state.drafts.length > 0) return false;
  const lastMessage = state.items[state.items.length - 1];
  return lastMessage?.sender === "user";
}
