/**
 * One definition of the manifest files (server/src/service/manifestFileNames.ts): the model, the
 * server and the CLI call `isManifestFileName`; the client's selectors and globs and package.json
 * (activation, menus, schema association) must say exactly the same, with the same case rule.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { minimatch } from 'minimatch';
import {
  ANY_MANIFEST_GLOB,
  BASE_MANIFEST_GLOB,
  LANGUAGES,
  MANIFEST_MENU_WHEN,
  MANIFEST_SELECTOR,
  SOURCE_GLOB,
  SOURCE_SELECTOR,
  V1_MANIFEST_SELECTOR,
  V2_MANIFEST_SELECTOR,
  WORKSPACE_CONTAINS_EVENTS,
} from '../../client/src/manifestPatterns';
import {
  MANIFEST_FILE_NAMES,
  caseInsensitiveGlob,
  isManifestFileName,
  manifestFileOf,
} from '../../server/src/service/manifestFileNames';
import { manifestFormat } from '../../server/src/service/manifestDocument';

const root = join(__dirname, '..', '..');

interface PackageJson {
  activationEvents: string[];
  contributes: {
    menus: Record<string, { command: string; when?: string }[]>;
    jsonValidation: { fileMatch: string[]; url: string }[];
  };
}
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as PackageJson;

const MANIFESTS = [
  'stripe-app.json',
  'stripe-app.dev.json',
  'stripe-app.local.dev.json',
  'stripe-app.yaml',
  'Stripe-App.json',
  'STRIPE-APP.DEV.JSON',
  'Stripe-App.Yaml',
];
const NOT_MANIFESTS = [
  'stripe-app.jsonc',
  'stripe-app.yml',
  'stripe-app.dev.yaml',
  'stripe-app..json',
  'stripe-app.',
  'my-stripe-app.json',
  'stripe-app.json.bak',
  'package.json',
  'stripe-apps.json',
  'stripe-app-json',
];

/** Where VS Code matches a document filter's glob: the document's whole path. */
const inFolder = (name: string): string => `/home/me/apps/my-app/${name}`;

describe('manifest file names: the one definition', () => {
  it('knows base, local and v2 manifests, in any case', () => {
    for (const name of MANIFESTS) assert.ok(isManifestFileName(name), name);
    for (const name of NOT_MANIFESTS) assert.ok(!isManifestFileName(name), name);
    assert.equal(manifestFileOf('stripe-app.json')?.kind, 'base');
    assert.equal(manifestFileOf('/a/Stripe-App.Dev.json')?.kind, 'local');
    assert.equal(manifestFileOf('C:\\a\\STRIPE-APP.YAML')?.format, 'yaml');
    assert.equal(manifestFormat('file:///a/Stripe-App.YAML'), 'yaml');
    assert.equal(manifestFormat('file:///a/stripe-app.dev.json'), 'json');
  });

  it('spells every letter as a two-case class in globs, and * as one or more characters', () => {
    assert.equal(
      caseInsensitiveGlob('stripe-app.*.json'),
      '[sS][tT][rR][iI][pP][eE]-[aA][pP][pP].?*.[jJ][sS][oO][nN]',
    );
  });
});

describe("the client's selectors and globs", () => {
  const matchesSelector = (
    selector: readonly { pattern: string; language: string }[],
    path: string,
  ): boolean => selector.some((filter) => minimatch(path, filter.pattern));

  it('select exactly the manifests, each in its own languages', () => {
    for (const name of [...MANIFESTS, ...NOT_MANIFESTS]) {
      assert.equal(
        matchesSelector(MANIFEST_SELECTOR, inFolder(name)),
        isManifestFileName(name),
        name,
      );
      assert.equal(
        matchesSelector(V2_MANIFEST_SELECTOR, inFolder(name)),
        manifestFileOf(name)?.format === 'yaml',
        name,
      );
      assert.equal(
        matchesSelector(V1_MANIFEST_SELECTOR, inFolder(name)),
        manifestFileOf(name)?.format === 'json',
        name,
      );
      assert.equal(minimatch(inFolder(name), ANY_MANIFEST_GLOB), isManifestFileName(name), name);
    }
    for (const filter of MANIFEST_SELECTOR) {
      const file = manifestFileOf(filter.pattern.replace(/\[(\w)\w\]/g, '$1').replace('?*', 'x'));
      assert.ok(file, filter.pattern);
      assert.ok(LANGUAGES[file.format].includes(filter.language), filter.pattern);
      assert.ok(['file', 'vscode-vfs'].includes(filter.scheme));
    }
    assert.deepEqual([...new Set(V2_MANIFEST_SELECTOR.map((filter) => filter.language))], ['yaml']);
  });

  it('offers base manifests (v1 and v2) when no manifest is open, never local ones', () => {
    assert.ok(minimatch(inFolder('stripe-app.json'), BASE_MANIFEST_GLOB));
    assert.ok(minimatch(inFolder('Stripe-App.yaml'), BASE_MANIFEST_GLOB));
    assert.ok(!minimatch(inFolder('stripe-app.dev.json'), BASE_MANIFEST_GLOB));
  });

  it("selects the app's UI source files, not other files", () => {
    for (const path of ['/a/app/src/views/App.tsx', '/a/app/src/index.ts', '/a/src/x/y.jsx']) {
      assert.ok(minimatch(path, SOURCE_GLOB), path);
    }
    for (const path of ['/a/app/lib/index.ts', '/a/app/src/styles.css', '/a/app/index.ts']) {
      assert.ok(!minimatch(path, SOURCE_GLOB), path);
    }
    assert.deepEqual([...new Set(SOURCE_SELECTOR.map((filter) => filter.language))].sort(), [
      'javascript',
      'javascriptreact',
      'typescript',
      'typescriptreact',
    ]);
  });
});

describe('package.json holds the same patterns', () => {
  it('activates on every manifest file in the workspace and on its languages', () => {
    assert.deepEqual(pkg.activationEvents, [
      ...WORKSPACE_CONTAINS_EVENTS,
      'onLanguage:json',
      'onLanguage:jsonc',
      'onLanguage:yaml',
    ]);
    assert.equal(WORKSPACE_CONTAINS_EVENTS.length, MANIFEST_FILE_NAMES.length);
    for (const name of [...MANIFESTS, ...NOT_MANIFESTS]) {
      const activates = WORKSPACE_CONTAINS_EVENTS.some((event) =>
        minimatch(inFolder(name), event.slice('workspaceContains:'.length)),
      );
      assert.equal(activates, isManifestFileName(name), name);
    }
  });

  it('shows Grant and Revoke in the editor menus of exactly the manifests', () => {
    for (const menu of ['editor/title', 'editor/context']) {
      for (const item of pkg.contributes.menus[menu] ?? []) {
        assert.equal(item.when, MANIFEST_MENU_WHEN, `${menu} ${item.command}`);
      }
    }
    // The clause, evaluated as VS Code would for a file name and a language.
    const clauses = [
      ...MANIFEST_MENU_WHEN.matchAll(
        /resourceFilename =~ \/(.+?)\/i && resourceLangId =~ \/(.+?)\//g,
      ),
    ].map((match) => ({
      name: new RegExp(match[1] ?? '', 'i'),
      language: new RegExp(match[2] ?? ''),
    }));
    assert.equal(clauses.length, 2);
    const shown = (name: string, language: string): boolean =>
      clauses.some((clause) => clause.name.test(name) && clause.language.test(language));
    for (const name of [...MANIFESTS, ...NOT_MANIFESTS]) {
      const file = manifestFileOf(name);
      assert.equal(shown(name, 'json'), file?.format === 'json', `${name} as json`);
      assert.equal(shown(name, 'jsonc'), file?.format === 'json', `${name} as jsonc`);
      assert.equal(shown(name, 'yaml'), file?.format === 'yaml', `${name} as yaml`);
      assert.equal(shown(name, 'plaintext'), false, `${name} as plaintext`);
    }
    assert.match(MANIFEST_MENU_WHEN, / && resourceScheme =~ \/\^\(file\|vscode-vfs\)\$\/$/);
  });

  it('associates the JSON schema with the v1 manifests, with the same case rule', () => {
    const [association, ...others] = pkg.contributes.jsonValidation;
    assert.equal(others.length, 0);
    assert.deepEqual(
      association?.fileMatch,
      MANIFEST_FILE_NAMES.filter((file) => file.format === 'json').map((file) =>
        caseInsensitiveGlob(file.name),
      ),
    );
  });
});
