import { printParseErrorCode } from 'jsonc-parser';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from 'vscode-languageserver-types';
import type { ManifestDocument } from '../manifestDocument';
import type { ManifestServiceSettings } from '../settings';
import { makeDiagnostic, type RuleContext } from './common';
import { checkPermissions } from './permissionRules';
import { checkPurposes } from './purposeDiagnostics';
import { checkStructure } from './structureRules';

/**
 * Every diagnostic of a manifest, in document order: structure, permission names, purposes,
 * and syntax errors when the caller asks (the editor reports those itself).
 */
export function validateManifest(
  manifest: ManifestDocument,
  document: TextDocument,
  settings: ManifestServiceSettings,
  options: { syntaxErrors?: boolean },
): Diagnostic[] {
  const context: RuleContext = {
    manifest,
    document,
    settings,
    allowed: new Set(settings.allowedPermissions),
  };
  if (manifest.limit) {
    const limit = manifest.limit;
    const reason =
      limit.reason === 'too-large'
        ? `it has ${limit.size.toLocaleString('en-US')} characters, more than the "stripeApps.maxDocumentSize" setting allows (${limit.limit.toLocaleString('en-US')})`
        : 'it is nested too deeply to parse';
    const diagnostic = makeDiagnostic(
      context,
      'document-too-large',
      { start: 0, end: Math.min(1, manifest.text.length) },
      `This file was not analysed: ${reason}.`,
      { data: { ...limit } },
    );
    return diagnostic ? [diagnostic] : [];
  }
  const diagnostics: Diagnostic[] = [];
  if (options.syntaxErrors) {
    const seen = new Set<string>();
    for (const error of manifest.syntaxErrors) {
      const code = printParseErrorCode(error.error);
      // The parser can report one error twice at the end of the text (one per open scope).
      const key = `${code}@${error.offset}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const diagnostic = makeDiagnostic(
        context,
        'syntax-error',
        { start: error.offset, end: error.offset + error.length },
        `Syntax error: ${words(code)}.`,
        { data: { error: code } },
      );
      if (diagnostic) diagnostics.push(diagnostic);
    }
  }
  diagnostics.push(
    ...checkStructure(context),
    ...checkPermissions(context),
    ...checkPurposes(context),
  );
  // Stable sort: document order, the rule families' order within one place.
  return diagnostics
    .map((diagnostic, index) => ({ diagnostic, index }))
    .sort(
      (a, b) =>
        a.diagnostic.range.start.line - b.diagnostic.range.start.line ||
        a.diagnostic.range.start.character - b.diagnostic.range.start.character ||
        a.index - b.index,
    )
    .map(({ diagnostic }) => diagnostic);
}

/** "CloseBraceExpected" → "close brace expected". */
function words(code: string): string {
  return code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}
