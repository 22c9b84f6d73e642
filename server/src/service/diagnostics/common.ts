import type { TextDocument } from 'vscode-languageserver-textdocument';
import {
  DiagnosticSeverity,
  type Diagnostic,
  type DiagnosticRelatedInformation,
  type DiagnosticTag,
} from 'vscode-languageserver-types';
import { catalog } from '../catalog';
import type { ManifestEdit } from '../edits';
import type { ManifestDocument } from '../manifestDocument';
import type { ManifestServiceSettings, SeverityName } from '../settings';
import type { DiagnosticCode } from './registry';

export { quotedList } from '../listPhrase';

/** What every rule family gets: the one parse, the document for positions, the settings. */
export interface RuleContext {
  readonly manifest: ManifestDocument;
  readonly document: TextDocument;
  readonly settings: ManifestServiceSettings;
  /** `settings.allowedPermissions` as a set. */
  readonly allowed: ReadonlySet<string>;
  /** The severity the settings give a code (its declared default unless set), or undefined: off. */
  readonly severityOf: (code: DiagnosticCode) => SeverityName | undefined;
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

/**
 * A severity's rank, lower being more severe (the LSP's numbering): the one order of
 * severities, for the problem cut (validation.ts) and the purpose verdict (permissionSummary.ts).
 */
export function severityRank(severity: SeverityName): DiagnosticSeverity {
  return LSP_SEVERITY[severity];
}

/**
 * The severity the settings give a code, else its declared default; undefined when it is `off`.
 */
export function severityFor<Code extends string>(
  code: Code,
  settings: ManifestServiceSettings,
  declared: Readonly<Record<Code, CodeInfo>>,
): SeverityName | undefined {
  const setting = (settings.severity as Partial<Record<string, string>>)[code];
  const severity = setting ?? declared[code].severity;
  return severity === 'off' ? undefined : (severity as SeverityName);
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

/** A finding for `code` at `span`, or undefined when the settings turn the code off. */
export function makeFinding(
  context: RuleContext,
  code: DiagnosticCode,
  span: Span,
  message: string,
  extras: DiagnosticExtras = {},
): Finding | undefined {
  const severity = context.severityOf(code);
  if (!severity) return undefined;
  return {
    code,
    severity: severityRank(severity),
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
  if (extras.href) diagnostic.codeDescription = { href: extras.href };
  if (extras.tags && extras.tags.length > 0) diagnostic.tags = extras.tags;
  if (extras.relatedInformation && extras.relatedInformation.length > 0) {
    diagnostic.relatedInformation = extras.relatedInformation;
  }
  if (extras.data !== undefined) diagnostic.data = extras.data;
  return diagnostic;
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

/** A plain JSON object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// ---------------------------------------------------------------------------------------------
// What a rule module declares: its codes, its check and the fixes for its findings

/** A diagnostic code as its rule declares it; settings, package.json and SARIF read these. */
export interface CodeInfo {
  /** The severity when the settings name none. */
  readonly severity: SeverityName;
  /** One line: what the rule finds (SARIF rule lists). */
  readonly description: string;
  /** Markdown for the code's severity setting (package.json is generated from it). */
  readonly docs: string;
  /** Which Stripe page explains it: the permissions reference or the manifest reference. */
  readonly reference: 'permissions' | 'manifest';
}

/** A quick fix before it is built: what it does, to what, and whether it is the best one. */
export interface Fix {
  readonly title: string;
  readonly preferred: boolean;
  /** A fix that changes no meaning, applied by fix-all. */
  readonly safe: boolean;
  /** Applies the fix to the edit; false (with the edit unchanged) when it cannot. */
  readonly apply: (edit: ManifestEdit) => boolean;
  /** Instead of an edit, a client command the action runs (never safe, never lazy). */
  readonly command?: string;
  /**
   * Suggested text the fix inserts and the user should rewrite: its JSON string literal, first
   * found at or after `from` (an offset the edit leaves in place) once the edit is applied.
   */
  readonly selects?: { readonly literal: string; readonly from: number };
}

/** A finding as a fix sees it: the manifest of the diagnostic's version, where, and its `data`. */
export interface FixTarget {
  readonly manifest: ManifestDocument;
  readonly settings: ManifestServiceSettings;
  /** The offset the diagnostic starts at. */
  readonly offset: number;
  /** The finding's `data` (an empty object when it has none or it is not an object). */
  readonly data: Readonly<Record<string, unknown>>;
}

/** The fixes of one code's findings, in the order they are offered. */
export type FixProvider = (target: FixTarget) => readonly Fix[];

/** A rule module: its codes, its check and the fixes of its findings, keyed by code. */
export interface Rule<Code extends string = string> {
  readonly codes: Readonly<Record<Code, CodeInfo>>;
  readonly check?: (context: RuleContext) => Finding[];
  readonly fixes?: Partial<Record<Code, FixProvider>>;
  /**
   * What fix-all leaves to a person, by code, said in its title ("Source Action…" shows it) so
   * that a duplicate still there after a fix-all is not a mystery.
   */
  readonly leftToYou?: Partial<Record<Code, (count: number) => string>>;
}
