import type { CodeInfo, Rule } from './common';

/*
 * The rule module of the app's code against its permissions: its codes here, in the registry
 * with every other rule's. Its checks (codeUsageRules.ts) read more than one file, the UI
 * extension's sources and the manifest, so the server runs them outside the manifest's
 * validation; its fixes (Grant in a source file, Revoke in the manifest) are workspace edits
 * across files, `grantActions` and `revokeUnusedActions` in codeUsageFeatures.ts, which the
 * server calls directly. Only type imports, so settings.ts (through the registry) pulls in no
 * analysis.
 */

export const CODE_USAGE_CODES = {
  'missing-permission': {
    // The call fails at run time with a permission error that does not name the permission.
    severity: 'warning',
    description:
      'A Stripe API call of the UI extension (or an object it expands) needs a permission the manifest does not grant.',
    docs: 'a Stripe API call of the UI extension (or an object its `expand` pulls in) needs a permission the manifest does not grant; the quick fix grants it.',
    reference: 'permissions',
  },
  'read-via-write': {
    // Undocumented either way (stripeApps.codeAnalysis.writeCoversRead): a risk, not a certainty.
    severity: 'information',
    description:
      'A read call relies on a granted write permission; Stripe does not document whether a write covers reads.',
    docs: 'a read call has only the write permission of its resource granted (`customer_write` for `customers.list`); Stripe does not document whether that covers reads (see `#stripeApps.codeAnalysis.writeCoversRead#`).',
    reference: 'permissions',
  },
  'no-app-permission': {
    // The table's mapping is derived, so not an error that fails CI on its own.
    severity: 'warning',
    description: 'A Stripe API method no app permission grants: a Stripe App cannot call it.',
    docs: 'the UI extension calls a Stripe API method that no app permission grants, so the call fails.',
    reference: 'permissions',
  },
  'unresolved-call': {
    severity: 'information',
    description:
      'A Stripe API call whose method (or expand) the tool cannot tell: its permission is not checked.',
    docs: 'a Stripe API call whose method or `expand` the tool cannot tell (a computed name, `rawRequest`, a client whose options are not a literal): its permission is not checked.',
    reference: 'permissions',
  },
  'unused-permission': {
    // App Review asks for the minimum set; the backend may still use it, so never more than this.
    severity: 'information',
    description:
      'A granted permission no call of the UI extension needs (App Review asks for the minimum set).',
    docs: 'a granted permission that no call of the UI extension needs; App Review asks for the minimum necessary set.',
    reference: 'permissions',
  },
} as const satisfies Record<string, CodeInfo>;

export type CodeUsageCode = keyof typeof CODE_USAGE_CODES;

/** No `check` and no `fixes` here: see the top of this file for where they are and why. */
export const codeUsageRule: Rule<CodeUsageCode> = { codes: CODE_USAGE_CODES };
