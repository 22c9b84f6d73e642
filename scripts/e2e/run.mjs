#!/usr/bin/env node
// `npm run test:e2e`: the extension in a real VS Code (code-server's workbench and Node extension
// host), driven by playwright-core in Debian's chromium.
//   1. setup (idempotent, into .cache/e2e/), build the extension, the in-host suite and the .vsix;
//   2. the mocha suite inside the extension host (extensionTestsPath), once per fixture workspace;
//   3. the UI scenarios, typed and clicked, with a screenshot each in test-results/e2e/.
// Exit code 0 only when every part passed.
//
// Options: --suite-only, --ui-only, --skip-setup, --skip-build, --keep (keep the run folder),
//          --scenario=<name substring> (UI), --fixture=<name> (in-host).
import fs from 'node:fs';
import path from 'node:path';
import { launchBrowser, screenshotPath, workbenchUrl } from './browser.mjs';
import { buildExtension, buildSuite, copyExtension, packageExtension, vsixPath } from './build.mjs';
import { elapsed, log, paths } from './paths.mjs';
import {
  codeServerCli,
  installCleanupHandlers,
  isolatedEnv,
  killAll,
  prepareUserData,
  startCodeServer,
  tail,
} from './processes.mjs';
import { runScenarios } from './scenarios.mjs';
import { setup } from './setup.mjs';

const argv = process.argv.slice(2);
const flag = (name) => argv.includes(`--${name}`);
const option = (name) =>
  argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? undefined;

const SUITE_TIMEOUT_MS = 240_000;
const started = Date.now();
const cleanups = [];
installCleanupHandlers(() => runCleanups());

async function runCleanups() {
  while (cleanups.length) {
    const fn = cleanups.pop();
    try {
      await fn();
    } catch (error) {
      log(`cleanup failed: ${String(error)}`);
    }
  }
}

/** A fresh run folder; older runs are pruned (the newest few are kept for debugging). */
function newRunDir() {
  fs.mkdirSync(paths.runs, { recursive: true });
  const old = fs.readdirSync(paths.runs).sort();
  for (const dir of old.slice(0, Math.max(0, old.length - 3))) {
    fs.rmSync(path.join(paths.runs, dir), { recursive: true, force: true });
  }
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '');
  const dir = path.join(paths.runs, `${stamp}-${process.pid}`);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** Copies a fixture workspace into the run folder, so runs never touch the committed files. */
function copyFixture(name, runDir) {
  const target = path.join(runDir, 'ws', name);
  fs.cpSync(path.join(paths.fixtures, name), target, { recursive: true });
  return target;
}

/** The fixtures the in-host suite has tests for (test/e2e/suite/<fixture>.test.ts). */
function fixtures() {
  const only = option('fixture');
  const suite = path.join(paths.fixtures, '..', '..', 'e2e', 'suite');
  return fs
    .readdirSync(paths.fixtures, { withFileTypes: true })
    .filter((d) => d.isDirectory() && (!only || d.name === only))
    .filter((d) => fs.existsSync(path.join(suite, `${d.name}.test.ts`)))
    .map((d) => d.name)
    .sort();
}

/** Lines the extension host forwards to the page console, minus the workbench's %c styling. */
function extensionHostLine(message) {
  const args = message.args().length;
  let text = message.text();
  if (!text.includes('%c')) return text;
  // "%c[Extension Host] %cline color: blue color: black" → "line"
  text = text.replace(/%c/g, '');
  for (let i = 0; i < args; i++) text = text.replace(/\s*color:[^ ]*( [^ ]*)?$/, '');
  return text.replace(/^\[Extension Host\]\s*/, '');
}

/** The mocha suite inside code-server's extension host, once per fixture workspace. */
async function runInHostSuite(runDir, env, extensionPath, testsPath) {
  const server = await startCodeServer({
    runDir,
    name: 'code-server-suite',
    userDataDir: path.join(runDir, 'suite/user-data'),
    extensionsDir: path.join(runDir, 'suite/extensions'),
    smokeTestDriver: true, // makes the web workbench honour extensionDevelopmentPath/TestsPath
    env,
  });
  cleanups.push(() => server.stop());
  const context = await launchBrowser(path.join(runDir, 'suite/chromium'));
  cleanups.push(() => context.close());

  const results = [];
  for (const fixture of fixtures()) {
    const folder = copyFixture(fixture, path.join(runDir, 'suite'));
    const resultsFile = path.join(runDir, `suite-${fixture}.json`);
    fs.rmSync(resultsFile, { force: true });
    const page = await context.newPage();
    const consoleLog = fs.createWriteStream(path.join(runDir, `suite-${fixture}.console.log`));
    page.on('console', (message) => {
      const text = extensionHostLine(message);
      consoleLog.write(`[${message.type()}] ${text}\n`);
      // Live progress: the first line of each test result (details come in the summary).
      if (text.includes('[e2e]'))
        console.log(`    ${text.replace(/^.*?\[e2e\] ?/, '').split('\n')[0]}`);
    });
    page.on('pageerror', (error) => consoleLog.write(`[pageerror] ${String(error)}\n`));
    let resolveExit;
    const exited = new Promise((resolve) => (resolveExit = resolve));
    await page.exposeFunction('codeAutomationExit', (code) => resolveExit(code));
    log(`in-host suite on fixture "${fixture}"`);
    const t0 = Date.now();
    // The fixture name travels in the folder name; the results file path in the query.
    await page.goto(workbenchUrl(server, folder, { extensionPath, testsPath }));
    let timer;
    const code = await Promise.race([
      exited,
      new Promise((resolve) => {
        timer = setTimeout(() => resolve('timeout'), SUITE_TIMEOUT_MS);
      }),
    ]);
    clearTimeout(timer);
    const summary = readSuiteResults(folder);
    if (code === 'timeout') {
      await page.screenshot({ path: screenshotPath(`suite-${fixture}-timeout`) }).catch(() => {});
    }
    const ok = code === 0;
    results.push({ fixture, ok, code, summary });
    log(
      `in-host suite "${fixture}": ${ok ? 'PASS' : 'FAIL'} (exit ${code}) in ${elapsed(t0)}` +
        (summary ? `, ${summary.passes} passed, ${summary.failures.length} failed` : ''),
    );
    if (summary) {
      for (const failure of summary.failures) {
        const error = failure.error
          .split('\n')
          .filter(
            (line) => !/^\s+at .*(node:internal|extensionHostProcess\.js|node_modules)/.test(line),
          )
          .slice(0, 12)
          .join('\n      ');
        console.log(`    ✗ ${failure.title}\n      ${error}`);
      }
    } else if (!ok) {
      console.log(
        `    (no results file: the suite did not run; see ${path.relative(paths.root, runDir)}/suite-${fixture}.console.log)`,
      );
      console.log(
        tail(path.join(runDir, `suite-${fixture}.console.log`), 25).replace(/^/gm, '    '),
      );
    }
    consoleLog.end();
    await page.close().catch(() => {});
  }
  await context.close();
  await server.stop();
  return results;
}

/** The suite writes its results beside the workspace (the extension host knows no run folder). */
function readSuiteResults(folder) {
  const file = path.join(folder, '.e2e-results.json');
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/** The UI scenarios against the packaged .vsix (or the development folder when there is none). */
async function runUi(runDir, env, vsix, extensionPath) {
  const userDataDir = path.join(runDir, 'ui/user-data');
  const extensionsDir = path.join(runDir, 'ui/extensions');
  prepareUserData(userDataDir);
  if (vsix) {
    await codeServerCli(
      [
        '--user-data-dir',
        userDataDir,
        '--extensions-dir',
        extensionsDir,
        '--install-extension',
        vsix,
      ],
      { env, logFile: path.join(runDir, 'code-server-install.log') },
    );
    log(`installed ${path.basename(vsix)} into the run's extensions folder`);
  }
  const server = await startCodeServer({
    runDir,
    name: 'code-server-ui',
    userDataDir,
    extensionsDir,
    smokeTestDriver: !vsix,
    env,
  });
  cleanups.push(() => server.stop());
  const context = await launchBrowser(path.join(runDir, 'ui/chromium'));
  cleanups.push(() => context.close());
  try {
    return await runScenarios({
      server,
      context,
      newWorkspace: (name, fixture = 'basic') =>
        copyFixture(fixture, path.join(runDir, 'ui', name)),
      extensionPath: vsix ? undefined : extensionPath,
      only: option('scenario'),
      runDir,
    });
  } finally {
    await context.close();
    await server.stop();
  }
}

/**
 * The extension under test, as a folder of its own in the run folder: the .vsix unpacked (what
 * people install) when the project can package, else a copy of the development build. Either way
 * a rebuild of dist/ in the working tree during the run cannot change what is being tested.
 */
async function snapshotExtension(runDir, env, vsix) {
  if (!vsix) return copyExtension(path.join(runDir, 'extension'));
  const dir = path.join(runDir, 'extension');
  await codeServerCli(['--extensions-dir', dir, '--install-extension', vsix], {
    env,
    logFile: path.join(runDir, 'code-server-install.log'),
  });
  const unpacked = fs
    .readdirSync(dir, { withFileTypes: true })
    .find((d) => d.isDirectory() && fs.existsSync(path.join(dir, d.name, 'package.json')));
  if (!unpacked) throw new Error(`the .vsix did not unpack into ${dir}`);
  return path.join(dir, unpacked.name);
}

async function main() {
  const suiteOnly = flag('suite-only');
  const uiOnly = flag('ui-only');
  if (!flag('skip-setup')) setup();
  let vsix;
  if (!flag('skip-build')) {
    vsix = packageExtension(); // undefined when the project has no `package` script
    if (!vsix) buildExtension();
  } else if (fs.existsSync(vsixPath)) {
    vsix = vsixPath;
  }
  fs.rmSync(paths.results, { recursive: true, force: true });
  fs.mkdirSync(paths.results, { recursive: true });

  const runDir = newRunDir();
  log(`run folder ${path.relative(paths.root, runDir)}`);
  const env = isolatedEnv(runDir);
  if (vsix) {
    // Keep the package of this run: `npm run package` elsewhere may replace the file meanwhile.
    fs.copyFileSync(vsix, path.join(runDir, path.basename(vsix)));
    vsix = path.join(runDir, path.basename(vsix));
  }
  const extensionPath = await snapshotExtension(runDir, env, vsix);
  log(
    `extension under test: ${vsix ? path.basename(vsix) : 'development build'} → ${path.relative(paths.root, extensionPath)}`,
  );
  const testsPath = await buildSuite(path.join(runDir, 'suite-bundle'));
  prepareUserData(path.join(runDir, 'suite/user-data'));

  const suite = uiOnly ? [] : await runInHostSuite(runDir, env, extensionPath, testsPath);
  const ui = suiteOnly ? [] : await runUi(runDir, env, vsix, extensionPath);

  console.log('\nE2E summary');
  for (const r of suite) {
    console.log(
      `  ${r.ok ? 'PASS' : 'FAIL'}  in-host suite, fixture "${r.fixture}"` +
        (r.summary ? ` (${r.summary.passes} passed, ${r.summary.failures.length} failed)` : ''),
    );
  }
  for (const r of ui) {
    console.log(
      `  ${r.ok ? 'PASS' : 'FAIL'}  UI ${r.name} (${r.seconds}s)${r.ok ? '' : `: ${r.error}`}`,
    );
  }
  console.log(`  screenshots: ${path.relative(paths.root, paths.results)}/`);
  const failed = [...suite, ...ui].filter((r) => !r.ok).length;
  console.log(`  total ${elapsed(started)}; ${failed ? `${failed} FAILED` : 'all passed'}\n`);
  // The plain closing line CI reads: every in-host test and UI scenario counted.
  const passed =
    suite.reduce((sum, r) => sum + (r.summary?.passes ?? (r.ok ? 1 : 0)), 0) +
    ui.filter((r) => r.ok).length;
  const failures =
    suite.reduce((sum, r) => sum + Math.max(r.summary?.failures.length ?? 0, r.ok ? 0 : 1), 0) +
    ui.filter((r) => !r.ok).length;
  console.log(`e2e: ${passed} passed, ${failures} failed`);
  if (!flag('keep') && failed === 0) fs.rmSync(runDir, { recursive: true, force: true });
  return failed === 0 ? 0 : 1;
}

let exitCode = 1;
try {
  exitCode = await main();
} catch (error) {
  console.error(`\nE2E ERROR: ${error instanceof Error ? (error.stack ?? error.message) : error}`);
  exitCode = 1;
} finally {
  await runCleanups();
  killAll();
}
process.exit(exitCode);
