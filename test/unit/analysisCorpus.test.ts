/**
 * The 23 real Stripe Apps (../shared/corpus/apps): the calls of each app's UI extension must be
 * exactly those written down by reading its code (analysisCorpus.expected.json).
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { analyzeAppFolder } from '../../server/src/analysis';

const APPS_DIR =
  process.env.STRIPE_APPS_CORPUS_APPS ??
  path.join(__dirname, '..', '..', '..', 'shared', 'corpus', 'apps');

const skip =
  existsSync(APPS_DIR) || process.env.CI
    ? undefined
    : `the real apps are not at ${APPS_DIR} (set STRIPE_APPS_CORPUS_APPS to run these)`;

interface Expected {
  read?: string;
  calls: string[];
  unresolved: string[];
  notes: string[];
}

const EXPECTED = JSON.parse(
  readFileSync(path.join(__dirname, 'analysisCorpus.expected.json'), 'utf8'),
) as Record<string, Expected | string>;

/** 1-based line of an offset. */
function lineOf(text: string, offset: number): number {
  return text.slice(0, offset).split('\n').length;
}

describe('call analysis: the real apps', { skip }, () => {
  it('covers every app of the corpus, and reads at least 8 of them by hand', () => {
    const apps = readdirSync(APPS_DIR).filter((name) => name.includes('__'));
    assert.deepEqual(
      Object.keys(EXPECTED)
        .filter((key) => !key.startsWith('_'))
        .sort(),
      apps.sort(),
    );
    const read = Object.values(EXPECTED).filter((entry) => typeof entry !== 'string' && entry.read);
    assert.ok(read.length >= 8, `${read.length} apps read by hand`);
  });

  for (const [app, expected] of Object.entries(EXPECTED)) {
    if (typeof expected === 'string') continue;
    it(app, async () => {
      const folder = path.join(APPS_DIR, app);
      const texts = new Map<string, string>();
      const text = (file: string): string => {
        let cached = texts.get(file);
        if (cached === undefined) {
          cached = readFileSync(path.join(folder, file), 'utf8');
          texts.set(file, cached);
        }
        return cached;
      };
      const result = await analyzeAppFolder(folder);
      const at = (file: string, offset: number): string => `${file}:${lineOf(text(file), offset)}`;
      assert.deepEqual(
        {
          calls: result.calls.map(
            (call) =>
              `${at(call.file, call.start)} ${call.accessor}` +
              (call.expand.length
                ? ` expand=${call.expand.map((item) => item.path).join(',')}`
                : '') +
              (call.expandIncomplete ? ' expand-incomplete' : '') +
              ` <- ${call.client.kind} ${at(call.client.file, call.client.start)}`,
          ),
          unresolved: result.unresolved.map(
            (call) => `${at(call.file, call.start)} ${call.reason} ${call.knownPath}`,
          ),
          notes: result.notes.map((note) => `${note.kind} ${note.file} ${note.detail}`),
        },
        { calls: expected.calls, unresolved: expected.unresolved, notes: expected.notes },
      );
    });
  }
});
