// A module worker built from the local monaco-editor (no CDN).
import "monaco-editor/language/css/css.worker";
