/**
 * Generates server/src/catalog/api-permissions.json: every method of the pinned `stripe` packages
 * (accessor path + HTTP verb + URL path) with the catalog permissions it needs.
 *
 *   npm run generate-api-permissions            write the file
 *   npm run generate-api-permissions -- --check fail when the committed file is stale
 *
 * Also server/src/catalog/api-objects.json: what each method returns, the expandable fields of
 * each API object (`latest_invoice` → invoice) and the permission that reads each object.
 *
 * Mapping: the longest URL path prefix (segment by segment, placeholders match any value) names a
 * row of the permissions reference; GET needs the row's `_read` names, POST and DELETE its
 * `_write` names. Prefixes come from the rows' API docs links (`/api/customers` → `/v1/customers`)
 * and from the hand-written table below, each entry with its source. A method that no prefix
 * places fails the generator, so a `stripe` upgrade cannot drop coverage silently.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import catalogJson from '../server/src/catalog/catalog.json';
import { readObjectTypes, type MethodResult } from './stripeObjects';
import {
  readStripePackage,
  type HttpVerb,
  type PackageReader,
  type StripeMethod,
  type StripePackageMethods,
} from './stripeMethods';

export const catalogDir = join(__dirname, '..', 'server', 'src', 'catalog');
export const API_PERMISSIONS_FILE = 'api-permissions.json';
export const API_OBJECTS_FILE = 'api-objects.json';

/**
 * The packages read, newest first. The newest is what new apps install; 13.11 is what most real
 * apps pin (../shared/corpus/apps: 5 of 14 apps with a stripe dependency), and it still has
 * methods later versions removed (invoices.retrieveUpcoming, usage records, …).
 */
export const STRIPE_PACKAGES = ['stripe', 'stripe-13'] as const;

interface CatalogRowLike {
  product: string;
  resource: string;
  docsUrl?: string;
  permissions: string[];
}

export interface PrefixRule {
  /** A catalog row's resource name, or undefined when no app permission covers the API. */
  resource?: string;
  note: string;
  /** Names that also satisfy a read of this prefix, documented for this API only. */
  readAlsoSatisfiedBy?: string[];
}

const NO_ROW = 'No row of the Stripe Apps permissions reference covers this API.';
const TEST_HELPERS =
  'Test helpers simulate events in test mode; the permissions reference lists none of them.';

/** Hand-written prefixes; they win over the prefixes derived from docs links. */
export const PREFIX_RULES: Readonly<Record<string, PrefixRule>> = {
  '/v1/refunds': {
    resource: 'Charges and Refunds',
    note: 'The reference has no refund_* names: its "Charges and Refunds" row grants charge_read/charge_write.',
  },
  '/v1/prices': {
    resource: 'Prices',
    note: 'The reference\'s "Prices" row grants plan_read/plan_write; there is no price_* name (stripe/stripe-apps #405).',
  },
  '/v1/plans': {
    resource: 'Prices',
    note: 'Plans are the older form of prices; the "Prices" row grants plan_read/plan_write.',
  },
  '/v1/apps/secrets': {
    resource: 'Secrets',
    note: "Reads (find, list) take secret_read or secret_write: the reference's read access retrieves secrets, and Stripe's secret-store guide grants only secret_write before its find and list examples, as real apps do.",
    readAlsoSatisfiedBy: ['secret_write'],
  },
  '/v1/webhook_endpoints': {
    resource: 'Webhook Endpoints, Event Destinations',
    note: 'webhook_write is restricted: upload refuses it unless Stripe enabled it for the app.',
  },
  '/v2/core/event_destinations': {
    resource: 'Webhook Endpoints, Event Destinations',
    note: 'The reference row is "Webhook Endpoints, Event Destinations"; webhook_write is restricted.',
  },
  '/v1/billing/meters': { resource: 'Billing Meters', note: 'Docs link api/billing/meter.' },
  '/v1/billing/meter_events': {
    resource: 'Billing Meter Events',
    note: 'Docs link api/billing/meter-event.',
  },
  '/v1/billing/meter_event_adjustments': {
    resource: 'Billing Meter Events',
    note: 'Inference: adjustments correct meter events.',
  },
  '/v2/billing/meter_events': {
    resource: 'Billing Meter Events',
    note: 'Inference: the v2 endpoint of meter events.',
  },
  '/v2/billing/meter_event_adjustments': {
    resource: 'Billing Meter Events',
    note: 'Inference: the v2 endpoint of meter event adjustments.',
  },
  '/v2/billing/meter_event_session': {
    resource: 'Billing Meter Events',
    note: 'Inference: the session authenticates the v2 meter event stream.',
  },
  '/v2/billing/meter_event_stream': {
    resource: 'Billing Meter Events',
    note: 'Inference: the v2 high-throughput meter events endpoint.',
  },
  '/v1/billing_portal/configurations': {
    resource: 'Customer Portal',
    note: 'Docs link api/customer_portal/configurations.',
  },
  '/v1/billing_portal/sessions': {
    resource: 'Customer Portal',
    note: 'Inference: portal sessions belong to the Customer Portal row.',
  },
  '/v1/entitlements': { resource: 'Entitlements', note: 'Docs link billing/entitlements.' },
  '/v1/test_helpers/test_clocks': {
    resource: 'Test Clocks',
    note: 'Docs link billing/testing/test-clocks.',
  },
  '/v1/subscription_items': {
    resource: 'Subscriptions',
    note: 'Inference: subscription items are parts of a subscription (the "Usage Records" row links to api/subscription_items only for its usage records).',
  },
  '/v1/subscription_items/{}/usage_records': {
    resource: 'Usage Records',
    note: 'Usage records (removed in API version 2025-03-31).',
  },
  '/v1/subscription_items/{}/usage_record_summaries': {
    resource: 'Usage Records',
    note: 'Usage record summaries (removed in API version 2025-03-31).',
  },
  '/v1/subscription_schedules': {
    resource: 'Subscriptions',
    note: 'Inference: schedules create and change subscriptions.',
  },
  '/v1/invoiceitems': { resource: 'Invoices', note: 'Inference: invoice items are invoice lines.' },
  '/v1/invoice_payments': {
    resource: 'Invoices',
    note: 'Inference: the payments of an invoice.',
  },
  '/v1/invoice_rendering_templates': {
    resource: 'Invoices',
    note: 'Inference: templates for rendering invoices.',
  },
  '/v1/account': {
    resource: 'Accounts',
    note: 'Inference: the account itself, as accounts.retrieve() without an id asks for it.',
  },
  '/v1/account_links': { resource: 'Account Links', note: 'Docs link api/account_links.' },
  '/v1/accounts/{}/login_links': {
    resource: 'Login Links',
    note: 'Docs link api/accounts/login_link.',
  },
  '/v1/apple_pay/domains': {
    resource: 'Apple Pay Domains',
    note: 'The row links to the payment method domain registration guide.',
  },
  '/v1/payment_method_domains': {
    resource: 'Payment Method Domains',
    note: 'The row links to the payment method domain registration guide.',
  },
  '/v1/payment_links': { resource: 'Payment Links', note: 'Docs link payment-links.' },
  '/v1/payment_records': { resource: 'Payment Records', note: 'Docs link api/payment-record.' },
  '/v1/payment_attempt_records': {
    resource: 'Payment Records',
    note: 'Inference: attempts of a payment record.',
  },
  '/v1/confirmation_tokens': {
    resource: 'Confirmation Tokens',
    note: 'Two rows link to api/confirmation_tokens; the server API retrieves them with confirmation_token_read ("Client Confirmation Tokens" is for the client side).',
  },
  '/v1/reviews': { resource: 'Reviews', note: 'Docs link api/radar/reviews.' },
  '/v1/reporting': {
    resource: 'Financial Reports',
    note: 'The row covers report runs and report types (report_runs_and_report_types_read).',
  },
  '/v1/tax/calculations': {
    resource: 'Tax Calculations, Transactions',
    note: 'The row names calculations and transactions.',
  },
  '/v1/tax/settings': {
    resource: 'Tax Settings, Registrations',
    note: 'The row names settings and registrations.',
  },
  '/v1/tax/registrations': {
    resource: 'Tax Settings, Registrations',
    note: 'The row names settings and registrations.',
  },
  '/v1/terminal/configurations': {
    resource: 'Terminal Configurations',
    note: 'Docs link api/terminal/configuration.',
  },
  '/v1/treasury/transaction_entries': {
    resource: 'Treasury Transactions',
    note: 'Inference: the entries of treasury transactions.',
  },
  '/v1/issuing/tokens': {
    resource: 'Issuing Tokens',
    note: 'Two rows link to api/issuing/tokens; "Issuing Token Network Data" is a read of extra fields only.',
  },
  '/v1/topups': { resource: 'Top-Ups', note: 'Docs link api/topups.' },
  '/v1/file_links': { resource: 'Files', note: 'Inference: links to files.' },
  '/v1/setup_attempts': {
    resource: 'Setup Intents',
    note: 'Inference: the attempts of a setup intent.',
  },
  '/v2/commerce/product_catalog/imports': {
    resource: 'Product Catalog Imports',
    note: 'The row has no docs link; the name matches.',
  },
  '/v2/money_management/recipient_verifications': {
    resource: 'Money Management Recipient Verifications',
    note: 'The row has no docs link; the name matches.',
  },
  '/oauth': {
    note: "Connect OAuth runs on a platform's server with its secret key; an app's UI extension cannot call it.",
  },
  '/v1/test_helpers': { note: TEST_HELPERS },
  '/v2/test_helpers': { note: TEST_HELPERS },
  '/v2/money_management/test_helpers': { note: TEST_HELPERS },
  '/v1/account_sessions': { note: NO_ROW },
  '/v1/balance_settings': { note: NO_ROW },
  '/v1/billing': { note: NO_ROW },
  '/v1/climate': { note: NO_ROW },
  '/v1/country_specs': { note: NO_ROW },
  '/v1/ephemeral_keys': { note: NO_ROW },
  '/v1/exchange_rates': { note: NO_ROW },
  '/v1/financial_connections': { note: NO_ROW },
  '/v1/forwarding': { note: NO_ROW },
  '/v1/identity': { note: NO_ROW },
  '/v1/issuing': { note: NO_ROW },
  '/v1/mandates': { note: 'mandate_read/mandate_write are no longer in the reference.' },
  '/v1/product_catalog': { note: NO_ROW },
  '/v1/radar': { note: NO_ROW },
  '/v1/sigma': { note: NO_ROW },
  '/v1/tax': { note: NO_ROW },
  '/v1/tax_codes': { note: NO_ROW },
  '/v1/tax_ids': { note: NO_ROW },
  '/v1/terminal': { note: NO_ROW },
  '/v1/three_d_secure': { note: NO_ROW },
  '/v1/treasury': { note: NO_ROW },
  '/v1/apps/installs': { note: NO_ROW },
  '/v2': { note: NO_ROW },
};

const DOCS_API = 'https://docs.stripe.com/api/';

/** `/v1/customers/{customer}/sources` → `/v1/customers/{}/sources` */
export function normalizePath(path: string): string {
  return path.replace(/\{[^}]*\}/g, '{}');
}

function segmentPrefix(prefix: string, path: string): boolean {
  return path === prefix || path.startsWith(`${prefix}/`);
}

/** Prefix → rule: the docs-link prefixes that some method path has, then the hand-written ones. */
export function prefixRules(
  rows: readonly CatalogRowLike[],
  paths: readonly string[],
): Map<string, PrefixRule> {
  const derived = new Map<string, string[]>();
  for (const row of rows) {
    if (!row.docsUrl?.startsWith(DOCS_API)) continue;
    const prefix = `/v1/${row.docsUrl.slice(DOCS_API.length)}`;
    if (!paths.some((path) => segmentPrefix(prefix, path))) continue;
    derived.set(prefix, [...(derived.get(prefix) ?? []), row.resource]);
  }
  const rules = new Map<string, PrefixRule>();
  for (const [prefix, resources] of derived) {
    // Two rows linking to one page name no single row: a hand-written rule must decide.
    if (resources.length === 1) {
      rules.set(prefix, { resource: resources[0], note: `Docs link api/${prefix.slice(4)}.` });
    }
  }
  for (const [prefix, rule] of Object.entries(PREFIX_RULES)) rules.set(prefix, rule);
  return rules;
}

export type MethodStatus = 'permission' | 'no-app-permission' | 'no-permission-for-verb';

export interface ApiMethodEntry {
  accessor: string;
  verb: HttpVerb;
  path: string;
  alternatePaths?: string[];
  access: 'read' | 'write';
  status: MethodStatus;
  /** Any one of these satisfies the call; empty unless status is "permission". */
  permissions: string[];
  /** The catalog row (its resource name), when one covers the API. */
  resource?: string;
  /** The prefix that placed the method. */
  rule: string;
  note: string;
  /** Versions of the packages read that declare the method. */
  stripeVersions: string[];
}

export interface ApiPermissionsTable {
  source: { packages: { name: string; version: string; form: string; methods: number }[] };
  counts: Record<MethodStatus, number> & { methods: number };
  aliases: Record<string, string>;
  methods: ApiMethodEntry[];
}

function longestRule(
  rules: Map<string, PrefixRule>,
  path: string,
): [string, PrefixRule] | undefined {
  const normalized = normalizePath(path);
  let best: [string, PrefixRule] | undefined;
  for (const [prefix, rule] of rules) {
    if (segmentPrefix(prefix, normalized) && (!best || prefix.length > best[0].length)) {
      best = [prefix, rule];
    }
  }
  return best;
}

function place(
  method: StripeMethod,
  rules: Map<string, PrefixRule>,
  rows: ReadonlyMap<string, CatalogRowLike>,
): Omit<ApiMethodEntry, 'stripeVersions'> {
  const access = method.verb === 'GET' ? 'read' : 'write';
  const entries = [method.path, ...(method.alternatePaths ?? [])].map((path) => {
    const found = longestRule(rules, path);
    if (!found) {
      throw new Error(
        `${method.accessor} ${method.verb} ${path}: no prefix places it; add it to PREFIX_RULES in scripts/generate-api-permissions.ts`,
      );
    }
    return found;
  });
  const [first] = entries;
  if (!first) throw new Error(`${method.accessor} has no path`);
  const [prefix, rule] = first;
  if (entries.some(([, other]) => other.resource !== rule.resource)) {
    throw new Error(`${method.accessor}: its paths belong to different rows`);
  }
  const base = {
    accessor: method.accessor,
    verb: method.verb,
    path: method.path,
    ...(method.alternatePaths ? { alternatePaths: method.alternatePaths } : {}),
    access,
  } as const;
  if (rule.resource === undefined) {
    return { ...base, status: 'no-app-permission', permissions: [], rule: prefix, note: rule.note };
  }
  const row = rows.get(rule.resource);
  if (!row) throw new Error(`PREFIX_RULES names "${rule.resource}", which is not a catalog row`);
  const permissions = row.permissions.filter((name) => name.endsWith(`_${access}`));
  if (access === 'read') permissions.push(...(rule.readAlsoSatisfiedBy ?? []));
  return {
    ...base,
    status: permissions.length > 0 ? 'permission' : 'no-permission-for-verb',
    permissions,
    resource: row.resource,
    rule: prefix,
    note:
      permissions.length > 0
        ? rule.note
        : `The "${row.resource}" row has no ${access} permission. ${rule.note}`,
  };
}

export function generateApiPermissions(
  packages: readonly StripePackageMethods[],
  rows: readonly CatalogRowLike[] = catalogJson.rows,
  names: readonly string[] = STRIPE_PACKAGES,
  requireEveryRule = true,
): ApiPermissionsTable {
  const allPaths = packages.flatMap((pkg) =>
    pkg.methods.flatMap((method) => [method.path, ...(method.alternatePaths ?? [])]),
  );
  const rules = prefixRules(rows, allPaths.map(normalizePath));
  const rowsByResource = new Map(rows.map((row) => [row.resource, row]));
  const entries = new Map<string, ApiMethodEntry>();
  for (const pkg of packages) {
    for (const method of pkg.methods) {
      const existing = entries.get(method.accessor);
      if (existing) {
        existing.stripeVersions.push(pkg.version);
        // The stripeMethod form keeps the API's own placeholder names ({customer}, not {id}).
        if (
          pkg.form === 'stripeMethod' &&
          existing.verb === method.verb &&
          normalizePath(existing.path) === normalizePath(method.path)
        ) {
          existing.path = method.path;
        }
        continue;
      }
      entries.set(method.accessor, {
        ...place(method, rules, rowsByResource),
        stripeVersions: [pkg.version],
      });
    }
  }
  const methods = [...entries.values()].sort((a, b) => a.accessor.localeCompare(b.accessor));
  // A hand-written prefix that places nothing is stale: the API moved, or the rule has a typo.
  const used = new Set(methods.map((method) => method.rule));
  const unused = Object.keys(PREFIX_RULES).filter((prefix) => !used.has(prefix));
  if (requireEveryRule && unused.length > 0) {
    throw new Error(`PREFIX_RULES entries that place no method: ${unused.join(', ')}`);
  }
  const count = (status: MethodStatus): number =>
    methods.filter((method) => method.status === status).length;
  return {
    source: {
      packages: packages.map((pkg, index) => ({
        name: names[index] ?? 'stripe',
        version: pkg.version,
        form: pkg.form,
        methods: pkg.methods.length,
      })),
    },
    counts: {
      methods: methods.length,
      permission: count('permission'),
      'no-app-permission': count('no-app-permission'),
      'no-permission-for-verb': count('no-permission-for-verb'),
    },
    aliases: Object.assign({}, ...packages.map((pkg) => pkg.aliases)) as Record<string, string>,
    methods,
  };
}

export interface ApiObject {
  /** Any one of these reads the object: those of the GET method that returns it alone. */
  permissions: string[];
  /** The method the permissions come from; absent when no GET method returns the object alone. */
  retrievedBy?: string;
  /** Expandable field path → the object types it expands to. */
  expandable: Record<string, string[]>;
}

export interface ApiObjectsTable {
  source: { name: string; version: string };
  /** accessor → the object types it returns (list: a page, expand paths start with `data.`). */
  returns: Record<string, MethodResult>;
  objects: Record<string, ApiObject>;
}

/**
 * Object types → the permission that reads them, from the method table: the `retrieve` method
 * that returns exactly that object, else another GET method returning exactly it.
 */
export function generateApiObjects(
  table: ApiPermissionsTable,
  types: {
    returns: Record<string, MethodResult>;
    expandable: Record<string, Record<string, string[]>>;
  },
  source: { name: string; version: string },
): ApiObjectsTable {
  const names = new Set<string>([
    ...Object.values(types.returns).flatMap((result) => result.objects),
    ...Object.keys(types.expandable),
    ...Object.values(types.expandable).flatMap((fields) => Object.values(fields).flat()),
  ]);
  const byAccessor = new Map(table.methods.map((method) => [method.accessor, method]));
  const readers = new Map<string, ApiMethodEntry>();
  for (const [accessor, result] of Object.entries(types.returns)) {
    const method = byAccessor.get(accessor);
    const [only] = result.objects;
    if (!method || method.verb !== 'GET' || result.list || result.objects.length !== 1 || !only) {
      continue;
    }
    const current = readers.get(only);
    const isRetrieve = (entry: ApiMethodEntry): boolean => entry.accessor.endsWith('.retrieve');
    if (!current || (isRetrieve(method) && !isRetrieve(current))) readers.set(only, method);
  }
  const objects: Record<string, ApiObject> = {};
  for (const name of [...names].sort()) {
    const reader = readers.get(name);
    objects[name] = {
      permissions: reader?.permissions ?? [],
      ...(reader ? { retrievedBy: reader.accessor } : {}),
      expandable: types.expandable[name] ?? {},
    };
  }
  return { source, returns: types.returns, objects };
}

export function packageReader(root: string): PackageReader {
  return (relativePath) => {
    try {
      return readFileSync(join(root, relativePath), 'utf8');
    } catch {
      return undefined;
    }
  };
}

/** The generated files by name. Reading the types takes seconds (a TypeScript program). */
export function renderApiTables(): Record<string, string> {
  const roots = STRIPE_PACKAGES.map((name) => join(__dirname, '..', 'node_modules', name));
  const packages = roots.map((root) => readStripePackage(packageReader(root)));
  const table = generateApiPermissions(packages);
  // Object types come from the newest package, whose form ships one .d.ts per resource.
  const [newest] = packages;
  const [newestRoot] = roots;
  if (!newest || !newestRoot) throw new Error('no stripe package to read');
  const objects = generateApiObjects(table, readObjectTypes(newestRoot, newest.methods), {
    name: STRIPE_PACKAGES[0],
    version: newest.version,
  });
  return {
    [API_PERMISSIONS_FILE]: JSON.stringify(table, null, 2) + '\n',
    [API_OBJECTS_FILE]: JSON.stringify(objects, null, 2) + '\n',
  };
}

function main(): void {
  for (const [file, text] of Object.entries(renderApiTables())) {
    const path = join(catalogDir, file);
    if (process.argv.includes('--check')) {
      let current = '';
      try {
        current = readFileSync(path, 'utf8');
      } catch {
        // A missing file is stale.
      }
      if (current !== text) {
        console.error(`${path} is stale: run npm run generate-api-permissions`);
        process.exitCode = 1;
      }
      continue;
    }
    writeFileSync(path, text);
    console.log(`wrote ${path}`);
  }
}

if (require.main === module) main();
