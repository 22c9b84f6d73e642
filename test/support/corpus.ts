import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The 166 real manifests the tests hold the service to. They are not part of the project: CI
 * lays `shared/` beside the clone, and a developer can point `STRIPE_APPS_CORPUS` at a copy.
 */
export const CORPUS_DIR =
  process.env.STRIPE_APPS_CORPUS ??
  join(__dirname, '..', '..', '..', 'shared', 'corpus', 'real-world');

/**
 * Why the corpus tests cannot run here, for `{ skip }`; undefined when they can. Under CI a
 * missing corpus is never a skip: the tests run and fail loudly.
 */
export const corpusSkipReason: string | undefined =
  existsSync(CORPUS_DIR) || process.env.CI
    ? undefined
    : `the real-world corpus is not at ${CORPUS_DIR} (set STRIPE_APPS_CORPUS to run these)`;

/** The real manifests (name and text), sorted by name; throws when the corpus is missing. */
export function corpusFiles(): { name: string; text: string }[] {
  if (!existsSync(CORPUS_DIR)) {
    throw new Error(`The corpus of real manifests is missing: expected it at ${CORPUS_DIR}`);
  }
  const names = readdirSync(CORPUS_DIR)
    .filter((name) => name.endsWith('.json'))
    .sort();
  if (names.length < 100) throw new Error(`Only ${names.length} manifests in ${CORPUS_DIR}`);
  return names.map((name) => ({ name, text: readFileSync(join(CORPUS_DIR, name), 'utf8') }));
}

/** One manifest of the corpus by its file name. */
export function corpusFile(name: string): string {
  return readFileSync(join(CORPUS_DIR, name), 'utf8');
}

/** The real v2 manifests (`stripe-app.yaml`) beside the v1 corpus. */
export const V2_CORPUS_DIR = join(CORPUS_DIR, '..', 'v2');

/** The real v2 manifests (name and text), sorted by name; throws when they are missing. */
export function v2CorpusFiles(): { name: string; text: string }[] {
  if (!existsSync(V2_CORPUS_DIR)) {
    throw new Error(`The v2 manifests are missing: expected them at ${V2_CORPUS_DIR}`);
  }
  return readdirSync(V2_CORPUS_DIR)
    .filter((name) => name.endsWith('.yaml'))
    .sort()
    .map((name) => ({ name, text: readFileSync(join(V2_CORPUS_DIR, name), 'utf8') }));
}
