/**
 * v2 manifests (`stripe-app.yaml`) for the benchmark: the v1 generator's entries (same seeded
 * names and purposes, the same mix of valid, misspelled and duplicate names) in the app's list
 * `declarations.stripe_api_access.permissions`, written as the Stripe CLI writes YAML (4-space
 * indent, sequences indented under their key), with the `$schema:` line the CLI adds.
 */
import { stringify } from 'yaml';
import { STRIPE_V2_SCHEMA_URL } from './yamlLanguageServer';
import { generateManifest, type GeneratedManifest } from './generate';

export function generateV2Manifest(entries: number): GeneratedManifest {
  const v1 = generateManifest(entries);
  const parsed = JSON.parse(v1.text) as {
    id: string;
    name: string;
    version: string;
    permissions: unknown[];
  };
  const v2 = {
    $schema: STRIPE_V2_SCHEMA_URL,
    id: parsed.id,
    name: parsed.name,
    version: parsed.version,
    icon: './assets/icon.png',
    declarations: {
      distribution_type: 'private',
      stripe_api_access: { permissions: parsed.permissions },
    },
    ui_extension: {
      views: [{ viewport: 'stripe.dashboard.customer.detail', component: 'App' }],
    },
    extensions: [],
  };
  const text = stringify(v2, { indent: 4, indentSeq: true, lineWidth: 0 });
  return { ...v1, text, bytes: Buffer.byteLength(text) };
}
