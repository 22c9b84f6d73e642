#!/usr/bin/env node
// Makes sure the third-party editors the client tests drive are installed: Debian's `neovim`
// (0.7 in bookworm) and `emacs-nox` with `elpa-eglot`. Installs the missing ones with apt-get
// (needs root, as scripts/e2e/setup.mjs does for chromium); does nothing when they are there.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

/** A package is there when its command runs (eglot: when Emacs can load it). */
const checks = [
  { pkg: 'neovim', ok: () => runs('nvim', ['--version']) },
  { pkg: 'emacs-nox', ok: () => runs('emacs', ['--version']) },
  {
    pkg: 'elpa-eglot',
    ok: () => runs('emacs', ['--batch', '--eval', "(progn (package-initialize) (require 'eglot))"]),
  },
];

function runs(command, args) {
  const result = spawnSync(command, args, { stdio: 'ignore', timeout: 60_000 });
  return result.error === undefined && result.status === 0;
}

function run(command, args) {
  const started = Date.now();
  const result = spawnSync(command, args, {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (result.error || result.status !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} failed (${result.error?.message ?? `exit ${result.status}`})`,
    );
  }
  console.log(`clients setup: ${command} ${args.join(' ')} took ${Date.now() - started} ms`);
}

const missing = checks.filter((check) => !check.ok()).map((check) => check.pkg);
if (missing.length > 0) {
  if (process.getuid?.() !== 0 || !fs.existsSync('/usr/bin/apt-get')) {
    throw new Error(
      `missing Debian packages: ${missing.join(' ')}; install them as root: apt-get install -y ${missing.join(' ')}`,
    );
  }
  run('apt-get', ['update', '-qq']);
  run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing]);
  const still = checks.filter((check) => !check.ok()).map((check) => check.pkg);
  if (still.length > 0) throw new Error(`still missing after apt-get: ${still.join(' ')}`);
}
console.log('clients setup: neovim, emacs-nox and elpa-eglot are installed');
