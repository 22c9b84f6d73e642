import { DiagnosticTag } from 'vscode-languageserver-types';
import { catalog } from '../catalog';
import {
  nodeRange,
  type PermissionEntry,
  type PermissionList,
  type ValueSpan,
} from '../manifestDocument';
import { suggestPermissionNames } from '../nameSuggestions';
import {
  PERMISSIONS_REFERENCE_URL,
  makeFinding,
  type Finding,
  nodeSpan,
  quotedList,
  type RuleContext,
  wouldReport,
} from './common';

const SEPARATORS = /[\s,;|]+/;
const LOOKS_LIKE_NAME = /^[a-z0-9_]+_(?:read|write)$/i;

/** A name upload accepts (or that the user allowed): a catalog name, an allowed or retired one. */
export function isAcceptedName(name: string, allowed: ReadonlySet<string>): boolean {
  return catalog.has(name) || allowed.has(name) || catalog.retired(name) !== undefined;
}

/**
 * The permission names of every list (v2: the app's and each extension's): unknown, retired,
 * combined, event types, duplicates and annotations. Each list stands alone: a name granted by
 * the app and again by an extension is no duplicate, and implies nothing across lists.
 */
export function checkPermissions(context: RuleContext): Finding[] {
  const found: Finding[] = [];
  for (const list of context.manifest.lists) {
    for (const entry of list.entries) {
      if (entry.name === undefined || entry.name.trim() === '') continue;
      const node = entry.permissionValue;
      if (node?.type !== 'string') continue;
      for (const finding of checkName(context, list, entry, entry.name, node)) {
        if (finding) found.push(finding);
      }
    }
    checkDuplicates(context, list, found);
  }
  return found;
}

/**
 * Where a finding's entry is: its index, and the list's path when it is an extension's (the
 * app's list is the default, so v1 data is unchanged).
 */
export function entryData(list: PermissionList, entry: PermissionEntry): Record<string, unknown> {
  return list.scope === 'app' ? { index: entry.index } : { index: entry.index, list: list.path };
}

// Most names are valid and have nothing to report: one shared empty answer for them.
const NOTHING: readonly (Finding | undefined)[] = Object.freeze([]);

function checkName(
  context: RuleContext,
  list: PermissionList,
  entry: PermissionEntry,
  name: string,
  node: ValueSpan,
): readonly (Finding | undefined)[] {
  const { allowed } = context;
  const span = nodeSpan(node);
  const at = entryData(list, entry);
  const info = catalog.get(name);
  if (info) {
    const restricted = catalog.restricted(name);
    const legacy = catalog.legacy(name);
    const { granted } = list;
    const implying = catalog.impliedBy(name);
    if (!restricted && !legacy && !implying.some((other) => granted.has(other))) return NOTHING;
    const href = info.docsUrl ?? PERMISSIONS_REFERENCE_URL;
    const found: (Finding | undefined)[] = [];
    if (restricted) {
      found.push(
        makeFinding(
          context,
          'restricted-permission',
          span,
          `Restricted permission "${name}": remove it unless Stripe enabled it.`,
          { href: PERMISSIONS_REFERENCE_URL, data: { ...at, name } },
        ),
      );
    }
    if (legacy) {
      found.push(
        makeFinding(
          context,
          'legacy-permission',
          span,
          `Legacy API (${info.resource}): keep "${name}" only if the app still uses it.`,
          { href, tags: [DiagnosticTag.Deprecated], data: { ...at, name } },
        ),
      );
    }
    const impliedBy = implying.filter((other) => granted.has(other));
    if (impliedBy.length > 0) {
      found.push(
        makeFinding(
          context,
          'redundant-permission',
          span,
          `Redundant: ${quotedList(impliedBy)} already grant${impliedBy.length === 1 ? 's' : ''} it; remove this entry.`,
          {
            href: PERMISSIONS_REFERENCE_URL,
            tags: [DiagnosticTag.Unnecessary],
            data: { ...at, name, impliedBy },
          },
        ),
      );
    }
    return found;
  }
  if (allowed.has(name)) return NOTHING;

  const retired = catalog.retired(name);
  if (retired) {
    const instead =
      retired.replacements.length > 0
        ? `use ${quotedList(retired.replacements, 'or')} instead`
        : 'upload may refuse it; remove it';
    return [
      makeFinding(
        context,
        'retired-permission',
        span,
        `Retired permission "${name}": ${instead}.`,
        {
          href: PERMISSIONS_REFERENCE_URL,
          tags: [DiagnosticTag.Deprecated],
          data: { ...at, name, replacements: [...retired.replacements] },
        },
      ),
    ];
  }

  const trimmed = name.trim();
  if (trimmed !== name && isAcceptedName(trimmed, allowed)) {
    return [
      makeFinding(
        context,
        'unknown-permission',
        span,
        `White space makes ${JSON.stringify(name)} unknown: write "${trimmed}".`,
        { href: PERMISSIONS_REFERENCE_URL, data: { ...at, name, suggestions: [trimmed] } },
      ),
    ];
  }

  const needed = catalog.eventPermissions(trimmed);
  if (needed) return [eventType(context, list, entry, trimmed, needed, node)];

  const parts = trimmed.split(SEPARATORS).filter((part) => part !== '');
  const nameLike = parts.filter(
    (part) => isAcceptedName(part, allowed) || LOOKS_LIKE_NAME.test(part),
  );
  if (parts.length >= 2 && nameLike.length >= 2) {
    return [
      makeFinding(
        context,
        'multiple-permissions-in-entry',
        span,
        `${parts.length} permissions in one string: give each its own entry.`,
        { href: PERMISSIONS_REFERENCE_URL, data: { ...at, name, names: parts } },
      ),
    ];
  }

  const suggestions = suggestPermissionNames(name, context.settings.allowedPermissions);
  const misspelt = catalog.schemaMisspelling(trimmed);
  const message =
    suggestions.length > 0
      ? misspelt
        ? `Misspelt permission ${JSON.stringify(name)} (a typo in Stripe's schema): use ${quotedList(suggestions, 'or')}.`
        : `Unknown permission ${JSON.stringify(name)}: did you mean ${quotedList(suggestions, 'or')}?`
      : `Unknown permission ${JSON.stringify(name)}: remove it, or allow it in settings.`;
  return [
    makeFinding(context, 'unknown-permission', span, message, {
      href: PERMISSIONS_REFERENCE_URL,
      data: { ...at, name, suggestions },
    }),
  ];
}

/** An event type given as a permission: name what that event needs instead. */
function eventType(
  context: RuleContext,
  list: PermissionList,
  entry: PermissionEntry,
  eventName: string,
  eventPermissions: readonly string[],
  node: ValueSpan,
): Finding | undefined {
  // Every event needs event_read; the table lists the object permissions (some not in the
  // catalog, e.g. issuing_card_sensitive_read, which upload would refuse).
  const needed = [
    ...new Set(['event_read', ...eventPermissions.filter((name) => catalog.has(name))]),
  ];
  const { granted } = list;
  const suggestions = needed.filter((name) => !granted.has(name));
  const advice =
    suggestions.length === 0
      ? `remove it (${quotedList(needed)} already granted)`
      : `grant ${quotedList(suggestions)} instead`;
  return makeFinding(
    context,
    'event-type-as-permission',
    nodeSpan(node),
    `Event type, not a permission: ${advice}.`,
    {
      href: PERMISSIONS_REFERENCE_URL,
      data: { ...entryData(list, entry), name: entry.name ?? eventName, needed, suggestions },
    },
  );
}

/**
 * Every later entry of a name granted twice in one list, pointing back at the first; added to
 * `found`.
 */
function checkDuplicates(context: RuleContext, list: PermissionList, found: Finding[]): void {
  const { document } = context;
  for (const [name, entries] of list.granted) {
    if (entries.length < 2) continue;
    const first = entries[0]?.permissionValue;
    if (!first) continue;
    const firstRange = nodeRange(document, first);
    // Two messages for all the repeats of a name: the same purpose (fix-all removes those) or
    // another one (a person must choose which reason to keep).
    const line = firstRange.start.line + 1;
    const firstPurpose = purposeKey(entries[0]);
    const sameMessage = `Duplicate of line ${line}: remove this entry.`;
    const otherMessage = `Duplicate of line ${line}, another purpose: keep one, merge the reasons.`;
    const relatedInformation = [
      {
        location: { uri: document.uri, range: firstRange },
        message: `"${name}" first granted here`,
      },
    ];
    const firstIndex = entries[0]?.index ?? 0;
    for (let i = 1; i < entries.length; i++) {
      // The repeats of a large file are mostly cut by maxNumberOfProblems: not built at all.
      if (!wouldReport(context, 'duplicate-permission')) continue;
      const entry = entries[i];
      const node = entry?.permissionValue;
      if (!entry || !node) continue;
      const message = purposeKey(entry) === firstPurpose ? sameMessage : otherMessage;
      const finding = makeFinding(context, 'duplicate-permission', nodeSpan(node), message, {
        href: PERMISSIONS_REFERENCE_URL,
        relatedInformation,
        data: { ...entryData(list, entry), name, firstIndex },
      });
      if (finding) found.push(finding);
    }
  }
}

/**
 * An entry's purpose texts compared loosely: case, runs of white space and final punctuation
 * do not count ("Shows invoices." and "shows invoices" are the same reason).
 */
export function purposeKey(entry: PermissionEntry | undefined): string {
  if (!entry) return '';
  return JSON.stringify(
    entry.purposeTexts.map((purpose) => [
      purpose.locale ?? '',
      purpose.text
        .trim()
        .toLowerCase()
        .replace(/\s+/g, ' ')
        .replace(/[.!\s]+$/, ''),
    ]),
  );
}
