import type { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticTag, type Diagnostic } from 'vscode-languageserver-types';
import type { UnresolvedCall } from '../../analysis/callAnalysis';
import { apiTableSource } from '../apiPermissions';
import { quotedList } from '../listPhrase';
import {
  manifestFileName,
  type CallNeed,
  type CodeUsage,
  type ExpandNeed,
  type Verdict,
} from '../codeUsage';
import type { ManifestDocument } from '../manifestDocument';
import type { ValuePath } from '../edits';
import type { ManifestServiceSettings } from '../settings';
import {
  PERMISSIONS_REFERENCE_URL,
  makeFinding,
  severityFor,
  toDiagnostic,
  type Finding,
  type RuleContext,
} from './common';
import { CODE_INFO } from './registry';

/*
 * The rules with inputs from more than one file: a source file's calls against the manifest's
 * permissions (`missing-permission`, `read-via-write`, `no-app-permission`, `unresolved-call`),
 * and the manifest's permissions against every call (`unused-permission`). Their codes
 * (severity, description, docs) are declared in codeUsageCodes.ts, the registry's rule module.
 */

/** What the Grant fix of a `missing-permission` or `read-via-write` needs. */
export interface MissingPermissionData {
  /** The names any one of which satisfies the need, the one to offer first first. */
  readonly permissions: readonly string[];
  /** The manifest to grant in (the base one when a local manifest inherits its list). */
  readonly manifestUri: string;
  readonly accessor: string;
  readonly expand?: string;
}

/** What the Revoke fix of an `unused-permission` needs. */
export interface UnusedPermissionData {
  readonly permission: string;
  readonly manifestUri: string;
  /** The list holding the entry (a v2 extension's, or the app's). */
  readonly list: ValuePath;
}

const EXPAND_DOCS_URL = 'https://docs.stripe.com/stripe-apps/reference/permissions';

/** Permission names in a message, quoted as the manifest's messages quote them (plain text). */
function names(list: readonly string[]): string {
  return quotedList(list, 'or');
}

/** `needs "x", which stripe-app.json does not grant` / `needs "x" or "y"; stripe-app.json grants neither`. */
function needsClause(permissions: readonly string[], manifestFile: string): string {
  return permissions.length === 1
    ? `needs ${names(permissions)}, which ${manifestFile} does not grant`
    : `needs ${names(permissions)}; ${manifestFile} grants ${permissions.length === 2 ? 'neither' : 'none of them'}`;
}

function callLabel(need: CallNeed): string {
  return `"${need.call.accessor}"`;
}

/** The rule context of a code-usage finding on `document` (a source file or the manifest). */
function usageContext(
  manifest: ManifestDocument,
  document: TextDocument,
  settings: ManifestServiceSettings,
): RuleContext {
  return {
    manifest,
    document,
    settings,
    allowed: new Set(settings.allowedPermissions),
    severityOf: (code) => severityFor(code, settings, CODE_INFO),
  };
}

/**
 * The findings of one source file (`file`: its path relative to the app folder, as in the
 * analysis), as LSP diagnostics on `document` (that file's text).
 */
export function codeUsageDiagnostics(
  usage: CodeUsage,
  file: string,
  document: TextDocument,
  settings: ManifestServiceSettings,
): Diagnostic[] {
  if (!settings.codeAnalysis.enabled) return [];
  const context = usageContext(usage.grants.manifest, document, settings);
  const manifestFile = manifestFileName(usage.grants.manifest);
  const manifestUri = usage.grants.manifest.uri;
  const findings: Finding[] = [];
  const push = (finding: Finding | undefined): void => {
    if (finding) findings.push(finding);
  };
  for (const need of usage.needs) {
    if (need.call.file !== file) continue;
    const span = { start: need.call.start, end: need.call.end };
    const method = need.method;
    if (!method) {
      const versions = apiTableSource.map((source) => source.version).join(' or ');
      push(
        makeFinding(
          context,
          'unresolved-call',
          span,
          `${callLabel(need)} is not a method of stripe ${versions}: its permission is not checked`,
          { data: { reason: 'unknown-method', accessor: need.call.accessor } },
        ),
      );
      continue;
    }
    if (method.status !== 'permission') {
      const why =
        method.status === 'no-permission-for-verb' && method.resource
          ? `the ${method.resource} permissions only ${method.access === 'write' ? 'read' : 'write'}`
          : 'no permission grants it';
      push(
        makeFinding(
          context,
          'no-app-permission',
          span,
          `${callLabel(need)} (${method.verb} ${method.path}) is not open to Stripe Apps: ${why}`,
          {
            href: PERMISSIONS_REFERENCE_URL,
            data: { accessor: method.accessor, status: method.status },
          },
        ),
      );
    } else if (need.verdict) {
      push(
        verdictFinding(context, need.verdict, method.permissions, span, {
          subject: callLabel(need),
          manifestFile,
          data: { permissions: method.permissions, manifestUri, accessor: method.accessor },
        }),
      );
    }
    for (const expand of need.expands) {
      push(
        verdictFinding(
          context,
          expand.verdict,
          expand.permissions,
          { start: expand.item.start, end: expand.item.end },
          {
            subject: expandSubject(expand),
            manifestFile,
            data: {
              permissions: expand.permissions,
              manifestUri,
              accessor: method.accessor,
              expand: expand.path,
            },
          },
        ),
      );
    }
    if (need.call.expandIncomplete) {
      push(
        makeFinding(
          context,
          'unresolved-call',
          span,
          `The "expand" of ${callLabel(need)} is not a list of strings: what it expands is not checked`,
          { data: { reason: 'dynamic-expand', accessor: need.call.accessor } },
        ),
      );
    }
  }
  for (const call of usage.unresolved) {
    if (call.file !== file) continue;
    push(
      makeFinding(
        context,
        'unresolved-call',
        { start: call.start, end: call.end },
        unresolvedMessage(call),
        { data: { reason: call.reason, knownPath: call.knownPath } },
      ),
    );
  }
  findings.sort((a, b) => a.start - b.start || a.end - b.end);
  return findings.map((finding) => toDiagnostic(document, finding));
}

function expandSubject(expand: ExpandNeed): string {
  return `Expanding "${expand.path}" (${expand.object.replace(/_/g, ' ')})`;
}

function verdictFinding(
  context: RuleContext,
  verdict: Verdict,
  permissions: readonly string[],
  span: { start: number; end: number },
  what: { subject: string; manifestFile: string; data: MissingPermissionData },
): Finding | undefined {
  const { subject, manifestFile } = what;
  if (verdict.kind === 'missing') {
    return makeFinding(
      context,
      'missing-permission',
      span,
      `${subject} ${needsClause(permissions, manifestFile)}`,
      { href: what.data.expand ? EXPAND_DOCS_URL : PERMISSIONS_REFERENCE_URL, data: what.data },
    );
  }
  if (verdict.kind === 'write-unconfirmed') {
    const reads = permissions.filter((name) => name.endsWith('_read'));
    const granted = quotedList(verdict.by);
    return makeFinding(
      context,
      'read-via-write',
      span,
      `${subject} ${needsClause(reads, manifestFile)}; ${granted} ${verdict.by.length === 1 ? 'is' : 'are'} granted, and Stripe does not document whether ${verdict.by.length === 1 ? 'it covers' : 'they cover'} reads`,
      { href: PERMISSIONS_REFERENCE_URL, data: { ...what.data, permissions: reads } },
    );
  }
  return undefined;
}

function unresolvedMessage(call: UnresolvedCall): string {
  const known = call.knownPath === '' ? '' : ` ("${call.knownPath}")`;
  switch (call.reason) {
    case 'computed-member':
      return `Cannot tell which Stripe API method this calls${known}: a computed name; its permission is not checked`;
    case 'raw-request':
      return 'A raw request names its endpoint at run time: its permission is not checked';
    case 'undetermined-client':
      return `Cannot tell whether this client is the UI extension's (its options are not a literal)${known}: not checked`;
  }
}

/**
 * `unused-permission` on each granted name no call needs, in the manifest whose lists are in
 * force (`usage.grants.manifest`); nothing for another manifest, or when the settings turn the
 * analysis off.
 */
export function unusedPermissionDiagnostics(
  usage: CodeUsage,
  manifest: ManifestDocument,
  document: TextDocument,
  settings: ManifestServiceSettings,
): Diagnostic[] {
  if (!settings.codeAnalysis.enabled || manifest.uri !== usage.grants.manifest.uri) return [];
  if (usage.unused.length === 0) return [];
  const unused = new Set(usage.unused);
  const context = usageContext(manifest, document, settings);
  const findings: Finding[] = [];
  // Only the app's own list: an extension's list serves that extension's code.
  for (const list of manifest.appList ? [manifest.appList] : []) {
    for (const entry of list.entries) {
      const name = entry.name?.trim();
      const value = entry.permissionValue;
      if (name === undefined || !value || !unused.has(name)) continue;
      const fix = usage.hasBackend
        ? 'revoke it unless your backend uses it'
        : 'revoke it (App Review asks for the minimum set)';
      const data: UnusedPermissionData = {
        permission: name,
        manifestUri: manifest.uri,
        list: list.path,
      };
      const finding = makeFinding(
        context,
        'unused-permission',
        { start: value.offset, end: value.offset + value.length },
        `No UI call needs ${name}; ${fix}`,
        { tags: [DiagnosticTag.Unnecessary], href: PERMISSIONS_REFERENCE_URL, data },
      );
      if (finding) findings.push(finding);
    }
  }
  return findings.map((finding) => toDiagnostic(document, finding));
}
