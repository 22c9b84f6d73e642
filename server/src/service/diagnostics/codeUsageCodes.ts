/**
 * The codes of the rules that compare the UI extension's Stripe API calls with the manifest's
 * permissions (codeUsageRules.ts), in one place: settings.ts, the CLI's SARIF rules and
 * package.json take them from here. No imports, so settings.ts can spread them.
 */

export const CODE_USAGE_CODES = [
  'missing-permission',
  'read-via-write',
  'no-app-permission',
  'unresolved-call',
  'unused-permission',
] as const;

export type CodeUsageCode = (typeof CODE_USAGE_CODES)[number];

export const CODE_USAGE_SEVERITY = {
  // The call fails at run time with a permission error that does not name the permission.
  'missing-permission': 'warning',
  // Undocumented either way (stripeApps.codeAnalysis.writeCoversRead): a risk, not a certainty.
  'read-via-write': 'information',
  // The table's mapping is derived, so not an error that fails CI on its own.
  'no-app-permission': 'warning',
  'unresolved-call': 'information',
  // App Review asks for the minimum set; the backend may still use it, so never more than this.
  'unused-permission': 'information',
} as const satisfies Record<CodeUsageCode, 'error' | 'warning' | 'information' | 'hint'>;

/** One line per rule (SARIF rule lists, the README table). */
export const CODE_USAGE_DESCRIPTIONS: Readonly<Record<CodeUsageCode, string>> = {
  'missing-permission':
    'A Stripe API call of the UI extension (or an object it expands) needs a permission the manifest does not grant.',
  'read-via-write':
    'A read call relies on a granted write permission; Stripe does not document whether a write covers reads.',
  'no-app-permission': 'A Stripe API method no app permission grants: a Stripe App cannot call it.',
  'unresolved-call':
    'A Stripe API call whose method (or expand) the tool cannot tell: its permission is not checked.',
  'unused-permission':
    'A granted permission no call of the UI extension needs (App Review asks for the minimum set).',
};
