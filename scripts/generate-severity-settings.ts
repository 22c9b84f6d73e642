/**
 * Generates the `stripeApps.severity` setting's properties in package.json from the service's
 * diagnostic codes (each rule module declares its codes: default severity and docs).
 *
 *   npm run generate:severity-settings            write package.json
 *   npm run generate:severity-settings -- --check fail when package.json is stale
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { CODE_INFO, DIAGNOSTIC_CODES } from '../server/src/service';

const LEVELS = ['error', 'warning', 'information', 'hint', 'off'] as const;
const LEVEL_DESCRIPTIONS = [
  'Report as an error.',
  'Report as a warning.',
  'Report as information.',
  'Report as a hint (shown faintly, not in the Problems panel).',
  'Do not report.',
];

/** The setting's property for each code, as package.json holds it. */
export function severityProperties(): Record<string, unknown> {
  return Object.fromEntries(
    DIAGNOSTIC_CODES.map((code) => {
      const { severity, docs } = CODE_INFO[code];
      return [
        code,
        {
          type: 'string',
          enum: [...LEVELS],
          enumDescriptions: LEVEL_DESCRIPTIONS,
          default: severity,
          markdownDescription: `\`${code}\`: ${docs} Default: \`${severity}\`.`,
        },
      ];
    }),
  );
}

/** package.json's text with the generated properties (2-space JSON, as npm writes it). */
export function withSeverityProperties(packageText: string): string {
  const manifest = JSON.parse(packageText) as {
    contributes: { configuration: { properties: Record<string, { properties?: unknown }> } };
  };
  const setting = manifest.contributes.configuration.properties['stripeApps.severity'];
  if (!setting) throw new Error('package.json has no stripeApps.severity setting');
  setting.properties = severityProperties();
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

function main(): number {
  const current = readFileSync('package.json', 'utf8');
  const generated = withSeverityProperties(current);
  if (process.argv.includes('--check')) {
    if (generated === current) return 0;
    process.stderr.write(
      'package.json: stripeApps.severity is stale; run `npm run generate:severity-settings`.\n',
    );
    return 1;
  }
  if (generated !== current) writeFileSync('package.json', generated);
  return 0;
}

if (process.argv[1]?.endsWith('generate-severity-settings.ts')) process.exitCode = main();
