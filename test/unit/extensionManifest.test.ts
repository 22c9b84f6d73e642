/**
 * The extension's package.json against the code: every diagnostic code has a severity setting,
 * every contributed command is registered by the client, the settings' defaults are the
 * service's, the grammar and icon exist.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ClientCommands } from '../../server/src/protocol';
import {
  DEFAULT_SETTINGS,
  DEFAULT_SEVERITY,
  DIAGNOSTIC_CODES,
} from '../../server/src/service/settings';

const root = join(__dirname, '..', '..');

interface Setting {
  type?: string;
  scope?: string;
  default?: unknown;
  enum?: string[];
  enumDescriptions?: string[];
  markdownDescription?: string;
  properties?: Record<string, Setting>;
  additionalProperties?: boolean;
}
interface Command {
  command: string;
  title: string;
  category?: string;
}
interface MenuItem {
  command: string;
  when?: string;
}
interface ExtensionManifest {
  main: string;
  icon: string;
  activationEvents: string[];
  capabilities: unknown;
  contributes: {
    commands: Command[];
    menus: Record<string, MenuItem[]>;
    configuration: { properties: Record<string, Setting> };
    grammars: { scopeName: string; path: string; injectTo: string[] }[];
    jsonValidation?: unknown;
  };
}

const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as ExtensionManifest;
const settings = manifest.contributes.configuration.properties;

function setting(name: string): Setting {
  const value = settings[name];
  assert.ok(value, `${name} is contributed`);
  return value;
}

/** Every TypeScript file under a folder, recursively. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

describe('package.json settings', () => {
  it('has a severity setting for exactly the diagnostic codes, defaulting as the service does', () => {
    const severity = setting('stripeApps.severity');
    assert.equal(severity.type, 'object');
    assert.deepEqual(severity.default, {});
    assert.equal(severity.additionalProperties, false);
    const properties = severity.properties ?? {};
    assert.deepEqual(Object.keys(properties).sort(), [...DIAGNOSTIC_CODES].sort());
    for (const code of DIAGNOSTIC_CODES) {
      const property = properties[code];
      assert.ok(property);
      assert.deepEqual(property.enum, ['error', 'warning', 'information', 'hint', 'off'], code);
      assert.equal(property.enumDescriptions?.length, 5, code);
      assert.equal(property.default, DEFAULT_SEVERITY[code], code);
      assert.ok(property.markdownDescription?.includes(`\`${code}\``), code);
    }
  });

  it('defaults every other setting as the service does', () => {
    assert.deepEqual(
      setting('stripeApps.allowedPermissions').default,
      DEFAULT_SETTINGS.allowedPermissions,
    );
    assert.equal(setting('stripeApps.purpose.minWords').default, DEFAULT_SETTINGS.purpose.minWords);
    assert.equal(
      setting('stripeApps.purpose.maxLength').default,
      DEFAULT_SETTINGS.purpose.maxLength,
    );
    assert.equal(setting('stripeApps.maxDocumentSize').default, DEFAULT_SETTINGS.maxDocumentSize);
    assert.equal(
      setting('stripeApps.maxNumberOfProblems').default,
      DEFAULT_SETTINGS.maxNumberOfProblems,
    );
    assert.deepEqual(setting('stripeApps.trace.server').enum, ['off', 'messages', 'verbose']);
  });

  it('documents and scopes every setting', () => {
    for (const [name, value] of Object.entries(settings)) {
      assert.ok(value.markdownDescription, `${name} has a markdownDescription`);
      assert.ok(
        value.scope === 'resource' || value.scope === 'window',
        `${name} has a scope (${String(value.scope)})`,
      );
      assert.ok(name.startsWith('stripeApps.'), name);
    }
  });

  it("associates the extension's own schema with manifests, never Stripe's stale one", () => {
    // Any schema silences VS Code JSON's document-value proposals (see jsonSchema.test.ts). The
    // file names are spelt case-insensitively, as everywhere (manifestFileNames.test.ts).
    assert.deepEqual(manifest.contributes.jsonValidation, [
      {
        fileMatch: [
          '[sS][tT][rR][iI][pP][eE]-[aA][pP][pP].[jJ][sS][oO][nN]',
          '[sS][tT][rR][iI][pP][eE]-[aA][pP][pP].?*.[jJ][sS][oO][nN]',
        ],
        url: './schemas/stripe-app.schema.json',
      },
    ]);
  });
});

describe('package.json commands', () => {
  const commands = manifest.contributes.commands;
  const registered = new Set<string>();
  for (const file of sources(join(root, 'client', 'src'))) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/registerCommand\(\s*ClientCommands\.(\w+)/g)) {
      const id = (ClientCommands as Record<string, string>)[match[1] ?? ''];
      assert.ok(id, `ClientCommands.${String(match[1])} exists (${file})`);
      registered.add(id);
    }
    for (const match of text.matchAll(/registerCommand\(\s*'([^']+)'/g)) {
      if (match[1]) registered.add(match[1]);
    }
  }

  it('contributes exactly the client commands, each with the category', () => {
    assert.deepEqual(
      commands.map((command) => command.command).sort(),
      Object.values(ClientCommands).sort(),
    );
    for (const command of commands) {
      assert.equal(command.category, 'Stripe Apps', command.command);
      assert.ok(command.title, command.command);
    }
  });

  it('has every contributed command registered by the client', () => {
    for (const command of commands) {
      assert.ok(registered.has(command.command), `${command.command} is registered`);
    }
  });

  it('shows the commands in the palette only when there is a manifest', () => {
    const palette = manifest.contributes.menus.commandPalette ?? [];
    for (const command of commands) {
      const entry = palette.find((item) => item.command === command.command);
      assert.equal(entry?.when, 'stripeApps.hasManifest', command.command);
    }
  });

  it('offers grant and revoke in the editor title and context menus of manifests only', () => {
    const contributed = new Set(commands.map((command) => command.command));
    for (const menu of ['editor/title', 'editor/context']) {
      const items = manifest.contributes.menus[menu] ?? [];
      assert.deepEqual(
        items.map((item) => item.command).sort(),
        [ClientCommands.grantPermission, ClientCommands.revokePermission].sort(),
      );
      for (const item of items) {
        assert.ok(contributed.has(item.command));
        // Each file-name condition of the clause; manifestFileNames.test.ts evaluates it whole.
        const patterns = [...(item.when ?? '').matchAll(/resourceFilename =~ \/(.+?)\/i/g)].map(
          (match) => new RegExp(match[1] ?? '', 'i'),
        );
        assert.equal(patterns.length, 2, `${menu} ${item.command} has file name conditions`);
        const isManifest = (name: string): boolean =>
          patterns.some((pattern) => pattern.test(name));
        for (const name of [
          'stripe-app.json',
          'stripe-app.dev.json',
          'Stripe-App.Local.JSON',
          'stripe-app.yaml',
        ]) {
          assert.ok(isManifest(name), `${name} is a manifest`);
        }
        for (const name of [
          'stripe-app.jsonc',
          'package.json',
          'my-stripe-app.json',
          'stripe-app.',
          'stripe-app.yml',
        ]) {
          assert.ok(!isManifest(name), `${name} is not a manifest`);
        }
      }
    }
  });
});

describe('package.json activation and contributions', () => {
  it('activates on manifests in the workspace and on JSON and YAML documents', () => {
    // Each manifest file name, spelt case-insensitively (manifestFileNames.test.ts).
    assert.deepEqual(manifest.activationEvents, [
      'workspaceContains:**/[sS][tT][rR][iI][pP][eE]-[aA][pP][pP].[jJ][sS][oO][nN]',
      'workspaceContains:**/[sS][tT][rR][iI][pP][eE]-[aA][pP][pP].?*.[jJ][sS][oO][nN]',
      'workspaceContains:**/[sS][tT][rR][iI][pP][eE]-[aA][pP][pP].[yY][aA][mM][lL]',
      'onLanguage:json',
      'onLanguage:jsonc',
      'onLanguage:yaml',
    ]);
    assert.equal(manifest.main, './dist/extension.js');
    assert.deepEqual(manifest.capabilities, {
      untrustedWorkspaces: { supported: true },
      virtualWorkspaces: true,
    });
  });

  it('injects the permission grammars into JSON, JSON with comments and YAML', () => {
    const grammars = manifest.contributes.grammars;
    assert.deepEqual(
      grammars.map((grammar) => grammar.injectTo),
      [['source.json', 'source.json.comments'], ['source.yaml']],
    );
    for (const [index, grammar] of grammars.entries()) {
      const file = JSON.parse(readFileSync(join(root, grammar.path), 'utf8')) as {
        scopeName: string;
        injectionSelector: string;
      };
      assert.equal(file.scopeName, grammar.scopeName);
      assert.match(file.injectionSelector, index === 0 ? /source\.json/ : /source\.yaml/);
      const text = JSON.stringify(file);
      assert.match(text, /support\.constant\.permission\.read\.stripe-apps/);
      assert.match(text, /support\.constant\.permission\.write\.stripe-apps/);
    }
  });

  it('has a 128×128 PNG icon', () => {
    const png = readFileSync(join(root, manifest.icon));
    assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
    assert.equal(png.readUInt32BE(16), 128);
    assert.equal(png.readUInt32BE(20), 128);
  });
});
