/**
 * A real Chromium (the system one; playwright-core never downloads a browser) and the guards every
 * end-to-end test runs under: no request may leave the app's own origin, and the page may log no
 * console error and throw no uncaught exception.
 */
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

export const BASE_URL = (process.env.E2E_BASE_URL ?? "http://127.0.0.1:8000").replace(/\/+$/, "");
const EXECUTABLE = process.env.E2E_CHROMIUM ?? "/usr/bin/chromium";
const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
export const SCREENSHOT_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "screenshots");

export const VIEWPORTS = {
  desktop: { width: 1280, height: 800 },
  phone: { width: 390, height: 844 },
};

/** One browser per test file. `launch()` gives every context its own fresh, throw-away profile. */
export async function launchBrowser() {
  return chromium.launch({ executablePath: EXECUTABLE, args: ARGS, headless: true });
}

const own = new URL(BASE_URL);
const LOCAL_SCHEMES = new Set(["data:", "blob:", "about:"]);

function isOwnOrigin(url) {
  let parsed;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (LOCAL_SCHEMES.has(parsed.protocol)) return true;
  const scheme = parsed.protocol === "ws:" ? "http:" : parsed.protocol === "wss:" ? "https:" : parsed.protocol;
  return scheme === own.protocol && parsed.host === own.host;
}

/**
 * A fresh context at `viewport` with the guards attached. `expectConsole` lists regular expressions
 * for console errors a test provokes on purpose (an expired token's 401, say); anything else fails.
 */
export async function openPage(browser, viewport, { expectConsole = [] } = {}) {
  const context = await browser.newContext({
    viewport,
    deviceScaleFactor: 1,
    isMobile: viewport.width < 500,
    hasTouch: viewport.width < 500,
    baseURL: BASE_URL,
    serviceWorkers: "block",
  });
  const foreign = [];
  const consoleErrors = [];
  const expected = [];
  context.on("request", (request) => {
    if (!isOwnOrigin(request.url())) foreign.push(`${request.method()} ${request.url()}`);
  });
  const page = await context.newPage();
  page.on("websocket", (socket) => {
    if (!isOwnOrigin(socket.url())) foreign.push(`WS ${socket.url()}`);
  });
  page.on("console", (message) => {
    if (message.type() !== "error") return;
    const where = message.location()?.url ?? "";
    const text = `${message.text()}${where ? ` (${where})` : ""}`;
    if (expectConsole.some((pattern) => pattern.test(text))) expected.push(text);
    else consoleErrors.push(text);
  });
  page.on("pageerror", (error) => consoleErrors.push(`uncaught: ${error.stack ?? error.message}`));
  return {
    context,
    page,
    /** Throws when the page reached off the machine or logged an error. */
    assertClean() {
      const problems = [];
      if (foreign.length) problems.push(`requests to other hosts:\n  ${[...new Set(foreign)].join("\n  ")}`);
      if (consoleErrors.length) problems.push(`console errors:\n  ${consoleErrors.join("\n  ")}`);
      if (problems.length) throw new Error(problems.join("\n"));
      return { expected };
    },
  };
}

/** A full-page screenshot under e2e/screenshots/ (gitignored), named after the test and the step. */
export async function screenshot(page, name) {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name.replace(/[^a-z0-9._-]+/gi, "-")}.png`) });
}
