#!/usr/bin/env node
// `npm start`: builds the extension and opens a fresh copy of examples/ (an example Stripe app)
// in VS Code with the extension loaded:
//   - desktop VS Code when `code` is on PATH (`--extensionDevelopmentPath`);
//   - otherwise code-server on 127.0.0.1 with the packaged .vsix installed, printing the URL;
//     it keeps running until Ctrl-C, then stops with its whole process group.
// The copy lives in .cache/e2e/start/ so trying the quick fixes never changes the committed files.
//   npm start -- --port=8080     fixed port for code-server (default: a free one)
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { buildExtension, packageExtension } from './build.mjs';
import { log, paths } from './paths.mjs';
import {
  codeServerCli,
  installCleanupHandlers,
  isolatedEnv,
  killAll,
  prepareUserData,
  startCodeServer,
} from './processes.mjs';
import { setup } from './setup.mjs';

const portArg = process.argv.find((a) => a.startsWith('--port='));
const port = portArg ? Number(portArg.slice('--port='.length)) : undefined;
const startDir = path.join(paths.cache, 'start');

function onPath(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

function freshExampleCopy() {
  const workspace = path.join(startDir, 'examples');
  fs.rmSync(workspace, { recursive: true, force: true });
  fs.cpSync(paths.examples, workspace, { recursive: true });
  return workspace;
}

async function desktop() {
  buildExtension();
  const workspace = freshExampleCopy();
  log(`opening ${workspace} in VS Code with the extension from ${paths.root}`);
  const child = spawn(
    'code',
    ['--new-window', `--extensionDevelopmentPath=${paths.root}`, workspace],
    {
      stdio: 'inherit',
    },
  );
  const code = await new Promise((resolve) => child.on('exit', (c) => resolve(c ?? 1)));
  process.exit(code);
}

async function codeServer() {
  setup();
  const vsix = packageExtension(); // builds for production itself
  if (!vsix) buildExtension();
  fs.rmSync(startDir, { recursive: true, force: true });
  const workspace = freshExampleCopy();
  const env = isolatedEnv(startDir);
  const userDataDir = path.join(startDir, 'user-data');
  const extensionsDir = path.join(startDir, 'extensions');
  prepareUserData(userDataDir, { 'workbench.startupEditor': 'none' });
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
      { env, logFile: path.join(startDir, 'install.log') },
    );
  }
  installCleanupHandlers();
  const server = await startCodeServer({
    runDir: startDir,
    name: 'code-server',
    userDataDir,
    extensionsDir,
    folder: workspace,
    // Without a .vsix the extension loads from the project folder through the URL payload,
    // which code-server only honours with the smoke-test driver enabled.
    smokeTestDriver: !vsix,
    env,
    port,
  });
  let url = `${server.url}/?folder=${encodeURIComponent(workspace)}`;
  if (!vsix) {
    const payload = [['extensionDevelopmentPath', `vscode-remote://${server.host}${paths.root}`]];
    url += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  }
  console.log(`
  The example Stripe app is open in VS Code (code-server) with the extension ${vsix ? `(${path.basename(vsix)})` : '(development folder)'}:

      ${url}

  Open stripe-app.json. Logs: ${path.relative(paths.root, server.logFile)}. Ctrl-C stops it.
`);
  // Runs until Ctrl-C (the cleanup handlers stop code-server) or until code-server itself exits.
  const { code, signal } = await server.exited;
  throw new Error(`code-server exited (${signal ?? `code ${code}`}); see ${server.logFile}`);
}

try {
  if (onPath('code') && !process.argv.includes('--code-server')) await desktop();
  else await codeServer();
} catch (error) {
  console.error(`npm start failed: ${error instanceof Error ? error.message : String(error)}`);
  killAll();
  process.exit(1);
}
