/**
 * The in-host integration suite: loaded by VS Code as `extensionTestsPath` (code-server in
 * `npm run test:e2e`, desktop VS Code in `npm run test:vscode`), it runs the tests with mocha
 * inside the real extension host. It is bundled into one file with mocha inside, so it needs
 * nothing from node_modules at run time. A rejected `run()` fails the run: the runner exits 1.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import * as vscode from 'vscode';
import { registerBasicTests } from './basic.test';
import { registerMultiTests } from './multi.test';

interface FailureReport {
  title: string;
  error: string;
}

export async function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000, reporter: 'spec' });
  // What mocha does before it requires a test file: define describe/it/before… as globals.
  mocha.suite.emit(Mocha.Suite.constants.EVENT_FILE_PRE_REQUIRE, globalThis, 'e2e', mocha);
  registerBasicTests();
  registerMultiTests();

  const failures: FailureReport[] = [];
  let passes = 0;
  const failed = await new Promise<number>((resolve) => {
    const runner = mocha.run(resolve);
    // One line per test with a marker the code-server runner picks out of the console.
    runner.on(Mocha.Runner.constants.EVENT_TEST_PASS, (test: Mocha.Test) => {
      passes++;
      console.log(`[e2e] ✓ ${test.fullTitle()}`);
    });
    runner.on(Mocha.Runner.constants.EVENT_TEST_FAIL, (test: Mocha.Runnable, error: unknown) => {
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      failures.push({ title: test.fullTitle(), error: message });
      console.log(`[e2e] ✗ ${test.fullTitle()}\n${message}`);
    });
  });
  writeResults({ passes, failures });
  if (failed > 0) throw new Error(`${failed} of ${passes + failed} e2e tests failed`);
  if (passes === 0) throw new Error(`no e2e test ran in workspace ${workspaceName()}`);
}

function workspaceName(): string {
  return vscode.workspace.workspaceFolders?.[0]?.name ?? '(none)';
}

/** Beside the workspace: the one place both runners and the extension host can all reach. */
function writeResults(results: { passes: number; failures: FailureReport[] }): void {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (folder?.uri.scheme !== 'file') return;
  fs.writeFileSync(
    path.join(folder.uri.fsPath, '.e2e-results.json'),
    JSON.stringify(results, null, 2),
  );
}
