#!/usr/bin/env node
// Sets up everything the E2E harness needs, idempotently, into .cache/e2e/ (git-ignored):
//   - Debian packages `chromium` (the browser playwright-core drives) and `libkrb5-dev` (headers
//     for code-server's kerberos addon), only when missing; needs root.
//   - Node 24 from npm (scripts/e2e/node/package.json + lockfile) for code-server.
//   - code-server, pinned in scripts/e2e/code-server/package.json + lockfile, installed with that
//     Node 24 (npm_config_nodedir points node-gyp at its bundled headers: no download).
// playwright-core is a devDependency of the project (npm ci installs it).
// A stamp file records what was installed; a repeat run with the same inputs does nothing.
//
//   node scripts/e2e/setup.mjs           set up (or verify) the cache
//   node scripts/e2e/setup.mjs --force   reinstall Node 24 and code-server
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { paths, log, elapsed } from './paths.mjs';

const force = process.argv.includes('--force');

function run(cmd, args, options = {}) {
  const started = Date.now();
  const { logFile, ...rest } = options;
  const out = logFile ? fs.openSync(logFile, 'w') : 'inherit';
  const result = spawnSync(cmd, args, {
    stdio: ['ignore', out, out],
    ...rest,
  });
  if (logFile) fs.closeSync(out);
  const took = elapsed(started);
  if (result.error || result.status !== 0) {
    const tail = logFile ? `\n--- last lines of ${logFile} ---\n${tailOf(logFile)}` : '';
    throw new Error(
      `${cmd} ${args.join(' ')} failed (${result.error?.message ?? `exit ${result.status}`})${tail}`,
    );
  }
  log(`setup: ${cmd} ${args.join(' ')} took ${took}`);
}

function tailOf(file, lines = 30) {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

function hashFiles(files) {
  const hash = createHash('sha256');
  for (const file of files) hash.update(fs.readFileSync(file));
  return hash.digest('hex').slice(0, 16);
}

function ensureAptPackages() {
  const missing = [];
  if (!fs.existsSync(paths.chromium)) missing.push('chromium');
  if (!fs.existsSync('/usr/include/gssapi/gssapi.h')) missing.push('libkrb5-dev');
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    throw new Error(
      `missing Debian packages: ${missing.join(' ')}; install them as root: apt-get install -y ${missing.join(' ')}`,
    );
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  fs.mkdirSync(paths.logs, { recursive: true });
  run('apt-get', ['update', '-qq'], { env, logFile: path.join(paths.logs, 'apt-update.log') });
  run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], {
    env,
    logFile: path.join(paths.logs, 'apt-install.log'),
  });
}

/**
 * The environment without what an outer `npm run` exports: npm reads `npm_config_*` variables as
 * its own config, so e.g. the outer npm_config_user_agent ("node/v20") would reach code-server's
 * postinstall, which refuses anything but Node 24.
 */
export function withoutNpmEnv(env = process.env) {
  return Object.fromEntries(
    Object.entries(env).filter(([key]) => !/^npm_/i.test(key) && key !== 'INIT_CWD'),
  );
}

/** Copies a package.json + lockfile into the cache folder and runs `npm ci` there. */
function npmCi(sourceDir, targetDir, env, logName) {
  fs.rmSync(targetDir, { recursive: true, force: true });
  fs.mkdirSync(targetDir, { recursive: true });
  for (const file of ['package.json', 'package-lock.json']) {
    fs.copyFileSync(path.join(sourceDir, file), path.join(targetDir, file));
  }
  run('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: targetDir,
    env,
    logFile: path.join(paths.logs, logName),
  });
}

export function setup() {
  const started = Date.now();
  fs.mkdirSync(paths.logs, { recursive: true });
  ensureAptPackages();

  const inputs = [
    path.join(paths.scriptDir, 'node/package-lock.json'),
    path.join(paths.scriptDir, 'code-server/package-lock.json'),
  ];
  const key = hashFiles(inputs);
  const stamp = readStamp();
  const complete =
    fs.existsSync(paths.node24) && fs.existsSync(paths.codeServer) && stamp?.key === key;
  if (complete && !force) {
    log(`setup: cache up to date (${paths.cache}, key ${key})`);
    return;
  }
  fs.rmSync(paths.stamp, { force: true });

  // Node 24 (installed with whatever npm runs this script; it is just a tarball of binaries).
  npmCi(path.join(paths.scriptDir, 'node'), paths.nodeDir, withoutNpmEnv(), 'node24-install.log');
  const version = spawnSync(paths.node24, ['-v'], { encoding: 'utf8' }).stdout.trim();
  if (!version.startsWith('v24.')) throw new Error(`Node 24 expected, got ${version || 'nothing'}`);
  log(`setup: Node ${version} at ${paths.node24}`);

  // code-server with Node 24 first on PATH; its postinstall installs lib/vscode's own deps and
  // compiles native addons against the Node 24 headers.
  npmCi(
    path.join(paths.scriptDir, 'code-server'),
    paths.codeServerDir,
    {
      ...withoutNpmEnv(),
      PATH: `${path.dirname(paths.node24)}:${process.env.PATH ?? ''}`,
      npm_config_nodedir: paths.node24Package,
      npm_config_cache: path.join(paths.cache, 'npm-cache'),
    },
    'code-server-install.log',
  );
  if (!fs.existsSync(paths.codeServer))
    throw new Error(`code-server not found at ${paths.codeServer}`);

  fs.writeFileSync(
    paths.stamp,
    JSON.stringify({ key, node: version, installedAt: new Date().toISOString() }, null, 2) + '\n',
  );
  log(`setup: done in ${elapsed(started)}`);
}

function readStamp() {
  try {
    return JSON.parse(fs.readFileSync(paths.stamp, 'utf8'));
  } catch {
    return undefined;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    setup();
  } catch (error) {
    console.error(`e2e setup failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
