import { promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'jsonc-parser';

/*
 * The app's `tsconfig.json` path aliases, read apart from the call finder so that looking for an
 * app's sources never loads TypeScript's parser.
 */

/** `tsconfig` `paths` as prefix rewrites relative to the app folder (`@/` → `src/`). */
export interface PathAlias {
  prefix: string;
  /** Replacement prefixes, tried in order, relative to the app folder with `/` separators. */
  targets: string[];
}

/** `compilerOptions.paths` of the app's `tsconfig.json` (no `extends`); `@/*` → `src/*` without. */
export async function readPathAliases(appFolder: string): Promise<PathAlias[]> {
  let text: string | undefined;
  try {
    text = await fs.readFile(path.join(appFolder, 'tsconfig.json'), 'utf8');
  } catch {
    text = undefined;
  }
  return pathAliases(text);
}

export function readPathAliasesSync(appFolder: string): PathAlias[] {
  let text: string | undefined;
  try {
    text = readFileSync(path.join(appFolder, 'tsconfig.json'), 'utf8');
  } catch {
    text = undefined;
  }
  return pathAliases(text);
}

/** The aliases of a `tsconfig.json` text (undefined: there is none). */
function pathAliases(text: string | undefined): PathAlias[] {
  if (text === undefined) return [{ prefix: '@/', targets: ['src/'] }];
  const config: unknown = parse(text);
  const options = (config as { compilerOptions?: { baseUrl?: unknown; paths?: unknown } } | null)
    ?.compilerOptions;
  const baseUrl = typeof options?.baseUrl === 'string' ? options.baseUrl : '.';
  const aliases: PathAlias[] = [];
  if (options?.paths && typeof options.paths === 'object') {
    for (const [pattern, targets] of Object.entries(options.paths as Record<string, unknown>)) {
      if (!Array.isArray(targets)) continue;
      const prefix = pattern.replace(/\*$/, '');
      aliases.push({
        prefix,
        targets: targets
          .filter((target): target is string => typeof target === 'string')
          .map((target) => path.posix.normalize(`${baseUrl}/${target.replace(/\*$/, '')}`))
          .map((target) => (pattern.endsWith('*') && !target.endsWith('/') ? `${target}/` : target))
          .map((target) => target.replace(/^\.\//, '')),
      });
    }
  }
  return aliases.sort((a, b) => b.prefix.length - a.prefix.length);
}
