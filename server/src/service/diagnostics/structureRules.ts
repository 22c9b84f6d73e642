import { keySpan, type PermissionEntry, type ValueSpan } from '../manifestDocument';
import {
  MANIFEST_REFERENCE_URL,
  makeFinding,
  nodeSpan,
  type Finding,
  type RuleContext,
} from './common';

/** Why an entry is malformed, for `invalid-permission-entry` quick fixes. */
export type InvalidEntryReason = 'entry-not-object' | 'permission-not-string' | 'purpose-not-text';

const ENTRY_KEYS = new Set(['permission', 'purpose']);
const EXAMPLE_ENTRY = '{ "permission": "customer_read", "purpose": "…" }';

/**
 * The shape of `permissions` and of its entries: everything that must be right before names
 * and purposes can be judged.
 */
export function checkStructure(context: RuleContext): Finding[] {
  const { manifest } = context;
  const root = manifest.root;
  // Not a manifest at all (an array, a string, nothing): leave it to the JSON checks.
  if (root?.type !== 'object') return [];
  const found: (Finding | undefined)[] = [];
  const href = MANIFEST_REFERENCE_URL;

  const property = manifest.permissionsProperty;
  if (!property) {
    // A local manifest inherits the base's list. A file with syntax errors may have lost the
    // key to the error, so it is not judged for a missing one.
    if (manifest.kind === 'base' && manifest.syntaxErrors.length === 0) {
      found.push(
        makeFinding(
          context,
          'missing-permissions',
          { start: root.offset, end: root.offset + 1 },
          'The manifest has no "permissions", which Stripe\'s manifest schema requires: add "permissions": [ … ] with one entry per Stripe permission the app uses, each with a purpose (an empty list when it uses none).',
          { href, data: {} },
        ),
      );
    }
    return compact(found);
  }
  const value = property.value;
  if (value && value.type !== 'array') {
    found.push(
      makeFinding(
        context,
        'permissions-not-array',
        nodeSpan(value),
        `"permissions" must be an array of entries such as ${EXAMPLE_ENTRY}, not ${describe(value)}.`,
        { href, data: {} },
      ),
    );
  }
  for (const entry of manifest.entries) found.push(...checkEntry(context, entry));
  return compact(found);
}

function checkEntry(context: RuleContext, entry: PermissionEntry): (Finding | undefined)[] {
  const href = MANIFEST_REFERENCE_URL;
  const { index } = entry;
  if (!entry.isObject) {
    const name = entry.node.type === 'string' ? String(entry.node.value) : undefined;
    return [
      makeFinding(
        context,
        'invalid-permission-entry',
        nodeSpan(entry.node),
        name !== undefined
          ? `A permission entry must be an object, not a string: write { "permission": ${JSON.stringify(name)}, "purpose": "…" }.`
          : `A permission entry must be an object such as ${EXAMPLE_ENTRY}, not ${describe(entry.node)}.`,
        {
          href,
          data: {
            index,
            reason: 'entry-not-object' satisfies InvalidEntryReason,
            ...(name !== undefined ? { name } : {}),
          },
        },
      ),
    ];
  }
  const found: (Finding | undefined)[] = [];
  for (const property of entry.properties) {
    const key = property.key;
    if (ENTRY_KEYS.has(key)) continue;
    found.push(
      makeFinding(
        context,
        'unexpected-entry-property',
        nodeSpan(keySpan(property)),
        `A permission entry has only "permission" and "purpose"; Stripe does not accept ${JSON.stringify(key)} here: remove it.`,
        { href, data: { index, key } },
      ),
    );
  }

  const permission = entry.permissionValue;
  if (!entry.permissionProperty) {
    found.push(
      makeFinding(
        context,
        'missing-permission-name',
        nodeSpan(entry.node),
        'This entry has no "permission": add the name of the permission it grants, e.g. "permission": "customer_read".',
        { href, data: { index } },
      ),
    );
  } else if (permission && permission.type !== 'string') {
    found.push(
      makeFinding(
        context,
        'invalid-permission-entry',
        nodeSpan(permission),
        permission.type === 'array'
          ? '"permission" holds one name, not a list: give each permission its own entry.'
          : `"permission" must be a string naming a permission, e.g. "customer_read", not ${describe(permission)}.`,
        { href, data: { index, reason: 'permission-not-string' satisfies InvalidEntryReason } },
      ),
    );
  } else if (permission && entry.name?.trim() === '') {
    found.push(
      makeFinding(
        context,
        'missing-permission-name',
        nodeSpan(permission),
        'The permission name is empty: write the name of the permission this entry grants, e.g. "customer_read".',
        { href, data: { index } },
      ),
    );
  }

  const purpose = entry.purposeValue;
  if (!entry.purposeProperty) {
    // Without a permission the entry is already reported; one error per broken entry.
    if (entry.permissionProperty) {
      const name = entry.name?.trim();
      found.push(
        makeFinding(
          context,
          'missing-purpose',
          nodeSpan(permission ?? entry.node),
          `This entry has no "purpose": add one that tells the account administrator what the app does with ${name ? JSON.stringify(name) : 'this permission'} and why.`,
          { href, data: { index, ...(name ? { permission: name } : {}) } },
        ),
      );
    }
  } else if (purpose && purpose.type !== 'string') {
    found.push(...checkPurposeShape(context, entry, purpose));
  }
  return found;
}

/** A purpose is a string or a locale map of strings (`{"en-US": "…"}`). */
function checkPurposeShape(
  context: RuleContext,
  entry: PermissionEntry,
  purpose: ValueSpan,
): (Finding | undefined)[] {
  const href = MANIFEST_REFERENCE_URL;
  const data = { index: entry.index, reason: 'purpose-not-text' satisfies InvalidEntryReason };
  if (purpose.type !== 'object') {
    return [
      makeFinding(
        context,
        'invalid-permission-entry',
        nodeSpan(purpose),
        `"purpose" must be a string (or a map of locale to string, such as {"en-US": "…"}), not ${describe(purpose)}.`,
        { href, data },
      ),
    ];
  }
  const found: (Finding | undefined)[] = [];
  const properties = purpose.properties ?? [];
  if (properties.length === 0) {
    found.push(
      makeFinding(
        context,
        'empty-purpose',
        nodeSpan(purpose),
        'The purpose has no text: give it a string, or a locale map such as {"en-US": "…"}.',
        { href, data: { index: entry.index } },
      ),
    );
  }
  for (const property of properties) {
    const localized = property.value;
    if (localized && localized.type !== 'string') {
      found.push(
        makeFinding(
          context,
          'invalid-permission-entry',
          nodeSpan(localized),
          `Each locale of "purpose" needs a string, not ${describe(localized)}.`,
          { href, data: { ...data, locale: property.key } },
        ),
      );
    }
  }
  return found;
}

function describe(node: ValueSpan): string {
  switch (node.type) {
    case 'array':
      return 'an array';
    case 'object':
      return 'an object';
    case 'string':
      return 'a string';
    case 'number':
      return `a number (${String(node.value)})`;
    case 'boolean':
      return String(node.value);
    case 'null':
      return 'null';
    default:
      return 'that';
  }
}

function compact(list: readonly (Finding | undefined)[]): Finding[] {
  return list.filter((item): item is Finding => item !== undefined);
}
