/**
 * The backend contract. The stream events are generated from `models/events.py`
 * (`events.generated.ts`, by scripts/gen_event_types.py); the REST bodies below are
 * written by hand from the API description (`api/schemas.py`).
 */
import type { CodeResultData, StreamEvent } from "@/lib/api/events.generated";

export type { ClientMessageFrame, StreamEvent } from "@/lib/api/events.generated";

export type InterviewType = "system_design" | "coding" | "behavioral";
export type Level = "mid" | "senior" | "staff";
export type SessionStatus = "created" | "in_progress" | "completed" | "expired";
export type Language = "python" | "javascript" | "typescript";

/** A run's `language` is a plain string on the wire; this narrows it. */
export function asLanguage(value: string | null | undefined): Language | null {
  return value === "python" || value === "javascript" || value === "typescript" ? value : null;
}

export interface Question {
  id: string;
  title: string;
  prompt: string;
  starter_code?: Partial<Record<Language, string>> | null;
}

export interface QuestionSummary {
  id: string;
  type: InterviewType;
  title: string;
  level: Level | string;
}

export interface Session {
  id: string;
  type: InterviewType;
  status: SessionStatus;
  duration_minutes: number;
  level: Level | null;
  created_at: string;
  start_time: string | null;
  end_time: string | null;
  deadline: string | null;
  remaining_seconds: number | null;
  question: Question | null;
  overall_score: number | null;
  end_reason?: string | null;
}

export interface CreateSessionBody {
  type: InterviewType;
  duration_minutes: number;
  question_id?: string;
  level?: Level;
}

export type Sender = "ai" | "user";

/** Ids are numbers on the wire today; strings are accepted too. */
export type Id = string | number;

/** A message as `GET /sessions/{id}/messages` lists it; the stream's `MessageData` is one too. */
export interface StoredMessage {
  id: number;
  sender: Sender;
  /** "nudge" marks the interviewer checking in after a silence. */
  kind: "chat" | "nudge";
  text: string;
  created_at: string;
  client_id: string | null;
  /** The token stream's message_key, if the server sends it; matches the draft exactly. */
  message_key?: string | null;
}

export type RunStatus = CodeResultData["status"];

/** A run's verdict (the `code_result` event's data); the REST list adds the code that ran. */
export interface CodeRun extends CodeResultData {
  code?: string;
  stdin?: string;
  created_at?: string;
}

export interface RunCodeBody {
  language: Language;
  code: string;
  stdin?: string;
}

export interface DrawingScene {
  elements: readonly unknown[];
  appState: Record<string, unknown>;
  files: Record<string, unknown>;
  saved_at?: string;
}

export type EvidenceKind = "transcript" | "code" | "test" | "diagram";

export interface Evidence {
  kind: EvidenceKind;
  text: string;
  ref?: string | null;
}

export type Verdict = "strong_hire" | "hire" | "lean_no_hire" | "no_hire";

export interface Dimension {
  key: string;
  name: string;
  score: number | null;
  evidence: Evidence[];
  note: string;
}

export interface FeedbackReport {
  version: number | string;
  scorer: string;
  rubric_version: string | number;
  overall: number;
  verdict: Verdict;
  level: string | null;
  dimensions: Dimension[];
  strengths: { text: string; evidence: Evidence[] }[];
  improvements: { text: string; next_step: string; evidence: Evidence[] }[];
  questions: {
    question_id: string;
    title: string;
    score: number | null;
    points_covered: string[];
    points_missed: string[];
    hints_used: number;
  }[];
  hints_used: number;
}

export interface ProgressPoint {
  session_id: string;
  date: string;
  overall: number | null;
  dimensions: Record<string, number | null>;
}

export interface Progress {
  domains: Partial<Record<InterviewType, ProgressPoint[]>>;
}

export interface Token {
  access_token: string;
  token_type: "bearer";
  expires_in: number;
}

/**
 * An event as the WebSocket relays it: the generated event plus `id`, the stream id
 * (null for an error addressed to this socket only, which is not in the session's log).
 */
export type ServerEvent = StreamEvent & { id: string | null };

export type ServerEventType = ServerEvent["type"];

export const INTERVIEW_TYPES: readonly InterviewType[] = ["coding", "system_design", "behavioral"];

export const TYPE_LABELS: Record<InterviewType, string> = {
  coding: "Coding",
  system_design: "System design",
  behavioral: "Behavioral",
};

export const VERDICT_LABELS: Record<Verdict, string> = {
  strong_hire: "Strong hire",
  hire: "Hire",
  lean_no_hire: "Lean no hire",
  no_hire: "No hire",
};
