import { catalog, type PermissionInfo } from './catalog';

/**
 * Suggested `purpose` texts. The purpose is shown to the account administrator who installs the
 * app, so a suggestion says concretely what the app may do, in Stripe's own words where the
 * reference has them ("Read access lets you list and retrieve customer details." becomes "Allows
 * Acme CRM to list and retrieve customer details."). It is a starting point the developer is
 * expected to sharpen with the reason (the snippets place it in a placeholder).
 */

/** What the app may do, for names whose reference sentence is vague on its own or reads oddly. */
const ACTIONS: Readonly<Record<string, string>> = {
  billing_meter_event_read: 'list the usage events reported against billing meters',
  billing_meter_event_write: 'report usage events to billing meters',
  // "Test" reads like a placeholder to reviewers (and to the placeholder-purpose rule).
  billing_clock_read: 'retrieve the status of billing simulation clocks',
  billing_clock_write: 'create and advance billing simulation clocks',
  promotion_code_read: 'list and retrieve promotion codes',
  capital_for_platforms_financing_transaction_read:
    'list and retrieve Capital financing repayments and disbursements',
  capital_for_platforms_financing_summary_read: 'retrieve Capital financing summaries',
  capital_for_platforms_financing_offer_write: 'manage Capital financing offers',
  confirmation_token_client_read: 'read confirmation tokens created on the client',
  confirmation_token_client_write: 'create confirmation tokens from the client side',
  customer_session_read: 'retrieve customer session details',
  customer_session_write: 'create customer sessions for embedded components',
  token_read: 'retrieve card and bank account token details',
  token_write: 'create card and bank account tokens',
  shipping_rate_read: 'list and retrieve shipping rates',
  issuing_token_read: 'list and retrieve Issuing network tokens',
  issuing_token_write: 'manage the lifecycle of Issuing network tokens',
  issuing_dispute_read: 'list and retrieve Issuing disputes',
  dispute_read: 'list and retrieve payment disputes',
  terminal_configuration_read: 'list and retrieve Terminal configurations',
  terminal_configuration_write: 'create and update Terminal configurations',
  tax_settings_read: 'view tax settings and registrations',
  tax_settings_write: 'update tax settings and registrations',
  product_catalog_import_read: 'view the status of product catalog imports',
  product_catalog_import_write: 'create and manage product catalog imports',
  provisioning_account_request_read: 'view the status of provisioning account requests',
  provisioning_account_request_write: 'create and manage provisioning account requests',
  provisioning_project_read: 'view provisioning project details',
  provisioning_project_write: 'create and manage provisioning projects',
  provisioning_resource_read: 'view provisioning resource details',
  provisioning_resource_write: 'manage provisioning resources',
  recipient_verification_read: 'view the verification status of payment recipients',
  usage_record_read: 'retrieve usage records of metered subscription items',
  usage_record_write: 'create usage records for metered subscription items',
  webhook_read: 'list webhook endpoints and event destinations',
  webhook_write: 'create and manage webhook endpoints and event destinations',
  secret_read: 'retrieve the secrets it has stored',
  secret_write: 'create and update the secrets it stores',
  sku_read: 'list Terminal hardware SKUs and their details',
  sku_write: 'manage Terminal hardware SKU configurations',
  balance_transaction_source_read:
    'read the charges, refunds and transfers behind balance transactions',
  v2_account_card_creator_write: 'manage card creator settings on accounts',
  billing_meter_read: 'list billing meters and view their configurations',
  billing_meter_write: 'create and update billing meters',
  customer_portal_read: 'retrieve customer portal configurations',
  customer_portal_write: 'create and update customer portal settings',
  application_fee_read: 'list and retrieve application fee details',
  capital_for_platforms_financing_offer_read: 'list and retrieve Capital financing offers',
  apple_pay_domain_read: 'list the domains registered for Apple Pay',
  apple_pay_domain_write: 'register and delete Apple Pay domains',
  payment_method_configurations_read: 'list and retrieve payment method configurations',
  payment_method_domain_read: 'list and retrieve payment method domains',
  payment_method_domain_write: 'register payment method domains and validate their status',
  issuing_authorization_read: 'list and retrieve Issuing authorizations',
  issuing_authorization_write: 'approve or decline pending Issuing authorizations',
  issuing_card_read: 'list Issuing cards and view their details',
  issuing_card_write: 'create, update, and deactivate Issuing cards',
  issuing_credit_ledger_read: 'view Issuing credit ledger entries and summaries',
  issuing_credit_ledger_write: 'create Issuing credit ledger adjustments',
  issuing_dispute_write: 'create and submit Issuing disputes',
  issuing_transaction_read: 'list and retrieve Issuing transaction details',
  issuing_transaction_write: 'update Issuing transaction metadata',
  terminal_connection_token_write: 'create Terminal connection tokens',
  terminal_location_read: 'list and retrieve Terminal locations',
  terminal_location_write: 'create, update, and delete Terminal locations',
  terminal_reader_read: 'list Terminal readers and view their status',
  terminal_reader_write: 'register, update, and delete Terminal readers',
  treasury_transaction_read: 'list and retrieve Treasury transaction details',
  tax_calculations_and_transactions_read: 'retrieve tax calculations and transactions',
  tax_calculations_and_transactions_write: 'create tax calculations and record tax transactions',
  tax_enrollment_information_read: 'retrieve tax enrollment details',
  tax_liability_read: 'retrieve tax liability reports and breakdowns',
  report_runs_and_report_types_read: 'list financial report types and retrieve generated reports',
  v2_account_card_creator_read: 'view the card creator configuration of accounts',
};

/** Stripe product and brand words that keep their capital letter in running text. */
const PROPER_WORDS = new Set([
  'Stripe',
  'Apple',
  'Pay',
  'Google',
  'Terminal',
  'Issuing',
  'Treasury',
  'Capital',
  'Radar',
  'Connect',
  'Checkout',
]);

const MAX_APP_NAME = 60;
const MAX_PURPOSE = 280;

/**
 * A specific purpose for a permission: "Allows <app> to <what the permission lets it do>.".
 * Without an app name (or with an unusable one) the app is "this app". Unknown names get a
 * generic sentence built from the name's words.
 */
export function suggestPurpose(permission: string, appName?: string): string {
  const app = usableAppName(appName) ?? 'this app';
  const name = cleanText(permission).trim();
  const info = catalog.get(name) ?? catalogForMisspelling(name);
  const action = info ? catalogAction(info) : genericAction(name);
  // The access alone would only restate the permission (and trip purpose-restates-permission);
  // where the app uses it is true of every Stripe App, whose UI lives in the Dashboard.
  return truncate(
    `Allows ${app} to ${action} when you use it in the Stripe Dashboard.`,
    MAX_PURPOSE,
  );
}

function catalogForMisspelling(name: string): PermissionInfo | undefined {
  const correct = catalog.schemaMisspelling(name)?.correct;
  return correct === undefined ? undefined : catalog.get(correct);
}

function catalogAction(info: PermissionInfo): string {
  const override = ACTIONS[info.name];
  if (override !== undefined) return override;
  const label = info.access === 'read' ? 'Read' : 'Write';
  const clause = new RegExp(`\\b${label} access lets you ([^.]+)\\.`).exec(info.description)?.[1];
  if (clause !== undefined) return clause.trim().replace(/\byour app\b/g, 'it');
  const resource = resourcePhrase(info.resource);
  return info.access === 'read' ? `view ${resource}` : `create and update ${resource}`;
}

/** "Tax Settings, Registrations" → "tax settings and registrations"; brand words keep capitals. */
function resourcePhrase(resource: string): string {
  return resource
    .replace(/\s*,\s*/g, ' and ')
    .split(/\s+/)
    .filter((word) => word !== '')
    .map((word) => (PROPER_WORDS.has(word) ? word : word.toLowerCase()))
    .join(' ');
}

function genericAction(name: string): string {
  const match = /^(.*?)[_\s-]*(read|write)$/i.exec(name);
  const access = match?.[2]?.toLowerCase();
  const stem = match ? (match[1] ?? '') : name;
  const words = stem
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word !== '')
    .slice(0, 8)
    .map((word) => word.toLowerCase());
  if (words.length === 0) return 'access the Stripe data it needs';
  const phrase = truncate(words.join(' '), 80);
  if (access === 'read') return `read ${phrase} data`;
  if (access === 'write') return `create and update ${phrase} data`;
  return `use ${phrase} data`;
}

/** The app's `name` as running text, or undefined when it is empty or a docs placeholder. */
function usableAppName(appName: string | undefined): string | undefined {
  if (appName === undefined) return undefined;
  const name = cleanText(appName).replace(/\s+/g, ' ').trim();
  if (
    name === '' ||
    /[[\]{}<>]/.test(name) ||
    /^(?:todo|tbd|test|your app|app name)$/i.test(name)
  ) {
    return undefined;
  }
  return truncate(name, MAX_APP_NAME);
}

/** A terminal escape sequence (colour codes pasted from a terminal). */
// eslint-disable-next-line no-control-regex
const TERMINAL_ESCAPE = /\u001b\[[0-9;?]*[A-Za-z]/g;
/** Control characters, line/paragraph separators and bidirectional overrides. */
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;

/** Drops control characters, terminal escapes and bidirectional overrides. */
function cleanText(text: string): string {
  return text.replace(TERMINAL_ESCAPE, ' ').replace(INVISIBLE, ' ');
}

function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${space > max / 2 ? cut.slice(0, space) : cut}…`;
}
