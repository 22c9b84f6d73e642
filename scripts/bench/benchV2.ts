/**
 * `npm run bench -- --v2`: v2 manifests (`stripe-app.yaml`, 10 to 10 000 entries). Our parse +
 * diagnostics against the `yaml` package's own `parseDocument` of the same text (the floor every
 * YAML tool pays), and against Red Hat's yaml-language-server validating with Stripe's v2 schema
 * (what a user of the YAML extension runs on the same file). Interleaved runs, fresh document
 * versions, as bench.ts. See "Benchmark" in README.md.
 *
 * Flags: --quick, --out=PATH (default bench/results-v2.json).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, platform, release } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { LineCounter, parseDocument } from 'yaml';
import { createManifestLanguageService } from '../../server/src/service/languageService';
import { generateV2Manifest } from './generateV2';
import { measure, type MeasureOptions, type Stats } from './measure';
import { redHatYaml, STRIPE_V2_SCHEMA_URL } from './yamlLanguageServer';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const outPath = resolve(
  args.find((arg) => arg.startsWith('--out='))?.slice(6) ?? 'bench/results-v2.json',
);
const schemaPath = resolve(
  process.env.STRIPE_APP_V2_SCHEMA ??
    join(process.cwd(), '..', 'shared', 'anchors', 'stripe-app-v2.schema.json'),
);
const BUDGET: MeasureOptions = quick
  ? { budgetMs: 300, minRuns: 5, warmupRuns: 2 }
  : { budgetMs: 2500, minRuns: 20, warmupRuns: 5 };
const SIZES = [10, 100, 1000, 10_000];
const URI = 'file:///bench/app/stripe-app.yaml';

type Side = 'ours' | 'oursParseOnly' | 'parseDocument' | 'yamlLanguageServer';

interface SizeRow {
  entries: number;
  bytes: number;
  stats: Record<Side, Stats>;
  /** What each side returned on its first run, to show it did the work. */
  check: Record<Side, string>;
}

async function main(): Promise<void> {
  const schema = readFileSync(schemaPath, 'utf8');
  // The file's `$schema:` line makes the extension load Stripe's URL: answered with the v2
  // schema, as if Stripe served it there (offline; the fetch is cached after the first run).
  const theirs = await redHatYaml((url) =>
    url === STRIPE_V2_SCHEMA_URL ? schema : new Error(`no schema at ${url}`),
  );
  const ours = createManifestLanguageService();
  let version = 1;
  const rows: SizeRow[] = [];
  for (const entries of SIZES) {
    const { text, bytes } = generateV2Manifest(entries);
    process.stderr.write(`${entries} entries, ${(bytes / 1024).toFixed(0)} KB\n`);
    const fresh = (): TextDocument => TextDocument.create(URI, 'yaml', version++, text);
    const contenders = {
      ours: () => {
        const document = fresh();
        return ours.doValidation(document, ours.parseManifest(document));
      },
      // Our model alone (the YAML adapter's parse and spans), where the diagnostics start from.
      oursParseOnly: () => ours.parseManifest(fresh()),
      // The parse alone, with the line table positions need.
      parseDocument: () => parseDocument(text, { lineCounter: new LineCounter() }),
      yamlLanguageServer: () => theirs.validate(fresh()),
    };
    const first = {
      ours: contenders.ours().length,
      oursParseOnly: contenders.oursParseOnly().entries.length,
      parseDocument: contenders.parseDocument().errors.length,
      yamlLanguageServer: (await contenders.yamlLanguageServer()).length,
    };
    const stats = (await measure(contenders, BUDGET)) as Record<Side, Stats>;
    rows.push({
      entries,
      bytes,
      stats,
      check: {
        ours: `${first.ours} diagnostics`,
        oursParseOnly: `${first.oursParseOnly} entries`,
        parseDocument: `${first.parseDocument} errors`,
        yamlLanguageServer: `${first.yamlLanguageServer} diagnostics`,
      },
    });
  }

  const ms = (value: number): string => (value < 10 ? value.toFixed(3) : value.toFixed(1));
  const table = [
    '| entries | KB | ours: parse + diagnostics (median / p95 ms) | ours: model only | `yaml` parseDocument | ratio to parseDocument (≤ 2×) | yaml-language-server + Stripe v2 schema | ours faster? |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | :---: |',
    ...rows.map(({ entries, bytes, stats, check }) => {
      const ratio = stats.ours.median / stats.parseDocument.median;
      const faster = stats.ours.median < stats.yamlLanguageServer.median;
      return `| ${entries} | ${(bytes / 1024).toFixed(0)} | ${ms(stats.ours.median)} / ${ms(stats.ours.p95)} (${check.ours}) | ${ms(stats.oursParseOnly.median)} / ${ms(stats.oursParseOnly.p95)} | ${ms(stats.parseDocument.median)} / ${ms(stats.parseDocument.p95)} | ${ratio.toFixed(2)}× ${ratio <= 2 ? 'pass' : 'FAIL'} | ${ms(stats.yamlLanguageServer.median)} / ${ms(stats.yamlLanguageServer.p95)} (${check.yamlLanguageServer}) | ${faster ? `yes, ${(stats.yamlLanguageServer.median / stats.ours.median).toFixed(1)}×` : 'NO'} |`;
    }),
  ].join('\n');
  process.stdout.write(`${table}\n`);
  const cpu = cpus();
  mkdirSync(dirname(outPath), { recursive: true });
  writeFileSync(
    outPath,
    `${JSON.stringify(
      {
        machine: {
          cpu: cpu[0]?.model ?? 'unknown',
          cores: cpu.length,
          node: process.version,
          os: `${platform()} ${release()}`,
          loadAverage: loadavg()[0] ?? 0,
          date: new Date().toISOString(),
        },
        options: { quick, budget: BUDGET, schema: schemaPath },
        rows,
        report: table,
      },
      null,
      2,
    )}\n`,
  );
  process.stderr.write(`wrote ${outPath}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
