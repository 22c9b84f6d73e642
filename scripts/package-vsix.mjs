#!/usr/bin/env node
// Packs the .vsix with vsce from a staging folder. The project keeps two allow-lists: package.json
// `files` for the npm package (the CLI and the server's bin) and `.vscodeignore` for the .vsix
// (the extension). vsce refuses a folder that has both, so it packs a copy of what
// `.vscodeignore` lets through, with a package.json that has no `files`.
//
//   node scripts/package-vsix.mjs [--out FILE]   (default: stripe-apps-manifest.vsix)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = process.cwd();
const outArg = process.argv.indexOf('--out');
const out = path.resolve(root, outArg > 0 ? process.argv[outArg + 1] : 'stripe-apps-manifest.vsix');

// The allow-list: every `!path` line after the `**` that leaves everything else out.
const allowed = fs
  .readFileSync(path.join(root, '.vscodeignore'), 'utf8')
  .split(/\r?\n/)
  .map((line) => line.trim())
  .filter((line) => line.startsWith('!'))
  .map((line) => line.slice(1));

const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'stripe-apps-vsix-'));
try {
  for (const file of allowed) {
    const from = path.join(root, file);
    if (!fs.existsSync(from)) throw new Error(`.vscodeignore allows ${file}, which does not exist`);
    fs.mkdirSync(path.dirname(path.join(staging, file)), { recursive: true });
    fs.copyFileSync(from, path.join(staging, file));
  }
  const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  delete manifest.files;
  fs.writeFileSync(path.join(staging, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  fs.copyFileSync(path.join(root, '.vscodeignore'), path.join(staging, '.vscodeignore'));
  const vsce = path.join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
  const run = spawnSync(
    process.execPath,
    [
      vsce,
      'package',
      '--no-dependencies',
      '--allow-missing-repository',
      '--no-rewrite-relative-links',
      '--out',
      out,
    ],
    { cwd: staging, stdio: 'inherit' },
  );
  if (run.status !== 0) process.exit(run.status ?? 1);
} finally {
  fs.rmSync(staging, { recursive: true, force: true });
}
