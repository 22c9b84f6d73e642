import * as vscode from 'vscode';
import { MANIFEST_SELECTOR } from './manifestPatterns';

export {
  ANY_MANIFEST_GLOB,
  BASE_MANIFEST_GLOB,
  MANIFEST_EXCLUDE_GLOB,
  MANIFEST_SELECTOR,
  SOURCE_GLOB,
  SOURCE_SELECTOR,
  V1_MANIFEST_SELECTOR,
  V2_MANIFEST_SELECTOR,
} from './manifestPatterns';

/**
 * Which documents are Stripe Apps manifests: `stripe-app.json` and local manifests such as
 * `stripe-app.dev.json` in JSON or JSON with comments, and `stripe-app.yaml` in YAML; on disk
 * (`file`) or in a virtual workspace such as GitHub Repositories (`vscode-vfs`). Untitled
 * documents are left out: a manifest is known by its file name.
 */
export function isManifestDocument(document: vscode.TextDocument): boolean {
  return vscode.languages.match(MANIFEST_SELECTOR, document) > 0;
}
