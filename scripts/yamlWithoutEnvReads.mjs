// An esbuild plugin: this project's imports of `yaml` get the package's own browser build.
//
// `yaml`'s Node build reads `process.env.LOG_TOKENS` for every token it parses (a debugging hook)
// and `process.env.LOG_STREAM` for every document; in Node each read is a call into the
// environment. Its browser build is the same code without those two reads (and warns with
// console.warn rather than process.emitWarning). Measured on a 1 000-entry stripe-app.yaml:
// parseDocument 31.8 → 25.5 ms. Other packages' imports of `yaml` (yaml-language-server in the
// benchmark) keep what they ship with.
import { dirname, join, relative } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const browserBuild = join(dirname(require.resolve('yaml/package.json')), 'browser', 'index.js');

export const yamlWithoutEnvReads = {
  name: 'yaml-without-env-reads',
  setup(build) {
    build.onResolve({ filter: /^yaml$/ }, ({ importer }) => {
      const from = relative(root, importer);
      return from.startsWith('node_modules') ? undefined : { path: browserBuild };
    });
  },
};
