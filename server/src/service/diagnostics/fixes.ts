import { parse } from 'jsonc-parser';
import type { ManifestEdit, ValuePath } from '../edits';
import {
  entryAtOffset,
  grantedWith,
  type ManifestDocument,
  type PermissionEntry,
  type PurposeText,
} from '../manifestDocument';
import { isRecord, type Fix, type FixTarget } from './common';

/*
 * What the rule modules' fixes share: finding the entry a finding is about, reading its `data`,
 * and the edit operations on an entry (each through the edit port, edits.ts).
 */

const PARSE_OPTIONS = { allowTrailingComma: true, disallowComments: false } as const;

/**
 * The entry a finding is about: the one at its offset, when it is still the entry the finding
 * names (`data.index`, and `data.list`, `data.name` or `data.permission` when given). A finding about another
 * version of the text (a stale diagnostic) gets no entry, so its fixes offer nothing.
 */
export function findingEntry(target: FixTarget): PermissionEntry | undefined {
  const entry = entryAtOffset(target.manifest, target.offset, 'character');
  if (!entry) return undefined;
  const { index, name, permission, list } = target.data;
  if (index !== undefined && index !== entry.index) return undefined;
  if (list !== undefined && JSON.stringify(list) !== JSON.stringify(listPathOf(entry))) {
    return undefined;
  }
  if (name !== undefined && name !== entry.name && name !== entry.name?.trim()) return undefined;
  if (permission !== undefined && permission !== (entry.name?.trim() ?? '')) return undefined;
  return entry;
}

/** The purpose text (one locale's, for a map) a finding at `offset` is on. */
export function findingPurpose(entry: PermissionEntry, offset: number): PurposeText | undefined {
  return entry.purposeTexts.find(
    (purpose) =>
      offset >= purpose.node.offset && offset < purpose.node.offset + purpose.node.length,
  );
}

/** A list of strings from a finding's `data` (an empty list for anything else). */
export function stringsOf(value: unknown): string[] {
  return Array.isArray(value)
    ? value.filter((item): item is string => typeof item === 'string')
    : [];
}

/** The trimmed name of an entry ('' without one). */
export function nameOf(entry: PermissionEntry): string {
  return entry.name?.trim() ?? '';
}

/** `"a"`, `"a" and "b"`: names in a fix's title. */
export { quotedList as quoted } from '../listPhrase';

/** Whether another entry than `entry` of its own list grants `name`. */
export function grantedElsewhere(
  manifest: ManifestDocument,
  name: string,
  entry: PermissionEntry,
): boolean {
  return (grantedWith(manifest, entry).get(name) ?? []).some((other) => other !== entry);
}

/** A title's quote of user text, clipped. */
export function clipTitle(text: string): string {
  return text.length <= 40 ? text : `${text.slice(0, 39)}…`;
}

/** Removes the entry from its list. */
export function removal(
  entry: PermissionEntry,
  title: string,
  preferred: boolean,
  safe = false,
): Fix {
  return {
    title,
    preferred,
    safe,
    apply: (edit) =>
      edit.apply({ kind: 'remove', list: listPathOf(entry), indices: [entry.index] }),
  };
}

/** Replaces the entry's permission name; a certain one is preferred and safe for fix-all. */
export function renaming(entry: PermissionEntry, name: string, certain: boolean): Fix {
  return {
    title: `Replace with "${name}"`,
    preferred: certain,
    safe: certain,
    apply: (edit) => edit.apply({ kind: 'set', path: [...entry.path, 'permission'], value: name }),
  };
}

/** Replaces an entry by one entry per name, each a copy of it (same purpose). */
export function splitEntry(
  edit: ManifestEdit,
  entry: PermissionEntry,
  names: readonly string[],
): boolean {
  const [firstName, ...rest] = names;
  if (firstName === undefined) return false;
  const copied = parse(entryText(edit.text, entry), [], PARSE_OPTIONS) as unknown;
  if (!isRecord(copied)) return false;
  return edit.applyAll([
    { kind: 'set', path: [...entry.path, 'permission'], value: firstName },
    ...rest.map((name, offset) => ({
      kind: 'insert' as const,
      list: listPathOf(entry),
      index: entry.index + 1 + offset,
      value: { ...copied, permission: name },
    })),
  ]);
}

/** Sets one purpose text (a locale's in a map) of the entry. */
export function setPurposeText(
  edit: ManifestEdit,
  entry: PermissionEntry,
  purpose: PurposeText,
  text: string,
): boolean {
  const path = [...entry.path, 'purpose'];
  return edit.apply({
    kind: 'set',
    path: purpose.locale === undefined ? path : [...path, purpose.locale],
    value: text,
  });
}

/** Two entries of the same name that say the same (names compared trimmed). */
export function sameEntry(text: string, a: PermissionEntry, b: PermissionEntry): boolean {
  const normalised = (entry: PermissionEntry): string | undefined => {
    const value = parse(entryText(text, entry), [], PARSE_OPTIONS) as unknown;
    return JSON.stringify(isRecord(value) ? { ...value, permission: entry.name?.trim() } : value);
  };
  const first = normalised(a);
  // A YAML entry is no JSON value: nothing parsed is no proof that both say the same.
  return first !== undefined && first === normalised(b);
}

/** The path of the list an entry is in. */
function listPathOf(entry: PermissionEntry): ValuePath {
  return entry.path.slice(0, -1);
}

function entryText(text: string, entry: PermissionEntry): string {
  const { offset, length } = entry.node;
  return text.slice(offset, offset + length);
}
