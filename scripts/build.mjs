// Bundles the CLI, the language server and the VS Code client with esbuild. Everything they
// import is bundled (only `vscode` stays external), so the npm package has no dependencies.
//   node scripts/build.mjs               development build (source maps)
//   node scripts/build.mjs --production  minified, no source maps (what the .vsix ships)
import { build } from 'esbuild';
import { chmod } from 'node:fs/promises';
import { yamlWithoutEnvReads } from './yamlWithoutEnvReads.mjs';

const production = process.argv.includes('--production');

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: production,
  sourcemap: !production,
  logLevel: 'warning',
  // jsonc-parser's UMD build `require`s its modules dynamically; its ESM build bundles.
  mainFields: ['module', 'main'],
  plugins: [yamlWithoutEnvReads],
};

/**
 * The call analysis (TypeScript's parser, ~9 MB) is a bundle of its own, `dist/analysis.js`: the
 * CLI and the server load it only when they read an app's code, so neither compiles it at start.
 */
const analysisApart = {
  name: 'analysis-apart',
  setup(build) {
    build.onResolve({ filter: /^\.\.?\/analysis$/ }, () => ({
      path: './analysis.js',
      external: true,
    }));
  },
};

await Promise.all([
  build({
    ...common,
    entryPoints: ['server/src/analysis/index.ts'],
    outfile: 'dist/analysis.js',
  }),
  build({
    ...common,
    plugins: [yamlWithoutEnvReads, analysisApart],
    entryPoints: ['server/src/cli.ts'],
    outfile: 'dist/cli.js',
    banner: { js: '#!/usr/bin/env node' },
  }),
  build({
    ...common,
    plugins: [yamlWithoutEnvReads, analysisApart],
    entryPoints: ['server/src/node.ts'],
    outfile: 'dist/server.js',
    banner: { js: '#!/usr/bin/env node' },
  }),
  build({
    ...common,
    entryPoints: ['client/src/extension.ts'],
    outfile: 'dist/extension.js',
    external: ['vscode'],
  }),
]);
// Both are commands of the npm package (`bin`).
await Promise.all([chmod('dist/cli.js', 0o755), chmod('dist/server.js', 0o755)]);
