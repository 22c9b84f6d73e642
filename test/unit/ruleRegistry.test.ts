/**
 * The registry of diagnostic codes: every code is declared once, by one rule module, and
 * package.json's severity settings are generated from the declarations.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { withSeverityProperties } from '../../scripts/generate-severity-settings';
import {
  CODE_INFO,
  DEFAULT_SEVERITY,
  DIAGNOSTIC_CODES,
  RULES,
  fixesOf,
  leftToYouOf,
} from '../../server/src/service/diagnostics/registry';

describe('rule registry', () => {
  it('declares each code in exactly one rule module (or the validation run)', () => {
    const declared = RULES.flatMap((rule) => Object.keys(rule.codes));
    assert.equal(new Set(declared).size, declared.length);
    assert.deepEqual(
      [...DIAGNOSTIC_CODES].sort(),
      [...declared, 'syntax-error', 'document-too-large', 'too-many-problems'].sort(),
    );
    // 29 of the manifest's rules and the validation run, 5 of the app's code (codeUsageCodes.ts).
    assert.equal(DIAGNOSTIC_CODES.length, 34);
  });

  it('gives every code a default severity, a description, docs and a reference', () => {
    for (const code of DIAGNOSTIC_CODES) {
      const info = CODE_INFO[code];
      assert.equal(DEFAULT_SEVERITY[code], info.severity, code);
      assert.match(info.description, /^[A-Z].*\.$/, code);
      assert.match(info.docs, /\.$/, code);
      assert.match(info.reference, /^(?:permissions|manifest)$/, code);
    }
    assert.equal(DEFAULT_SEVERITY['unknown-permission'], 'error');
    assert.equal(DEFAULT_SEVERITY['purpose-whitespace'], 'hint');
    assert.equal(CODE_INFO['redundant-permission'].reference, 'permissions');
    assert.equal(DEFAULT_SEVERITY['missing-permission'], 'warning');
    assert.equal(DEFAULT_SEVERITY['unused-permission'], 'information');
    assert.equal(CODE_INFO['unresolved-call'].reference, 'permissions');
  });

  it('offers fixes only for codes with a fix, each from the module that declares the code', () => {
    for (const rule of RULES) {
      for (const code of Object.keys(rule.fixes ?? {})) {
        assert.ok(Object.hasOwn(rule.codes, code), code);
        assert.equal(fixesOf(code), rule.fixes?.[code], code);
      }
    }
    for (const rule of RULES) {
      for (const code of Object.keys(rule.leftToYou ?? {})) {
        assert.ok(Object.hasOwn(rule.codes, code), code);
      }
    }
    assert.equal(leftToYouOf('duplicate-permission')?.(2), '2 duplicates with another purpose');
    assert.equal(leftToYouOf('unknown-permission'), undefined);
    assert.equal(fixesOf('long-purpose'), undefined);
    // The code findings' Grant and Revoke edit across files: the server asks codeUsageFeatures.ts.
    assert.equal(fixesOf('missing-permission'), undefined);
    assert.equal(fixesOf('unused-permission'), undefined);
    assert.equal(fixesOf('not-a-code'), undefined);
  });
});

describe('package.json severity settings', () => {
  it('are what `npm run generate:severity-settings` writes from the registry', () => {
    const text = readFileSync('package.json', 'utf8');
    assert.equal(
      withSeverityProperties(text),
      text,
      'package.json is stale: run `npm run generate:severity-settings`',
    );
  });
});

describe('README', () => {
  it('lists every code with its default severity in the Diagnostics table', () => {
    const readme = readFileSync('README.md', 'utf8');
    const section = readme.slice(readme.indexOf('\n## Diagnostics\n'));
    const rows = [...section.matchAll(/^\| `([a-z-]+)` +\| ([a-z]+) +\|/gm)].map(
      (match) => [match[1], match[2]] as const,
    );
    assert.deepEqual(
      Object.fromEntries(rows),
      Object.fromEntries(DIAGNOSTIC_CODES.map((code) => [code, DEFAULT_SEVERITY[code]])),
    );
    assert.equal(rows.length, DIAGNOSTIC_CODES.length);
  });
});
