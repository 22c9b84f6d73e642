/**
 * Hand-written facts about permission names that the reference table does not state in a form a
 * program can read. Each entry carries a one-line note on where the fact comes from.
 */

export interface Annotation {
  readonly note: string;
  readonly source: string;
}

export interface RetiredName extends Annotation {
  /** Current names to use instead, if any. */
  readonly replacements: readonly string[];
}

/** Upload is refused unless Stripe enables the permission for the app. */
export const restricted: Readonly<Record<string, Annotation>> = {
  webhook_write: {
    note: 'Upload fails with "requesting webhook_write permission is disallowed" unless Stripe Support enabled it for your app; most apps do not need it.',
    source: 'Stripe Apps permissions reference and upload errors reported by app developers',
  },
};

/** Called sensitive by the reference: account administrators look twice at these. */
export const sensitive: Readonly<Record<string, Annotation>> = {
  webhook_read: {
    note: 'Sensitive: it allows subscribing to events across the whole account.',
    source: 'Stripe Apps permissions reference, Webhook Endpoints row',
  },
  webhook_write: {
    note: 'Sensitive: it allows subscribing to events across the whole account.',
    source: 'Stripe Apps permissions reference, Webhook Endpoints row',
  },
};

const LEGACY_SOURCES: Annotation = {
  note: 'Sources is a legacy API; new integrations use Payment Methods.',
  source: 'Stripe API reference: Sources are deprecated in favour of PaymentMethods',
};
const LEGACY_ORDERS: Annotation = {
  note: 'The legacy Orders API is deprecated.',
  source: 'Stripe API reference: the Orders (legacy) API',
};
const LEGACY_SKUS: Annotation = {
  note: 'SKUs belong to the legacy Orders API.',
  source: 'Stripe API reference: SKUs (legacy Orders API)',
};
const LEGACY_USAGE_RECORDS: Annotation = {
  note: 'Usage Records were removed in API version 2025-03-31; report usage with Billing Meter Events.',
  source: 'Stripe changelog 2025-03-31 (basil): legacy usage-based billing removed',
};

/** Permissions of legacy APIs: still valid, but new code should not need them. */
export const legacy: Readonly<Record<string, Annotation>> = {
  source_read: LEGACY_SOURCES,
  source_write: LEGACY_SOURCES,
  order_read: LEGACY_ORDERS,
  order_write: LEGACY_ORDERS,
  sku_read: LEGACY_SKUS,
  sku_write: LEGACY_SKUS,
  usage_record_read: LEGACY_USAGE_RECORDS,
  usage_record_write: LEGACY_USAGE_RECORDS,
};

/** A resource another permission grants read access to, and its own permission when it has one. */
export interface ImpliedResource {
  readonly resource: string;
  readonly permission?: string;
}

/** The reference's Balance Transaction Sources row, resource by resource (one list for all uses). */
const BALANCE_TRANSACTION_SOURCE_GRANTS: readonly ImpliedResource[] = [
  { resource: 'Application Fees', permission: 'application_fee_read' },
  { resource: 'Balance', permission: 'balance_read' },
  {
    resource: 'Financing Transactions',
    permission: 'capital_for_platforms_financing_transaction_read',
  },
  { resource: 'Payouts', permission: 'payout_read' },
  { resource: 'Transfers', permission: 'transfer_read' },
  // No permission of its own in the reference: it comes only with this one.
  { resource: 'Balance Transfers' },
];

/**
 * A permission that also grants others: listing those beside it is redundant. `grants` is the
 * one list of what it implies; `implies` (the names) and the note are derived from it.
 */
export const implications: Readonly<
  Record<
    string,
    Annotation & {
      readonly grants: readonly ImpliedResource[];
      readonly implies: readonly string[];
    }
  >
> = {
  balance_transaction_source_read: {
    grants: BALANCE_TRANSACTION_SOURCE_GRANTS,
    implies: BALANCE_TRANSACTION_SOURCE_GRANTS.flatMap((grant) =>
      grant.permission === undefined ? [] : [grant.permission],
    ),
    note: `Also grants read access to ${BALANCE_TRANSACTION_SOURCE_GRANTS.map((grant) => grant.resource).join(', ')}.`,
    source: 'Stripe Apps permissions reference, Balance Transaction Sources row',
  },
};

/** Names that were valid once, are gone from the reference, and still appear in real manifests. */
export const retired: Readonly<Record<string, RetiredName>> = {
  elements_write: {
    replacements: [],
    note: 'No longer in the permissions reference, so upload may refuse it.',
    source: "Stripe's 2022 manifest schema lists it; the current reference does not",
  },
  mandate_read: {
    replacements: [],
    note: 'No longer in the permissions reference, so upload may refuse it.',
    source: "Stripe's 2022 manifest schema lists it; the current reference does not",
  },
  mandate_write: {
    replacements: [],
    note: 'No longer in the permissions reference, so upload may refuse it.',
    source: "Stripe's 2022 manifest schema lists it; the current reference does not",
  },
  stripecli_session_write: {
    replacements: [],
    note: 'No longer in the permissions reference, so upload may refuse it.',
    source: "Stripe's 2022 manifest schema lists it; the current reference does not",
  },
};

/** Misspellings in Stripe's own manifest schema, which editors still offer today. */
export const schemaMisspellings: Readonly<Record<string, Annotation & { correct: string }>> = {
  apply_pay_domain_read: {
    correct: 'apple_pay_domain_read',
    note: "A typo in Stripe's manifest schema for apple_pay_domain_read.",
    source: 'stripe-app.schema.json (2022) permission enum',
  },
  apply_pay_domain_write: {
    correct: 'apple_pay_domain_write',
    note: "A typo in Stripe's manifest schema for apple_pay_domain_write.",
    source: 'stripe-app.schema.json (2022) permission enum',
  },
  shpping_rate_write: {
    correct: 'shipping_rate_write',
    note: "A typo in Stripe's manifest schema for shipping_rate_write.",
    source: 'stripe-app.schema.json (2022) permission enum',
  },
};
