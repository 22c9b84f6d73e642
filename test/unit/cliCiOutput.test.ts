/**
 * The CLI's output for CI: SARIF 2.1.0 (checked against the SARIF 2.1.0 JSON schema and by
 * Microsoft's SARIF validator with GitHub's ingestion rules, both from @microsoft/sarif-multitool
 * in node_modules), GitHub workflow-command annotations, --max-warnings, and a quiet end when
 * the reader of the output goes away (EPIPE).
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type * as Sarif from 'sarif';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { main } from '../../server/src/cli';
import { toGithubAnnotations } from '../../server/src/lintReport';
import { DIAGNOSTIC_CODES, catalog } from '../../server/src/service';
import { manifestWith } from './util';

const repositoryRoot = join(__dirname, '..', '..');
const BUNDLED_CLI = join(repositoryRoot, 'dist', 'cli.js');
const PACKAGE_VERSION = (
  JSON.parse(readFileSync(join(repositoryRoot, 'package.json'), 'utf8')) as { version: string }
).version;

const root = mkdtempSync(join(tmpdir(), 'stripe-app-ci-'));
after(() => {
  rmSync(root, { recursive: true, force: true });
});

let folderCount = 0;
function folder(files: Record<string, string>): string {
  const dir = join(root, `case-${folderCount++}`);
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

function cli(
  args: string[],
  cwd: string,
  env: Record<string, string> = {},
): { code: number; stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  const code = main(
    args,
    { out: (text) => (stdout += text), err: (text) => (stderr += text) },
    cwd,
    env,
  );
  return { code, stdout, stderr };
}

/** An unknown name (error, line 8) and a placeholder purpose (warning, line 13). */
const TWO_FINDINGS = manifestWith(`[
    {
      "permission": "customers_read",
      "purpose": "Shows the customer's subscription history in the sidebar"
    },
    {
      "permission": "invoice_read",
      "purpose": "test"
    }
  ]`);

const CLEAN = manifestWith(`[
    {
      "permission": "customer_read",
      "purpose": "Shows the customer's subscription history in the sidebar"
    }
  ]`);

/** The SARIF 2.1.0 schema as @microsoft/sarif-multitool ships it for this platform. */
function sarifPlatformPackage(): string {
  return dirname(require.resolve(`@microsoft/sarif-multitool-${process.platform}/package.json`));
}

const validateSarifSchema = (() => {
  const ajv = new Ajv2020({ allErrors: true });
  addFormats(ajv);
  const schema = JSON.parse(
    readFileSync(join(sarifPlatformPackage(), 'sarif-2.1.0.json'), 'utf8'),
  ) as object;
  return ajv.compile(schema);
})();

describe('lint --format sarif', () => {
  const cwd = folder({ 'apps/my app/stripe-app.json': TWO_FINDINGS });
  const result = cli(['lint', '.', '--format', 'sarif'], cwd);
  const log = JSON.parse(result.stdout) as Sarif.Log;
  const run = log.runs[0];

  it('exits 1 on the error, with the SARIF log alone on stdout', () => {
    assert.equal(result.code, 1);
    assert.equal(result.stderr, '');
    assert.equal(log.version, '2.1.0');
    assert.equal(log.runs.length, 1);
  });

  it('is valid against the SARIF 2.1.0 JSON schema', () => {
    assert.equal(validateSarifSchema(log), true, JSON.stringify(validateSarifSchema.errors));
    // The schema check can fail: a level SARIF does not have is refused.
    const broken = JSON.parse(
      result.stdout.replace('"level": "error"', '"level": "fatal"'),
    ) as unknown;
    assert.equal(validateSarifSchema(broken), false);
  });

  it('names the tool and has one rule per diagnostic code, each with its help URI', () => {
    assert.equal(run?.tool.driver.name, 'stripe-apps-manifest');
    assert.equal(run.tool.driver.version, PACKAGE_VERSION);
    const rules = run.tool.driver.rules ?? [];
    assert.deepEqual(
      rules.map((rule) => rule.id),
      [...DIAGNOSTIC_CODES],
    );
    const byId = new Map(rules.map((rule) => [rule.id, rule]));
    assert.equal(byId.get('unknown-permission')?.helpUri, catalog.source.url);
    assert.equal(
      byId.get('placeholder-purpose')?.helpUri,
      'https://docs.stripe.com/stripe-apps/reference/app-manifest',
    );
    assert.equal(byId.get('unknown-permission')?.name, 'UnknownPermission');
    assert.equal(byId.get('unknown-permission')?.defaultConfiguration?.level, 'error');
    assert.equal(byId.get('reused-purpose')?.defaultConfiguration?.level, 'note');
    for (const rule of rules) {
      assert.ok(rule.shortDescription?.text, rule.id);
      assert.ok(rule.fullDescription?.text, rule.id);
      assert.ok(rule.help?.text.includes(rule.helpUri ?? '?'), rule.id);
    }
  });

  it('gives each finding its rule, level, exact region and a relative URI', () => {
    const results = run?.results ?? [];
    const ruleIndex = (id: string): number => [...DIAGNOSTIC_CODES].indexOf(id as never);
    const location = {
      uri: 'apps/my%20app/stripe-app.json',
      uriBaseId: '%SRCROOT%',
      index: 0,
    };
    assert.deepEqual(
      results.map((entry) => ({
        ruleId: entry.ruleId,
        ruleIndex: entry.ruleIndex,
        level: entry.level,
        message: entry.message.text,
        physicalLocation: entry.locations?.[0]?.physicalLocation,
      })),
      [
        {
          ruleId: 'unknown-permission',
          ruleIndex: ruleIndex('unknown-permission'),
          level: 'error',
          message: results[0]?.message.text,
          physicalLocation: {
            artifactLocation: location,
            region: {
              startLine: 8,
              startColumn: 21,
              endLine: 8,
              endColumn: 37,
              snippet: { text: '"customers_read"' },
            },
          },
        },
        {
          ruleId: 'placeholder-purpose',
          ruleIndex: ruleIndex('placeholder-purpose'),
          level: 'warning',
          message: results[1]?.message.text,
          physicalLocation: {
            artifactLocation: location,
            region: {
              startLine: 13,
              startColumn: 19,
              endLine: 13,
              endColumn: 23,
              snippet: { text: 'test' },
            },
          },
        },
      ],
    );
    assert.match(results[0]?.message.text ?? '', /customers_read/);
    assert.deepEqual(run?.originalUriBaseIds, {
      '%SRCROOT%': { uri: `${pathToFileURL(cwd).href}/` },
    });
    assert.equal(run.columnKind, 'utf16CodeUnits');
    assert.deepEqual(run.artifacts, [{ sourceLanguage: 'JSON', location: { uri: location.uri } }]);
  });

  it('fingerprints findings by their text, so they survive lines moving', () => {
    const fingerprints = (text: string): string[] => {
      const dir = folder({ 'stripe-app.json': text });
      const sarif = JSON.parse(cli(['lint', '--format', 'sarif'], dir).stdout) as Sarif.Log;
      return (sarif.runs[0]?.results ?? []).map(
        (entry) => entry.partialFingerprints?.['stripeAppsManifest/v1'] ?? '',
      );
    };
    const before = fingerprints(TWO_FINDINGS);
    assert.equal(before.length, 2);
    assert.notEqual(before[0], before[1]);
    for (const fingerprint of before) assert.match(fingerprint, /^[0-9a-f]{32}:1$/);
    const moved = fingerprints(TWO_FINDINGS.replace('{\n', '{\n  "$schema": "x",\n\n'));
    assert.deepEqual(moved, before);
    const changed = fingerprints(TWO_FINDINGS.replace('customers_read', 'customerz_read'));
    assert.notEqual(changed[0], before[0]);
    assert.equal(changed[1], before[1]);
  });

  it("passes Microsoft's SARIF validator with GitHub's ingestion rules", () => {
    const input = join(root, 'validate-in.sarif');
    const report = join(root, 'validate-out.sarif');
    writeFileSync(input, result.stdout);
    const validator = spawnSync(
      join(sarifPlatformPackage(), 'Sarif.Multitool'),
      [
        'validate',
        input,
        '--rule-kind',
        'Gh;Ghas;Sarif',
        '--output',
        report,
        '--log',
        'ForceOverwrite',
      ],
      { encoding: 'utf8', timeout: 120_000 },
    );
    assert.equal(validator.status, 0, validator.stdout + validator.stderr);
    const findings = (JSON.parse(readFileSync(report, 'utf8')) as Sarif.Log).runs[0]?.results ?? [];
    const problems = findings.filter(
      (entry) => entry.level === 'error' || entry.level === 'warning',
    );
    assert.deepEqual(
      problems.map((entry) => `${entry.ruleId}: ${JSON.stringify(entry.message)}`),
      [],
    );
  });

  it('writes SARIF to --sarif-file next to the text report', () => {
    const dir = folder({ 'stripe-app.json': TWO_FINDINGS });
    const both = cli(['lint', '--sarif-file', 'reports/lint.sarif'], dir);
    assert.equal(both.code, 1);
    assert.match(both.stdout, /^stripe-app\.json:8:21 error unknown-permission /);
    const written = JSON.parse(readFileSync(join(dir, 'reports/lint.sarif'), 'utf8')) as Sarif.Log;
    assert.deepEqual(
      written.runs[0]?.results?.map((entry) => entry.ruleId),
      ['unknown-permission', 'placeholder-purpose'],
    );
  });
});

describe('lint --format github', () => {
  it('prints one workflow command per finding, 1-based, with severity and title', () => {
    const cwd = folder({ 'stripe-app.json': TWO_FINDINGS });
    const result = cli(['lint', '--format', 'github'], cwd);
    assert.equal(result.code, 1);
    const lines = result.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 2);
    assert.match(
      lines[0] ?? '',
      /^::error file=stripe-app\.json,line=8,col=21,endLine=8,endColumn=37,title=unknown-permission \(stripe-apps-manifest\)::Unknown permission "customers_read"/,
    );
    assert.match(
      lines[1] ?? '',
      /^::warning file=stripe-app\.json,line=13,col=19,endLine=13,endColumn=23,title=placeholder-purpose \(stripe-apps-manifest\)::/,
    );
    assert.match(result.stderr, /1 manifest checked: 1 error, 1 warning, 0 other/);
  });

  it('is the default under GitHub Actions, and --format still wins', () => {
    const cwd = folder({ 'stripe-app.json': TWO_FINDINGS });
    const github = cli(['lint'], cwd, { GITHUB_ACTIONS: 'true' });
    assert.match(github.stdout, /^::error file=stripe-app\.json,line=8,/);
    const text = cli(['lint', '--format', 'text'], cwd, { GITHUB_ACTIONS: 'true' });
    assert.match(text.stdout, /^stripe-app\.json:8:21 error /);
    assert.match(cli(['lint'], cwd, { GITHUB_ACTIONS: 'false' }).stdout, /^stripe-app\.json:8:21 /);
    // catalog has no annotations to make: it stays text there.
    const catalogUnderActions = cli(['catalog'], cwd, { GITHUB_ACTIONS: 'true' });
    assert.equal(catalogUnderActions.code, 0);
    assert.match(catalogUnderActions.stdout, /^Billing\n/m);
  });

  it('escapes what would end a property or the message', () => {
    const cwd = folder({
      'x,y:z/stripe-app.json': manifestWith(`[
    { "permission": "cust%omer_read", "purpose": "Shows the customer's plan in the sidebar" }
  ]`),
    });
    const line = cli(['lint', '.', '--format', 'github'], cwd).stdout.trimEnd();
    assert.match(
      line,
      /^::error file=x%2Cy%3Az\/stripe-app\.json,line=7,col=21,endLine=7,endColumn=37,title=unknown-permission \(stripe-apps-manifest\)::Unknown permission "cust%25omer_read"/,
    );
    const multiline = toGithubAnnotations(
      [
        {
          file: join(cwd, 'stripe-app.json'),
          diagnostics: [
            {
              range: { start: { line: 0, character: 0 }, end: { line: 1, character: 2 } },
              severity: DiagnosticSeverity.Information,
              code: 'reused-purpose',
              message: 'first line\r\nsecond: 100%',
            },
          ],
        },
      ],
      cwd,
    );
    assert.equal(
      multiline,
      '::notice file=stripe-app.json,line=1,col=1,endLine=2,endColumn=3,title=reused-purpose (stripe-apps-manifest)::first line%0D%0Asecond: 100%25\n',
    );
  });
});

describe('lint --max-warnings', () => {
  const warningOnly = manifestWith(`[
    { "permission": "customer_read", "purpose": "test" },
    { "permission": "invoice_read", "purpose": "TODO" }
  ]`);

  it('exits 1 only when the warnings outnumber N', () => {
    const cwd = folder({ 'stripe-app.json': warningOnly });
    assert.equal(cli(['lint'], cwd).code, 0);
    assert.equal(cli(['lint', '--max-warnings', '2'], cwd).code, 0);
    const over = cli(['lint', '--max-warnings', '1'], cwd);
    assert.equal(over.code, 1);
    assert.match(over.stderr, /2 warnings found, more than --max-warnings 1/);
    assert.equal(cli(['lint', '--max-warnings', '0', '--format', 'sarif'], cwd).code, 1);
    assert.equal(
      cli(['lint', '--max-warnings', '0'], folder({ 'stripe-app.json': CLEAN })).code,
      0,
    );
  });

  it('refuses what is not a whole number, and formats lint does not have', () => {
    const cwd = folder({ 'stripe-app.json': warningOnly });
    for (const args of [
      ['lint', '--max-warnings', '-1'],
      ['lint', '--max-warnings', 'many'],
      ['lint', '--format', 'junit'],
      ['catalog', '--format', 'sarif'],
    ]) {
      const result = cli(args, cwd);
      assert.equal(result.code, 2, args.join(' '));
      assert.match(result.stderr, /Usage: stripe-apps-manifest/);
    }
  });
});

describe('the bundled cli when its reader goes away', () => {
  /** Runs the bundled CLI with its stdout closed before it writes anything. */
  async function runWithClosedStdout(
    args: string[],
    cwd: string,
  ): Promise<{ status: number | null; stderr: string }> {
    const child = spawn(process.execPath, [BUNDLED_CLI, ...args], {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, GITHUB_ACTIONS: '' },
    });
    // Closing our end at once: every write of the child meets a pipe without a reader.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => (stderr += chunk));
    const [status] = (await once(child, 'close')) as [number | null];
    return { status, stderr };
  }

  it('ends catalog quietly with status 0', async () => {
    const { status, stderr } = await runWithClosedStdout(['catalog'], root);
    assert.doesNotMatch(stderr, /EPIPE|\n\s+at /);
    assert.equal(status, 0, stderr);
  });

  it('ends lint quietly with the status of its findings', async () => {
    const permissions = Array.from(
      { length: 400 },
      (_, index) => `{ "permission": "unknown_${index}_read", "purpose": "test" }`,
    ).join(',\n    ');
    const cwd = folder({ 'stripe-app.json': manifestWith(`[\n    ${permissions}\n  ]`) });
    const { status, stderr } = await runWithClosedStdout(['lint'], cwd);
    assert.doesNotMatch(stderr, /EPIPE|\n\s+at /);
    assert.equal(status, 1, stderr);
  });
});
