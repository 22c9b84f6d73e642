/**
 * `npm run bench [-- FLAGS]`: bundles scripts/bench/bench.ts (with the language service,
 * jsonc-parser and vscode-json-languageservice inside) with esbuild, as scripts/build.mjs bundles
 * dist/, and runs the bundle with `node --expose-gc`, so the timed code is bundled JavaScript, not
 * tsx output (tsx only runs this launcher).
 *
 *   --quick        short budgets (a smoke run; the figures mean little)
 *   --skip-server  no whole-process figures
 *   --skip-5mb     no 5 MB manifest
 *   --build        run `npm run package` (or `npm run build`) first, so dist/ and the .vsix are fresh
 *   --profile      also write a V8 CPU profile (node --cpu-prof) to bench/profiles/
 *   --out=PATH     where to write the JSON results (default bench/results.json)
 *   --v2           the v2 (stripe-app.yaml) rows instead: scripts/bench/benchV2.ts, against the
 *                  `yaml` package's parseDocument and Red Hat's yaml-language-server
 *                  (default --out bench/results-v2.json)
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
// @ts-expect-error -- a plain ES module of the build scripts, without types
import { yamlWithoutEnvReads } from '../yamlWithoutEnvReads.mjs';

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  if (args.includes('--build')) {
    const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as {
      scripts?: Record<string, string>;
    };
    const script = manifest.scripts?.package ? 'package' : 'build';
    const built = spawnSync('npm', ['run', script], { stdio: 'inherit' });
    if (built.status !== 0) return built.status ?? 1;
  }

  const v2 = args.includes('--v2');
  // yaml-language-server is an ES module: the v2 bundle is one too.
  const outfile = join(tmpdir(), 'stripe-apps-bench', v2 ? 'bench-v2.mjs' : 'bench.cjs');
  await build({
    entryPoints: [v2 ? 'scripts/bench/benchV2.ts' : 'scripts/bench/bench.ts'],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: v2 ? 'esm' : 'cjs',
    // Bundled CommonJS code that calls `require` (node built-ins) inside an ES module.
    ...(v2 && {
      banner: {
        js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
      },
    }),
    // The ES module builds of jsonc-parser and vscode-json-languageservice: the same code as their
    // UMD builds, but statically bundleable.
    mainFields: ['module', 'main'],
    // `yaml` as the server bundles it (scripts/build.mjs).
    plugins: [yamlWithoutEnvReads],
    minify: false,
    logLevel: 'warning',
  });

  const nodeArgs = ['--expose-gc'];
  if (args.includes('--profile')) nodeArgs.push('--cpu-prof', '--cpu-prof-dir=bench/profiles');
  const run = spawnSync(process.execPath, [...nodeArgs, outfile, ...args], { stdio: 'inherit' });
  return run.status ?? 1;
}

main().then(
  (status) => {
    process.exitCode = status;
  },
  (error: unknown) => {
    process.stderr.write(
      `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 1;
  },
);
