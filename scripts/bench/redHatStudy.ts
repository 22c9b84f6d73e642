/**
 * `npx tsx scripts/bench/redHatStudy.ts`: what Red Hat's YAML extension shows on the real v2
 * manifests (../shared/corpus/v2), whose `$schema:` line names Stripe's v2 schema URL. Two
 * cases, since the URL cannot be fetched from here: Stripe serves its v2 schema there
 * (../shared/anchors/stripe-app-v2.schema.json), or the fetch fails. The README's section on Red
 * Hat's YAML extension quotes this output; test/unit/redHatYaml.test.ts holds it.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { messageText, redHatYaml, STRIPE_V2_SCHEMA_URL } from './yamlLanguageServer';

const shared = join(__dirname, '..', '..', '..', 'shared');
export const V2_SCHEMA_PATH = join(shared, 'anchors', 'stripe-app-v2.schema.json');
export const V2_CORPUS = join(shared, 'corpus', 'v2');

export interface Finding {
  file: string;
  /** 1-based, as the editor shows it. */
  line: number;
  severity: 'error' | 'warning' | 'information' | 'hint';
  message: string;
}

const SEVERITY: Record<number, Finding['severity']> = {
  1: 'error',
  2: 'warning',
  3: 'information',
  4: 'hint',
};

/** Red Hat's findings on each corpus file, when the URL serves the v2 schema or fails. */
export async function redHatFindings(served: boolean): Promise<Finding[]> {
  const schema = readFileSync(V2_SCHEMA_PATH, 'utf8');
  const service = await redHatYaml((url) =>
    served && url === STRIPE_V2_SCHEMA_URL
      ? schema
      : new Error(`Request failed with status code 404 (${url})`),
  );
  const findings: Finding[] = [];
  const files = readdirSync(V2_CORPUS)
    .filter((name) => name.endsWith('.yaml'))
    .sort();
  for (const file of files) {
    const text = readFileSync(join(V2_CORPUS, file), 'utf8');
    const document = TextDocument.create(`file:///apps/${file}/stripe-app.yaml`, 'yaml', 1, text);
    const diagnostics = await service.validate(document);
    for (const diagnostic of diagnostics.sort((a, b) => a.range.start.line - b.range.start.line)) {
      findings.push({
        file,
        line: diagnostic.range.start.line + 1,
        severity: SEVERITY[diagnostic.severity ?? 1] ?? 'error',
        message: messageText(diagnostic),
      });
    }
  }
  return findings;
}

async function main(): Promise<void> {
  for (const served of [true, false]) {
    process.stdout.write(
      `\n${served ? 'The URL serves Stripe v2 schema' : 'The URL cannot be fetched'}:\n\n| file | line | severity | message |\n| --- | ---: | --- | --- |\n`,
    );
    for (const { file, line, severity, message } of await redHatFindings(served)) {
      process.stdout.write(`| ${file} | ${line} | ${severity} | ${message} |\n`);
    }
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(
      `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 1;
  });
}
