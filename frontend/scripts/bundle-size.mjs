#!/usr/bin/env node
/**
 * The home page's initial JavaScript, gzipped: every <script src> in
 * out/index.html (what a first visit downloads before anything is lazy-loaded),
 * except the nomodule polyfills that modern browsers never fetch.
 * Monaco, Excalidraw and lottie-web must not appear here; they load when shown.
 *
 *   node scripts/bundle-size.mjs [--page index.html] [--budget-kb 250]
 * Exits 1 when over budget.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const index = args.indexOf(name);
  return index >= 0 && args[index + 1] ? args[index + 1] : fallback;
};
const page = option("--page", "index.html");
const budgetKb = Number(option("--budget-kb", "250"));
const outDir = join(root, "out");
const htmlPath = join(outDir, page);

if (!existsSync(htmlPath)) {
  console.error(`bundle-size: ${htmlPath} not found; run \`npm run build\` first.`);
  process.exit(2);
}

const html = readFileSync(htmlPath, "utf8");
// <script nomodule> (the legacy polyfills) is skipped by every browser that runs modules.
const tags = [...html.matchAll(/<script\b[^>]*>/gi)].map((match) => match[0]);
const srcOf = (tag) => /\bsrc="([^"]+)"/i.exec(tag)?.[1];
const legacy = tags.filter((tag) => /\bnomodule\b/i.test(tag) && srcOf(tag)).map(srcOf);
const sources = [...new Set(tags.filter((tag) => !/\bnomodule\b/i.test(tag)).map(srcOf).filter(Boolean))];
/** Strings only the lazily loaded libraries contain; none may be in the first load. */
const LAZY_MARKERS = { Monaco: "MonacoEnvironment", Excalidraw: "excalidraw-container", "lottie-web": "bodymovin" };
const leaks = [];
let raw = 0;
let gzipped = 0;
const rows = [];
for (const src of sources) {
  const pathname = decodeURIComponent(src.split(/[?#]/)[0]);
  if (/^(https?:)?\/\//.test(pathname)) {
    console.error(`bundle-size: external script ${src}: nothing may load from off the machine`);
    process.exit(1);
  }
  const file = join(outDir, pathname.replace(/^\//, ""));
  const body = readFileSync(file);
  const size = gzipSync(body, { level: 9 }).length;
  const text = body.toString("utf8");
  for (const [library, marker] of Object.entries(LAZY_MARKERS)) if (text.includes(marker)) leaks.push(`${library} in ${pathname}`);
  raw += body.length;
  gzipped += size;
  rows.push([size, body.length, pathname]);
}

rows.sort((a, b) => b[0] - a[0]);
const kb = (bytes) => (bytes / 1024).toFixed(1).padStart(7);
for (const [size, length, path] of rows) console.log(`${kb(size)} KB gz ${kb(length)} KB  ${path}`);
if (legacy.length > 0) console.log(`(not counted: ${legacy.length} nomodule script(s) for legacy browsers: ${legacy.join(", ")})`);
console.log(`\n${page}: ${sources.length} scripts, ${kb(raw).trim()} KB raw, ${kb(gzipped).trim()} KB gzipped (budget ${budgetKb} KB)`);
if (leaks.length > 0) {
  console.error(`bundle-size: lazy-only code in the initial load: ${leaks.join(", ")}`);
  process.exit(1);
}
console.log("Monaco, Excalidraw and lottie-web are not in the initial load.");
if (gzipped > budgetKb * 1024) {
  console.error("bundle-size: over budget");
  process.exit(1);
}
