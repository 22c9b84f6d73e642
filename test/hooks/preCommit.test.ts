/**
 * The pre-commit hook as its users meet it: `pre-commit try-repo` on this repository, from a
 * scratch git repository holding manifests. pre-commit clones this repository (with its
 * uncommitted changes), installs it as a node hook (`npm install`, `npm pack`, which builds the
 * bundles, `npm install -g` of the tarball) and runs the hook's entry on the staged manifests.
 * Debian's `pre-commit` is installed when missing (as root, like the e2e harness). Slow (a few
 * minutes for the install), so `npm run test:hooks` runs it, from .ci/run, apart from `npm test`.
 */
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { manifestWith } from '../unit/util';

const root = join(__dirname, '..', '..');
const scratch = mkdtempSync(join(tmpdir(), 'stripe-apps-pre-commit-'));
after(() => {
  rmSync(scratch, { recursive: true, force: true });
});

function run(
  command: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv = process.env,
): SpawnSyncReturns<string> {
  return spawnSync(command, args, { cwd, env, encoding: 'utf8', timeout: 900_000 });
}

function ensurePreCommit(): void {
  if (run('pre-commit', ['--version'], scratch).status === 0) return;
  assert.equal(
    process.getuid?.(),
    0,
    'pre-commit is missing; install it as root: apt-get install -y pre-commit',
  );
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = run('apt-get', ['update', '-qq'], scratch, env);
  assert.equal(update.status, 0, update.stderr);
  const install = run('apt-get', ['install', '-y', '-qq', 'pre-commit'], scratch, env);
  assert.equal(install.status, 0, install.stderr);
}

/** The environment for pre-commit and the npm it runs: no outer `npm run` settings, no CI. */
function hookEnvironment(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key) && key !== 'INIT_CWD'),
  );
  return {
    ...env,
    PRE_COMMIT_HOME: join(scratch, 'pre-commit-home'),
    // The packages `npm ci` put in npm's cache serve the hook's install.
    npm_config_prefer_offline: 'true',
    GITHUB_ACTIONS: '',
  };
}

describe('the pre-commit hook (pre-commit try-repo)', () => {
  const project = join(scratch, 'project');

  before(() => {
    ensurePreCommit();
    mkdirSync(join(project, 'app'), { recursive: true });
    assert.equal(run('git', ['init', '-q'], project).status, 0);
  });

  function tryRepo(files: Record<string, string>): SpawnSyncReturns<string> {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(project, name), text);
    assert.equal(run('git', ['add', '-A'], project).status, 0);
    return run(
      'pre-commit',
      ['try-repo', root, 'stripe-apps-manifest', '--files', ...Object.keys(files)],
      project,
      hookEnvironment(),
    );
  }

  it('fails on a manifest with an error and prints the finding', () => {
    const result = tryRepo({
      'app/stripe-app.json': manifestWith(`[
    { "permission": "customers_read", "purpose": "Shows the customer's plan in the sidebar" }
  ]`),
      'package.json': '{}\n',
    });
    assert.equal(result.status, 1, `${result.stdout}\n${result.stderr}`);
    assert.match(result.stdout, /Stripe Apps manifest permissions\.+Failed/);
    assert.match(
      result.stdout,
      /app\/stripe-app\.json:7:21 error unknown-permission Unknown permission "customers_read"/,
    );
  });

  it('passes a clean manifest', () => {
    const result = tryRepo({
      'app/stripe-app.json': manifestWith(`[
    { "permission": "customer_read", "purpose": "Shows the customer's plan in the sidebar" }
  ]`),
    });
    assert.equal(result.status, 0, `${result.stdout}\n${result.stderr}`);
    assert.match(result.stdout, /Stripe Apps manifest permissions\.+Passed/);
  });
});
