import { ApiError, request, requestData } from "@/lib/api/client";
import type {
  CodeRun,
  CreateSessionBody,
  DrawingScene,
  FeedbackReport,
  FeedbackResult,
  InterviewType,
  Progress,
  QuestionSummary,
  RunCodeBody,
  Session,
  StoredMessage,
  Token,
} from "@/lib/api/types";

const enc = encodeURIComponent;

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
  sessions: () => requestData<Session[]>("/sessions"),
  messages: (id: string) => requestData<StoredMessage[]>(`/sessions/${enc(id)}/messages`),

  runCode: (id: string, body: RunCodeBody) =>
    requestData<CodeRun>(`/sessions/${enc(id)}/code`, { method: "POST", body }),
  codeRuns: (id: string) => requestData<CodeRun[]>(`/sessions/${enc(id)}/code`),

  saveDrawing: (id: string, scene: DrawingScene) =>
    requestData<unknown>(`/sessions/${enc(id)}/drawing`, { method: "POST", body: scene }),
  /** The saved scene, or null when nothing has been drawn yet (404). */
  drawing: async (id: string): Promise<DrawingScene | null> => {
    try {
      return await requestData<DrawingScene>(`/sessions/${enc(id)}/drawing`);
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) return null;
      throw error;
    }
  },

  feedback: async (id: string): Promise<FeedbackResult> => {
    try {
      const { status, data } = await request<FeedbackReport | { status: string }>(`/sessions/${enc(id)}/feedback`);
      if (status === 202) return { state: "pending" };
      return { state: "ready", report: data as FeedbackReport };
    } catch (error) {
      if (error instanceof ApiError && error.status === 409) return { state: "in_progress" };
      throw error;
    }
  },

  progress: () => requestData<Progress>("/me/progress"),
};
