#!/usr/bin/env node
/**
 * Writes the two Lottie animations the UI ships (no download, no CDN):
 *   components/lottie/animations/avatar.json  the interviewer, mouth moving while it "talks"
 *   components/lottie/animations/empty.json   a friendly floating page for empty states
 * Run `node scripts/make-animations.mjs` after editing; the JSON is committed.
 */
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const out = join(dirname(fileURLToPath(import.meta.url)), "..", "components", "lottie", "animations");

const rgb = (hex) => {
  const n = parseInt(hex.slice(1), 16);
  return [((n >> 16) & 255) / 255, ((n >> 8) & 255) / 255, (n & 255) / 255, 1].map((v) => Math.round(v * 1000) / 1000);
};
const still = (k) => ({ a: 0, k });
const ease = { i: { x: [0.45], y: [1] }, o: { x: [0.55], y: [0] } };
/** Keyframes from [[frame, value], …]; the last one holds. */
const anim = (frames) => ({
  a: 1,
  k: frames.map(([t, s], index) => (index === frames.length - 1 ? { t, s } : { t, s, ...ease })),
});

const transform = (overrides = {}) => ({
  ty: "tr",
  p: still([0, 0]),
  a: still([0, 0]),
  s: still([100, 100]),
  r: still(0),
  o: still(100),
  sk: still(0),
  sa: still(0),
  nm: "Transform",
  ...overrides,
});
const fill = (hex, opacity = still(100)) => ({ ty: "fl", c: still(rgb(hex)), o: opacity, r: 1, nm: "Fill" });
const stroke = (hex, width) => ({ ty: "st", c: still(rgb(hex)), o: still(100), w: still(width), lc: 2, lj: 2, nm: "Stroke" });
const ellipse = (size, p = [0, 0]) => ({ ty: "el", p: still(p), s: typeof size.a === "number" ? size : still(size), nm: "Ellipse" });
const rect = (size, radius, p = [0, 0]) => ({
  ty: "rc",
  p: typeof p.a === "number" ? p : still(p),
  s: typeof size.a === "number" ? size : still(size),
  r: still(radius),
  nm: "Rect",
});
const group = (name, items, tr = {}) => ({ ty: "gr", nm: name, it: [...items, transform(tr)] });

const layer = (ind, name, shapes, ks = {}, op) => ({
  ddd: 0,
  ind,
  ty: 4,
  nm: name,
  sr: 1,
  ks: {
    o: still(100),
    r: still(0),
    p: still([60, 60, 0]),
    a: still([0, 0, 0]),
    s: still([100, 100, 100]),
    ...ks,
  },
  ao: 0,
  shapes,
  ip: 0,
  op,
  st: 0,
  bm: 0,
});

const doc = (name, op, layers) => ({ v: "5.7.4", fr: 30, ip: 0, op, w: 120, h: 120, nm: name, ddd: 0, assets: [], layers });

// The interviewer: a friendly robot. Frame 0 is the resting face (mouth closed), so
// stopping the animation shows it idle; playing loops a talking mouth and a blink.
const TALK = 60;
const avatar = doc("interviewer-avatar", TALK, [
  layer(
    1,
    "mouth",
    [
      group("mouth", [
        rect(anim([[0, [22, 4]], [8, [18, 12]], [16, [24, 6]], [26, [16, 14]], [36, [22, 5]], [46, [18, 11]], [59, [22, 4]]]), 3),
        fill("#ffffff"),
      ]),
    ],
    { p: still([60, 74, 0]) },
    TALK,
  ),
  layer(
    2,
    "eyes",
    [
      group("left eye", [ellipse([12, 12], [-15, 0]), fill("#ffffff")]),
      group("right eye", [ellipse([12, 12], [15, 0]), fill("#ffffff")]),
      group("left pupil", [ellipse([5, 5], [-14, 1]), fill("#0b1a4a")]),
      group("right pupil", [ellipse([5, 5], [16, 1]), fill("#0b1a4a")]),
    ],
    { p: still([60, 56, 0]), s: anim([[0, [100, 100, 100]], [40, [100, 100, 100]], [43, [100, 12, 100]], [46, [100, 100, 100]], [59, [100, 100, 100]]]) },
    TALK,
  ),
  layer(
    3,
    "head",
    [
      group("antenna tip", [ellipse([10, 10], [0, -44]), fill("#f59e0b")]),
      group("antenna", [rect([4, 12], 2, [0, -36]), fill("#1d4ed8")]),
      group("head", [rect([76, 62], 18, [0, 4]), fill("#1d4ed8")]),
      group("ears", [rect([88, 18], 6, [0, 4]), fill("#1e3a8a")]),
    ],
    { p: still([60, 60, 0]) },
    TALK,
  ),
  layer(4, "backdrop", [group("circle", [ellipse([116, 116]), fill("#dbe6ff")])], {}, TALK),
]);

// The empty state: a page of code floating gently above its shadow, with a twinkle.
const LOOP = 90;
const empty = doc("empty-state", LOOP, [
  layer(
    1,
    "sparkle",
    [group("sparkle", [ellipse([8, 8]), fill("#f59e0b", anim([[0, 20], [30, 100], [60, 20], [89, 20]]))])],
    { p: still([92, 28, 0]), s: anim([[0, [60, 60, 100]], [30, [120, 120, 100]], [60, [60, 60, 100]], [89, [60, 60, 100]]]) },
    LOOP,
  ),
  layer(
    2,
    "page",
    [
      group("line 1", [rect([30, 5], 2.5, [-4, -16]), fill("#1d4ed8")]),
      group("line 2", [rect([22, 5], 2.5, [0, -4]), fill("#93a4c4")]),
      group("line 3", [rect([32, 5], 2.5, [-2, 8]), fill("#93a4c4")]),
      group("line 4", [rect([18, 5], 2.5, [-9, 20]), fill("#93a4c4")]),
      group("sheet", [rect([56, 70], 8), fill("#ffffff"), stroke("#1d4ed8", 3)]),
    ],
    { p: anim([[0, [60, 54, 0]], [45, [60, 46, 0]], [89, [60, 54, 0]]]), r: anim([[0, -4], [45, 4], [89, -4]]) },
    LOOP,
  ),
  layer(
    3,
    "shadow",
    [group("shadow", [ellipse([52, 8]), fill("#0b1220", still(12))])],
    { p: still([60, 104, 0]), s: anim([[0, [100, 100, 100]], [45, [78, 78, 100]], [89, [100, 100, 100]]]) },
    LOOP,
  ),
  layer(4, "backdrop", [group("circle", [ellipse([112, 112]), fill("#eef2fb")])], {}, LOOP),
]);

writeFileSync(join(out, "avatar.json"), `${JSON.stringify(avatar)}\n`);
writeFileSync(join(out, "empty.json"), `${JSON.stringify(empty)}\n`);
console.log(`wrote ${out}/avatar.json and empty.json`);
