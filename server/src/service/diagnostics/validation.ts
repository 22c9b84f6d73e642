import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from 'vscode-languageserver-types';
import { keySpan, type ManifestDocument } from '../manifestDocument';
import type { ManifestServiceSettings } from '../settings';
import {
  makeFinding,
  nodeSpan,
  severityFor,
  toDiagnostic,
  type Finding,
  type RuleContext,
} from './common';
import { CODE_INFO, RULES } from './registry';

export interface ValidateOptions {
  /** Report JSON syntax errors too (the CLI wants them; the editor reports them already). */
  readonly syntaxErrors?: boolean;
  /** Report at most this many problems, the most severe first (0 or absent: all of them). */
  readonly maxProblems?: number;
}

/**
 * Every diagnostic of a manifest, in document order: structure, permission names, purposes,
 * and syntax errors when the caller asks (the editor reports those itself).
 */
export function validateManifest(
  manifest: ManifestDocument,
  document: TextDocument,
  settings: ManifestServiceSettings,
  options: ValidateOptions,
): Diagnostic[] {
  const context: RuleContext = {
    manifest,
    document,
    settings,
    allowed: new Set(settings.allowedPermissions),
    severityOf: (code) => severityFor(code, settings, CODE_INFO),
  };
  if (manifest.limit) {
    const limit = manifest.limit;
    const reason =
      limit.reason === 'too-large'
        ? `${limit.size.toLocaleString('en-US')} characters, over stripeApps.maxDocumentSize (${limit.limit.toLocaleString('en-US')})`
        : 'nested too deeply to parse';
    const finding = makeFinding(
      context,
      'document-too-large',
      { start: 0, end: Math.min(1, manifest.text.length) },
      `File not analysed: ${reason}.`,
      { data: { ...limit } },
    );
    return finding ? [toDiagnostic(document, finding)] : [];
  }
  const findings: Finding[] = [];
  const checks: ((context: RuleContext) => Finding[])[] = [];
  if (options.syntaxErrors) checks.push(syntaxFindings);
  for (const rule of RULES) if (rule.check) checks.push(rule.check);
  // A loop, not a spread: a large file has more findings than a call takes arguments.
  for (const check of checks) for (const finding of check(context)) findings.push(finding);
  // Document order; the sort is stable, so one place keeps the rule families' order.
  findings.sort((a, b) => a.start - b.start);
  const reported = mostSevere(findings, options.maxProblems ?? 0);
  if (reported.length < findings.length) {
    const summary = tooManyProblems(context, reported.length, findings.length);
    if (summary) {
      const at = reported.findIndex((finding) => finding.start > summary.start);
      reported.splice(at === -1 ? reported.length : at, 0, summary);
    }
  }
  return reported.map((finding) => toDiagnostic(document, finding));
}

function syntaxFindings(context: RuleContext): Finding[] {
  const found: Finding[] = [];
  const seen = new Set<string>();
  for (const error of context.manifest.syntaxErrors) {
    const code = error.code;
    // The parser can report one error twice at the end of the text (one per open scope).
    const key = `${code}@${error.offset}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const finding = makeFinding(
      context,
      'syntax-error',
      { start: error.offset, end: error.offset + error.length },
      `Syntax error: ${error.message}.`,
      { data: { error: code } },
    );
    if (finding) found.push(finding);
  }
  return found;
}

/**
 * At most `max` findings (0: all), in document order: every error first, then warnings,
 * information and hints while room is left, as VS Code keeps its 1 000 per file.
 */
function mostSevere(sorted: readonly Finding[], max: number): Finding[] {
  if (max <= 0 || sorted.length <= max) return [...sorted];
  const perSeverity = new Map<number, number>();
  for (const finding of sorted) {
    perSeverity.set(finding.severity, (perSeverity.get(finding.severity) ?? 0) + 1);
  }
  // The least severe level that still fits (partly), and how many of that level fit.
  let room = max;
  let cutSeverity = 0;
  let cutRoom = 0;
  for (const severity of [...perSeverity.keys()].sort((a, b) => a - b)) {
    const count = perSeverity.get(severity) ?? 0;
    cutSeverity = severity;
    cutRoom = Math.min(room, count);
    room -= cutRoom;
    if (room === 0) break;
  }
  const kept: Finding[] = [];
  for (const finding of sorted) {
    if (finding.severity < cutSeverity) kept.push(finding);
    else if (finding.severity === cutSeverity && cutRoom > 0) {
      kept.push(finding);
      cutRoom--;
    }
  }
  return kept;
}

/** Says how many problems were left out, on the `permissions` key (or the top of the file). */
function tooManyProblems(context: RuleContext, shown: number, total: number): Finding | undefined {
  const key = context.manifest.permissionsProperty;
  const span = key
    ? nodeSpan(keySpan(key))
    : { start: 0, end: Math.min(1, context.manifest.text.length) };
  const count = (value: number): string => value.toLocaleString('en-US');
  return makeFinding(
    context,
    'too-many-problems',
    span,
    `Showing ${count(shown)} of ${count(total)} problems, most severe first: see stripeApps.maxNumberOfProblems.`,
    { data: { shown, total } },
  );
}
