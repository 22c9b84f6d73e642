#!/usr/bin/env node
// `npm run test:vscode`: the same in-host mocha suite as `npm run test:e2e`, in desktop VS Code
// downloaded by @vscode/test-electron (for machines that can reach update.code.visualstudio.com:
// a developer laptop or public CI; on headless Linux run it under `xvfb-run -a`).
// Each fixture workspace is copied fresh, with fresh user-data and extensions folders, under
// .cache/e2e/vscode-test/; VS Code itself is cached there too.
//   VSCODE_VERSION=1.91.0 npm run test:vscode   (default: stable)
import fs from 'node:fs';
import path from 'node:path';
import { downloadAndUnzipVSCode, runTests } from '@vscode/test-electron';
import { buildExtension, buildSuite } from './build.mjs';
import { log, paths } from './paths.mjs';
import { prepareUserData } from './processes.mjs';

const cache = path.join(paths.cache, 'vscode-test');
const runDir = path.join(cache, 'runs', `${Date.now()}-${process.pid}`);

buildExtension();
const suiteIndex = await buildSuite(path.join(runDir, 'suite-bundle'));

const fixtures = fs
  .readdirSync(paths.fixtures, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

const version = process.env.VSCODE_VERSION ?? 'stable';
let vscodeExecutablePath;
try {
  vscodeExecutablePath = await downloadAndUnzipVSCode({ version, cachePath: cache });
} catch (error) {
  console.error(
    `Could not download VS Code ${version} (${error instanceof Error ? error.message : String(error)}).\n` +
      'Without internet access use `npm run test:e2e` (code-server) instead.',
  );
  process.exit(1);
}

let failed = 0;
for (const fixture of fixtures) {
  const folder = path.join(runDir, 'ws', fixture);
  fs.cpSync(path.join(paths.fixtures, fixture), folder, { recursive: true });
  const userData = path.join(runDir, fixture, 'user-data');
  prepareUserData(userData);
  log(`VS Code (${version}) suite on fixture "${fixture}"`);
  try {
    await runTests({
      vscodeExecutablePath,
      extensionDevelopmentPath: paths.root,
      extensionTestsPath: suiteIndex,
      launchArgs: [
        folder,
        '--disable-extensions',
        '--disable-workspace-trust',
        '--skip-welcome',
        '--skip-release-notes',
        '--user-data-dir',
        userData,
        '--extensions-dir',
        path.join(runDir, fixture, 'extensions'),
      ],
    });
    log(`fixture "${fixture}": PASS`);
  } catch (error) {
    failed++;
    log(`fixture "${fixture}": FAIL (${error instanceof Error ? error.message : String(error)})`);
  }
}
if (failed === 0) fs.rmSync(runDir, { recursive: true, force: true });
process.exit(failed === 0 ? 0 : 1);
