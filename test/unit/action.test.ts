/**
 * The GitHub Action (action.yml), run here as the runner would: its `run:` steps in order, each
 * with `bash --noprofile --norc -eo pipefail`, `${{ inputs.* }}` and `${{ github.action_path }}`
 * expanded (the inputs' defaults unless a case sets them), GITHUB_ACTIONS=true, in a temporary
 * checkout. The action's own checkout is this repository, whose dist/cli.js `npm test` builds, so
 * the build step finds the bundle and goes on.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import type * as Sarif from 'sarif';
import { parse } from 'yaml';
import { manifestWith } from './util';

const root = join(__dirname, '..', '..');
const scratch = mkdtempSync(join(tmpdir(), 'stripe-apps-action-'));
after(() => {
  rmSync(scratch, { recursive: true, force: true });
});

interface ActionStep {
  name: string;
  shell?: string;
  run?: string;
  uses?: string;
  env?: Record<string, string>;
}

interface Action {
  name: string;
  inputs: Record<string, { description: string; default?: string }>;
  runs: { using: string; steps: ActionStep[] };
}

const action = parse(readFileSync(join(root, 'action.yml'), 'utf8')) as Action;

/** Expands the expressions the action uses; any other expression fails the test. */
function expand(text: string, inputs: Record<string, string>): string {
  return text.replace(/\$\{\{\s*([^}]*?)\s*\}\}/g, (_, expression: string) => {
    if (expression === 'github.action_path') return root;
    const input = /^inputs\.([\w-]+)$/.exec(expression)?.[1];
    if (input !== undefined && input in inputs) return inputs[input] ?? '';
    throw new Error(`action.yml uses an expression this test does not know: ${expression}`);
  });
}

let caseCount = 0;
/** Runs the action's steps in a checkout holding `files`; stops at the first failing step. */
function runAction(
  files: Record<string, string>,
  inputs: Record<string, string> = {},
): { status: number; stdout: string; stderr: string; checkout: string } {
  const checkout = join(scratch, `checkout-${caseCount++}`);
  mkdirSync(checkout);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(checkout, name)), { recursive: true });
    writeFileSync(join(checkout, name), text);
  }
  const values = Object.fromEntries(
    Object.entries(action.inputs).map(([name, input]) => [
      name,
      inputs[name] ?? input.default ?? '',
    ]),
  );
  let stdout = '';
  let stderr = '';
  for (const [index, step] of action.runs.steps.entries()) {
    if (step.run === undefined) continue;
    assert.equal(step.shell, 'bash', step.name);
    const script = join(scratch, `step-${caseCount}-${index}.sh`);
    writeFileSync(script, expand(step.run, values));
    const env = Object.fromEntries(
      Object.entries(step.env ?? {}).map(([name, value]) => [name, expand(value, values)]),
    );
    const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], {
      cwd: checkout,
      encoding: 'utf8',
      env: { ...process.env, ...env, GITHUB_ACTIONS: 'true', GITHUB_WORKSPACE: checkout },
      timeout: 60_000,
    });
    stdout += result.stdout;
    stderr += result.stderr;
    if (result.status !== 0) return { status: result.status ?? -1, stdout, stderr, checkout };
  }
  return { status: 0, stdout, stderr, checkout };
}

const WITH_ERROR = manifestWith(`[
    { "permission": "customers_read", "purpose": "Shows the customer's plan in the sidebar" }
  ]`);
const WITH_WARNING = manifestWith(`[
    { "permission": "customer_read", "purpose": "test" }
  ]`);
const CLEAN = manifestWith(`[
    { "permission": "customer_read", "purpose": "Shows the customer's plan in the sidebar" }
  ]`);

describe('the GitHub Action', () => {
  it('is a composite action whose inputs all have descriptions', () => {
    assert.equal(action.runs.using, 'composite');
    assert.deepEqual(Object.keys(action.inputs), ['paths', 'format', 'max-warnings', 'sarif-file']);
    for (const [name, input] of Object.entries(action.inputs)) {
      assert.ok(input.description, name);
    }
    assert.ok(existsSync(join(root, 'dist', 'cli.js')), 'npm run build makes dist/cli.js first');
  });

  it('annotates an error and fails, with the defaults', () => {
    const result = runAction({ 'app/stripe-app.json': WITH_ERROR, 'app/package.json': '{}' });
    assert.equal(result.status, 1, result.stderr);
    assert.equal(
      result.stdout.split('\n')[0],
      '::error file=app/stripe-app.json,line=7,col=21,endLine=7,endColumn=37,title=unknown-permission (stripe-apps-manifest)::Unknown permission "customers_read": did you mean "customer_read"?',
    );
    assert.match(result.stderr, /1 manifest checked: 1 error, 0 warnings/);
  });

  it('passes a clean manifest, and warnings unless max-warnings is exceeded', () => {
    const clean = runAction({ 'stripe-app.json': CLEAN });
    assert.equal(clean.status, 0, clean.stderr);
    assert.equal(clean.stdout, '');
    const warned = runAction({ 'stripe-app.json': WITH_WARNING });
    assert.equal(warned.status, 0, warned.stderr);
    assert.match(warned.stdout, /^::warning file=stripe-app\.json,line=7,/);
    const strict = runAction({ 'stripe-app.json': WITH_WARNING }, { 'max-warnings': '0' });
    assert.equal(strict.status, 1);
    assert.match(strict.stderr, /1 warning found, more than --max-warnings 0/);
  });

  it('writes SARIF to sarif-file and lints only the given paths, one per line', () => {
    const result = runAction(
      {
        'a/stripe-app.json': WITH_ERROR,
        'b c/stripe-app.json': WITH_WARNING,
        'd/stripe-app.json': CLEAN,
      },
      { paths: 'b c/stripe-app.json\n\nd\n', 'sarif-file': 'reports/stripe-apps.sarif' },
    );
    // Not the first manifest's error: only its warning, so the run passes.
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stderr, /2 manifests checked: 0 errors, 1 warning/);
    const sarif = JSON.parse(
      readFileSync(join(result.checkout, 'reports/stripe-apps.sarif'), 'utf8'),
    ) as Sarif.Log;
    assert.deepEqual(
      sarif.runs[0]?.results?.map((entry) => [
        entry.ruleId,
        entry.locations?.[0]?.physicalLocation?.artifactLocation?.uri,
      ]),
      [['placeholder-purpose', 'b%20c/stripe-app.json']],
    );
  });
});

describe('the pre-commit hook definition', () => {
  const hooks = parse(readFileSync(join(root, '.pre-commit-hooks.yaml'), 'utf8')) as {
    id: string;
    entry: string;
    language: string;
    files: string;
  }[];
  const hook = hooks[0];

  it('runs the package bin on the manifests only', () => {
    assert.equal(hooks.length, 1);
    assert.equal(hook?.id, 'stripe-apps-manifest');
    assert.equal(hook.language, 'node');
    const bin = (
      JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
        bin: Record<string, string>;
      }
    ).bin;
    assert.equal(hook.entry, 'stripe-apps-manifest lint');
    assert.ok(hook.entry.split(' ')[0] ?? '' in bin);
    const files = new RegExp(hook.files);
    for (const path of [
      'stripe-app.json',
      'app/stripe-app.dev.json',
      'a/b/stripe-app.local.json',
    ]) {
      assert.ok(files.test(path), path);
    }
    for (const path of [
      'package.json',
      'my-stripe-app.json',
      'stripe-app.json.bak',
      'stripe-app.yaml',
    ]) {
      assert.ok(!files.test(path), path);
    }
  });

  it('lints the files pre-commit passes it (its entry, run on the built CLI)', () => {
    const checkout = join(scratch, 'hook');
    mkdirSync(join(checkout, 'app'), { recursive: true });
    writeFileSync(join(checkout, 'app/stripe-app.json'), WITH_ERROR);
    writeFileSync(join(checkout, 'stripe-app.json'), CLEAN);
    const [, ...args] = hook?.entry.split(' ') ?? [];
    const result = spawnSync(
      process.execPath,
      [join(root, 'dist', 'cli.js'), ...args, 'stripe-app.json', 'app/stripe-app.json'],
      { cwd: checkout, encoding: 'utf8', env: { ...process.env, GITHUB_ACTIONS: '' } },
    );
    assert.equal(result.status, 1, result.stderr);
    assert.match(result.stdout, /^app\/stripe-app\.json:7:21 error unknown-permission /);
    assert.match(result.stderr, /2 manifests checked: 1 error/);
  });
});
