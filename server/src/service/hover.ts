import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Hover, Position, Range } from 'vscode-languageserver-types';
import { catalog } from './catalog';
import {
  containsOffset,
  entryAtOffset,
  grantedWith,
  keySpan,
  listAtKey,
  nodeRange,
  type ManifestDocument,
  type PermissionList,
} from './manifestDocument';
import {
  bold,
  code,
  codeList,
  escapeMarkdown,
  markdown,
  permissionDocs,
  referenceLink,
} from './markdown';
import { suggestPermissionNames } from './nameSuggestions';
import type { ManifestServiceSettings } from './settings';

/**
 * Hover on a permission name (the string value of `permission`) and on the `permissions` key,
 * in every list (v2: the app's and each extension's, counted apart). Every user text is
 * escaped; the content is plain markdown for an untrusted renderer.
 */
export function getHover(
  manifest: ManifestDocument,
  document: TextDocument,
  position: Position,
  settings: ManifestServiceSettings,
): Hover | null {
  if (manifest.limit || !manifest.root) return null;
  const offset = document.offsetAt(position);

  const list = listAtKey(manifest, offset);
  if (list) {
    return list.array
      ? summaryHover(manifest, list, nodeRange(document, keySpan(list.property)), settings)
      : null;
  }
  const entry = entryAtOffset(manifest, offset);
  const node = entry?.permissionValue;
  if (!entry || node?.type !== 'string' || !containsOffset(node, offset)) return null;
  const granted = grantedWith(manifest, entry);
  return {
    contents: markdown(permissionParagraphs(String(node.value), granted, settings)),
    range: nodeRange(document, node),
  };
}

function permissionParagraphs(
  written: string,
  granted: ReadonlyMap<string, unknown>,
  settings: ManifestServiceSettings,
): string[] {
  const name = written.trim();
  const isGranted = (candidate: string): boolean => granted.has(candidate);
  const info = catalog.get(name);
  if (info) return permissionDocs(info, { isGranted });

  if (settings.allowedPermissions.includes(name)) {
    return [
      `${code(name)} · allowed by your settings`,
      'Not in the Stripe Apps permissions reference; the `stripeApps.allowedPermissions` setting accepts it.',
      referenceLink(),
    ];
  }

  const retired = catalog.retired(name);
  if (retired) {
    return [
      `**Retired permission** ${code(name)}`,
      escapeMarkdown(retired.note, 1000),
      retired.replacements.length > 0 && `Use ${codeList(retired.replacements, 'or')} instead.`,
      referenceLink(),
    ].filter((part): part is string => typeof part === 'string');
  }

  const misspelling = catalog.schemaMisspelling(name);
  if (misspelling) {
    return [
      `**Misspelled permission** ${code(name)}`,
      escapeMarkdown(misspelling.note, 1000),
      `Use ${code(misspelling.correct)}.`,
      referenceLink(),
    ];
  }

  const eventPermissions = catalog.eventPermissions(name);
  if (eventPermissions) {
    const needed = eventPermissions.includes('event_read')
      ? eventPermissions
      : ['event_read', ...eventPermissions];
    return [
      `${code(name)} is an **event type**, not a permission.`,
      `To receive this event, request ${codeList(needed)}.`,
      referenceLink(),
    ];
  }

  const parts = name.split(/[\s,;|]+/).filter((part) => part !== '');
  if (
    parts.length > 1 &&
    parts.every((part) => /^[A-Za-z0-9_.]+$/.test(part)) &&
    parts.some((part) => catalog.has(part) || settings.allowedPermissions.includes(part))
  ) {
    return [
      `**Several permissions in one entry**: ${parts.map(code).join(', ')}`,
      'Upload reads the whole string as one name and fails. Give each permission its own entry.',
      referenceLink(),
    ];
  }

  const suggestions = suggestPermissionNames(name, settings.allowedPermissions);
  return [
    `**Unknown permission** ${name === '' ? '(empty)' : code(name)}`,
    `Not in the Stripe Apps permissions reference (${catalog.permissions.length} names), so upload fails with ${bold(`Permission ${name} does not exist`)}.`,
    suggestions.length > 0 && `Did you mean ${codeList(suggestions, 'or')}?`,
    'If Stripe accepts this name for your account, add it to the `stripeApps.allowedPermissions` setting.',
    referenceLink(),
  ].filter((part): part is string => typeof part === 'string');
}

function summaryHover(
  manifest: ManifestDocument,
  list: PermissionList,
  range: Range,
  settings: ManifestServiceSettings,
): Hover {
  const counts = permissionCountsText(countPermissions(manifest, settings, list));
  return {
    contents: markdown([
      list.scope === 'app' ? `**${counts}**` : `**${counts}** · ${escapeMarkdown(list.label, 200)}`,
      'Each entry names a permission and the purpose shown to the account administrator who installs the app. Request the minimum your app needs.',
      referenceLink(),
    ]),
    range,
  };
}

export interface PermissionCounts {
  /** Distinct granted names that upload accepts (catalog, allowed or retired names). */
  readonly total: number;
  readonly read: number;
  readonly write: number;
  /** Accepted names without a `_read`/`_write` access (an allowed name such as `beta_feature`). */
  readonly other: number;
  /**
   * Distinct names upload refuses: unknown names, event types, two names in one string
   * (`"coupon_read, coupon_write"` is one invalid name, not a write).
   */
  readonly invalid: number;
}

/**
 * Counts distinct granted names of a list (the app's by default) by access (the catalog's, else
 * the `_read`/`_write` suffix of an allowed or retired name); names upload refuses are counted
 * apart, never as read or write.
 */
export function countPermissions(
  manifest: ManifestDocument,
  settings: ManifestServiceSettings,
  list: PermissionList | undefined = manifest.appList,
): PermissionCounts {
  let read = 0;
  let write = 0;
  let other = 0;
  let invalid = 0;
  for (const name of (list ?? manifest).granted.keys()) {
    const info = catalog.get(name);
    if (!info && !settings.allowedPermissions.includes(name) && !catalog.retired(name)) {
      invalid++;
      continue;
    }
    const access = info?.access ?? /_(read|write)$/.exec(name)?.[1];
    if (access === 'read') read++;
    else if (access === 'write') write++;
    else other++;
  }
  return { total: read + write + other, read, write, other, invalid };
}

/** "3 permissions (2 read, 1 write)", then ", 2 invalid" when some names are not permissions. */
export function permissionCountsText(counts: PermissionCounts): string {
  const { total, read, write, other, invalid } = counts;
  const access = [`${read} read`, `${write} write`, other > 0 && `${other} other`].filter(
    (part): part is string => typeof part === 'string',
  );
  const valid = `${total} ${total === 1 ? 'permission' : 'permissions'}${total > 0 ? ` (${access.join(', ')})` : ''}`;
  return invalid > 0 ? `${valid}, ${invalid} invalid` : valid;
}
