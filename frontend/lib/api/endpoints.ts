import { ApiError, probeStatus, request, requestData } from "@/lib/api/client";
import type {
  CodeRun,
  CreateSessionBody,
  DrawingScene,
  FeedbackReport,
  InterviewType,
  Progress,
  QuestionSummary,
  RunCodeBody,
  Session,
  StoredMessage,
  Token,
} from "@/lib/api/types";

const enc = encodeURIComponent;

/** A run the server queued (202) rather than finished: its verdict comes as a `code_result` event. */
function pendingRun(id: CodeRun["id"], body: RunCodeBody): CodeRun {
  return {
    id,
    language: body.language,
    status: "pending",
    stdout: "",
    stderr: "",
    exit_code: null,
    duration_ms: null,
    truncated: false,
    code: body.code,
  };
}

export const api = {
  register: (email: string, password: string) =>
    requestData<{ id: string; email: string }>("/auth/register", {
      method: "POST",
      body: { email, password },
      auth: false,
    }),
  token: (email: string, password: string) =>
    requestData<Token>("/auth/token", { method: "POST", body: { email, password }, auth: false }),

  questions: (type: InterviewType) => requestData<QuestionSummary[]>(`/questions?type=${enc(type)}`),

  createSession: (body: CreateSessionBody) => requestData<Session>("/sessions", { method: "POST", body }),
  startSession: (id: string) => requestData<Session>(`/sessions/${enc(id)}/start`, { method: "PATCH" }),
  endSession: (id: string) => requestData<Session>(`/sessions/${enc(id)}/end`, { method: "PATCH" }),
  session: (id: string) => requestData<Session>(`/sessions/${enc(id)}`),
  /** The status `GET /sessions/{id}` answers with: 401 bad token, 404 not yours or gone, 0 unreachable. */
  probeSession: (id: string) => probeStatus(`/sessions/${enc(id)}`),
  sessions: () => requestData<Session[]>("/sessions"),
  messages: (id: string) => requestData<StoredMessage[]>(`/sessions/${enc(id)}/messages`),

  /** 200 with the verdict, or 202 `{id, status: "pending"}` while the run is still queued. */
  runCode: async (id: string, body: RunCodeBody): Promise<CodeRun> => {
    const { status, data } = await request<CodeRun>(`/sessions/${enc(id)}/code`, { method: "POST", body });
    if (status === 202 || data.status === "pending") return { ...pendingRun(data.id, body), ...data, status: "pending" };
    return { ...data, code: data.code ?? body.code };
  },
  codeRuns: (id: string) => requestData<CodeRun[]>(`/sessions/${enc(id)}/code`),

  saveDrawing: (id: string, scene: DrawingScene) =>
    requestData<unknown>(`/sessions/${enc(id)}/drawing`, { method: "POST", body: scene }),
  /** The saved scene, or null when nothing has been drawn yet (204, or 404 from older servers). */
  drawing: async (id: string): Promise<DrawingScene | null> => {
    try {
      return (await requestData<DrawingScene | null>(`/sessions/${enc(id)}/drawing`)) ?? null;
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) return null;
      throw error;
    }
  },

  /** The report, or null while it is being scored (202). Ask only once the interview has ended (409 before). */
  feedback: async (id: string): Promise<FeedbackReport | null> => {
    const { status, data } = await request<FeedbackReport>(`/sessions/${enc(id)}/feedback`);
    return status === 202 ? null : data;
  },

  progress: () => requestData<Progress>("/me/progress"),
};
