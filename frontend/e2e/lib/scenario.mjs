/**
 * One whole interview, as a candidate lives it: register, start, chat (an answer, `hint`,
 * `repeat`), the domain's own work (code runs, or a diagram), a reload mid-session, the end and
 * the report. Each domain's test file runs it at a desktop and a phone size.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { launchBrowser, openPage, screenshot, VIEWPORTS } from "./browser.mjs";
import * as flow from "./flows.mjs";

const ANSWERS = {
  coding:
    "First I'd confirm the boundaries: a meeting ending at 10 and one starting at 10 can share a room. " +
    "Then I'd sort the meetings by start time and keep a min-heap of end times; the heap's largest size is the answer.",
  system_design:
    "Let me start with requirements: one-to-one and group messages, delivery receipts, and offline users. " +
    "Clients hold a WebSocket to a gateway tier, messages go to a partitioned log, and a fan-out service delivers them.",
  behavioral:
    "Situation: two teams disagreed about an API migration. Task: I owned the rollout. Action: I wrote a short " +
    "design doc, ran a joint review and staged the change behind a flag. Result: we shipped on time with no incidents.",
};

const CODE_RUNS = [
  { code: 'print("hello from the e2e test")', verdict: /ran successfully/i, output: "hello from the e2e test" },
  { code: 'raise ValueError("boom")', verdict: /stopped with an error/i, output: "ValueError: boom" },
  { code: "while True: pass", verdict: /ran out of time/i, output: null },
];

const BOX_LABEL = "API gateway";
const ARROW_LABEL = "routes to";

/** Dark pixels on Excalidraw's static canvas: the drawing itself, not the UI around it. */
async function inkOnBoard(page) {
  return page.evaluate(() => {
    const canvas = document.querySelector('[data-testid="design-canvas"] canvas.excalidraw__canvas:not(.interactive)');
    if (!(canvas instanceof HTMLCanvasElement)) return 0;
    const { data } = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height);
    let dark = 0;
    for (let index = 0; index < data.length; index += 4) {
      if (data[index + 3] > 0 && data[index] < 100 && data[index + 1] < 100 && data[index + 2] < 100) dark += 1;
    }
    return dark;
  });
}

const squash = (text) => text.replace(/\s+/g, " ").trim();

async function chat(page, domain, shot) {
  const opening = await flow.waitForOpening(page);
  assert.ok(opening.length > 40, "the interviewer opens with the question");
  const reply = await flow.say(page, ANSWERS[domain]);
  assert.ok(reply.length > 0, "the interviewer answers");
  const hint = await flow.say(page, "hint");
  assert.match(hint, /hint/i, "`hint` gets a hint");
  const earlier = squash(await flow.aiTexts(page)).replace(squash(hint), "");
  const repeated = squash(await flow.say(page, "repeat")).replace(/^Sure\.\s*/, "");
  assert.ok(repeated.length > 20 && earlier.includes(repeated), `\`repeat\` repeats an earlier prompt, got: ${repeated}`);
  await shot("chat");
}

async function codeRuns(page, shot) {
  await flow.openTab(page, "code");
  for (const [index, run] of CODE_RUNS.entries()) {
    await flow.setCode(page, run.code);
    assert.match(await flow.runCode(page), run.verdict, `verdict for ${run.code}`);
    if (run.output) assert.match(await page.getByTestId("output-pane").innerText(), new RegExp(run.output));
    await shot(`run-${index + 1}`);
  }
}

async function diagram(page, sessionId, shot) {
  await flow.openTab(page, "design");
  await flow.drawBoxAndArrow(page, BOX_LABEL, ARROW_LABEL);
  await flow.waitForDrawingSaved(page);
  await shot("diagram-saved");
  const { status, body } = await flow.apiGet(page, `/sessions/${sessionId}/drawing`);
  assert.equal(status, 200);
  const types = body.elements.map((element) => element.type);
  assert.ok(types.includes("rectangle") && types.includes("arrow"), `a rectangle and an arrow were saved: ${types}`);
  const labels = body.elements.filter((element) => element.type === "text" && element.containerId).map((element) => squash(element.originalText ?? element.text));
  assert.deepEqual(labels.sort(), [ARROW_LABEL, BOX_LABEL].sort(), "both labels arrived, bound to their shapes");
  return inkOnBoard(page);
}

async function reloadAndCheck(page, domain, state, shot) {
  await page.reload();
  await page.getByTestId("chat-input").waitFor();
  await page.getByTestId("user-message").filter({ hasText: ANSWERS[domain].slice(0, 40) }).waitFor();
  assert.match(await flow.transcriptText(page), /Hint \d/i, "the transcript is back after a reload");
  if (domain === "coding") {
    await flow.openTab(page, "code");
    await page.getByTestId("code-editor").locator(".view-lines").waitFor({ timeout: 20_000 });
    // Monaco paints the restored model over a few frames: poll until it is all there.
    const expected = CODE_RUNS.at(-1).code;
    await flow.until(async () => (await flow.editorText(page)).trim() === expected, "the code is back", 10_000);
    assert.equal((await flow.editorText(page)).trim(), expected, "the code is back");
    assert.match(await page.getByTestId("run-verdict").innerText(), CODE_RUNS.at(-1).verdict, "the last verdict is back");
  }
  if (domain === "system_design") {
    await flow.openTab(page, "design");
    await page.locator('[data-testid="design-canvas"] canvas.interactive').waitFor({ timeout: 20_000 });
    const min = Math.floor(state.ink * 0.5);
    await flow.until(async () => (await inkOnBoard(page)) >= min, "the diagram is drawn again after a reload");
    assert.equal(await page.getByTestId("drawing-save-state").getAttribute("data-state"), "idle", "restoring saves nothing new");
  }
  await shot("after-reload");
}

async function endAndReport(page, domain, shot) {
  await flow.endInterview(page);
  const seen = await flow.readReport(page);
  await page.getByTestId("transcript").getByText(ANSWERS[domain].slice(0, 40)).waitFor();
  if (domain === "coding") assert.match(await page.getByTestId("final-code").innerText(), /while True: pass/);
  if (domain === "system_design") await page.getByTestId("report-diagram").waitFor();
  await shot(`report-${seen}`);
}

/** Register the describe block: one test per viewport, sharing one browser. */
export function interviewSuite(domain) {
  describe(`${domain} interview`, () => {
    let browser;
    before(async () => {
      browser = await launchBrowser();
    });
    after(async () => {
      await browser?.close();
    });

    for (const [size, viewport] of Object.entries(VIEWPORTS)) {
      test(`${domain} at ${viewport.width}x${viewport.height}: chat, work, reload, end, report`, async () => {
        const { context, page, assertClean } = await openPage(browser, viewport);
        let step = 0;
        const shot = (name) => screenshot(page, `${domain}-${size}-${String(++step).padStart(2, "0")}-${name}`);
        try {
          await flow.register(page, flow.uniqueEmail(`${domain}-${size}`));
          const sessionId = await flow.startInterview(page, domain);
          await chat(page, domain, shot);
          const state = { ink: 0 };
          if (domain === "coding") await codeRuns(page, shot);
          if (domain === "system_design") state.ink = await diagram(page, sessionId, shot);
          await reloadAndCheck(page, domain, state, shot);
          await endAndReport(page, domain, shot);
          assertClean();
        } catch (error) {
          await shot("FAILED").catch(() => undefined);
          throw error;
        } finally {
          await context.close();
        }
      });
    }
  });
}
