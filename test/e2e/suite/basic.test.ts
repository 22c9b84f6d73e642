/// <reference types="mocha" />
/**
 * The `basic` fixture: one app (stripe-app.json, four entries: valid, misspelled, placeholder
 * purpose, duplicate) and its local manifest (stripe-app.dev.json, one misspelled name).
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  activateExtension,
  applyEdit,
  codeOf,
  completionsAt,
  describeDiagnostics,
  fixtureName,
  formatRange,
  grant,
  hoverText,
  labelOf,
  openEditor,
  positionIn,
  rangeOf,
  permissionsOnDisk,
  readDisk,
  restoreDocument,
  revoke,
  textAfterAccepting,
  waitForDiagnostics,
  waitForText,
  withCode,
  workspaceUri,
} from './helpers';

/**
 * The server lists code actions without their edits and computes an action's edit when VS Code
 * resolves it (`codeAction/resolve`, as the light bulb does for the action picked);
 * `vscode.executeCodeActionProvider` resolves the first this many actions it returns.
 */
const RESOLVE_COUNT = 10;

/** Registers this file's tests (mocha's globals exist once index.ts set them up). */
export function registerBasicTests(): void {
  if (fixtureName() !== 'basic') return;
  describe('basic workspace: stripe-app.json', () => {
    const uri = workspaceUri('stripe-app.json');
    let original = '';
    let document: vscode.TextDocument;

    before(async () => {
      original = readDisk(uri);
      document = (await openEditor(uri)).document;
    });

    afterEach(async () => {
      await restoreDocument(uri, original);
    });

    after(async () => {
      await vscode.workspace
        .getConfiguration('stripeApps')
        .update('severity', undefined, vscode.ConfigurationTarget.Workspace);
    });

    it('activates the extension for a workspace with stripe-app.json', async () => {
      const extension = await activateExtension();
      assert.equal(extension.isActive, true);
      assert.equal(document.languageId, 'json');
      const commands = await vscode.commands.getCommands(true);
      for (const id of ['stripeApps.grantPermission', 'stripeApps.revokePermission']) {
        assert.ok(commands.includes(id), `command ${id} is registered`);
      }
    });

    it('reports unknown, placeholder and duplicate findings with exact codes, ranges, severities', async () => {
      const diagnostics = await waitForDiagnostics(
        uri,
        (d) =>
          withCode(d, 'unknown-permission').length > 0 &&
          withCode(d, 'placeholder-purpose').length > 0 &&
          withCode(d, 'duplicate-permission').length > 0,
        'unknown-permission, placeholder-purpose and duplicate-permission',
      );
      const expect = (code: string, range: vscode.Range, severity: vscode.DiagnosticSeverity) => {
        const found = withCode(diagnostics, code);
        assert.equal(found.length, 1, `one ${code}: ${describeDiagnostics(diagnostics)}`);
        const [diagnostic] = found;
        assert.ok(diagnostic);
        assert.equal(formatRange(diagnostic.range), formatRange(range), `${code} range`);
        assert.equal(
          vscode.DiagnosticSeverity[diagnostic.severity],
          vscode.DiagnosticSeverity[severity],
          `${code} severity`,
        );
        return diagnostic;
      };
      const unknown = expect(
        'unknown-permission',
        rangeOf(document, '"invoice_wrte"'),
        vscode.DiagnosticSeverity.Error,
      );
      assert.match(unknown.message, /invoice_write/, 'the message offers the nearest name');
      // Purpose findings cover the text inside the quotes; name findings the whole string.
      const quoted = rangeOf(document, '"test"');
      const inside = new vscode.Range(quoted.start.translate(0, 1), quoted.end.translate(0, -1));
      expect('placeholder-purpose', inside, vscode.DiagnosticSeverity.Warning);
      const duplicate = expect(
        'duplicate-permission',
        rangeOf(document, '"customer_read"', 1),
        vscode.DiagnosticSeverity.Warning,
      );
      const related = duplicate.relatedInformation?.[0];
      assert.ok(related, 'duplicate-permission points at the first entry');
      assert.equal(
        formatRange(related.location.range),
        formatRange(rangeOf(document, '"customer_read"')),
      );
      // The first, valid entry has nothing to say about it.
      const firstEntry = new vscode.Range(
        rangeOf(document, '{', 1).start,
        rangeOf(document, '}').end,
      );
      assert.deepEqual(
        diagnostics.filter((d) => firstEntry.intersection(d.range)).map(codeOf),
        [],
        'no findings on the valid first entry',
      );
      assert.ok(diagnostics.every((d) => typeof d.code === 'object' || typeof d.code === 'string'));
    });

    it('follows stripeApps.severity: error, then off, then back to the default', async () => {
      const config = () => vscode.workspace.getConfiguration('stripeApps');
      const placeholder = (d: vscode.Diagnostic[]) => withCode(d, 'placeholder-purpose')[0];
      await waitForDiagnostics(uri, (d) => placeholder(d) !== undefined, 'placeholder-purpose');

      await config().update(
        'severity',
        { 'placeholder-purpose': 'error' },
        vscode.ConfigurationTarget.Workspace,
      );
      await waitForDiagnostics(
        uri,
        (d) => placeholder(d)?.severity === vscode.DiagnosticSeverity.Error,
        'placeholder-purpose as an error after the setting changed',
      );

      await config().update(
        'severity',
        { 'placeholder-purpose': 'off' },
        vscode.ConfigurationTarget.Workspace,
      );
      const off = await waitForDiagnostics(
        uri,
        (d) => placeholder(d) === undefined && withCode(d, 'unknown-permission').length > 0,
        'placeholder-purpose gone with the rule off (and the others still there)',
      );
      assert.equal(withCode(off, 'duplicate-permission').length, 1);

      await config().update('severity', undefined, vscode.ConfigurationTarget.Workspace);
      await waitForDiagnostics(
        uri,
        (d) => placeholder(d)?.severity === vscode.DiagnosticSeverity.Warning,
        'placeholder-purpose back to a warning',
      );
    });

    it('completes catalog names in a permission value, with details, replacing the string', async () => {
      const position = positionIn(document, '"invoice_wrte"', 1);
      const items = await completionsAt(uri, position, '"');
      const labels = items.map(labelOf);
      assert.ok(labels.length >= 100, `the catalog is offered (${labels.length} items)`);
      assert.ok(labels.includes('invoice_write'), 'invoice_write offered');
      assert.ok(!labels.includes('customer_read'), 'a granted name is not offered again');
      const payout = items.find((i) => labelOf(i) === 'payout_read');
      assert.ok(payout, 'payout_read offered');
      for (const part of ['Core', 'Payouts', 'read']) {
        assert.ok(payout.detail?.includes(part), `detail "${payout.detail}" mentions ${part}`);
      }
      const after = textAfterAccepting(document, payout, position);
      assert.ok(
        after.includes('"permission": "payout_read",\n'),
        `accepting replaces the whole string:\n${after}`,
      );
    });

    it('finds a name by its resource words (typing "refund" finds charge_write)', async () => {
      // Partial word typed inside a value: "refund".
      const edit = new vscode.WorkspaceEdit();
      edit.replace(uri, rangeOf(document, '"invoice_wrte"'), '"refund"');
      await applyEdit(edit, 'typing refund');
      const position = positionIn(document, '"refund"', 7);
      const items = await completionsAt(uri, position);
      const labels = items.map(labelOf);
      assert.ok(
        labels.includes('charge_write'),
        `charge_write offered for "refund": ${labels.slice(0, 20).join(', ')}`,
      );
      const charge = items.find((i) => labelOf(i) === 'charge_write');
      assert.ok(charge?.filterText?.toLowerCase().includes('refund') ?? true);
    });

    it('completes the missing keys inside an entry', async () => {
      // An entry with only a permission: the cursor after it is at a key position.
      const edit = new vscode.WorkspaceEdit();
      edit.replace(uri, rangeOf(document, '"purpose": "test"'), '');
      await applyEdit(edit, 'removing a purpose');
      const position = rangeOf(document, '"charge_read",').end;
      const items = await completionsAt(uri, document.positionAt(document.offsetAt(position) + 7));
      const labels = items.map(labelOf);
      assert.ok(
        labels.includes('purpose'),
        `purpose offered at a key position: ${labels.join(', ')}`,
      );
      assert.ok(!labels.includes('permission'), 'the key already present is not offered');
    });

    it('completes whole entries, each with a suggested purpose, in the permissions array', async () => {
      const edit = new vscode.WorkspaceEdit();
      edit.insert(uri, rangeOf(document, '"permissions": [').end, '\n    ');
      await applyEdit(edit, 'a new line in the array');
      const position = document.lineAt(rangeOf(document, '"permissions": [').start.line + 1).range
        .end;
      const items = await completionsAt(uri, position);
      const product = items.find((i) => labelOf(i) === 'product_read');
      assert.ok(
        product,
        `product_read offered as an entry: ${items.slice(0, 10).map(labelOf).join(', ')}`,
      );
      assert.ok(
        !items.some((i) => labelOf(i) === 'customer_read'),
        'granted names are not offered',
      );
      const after = textAfterAccepting(document, product, position);
      const inserted = after.slice(
        document.offsetAt(position) - 4,
        document.offsetAt(position) + 400,
      );
      assert.match(
        inserted,
        /\{\s*"permission": "product_read",\s*"purpose": "[^"]{10,}"\s*\}/,
        inserted,
      );
    });

    it('suggests a purpose in a purpose value, from the catalog and the app name', async () => {
      const position = positionIn(document, '"test"', 1);
      const items = await completionsAt(uri, position, '"');
      assert.ok(items.length >= 1, 'a suggested purpose is offered');
      const texts = items.map((i) => {
        const raw = i.insertText ?? labelOf(i);
        return typeof raw === 'string' ? raw : raw.value;
      });
      assert.ok(
        texts.some((t) => /charge|refund/i.test(t) && t.split(/\s+/).length >= 3),
        `a purpose about charges: ${JSON.stringify(texts)}`,
      );
    });

    it('hovers a permission name with product, resource, access and description', async () => {
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
        'vscode.executeHoverProvider',
        uri,
        positionIn(document, 'customer_read', 3),
      );
      const text = hoverText(hovers);
      for (const part of [
        'customer_read',
        'Core',
        'Customers',
        'read',
        'Customers store payment methods',
      ]) {
        assert.ok(text.includes(part), `hover mentions "${part}":\n${text}`);
      }
      const unknown = hoverText(
        await vscode.commands.executeCommand<vscode.Hover[]>(
          'vscode.executeHoverProvider',
          uri,
          positionIn(document, 'invoice_wrte', 3),
        ),
      );
      assert.ok(unknown.includes('invoice_write'), `an unknown name's hover suggests:\n${unknown}`);
    });

    it('offers a quick fix for the misspelled name and applying it fixes the diagnostic', async () => {
      await waitForDiagnostics(
        uri,
        (d) => withCode(d, 'unknown-permission').length === 1,
        'unknown-permission',
      );
      const listed = await vscode.commands.executeCommand<vscode.CodeAction[]>(
        'vscode.executeCodeActionProvider',
        uri,
        rangeOf(document, 'invoice_wrte'),
        vscode.CodeActionKind.QuickFix.value,
      );
      const unresolved = listed.find((a) => a.title.includes('invoice_write'));
      assert.ok(unresolved, `listed among: ${listed.map((a) => a.title).join(' | ')}`);
      assert.equal(unresolved.edit, undefined, 'listed without its edit (computed on resolve)');
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
        'vscode.executeCodeActionProvider',
        uri,
        rangeOf(document, 'invoice_wrte'),
        vscode.CodeActionKind.QuickFix.value,
        RESOLVE_COUNT,
      );
      const fix = actions.find((a) => a.title.includes('invoice_write'));
      assert.ok(fix, `a fix to invoice_write among: ${actions.map((a) => a.title).join(' | ')}`);
      assert.ok(fix.kind?.contains(vscode.CodeActionKind.QuickFix), 'it is a quick fix');
      // (vscode.executeCodeActionProvider does not hand back an action's `diagnostics`.)
      assert.ok(fix.edit, 'the resolved fix has its edit');
      assert.equal(fix.command, undefined, 'an edit, not a command');
      await applyEdit(fix.edit, fix.title);
      await waitForText(
        document,
        (t) => t.includes('"permission": "invoice_write",'),
        'the fixed name',
      );
      assert.equal(document.getText(), original.replace('"invoice_wrte"', '"invoice_write"'));
      await waitForDiagnostics(
        uri,
        (d) =>
          withCode(d, 'unknown-permission').length === 0 &&
          withCode(d, 'duplicate-permission').length === 1,
        'unknown-permission gone after the fix',
      );
    });

    it('offers removing the duplicate entry', async () => {
      const [duplicate] = withCode(
        await waitForDiagnostics(
          uri,
          (d) => withCode(d, 'duplicate-permission').length === 1,
          'duplicate',
        ),
        'duplicate-permission',
      );
      assert.ok(duplicate);
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
        'vscode.executeCodeActionProvider',
        uri,
        duplicate.range,
        vscode.CodeActionKind.QuickFix.value,
        RESOLVE_COUNT,
      );
      const remove = actions.find((a) => /remove|delete/i.test(a.title));
      assert.ok(
        remove?.edit,
        `a fix removing the duplicate among: ${actions.map((a) => a.title).join(' | ')}`,
      );
      await applyEdit(remove.edit, remove.title);
      const text = document.getText();
      assert.equal(text.split('"customer_read"').length - 1, 1, `one customer_read left:\n${text}`);
      assert.doesNotThrow(() => JSON.parse(text) as unknown, 'still valid JSON');
      assert.ok(
        text.includes(
          '    {\n      "permission": "charge_read",\n      "purpose": "test"\n    }\n  ],',
        ),
        text,
      );
    });

    it('grants with arguments: the entry is added, formatted, and saved to disk', async () => {
      assert.equal(document.isDirty, false);
      const purpose = 'Lists the products a merchant can attach to an order note.';
      const result = await grant('product_read', purpose, uri);
      assert.equal(result.status, 'granted', result.message);
      assert.equal(result.permission, 'product_read');
      const expected = original.replace(
        '      "purpose": "Links each note to the customer who placed the order."\n    }\n',
        '      "purpose": "Links each note to the customer who placed the order."\n    },\n' +
          `    {\n      "permission": "product_read",\n      "purpose": "${purpose}"\n    }\n`,
      );
      await waitForText(document, (t) => t.includes('product_read'), 'the granted entry');
      assert.equal(document.getText(), expected);
      assert.equal(document.isDirty, false, 'a document clean before is saved after the edit');
      assert.equal(readDisk(uri), expected, 'the file on disk has the entry');

      // The same name again updates its purpose in place.
      const updated = await grant('product_read', 'Shows product names on each order note.', uri);
      assert.equal(updated.status, 'updated', updated.message);
      assert.equal(
        readDisk(uri),
        expected.replace(purpose, 'Shows product names on each order note.'),
      );

      // Revoking it gives back the original bytes.
      const revoked = await revoke('product_read', uri);
      assert.equal(revoked.status, 'revoked', revoked.message);
      assert.equal(document.getText(), original);
      assert.equal(readDisk(uri), original);
    });

    it('refuses an unknown name with suggestions, and says when a name is not granted', async () => {
      const unknown = await grant('prodcut_read', 'Lists products for order notes.', uri);
      assert.equal(unknown.status, 'unknown', unknown.message);
      assert.ok(unknown.suggestions?.includes('product_read'), JSON.stringify(unknown));
      const notGranted = await revoke('payout_write', uri);
      assert.equal(notGranted.status, 'not-granted', notGranted.message);
      assert.equal(document.getText(), original);
      assert.equal(readDisk(uri), original);
    });

    it('revokes with arguments: every entry of the name goes, on disk too', async () => {
      const result = await revoke('customer_read', uri);
      assert.equal(result.status, 'revoked', result.message);
      await waitForText(document, (t) => !t.includes('customer_read'), 'customer_read gone');
      assert.deepEqual(permissionsOnDisk(uri), ['invoice_wrte', 'charge_read']);
      assert.equal(document.isDirty, false);
    });
  });

  describe('basic workspace: local manifest stripe-app.dev.json', () => {
    const uri = workspaceUri('stripe-app.dev.json');
    let original = '';
    let document: vscode.TextDocument;

    before(async () => {
      original = readDisk(uri);
      await activateExtension();
      document = (await openEditor(uri)).document;
    });

    afterEach(async () => {
      await restoreDocument(uri, original);
    });

    it('is a manifest too: its misspelled name is reported, nothing asks for more fields', async () => {
      const diagnostics = await waitForDiagnostics(
        uri,
        (d) => withCode(d, 'unknown-permission').length === 1,
        'unknown-permission for payout_reed',
      );
      const [unknown] = withCode(diagnostics, 'unknown-permission');
      assert.ok(unknown);
      assert.equal(formatRange(unknown.range), formatRange(rangeOf(document, '"payout_reed"')));
      assert.deepEqual(
        diagnostics.map(codeOf),
        ['unknown-permission'],
        `only the misspelling: ${describeDiagnostics(diagnostics)}`,
      );
    });

    it('completes and hovers in the local manifest', async () => {
      const items = await completionsAt(uri, positionIn(document, '"payout_reed"', 1), '"');
      assert.ok(items.map(labelOf).includes('payout_read'));
      const hover = hoverText(
        await vscode.commands.executeCommand<vscode.Hover[]>(
          'vscode.executeHoverProvider',
          uri,
          positionIn(document, 'payout_reed', 2),
        ),
      );
      assert.ok(hover.includes('payout_read'), hover);
    });

    it('grants into the local manifest by uri, leaving stripe-app.json alone', async () => {
      const base = workspaceUri('stripe-app.json');
      const baseBefore = readDisk(base);
      const result = await grant(
        'balance_read',
        'Shows the account balance on the dashboard.',
        uri,
      );
      assert.equal(result.status, 'granted', result.message);
      assert.deepEqual(permissionsOnDisk(uri), ['payout_reed', 'balance_read']);
      assert.equal(readDisk(base), baseBefore, 'stripe-app.json untouched');
      assert.equal(document.getText(), readDisk(uri));
    });
  });
}
