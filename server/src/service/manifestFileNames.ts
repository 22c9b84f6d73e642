/*
 * Which files are Stripe Apps manifests, defined once. The model (format and kind), the server,
 * the CLI's folder search and the VS Code client take their tests from here; package.json's
 * activation events, menus and schema association hold the same strings, and
 * test/unit/manifestFileNames.test.ts fails when they differ.
 *
 * Names compare without regard to case everywhere: on macOS and Windows `Stripe-App.json` is
 * the file the Stripe CLI opens. VS Code's globs are case-sensitive, so the globs spell each
 * letter as a class (`[sS]`).
 *
 * Imports nothing, so the client bundles it without the parsers.
 */

/** A manifest file name; `*` stands for one or more characters other than a path separator. */
export interface ManifestFileName {
  readonly name: string;
  readonly format: 'json' | 'yaml';
  readonly kind: 'base' | 'local';
}

export const BASE_MANIFEST: ManifestFileName = {
  name: 'stripe-app.json',
  format: 'json',
  kind: 'base',
};
/** `stripe-app.dev.json` and the like, which `extends` the base manifest. */
export const LOCAL_MANIFEST: ManifestFileName = {
  name: 'stripe-app.*.json',
  format: 'json',
  kind: 'local',
};
/** The v2 manifest. No `.yml` spelling and no local v2 manifest has been seen in real apps. */
export const V2_MANIFEST: ManifestFileName = {
  name: 'stripe-app.yaml',
  format: 'yaml',
  kind: 'base',
};

export const MANIFEST_FILE_NAMES: readonly ManifestFileName[] = [
  BASE_MANIFEST,
  LOCAL_MANIFEST,
  V2_MANIFEST,
];

/** Matches a path (or a bare file name) whose last segment is the manifest file name. */
export function manifestPathRegExp(file: ManifestFileName): RegExp {
  return new RegExp(`(?:^|[\\\\/])${fileNameSource(file)}$`, 'i');
}

/**
 * The regular expression source of the name alone (no anchors, no flags); `*` becomes `any`,
 * by default one or more characters other than a path separator.
 */
export function fileNameSource(file: ManifestFileName, any = '[^\\\\/]+'): string {
  return file.name
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join(any);
}

/** A VS Code / ripgrep glob for the file anywhere in a folder: `**∕[sS][tT]…`. */
export function manifestGlob(file: ManifestFileName): string {
  return `**/${caseInsensitiveGlob(file.name)}`;
}

/** Every letter as a two-case class; `*` as `?*` (one or more characters, as the regexp). */
export function caseInsensitiveGlob(name: string): string {
  let glob = '';
  for (const character of name) {
    if (character === '*') glob += '?*';
    else if (/[a-z]/i.test(character)) {
      glob += `[${character.toLowerCase()}${character.toUpperCase()}]`;
    } else glob += character;
  }
  return glob;
}

const PATH_PATTERNS = MANIFEST_FILE_NAMES.map((file) => ({
  file,
  pattern: manifestPathRegExp(file),
}));

/** The manifest file name a path ends with, if any (query and fragment ignored by callers). */
export function manifestFileOf(path: string): ManifestFileName | undefined {
  return PATH_PATTERNS.find(({ pattern }) => pattern.test(path))?.file;
}

/**
 * True for the file names this tool is for: stripe-app.json, stripe-app.<name>.json and
 * stripe-app.yaml.
 */
export function isManifestFileName(path: string): boolean {
  return manifestFileOf(path) !== undefined;
}
