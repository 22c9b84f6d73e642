import { DiagnosticTag } from 'vscode-languageserver-types';
import { catalog } from '../catalog';
import {
  grantedWith,
  nodeRange,
  type PermissionEntry,
  type PermissionList,
  type ValueSpan,
} from '../manifestDocument';
import { normalizePermissionName, singular, suggestPermissionNames } from '../nameSuggestions';
import {
  PERMISSIONS_REFERENCE_URL,
  makeFinding,
  type Finding,
  nodeSpan,
  quotedList,
  type RuleContext,
  type CodeInfo,
  type Fix,
  type FixTarget,
  type Rule,
} from './common';
import {
  findingEntry,
  grantedElsewhere,
  nameOf,
  quoted,
  removal,
  renaming,
  sameEntry,
  splitEntry,
  stringsOf,
} from './fixes';
import { REWRITE_CODES, checkPurposeText } from './purposeRules';

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
export function entryData<Fields extends object>(
  list: PermissionList,
  entry: PermissionEntry,
  fields: Fields,
): Fields & { index: number; list?: PermissionList['path'] } {
  const at =
    list.scope === 'app' ? { index: entry.index } : { index: entry.index, list: list.path };
  return Object.assign(at, fields);
}

function checkName(
  context: RuleContext,
  list: PermissionList,
  entry: PermissionEntry,
  name: string,
  node: ValueSpan,
): readonly (Finding | undefined)[] {
  const { allowed } = context;
  const span = nodeSpan(node);
  const info = catalog.get(name);
  if (info) {
    const restricted = catalog.restricted(name);
    const legacy = catalog.legacy(name);
    const { granted } = list;
    const implying = catalog.impliedBy(name);
    if (!restricted && !legacy && !implying.some((other) => granted.has(other))) return [];
    const href = info.docsUrl ?? PERMISSIONS_REFERENCE_URL;
    const found: (Finding | undefined)[] = [];
    if (restricted) {
      found.push(
        makeFinding(
          context,
          'restricted-permission',
          span,
          `Restricted permission "${name}": remove it unless Stripe enabled it.`,
          { href: PERMISSIONS_REFERENCE_URL, data: entryData(list, entry, { name }) },
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
          { href, tags: [DiagnosticTag.Deprecated], data: entryData(list, entry, { name }) },
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
            data: entryData(list, entry, { name, impliedBy }),
          },
        ),
      );
    }
    return found;
  }
  if (allowed.has(name)) return [];

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
          data: entryData(list, entry, { name, replacements: [...retired.replacements] }),
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
        {
          href: PERMISSIONS_REFERENCE_URL,
          data: entryData(list, entry, { name, suggestions: [trimmed] }),
        },
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
        { href: PERMISSIONS_REFERENCE_URL, data: entryData(list, entry, { name, names: parts }) },
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
      data: entryData(list, entry, { name, suggestions }),
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
      data: entryData(list, entry, { name: entry.name ?? eventName, needed, suggestions }),
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
      const entry = entries[i];
      const node = entry?.permissionValue;
      if (!entry || !node) continue;
      const message = purposeKey(entry) === firstPurpose ? sameMessage : otherMessage;
      const finding = makeFinding(context, 'duplicate-permission', nodeSpan(node), message, {
        href: PERMISSIONS_REFERENCE_URL,
        relatedInformation,
        data: entryData(list, entry, { name, firstIndex }),
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
  const only = entry.purposeTexts.length === 1 ? entry.purposeTexts[0] : undefined;
  // The common case, one plain text, needs no JSON (no JSON text starts with a NUL).
  if (only && only.locale === undefined) {
    return `\u0000${looseText(only.text)}`;
  }
  return JSON.stringify(
    entry.purposeTexts.map((purpose) => [purpose.locale ?? '', looseText(purpose.text)]),
  );
}

/** Lower case, runs of white space as one space, no final `.`, `!` or white space. */
function looseText(text: string): string {
  const lower = text.trim().toLowerCase();
  // Most texts have single spaces only: no new string for them.
  const spaced = /[^\S ]| {2}/.test(lower) ? lower.replace(/\s+/g, ' ') : lower;
  // A loop, not /[.!\s]+$/: that regex retries from every dot of a long text.
  let end = spaced.length;
  while (end > 0 && '.! '.includes(spaced.charAt(end - 1))) end--;
  return spaced.slice(0, end);
}

// ---------------------------------------------------------------------------------------------
// The rule: its codes, its check and its fixes

export const PERMISSION_CODES = {
  'unknown-permission': {
    severity: 'error',
    description: 'A permission name that is not in the catalog.',
    docs: 'the name is neither in the catalog nor in `#stripeApps.allowedPermissions#`.',
    reference: 'permissions',
  },
  'retired-permission': {
    severity: 'warning',
    description: 'A permission name that was valid once and is no longer in the reference.',
    docs: 'a name that was valid once (`elements_write`, `mandate_read`, …).',
    reference: 'permissions',
  },
  'multiple-permissions-in-entry': {
    severity: 'error',
    description: 'One permission string holds several names.',
    docs: 'one string holds several names (`"coupon_read, coupon_write"`).',
    reference: 'permissions',
  },
  'event-type-as-permission': {
    severity: 'error',
    description: 'An event type given as a permission name.',
    docs: 'an event type (`customer.created`) given as a permission.',
    reference: 'permissions',
  },
  'duplicate-permission': {
    severity: 'warning',
    description: 'The same permission granted twice.',
    docs: 'the same name granted twice.',
    reference: 'permissions',
  },
  // Information, not a hint: the Problems panel lists it, and App Review asks for the minimum set.
  'redundant-permission': {
    severity: 'information',
    description: 'A permission already granted by another one.',
    docs: 'a permission implied by another granted one.',
    reference: 'permissions',
  },
  'legacy-permission': {
    severity: 'information',
    description: 'A permission of a legacy API.',
    docs: 'a permission of a legacy API (Sources, Orders, SKUs, Usage Records).',
    reference: 'permissions',
  },
  'restricted-permission': {
    severity: 'warning',
    description: 'A permission Stripe grants only on request.',
    docs: '`webhook_write`: upload is refused unless Stripe enables it.',
    reference: 'permissions',
  },
} as const satisfies Record<string, CodeInfo>;

export const permissionRule: Rule<keyof typeof PERMISSION_CODES> = {
  codes: PERMISSION_CODES,
  check: checkPermissions,
  fixes: {
    'unknown-permission': unknownNameFixes,
    'retired-permission': retiredFixes,
    'event-type-as-permission': eventTypeFixes,
    'multiple-permissions-in-entry': combinedEntryFixes,
    'duplicate-permission': duplicateFixes,
    'redundant-permission': redundantFixes,
    'restricted-permission': (target) => {
      const entry = findingEntry(target);
      if (!entry || !catalog.restricted(nameOf(entry))) return [];
      return [removal(entry, `Remove restricted permission "${nameOf(entry)}"`, false)];
    },
  },
  leftToYou: {
    'duplicate-permission': (count) =>
      `${count} duplicate${count === 1 ? '' : 's'} with another purpose`,
    'redundant-permission': (count) =>
      `${count} redundant entr${count === 1 ? 'y' : 'ies'} with ${count === 1 ? 'its' : 'their'} own purpose`,
  },
};

/**
 * The finding's suggestions (`data.suggestions`); the one a wrong name certainly means, unless
 * granted elsewhere already, is preferred and safe for fix-all.
 */
function unknownNameFixes(target: FixTarget): Fix[] {
  const entry = findingEntry(target);
  const name = entry?.name;
  if (!entry || name === undefined || entry.permissionValue?.type !== 'string') return [];
  const allowed = new Set(target.settings.allowedPermissions);
  // Accepted since (the settings allow it now): nothing to fix.
  if (isAcceptedName(name, allowed)) return [];
  const certain = certainRename(name, allowed);
  return stringsOf(target.data.suggestions).map((suggestion) =>
    renaming(
      entry,
      suggestion,
      suggestion === certain && !grantedElsewhere(target.manifest, suggestion, entry),
    ),
  );
}

/** The finding's replacements (`data.replacements`); a single one is safe, else removal. */
function retiredFixes(target: FixTarget): Fix[] {
  const entry = findingEntry(target);
  if (!entry) return [];
  const replacements = stringsOf(target.data.replacements);
  if (replacements.length === 0) {
    return [removal(entry, `Remove retired permission "${nameOf(entry)}"`, false)];
  }
  return replacements.map((replacement) =>
    renaming(
      entry,
      replacement,
      replacements.length === 1 && !grantedElsewhere(target.manifest, replacement, entry),
    ),
  );
}

/** The event's permissions (`data.needed`) not granted yet replace it; none left: remove it. */
function eventTypeFixes(target: FixTarget): Fix[] {
  const entry = findingEntry(target);
  if (!entry) return [];
  const needed = stringsOf(target.data.needed);
  const granted = grantedWith(target.manifest, entry);
  const missing = needed.filter((permission) => !granted.has(permission));
  if (needed.length === 0) return [];
  if (missing.length === 0) {
    return [removal(entry, `Remove "${nameOf(entry)}" (${quoted(needed)} already granted)`, true)];
  }
  return [
    {
      title: `Replace with ${quoted(missing)}`,
      preferred: true,
      safe: false,
      apply: (edit) => splitEntry(edit, entry, missing),
    },
  ];
}

/** One entry per name of the string (`data.names`); safe when all are known and new. */
function combinedEntryFixes(target: FixTarget): Fix[] {
  const entry = findingEntry(target);
  if (!entry) return [];
  const parts = [...new Set(stringsOf(target.data.names))];
  if (parts.length < 2) return [];
  const granted = grantedWith(target.manifest, entry);
  const missing = parts.filter((part) => !granted.has(part));
  if (missing.length === 0) {
    return [removal(entry, `Remove the entry (${quoted(parts)} already granted)`, true)];
  }
  const allowed = new Set(target.settings.allowedPermissions);
  const safe =
    missing.length === parts.length &&
    parts.every((part) => catalog.has(part) || allowed.has(part));
  const kept = parts.filter((part) => !missing.includes(part));
  return [
    {
      title:
        kept.length === 0
          ? 'Split into one entry per permission'
          : `Split into one entry per permission (without ${quoted(kept)}, already granted)`,
      preferred: true,
      safe,
      apply: (edit) => splitEntry(edit, entry, missing),
    },
  ];
}

/**
 * Removing a later duplicate is safe (fix-all) when nothing is lost: it has no purpose, the same
 * purpose as the first (up to case, spacing and final punctuation), or a purpose the rules say
 * must be rewritten (empty, placeholder, restatement) while the first's is not. Otherwise two
 * different reasons exist and a person chooses: the diagnostic says "another purpose".
 */
function duplicateFixes(target: FixTarget): Fix[] {
  const entry = findingEntry(target);
  if (!entry) return [];
  const { manifest, settings } = target;
  const name = nameOf(entry);
  const first = grantedWith(manifest, entry).get(name)?.[0];
  if (!first || first === entry) return [];
  const same =
    entry.purposeValue === undefined ||
    sameEntry(manifest.text, first, entry) ||
    (entry.purposeTexts.length > 0 && purposeKey(entry) === purposeKey(first));
  const needsRewrite = (text: string): boolean =>
    checkPurposeText(name, text, settings, manifest).some((finding) =>
      REWRITE_CODES.has(finding.code),
    );
  const worse =
    !same &&
    entry.purposeTexts.length > 0 &&
    first.purposeTexts.length > 0 &&
    entry.purposeTexts.every((purpose) => needsRewrite(purpose.text)) &&
    !first.purposeTexts.some((purpose) => needsRewrite(purpose.text));
  return [
    removal(
      entry,
      same ? `Remove duplicate "${name}"` : `Remove duplicate "${name}" (and its purpose)`,
      same || worse,
      same || worse,
    ),
  ];
}

/** The names that grant this one (`data.impliedBy`), while one of them is still granted. */
function redundantFixes(target: FixTarget): Fix[] {
  const entry = findingEntry(target);
  if (!entry) return [];
  const granted = grantedWith(target.manifest, entry);
  const impliedBy = stringsOf(target.data.impliedBy).filter((other) => granted.has(other));
  if (impliedBy.length === 0) return [];
  const verb = impliedBy.length === 1 ? 'grants' : 'grant';
  return [
    removal(entry, `Remove "${nameOf(entry)}" (${quoted(impliedBy)} already ${verb} it)`, true),
  ];
}

/** Catalog names by their normalised form (case, separators and plurals left out). */
const NORMALISED = (() => {
  const byForm = new Map<string, string[]>();
  for (const { name } of catalog.permissions) {
    const form = normalisedForm(name);
    byForm.set(form, [...(byForm.get(form) ?? []), name]);
  }
  return byForm;
})();

function normalisedForm(name: string): string {
  return normalizePermissionName(name).split('_').map(singular).join('_');
}

/**
 * The one name a wrong name certainly means: itself without white space, Stripe's schema's
 * spelling fixed, or the only catalog name equal to it up to case, separators and plurals.
 */
function certainRename(name: string, allowed: ReadonlySet<string>): string | undefined {
  const trimmed = name.trim();
  if (trimmed !== name && isAcceptedName(trimmed, allowed)) return trimmed;
  const misspelling = catalog.schemaMisspelling(trimmed);
  if (misspelling) return misspelling.correct;
  const matches = NORMALISED.get(normalisedForm(trimmed)) ?? [];
  return matches.length === 1 ? matches[0] : undefined;
}
