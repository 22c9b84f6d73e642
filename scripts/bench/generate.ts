/**
 * Deterministic (seeded) Stripe Apps manifests for the benchmark: realistic purposes and a mix of
 * valid, misspelled and duplicate permission names, formatted as the Stripe CLI writes them.
 *
 * Every manifest ends with the same three entries, which the benchmark aims at:
 *   1. a misspelled name (`customers_read`): the line of the code-actions measurement;
 *   2. `dispute_write`, granted only there: the name the revoke measurement removes;
 *   3. `customer_read`: the completion and hover position (the last permission value).
 * `payout_write` is never granted: the name the grant measurement adds.
 */
import { catalog, type PermissionInfo } from '../../server/src/service/catalog';
import { seededRandom as rng } from '../../test/support/seededRandom';

export const GRANT_NAME = 'payout_write';
export const REVOKE_NAME = 'dispute_write';
export const MISSPELLED_TAIL_NAME = 'customers_read';
export const LAST_NAME = 'customer_read';
const RESERVED = new Set([GRANT_NAME, REVOKE_NAME]);

/** The share of each kind among the generated entries (before the fixed tail). */
export const MIX = { valid: 0.75, misspelled: 0.12, duplicate: 0.13 } as const;

export interface GeneratedManifest {
  /** `10`, `100`, …, or `5 MB`. */
  readonly label: string;
  readonly entries: number;
  readonly text: string;
  readonly bytes: number;
  /** How many entries of each kind were generated (the fixed tail counted too). */
  readonly kinds: { valid: number; misspelled: number; duplicate: number };
}

function pick<T>(random: () => number, items: readonly T[]): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

/** Mistakes seen in real manifests (see shared/docs/domain.md). */
const INVENTED = [
  'refund_read',
  'webhook_endpoint_write',
  'account_read',
  'billing_portal_write',
  'payment_record_read',
  'billing_meter_events_read',
  'subscriptions_read',
];
const EVENT_TYPES = ['customer.created', 'invoice.paid', 'account.application.authorized'];
const COMMA_PAIRS = ['coupon_read, coupon_write', 'charge_read,refund_read'];

const READ_TEMPLATES = [
  'Reads {r} to show them in the {app} dashboard drawer beside each payment.',
  'Lists {r} so {app} can sync them to your accounting system every night.',
  "Shows {r} next to the customer's payments so your support team can answer faster.",
  'Exports {r} to your data warehouse for monthly revenue reporting.',
  'Watches {r} to alert your team in Slack when something changes.',
  'Looks up {r} to match them with the records in your CRM.',
  'Lecture des {r} pour le suivi du revenu dans {app}.',
];
const WRITE_TEMPLATES = [
  'Creates {r} when you confirm the action in the {app} drawer.',
  'Updates {r} to keep them in step with the plans in your CRM.',
  'Creates and cancels {r} on your behalf, only after you approve each change.',
  'Writes {r} that {app} prepares from your invoices, after you review them.',
];
const BAD_PURPOSES = ['TODO', 'test', 'EXPLANATION', 'n/a'];

function misspell(random: () => number, valid: readonly PermissionInfo[]): string {
  const kind = random();
  if (kind < 0.15) return pick(random, INVENTED);
  if (kind < 0.22) return pick(random, EVENT_TYPES);
  if (kind < 0.27) return pick(random, COMMA_PAIRS);
  for (;;) {
    const name = pick(random, valid).name;
    const mutation = random();
    let wrong: string;
    if (mutation < 0.4) {
      wrong = name.replace(/_(read|write)$/, 's_$1');
    } else {
      const at = 1 + Math.floor(random() * (name.length - 3));
      wrong =
        mutation < 0.7
          ? name.slice(0, at) + (name[at + 1] ?? '') + (name[at] ?? '') + name.slice(at + 2)
          : name.slice(0, at) + name.slice(at + 1);
    }
    if (wrong !== name && !catalog.has(wrong)) return wrong;
  }
}

function purposeFor(
  random: () => number,
  info: PermissionInfo | undefined,
  previous: readonly string[],
): string {
  const roll = random();
  if (roll < 0.03) return pick(random, BAD_PURPOSES);
  if (roll < 0.06 && info) return `${info.resource} ${info.access}`;
  if (roll < 0.1 && previous.length > 0) return pick(random, previous);
  const resource = (info?.resource ?? 'customer records').toLowerCase();
  const templates = info?.access === 'write' ? WRITE_TEMPLATES : READ_TEMPLATES;
  return pick(random, templates).replaceAll('{r}', resource).replaceAll('{app}', 'Meridian');
}

function entryText(permission: string, purpose: string): string {
  return `    {\n      "permission": ${JSON.stringify(permission)},\n      "purpose": ${JSON.stringify(purpose)}\n    }`;
}

/** A manifest of `entries` permission entries (at least 3: the fixed tail). */
export function generateManifest(
  entries: number,
  seed = 20_251_126,
  label = String(entries),
): GeneratedManifest {
  const random = rng(seed ^ entries);
  const valid = catalog.permissions.filter((info) => !RESERVED.has(info.name));
  const names: string[] = [];
  const purposes: string[] = [];
  const parts: string[] = [];
  const kinds = { valid: 0, misspelled: 0, duplicate: 0 };
  const body = Math.max(0, entries - 3);
  for (let i = 0; i < body; i++) {
    const roll = random();
    let name: string;
    if (roll < MIX.valid || names.length === 0) {
      name = pick(random, valid).name;
      kinds.valid++;
    } else if (roll < MIX.valid + MIX.misspelled) {
      name = misspell(random, valid);
      kinds.misspelled++;
    } else {
      name = pick(random, names);
      kinds.duplicate++;
    }
    const purpose = purposeFor(random, catalog.get(name), purposes);
    names.push(name);
    purposes.push(purpose);
    parts.push(entryText(name, purpose));
  }
  parts.push(
    entryText(MISSPELLED_TAIL_NAME, "Shows the customer's name and email beside each dispute."),
    entryText(REVOKE_NAME, 'Submits the evidence you approve in response to each dispute.'),
    entryText(LAST_NAME, 'Looks up the customer of each payment to show their lifetime value.'),
  );
  kinds.misspelled++;
  kinds.valid += 2;
  const text = `{
  "id": "com.meridian.revenue",
  "version": "1.4.2",
  "name": "Meridian",
  "icon": "./icon.png",
  "permissions": [
${parts.join(',\n')}
  ],
  "ui_extension": {
    "views": [
      { "viewport": "stripe.dashboard.customer.detail", "component": "CustomerView" },
      { "viewport": "stripe.dashboard.home.overview", "component": "Overview" }
    ],
    "content_security_policy": { "connect-src": ["https://api.meridian.example/"] }
  },
  "distribution_type": "public"
}
`;
  return { label, entries: body + 3, text, bytes: Buffer.byteLength(text), kinds };
}

/** A manifest of at least `bytes` bytes (the smallest entry count that reaches it). */
export function generateManifestOfSize(
  bytes: number,
  label: string,
  seed = 20_251_126,
): GeneratedManifest {
  const sample = generateManifest(1000, seed);
  let entries = Math.ceil((bytes / sample.bytes) * 1000);
  for (;;) {
    const manifest = generateManifest(entries, seed, label);
    if (manifest.bytes >= bytes) return manifest;
    entries = Math.ceil(entries * 1.01) + 1;
  }
}
