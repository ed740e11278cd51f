/**
 * The backend contract, written out by hand from the API description.
 * Keep in step with the Python side's `models/` (sessions, events, feedback).
 */

export type InterviewType = "system_design" | "coding" | "behavioral";
export type Level = "mid" | "senior" | "staff";
export type SessionStatus = "created" | "in_progress" | "completed" | "expired";
export type Language = "python" | "javascript" | "typescript";

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

export interface StoredMessage {
  id: Id;
  sender: Sender;
  /** "nudge" marks the interviewer checking in after a silence. */
  kind?: "chat" | "nudge";
  text: string;
  created_at: string;
  client_id: string | null;
  /** The token stream's message_key, if the server sends it; matches the draft exactly. */
  message_key?: string | null;
}

export type RunStatus = "pending" | "ok" | "error" | "timeout" | "memory_limit" | "output_limit";

export interface CodeRun {
  id: Id;
  language: Language;
  status: RunStatus;
  stdout: string;
  stderr: string;
  exit_code: number | null;
  duration_ms: number | null;
  truncated: boolean;
  /** Not promised by the contract; shown in the report when the server sends it. */
  code?: string;
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

export type FeedbackResult =
  | { state: "ready"; report: FeedbackReport }
  | { state: "pending" }
  | { state: "in_progress" };

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
 * Events relayed from the session's Redis stream over the WebSocket. `id` is the
 * stream id; it is null for errors addressed to this socket only (not in the log).
 */
export type ServerEvent =
  | { id: string | null; type: "message"; data: StoredMessage }
  | { id: string | null; type: "token"; data: { message_key: string; delta: string } }
  | { id: string | null; type: "status"; data: { status: SessionStatus; deadline?: string | null; reason?: string | null } }
  | { id: string | null; type: "code_result"; data: CodeRun }
  | { id: string | null; type: "feedback_ready"; data: { session_id?: string; overall?: number | null } }
  | { id: string | null; type: "nudge"; data: { text: string } & Partial<StoredMessage> }
  | { id: string | null; type: "error"; data: { message: string } };

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
