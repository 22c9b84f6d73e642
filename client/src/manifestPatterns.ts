/*
 * The client's selectors and globs, derived from the one definition of the manifest files
 * (server/src/service/manifestFileNames.ts). No `vscode` import, so unit tests hold package.json
 * to these values without an editor.
 */
import {
  BASE_MANIFEST,
  LOCAL_MANIFEST,
  MANIFEST_FILE_NAMES,
  V2_MANIFEST,
  caseInsensitiveGlob,
  fileNameSource,
  manifestGlob,
  type ManifestFileName,
} from '../../server/src/service/manifestFileNames';

/** On disk, or in a virtual workspace such as GitHub Repositories. Untitled: no file name. */
export const SCHEMES = ['file', 'vscode-vfs'] as const;

/** The languages VS Code gives each format (YAML is built in, with or without Red Hat's). */
export const LANGUAGES: Record<ManifestFileName['format'], readonly string[]> = {
  json: ['json', 'jsonc'],
  yaml: ['yaml'],
};

export interface DocumentFilter {
  scheme: string;
  language: string;
  pattern: string;
}

function selectorOf(files: readonly ManifestFileName[]): DocumentFilter[] {
  return SCHEMES.flatMap((scheme) =>
    files.flatMap((file) =>
      LANGUAGES[file.format].map((language) => ({
        scheme,
        language,
        pattern: manifestGlob(file),
      })),
    ),
  );
}

/** Plain filters, valid both as a VS Code `DocumentSelector` and as an LSP one. */
export const MANIFEST_SELECTOR: DocumentFilter[] = selectorOf(MANIFEST_FILE_NAMES);
/** v1 manifests (`stripe-app.json`, `stripe-app.*.json`). */
export const V1_MANIFEST_SELECTOR: DocumentFilter[] = selectorOf([BASE_MANIFEST, LOCAL_MANIFEST]);
/** v2 manifests (`stripe-app.yaml`). */
export const V2_MANIFEST_SELECTOR: DocumentFilter[] = selectorOf([V2_MANIFEST]);

/** The base manifests a command offers when no manifest is open (local ones extend these). */
export const BASE_MANIFEST_GLOB = `**/{${caseInsensitiveGlob(BASE_MANIFEST.name)},${caseInsensitiveGlob(V2_MANIFEST.name)}}`;
/** Every manifest, for `findFiles` and file watchers. */
export const ANY_MANIFEST_GLOB = `**/{${MANIFEST_FILE_NAMES.map((file) => caseInsensitiveGlob(file.name)).join(',')}}`;
/** Manifests inside dependencies are not the user's. */
export const MANIFEST_EXCLUDE_GLOB = '**/node_modules/**';

/** package.json `activationEvents`: a manifest anywhere in the workspace. */
export const WORKSPACE_CONTAINS_EVENTS: readonly string[] = MANIFEST_FILE_NAMES.map(
  (file) => `workspaceContains:${manifestGlob(file)}`,
);

/**
 * The `when` clause of the editor menus' Grant and Revoke: a manifest by file name and language,
 * on disk or in a virtual workspace. `resourceFilename` is the bare name, so `*` is `.+` there;
 * regexes in `when` clauses take the `i` flag.
 */
export const MANIFEST_MENU_WHEN = `(${[[BASE_MANIFEST, LOCAL_MANIFEST], [V2_MANIFEST]]
  .map((files) => {
    const names = files.map((file) => fileNameSource(file, '.+')).join('|');
    const languages = LANGUAGES[files[0]?.format ?? 'json'].join('|');
    return `resourceFilename =~ /^(${names})$/i && resourceLangId =~ /^(${languages})$/`;
  })
  .join(' || ')}) && resourceScheme =~ /^(${SCHEMES.join('|')})$/`;

/**
 * The app's UI extension code (issue 14): its open files are synced to the server, which analyses
 * the calls of the ones under an app folder, and their changes on disk are watched.
 */
export const SOURCE_GLOB = '**/src/**/*.{ts,tsx,js,jsx}';
export const SOURCE_LANGUAGES = [
  'typescript',
  'typescriptreact',
  'javascript',
  'javascriptreact',
] as const;
export const SOURCE_SELECTOR: DocumentFilter[] = SCHEMES.flatMap((scheme) =>
  SOURCE_LANGUAGES.map((language) => ({ scheme, language, pattern: SOURCE_GLOB })),
);
