import * as vscode from 'vscode';

/**
 * Which documents are Stripe Apps manifests: `stripe-app.json` and local manifests such as
 * `stripe-app.dev.json`, in JSON or JSON with comments, on disk (`file`) or in a virtual
 * workspace such as GitHub Repositories (`vscode-vfs`). Untitled documents are left out: a
 * manifest is known by its file name.
 */
const SCHEMES = ['file', 'vscode-vfs'] as const;
const LANGUAGES = ['json', 'jsonc'] as const;
export const BASE_MANIFEST_GLOB = '**/stripe-app.json';
export const LOCAL_MANIFEST_GLOB = '**/stripe-app.*.json';

/** Plain filters, valid both as a VS Code `DocumentSelector` and as an LSP one. */
export const MANIFEST_SELECTOR: { scheme: string; language: string; pattern: string }[] =
  SCHEMES.flatMap((scheme) =>
    LANGUAGES.flatMap((language) =>
      [BASE_MANIFEST_GLOB, LOCAL_MANIFEST_GLOB].map((pattern) => ({ scheme, language, pattern })),
    ),
  );

/** Base and local manifests, for `findFiles` and file watchers. */
export const ANY_MANIFEST_GLOB = '**/{stripe-app.json,stripe-app.*.json}';
/** Manifests inside dependencies are not the user's. */
export const MANIFEST_EXCLUDE_GLOB = '**/node_modules/**';

export function isManifestDocument(document: vscode.TextDocument): boolean {
  return vscode.languages.match(MANIFEST_SELECTOR, document) > 0;
}
