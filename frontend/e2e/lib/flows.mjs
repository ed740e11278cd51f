/** The steps a candidate takes, written once and shared by every domain's test. */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { BASE_URL } from "./browser.mjs";

export const PASSWORD = "correct horse battery";
const REPLY_TIMEOUT_MS = 15_000;

export function uniqueEmail(tag) {
  return `e2e-${tag}-${randomUUID().slice(0, 8)}@example.com`;
}

/** Create an account through the sign-in page; lands on home. */
export async function register(page, email) {
  await page.goto("/");
  await page.waitForURL(/\/signin\//);
  await page.getByRole("button", { name: "Create an account" }).click();
  await page.getByTestId("email-input").fill(email);
  await page.getByTestId("password-input").fill(PASSWORD);
  await page.getByTestId("auth-submit").click();
  await page.waitForURL((url) => url.pathname === "/");
  await page.getByTestId("start-interview").waitFor();
}

export async function signIn(page, email) {
  await page.getByTestId("email-input").fill(email);
  await page.getByTestId("password-input").fill(PASSWORD);
  await page.getByTestId("auth-submit").click();
}

/** Pick the domain on home and start; resolves with the session id once the interview page is up. */
export async function startInterview(page, domain) {
  await page.getByTestId(`domain-${domain}`).click();
  await page.getByTestId("start-interview").click();
  await page.waitForURL(/\/interview\/\?id=/);
  const id = new URL(page.url()).searchParams.get("id");
  assert.ok(id, "the interview page names its session");
  await page.getByTestId("chat-input").waitFor();
  return id;
}

const aiMessages = (page) => page.getByTestId("ai-message");

/** Wait for the interviewer's opening question. */
export async function waitForOpening(page) {
  await aiMessages(page).first().waitFor({ timeout: REPLY_TIMEOUT_MS });
  return (await aiMessages(page).first().locator(".chat-markdown").innerText()).trim();
}

/**
 * Send one chat line and wait until it is echoed (no longer "Sending…") and the interviewer has
 * answered it; resolves with the reply's text.
 */
export async function say(page, text) {
  const before = await aiMessages(page).count();
  await page.getByTestId("chat-input").fill(text);
  await page.getByTestId("chat-input").press("Enter");
  const mine = page.getByTestId("user-message").filter({ hasText: text }).last();
  await mine.waitFor();
  await page.waitForFunction(
    (count) => document.querySelectorAll('[data-testid="ai-message"]').length > count,
    before,
    { timeout: REPLY_TIMEOUT_MS },
  );
  assert.doesNotMatch(await mine.innerText(), /Sending…/, "the server echoed the message");
  return (await aiMessages(page).nth(before).locator(".chat-markdown").innerText()).trim();
}

/** The interviewer's messages, text only. */
export async function aiTexts(page) {
  return (await page.locator('[data-testid="ai-message"] .chat-markdown').allInnerTexts()).join("\n");
}

/** Poll `check` until it is truthy (or fail with `what` after `timeoutMs`). */
export async function until(check, what, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

export async function transcriptText(page) {
  return page.getByTestId("message-list").innerText();
}

/** The bearer token the page holds, for checking what the server stored. */
export async function tokenOf(page) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await page.evaluate(() => localStorage.getItem("rehearse.token"));
    } catch (error) {
      // A redirect to sign-in (location.assign) may still be replacing the document: read it once loaded.
      if (attempt >= 3 || !/Execution context was destroyed/.test(String(error))) throw error;
      await page.waitForLoadState("load");
    }
  }
}

export async function apiGet(page, path) {
  const token = await tokenOf(page);
  const response = await fetch(`${BASE_URL}${path}`, { headers: { Authorization: `Bearer ${token}` } });
  const body = response.status === 204 ? null : await response.json();
  return { status: response.status, body };
}

/** End through the top bar's dialog; resolves once the report page is showing. */
export async function endInterview(page) {
  await page.getByTestId("end-button").click();
  await page.getByTestId("end-dialog").waitFor();
  await page.getByTestId("confirm-end").click();
  await page.waitForURL(/\/report\/\?id=/);
}

/**
 * The report page: "being prepared" until the feedback pool has scored the interview, then the
 * score. With E2E_EXPECT_SCORE=1 (a feedback pool runs) the score must come; without, the page
 * must say the report is being prepared. Resolves with what it saw last.
 */
export async function readReport(page, expectScore = process.env.E2E_EXPECT_SCORE === "1") {
  const pending = page.getByTestId("report-pending");
  const score = page.getByTestId("report-score");
  await pending.or(score).first().waitFor({ timeout: 20_000 });
  if (await pending.isVisible()) {
    assert.match(await pending.innerText(), /being prepared/i);
    if (!expectScore) return "pending";
  }
  // The first report after the product starts waits for the feedback pool to load its models (about
  // 30 s on this 2-core machine, one and a half minutes when it is busy).
  await score.waitFor({ timeout: 180_000 });
  assert.match(await score.innerText(), /^\d{1,3}\s*\/\s*100$/);
  await page.getByTestId("verdict").waitFor();
  return "scored";
}

export async function openTab(page, tab) {
  await page.getByTestId(`tab-${tab}`).click();
  await page.getByTestId(`panel-${tab}`).waitFor();
}

/** Replace the editor's text (typed as one insertion, so Monaco's auto-closing stays out of it). */
export async function setCode(page, code) {
  const editor = page.getByTestId("code-editor").locator(".monaco-editor").first();
  await editor.waitFor({ timeout: 20_000 });
  await editor.locator(".view-lines").click();
  await page.keyboard.press("ControlOrMeta+A");
  await page.keyboard.press("Delete");
  await page.keyboard.insertText(code);
}

export async function editorText(page) {
  // Monaco renders non-breaking spaces in its view lines.
  const text = await page.getByTestId("code-editor").locator(".view-lines").innerText();
  return text.replace(/\u00a0/g, " ");
}

/** Press Run and resolve with the verdict shown in plain words. */
export async function runCode(page) {
  const button = page.getByTestId("run-button");
  await button.click();
  await page.waitForFunction(() => {
    const pane = document.querySelector('[data-testid="output-pane"]');
    return Boolean(pane && !pane.querySelector('[data-testid="run-running"]') && pane.querySelector('[data-testid="run-verdict"]'));
  }, null, { timeout: 30_000 });
  return (await page.getByTestId("run-verdict").innerText()).trim();
}

/** The whiteboard's interactive canvas and its box on the page. */
async function board(page) {
  const canvas = page.locator('[data-testid="design-canvas"] canvas.interactive');
  await canvas.waitFor({ timeout: 20_000 });
  const box = await canvas.boundingBox();
  assert.ok(box, "the whiteboard is on screen");
  return { canvas, box };
}

async function drag(page, from, to) {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move((from.x + to.x) / 2, (from.y + to.y) / 2, { steps: 4 });
  await page.mouse.move(to.x, to.y, { steps: 4 });
  await page.mouse.up();
}

/** Double-click a shape to write in it (Excalidraw binds the text to the shape), then leave the editor. */
async function label(page, at, text) {
  await page.mouse.dblclick(at.x, at.y);
  const editor = page.locator("textarea.excalidraw-wysiwyg");
  await editor.waitFor();
  await page.keyboard.insertText(text);
  await page.keyboard.press("Escape");
  await editor.waitFor({ state: "detached" });
}

async function pickTool(page, tool, key) {
  // The radio input is covered by its icon: click the label that wraps it.
  const button = page.locator(`label:has([data-testid="toolbar-${tool}"])`);
  if (await button.isVisible()) {
    await button.click();
  } else {
    await page.keyboard.press(key);
  }
}

/** Draw a labelled rectangle and a labelled arrow leaving it; the canvas is clicked first so keys reach it. */
export async function drawBoxAndArrow(page, boxLabel, arrowLabel) {
  const { box } = await board(page);
  // Clear of the tool bar, the style panel (left on wide screens) and the bottom bar (phones).
  const wide = box.width >= 700;
  const left = box.x + box.width * (wide ? 0.4 : 0.1);
  const top = box.y + box.height * (wide ? 0.35 : 0.3);
  const rect = { from: { x: left, y: top }, to: { x: left + (wide ? 160 : 130), y: top + 90 } };
  await page.mouse.click(box.x + box.width * 0.8, box.y + box.height * 0.85);
  await pickTool(page, "rectangle", "r");
  await drag(page, rect.from, rect.to);
  await label(page, { x: (rect.from.x + rect.to.x) / 2, y: (rect.from.y + rect.to.y) / 2 }, boxLabel);

  const start = { x: rect.to.x + 15, y: (rect.from.y + rect.to.y) / 2 };
  const end = { x: Math.min(box.x + box.width - 15, start.x + 160), y: start.y + 110 };
  await pickTool(page, "arrow", "a");
  await drag(page, start, end);
  await page.keyboard.press("Escape");
  await label(page, { x: (start.x + end.x) / 2, y: (start.y + end.y) / 2 }, arrowLabel);
}

/** Wait for the autosave indicator to report the drawing saved. */
export async function waitForDrawingSaved(page) {
  await page.waitForFunction(() => {
    const state = document.querySelector('[data-testid="drawing-save-state"]')?.getAttribute("data-state");
    return state === "saved";
  }, null, { timeout: 15_000 });
}
