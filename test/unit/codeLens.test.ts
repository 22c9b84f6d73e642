import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CodeLens } from 'vscode-languageserver-types';
import { ClientCommands } from '../../server/src/protocol';
import { createManifestLanguageService } from '../../server/src/service/languageService';
import { doc, manifestWith, rangeOf } from './util';

function lenses(text: string, maxDocumentSize = 1_000_000): { lenses: CodeLens[]; text: string } {
  const document = doc(text);
  const service = createManifestLanguageService({ maxDocumentSize });
  return { lenses: service.getCodeLenses(document, service.parseManifest(document)), text };
}

function titles(found: CodeLens[]): string[] {
  return found.map((lens) => lens.command?.title ?? '(no command)');
}

describe('code lenses', () => {
  it('show the counts and Grant… above "permissions", both clickable', () => {
    const text = manifestWith(`[
    { "permission": "customer_read", "purpose": "a b c" },
    { "permission": "customer_write", "purpose": "a b c" },
    { "permission": "coupon_read", "purpose": "a b c" }
  ]`);
    const { lenses: found } = lenses(text);
    const range = rangeOf(doc(text), '"permissions"');
    assert.deepEqual(found, [
      {
        range,
        command: {
          title: '3 permissions (2 read, 1 write)',
          tooltip: 'List the granted permissions (pick any to revoke them)',
          command: ClientCommands.revokePermission,
        },
      },
      {
        range,
        command: {
          title: 'Grant permission…',
          tooltip: 'Pick a permission from the catalog and add it with a purpose',
          command: ClientCommands.grantPermission,
        },
      },
    ]);
  });

  it('count distinct names, names upload refuses apart, in the singular when one', () => {
    assert.deepEqual(
      titles(
        lenses(
          manifestWith(`[
    { "permission": "coupon_read", "purpose": "a b c" },
    { "permission": "coupon_read", "purpose": "a b c" }
  ]`),
        ).lenses,
      ),
      ['1 permission (1 read, 0 write)', 'Grant permission…'],
    );
    assert.deepEqual(
      titles(
        lenses(
          manifestWith(`[
    { "permission": "refund_write", "purpose": "a b c" },
    { "permission": "oddity", "purpose": "a b c" },
    { "purpose": "a b c" }
  ]`),
        ).lenses,
      ),
      ['0 permissions, 2 invalid', 'Grant permission…'],
    );
  });

  it('never count an unknown name or two names in one string as read or write', () => {
    // Issue 12, point 7: four unknown names were "4 permissions (3 read, 1 write)".
    assert.deepEqual(
      titles(
        lenses(
          manifestWith(`[
    { "permission": "customers_read", "purpose": "a b c" },
    { "permission": "refund_read", "purpose": "a b c" },
    { "permission": "account.updated", "purpose": "a b c" },
    { "permission": "coupon_read, coupon_write", "purpose": "a b c" },
    { "permission": "invoice_read", "purpose": "a b c" },
    { "permission": "mandate_read", "purpose": "a b c" }
  ]`),
        ).lenses,
      ),
      ['2 permissions (2 read, 0 write), 4 invalid', 'Grant permission…'],
    );
    // A name the settings allow is a permission; without _read/_write it is "other".
    const document = doc(
      manifestWith(`[
    { "permission": "beta_feature", "purpose": "a b c" },
    { "permission": "beta_thing_write", "purpose": "a b c" }
  ]`),
    );
    const service = createManifestLanguageService({
      allowedPermissions: ['beta_feature', 'beta_thing_write'],
    });
    assert.deepEqual(titles(service.getCodeLenses(document, service.parseManifest(document))), [
      '2 permissions (0 read, 1 write, 1 other)',
      'Grant permission…',
    ]);
  });

  it('offer only Grant… on an empty array, or on the root object without permissions', () => {
    const empty = manifestWith('[]');
    assert.deepEqual(lenses(empty).lenses, [
      {
        range: rangeOf(doc(empty), '"permissions"'),
        command: {
          title: 'Grant permission…',
          tooltip: 'Pick a permission from the catalog and add it with a purpose',
          command: ClientCommands.grantPermission,
        },
      },
    ]);
    const missing = '// local overrides\n{ "extends": "stripe-app.json" }\n';
    const [grant, ...rest] = lenses(missing).lenses;
    assert.equal(rest.length, 0);
    assert.equal(grant?.command?.command, ClientCommands.grantPermission);
    assert.deepEqual(grant.range, rangeOf(doc(missing), '{'));
  });

  it('offer nothing when permissions is not an array, the text is not an object, or too large', () => {
    assert.deepEqual(lenses('{ "permissions": {} }').lenses, []);
    assert.deepEqual(lenses('[]').lenses, []);
    assert.deepEqual(lenses('').lenses, []);
    assert.deepEqual(lenses(manifestWith('[]'), 10).lenses, []);
  });
});
