import type { TextDocument } from 'vscode-languageserver-textdocument';
import {
  DiagnosticSeverity,
  type Diagnostic,
  type DiagnosticRelatedInformation,
  type DiagnosticTag,
} from 'vscode-languageserver-types';
import { catalog } from '../catalog';
import type { ManifestDocument } from '../manifestDocument';
import {
  DEFAULT_SEVERITY,
  type DiagnosticCode,
  type ManifestServiceSettings,
  type SeverityName,
} from '../settings';

/** What every rule family gets: the one parse, the document for positions, the settings. */
export interface RuleContext {
  readonly manifest: ManifestDocument;
  readonly document: TextDocument;
  readonly settings: ManifestServiceSettings;
  /** `settings.allowedPermissions` as a set. */
  readonly allowed: ReadonlySet<string>;
  /** Set when at most so many problems are reported: findings that cannot be are dropped. */
  readonly budget?: ProblemBudget;
}

/**
 * Counts findings as the rules make them and drops, at once, those that can no longer be among
 * the `max` most severe: once `max` more severe findings exist, a finding is never reported. So
 * a file with thousands of problems keeps a few more than `max` findings alive, not all of them
 * (which, held until the end of a validation, made V8 grow its young generation).
 */
export class ProblemBudget {
  /** Every finding counted, kept or not. */
  total = 0;
  private readonly kept = [0, 0, 0, 0, 0];

  constructor(readonly max: number) {}

  /**
   * Whether a finding of this severity could still be reported; when not, it is counted as
   * dropped (so callers can skip building it).
   */
  wouldAdmit(severity: DiagnosticSeverity): boolean {
    if (!this.isFull(severity)) return true;
    this.total++;
    return false;
  }

  /** Counts a finding of this severity; false when it cannot be reported. */
  admit(severity: DiagnosticSeverity): boolean {
    this.total++;
    if (this.isFull(severity)) return false;
    this.kept[severity] = (this.kept[severity] ?? 0) + 1;
    return true;
  }

  /** Whether more severe findings already fill the budget. */
  private isFull(severity: DiagnosticSeverity): boolean {
    let moreSevere = 0;
    for (let level = 1; level < severity; level++) moreSevere += this.kept[level] ?? 0;
    return moreSevere >= this.max;
  }
}

/** A span of source offsets, end exclusive. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

export interface DiagnosticExtras {
  readonly data?: unknown;
  readonly tags?: DiagnosticTag[];
  readonly relatedInformation?: DiagnosticRelatedInformation[];
  /** A page that explains the rule; omitted when none fits. */
  readonly href?: string;
}

export const SOURCE = 'stripe-apps';
export const MANIFEST_REFERENCE_URL = 'https://docs.stripe.com/stripe-apps/reference/app-manifest';
export const PERMISSIONS_REFERENCE_URL = catalog.source.url;

const LSP_SEVERITY: Readonly<Record<SeverityName, DiagnosticSeverity>> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** The severity the settings give a code, or undefined when the rule is `off`. */
export function severityFor(
  code: DiagnosticCode,
  settings: ManifestServiceSettings,
): SeverityName | undefined {
  const setting = settings.severity[code] ?? DEFAULT_SEVERITY[code];
  return setting === 'off' ? undefined : setting;
}

export function nodeSpan(node: { readonly offset: number; readonly length: number }): Span {
  return { start: node.offset, end: node.offset + node.length };
}

/**
 * A diagnostic before it has a range. Rules return these; positions (a search in the line table)
 * and the LSP object are made only for the findings that are reported, after sorting and the
 * `maxNumberOfProblems` cut.
 */
export interface Finding {
  readonly code: DiagnosticCode;
  readonly severity: DiagnosticSeverity;
  readonly start: number;
  readonly end: number;
  readonly message: string;
  readonly extras: DiagnosticExtras;
}

const NO_EXTRAS: DiagnosticExtras = {};

/**
 * Whether a finding of `code` could be reported: false when the settings turn it off, or when
 * more severe findings already fill the budget (then it is counted as dropped). For rules whose
 * findings are costly to build; `makeFinding` decides again when one is built.
 */
export function wouldReport(context: RuleContext, code: DiagnosticCode): boolean {
  const severity = severityFor(code, context.settings);
  if (!severity) return false;
  return context.budget ? context.budget.wouldAdmit(LSP_SEVERITY[severity]) : true;
}

/** A finding for `code` at `span`, or undefined when the settings turn the code off. */
export function makeFinding(
  context: RuleContext,
  code: DiagnosticCode,
  span: Span,
  message: string,
  extras: DiagnosticExtras = NO_EXTRAS,
): Finding | undefined {
  const severity = severityFor(code, context.settings);
  if (!severity) return undefined;
  const lspSeverity = LSP_SEVERITY[severity];
  if (context.budget && !context.budget.admit(lspSeverity)) return undefined;
  return {
    code,
    severity: lspSeverity,
    start: span.start,
    end: span.end,
    message,
    extras,
  };
}

/** The LSP diagnostic of a finding. */
export function toDiagnostic(document: TextDocument, finding: Finding): Diagnostic {
  const { extras } = finding;
  const diagnostic: Diagnostic = {
    range: { start: document.positionAt(finding.start), end: document.positionAt(finding.end) },
    severity: finding.severity,
    code: finding.code,
    source: SOURCE,
    message: shortenMessage(finding.message),
  };
  if (extras.href) diagnostic.codeDescription = codeDescription(extras.href);
  if (extras.tags && extras.tags.length > 0) diagnostic.tags = extras.tags;
  if (extras.relatedInformation && extras.relatedInformation.length > 0) {
    diagnostic.relatedInformation = extras.relatedInformation;
  }
  if (extras.data !== undefined) diagnostic.data = extras.data;
  return diagnostic;
}

// A handful of links serve thousands of diagnostics: one object each.
const codeDescriptions = new Map<string, { href: string }>();

function codeDescription(href: string): { href: string } {
  let description = codeDescriptions.get(href);
  if (!description) {
    description = { href };
    codeDescriptions.set(href, description);
  }
  return description;
}

/** Messages quote user text; past this length (a 1 MB name) they keep their start and end. */
export const MAX_MESSAGE_LENGTH = 1000;

function shortenMessage(message: string): string {
  if (message.length <= MAX_MESSAGE_LENGTH) return message;
  let head = 700;
  let tail = message.length - 250;
  // Never cut a surrogate pair in half.
  if (/[\uD800-\uDBFF]/.test(message.charAt(head - 1))) head--;
  if (/[\uDC00-\uDFFF]/.test(message.charAt(tail))) tail++;
  return `${message.slice(0, head)} … ${message.slice(tail)}`;
}

/** `"a"`, `"a" and "b"`, `"a", "b" and "c"`. */
export function quotedList(names: readonly string[], conjunction = 'and'): string {
  const quoted = names.map((name) => JSON.stringify(name));
  if (quoted.length <= 1) return quoted.join('');
  return `${quoted.slice(0, -1).join(', ')} ${conjunction} ${quoted[quoted.length - 1] ?? ''}`;
}
