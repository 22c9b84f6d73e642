/// <reference types="mocha" />
/** The `multi` fixture: two apps in sub-folders of one workspace (apps/orders, apps/refunds). */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  activateExtension,
  codeOf,
  completionsAt,
  describeDiagnostics,
  fixtureName,
  formatRange,
  grant,
  labelOf,
  openEditor,
  positionIn,
  rangeOf,
  permissionsOnDisk,
  readDisk,
  revoke,
  waitForDiagnostics,
  withCode,
  workspaceUri,
} from './helpers';

/** Registers this file's tests (mocha's globals exist once index.ts set them up). */
export function registerMultiTests(): void {
  if (fixtureName() !== 'multi') return;
  describe('multi workspace: two manifests in sub-folders', () => {
    const orders = workspaceUri('apps/orders/stripe-app.json');
    const refunds = workspaceUri('apps/refunds/stripe-app.json');

    before(async () => {
      await activateExtension();
    });

    it('activates for manifests that are only in sub-folders', () => {
      const extension = vscode.extensions.all.find((e) => e.id.endsWith('stripe-apps-manifest'));
      assert.ok(extension?.isActive, 'the extension is active');
    });

    it('reports each manifest on its own', async () => {
      await openEditor(orders);
      const refundsEditor = await openEditor(refunds);
      const found = await waitForDiagnostics(
        refunds,
        (d) => withCode(d, 'unknown-permission').length === 1,
        'unknown-permission for charge_reed',
      );
      const [unknown] = found;
      assert.ok(unknown);
      assert.equal(codeOf(unknown), 'unknown-permission', describeDiagnostics(found));
      assert.equal(
        formatRange(unknown.range),
        formatRange(rangeOf(refundsEditor.document, '"charge_reed"')),
      );
      assert.match(unknown.message, /charge_read/);
      const clean = vscode.languages
        .getDiagnostics(orders)
        .filter((d) => d.source === 'stripe-apps');
      assert.deepEqual(clean.map(codeOf), [], 'the valid manifest has no findings');
    });

    it('completes in a sub-folder manifest', async () => {
      const document = (await openEditor(orders)).document;
      const items = await completionsAt(orders, positionIn(document, '"product_read"', 1), '"');
      const labels = items.map(labelOf);
      assert.ok(labels.includes('product_write'));
      assert.ok(labels.length >= 100, `the catalog is offered (${labels.length} items)`);
    });

    it('grants and revokes in the manifest named by uri, not the active one', async () => {
      const ordersBefore = readDisk(orders);
      const refundsBefore = readDisk(refunds);
      await openEditor(orders); // the active editor is the other app
      const granted = await grant(
        'charge_write',
        'Refunds the charges a support agent selects.',
        refunds,
      );
      assert.equal(granted.status, 'granted', granted.message);
      assert.deepEqual(permissionsOnDisk(refunds), ['charge_reed', 'charge_write']);
      assert.equal(readDisk(orders), ordersBefore, 'the other manifest is untouched');
      const revoked = await revoke('charge_write', refunds);
      assert.equal(revoked.status, 'revoked', revoked.message);
      assert.equal(readDisk(refunds), refundsBefore, 'grant then revoke gives back the bytes');
    });
  });
}
