/**
 * `npm run bench`: the language service against the JSON language service with Stripe's schema
 * and against a bare jsonc-parser `parseTree`, on the same generated manifests, interleaved; then
 * the language server as a whole process, and the bundle sizes. See "Benchmark" in README.md.
 *
 * Run through scripts/bench/run.mjs, which bundles this file with esbuild and runs the bundle
 * with `node --expose-gc`, so the measured code is bundled JavaScript as in dist/, not tsx output.
 *
 * Flags: --quick (short budgets, for trying the script), --skip-server, --skip-5mb,
 *        --out=PATH (default bench/results.json).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, platform, release } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseTree, type ParseError } from 'jsonc-parser';
import {
  ClientCapabilities,
  getLanguageService as getJsonLanguageService,
  type JSONSchema,
} from 'vscode-json-languageservice';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic, Position } from 'vscode-languageserver-types';
import {
  createManifestLanguageService,
  type ManifestLanguageService,
} from '../../server/src/service/languageService';
import type { ManifestDocument } from '../../server/src/service/manifestDocument';
import {
  generateManifest,
  generateManifestOfSize,
  GRANT_NAME,
  LAST_NAME,
  MISSPELLED_TAIL_NAME,
  MIX,
  REVOKE_NAME,
  type GeneratedManifest,
} from './generate';
import { measure, summarize, type MeasureOptions, type Stats } from './measure';
import {
  bareNodeMemory,
  bareNodeStart,
  runServer,
  type ProcessMemory,
  type ServerRun,
} from './serverProcess';

// ---- options ------------------------------------------------------------------------------------

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const skipServer = args.includes('--skip-server');
const skip5mb = args.includes('--skip-5mb');
const outPath = resolve(
  args.find((arg) => arg.startsWith('--out='))?.slice(6) ?? 'bench/results.json',
);
const root = process.cwd();
const schemaPath = resolve(
  process.env.STRIPE_APP_SCHEMA ?? join(root, '..', 'shared', 'anchors', 'stripe-app.schema.json'),
);

const BUDGET: MeasureOptions = quick
  ? { budgetMs: 300, minRuns: 5, warmupRuns: 2 }
  : { budgetMs: 2500, minRuns: 20, warmupRuns: 5 };
const SERVER_RUNS = quick ? 3 : 10;
const MEMORY_RUNS = quick ? 1 : 5;
const SIZES = [10, 100, 1000, 10_000];
const FIVE_MB = 5 * 1024 * 1024;
const URI = 'file:///bench/app/stripe-app.json';
const PARSE_OPTIONS = { allowTrailingComma: true, disallowComments: false };

// ---- the contenders -----------------------------------------------------------------------------

const ours = createManifestLanguageService();
// The same service without the `maxNumberOfProblems` cut: every problem, as the CLI reports.
const oursAll = createManifestLanguageService({ maxNumberOfProblems: 0 });
const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as JSONSchema;
const theirs = getJsonLanguageService({ clientCapabilities: ClientCapabilities.LATEST });
theirs.configure({
  validate: true,
  allowComments: true,
  schemas: [{ uri: 'https://stripe.com/stripe-app.schema.json', fileMatch: ['*'], schema }],
});

/**
 * `oursAlone`: ours measured on its own, for the p95 targets at 10 and 100 entries. Interleaved
 * with the JSON language service, ours would also pay the pauses of collecting its garbage,
 * which the server (running ours only) never has.
 */
type Side = 'ours' | 'jsonLanguageService' | 'parseTree';
type StatsSide = Side | 'oursAlone';
type OperationName =
  | 'diagnostics'
  | 'diagnosticsAll'
  | 'parseOnly'
  | 'keystroke'
  | 'completion'
  | 'hover'
  | 'codeActions'
  | 'resolveCodeAction'
  | 'grant'
  | 'revoke'
  | 'revokeAll';

interface OperationResult {
  stats: Partial<Record<StatsSide, Stats>>;
  /** What the first run returned, to show that each side did real work. */
  check: Partial<Record<Side, string>>;
}

type SizeResults = Record<OperationName, OperationResult>;

let nextVersion = 1;

/** A position inside the string value that follows the last occurrence of `"key": "value"`. */
function positionIn(
  document: TextDocument,
  key: string,
  value: string,
  charsIn: number,
): { position: Position; offset: number } {
  const needle = `"${key}": "${value}"`;
  const at = document.getText().lastIndexOf(needle);
  if (at < 0) throw new Error(`${needle} not in the manifest`);
  const offset = at + needle.length - value.length - 1 + charsIn;
  return { position: document.positionAt(offset), offset };
}

/** Ours on its own (`oursAlone`), at the sizes with p95 targets (10 and 100 entries). */
async function alone(
  manifest: GeneratedManifest,
  run: () => unknown,
): Promise<Partial<Record<StatsSide, Stats>>> {
  return manifest.entries <= 100 ? { oursAlone: (await measure({ run }, BUDGET)).run } : {};
}

async function benchSize(manifest: GeneratedManifest): Promise<SizeResults> {
  const { text } = manifest;
  // Runs of seconds each on the 5 MB manifest: fewer of them (p95 is then near the maximum).
  const budget: MeasureOptions =
    manifest.bytes > 2 * 1024 * 1024
      ? { ...BUDGET, minRuns: Math.min(BUDGET.minRuns ?? 12, 12) }
      : BUDGET;
  const fresh = (): TextDocument => TextDocument.create(URI, 'json', nextVersion++, text);
  const results = {} as SizeResults;
  const log = (name: string): void => {
    process.stderr.write(`  ${manifest.label}: ${name}\n`);
  };

  // Each run takes a new version, so no parse cache can answer.
  const validate = (service: ManifestLanguageService) => (): Diagnostic[] => {
    const document = fresh();
    return service.doValidation(document, service.parseManifest(document));
  };
  const floor = (): unknown => parseTree(fresh().getText(), [], PARSE_OPTIONS);

  // Parse + full diagnostics.
  log('diagnostics');
  {
    const theirValidation = (): PromiseLike<Diagnostic[]> => {
      const document = fresh();
      return theirs.doValidation(document, theirs.parseJSONDocument(document));
    };
    const errors: ParseError[] = [];
    const tree = parseTree(text, errors, PARSE_OPTIONS);
    results.diagnostics = {
      check: {
        ours: `${validate(ours)().length} diagnostics`,
        jsonLanguageService: `${(await theirValidation()).length} diagnostics`,
        parseTree: `${tree?.children?.length ?? 0} top-level properties, ${errors.length} errors`,
      },
      stats: {
        ...(await measure(
          { ours: validate(ours), jsonLanguageService: theirValidation, parseTree: floor },
          budget,
        )),
        ...(await alone(manifest, validate(ours))),
      },
    };
  }

  // The same without the cut at 1 000 problems (what the CLI reports).
  log('every diagnostic');
  results.diagnosticsAll = {
    check: { ours: `${validate(oursAll)().length} diagnostics` },
    stats: await measure({ ours: validate(oursAll), parseTree: floor }, budget),
  };

  // What every validation pays before any rule runs: the model's scan, and the document's line
  // table, which the first position asks for. The floor under the diagnostics ratio.
  log('parse only');
  {
    const parseOnly = (document = fresh()): ManifestDocument => {
      document.positionAt(0);
      return ours.parseManifest(document);
    };
    const d = fresh();
    const manifest = parseOnly(d);
    results.parseOnly = {
      check: { ours: `${manifest.entries.length} entries, ${d.lineCount} lines` },
      stats: await measure({ ours: () => parseOnly(), parseTree: floor }, budget),
    };
  }

  // One keystroke: an incremental one-character edit (inserted, then deleted on the next run) in
  // the last purpose, then parse + diagnostics of the new version.
  log('keystroke');
  {
    const documents: Record<Side, TextDocument> = {
      ours: fresh(),
      jsonLanguageService: fresh(),
      parseTree: fresh(),
    };
    const { offset } = positionIn(
      documents.ours,
      'purpose',
      'Looks up the customer of each payment to show their lifetime value.',
      9,
    );
    const typed: Record<Side, number> = { ours: 0, jsonLanguageService: 0, parseTree: 0 };
    const type = (side: Side): TextDocument => {
      const document = documents[side];
      const start = document.positionAt(offset);
      const change =
        typed[side]++ % 2 === 0
          ? { range: { start, end: start }, text: 'x' }
          : { range: { start, end: document.positionAt(offset + 1) }, text: '' };
      return TextDocument.update(document, [change], document.version + 1);
    };
    results.keystroke = {
      check: { ours: 'insert/delete one character in the last purpose' },
      stats: await measure(
        {
          ours: () => {
            const document = type('ours');
            return ours.doValidation(document, ours.parseManifest(document));
          },
          jsonLanguageService: () => {
            const document = type('jsonLanguageService');
            return theirs.doValidation(document, theirs.parseJSONDocument(document));
          },
          parseTree: () => parseTree(type('parseTree').getText(), [], PARSE_OPTIONS),
        },
        budget,
      ),
    };
  }

  // The rest works on one unchanged version, as an editor does between keystrokes: ours takes
  // its parse from the service's cache (same version → same object), theirs the JSONDocument
  // parsed once (as the JSON language server's document cache does).
  const document = fresh();
  const manifestModel = ours.parseManifest(document);
  const jsonDocument = theirs.parseJSONDocument(document);
  let reparses = 0;
  const cached = (): typeof manifestModel => {
    const model = ours.parseManifest(document);
    if (model !== manifestModel) reparses++;
    return model;
  };

  log('completion');
  {
    const { position } = positionIn(document, 'permission', LAST_NAME, 3);
    const mine = ours.doComplete(document, position, cached());
    const their = await theirs.doComplete(document, position, jsonDocument);
    results.completion = {
      check: {
        ours: `${mine.items.length} items`,
        jsonLanguageService: `${their?.items.length ?? 0} items`,
      },
      stats: {
        ...(await measure(
          {
            ours: () => ours.doComplete(document, position, cached()),
            jsonLanguageService: () => theirs.doComplete(document, position, jsonDocument),
          },
          budget,
        )),
        ...(await alone(manifest, () => ours.doComplete(document, position, cached()))),
      },
    };
  }

  log('hover');
  {
    const { position } = positionIn(document, 'permission', LAST_NAME, 5);
    const mine = ours.doHover(document, position, cached());
    const their = await theirs.doHover(document, position, jsonDocument);
    const length = (hover: unknown): number => JSON.stringify(hover ?? null).length;
    results.hover = {
      check: {
        ours: mine ? `${length(mine)} chars of hover` : 'no hover',
        jsonLanguageService: their ? `${length(their)} chars of hover` : 'no hover',
      },
      stats: {
        ...(await measure(
          {
            ours: () => ours.doHover(document, position, cached()),
            jsonLanguageService: () => theirs.doHover(document, position, jsonDocument),
          },
          budget,
        )),
        ...(await alone(manifest, () => ours.doHover(document, position, cached()))),
      },
    };
  }

  log('code actions');
  {
    const { position } = positionIn(document, 'permission', MISSPELLED_TAIL_NAME, 0);
    const line = position.line;
    // From every diagnostic: at 10 000 entries the line's error is past the server's first 1 000.
    const diagnostics: Diagnostic[] = oursAll
      .doValidation(document, cached())
      .filter((diagnostic) => diagnostic.range.start.line === line);
    const range = {
      start: { line, character: 0 },
      end: { line, character: document.getText().split('\n', line + 1)[line]?.length ?? 0 },
    };
    const context = { diagnostics };
    // As VS Code asks (it resolves edits): the listing without edits, then, on resolve, the
    // edit of the quick fix picked.
    const lazy = { lazy: true };
    const actions = ours.getCodeActions(document, range, context, cached(), lazy);
    results.codeActions = {
      check: {
        ours: `${actions.length} actions (${actions.map((a) => a.title).join('; ')}) for ${diagnostics.map((d) => String(d.code)).join(', ')}`,
      },
      stats: await measure(
        { ours: () => ours.getCodeActions(document, range, context, cached(), lazy) },
        budget,
      ),
    };
    // The preferred fix, else the first (none is preferred when the right name is granted too).
    const fix =
      actions.find((action) => action.isPreferred === true) ??
      actions.find((action) => action.kind === 'quickfix');
    if (!fix) throw new Error('no quick fix on the misspelt line');
    const resolved = ours.resolveCodeAction(document, cached(), fix);
    results.resolveCodeAction = {
      check: {
        ours: `${fix.title}: ${resolved.edit?.changes?.[document.uri]?.length ?? 0} edits`,
      },
      stats: await measure({ ours: () => ours.resolveCodeAction(document, cached(), fix) }, budget),
    };
  }

  log('grant');
  {
    const purpose = 'Sends payouts to your bank account when you approve them in Meridian.';
    const result = ours.grant(document, cached(), GRANT_NAME, purpose);
    results.grant = {
      check: { ours: `${result.status}, ${result.edits.length} edits` },
      stats: await measure(
        { ours: () => ours.grant(document, cached(), GRANT_NAME, purpose) },
        budget,
      ),
    };
  }

  log('revoke');
  {
    const result = ours.revoke(document, cached(), REVOKE_NAME);
    results.revoke = {
      check: { ours: `${result.status}, ${result.edits.length} edits` },
      stats: await measure({ ours: () => ours.revoke(document, cached(), REVOKE_NAME) }, budget),
    };
  }

  // Revoking a name granted many times: every entry goes in one verified operation when each
  // entry has its own line (as here), so the cost is one re-parse, not one per entry.
  {
    log('revoke all duplicates');
    let most = REVOKE_NAME;
    for (const [name, entries] of manifestModel.granted) {
      if (entries.length > (manifestModel.granted.get(most)?.length ?? 0)) most = name;
    }
    const result = ours.revoke(document, cached(), most);
    results.revokeAll = {
      check: {
        ours: `${most}: ${result.status}, ${result.removed} entries, ${result.edits.length} edits`,
      },
      stats: await measure(
        { ours: () => ours.revoke(document, cached(), most) },
        { ...budget, minRuns: Math.min(budget.minRuns ?? 20, 8), warmupRuns: 1 },
      ),
    };
  }

  results.completion.check.ours = `${results.completion.check.ours ?? ''}; re-parses of the unchanged version: ${reparses}`;
  reparseCounts.set(manifest.label, reparses);
  return results;
}

const reparseCounts = new Map<string, number>();

// ---- whole processes and files ------------------------------------------------------------------

interface ServerResults {
  readonly serverPath: string;
  readonly coldStart: { server: Stats; initialize: Stats; bareNode: Stats; runs: number };
  readonly memory: {
    serverAfter10000: ProcessMemory & { diagnostics: number; openToDiagnostics: Stats };
    /** The same servers, IDLE_MS after the diagnostics: what stays while the file is open. */
    serverIdle10000: ProcessMemory;
    serverAfter10: ProcessMemory;
    bareNode: ProcessMemory;
  };
}

/**
 * How long the memory of the 10 000-entry server is read again after its diagnostics: V8 gives
 * back what the burst of parsing and validating grew (its memory reducer) some seconds later.
 */
const IDLE_MS = 10_000;

async function benchServer(
  serverPath: string,
  small: string,
  large: string,
): Promise<ServerResults> {
  process.stderr.write('  server: cold start\n');
  // Warm the file cache first (not counted), then alternate bare / server.
  await bareNodeStart();
  await runServer(serverPath, small);
  const bare: number[] = [];
  const server: ServerRun[] = [];
  for (let i = 0; i < SERVER_RUNS; i++) {
    bare.push(await bareNodeStart());
    server.push(await runServer(serverPath, small));
  }
  process.stderr.write('  server: memory\n');
  const big: ServerRun[] = [];
  const bareMemory: ProcessMemory[] = [];
  for (let i = 0; i < MEMORY_RUNS; i++) {
    big.push(await runServer(serverPath, large, IDLE_MS));
    bareMemory.push(await bareNodeMemory());
  }
  // Each figure's own median (the runs' figures need not come from one run).
  const medianMemory = (memories: ProcessMemory[]): ProcessMemory => {
    const median = (values: number[]): number => summarize(values).median;
    return {
      rss: median(memories.map((m) => m.rss)),
      hwm: median(memories.map((m) => m.hwm)),
      anon: median(memories.map((m) => m.anon)),
      file: median(memories.map((m) => m.file)),
    };
  };
  return {
    serverPath,
    coldStart: {
      server: summarize(server.map((run) => run.firstDiagnosticsMs)),
      initialize: summarize(server.map((run) => run.initializeMs)),
      bareNode: summarize(bare),
      runs: SERVER_RUNS,
    },
    memory: {
      serverAfter10000: {
        ...medianMemory(big.map((run) => run.memory)),
        diagnostics: big[0]?.diagnostics ?? 0,
        openToDiagnostics: summarize(big.map((run) => run.openToDiagnosticsMs)),
      },
      serverIdle10000: medianMemory(big.map((run) => run.memoryAfterIdle ?? run.memory)),
      serverAfter10: medianMemory(server.map((run) => run.memory)),
      bareNode: medianMemory(bareMemory),
    },
  };
}

function bundleSizes(): Record<string, number | null> {
  const sizes: Record<string, number | null> = {};
  const dist = join(root, 'dist');
  if (existsSync(dist)) {
    for (const file of readdirSync(dist)
      .filter((name) => name.endsWith('.js'))
      .sort()) {
      sizes[`dist/${file}`] = statSync(join(dist, file)).size;
    }
  }
  for (const file of ['dist/server.js', 'dist/extension.js']) sizes[file] ??= null;
  const vsix = readdirSync(root).filter((name) => name.endsWith('.vsix'));
  sizes['stripe-apps-manifest.vsix'] = null;
  for (const file of vsix) sizes[file] = statSync(join(root, file)).size;
  return sizes;
}

/** Whether dist/server.js is the production build (minified, no source map) or a development one. */
function buildKind(): string {
  const server = join(root, 'dist', 'server.js');
  if (!existsSync(server)) return 'not built';
  return readFileSync(server, 'utf8').includes('//# sourceMappingURL=')
    ? 'development build (`npm run build`: not minified, source maps)'
    : 'production build (`npm run package`: minified)';
}

// ---- report -------------------------------------------------------------------------------------

function ms(value: number | undefined): string {
  if (value === undefined || Number.isNaN(value)) return '–';
  if (value >= 100) return value.toFixed(0);
  if (value >= 10) return value.toFixed(1);
  if (value >= 1) return value.toFixed(2);
  return value.toFixed(3);
}

function ratio(value: number): string {
  return Number.isFinite(value) ? `${value.toFixed(2)}×` : '–';
}

function kb(bytes: number | null | undefined): string {
  return bytes === null || bytes === undefined ? 'not built' : `${(bytes / 1024).toFixed(0)} KB`;
}

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** log(t2/t1)/log(10): 1 is linear, 0 constant, 2 quadratic. */
function exponent(small: Stats | undefined, large: Stats | undefined): number {
  if (!small || !large || small.median <= 0) return Number.NaN;
  return Math.log(large.median / small.median) / Math.log(10);
}

const EXPONENT_LIMIT = 1.15;

interface Target {
  readonly target: string;
  readonly measured: string;
  readonly pass: boolean | null;
}

const OPERATIONS: { name: OperationName; label: string; sides: StatsSide[] }[] = [
  {
    name: 'diagnostics',
    label: 'parse + full diagnostics (≤ 1 000 reported, as the server)',
    sides: ['ours', 'oursAlone', 'jsonLanguageService', 'parseTree'],
  },
  {
    name: 'diagnosticsAll',
    label: 'parse + full diagnostics, every one reported (as the CLI)',
    sides: ['ours', 'parseTree'],
  },
  {
    name: 'parseOnly',
    label: 'parse only: the model and the line table, no rule',
    sides: ['ours', 'parseTree'],
  },
  {
    name: 'keystroke',
    label: 'keystroke: 1-char edit + parse + diagnostics',
    sides: ['ours', 'jsonLanguageService', 'parseTree'],
  },
  {
    name: 'completion',
    label: 'completion in the last permission value',
    sides: ['ours', 'oursAlone', 'jsonLanguageService'],
  },
  {
    name: 'hover',
    label: 'hover on the last permission name',
    sides: ['ours', 'oursAlone', 'jsonLanguageService'],
  },
  {
    name: 'codeActions',
    label: 'code actions on a misspelt name (listing; edits on resolve)',
    sides: ['ours'],
  },
  { name: 'resolveCodeAction', label: 'resolve the quick fix', sides: ['ours'] },
  { name: 'grant', label: 'grant (edits)', sides: ['ours'] },
  { name: 'revoke', label: 'revoke (edits)', sides: ['ours'] },
  { name: 'revokeAll', label: 'revoke every entry of the most granted name', sides: ['ours'] },
];
const SIDE_LABEL: Record<StatsSide, string> = {
  ours: 'ours',
  oursAlone: 'ours, measured alone (10 and 100 entries)',
  jsonLanguageService: 'JSON LS + schema',
  parseTree: 'bare parseTree',
};

function serviceTable(
  documents: readonly GeneratedManifest[],
  results: ReadonlyMap<string, SizeResults>,
): string {
  const header = ['operation', 'side', ...documents.map((d) => d.label), 'exponent 1k→10k'];
  const rows: string[][] = [];
  const stat = (label: string, op: OperationName, side: StatsSide): Stats | undefined =>
    results.get(label)?.[op].stats[side];
  for (const { name, label, sides } of OPERATIONS) {
    for (const side of sides) {
      rows.push([
        side === sides[0] ? label : '',
        SIDE_LABEL[side],
        ...documents.map((d) => {
          const s = stat(d.label, name, side);
          return s ? `${ms(s.median)} / ${ms(s.p95)}` : '–';
        }),
        exponent(stat('1000', name, side), stat('10000', name, side)).toFixed(2),
      ]);
    }
    for (const other of sides.slice(1)) {
      rows.push([
        '',
        `ours / ${SIDE_LABEL[other]}`,
        ...documents.map((d) => {
          const a = stat(d.label, name, 'ours');
          const b = stat(d.label, name, other);
          return a && b ? ratio(a.median / b.median) : '–';
        }),
        '',
      ]);
    }
  }
  return markdownTable(header, rows);
}

function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** Issue 13's targets, which replace issue 5's (the 1.3× parseTree and whole-RSS ones are withdrawn). */
function evaluateTargets(
  documents: readonly GeneratedManifest[],
  results: ReadonlyMap<string, SizeResults>,
  server: ServerResults | undefined,
): Target[] {
  const targets: Target[] = [];
  const stats = (label: string, op: OperationName, side: StatsSide): Stats | undefined =>
    results.get(label)?.[op].stats[side];
  for (const op of ['diagnostics', 'completion', 'hover', 'codeActions'] as const) {
    for (const label of ['10', '100']) {
      const s = stats(label, op, 'oursAlone') ?? stats(label, op, 'ours');
      if (s) {
        targets.push({
          target: `${op} p95 < 1 ms at ${label} entries (measured alone)`,
          measured: `${ms(s.p95)} ms`,
          pass: s.p95 < 1,
        });
      }
    }
  }
  for (const d of documents) {
    const ours = stats(d.label, 'diagnostics', 'ours');
    const theirs = stats(d.label, 'diagnostics', 'jsonLanguageService');
    if (ours && theirs && d.bytes < 2 * 1024 * 1024) {
      const r = theirs.median / ours.median;
      targets.push({
        target: `diagnostics ≥ 2× faster than JSON LS at ${d.label}`,
        measured: `JSON LS / ours = ${ratio(r)}`,
        pass: r >= 2,
      });
    }
  }
  const reparses = [...reparseCounts.values()].reduce((sum, n) => sum + n, 0);
  targets.push({
    target:
      'check: completion/hover/code actions (and resolve)/grant/revoke re-parse no unchanged version',
    measured: `${reparses} re-parses`,
    pass: reparses === 0,
  });
  // "Linear" is what the floor, a single linear scan (parseTree), shows on this machine: it
  // grows with this exponent too (V8's young generation overflows when a whole-document tree
  // survives it). A cost may grow up to the floor's exponent + 0.15.
  const floor = exponent(
    stats('1000', 'diagnostics', 'parseTree'),
    stats('10000', 'diagnostics', 'parseTree'),
  );
  // A linear scan cannot grow slower than linearly: a floor measured below 1 is noise.
  const limit = Number.isFinite(floor) ? Math.max(floor, 1) + 0.15 : EXPONENT_LIMIT;
  for (const { name } of OPERATIONS) {
    const e = exponent(stats('1000', name, 'ours'), stats('10000', name, 'ours'));
    targets.push({
      target: `${name}: cost exponent 1k→10k ≤ ${limit.toFixed(2)} (parseTree's, at least 1, + 0.15)`,
      measured: `${e.toFixed(2)} (parseTree ${floor.toFixed(2)})`,
      pass: Number.isFinite(e) ? e <= limit : null,
    });
  }
  if (server) {
    const r = server.coldStart.server.median / server.coldStart.bareNode.median;
    targets.push({
      target: 'server cold start to first diagnostics ≤ 2.5× bare node',
      measured: `${ms(server.coldStart.server.median)} ms vs ${ms(server.coldStart.bareNode.median)} ms = ${ratio(r)}`,
      pass: r <= 2.5,
    });
    // RSS counts the pages of the node executable, shared with every other process of it;
    // the private part (RssAnon) is what the server itself holds.
    const extraPrivate = server.memory.serverAfter10000.anon - server.memory.bareNode.anon;
    targets.push({
      target: 'server private memory (RssAnon) with 10 000 entries ≤ bare node + 30 MB',
      measured: `${mb(server.memory.serverAfter10000.anon)} vs ${mb(server.memory.bareNode.anon)} = +${mb(extraPrivate)}`,
      pass: extraPrivate <= 30 * 1024 * 1024,
    });
    const idlePrivate = server.memory.serverIdle10000.anon - server.memory.bareNode.anon;
    targets.push({
      target: `… the same ${IDLE_MS / 1000} s after the diagnostics, the server idle`,
      measured: `${mb(server.memory.serverIdle10000.anon)} vs ${mb(server.memory.bareNode.anon)} = +${mb(idlePrivate)}`,
      pass: idlePrivate <= 30 * 1024 * 1024,
    });
  } else {
    targets.push({ target: 'server figures', measured: 'skipped', pass: null });
  }
  return targets;
}

function passCell(pass: boolean | null): string {
  return pass === null ? 'n/a' : pass ? 'PASS' : 'MISS';
}

function gitCommit(): string {
  try {
    return execFileSync('git', ['describe', '--always', '--dirty', '--abbrev=12'], {
      cwd: root,
      encoding: 'utf8',
    }).trim();
  } catch {
    return 'unknown';
  }
}

// ---- main ---------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const started = new Date();
  // Sizes first: dist/ is what `npm run bench -- --build` just built (colleagues may rebuild later).
  const sizes = bundleSizes();
  const build = buildKind();
  const documents: GeneratedManifest[] = SIZES.map((entries) => generateManifest(entries));
  if (!skip5mb) documents.push(generateManifestOfSize(FIVE_MB, '5 MB'));
  // The whole-process figures first, while this process is still small: after the in-process
  // rows (the 5 MB ones above all) its garbage collector's threads compete with the server being
  // timed for the cores (cold start measured 2.9× bare node after them, 2.4× alone).
  const serverPath = join(root, 'dist', 'server.js');
  let server: ServerResults | undefined;
  if (!skipServer && existsSync(serverPath)) {
    const small = documents.find((d) => d.entries === 10)?.text ?? generateManifest(10).text;
    const large =
      documents.find((d) => d.entries === 10_000)?.text ?? generateManifest(10_000).text;
    server = await benchServer(serverPath, small, large);
  }

  const results = new Map<string, SizeResults>();
  for (const manifest of documents) {
    process.stderr.write(
      `${manifest.label}: ${manifest.entries} entries, ${(manifest.bytes / 1024).toFixed(0)} KB\n`,
    );
    results.set(manifest.label, await benchSize(manifest));
  }
  const targets = evaluateTargets(documents, results, server);

  const cpu = cpus();
  const machine = {
    cpu: cpu[0]?.model ?? 'unknown',
    cores: cpu.length,
    node: process.version,
    os: `${platform()} ${release()}`,
    /** 1-minute load average when the run ended: other processes share the cores. */
    loadAverage: loadavg()[0] ?? 0,
    date: started.toISOString(),
    commit: gitCommit(),
  };

  const out: string[] = [];
  out.push(
    `Machine: ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, ${machine.os}; ` +
      `${machine.date.slice(0, 16).replace('T', ' ')} UTC; commit ${machine.commit}; load average ${machine.loadAverage.toFixed(1)} at the end.`,
    '',
    `Documents (seed 20251126; ${MIX.valid * 100}% valid, ${MIX.misspelled * 100}% misspelt, ${MIX.duplicate * 100}% duplicate names): ` +
      documents
        .map(
          (d) =>
            `${d.label} = ${d.entries} entries, ${(d.bytes / 1024).toFixed(0)} KB (${d.kinds.valid} valid, ${d.kinds.misspelled} misspelt, ${d.kinds.duplicate} duplicated)`,
        )
        .join('; ') +
      '.',
    '',
    'Milliseconds, median / p95 of interleaved runs after warm-up; entries across, exponent = log(t10000/t1000)/log(10) of the medians.',
    '',
    serviceTable(documents, results),
    '',
  );
  out.push('What each side returned on the first run:', '');
  out.push(
    markdownTable(
      ['size', 'operation', 'ours', 'JSON LS + schema', 'bare parseTree'],
      documents.flatMap((d) =>
        OPERATIONS.map(({ name }) => {
          const check = results.get(d.label)?.[name].check ?? {};
          return [
            d.label,
            name,
            check.ours ?? '',
            check.jsonLanguageService ?? '',
            check.parseTree ?? '',
          ];
        }),
      ),
    ),
    '',
  );
  if (server) {
    out.push(
      markdownTable(
        ['server (whole process)', 'median', 'p95', 'beside'],
        [
          [
            `cold start of \`node dist/server.js --stdio\` to first publishDiagnostics (10 entries), ${server.coldStart.runs} runs`,
            `${ms(server.coldStart.server.median)} ms`,
            `${ms(server.coldStart.server.p95)} ms`,
            `bare \`node -e ""\`: ${ms(server.coldStart.bareNode.median)} ms (p95 ${ms(server.coldStart.bareNode.p95)})`,
          ],
          [
            '… of which spawn to `initialize` answer',
            `${ms(server.coldStart.initialize.median)} ms`,
            `${ms(server.coldStart.initialize.p95)} ms`,
            '',
          ],
          [
            `open of 10 000 entries to their publishDiagnostics, ${MEMORY_RUNS} runs`,
            `${ms(server.memory.serverAfter10000.openToDiagnostics.median)} ms`,
            `${ms(server.memory.serverAfter10000.openToDiagnostics.p95)} ms`,
            '',
          ],
          [
            'RSS after diagnostics of the 10-entry manifest (cold-start runs), peak',
            mb(server.memory.serverAfter10.rss),
            mb(server.memory.serverAfter10.hwm),
            `private ${mb(server.memory.serverAfter10.anon)}, files ${mb(server.memory.serverAfter10.file)}`,
          ],
          [
            `RSS after diagnostics of 10 000 entries (${server.memory.serverAfter10000.diagnostics} diagnostics), peak`,
            mb(server.memory.serverAfter10000.rss),
            mb(server.memory.serverAfter10000.hwm),
            `private ${mb(server.memory.serverAfter10000.anon)}, files ${mb(server.memory.serverAfter10000.file)}`,
          ],
          [
            `… ${IDLE_MS / 1000} s later, the server idle`,
            mb(server.memory.serverIdle10000.rss),
            '',
            `private ${mb(server.memory.serverIdle10000.anon)}, files ${mb(server.memory.serverIdle10000.file)}`,
          ],
          [
            'RSS of an idle bare node',
            mb(server.memory.bareNode.rss),
            '',
            `private ${mb(server.memory.bareNode.anon)}, files ${mb(server.memory.bareNode.file)}`,
          ],
        ],
      ),
      '',
    );
  } else {
    out.push(
      skipServer
        ? 'Server figures skipped (--skip-server).'
        : 'Server figures: dist/server.js not built.',
      '',
    );
  }
  out.push(
    markdownTable(
      ['file', 'size'],
      Object.entries(sizes).map(([file, size]) => [file, kb(size)]),
    ),
    '',
    `dist/ holds the ${build}.`,
    '',
    markdownTable(
      ['target (issue 13)', 'measured', 'result'],
      targets.map((t) => [t.target, t.measured, passCell(t.pass)]),
    ),
    '',
  );
  const report = out.join('\n');
  process.stdout.write(report);

  mkdirSync(dirname(outPath), { recursive: true });
  writeFileSync(
    outPath,
    `${JSON.stringify(
      {
        machine,
        options: { quick, budget: BUDGET, serverRuns: SERVER_RUNS, schema: schemaPath },
        documents: documents.map(({ label, entries, bytes, kinds }) => ({
          label,
          entries,
          bytes,
          kinds,
        })),
        service: Object.fromEntries(results),
        exponents: Object.fromEntries(
          OPERATIONS.flatMap(({ name, sides }) =>
            sides.map((side) => [
              `${name}.${side}`,
              exponent(
                results.get('1000')?.[name].stats[side],
                results.get('10000')?.[name].stats[side],
              ),
            ]),
          ),
        ),
        server: server ?? null,
        sizes,
        build,
        targets,
        report,
      },
      null,
      2,
    )}\n`,
  );
  process.stderr.write(`\nwrote ${outPath}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
