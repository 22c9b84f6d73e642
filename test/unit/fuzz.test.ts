/**
 * Property tests: any text through every feature. Seeded (FUZZ_SEED, printed) and sized to run
 * in seconds (FUZZ_SCALE multiplies the run counts for a longer local run). For each text:
 * nothing throws, every range lies in the document at a valid UTF-16 position (never inside a
 * surrogate pair, never past a line's end), every edit set applies without overlap, and two
 * fresh services give the same diagnostics.
 */
import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import fc from 'fast-check';
import { createManifestLanguageService } from '../../server/src/service';
import {
  FUZZ_SEED,
  assertProperty,
  NASTY_CHARACTERS,
  assertDeterministic,
  corpusFiles,
  corpusSkipReason,
  entryArbitrary,
  exerciseEverything,
  manifestArbitrary,
  mutate,
  mutatedCorpusProperty,
  mutationArbitrary,
  probeOffsets,
  renderManifest,
  runs,
} from './fuzzUtil';

const corpus = corpusSkipReason ? [] : corpusFiles();

interface Tally {
  runs: number;
  calls: number;
}

function report(t: TestContext, what: string, tally: Tally, started: number): void {
  t.diagnostic(
    `${what}: seed ${FUZZ_SEED}, ${tally.runs} runs, ${tally.calls} feature calls, ${Date.now() - started} ms`,
  );
}

describe('fuzz: every feature on any text', () => {
  it(
    'the real manifests, unmutated, at sampled offsets (every file)',
    { skip: corpusSkipReason },
    (t) => {
      const started = Date.now();
      const service = createManifestLanguageService();
      const tally: Tally = { runs: 0, calls: 0 };
      for (const [index, file] of corpus.entries()) {
        const offsets = probeOffsets(file.text, 40, FUZZ_SEED + index);
        try {
          tally.calls += exerciseEverything(service, file.text, { offsets }).calls;
        } catch (error) {
          assert.fail(`${file.name}: ${error instanceof Error ? error.message : String(error)}`);
        }
        tally.runs++;
      }
      assert.equal(tally.runs, corpus.length);
      report(t, 'corpus', tally, started);
    },
  );

  it(
    'mutated real manifests (deleted, duplicated, inserted characters, truncations)',
    { skip: corpusSkipReason },
    (t) => {
      const started = Date.now();
      const service = createManifestLanguageService();
      const tally: Tally = { runs: 0, calls: 0 };
      assertProperty(
        mutatedCorpusProperty(corpus, (text, index) => {
          const offsets = probeOffsets(text, 30, index);
          tally.calls += exerciseEverything(service, text, { offsets }).calls;
          assertDeterministic(text);
          tally.runs++;
        }),
        runs(400),
      );
      report(t, 'corpus mutations', tally, started);
    },
  );

  it('generated manifests in every layout, with flawed entries, at every offset', (t) => {
    const started = Date.now();
    const service = createManifestLanguageService();
    const tally: Tally = { runs: 0, calls: 0 };
    assertProperty(
      fc.property(manifestArbitrary(entryArbitrary), (spec) => {
        const text = renderManifest(spec);
        const offsets = probeOffsets(text, 120, text.length);
        tally.calls += exerciseEverything(service, text, { offsets }).calls;
        assertDeterministic(text);
        tally.runs++;
      }),
      runs(90),
    );
    report(t, 'generated manifests', tally, started);
  });

  it('JSON-ish noise (tokens, control characters, surrogate halves) at every offset', (t) => {
    const started = Date.now();
    const service = createManifestLanguageService();
    const tally: Tally = { runs: 0, calls: 0 };
    const token = fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...NASTY_CHARACTERS) },
      { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 3 }) },
    );
    assertProperty(
      fc.property(fc.array(token, { maxLength: 40 }), (tokens) => {
        const text = tokens.join('');
        tally.calls += exerciseEverything(service, text).calls;
        assertDeterministic(text);
        tally.runs++;
      }),
      runs(600),
    );
    report(t, 'noise', tally, started);
  });

  it(
    'the parse cache: a changed text at the same version is parsed again',
    { skip: corpusSkipReason },
    () => {
      // A client that resends a version (or a test that forgets to bump it) must not be answered
      // from the previous text's parse.
      const service = createManifestLanguageService();
      assertProperty(
        fc.property(fc.nat({ max: corpus.length - 1 }), mutationArbitrary(), (index, mutation) => {
          const text = corpus[index]?.text ?? '';
          const mutated = mutate(text, mutation);
          const first = exerciseEverything(service, text, { offsets: [], edits: false });
          const second = exerciseEverything(service, mutated, { offsets: [], edits: false });
          const fresh = exerciseEverything(createManifestLanguageService(), mutated, {
            offsets: [],
            edits: false,
          });
          assert.deepEqual(second.diagnostics, fresh.diagnostics);
          assert.ok(first.calls > 0);
        }),
        runs(50),
      );
    },
  );
});
