import type { TextDocument } from 'vscode-languageserver-textdocument';
import {
  CodeActionKind,
  type CodeAction,
  type Diagnostic,
  type Hover,
  type Position,
  type Range,
} from 'vscode-languageserver-types';
import {
  manifestFileName,
  type CallNeed,
  type CodeUsage,
  type ExemptReason,
  type UsageSite,
  type Verdict,
} from './codeUsage';
import type { MissingPermissionData, UnusedPermissionData } from './diagnostics/codeUsageRules';
import { isRecord } from './settings';
import { grantPermission, revokePermission, type GrantResult } from './grantRevoke';
import { containsOffset, nodeRange, type ManifestDocument } from './manifestDocument';
import { code, codeList, escapeMarkdown, markdown } from './markdown';
import { suggestPurpose } from './purposeSuggestion';
import type { ManifestServiceSettings } from './settings';

/*
 * What the editor offers around the code findings: the Grant fix in a source file, the Revoke
 * fix in the manifest, the hover on a call, and the call sites of a granted permission (hover
 * and code lens). Pure functions of the usage (codeUsage.ts) and the documents.
 */

/**
 * The Grant fix: `permission` added to the manifest with a suggested purpose, through the grant
 * path (its refusals and messages included). The edits are for the manifest's document.
 */
export function grantForCode(
  manifest: ManifestDocument,
  document: TextDocument,
  permission: string,
  settings: ManifestServiceSettings,
): GrantResult {
  return grantPermission(
    manifest,
    document,
    permission,
    suggestPurpose(permission, manifest.appName),
    settings,
    {},
  );
}

/** A manifest the server has open or read, for fixes that edit it from another file. */
export interface ManifestAtHand {
  readonly document: TextDocument;
  readonly manifest: ManifestDocument;
}

/**
 * Quick fixes for the `missing-permission` and `read-via-write` diagnostics of a source file:
 * one "Grant NAME" per name that would satisfy the need (the first preferred), each a workspace
 * edit of the manifest the diagnostic names. `manifestAt` finds that manifest (undefined when it
 * is gone: no fix).
 */
export function grantActions(
  diagnostics: readonly Diagnostic[],
  manifestAt: (uri: string) => ManifestAtHand | undefined,
  settings: ManifestServiceSettings,
): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const diagnostic of diagnostics) {
    if (diagnostic.code !== 'missing-permission' && diagnostic.code !== 'read-via-write') continue;
    const data = missingData(diagnostic.data);
    if (!data) continue;
    const target = manifestAt(data.manifestUri);
    if (!target) continue;
    data.permissions.forEach((permission, index) => {
      const result = grantForCode(target.manifest, target.document, permission, settings);
      if (result.status !== 'granted' || result.edits.length === 0) return;
      actions.push({
        title: `Grant ${permission}`,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        ...(index === 0 ? { isPreferred: true } : {}),
        edit: { changes: { [target.document.uri]: result.edits } },
      });
    });
  }
  return actions;
}

/** Quick fixes for the manifest's `unused-permission` diagnostics: "Revoke NAME". */
export function revokeUnusedActions(
  diagnostics: readonly Diagnostic[],
  manifest: ManifestDocument,
  document: TextDocument,
): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const diagnostic of diagnostics) {
    if (diagnostic.code !== 'unused-permission') continue;
    const data = unusedData(diagnostic.data);
    if (!data || data.manifestUri !== document.uri) continue;
    const result = revokePermission(manifest, document, data.permission, data.list);
    if (result.status !== 'revoked') continue;
    actions.push({
      title: `Revoke ${data.permission}`,
      kind: CodeActionKind.QuickFix,
      diagnostics: [diagnostic],
      isPreferred: true,
      edit: { changes: { [document.uri]: result.edits } },
    });
  }
  return actions;
}

function stringArray(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.every((item) => typeof item === 'string')
    ? value
    : undefined;
}

/** A diagnostic's data comes back from the client: checked, never trusted. */
function missingData(data: unknown): MissingPermissionData | undefined {
  if (!isRecord(data)) return undefined;
  const permissions = stringArray(data.permissions);
  const { manifestUri, accessor } = data;
  if (!permissions || typeof manifestUri !== 'string' || typeof accessor !== 'string') {
    return undefined;
  }
  return { permissions, manifestUri, accessor };
}

function unusedData(data: unknown): UnusedPermissionData | undefined {
  if (!isRecord(data)) return undefined;
  const { permission, manifestUri, list } = data;
  if (typeof permission !== 'string' || typeof manifestUri !== 'string' || !Array.isArray(list)) {
    return undefined;
  }
  if (!list.every((key) => typeof key === 'string' || typeof key === 'number')) return undefined;
  return { permission, manifestUri, list };
}

// ---------------------------------------------------------------------------------------------
// Hover on a call

/** The call (or expand item) at `offset` of `file`. */
function needAt(usage: CodeUsage, file: string, offset: number): CallNeed | undefined {
  return usage.needs.find(
    (need) =>
      need.call.file === file &&
      ((offset >= need.call.start && offset <= need.call.end) ||
        need.call.expand.some((item) => offset >= item.start && offset <= item.end)),
  );
}

function verdictText(verdict: Verdict, manifestFile: string): string {
  const file = escapeMarkdown(manifestFile);
  switch (verdict.kind) {
    case 'granted':
      return `granted in ${file}`;
    case 'implied':
      return `granted through ${codeList(verdict.by)} in ${file}`;
    case 'write-assumed':
      return `only ${codeList(verdict.by)} is granted, assumed to cover reads (\`stripeApps.codeAnalysis.writeCoversRead\`; Stripe does not document it)`;
    case 'write-unconfirmed':
      return `**not granted**; ${codeList(verdict.by)} is, and Stripe does not document whether it covers reads`;
    case 'missing':
      return `**not granted** in ${file}`;
  }
}

/**
 * The hover on a Stripe API call of a source file: the method, the permission it needs and
 * whether the manifest grants it, and the same for each object its `expand` pulls in.
 */
export function callHover(
  usage: CodeUsage,
  file: string,
  document: TextDocument,
  position: Position,
): Hover | null {
  const offset = document.offsetAt(position);
  const need = needAt(usage, file, offset);
  if (!need) return null;
  const { call, method } = need;
  const manifestFile = manifestFileName(usage.grants.manifest);
  const paragraphs: string[] = [];
  const endpoint = method ? ` · \`${method.verb} ${method.path}\`` : '';
  paragraphs.push(`${code(call.accessor)}${endpoint}`);
  if (!method) {
    paragraphs.push(
      'Not a method of the stripe versions the API table was made from: not checked.',
    );
  } else if (method.status !== 'permission') {
    paragraphs.push(`Not open to Stripe Apps: ${escapeMarkdown(method.note, 400)}`);
  } else if (need.verdict) {
    paragraphs.push(
      `Needs ${codeList(method.permissions, 'or')}: ${verdictText(need.verdict, manifestFile)}.`,
    );
  }
  for (const expand of need.expands) {
    paragraphs.push(
      `Expanding ${code(expand.path)} (${escapeMarkdown(expand.object)}) needs ${codeList(expand.permissions, 'or')}: ${verdictText(expand.verdict, manifestFile)}.`,
    );
  }
  if (usage.grants.inherited) {
    paragraphs.push(`The permissions are those of ${escapeMarkdown(manifestFile)} (inherited).`);
  }
  return {
    contents: markdown(paragraphs),
    range: { start: document.positionAt(call.start), end: document.positionAt(call.end) },
  };
}

// ---------------------------------------------------------------------------------------------
// The call sites of a granted permission (manifest hover and code lens)

/** Where a source file is: the server and the CLI know the files' URIs and texts. */
export interface SourceLocator {
  /** The URI of an app-relative source path. */
  uri(file: string): string;
  /** The position of an offset in that file, or undefined when its text is not at hand. */
  position(file: string, offset: number): Position | undefined;
}

export interface SiteLocation {
  readonly site: UsageSite;
  readonly uri: string;
  readonly range: Range;
}

/** The sites that use (or, when none is granted, need) `permission`, located. */
export function permissionSites(
  usage: CodeUsage,
  permission: string,
  locator: SourceLocator,
): SiteLocation[] {
  const sites = usage.usedBy.get(permission) ?? usage.neededBy.get(permission) ?? [];
  const located: SiteLocation[] = [];
  for (const site of sites) {
    const start = locator.position(site.file, site.start);
    const end = locator.position(site.file, site.end);
    if (!start || !end) continue;
    located.push({ site, uri: locator.uri(site.file), range: { start, end } });
  }
  return located;
}

const EXEMPT_TEXT: Readonly<Record<ExemptReason, string>> = {
  'not-for-calls': 'No API call needs it (it serves something calls cannot show).',
  events: 'Events need it, and they go to a backend the tool cannot see: not reported as unused.',
  'unresolved-call': 'A call the tool cannot resolve may need it: not reported as unused.',
  extension: 'Granted to an extension, whose own code the tool does not read.',
};

/** A URI for a markdown link target: characters that could end or break the link are escaped. */
function linkTarget(uri: string, line: number): string | undefined {
  if (!/^(?:file|vscode-[a-z-]+|untitled):/i.test(uri)) return undefined;
  const escaped = uri.replace(
    /[^A-Za-z0-9\-._~/?#@!$&'*+,;=%:]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
  );
  return `${escaped}#L${line + 1}`;
}

const MAX_LISTED_SITES = 20;

/** The markdown list of a permission's call sites: `src/App.tsx:35` links and the method. */
export function permissionUsageMarkdown(
  usage: CodeUsage,
  permission: string,
  locator: SourceLocator,
): string {
  const sites = permissionSites(usage, permission, locator);
  if (sites.length === 0) {
    const exempt = usage.exempt.get(permission);
    if (exempt) return EXEMPT_TEXT[exempt];
    if (usage.unused.includes(permission)) return 'No call of the UI code needs it.';
    return usage.unusedSilenced === 'no-calls'
      ? 'The UI code makes no Stripe API call the tool can follow.'
      : 'No call of the UI code needs it.';
  }
  const lines = sites.slice(0, MAX_LISTED_SITES).map(({ site, uri, range }) => {
    const label = escapeMarkdown(`${site.file}:${range.start.line + 1}`);
    const target = linkTarget(uri, range.start.line);
    const where = target ? `[${label}](${target})` : label;
    const what = site.expand
      ? `${code(site.accessor)} expand ${code(site.expand)}`
      : code(site.accessor);
    return `- ${where} ${what}`;
  });
  const more =
    sites.length > MAX_LISTED_SITES ? `\n- … and ${sites.length - MAX_LISTED_SITES} more` : '';
  const granted = usage.usedBy.has(permission) ? 'Used by' : 'Needed by';
  const count = `${sites.length} call${sites.length === 1 ? '' : 's'}`;
  return `${granted} ${count} of the UI code:\n\n${lines.join('\n')}${more}`;
}

/** The hover on a granted permission of the manifest in force: its call sites. */
export function permissionUsageHover(
  usage: CodeUsage,
  manifest: ManifestDocument,
  document: TextDocument,
  position: Position,
  locator: SourceLocator,
): Hover | null {
  if (manifest.uri !== usage.grants.manifest.uri) return null;
  const offset = document.offsetAt(position);
  for (const list of manifest.lists) {
    for (const entry of list.entries) {
      const value = entry.permissionValue;
      const name = entry.name?.trim();
      if (!value || name === undefined || !containsOffset(value, offset)) continue;
      return {
        contents: markdown([permissionUsageMarkdown(usage, name, locator)]),
        range: nodeRange(document, value),
      };
    }
  }
  return null;
}

/** A lens on a granted permission: how many calls use it, and where (for a references view). */
export interface PermissionUsageLens {
  readonly range: Range;
  readonly permission: string;
  /** `2 calls`, `no UI call`, or for an exempt name nothing (no lens). */
  readonly title: string;
  readonly locations: readonly SiteLocation[];
}

/** One lens per granted entry of the manifest in force (none when the analysis found no call). */
export function permissionUsageLenses(
  usage: CodeUsage,
  manifest: ManifestDocument,
  document: TextDocument,
  locator: SourceLocator,
): PermissionUsageLens[] {
  if (manifest.uri !== usage.grants.manifest.uri || usage.unusedSilenced) return [];
  const lenses: PermissionUsageLens[] = [];
  for (const list of manifest.lists) {
    for (const entry of list.entries) {
      const value = entry.permissionValue;
      const name = entry.name?.trim();
      if (!value || name === undefined || usage.exempt.has(name)) continue;
      const locations = permissionSites(usage, name, locator);
      if (locations.length === 0 && !usage.unused.includes(name)) continue;
      lenses.push({
        range: nodeRange(document, value),
        permission: name,
        title:
          locations.length === 0
            ? 'no UI call'
            : `${locations.length} call${locations.length === 1 ? '' : 's'}`,
        locations,
      });
    }
  }
  return lenses;
}
