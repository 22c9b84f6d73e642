/** The manifests the protocol tests open, and small helpers to read what the server answers. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic, Range } from 'vscode-languageserver-protocol';
import { manifestWith } from '../unit/util';

/**
 * The folder the tests' documents live in: a new empty one for each test process. The server reads
 * the disk around an open manifest (the app's code under `src/`); a fixed path such as `/app`
 * would make the results depend on what the machine holds there.
 */
export const APP_FOLDER = mkdtempSync(path.join(tmpdir(), 'stripe-apps-protocol-'));
process.once('exit', () => {
  rmSync(APP_FOLDER, { recursive: true, force: true });
});
export const APP_URI = pathToFileURL(APP_FOLDER).href;
export const MANIFEST_URI = `${APP_URI}/stripe-app.json`;

/** One good entry, one misspelt name (`customers_write`), one placeholder purpose (`test`). */
export const FLAWED_MANIFEST = manifestWith(`[
    { "permission": "customer_read", "purpose": "Shows the customer's name next to each invoice." },
    { "permission": "customers_write", "purpose": "Tags customers with their loyalty tier." },
    { "permission": "charge_read", "purpose": "test" }
  ]`);

/** A manifest with nothing to report. */
export const CLEAN_MANIFEST = manifestWith(`[
    { "permission": "customer_read", "purpose": "Shows the customer's name next to each invoice." },
    { "permission": "charge_read", "purpose": "Lists the charges of the customer in the drawer." }
  ]`);

export interface DiagnosticSummary {
  code: Diagnostic['code'];
  severity: Diagnostic['severity'];
  range: Range;
}

/** What a test asserts of each diagnostic: its code, severity and exact range, in order. */
export function summarize(diagnostics: readonly Diagnostic[]): DiagnosticSummary[] {
  return diagnostics.map(({ code, severity, range }) => ({ code, severity, range }));
}
