/**
 * Keeps V8's young generation at its starting size. Left to itself it grows to 16 MB while the
 * app's source files are parsed (or a large manifest) and never gives the memory back, though it
 * is empty once that is done. Measured (`npm run bench:app-server`, production build): the
 * server's private memory with a real 58-file app indexed is 59.8 MB without this and 50.7 MB
 * with it, against 6.7 MB for a bare Node (issue 14's bound: + 50 MB); 69.4 → 53.8 MB with a
 * 232-file app. The first import of the server's entry, so it holds from the start.
 */
import { setFlagsFromString } from 'node:v8';

// The one heap setting V8 still reads after start-up (`--max-semi-space-size` works only on
// the command line). `npm run bench` measures the server's memory and speed with it. Setting a
// flag late is safe where the server runs: Node, and Electron as Node (VS Code), both start V8
// with --no-freeze-flags-after-init, without which V8 would abort here.
setFlagsFromString('--semi-space-growth-factor=1');
