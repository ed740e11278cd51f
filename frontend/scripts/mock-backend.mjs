#!/usr/bin/env node
/**
 * A stand-in for the Starlette backend, for working on the UI alone: serves out/
 * like the real app does and fakes the REST + WebSocket contract in memory
 * (streamed AI replies, code runs, autosaved drawings, a feedback report).
 * Not a test of the backend; nothing here is shared with it.
 *
 *   npm run build && node scripts/mock-backend.mjs [--port 8765]
 *   POST /__mock/drop/<session id>   drops that session's sockets (to see the reconnect banner)
 */
import { randomUUID } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { WebSocketServer } from "ws";

const root = fileURLToPath(new URL("..", import.meta.url));
const outDir = join(root, "out");
const portArg = process.argv.indexOf("--port");
const port = portArg >= 0 ? Number(process.argv[portArg + 1]) : 8765;

const users = new Map(); // email -> {id, email, password}
const tokens = new Map(); // token -> user id
const sessions = new Map(); // id -> session row
let nextId = 1;

const QUESTIONS = [
  { id: "two-sum", type: "coding", title: "Two Sum", level: "mid", prompt: "Given an array of integers `nums` and a target, return the indices of the two numbers that add up to the target.", starter_code: { python: "def two_sum(nums, target):\n    pass\n\nprint(two_sum([2, 7, 11, 15], 9))\n", javascript: "function twoSum(nums, target) {\n}\n\nconsole.log(twoSum([2, 7, 11, 15], 9));\n", typescript: "function twoSum(nums: number[], target: number): number[] {\n  return [];\n}\n\nconsole.log(twoSum([2, 7, 11, 15], 9));\n" } },
  { id: "url-shortener", type: "system_design", title: "Design a URL shortener", level: "senior", prompt: "Design a service like bit.ly. Start with requirements and a rough capacity estimate." },
  { id: "conflict", type: "behavioral", title: "A disagreement with a colleague", level: "mid", prompt: "Tell me about a time you disagreed with a colleague on a technical decision." },
];

const json = (res, status, body, headers = {}) => {
  res.writeHead(status, { "Content-Type": "application/json", ...headers });
  res.end(body === undefined ? "" : JSON.stringify(body));
};
const readJson = (req) =>
  new Promise((resolve) => {
    let data = "";
    req.on("data", (chunk) => (data += chunk));
    req.on("end", () => {
      try {
        resolve(data ? JSON.parse(data) : {});
      } catch {
        resolve(null);
      }
    });
  });
const userOf = (req) => tokens.get((req.headers.authorization ?? "").replace(/^Bearer /, "")) ?? null;

function publish(session, type, data) {
  const event = { id: `${Date.now()}-${session.seq++}`, type, data };
  session.events.push(event);
  for (const socket of session.sockets) socket.send(JSON.stringify(event));
  return event;
}

function storeMessage(session, sender, text, clientId = null, kind = "chat", messageKey = null) {
  const message = { id: nextId++, sender, kind, text, created_at: new Date().toISOString(), client_id: clientId, message_key: messageKey };
  session.messages.push(message);
  return message;
}

/** Streams an AI reply token by token, then the stored message (which replaces the tokens). */
function aiSay(session, text) {
  const key = `ai-${randomUUID()}`;
  const words = text.split(/(?<= )/);
  let index = 0;
  const tick = setInterval(() => {
    if (session.status !== "in_progress" && session.status !== "created") return clearInterval(tick);
    if (index < words.length) {
      publish(session, "token", { message_key: key, delta: words[index++] });
      return;
    }
    clearInterval(tick);
    publish(session, "message", storeMessage(session, "ai", text, null, "chat", key));
  }, 60);
}

function sessionOut(session) {
  const remaining = session.status === "in_progress" ? Math.max(0, Math.floor((Date.parse(session.deadline) - Date.now()) / 1000)) : null;
  const fields = ["id", "type", "status", "duration_minutes", "level", "created_at", "start_time", "end_time", "deadline", "question", "overall_score", "end_reason"];
  return { ...Object.fromEntries(fields.map((key) => [key, session[key]])), remaining_seconds: remaining };
}

function endSession(session, status, reason) {
  if (session.status !== "in_progress") return;
  clearTimeout(session.timer);
  session.status = status;
  session.end_time = new Date().toISOString();
  session.endedAt = Date.now();
  publish(session, "status", { status, reason });
  setTimeout(() => {
    session.overall_score = 72;
    publish(session, "feedback_ready", { session_id: session.id, overall: 72 });
  }, 3000);
}

function report(session) {
  const ev = (kind, text) => ({ kind, text });
  return {
    version: 1, scorer: "mock", rubric_version: "2025-01", overall: 72, verdict: "hire", level: session.level ?? "mid",
    dimensions: [
      { key: "problem_solving", name: "Problem solving", score: 78, evidence: [ev("transcript", "Clarified the input range before coding.")], note: "Structured approach." },
      { key: "communication", name: "Communication", score: 64, evidence: [ev("transcript", "Explained the hash map idea clearly.")], note: "Could narrate more while coding." },
      { key: "code_quality", name: "Code quality", score: 70, evidence: [ev("code", "def two_sum(nums, target): ...")], note: "" },
      { key: "testing", name: "Testing", score: null, evidence: [], note: "Not enough signal." },
    ],
    strengths: [{ text: "Asked clarifying questions early <b>(escaped?)</b>", evidence: [ev("transcript", "What if there is no solution?")] }],
    improvements: [{ text: "Test edge cases before saying you are done", next_step: "Run an empty array and duplicates next time.", evidence: [ev("test", "No run with an empty input.")] }],
    questions: [{ question_id: session.question.id, title: session.question.title, score: 72, points_covered: ["Hash map lookup", "O(n) time"], points_missed: ["Duplicate values"], hints_used: 1 }],
    hints_used: 1,
  };
}

function fakeRun(body) {
  const code = String(body.code ?? "");
  const base = { id: nextId++, language: body.language, stdout: "", stderr: "", exit_code: 0, duration_ms: 37, truncated: false, code, created_at: new Date().toISOString() };
  if (/while\s*(True|\(true\))/.test(code)) return { ...base, status: "timeout", exit_code: null, duration_ms: 5000 };
  if (/alloc/.test(code)) return { ...base, status: "memory_limit", exit_code: 137 };
  if (/raise|throw/.test(code)) return { ...base, status: "error", exit_code: 1, stderr: "Traceback (most recent call last):\n  Error: <script>alert(1)</script>" };
  return { ...base, status: "ok", stdout: `[0, 1]\n<b>not bold</b>\n${body.stdin ? `stdin: ${body.stdin}\n` : ""}` };
}

async function api(req, res, url) {
  const path = url.pathname;
  const method = req.method;
  if (method === "POST" && path === "/auth/register") {
    const body = await readJson(req);
    if (!body?.email || !body?.password || body.password.length < 8) return json(res, 422, { error: "password must be at least 8 characters" });
    if (users.has(body.email)) return json(res, 409, { error: "email already registered" });
    const user = { id: randomUUID(), email: body.email, password: body.password };
    users.set(body.email, user);
    return json(res, 201, { id: user.id, email: user.email });
  }
  if (method === "POST" && path === "/auth/token") {
    const body = await readJson(req);
    const user = users.get(body?.email);
    if (!user || user.password !== body.password) return json(res, 401, { error: "bad credentials" });
    const token = randomUUID();
    tokens.set(token, user.id);
    return json(res, 200, { access_token: token, token_type: "bearer", expires_in: 3600 });
  }
  const user = userOf(req);
  if (!user) return json(res, 401, { error: "not authenticated" });
  if (method === "GET" && path === "/questions") {
    return json(res, 200, QUESTIONS.filter((q) => q.type === url.searchParams.get("type")).map(({ id, type, title, level }) => ({ id, type, title, level })));
  }
  if (method === "GET" && path === "/me/progress") {
    const domains = { coding: [], system_design: [], behavioral: [] };
    for (const s of sessions.values()) if (s.user_id === user && s.overall_score !== null) domains[s.type].push({ session_id: s.id, date: s.end_time, overall: s.overall_score, dimensions: {} });
    domains.coding.unshift({ session_id: "old-1", date: "2025-01-02T10:00:00Z", overall: 48, dimensions: {} }, { session_id: "old-2", date: "2025-01-09T10:00:00Z", overall: 61, dimensions: {} });
    return json(res, 200, { domains });
  }
  if (path === "/sessions" && method === "GET") {
    return json(res, 200, [...sessions.values()].filter((s) => s.user_id === user).reverse().map(sessionOut));
  }
  if (path === "/sessions" && method === "POST") {
    const body = await readJson(req);
    const duration = body?.duration_minutes ?? 45;
    if (!["coding", "system_design", "behavioral"].includes(body?.type) || duration < 5 || duration > 120) return json(res, 422, { error: "invalid session" });
    if ([...sessions.values()].some((s) => s.user_id === user && s.type === body.type && s.status === "in_progress")) return json(res, 409, { error: "You already have an interview of this type in progress." });
    const question = QUESTIONS.find((q) => q.id === body.question_id) ?? QUESTIONS.find((q) => q.type === body.type);
    const detail = { id: question.id, title: question.title, prompt: question.prompt, starter_code: question.starter_code ?? null };
    const session = {
      id: randomUUID(), type: body.type, status: "created", duration_minutes: duration, level: body.level ?? "mid",
      created_at: new Date().toISOString(), start_time: null, end_time: null, deadline: null, question: detail, overall_score: null, end_reason: null,
      user_id: user, events: [], sockets: new Set(), messages: [], runs: [], drawing: null, seq: 0,
    };
    sessions.set(session.id, session);
    return json(res, 201, sessionOut(session));
  }
  const match = /^\/sessions\/([^/]+)(?:\/([a-z]+))?\/?$/.exec(path);
  const session = match ? sessions.get(decodeURIComponent(match[1])) : null;
  if (!session || session.user_id !== user) return json(res, 404, { error: "no such session" });
  const action = match[2] ?? "";
  if (method === "GET" && action === "") return json(res, 200, sessionOut(session));
  if (method === "PATCH" && action === "start") {
    if (session.status !== "created") return json(res, 409, { error: "already started" });
    session.status = "in_progress";
    session.start_time = new Date().toISOString();
    session.deadline = new Date(Date.now() + session.duration_minutes * 60_000).toISOString();
    session.timer = setTimeout(() => endSession(session, "expired", "deadline"), session.duration_minutes * 60_000);
    publish(session, "status", { status: "in_progress", deadline: session.deadline });
    setTimeout(() => aiSay(session, `Welcome! Type \`hint\`, \`repeat\` or \`rephrase\` at any time.\n\n**${session.question.title}**\n\n${session.question.prompt}`), 300);
    return json(res, 200, sessionOut(session));
  }
  if (method === "PATCH" && action === "end") {
    if (session.status !== "in_progress") return json(res, 409, { error: "not in progress" });
    endSession(session, "completed", "user");
    return json(res, 200, sessionOut(session));
  }
  if (method === "GET" && action === "messages") return json(res, 200, session.messages);
  if (action === "code") {
    if (method === "GET") return json(res, 200, session.runs);
    if (session.status !== "in_progress") return json(res, 409, { error: "the interview is over" });
    const body = await readJson(req);
    await new Promise((resolve) => setTimeout(resolve, 1200));
    const run = fakeRun(body);
    session.runs.push(run);
    const { id, language, status, stdout, stderr, exit_code, duration_ms, truncated } = run;
    publish(session, "code_result", { id, language, status, stdout, stderr, exit_code, duration_ms, truncated });
    return json(res, 200, run);
  }
  if (action === "drawing") {
    if (method === "GET") {
      if (session.drawing) return json(res, 200, session.drawing);
      res.writeHead(204).end();
      return;
    }
    const body = await readJson(req);
    session.drawing = { elements: body.elements, appState: body.appState, files: body.files, saved_at: new Date().toISOString() };
    return json(res, 201, { saved_at: session.drawing.saved_at });
  }
  if (method === "GET" && action === "feedback") {
    if (session.status === "in_progress" || session.status === "created") return json(res, 409, { error: "interview in progress" });
    if (Date.now() - session.endedAt < 3000) return json(res, 202, { status: "pending" });
    return json(res, 200, report(session));
  }
  return json(res, 404, { error: "not found" });
}

const TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css", ".json": "application/json", ".woff2": "font/woff2", ".ttf": "font/ttf", ".txt": "text/plain", ".svg": "image/svg+xml", ".ico": "image/x-icon" };

function serveStatic(res, url) {
  let file = normalize(join(outDir, decodeURIComponent(url.pathname)));
  if (!file.startsWith(outDir)) return json(res, 403, { error: "forbidden" });
  if (existsSync(file) && statSync(file).isDirectory()) {
    if (!url.pathname.endsWith("/")) {
      res.writeHead(307, { Location: `${url.pathname}/${url.search}` });
      return res.end();
    }
    file = join(file, "index.html");
  }
  if (!existsSync(file)) file = join(outDir, "404.html");
  res.writeHead(file.endsWith("404.html") && !url.pathname.endsWith("404.html") ? 404 : 200, { "Content-Type": TYPES[extname(file)] ?? "application/octet-stream" });
  res.end(readFileSync(file));
}

const server = createServer(async (req, res) => {
  const url = new URL(req.url, `http://${req.headers.host}`);
  if (url.pathname.startsWith("/__mock/drop/")) {
    const session = sessions.get(url.pathname.split("/").pop());
    for (const socket of session?.sockets ?? []) socket.terminate();
    return json(res, 200, { dropped: session?.sockets.size ?? 0 });
  }
  if (/^\/(auth|sessions|questions|me)(\/|$|\?)/.test(url.pathname)) return api(req, res, url);
  return serveStatic(res, url);
});

const wss = new WebSocketServer({ noServer: true });
server.on("upgrade", (req, socket, head) => {
  const url = new URL(req.url, `http://${req.headers.host}`);
  const match = /^\/ws\/([^/]+)$/.exec(url.pathname);
  const user = tokens.get(url.searchParams.get("token") ?? "");
  const session = match ? sessions.get(decodeURIComponent(match[1])) : null;
  // Like the real server: a bad token or a foreign session is refused before the handshake, so the
  // browser sees only a socket that closes (1006) without opening.
  if (!user || !session || session.user_id !== user) {
    socket.end("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    return;
  }
  wss.handleUpgrade(req, socket, head, (ws) => {
    const last = url.searchParams.get("last_event_id");
    const after = (id) => {
      if (!last) return true;
      const [a, b] = id.split("-").map(Number);
      const [c, d] = last.split("-").map(Number);
      return a > c || (a === c && b > d);
    };
    for (const event of session.events) if (after(event.id)) ws.send(JSON.stringify(event));
    session.sockets.add(ws);
    ws.on("close", () => session.sockets.delete(ws));
    ws.on("message", (raw) => {
      let frame;
      try {
        frame = JSON.parse(String(raw));
      } catch {
        return ws.send(JSON.stringify({ id: null, type: "error", data: { message: "frames must be JSON" } }));
      }
      if (session.status !== "in_progress") return ws.send(JSON.stringify({ id: null, type: "error", data: { message: "the interview is over" } }));
      if (session.messages.some((m) => m.client_id === frame.client_id)) return;
      publish(session, "message", storeMessage(session, "user", frame.text, frame.client_id));
      const word = frame.text.trim().toLowerCase();
      const reply =
        word === "hint" ? "Here's a hint: think about what you need to **look up** quickly. A `dict` might help." :
        word === "repeat" ? `Sure. ${session.question.prompt}` :
        word === "rephrase" ? "In other words: find two positions whose values sum to the target." :
        "Thanks. Can you walk me through the complexity of that approach?\n\n```python\n# e.g.\nseen = {}\n```";
      setTimeout(() => aiSay(session, reply), 400);
    });
  });
});

server.listen(port, "127.0.0.1", () => console.log(`mock backend on http://127.0.0.1:${port} (serving ${outDir})`));
