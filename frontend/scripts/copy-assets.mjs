#!/usr/bin/env node
/**
 * Prebuild: copy the static assets that libraries would otherwise fetch from a
 * CDN into public/, so the exported site makes no request off the machine.
 *   @excalidraw/excalidraw/dist/prod/fonts -> public/excalidraw-assets/fonts
 * (window.EXCALIDRAW_ASSET_PATH = "/excalidraw-assets/" points Excalidraw at it.)
 * Monaco and Lottie need nothing here: Monaco and its workers are bundled, and
 * the animations are JSON modules.
 */
import { cpSync, existsSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(join(root, "package.json"));

function packageDir(name) {
  // Resolve through package.json's location: exports maps may hide package.json itself.
  let dir = dirname(require.resolve(name));
  while (!existsSync(join(dir, "package.json"))) dir = dirname(dir);
  return dir;
}

const excalidraw = packageDir("@excalidraw/excalidraw");
const fonts = join(excalidraw, "dist", "prod", "fonts");
const target = join(root, "public", "excalidraw-assets", "fonts");
if (!existsSync(fonts)) {
  console.error(`copy-assets: ${fonts} not found; is @excalidraw/excalidraw installed?`);
  process.exit(1);
}
rmSync(target, { recursive: true, force: true });
cpSync(fonts, target, { recursive: true });
console.log(`copy-assets: Excalidraw fonts -> ${target}`);
