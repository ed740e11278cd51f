export {};

declare global {
  interface Window {
    /** Where Excalidraw loads its fonts from; a local copy made by scripts/copy-assets.mjs. */
    EXCALIDRAW_ASSET_PATH?: string | string[];
  }
}
