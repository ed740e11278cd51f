/**
 * What of an Excalidraw scene is worth saving: the elements, the files they
 * use, and a handful of view settings. Never collaborators, selection or the
 * many transient UI flags.
 */
export const SAVED_APP_STATE_KEYS = [
  "viewBackgroundColor",
  "gridSize",
  "gridStep",
  "gridModeEnabled",
  "zenModeEnabled",
  "currentItemFontFamily",
  "currentItemStrokeColor",
  "currentItemBackgroundColor",
] as const;

export function minimalAppState(appState: Record<string, unknown>): Record<string, unknown> {
  const picked: Record<string, unknown> = {};
  for (const key of SAVED_APP_STATE_KEYS) {
    if (appState[key] !== undefined) picked[key] = appState[key];
  }
  return picked;
}

interface VersionedElement {
  version?: unknown;
  isDeleted?: unknown;
}

/** Deleted elements are kept by Excalidraw for undo and collaboration; a saved scene does not need them. */
export function liveElements(elements: readonly unknown[]): unknown[] {
  return elements.filter((element) => !(element as VersionedElement).isDeleted);
}

/** A cheap fingerprint of the scene, so pointer moves and selection changes do not trigger a save. */
export function sceneFingerprint(elements: readonly unknown[], appState: Record<string, unknown>): string {
  let sum = 0;
  for (const element of elements as readonly VersionedElement[]) {
    const version = typeof element.version === "number" ? element.version : 0;
    sum = (sum * 31 + version) % 2_147_483_647;
  }
  return `${elements.length}:${sum}:${String(appState.viewBackgroundColor ?? "#ffffff")}`;
}
