/**
 * Keeps V8's young generation at its starting size. Left to itself it grows to 16 MB while a
 * large manifest is parsed and never gives the memory back, though it is empty once the
 * diagnostics are out. The first import of the server's entry, so it holds from the start.
 */
import { setFlagsFromString } from 'node:v8';

// The one heap setting V8 still reads after start-up (`--max-semi-space-size` works only on
// the command line). `npm run bench` measures the server's memory and speed with it. Setting a
// flag late is safe where the server runs: Node, and Electron as Node (VS Code), both start V8
// with --no-freeze-flags-after-init, without which V8 would abort here.
setFlagsFromString('--semi-space-growth-factor=1');
