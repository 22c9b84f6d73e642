import { ClientCommands } from '../../protocol';
import {
  containsOffset,
  keySpan,
  propertySpan,
  type PermissionEntry,
  type ValueSpan,
} from '../manifestDocument';
import { suggestPurpose } from '../purposeSuggestion';
import {
  MANIFEST_REFERENCE_URL,
  makeFinding,
  nodeSpan,
  type CodeInfo,
  type Finding,
  type Fix,
  type FixTarget,
  type Rule,
  type RuleContext,
} from './common';
import { clipTitle, findingEntry, nameOf } from './fixes';

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

  for (const list of manifest.lists) {
    if (list.scope !== 'extension') continue;
    // A v2 extension's own list: its shape and its entries' (names are judged per list later).
    const value = list.property.value;
    if (value && value.type !== 'array') {
      found.push(notAList(context, value, `the permissions of ${list.label}`));
    }
    for (const entry of list.entries) found.push(...checkEntry(context, entry));
  }
  const property = manifest.permissionsProperty;
  if (!property) {
    // A local manifest inherits the base's list; v2's app list is optional (Stripe's own v2
    // apps have only extension lists). A file with syntax errors may have lost the key to the
    // error, so it is not judged for a missing one.
    if (
      manifest.kind === 'base' &&
      manifest.format === 'json' &&
      manifest.syntaxErrors.length === 0
    ) {
      // On the `id` key (the app's identity, near the top; else the first key): a squiggle
      // the user sees, where the single `{` was one character easily missed.
      const anchor =
        manifest.rootProperties.find((candidate) => candidate.key === 'id') ??
        manifest.rootProperties[0];
      found.push(
        makeFinding(
          context,
          'missing-permissions',
          anchor ? nodeSpan(keySpan(anchor)) : { start: root.offset, end: root.offset + 1 },
          'No "permissions" array: add one (empty if the app calls no Stripe API).',
          { href, data: {} },
        ),
      );
    }
    return compact(found);
  }
  const value = property.value;
  if (value && value.type !== 'array') {
    const name =
      manifest.format === 'yaml' ? 'declarations.stripe_api_access.permissions' : 'permissions';
    found.push(notAList(context, value, `"${name}"`));
  }
  for (const entry of manifest.entries) found.push(...checkEntry(context, entry));
  return compact(found);
}

function notAList(context: RuleContext, value: ValueSpan, what: string): Finding | undefined {
  const kind = context.manifest.format === 'yaml' ? 'a list' : 'an array';
  return makeFinding(
    context,
    'permissions-not-array',
    nodeSpan(value),
    `${what} must be ${kind} of entries, not ${describe(value)}.`,
    { href: MANIFEST_REFERENCE_URL, data: {} },
  );
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
          ? `Entry is a bare string: write { "permission": ${JSON.stringify(name)}, "purpose": "…" }.`
          : `Entry must be an object such as ${EXAMPLE_ENTRY}, not ${describe(entry.node)}.`,
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
    if (ENTRY_KEYS.has(key)) {
      // JSON.parse (and Stripe) keep the last of two equal keys, the entry's own property: an
      // earlier one is ignored.
      const kept = key === 'permission' ? entry.permissionProperty : entry.purposeProperty;
      if (property !== kept) {
        found.push(
          makeFinding(
            context,
            'duplicate-entry-property',
            nodeSpan(keySpan(property)),
            `Duplicate "${key}" key: only the last one counts; remove this one.`,
            { href, data: { index, key } },
          ),
        );
      }
      continue;
    }
    found.push(
      makeFinding(
        context,
        'unexpected-entry-property',
        nodeSpan(keySpan(property)),
        `Unexpected key ${JSON.stringify(key)}: an entry has only "permission" and "purpose".`,
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
        'Entry has no "permission": add the name it grants, e.g. "customer_read".',
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
          ? '"permission" holds one name, not a list: one entry per permission.'
          : `"permission" must be a name such as "customer_read", not ${describe(permission)}.`,
        { href, data: { index, reason: 'permission-not-string' satisfies InvalidEntryReason } },
      ),
    );
  } else if (permission && entry.name?.trim() === '') {
    found.push(
      makeFinding(
        context,
        'missing-permission-name',
        nodeSpan(permission),
        'Empty permission name: write the one this entry grants, e.g. "customer_read".',
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
          `No purpose: add one saying why the app needs ${name ? JSON.stringify(name) : 'this permission'}.`,
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
        `"purpose" must be a string or a locale map, not ${describe(purpose)}.`,
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
        'Empty purpose map: add a text, e.g. {"en-US": "…"}.',
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
          `Purpose for locale ${JSON.stringify(property.key)} must be a string, not ${describe(localized)}.`,
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

// ---------------------------------------------------------------------------------------------
// The rule: its codes, its check and its fixes

export const STRUCTURE_CODES = {
  'missing-permission-name': {
    severity: 'error',
    description: 'A permissions entry without a permission name.',
    docs: 'an entry has no `permission`.',
    reference: 'manifest',
  },
  'invalid-permission-entry': {
    severity: 'error',
    description: 'A permissions entry that is not an object, or a value of the wrong type.',
    docs: 'an entry is not an object, or `permission`/`purpose` has the wrong type.',
    reference: 'manifest',
  },
  'unexpected-entry-property': {
    severity: 'warning',
    description: 'A key other than permission and purpose in a permissions entry.',
    docs: 'a key other than `permission` and `purpose` in an entry.',
    reference: 'manifest',
  },
  'duplicate-entry-property': {
    severity: 'warning',
    description: 'The same key twice in one permissions entry (the last one wins).',
    docs: 'an entry has two `permission` (or two `purpose`) keys; only the last one counts.',
    reference: 'manifest',
  },
  'permissions-not-array': {
    severity: 'error',
    description: 'The permissions value is not an array.',
    docs: '`permissions` is not an array.',
    reference: 'manifest',
  },
  'missing-permissions': {
    severity: 'error',
    description: 'A base manifest without permissions.',
    docs: 'a base manifest has no `permissions` (local manifests inherit it).',
    reference: 'manifest',
  },
  'missing-purpose': {
    severity: 'error',
    description: 'A permission without a purpose.',
    docs: 'an entry has no `purpose`.',
    reference: 'manifest',
  },
} as const satisfies Record<string, CodeInfo>;

export const structureRule: Rule<keyof typeof STRUCTURE_CODES> = {
  codes: STRUCTURE_CODES,
  check: checkStructure,
  fixes: {
    'duplicate-entry-property': duplicatePropertyFixes,
    'missing-permissions': missingPermissionsFixes,
    'missing-purpose': missingPurposeFixes,
  },
  leftToYou: {
    'duplicate-entry-property': (count) =>
      `${count} repeated key${count === 1 ? '' : 's'} with another value`,
  },
};

/**
 * Two `permission` (or `purpose`) keys in one entry: remove the earlier one, which JSON.parse
 * and Stripe ignore already (the value does not change). Safe for fix-all only when both say
 * the same; else the user may have meant the earlier one, so it is a quick fix only.
 */
function duplicatePropertyFixes(target: FixTarget): Fix[] {
  const entry = findingEntry(target);
  if (!entry) return [];
  const at = entry.properties.findIndex((property) =>
    containsOffset(propertySpan(property), target.offset),
  );
  const property = entry.properties[at];
  if (!property || property.key !== target.data.key) return [];
  const key = property.key;
  const last = [...entry.properties].reverse().find((other) => other.key === key);
  if (!last || last === property) return [];
  const text = target.manifest.text;
  const valueText = (candidate: typeof property): string =>
    candidate.value
      ? text.slice(candidate.value.offset, candidate.value.offset + candidate.value.length)
      : '';
  return [
    {
      title: `Remove the earlier "${key}" (${clipTitle(valueText(property))})`,
      preferred: true,
      safe: valueText(property) === valueText(last),
      // The earlier key is ignored already: the document's value must not change at all.
      apply: (edit) =>
        edit.apply({ kind: 'remove-property', object: entry.path, index: at, shadowed: true }),
    },
  ];
}

/**
 * No `permissions` key: add an empty array (the user then grants into it), or run Grant
 * Permission…, which creates the array with its first entry.
 */
function missingPermissionsFixes({ manifest }: FixTarget): Fix[] {
  if (manifest.permissionsProperty || manifest.root?.type !== 'object') return [];
  return [
    {
      title: 'Add "permissions": []',
      preferred: true,
      safe: false,
      apply: (edit) =>
        edit.apply({ kind: 'add-property', object: [], key: 'permissions', value: [] }),
    },
    {
      title: 'Grant Permission…',
      preferred: false,
      safe: false,
      apply: () => false,
      command: ClientCommands.grantPermission,
    },
  ];
}

/** A generic suggestion, left selected so that the user writes the app's own reason. */
function missingPurposeFixes(target: FixTarget): Fix[] {
  const entry = findingEntry(target);
  if (!entry?.isObject || entry.purposeProperty) return [];
  const purpose = suggestPurpose(nameOf(entry), target.manifest.appName);
  return [
    {
      title: `Add purpose "${purpose}"`,
      preferred: true,
      safe: false,
      selects: { literal: JSON.stringify(purpose), from: entry.node.offset },
      apply: (edit) =>
        edit.apply({ kind: 'add-property', object: entry.path, key: 'purpose', value: purpose }),
    },
  ];
}
