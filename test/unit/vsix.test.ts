/**
 * `npm run package` makes the .vsix people install: run it in a scratch copy of the extension
 * (so the minified bundles do not replace the development ones in dist/ that other tests use)
 * and check what the archive holds: exactly the files `.vscodeignore` allows (the npm package has
 * its own list, package.json `files`), no source maps, sources, tests or node_modules, under
 * 1.5 MB, with the contributions in its package.json.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { inflateRawSync } from 'node:zlib';

const root = join(__dirname, '..', '..');
const scratch = mkdtempSync(join(tmpdir(), 'stripe-apps-vsix-'));
after(() => {
  rmSync(scratch, { recursive: true, force: true });
});

interface ZipEntry {
  name: string;
  read(): Buffer;
}

/** The entries of a zip archive, from its central directory (enough for what vsce writes). */
function readZip(zip: Buffer): ZipEntry[] {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  assert.ok(end >= 0, 'the .vsix is a zip archive');
  const count = zip.readUInt16LE(end + 10);
  let offset = zip.readUInt32LE(end + 16);
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    assert.equal(zip.readUInt32LE(offset), 0x02014b50, 'central directory entry');
    const method = zip.readUInt16LE(offset + 10);
    const compressedSize = zip.readUInt32LE(offset + 20);
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    const local = zip.readUInt32LE(offset + 42);
    const name = zip.toString('utf8', offset + 46, offset + 46 + nameLength);
    entries.push({
      name,
      read: () => {
        const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
        const data = zip.subarray(start, start + compressedSize);
        return method === 0 ? Buffer.from(data) : inflateRawSync(data);
      },
    });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

describe('the .vsix', () => {
  let vsix: Buffer;
  let entries: ZipEntry[];

  before(() => {
    // What `vsce` reads, copied; what the build reads, linked (esbuild follows the links back).
    for (const file of ['package.json', '.vscodeignore', 'README.md', 'CHANGELOG.md', 'LICENSE']) {
      cpSync(join(root, file), join(scratch, file));
    }
    for (const dir of ['syntaxes', 'schemas', 'images']) {
      cpSync(join(root, dir), join(scratch, dir), { recursive: true });
    }
    for (const dir of ['server', 'client', 'scripts', 'node_modules']) {
      symlinkSync(join(root, dir), join(scratch, dir), 'dir');
    }
    // Files the allow-list must keep out.
    mkdirSync(join(scratch, 'dist'));
    writeFileSync(join(scratch, 'dist', 'extension.js.map'), '{}');
    mkdirSync(join(scratch, 'test'));
    writeFileSync(join(scratch, 'test', 'decoy.test.ts'), '');
    writeFileSync(join(scratch, 'notes.md'), '');

    const run = spawnSync('npm', ['run', 'package'], {
      cwd: scratch,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 240_000,
    });
    assert.equal(run.status, 0, `npm run package failed:\n${run.stdout}\n${run.stderr}`);
    vsix = readFileSync(join(scratch, 'stripe-apps-manifest.vsix'));
    entries = readZip(vsix);
  });

  it('holds exactly the allow-listed files', () => {
    assert.deepEqual(entries.map((entry) => entry.name).sort(), [
      '[Content_Types].xml',
      'extension.vsixmanifest',
      'extension/LICENSE.txt',
      'extension/changelog.md',
      'extension/dist/analysis.js',
      'extension/dist/extension.js',
      'extension/dist/server.js',
      'extension/images/icon.png',
      'extension/package.json',
      'extension/readme.md',
      'extension/schemas/stripe-app.schema.json',
      'extension/syntaxes/stripe-app-permissions-yaml.tmLanguage.json',
      'extension/syntaxes/stripe-app-permissions.tmLanguage.json',
    ]);
  });

  it('holds no source maps, sources, tests or node_modules', () => {
    for (const { name } of entries) {
      assert.doesNotMatch(name, /\.map$|\.ts$|(^|\/)(test|node_modules|client|server)\//, name);
    }
  });

  // The code analysis bundles TypeScript's parser (dist/analysis.js, about 0.4 MB zipped).
  it('is under 1.5 MB', () => {
    assert.ok(vsix.length < 1.5 * 1024 * 1024, `${vsix.length} bytes`);
  });

  it('ships minified bundles without source map references', () => {
    for (const name of ['extension/dist/extension.js', 'extension/dist/server.js']) {
      const text =
        entries
          .find((entry) => entry.name === name)
          ?.read()
          .toString('utf8') ?? '';
      assert.ok(text.length > 0, name);
      assert.doesNotMatch(text, /sourceMappingURL/, name);
    }
  });

  it('carries the extension manifest with its contributions', () => {
    const packaged = entries.find((entry) => entry.name === 'extension/package.json');
    assert.ok(packaged);
    const inside = JSON.parse(packaged.read().toString('utf8')) as Record<string, unknown>;
    const source = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    for (const key of ['main', 'activationEvents', 'contributes', 'capabilities', 'engines']) {
      assert.deepEqual(inside[key], source[key], key);
    }
  });
});
