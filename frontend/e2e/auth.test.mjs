/**
 * An expired or refused token on every page, a refused WebSocket handshake, a malformed frame,
 * and an interview that is not yours. These tests provoke HTTP 401/404 answers on purpose; the
 * browser logs each as a console error, so each test names exactly the ones it expects.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { BASE_URL, launchBrowser, openPage, screenshot, VIEWPORTS } from "./lib/browser.mjs";
import * as flow from "./lib/flows.mjs";

const HTTP_401 = /status of 401/;
const HTTP_404 = /status of 404/;
const WS_REFUSED = /WebSocket connection to .* failed/;

async function post(path, body, token) {
  const response = await fetch(`${BASE_URL}${path}`, {
    method: path.endsWith("/start") ? "PATCH" : "POST",
    headers: { "Content-Type": "application/json", ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  assert.ok(response.ok, `${path}: ${response.status} ${await response.clone().text()}`);
  return response.json();
}

/** A user with a started coding interview, made through the API (the UI path is covered elsewhere). */
async function userWithInterview(tag) {
  const email = flow.uniqueEmail(tag);
  await post("/auth/register", { email, password: flow.PASSWORD });
  const { access_token: token, expires_in: expiresIn } = await post("/auth/token", { email, password: flow.PASSWORD });
  const session = await post("/sessions", { type: "coding", duration_minutes: 30 }, token);
  await post(`/sessions/${session.id}/start`, undefined, token);
  return { email, token, expiresIn, sessionId: session.id };
}

/** Same header and claims, broken signature: the server refuses it, the browser cannot tell. */
const forged = (token) => `${token.slice(0, token.lastIndexOf(".") + 1)}${"A".repeat(43)}`;

async function putToken(page, token, expiresAt = Date.now() + 3_600_000, email = "") {
  await page.evaluate(
    ([value, expires, address]) => {
      localStorage.setItem("rehearse.token", value);
      localStorage.setItem("rehearse.token_expires_at", String(expires));
      if (address) localStorage.setItem("rehearse.email", address);
    },
    [token, expiresAt, email],
  );
}

describe("expired and refused tokens", () => {
  let browser;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  test("every page sends a refused token to sign-in and comes back after signing in", async () => {
    const user = await userWithInterview("expired");
    const { context, page, assertClean } = await openPage(browser, VIEWPORTS.desktop, { expectConsole: [HTTP_401] });
    const pages = [
      { path: "/", ready: page.getByTestId("start-interview") },
      { path: "/history/", ready: page.getByRole("heading", { name: "Past sessions" }) },
      { path: `/interview/?id=${user.sessionId}`, ready: page.getByTestId("chat-input") },
      { path: `/report/?id=${user.sessionId}`, ready: page.getByTestId("report-in-progress") },
    ];
    try {
      await page.goto("/signin/");
      for (const { path, ready } of pages) {
        await putToken(page, forged(user.token));
        // The page may send us to sign-in before its own load event: wait for the commit only,
        // or goto fails with "interrupted by another navigation" when the 401 comes back fast.
        await page.goto(path, { waitUntil: "commit" });
        // Home is where sign-in goes anyway, so it carries no `next`.
        const next = path === "/" ? null : path;
        await page.waitForURL((url) => url.pathname === "/signin/" && url.searchParams.get("next") === next);
        assert.equal(await flow.tokenOf(page), null, "the refused token is dropped");
        await flow.signIn(page, user.email);
        await page.waitForURL((url) => url.pathname + url.search === path);
        await ready.waitFor();
      }
      await screenshot(page, "auth-01-back-after-sign-in");

      // A token past its expiry never reaches the server: straight to sign-in.
      await putToken(page, user.token, Date.now() - 1000);
      await page.goto("/history/", { waitUntil: "commit" });
      await page.waitForURL((url) => url.pathname === "/signin/" && url.searchParams.get("next") === "/history/");
      await screenshot(page, "auth-02-expired-locally");
      assertClean();
    } finally {
      await context.close();
    }
  });

  test("a refused WebSocket handshake re-authenticates, and a malformed frame is reported", async () => {
    const user = await userWithInterview("socket");
    const { context, page, assertClean } = await openPage(browser, VIEWPORTS.phone, { expectConsole: [HTTP_401, WS_REFUSED] });
    // Keep a handle on the page's sockets, to send a bad frame and to drop the connection.
    await context.addInitScript(() => {
      const Native = window.WebSocket;
      window.__sockets = [];
      window.WebSocket = class extends Native {
        constructor(...args) {
          super(...args);
          window.__sockets.push(this);
        }
      };
    });
    try {
      await page.goto("/signin/");
      await putToken(page, user.token, Date.now() + user.expiresIn * 1000, user.email);
      const path = `/interview/?id=${user.sessionId}`;
      await page.goto(path);
      await flow.waitForOpening(page);
      // The opening can arrive with the transcript (REST) before the socket has opened.
      await page.waitForFunction(() => window.__sockets.at(-1)?.readyState === WebSocket.OPEN);

      await page.evaluate(() => window.__sockets.at(-1).send("this is not JSON"));
      const banner = page.getByRole("alert").filter({ hasText: "malformed frame" });
      await banner.waitFor();
      await screenshot(page, "auth-03-malformed-frame");
      await banner.getByRole("button", { name: "Dismiss" }).click();
      await banner.waitFor({ state: "detached" });

      // The server now refuses the token: the reconnect's handshake fails (a 403 the page cannot
      // see), the page asks GET /sessions/{id} why (401) and goes to sign-in, then comes back.
      await putToken(page, forged(user.token));
      await page.evaluate(() => window.__sockets.at(-1).close());
      await page.waitForURL((url) => url.pathname === "/signin/" && url.searchParams.get("next") === path, { timeout: 20_000 });
      await flow.signIn(page, user.email);
      await page.waitForURL((url) => url.pathname + url.search === path);
      await flow.waitForOpening(page);
      const reply = await flow.say(page, "hint");
      assert.match(reply, /hint/i, "the live connection works again");
      await screenshot(page, "auth-04-socket-back");
      assertClean();
    } finally {
      await context.close();
    }
  });

  test("an interview that is not yours says so, on the interview and the report page", async () => {
    const owner = await userWithInterview("owner");
    const other = await userWithInterview("other");
    const { context, page, assertClean } = await openPage(browser, VIEWPORTS.desktop, { expectConsole: [HTTP_404] });
    try {
      await page.goto("/signin/");
      await putToken(page, other.token);
      await page.goto(`/interview/?id=${owner.sessionId}`);
      await page.getByRole("alert").filter({ hasText: "does not exist, or it belongs to another account" }).waitFor();
      await screenshot(page, "auth-05-not-yours-interview");
      await page.goto(`/report/?id=${owner.sessionId}`);
      await page.getByRole("alert").filter({ hasText: "does not exist, or it belongs to another account" }).waitFor();
      await screenshot(page, "auth-06-not-yours-report");
      assertClean();
    } finally {
      await context.close();
    }
  });
});
