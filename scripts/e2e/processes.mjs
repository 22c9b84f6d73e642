// Process management for the E2E harness: code-server runs in its own process group (detached),
// and every group started here is killed at exit, on failure and on Ctrl-C.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { log, paths } from './paths.mjs';

/** Process groups started by this process, killed by `killAll`. */
const groups = new Set();

/** Kills every process group still alive; synchronous so it also works in an 'exit' handler. */
export function killAll(signal = 'SIGKILL') {
  for (const pid of groups) {
    try {
      process.kill(-pid, signal);
    } catch {
      // already gone
    }
  }
  groups.clear();
}

let handlersInstalled = false;
/** Kill every group on exit, and turn Ctrl-C / SIGTERM into a clean exit that does the same. */
export function installCleanupHandlers(onSignal) {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', () => killAll());
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      log(`received ${signal}, stopping`);
      void Promise.resolve(onSignal?.())
        .catch(() => {})
        .finally(() => {
          killAll();
          process.exit(signal === 'SIGINT' ? 130 : 143);
        });
    });
  }
}

export async function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Environment that keeps code-server and everything it starts inside the run folder. */
export function isolatedEnv(runDir, extra = {}) {
  const home = path.join(runDir, 'home');
  // Never let settings of the shell leak into the editor under test.
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) =>
        !key.startsWith('VSCODE_') &&
        !/^npm_/i.test(key) &&
        key !== 'ELECTRON_RUN_AS_NODE' &&
        key !== 'NODE_OPTIONS',
    ),
  );
  const env = {
    ...inherited,
    PATH: `${path.dirname(paths.node24)}:${process.env.PATH ?? ''}`,
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    XDG_DATA_HOME: path.join(home, '.local/share'),
    XDG_CACHE_HOME: path.join(home, '.cache'),
    XDG_STATE_HOME: path.join(home, '.local/state'),
    ...extra,
  };
  for (const dir of ['XDG_CONFIG_HOME', 'XDG_DATA_HOME', 'XDG_CACHE_HOME', 'XDG_STATE_HOME']) {
    fs.mkdirSync(env[dir], { recursive: true });
  }
  return env;
}

/** User settings for every run: nothing may rewrite the fixtures or pop up over the editor. */
export const USER_SETTINGS = {
  'files.autoSave': 'off',
  'workbench.startupEditor': 'none',
  'security.workspace.trust.enabled': false,
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.ignoreRecommendations': true,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'update.mode': 'none',
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'window.commandCenter': false,
  'git.enabled': false,
  'remote.autoForwardPorts': false,
  'editor.minimap.enabled': false,
  // Its header lines cover the top of the editor: a light bulb under them cannot be clicked.
  'editor.stickyScroll.enabled': false,
};

/** A fresh user-data folder with the harness settings. */
export function prepareUserData(dir, settings = {}) {
  fs.mkdirSync(path.join(dir, 'User'), { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'User/settings.json'),
    JSON.stringify({ ...USER_SETTINGS, ...settings }, null, 2),
  );
}

/** Runs a code-server CLI command to completion (e.g. --install-extension). */
export async function codeServerCli(args, { env, logFile }) {
  const out = fs.openSync(logFile, 'a');
  const child = spawn(paths.node24, [paths.codeServer, ...args], {
    env,
    stdio: ['ignore', out, out],
    detached: true,
  });
  groups.add(child.pid);
  const code = await new Promise((resolve) => child.on('exit', (c) => resolve(c ?? 1)));
  groups.delete(child.pid);
  fs.closeSync(out);
  if (code !== 0) {
    throw new Error(`code-server ${args.join(' ')} exited with ${code}; see ${logFile}`);
  }
}

/**
 * Starts code-server on 127.0.0.1 (a free port) in its own process group and waits for /healthz.
 * Returns { url, host, pid, logFile, stop(), exited }.
 */
export async function startCodeServer({
  runDir,
  name,
  userDataDir,
  extensionsDir,
  folder,
  smokeTestDriver = false,
  env,
  port,
  timeoutMs = 60_000,
}) {
  const listenPort = port ?? (await freePort());
  const logFile = path.join(runDir, `${name}.log`);
  const out = fs.openSync(logFile, 'a');
  const args = [
    paths.codeServer,
    '--bind-addr',
    `127.0.0.1:${listenPort}`,
    '--auth',
    'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--user-data-dir',
    userDataDir,
    '--extensions-dir',
    extensionsDir,
    ...(smokeTestDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
    ...(folder ? [folder] : []),
  ];
  const child = spawn(paths.node24, args, { env, stdio: ['ignore', out, out], detached: true });
  fs.closeSync(out);
  groups.add(child.pid);
  let exited = null;
  const exitPromise = new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      exited = { code, signal };
      resolve(exited);
    });
  });
  const url = `http://127.0.0.1:${listenPort}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited) {
      throw new Error(
        `code-server (${name}) exited early (${JSON.stringify(exited)}); see ${logFile}:\n${tail(logFile)}`,
      );
    }
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      throw new Error(`code-server (${name}) not healthy after ${timeoutMs} ms; see ${logFile}`);
    }
    await waitForEvent(child, 'exit', 200);
  }
  log(`code-server ${name} ready at ${url} (pid ${child.pid}, log ${logFile})`);

  async function stop() {
    if (!groups.has(child.pid)) return;
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
    if (!exited) await waitForEvent(child, 'exit', 5_000);
    try {
      process.kill(-child.pid, 'SIGKILL'); // anything left in the group (ext host, servers)
    } catch {
      // group empty
    }
    groups.delete(child.pid);
    await groupGone(child.pid);
  }
  return {
    url,
    host: `127.0.0.1:${listenPort}`,
    pid: child.pid,
    logFile,
    stop,
    /** Resolves with { code, signal } when code-server exits. */
    exited: exitPromise,
  };
}

function groupAlive(pgid) {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Waits (up to 5 s) until no process of the group is left, so "stopped" means gone. */
async function groupGone(pgid) {
  const deadline = Date.now() + 5_000;
  while (groupAlive(pgid) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Resolves when `emitter` emits `event` or after `ms` (a bounded poll interval, not a sleep). */
function waitForEvent(emitter, event, ms) {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    emitter.once(event, done);
    function done() {
      clearTimeout(timer);
      emitter.off(event, done);
      resolve();
    }
  });
}

export function tail(file, lines = 40) {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}
