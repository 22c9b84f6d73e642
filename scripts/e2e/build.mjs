// Builds what the E2E runs load: the extension (the project's own `npm run build` or, better, its
// `npm run package` .vsix) and the in-host mocha suite (one bundle, written into the run folder).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { elapsed, log, paths } from './paths.mjs';

export const vsixPath = path.join(paths.root, 'stripe-apps-manifest.vsix');

function npm(args, what) {
  const started = Date.now();
  const result = spawnSync('npm', args, {
    cwd: paths.root,
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
  });
  if (result.status !== 0) {
    throw new Error(
      `${what} failed (npm ${args.join(' ')}, exit ${result.status}):\n${result.stdout}\n${result.stderr}`,
    );
  }
  log(`${what} took ${elapsed(started)}`);
}

function scripts() {
  return JSON.parse(fs.readFileSync(path.join(paths.root, 'package.json'), 'utf8')).scripts ?? {};
}

/** `npm run build`: dist/extension.js, dist/server.js (and the CLI). */
export function buildExtension() {
  npm(['run', 'build', '--silent'], 'npm run build');
  const missing = ['dist/extension.js', 'dist/server.js'].filter(
    (file) => !fs.existsSync(path.join(paths.root, file)),
  );
  if (missing.length) {
    throw new Error(`npm run build did not produce ${missing.join(', ')} (the extension's build)`);
  }
}

/** `npm run package` → stripe-apps-manifest.vsix, or undefined when the project has no such script. */
export function packageExtension() {
  if (!scripts().package) return undefined;
  fs.rmSync(vsixPath, { force: true });
  npm(['run', 'package', '--silent'], 'npm run package');
  if (!fs.existsSync(vsixPath)) {
    const found = fs.readdirSync(paths.root).filter((f) => f.endsWith('.vsix'));
    if (found.length === 1) return path.join(paths.root, found[0]);
    throw new Error(`npm run package did not produce ${path.basename(vsixPath)}`);
  }
  return vsixPath;
}

/**
 * Bundles the in-host suite (test/e2e/suite/index.ts and the tests it registers) into one file,
 * `<outDir>/index.js`, with mocha inside; only `vscode` stays external (the host provides it).
 */
export async function buildSuite(outDir) {
  const started = Date.now();
  fs.rmSync(outDir, { recursive: true, force: true });
  await build({
    entryPoints: [path.join(paths.root, 'test/e2e/suite/index.ts')],
    outfile: path.join(outDir, 'index.js'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: 'inline',
    external: ['vscode'],
    logLevel: 'error', // mocha's parallel mode (unused here) has require.resolve calls esbuild warns about
  });
  log(
    `e2e suite bundled into ${path.relative(paths.root, outDir)}/index.js in ${elapsed(started)}`,
  );
  return path.join(outDir, 'index.js');
}

/** What a .vsix ships besides dist/: copied for a snapshot when the project cannot package. */
const EXTENSION_FILES = [
  'package.json',
  'package.nls.json',
  'README.md',
  'LICENSE',
  'CHANGELOG.md',
];
const EXTENSION_DIRS = ['syntaxes', 'images', 'language-configuration'];

/**
 * A copy of the built extension (package.json, dist/*.js, syntaxes, …) in `target`, so a run is
 * not disturbed when someone rebuilds dist/ in the working tree meanwhile.
 */
export function copyExtension(target) {
  fs.rmSync(target, { recursive: true, force: true });
  fs.mkdirSync(path.join(target, 'dist'), { recursive: true });
  for (const file of EXTENSION_FILES) {
    const from = path.join(paths.root, file);
    if (fs.existsSync(from)) fs.copyFileSync(from, path.join(target, file));
  }
  for (const dir of EXTENSION_DIRS) {
    const from = path.join(paths.root, dir);
    if (fs.existsSync(from)) fs.cpSync(from, path.join(target, dir), { recursive: true });
  }
  for (const file of fs.readdirSync(path.join(paths.root, 'dist'))) {
    if (/\.js(\.map)?$/.test(file)) {
      fs.copyFileSync(path.join(paths.root, 'dist', file), path.join(target, 'dist', file));
    }
  }
  return target;
}
