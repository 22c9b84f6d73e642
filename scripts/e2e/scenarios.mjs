/* global document, getComputedStyle */ // (in functions that run in the page)
// The UI scenarios: typed and clicked in the real workbench as a person would, each checked in the
// DOM, each with its own fresh workspace and page, a timeout and a screenshot (pass or fail).
import fs from 'node:fs';
import path from 'node:path';
import { screenshotPath, workbenchUrl } from './browser.mjs';
import { elapsed, log } from './paths.mjs';

const SCENARIO_TIMEOUT_MS = 120_000;
const STEP_TIMEOUT_MS = 30_000;

/** A failed expectation, with what the DOM showed instead. */
class ExpectationError extends Error {}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** True when `text` is complete JSON (not a file caught in the middle of being written). */
function parses(text) {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function expect(condition, message) {
  if (!condition) throw new ExpectationError(message);
}

/** The suggest widget's rows: label and detail, in display order. */
async function suggestRows(suggest) {
  return suggest.locator('.monaco-list-row').evaluateAll((els) =>
    els
      .map((e) => ({
        top: e.getBoundingClientRect().top,
        label: e.querySelector('.label-name')?.textContent ?? '',
        details: e.querySelector('.details-label')?.textContent ?? '',
      }))
      .sort((a, b) => a.top - b.top)
      .map(({ label, details }) => ({ label, details })),
  );
}

/** Helpers bound to one page: the vocabulary the scenarios are written in. */
function workbench(page, folder) {
  const quickInput = page.locator('.quick-input-widget');
  const quickInputBox = quickInput.locator('input');
  const editor = page.locator('.editor-instance .monaco-editor').first();
  const ui = {
    page,
    folder,
    /** Waits for a locator with a step description for the error message. */
    async see(locator, what, timeout = STEP_TIMEOUT_MS) {
      try {
        await locator.first().waitFor({ state: 'visible', timeout });
      } catch {
        throw new ExpectationError(`expected to see ${what} within ${timeout / 1000}s`);
      }
      return locator.first();
    },
    /**
     * Waits for a code lens holding `text`. Each lens adds a line above its target when it
     * arrives, after the server is ready: a token found before then moves, and the mouse resting
     * where it was hovers something else (a CI run's hover on customer_read never opened).
     */
    async seeCodeLens(text, what) {
      return ui.see(page.locator('.codelens-decoration', { hasText: text }), what);
    },
    /** Waits for the Quick Pick's focused row to be the one holding `text`. */
    async seeFocusedPick(text, what) {
      return ui.see(
        quickInput.locator('.quick-input-list .monaco-list-row.focused', { hasText: text }),
        what,
      );
    },
    async gone(locator, what, timeout = STEP_TIMEOUT_MS) {
      try {
        await locator.first().waitFor({ state: 'hidden', timeout });
      } catch {
        throw new ExpectationError(`expected ${what} to disappear within ${timeout / 1000}s`);
      }
    },
    /** F1, a command title, Enter. */
    async runCommand(title) {
      await page.keyboard.press('F1');
      await ui.see(quickInputBox, 'the command palette');
      await quickInputBox.fill(`>${title}`);
      await ui.see(
        quickInput.locator('.quick-input-list .monaco-list-row', { hasText: title }),
        `the palette entry "${title}"`,
      );
      await page.keyboard.press('Enter');
    },
    /** Ctrl+P, a file name, Enter; waits for the editor tab. */
    async openFile(name) {
      await page.keyboard.press('Control+P');
      await ui.see(quickInputBox, 'Quick Open');
      await quickInputBox.fill(name);
      await ui.see(
        quickInput.locator('.quick-input-list .monaco-list-row', { hasText: name }),
        `"${name}" in Quick Open`,
      );
      await page.keyboard.press('Enter');
      await ui.see(page.locator('.tab.active', { hasText: name }), `the "${name}" editor tab`);
      await ui.see(editor.locator('.view-lines'), 'the editor text');
      await editor.locator('.view-lines').click({ position: { x: 5, y: 5 } });
    },
    /** Ctrl+G line:column. */
    async goTo(line, column) {
      await page.keyboard.press('Control+G');
      await ui.see(quickInputBox, 'Go to Line');
      await quickInputBox.fill(`:${line}:${column}`);
      await page.keyboard.press('Enter');
      await ui.gone(quickInputBox, 'Go to Line');
    },
    /** The editor's visible lines as text (the workbench renders spaces as U+00A0). */
    async lines() {
      return editor.locator('.view-line').evaluateAll((els) =>
        els
          .map((e) => ({ top: parseFloat(e.style.top || '0'), text: e.textContent ?? '' }))
          .sort((a, b) => a.top - b.top)
          .map((l) => l.text.replace(/\u00a0/g, ' ')),
      );
    },
    /**
     * Waits until some rendered editor line matches (or, with `absent`, no line matches) `pattern`;
     * checked in the page on every animation frame, so it returns as soon as the DOM changes.
     */
    async waitForLine(pattern, what, { absent = false, timeout = STEP_TIMEOUT_MS } = {}) {
      const re = pattern instanceof RegExp ? pattern : new RegExp(escapeRegExp(pattern));
      try {
        await page.waitForFunction(
          ({ source, flags, absent }) => {
            const re = new RegExp(source, flags);
            const lines = [
              ...document.querySelectorAll('.editor-instance .monaco-editor .view-line'),
            ];
            const hit = lines.some((e) => re.test((e.textContent ?? '').replace(/\u00a0/g, ' ')));
            return absent ? !hit : hit;
          },
          { source: re.source, flags: re.flags, absent },
          { timeout },
        );
      } catch {
        const lines = await ui.lines();
        throw new ExpectationError(
          `expected ${what} within ${timeout / 1000}s; the editor shows:\n${lines.join('\n')}`,
        );
      }
    },
    /** The editor's text area, for clicking into it. */
    editorText() {
      return editor.locator('.view-lines');
    },
    /** A token rendered as exactly `text` (not a comment or string holding it), for clicking. */
    exactToken(text) {
      return editor
        .locator('.view-line span span', { hasText: new RegExp(`^${escapeRegExp(text)}$`) })
        .first();
    },
    /** The word `text` rendered in the editor (first match), for hovering and clicking. */
    token(text) {
      return editor.locator('.view-line span span', { hasText: text }).first();
    },
    /**
     * Readiness: the extension's language status item (the "{ }" beside the language mode, shown
     * for manifests) says "Stripe Apps: ready" / "Stripe Apps: 136 permissions" once the language
     * client has started, and "starting" before.
     */
    async waitForServerReady() {
      const status = page.locator('[id="status.languageStatus"]');
      try {
        await page.waitForFunction(
          () =>
            /Stripe Apps( \(manifest v2\))?: (ready|\d+ permissions)/.test(
              document.getElementById('status.languageStatus')?.getAttribute('aria-label') ?? '',
            ),
          undefined,
          { timeout: 60_000 },
        );
      } catch {
        const label = await status.getAttribute('aria-label').catch(() => null);
        throw new ExpectationError(
          `the language status never said "Stripe Apps: ready" within 60s (it says: ${label ?? 'nothing'})`,
        );
      }
    },
    /**
     * Resolves with a workspace file's text once `predicate` holds on disk (the extension saves
     * after its edit; the editor may show the change a moment before the file is written).
     */
    async waitForDisk(name, predicate, what, timeout = STEP_TIMEOUT_MS) {
      const file = path.join(folder, name);
      const read = () => fs.readFileSync(file, 'utf8');
      if (predicate(read())) return read();
      const watcher = fs.watch(path.dirname(file));
      try {
        return await new Promise((resolve, reject) => {
          const timer = setTimeout(() => {
            reject(
              new ExpectationError(
                `expected ${what} on disk within ${timeout / 1000}s:\n${read()}`,
              ),
            );
          }, timeout);
          watcher.on('change', () => {
            const text = read();
            if (predicate(text)) {
              clearTimeout(timer);
              resolve(text);
            }
          });
        });
      } finally {
        watcher.close();
      }
    },
  };
  return ui;
}

async function openWorkbench(page, server, folder, extensionPath) {
  await page.goto(workbenchUrl(server, folder, { extensionPath }));
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  // The status bar is the last part the workbench lays out.
  await page.locator('.statusbar').waitFor({ timeout: 60_000 });
}

const scenarios = [
  {
    name: '1-completion',
    title: 'completion lists catalog names with details in a new "permission" value',
    async run(ui) {
      const { page } = ui;
      await ui.openFile('stripe-app.json');
      await ui.waitForServerReady();
      // After the closing brace of the last entry (line 22, `    }`).
      await ui.goTo(22, 6);
      await page.keyboard.press('End');
      await page.keyboard.type(',');
      await page.keyboard.press('Enter');
      // Typed as a person would; the editor closes braces and quotes itself.
      await page.keyboard.type('{ "permission": "');
      const suggest = page.locator('.editor-widget.suggest-widget.visible');
      try {
        await suggest.waitFor({ state: 'visible', timeout: 5_000 });
      } catch {
        await page.keyboard.press('Control+Space'); // the trigger character did not open it
      }
      await ui.see(suggest, 'the suggest widget');
      const rows = suggest.locator('.monaco-list-row');
      await ui.see(rows, 'suggestion rows');
      const items = await rows.evaluateAll((els) =>
        els.map((e) => ({
          label: e.querySelector('.label-name')?.textContent ?? '',
          details: e.querySelector('.details-label')?.textContent ?? '',
          aria: e.getAttribute('aria-label') ?? '',
        })),
      );
      log(`  suggest rows: ${items.map((i) => `${i.label} [${i.details}]`).join(', ')}`);
      const catalogNames = items.filter((i) => /^[a-z0-9_]+_(read|write)$/.test(i.label));
      expect(
        catalogNames.length >= 5,
        `expected catalog names in the suggest widget, got ${JSON.stringify(items)}`,
      );
      expect(
        !items.some((i) => i.label === 'customer_read'),
        'customer_read is granted already and must not be offered',
      );
      // Details: each catalog row shows "Product · Resource · read|write".
      const undetailed = catalogNames.filter((i) => !/^\S.* · .+ · (read|write)$/.test(i.details));
      expect(
        undetailed.length === 0,
        `expected every catalog row to show "product · resource · access": ${JSON.stringify(undetailed)}`,
      );
      await page.screenshot({ path: screenshotPath('1-completion-list') });

      // Narrow by typing; the focused row shows its detail; accept with Enter.
      await page.keyboard.type('payout_r');
      const focused = suggest.locator('.monaco-list-row.focused', { hasText: 'payout_read' });
      await ui.see(focused, 'payout_read focused after typing "payout_r"');
      await ui.see(
        focused.locator('.details-label', { hasText: 'Core · Payouts · read' }),
        'the detail "Core · Payouts · read" on the focused row',
      );
      await page.screenshot({ path: screenshotPath('1-completion') });
      await page.keyboard.press('Enter');
      await ui.gone(suggest, 'the suggest widget');
      await ui.waitForLine(
        /^ *\{ "permission": "payout_read"/,
        'the typed line to read { "permission": "payout_read" (the partial word replaced)',
      );
      await page.screenshot({ path: screenshotPath('1-completion-accepted') });
    },
  },
  {
    name: '2-hover',
    title: 'hover on a permission name shows product, resource and description',
    async run(ui) {
      const { page } = ui;
      await ui.openFile('stripe-app.json');
      await ui.waitForServerReady();
      await ui.seeCodeLens('Grant permission', 'the permissions code lens');
      const token = ui.token('customer_read');
      await ui.see(token, 'customer_read in the editor');
      await token.hover();
      const hover = page.locator('.monaco-hover:not(.hidden)', { hasText: 'customer_read' });
      await ui.see(hover, 'a hover for customer_read');
      const text = (await hover.first().innerText()).replace(/\s+/g, ' ');
      log(`  hover: ${text.slice(0, 300)}`);
      for (const part of ['Core', 'Customers', 'Customers store payment methods']) {
        expect(text.includes(part), `expected the hover to mention "${part}"; it says: ${text}`);
      }
      await page.screenshot({ path: screenshotPath('2-hover') });
    },
  },
  {
    name: '3-quick-fix',
    title: 'a misspelled name: squiggle, Problems entry, light-bulb quick fix',
    async run(ui) {
      const { page } = ui;
      await ui.openFile('stripe-app.json');
      await ui.waitForServerReady();
      await ui.see(page.locator('.monaco-editor .squiggly-error'), 'an error squiggle');
      await page.keyboard.press('Control+Shift+M');
      const problem = page.locator('.markers-panel .monaco-list-row', { hasText: 'invoice_wrte' });
      await ui.see(problem, 'a Problems entry for invoice_wrte');
      const problemText = (await problem.first().getAttribute('aria-label')) ?? '';
      log(`  problem: ${problemText}`);
      await page.screenshot({ path: screenshotPath('3-quick-fix-problems') });
      // Put the cursor on the misspelled name; the light bulb appears on that line.
      const token = ui.token('invoice_wrte');
      await token.click();
      const bulb = page.locator('.lightBulbWidget');
      await ui.see(bulb, 'the light bulb');
      await bulb.first().click();
      const menu = page.locator('.action-widget');
      const fix = menu.locator('.action-list-item, .monaco-list-row', {
        hasText: 'invoice_write',
      });
      await ui.see(fix, 'a quick fix offering invoice_write');
      await page.screenshot({ path: screenshotPath('3-quick-fix-menu') });
      await fix.first().click();
      await ui.waitForLine('"permission": "invoice_write"', 'the name replaced by invoice_write');
      await ui.gone(problem, 'the Problems entry for invoice_wrte');
      await page.screenshot({ path: screenshotPath('3-quick-fix-applied') });
    },
  },
  {
    name: '4-grant',
    title: 'Grant Permission…: Quick Pick, purpose with placeholder warning, entry added',
    async run(ui) {
      const { page } = ui;
      const quickInput = page.locator('.quick-input-widget');
      const box = quickInput.locator('input');
      await ui.openFile('stripe-app.json');
      await ui.waitForServerReady();
      await ui.runCommand('Stripe Apps: Grant Permission');
      await ui.see(
        quickInput.locator('.quick-input-list .monaco-list-row', { hasText: /_(read|write)/ }),
        'the catalog in the Quick Pick',
      );
      await box.fill('product_read');
      await ui.seeFocusedPick('product_read', 'product_read focused in the Quick Pick');
      await page.screenshot({ path: screenshotPath('4-grant-pick') });
      await page.keyboard.press('Enter');
      // The purpose input box, prefilled; a placeholder purpose shows a warning.
      const t0 = Date.now();
      await ui.see(
        quickInput.locator('.quick-input-title', { hasText: 'Grant product_read' }),
        'the purpose box',
      );
      log(`  purpose box after ${Date.now() - t0} ms`);
      await box.fill('test');
      const message = quickInput.locator('.quick-input-message');
      await ui.see(
        quickInput.locator('.quick-input-message', { hasText: /placeholder/i }),
        'a placeholder warning under the purpose box',
      );
      log(`  validation: ${(await message.first().innerText()).trim()}`);
      await page.screenshot({ path: screenshotPath('4-grant-placeholder-warning') });
      await box.fill('Lists the products a merchant can attach to an order note.');
      await ui.gone(
        quickInput.locator('.quick-input-message', { hasText: /placeholder/i }),
        'the placeholder warning',
      );
      await page.keyboard.press('Enter');
      await ui.gone(box, 'the purpose box');
      await ui.waitForLine(
        /^ {6}"permission": "product_read",$/,
        'the new entry `      "permission": "product_read",` indented like the others',
      );
      await ui.waitForLine(
        /^ {6}"purpose": "Lists the products a merchant can attach to an order note\."$/,
        'its purpose line indented like the others',
      );
      const entry =
        '    {\n      "permission": "product_read",\n      "purpose": "Lists the products a merchant can attach to an order note."\n    }\n  ],';
      await ui.waitForDisk(
        'stripe-app.json',
        (text) => parses(text) && text.includes(entry),
        'the entry, formatted like the others, saved',
      );
      await page.screenshot({ path: screenshotPath('4-grant') });
    },
  },
  {
    name: '5-revoke',
    title: 'Revoke Permission…: the entry disappears',
    async run(ui) {
      const { page } = ui;
      const quickInput = page.locator('.quick-input-widget');
      const box = quickInput.locator('input');
      await ui.openFile('stripe-app.json');
      await ui.waitForServerReady();
      await ui.waitForLine('"charge_read"', 'charge_read granted');
      await ui.runCommand('Stripe Apps: Revoke Permission');
      const row = quickInput.locator('.quick-input-list .monaco-list-row', {
        hasText: 'charge_read',
      });
      await ui.see(row, 'charge_read in the Quick Pick of granted permissions');
      await box.fill('charge_read');
      // Several at once: a checkbox per row; clicking the row ticks it.
      await row.first().click();
      await ui.see(
        quickInput.locator('.quick-input-count', { hasText: '1' }),
        '"1 Selected" after ticking charge_read',
      );
      await page.screenshot({ path: screenshotPath('5-revoke-pick') });
      await page.keyboard.press('Enter');
      await ui.gone(box, 'the Quick Pick');
      await ui.waitForLine('charge_read', 'charge_read gone from the editor', { absent: true });
      const disk = await ui.waitForDisk(
        'stripe-app.json',
        (text) => parses(text) && !text.includes('charge_read'),
        'charge_read revoked (a complete, valid file)',
      );
      expect(JSON.parse(disk).permissions.length === 3, `three entries remain on disk:\n${disk}`);
      await page.screenshot({ path: screenshotPath('5-revoke') });
    },
  },
  {
    name: 'i12-completion-catalog-only',
    title:
      'a permission value offers only the catalog, best match preselected; a new entry offers each key once',
    async run(ui) {
      const { page } = ui;
      await ui.openFile('stripe-app.json');
      await ui.waitForServerReady();
      await ui.goTo(22, 6);
      await page.keyboard.press('End');
      await page.keyboard.type(',');
      await page.keyboard.press('Enter');
      await page.keyboard.type('{ "permission": "cust');
      const suggest = page.locator('.editor-widget.suggest-widget.visible');
      try {
        await suggest.waitFor({ state: 'visible', timeout: 5_000 });
      } catch {
        await page.keyboard.press('Control+Space');
      }
      await ui.see(suggest, 'the suggest widget');
      const focused = suggest.locator('.monaco-list-row.focused');
      await ui.see(
        suggest.locator('.monaco-list-row.focused', { hasText: 'customer_write' }),
        'customer_write preselected after typing "cust" (customer_read is granted)',
      );
      const rows = await suggestRows(suggest);
      log(`  suggest rows for "cust": ${rows.map((r) => r.label).join(', ')}`);
      expect(
        rows.every((r) => /^[a-z0-9_]+$/.test(r.label)),
        `only catalog names, no quoted document values: ${JSON.stringify(rows)}`,
      );
      expect(
        !rows.some((r) => r.label.replace(/"/g, '') === 'customer_read'),
        `customer_read is granted and must not be offered: ${JSON.stringify(rows)}`,
      );
      expect(
        new Set(rows.map((r) => r.label)).size === rows.length,
        `each name once: ${JSON.stringify(rows)}`,
      );
      log(`  focused: ${await focused.first().getAttribute('aria-label')}`);
      await page.screenshot({ path: screenshotPath('i12-completion-cust') });
      await page.keyboard.press('Enter');
      await ui.gone(suggest, 'the suggest widget');
      await ui.waitForLine(/^ *\{ "permission": "customer_write"/, 'customer_write accepted');

      // A new, empty entry after it: each key once. Whether the editor auto-closed the brace
      // above depends on timing: the line is rewritten as plain text (no auto-closing).
      await page.keyboard.press('End');
      await page.keyboard.press('Shift+Home');
      await page.keyboard.insertText('{ "permission": "customer_write" },');
      await page.keyboard.press('Enter');
      await page.keyboard.insertText('{  }');
      await page.keyboard.press('ArrowLeft');
      await page.keyboard.press('ArrowLeft');
      await ui.waitForLine(/^ *\{ "permission": "customer_write" \},$/, 'the completed entry');
      await page.keyboard.press('Control+Space');
      await ui.see(
        suggest.locator('.monaco-list-row', { hasText: 'permission' }),
        'the key permission',
      );
      const keys = await suggestRows(suggest);
      log(`  suggest rows in a new entry: ${keys.map((r) => r.label).join(', ')}`);
      const count = (label) => keys.filter((r) => r.label === label).length;
      expect(
        count('permission') === 1 && count('purpose') === 1,
        `permission and purpose once each: ${JSON.stringify(keys)}`,
      );
      await page.screenshot({ path: screenshotPath('i12-completion-keys') });
      await page.keyboard.press('Escape');
    },
  },
  {
    name: 'i12-grant-ranking',
    title:
      'Grant Quick Pick: Core first, refund ranks charge_* first, a wrong name offers the nearest',
    async run(ui) {
      const { page } = ui;
      const quickInput = page.locator('.quick-input-widget');
      const box = quickInput.locator('input');
      await ui.openFile('stripe-app.json');
      await ui.waitForServerReady();
      await ui.runCommand('Stripe Apps: Grant Permission');
      const rows = quickInput.locator('.quick-input-list .monaco-list-row');
      await ui.see(
        quickInput.locator('.quick-input-list .monaco-list-row', { hasText: /_(read|write)/ }),
        'the catalog in the Quick Pick',
      );
      const labels = async () =>
        rows.evaluateAll((els) =>
          els
            .map((e) => ({
              top: e.getBoundingClientRect().top,
              label: e.querySelector('.label-name')?.textContent ?? '',
              aria: e.getAttribute('aria-label') ?? '',
              separator: e.querySelector('.quick-input-list-separator')?.textContent ?? '',
            }))
            .sort((a, b) => a.top - b.top),
        );
      const first = await labels();
      log(
        `  first rows: ${first
          .slice(0, 4)
          .map((r) => `${r.label} [${r.separator}]`)
          .join(', ')}`,
      );
      expect(
        first[0]?.separator.includes('Core'),
        `the list starts with the Core group: ${JSON.stringify(first.slice(0, 3))}`,
      );
      await page.screenshot({ path: screenshotPath('i12-grant-default') });

      await box.fill('refund');
      await ui.seeFocusedPick('charge_read', 'charge_read first for "refund"');
      const refund = await labels();
      log(`  rows for "refund": ${refund.map((r) => r.label).join(', ')}`);
      expect(
        refund[0]?.label === 'charge_read' && refund[1]?.label === 'charge_write',
        `charge_read, charge_write first: ${JSON.stringify(refund.map((r) => r.label))}`,
      );
      await page.screenshot({ path: screenshotPath('i12-grant-refund') });

      await box.fill('refund_read');
      // The list changes as the value does: wait for the suggestion's own row.
      const suggestion = quickInput.locator('.quick-input-list .monaco-list-row', {
        hasText: /did you mean/i,
      });
      await ui.see(suggestion, 'charge_read offered for the wrong name refund_read');
      const wrong = await labels();
      log(`  rows for "refund_read": ${wrong.map((r) => r.aria).join(' | ')}`);
      expect(
        wrong[0]?.label === 'charge_read' && /did you mean/i.test(wrong[0]?.aria ?? ''),
        `charge_read first, marked as a suggestion: ${JSON.stringify(wrong)}`,
      );
      await page.screenshot({ path: screenshotPath('i12-grant-did-you-mean') });
      await page.keyboard.press('Escape');
    },
  },
  {
    name: 'i12-revoke-one-undo',
    title: 'Revoke of several names: one message with "(2 entries)", one undo restores the file',
    async run(ui) {
      const { page } = ui;
      const quickInput = page.locator('.quick-input-widget');
      const box = quickInput.locator('input');
      const original = fs.readFileSync(path.join(ui.folder, 'stripe-app.json'), 'utf8');
      await ui.openFile('stripe-app.json');
      await ui.waitForServerReady();
      await ui.runCommand('Stripe Apps: Revoke Permission');
      for (const name of ['customer_read', 'charge_read']) {
        await box.fill(name);
        const row = quickInput.locator('.quick-input-list .monaco-list-row', { hasText: name });
        await ui.see(row, `${name} in the Quick Pick`);
        await row.first().click();
      }
      await box.fill('');
      await ui.see(quickInput.locator('.quick-input-count', { hasText: '2' }), '"2 Selected"');
      await page.screenshot({ path: screenshotPath('i12-revoke-pick') });
      await page.keyboard.press('Enter');
      await ui.gone(box, 'the Quick Pick');
      const toast = page.locator('.notification-list-item-message', {
        hasText: 'Revoked customer_read (2 entries), charge_read.',
      });
      await ui.see(toast, 'the message "Revoked customer_read (2 entries), charge_read."');
      const disk = await ui.waitForDisk(
        'stripe-app.json',
        (text) => parses(text) && !text.includes('customer_read') && !text.includes('charge_read'),
        'customer_read and charge_read revoked',
      );
      expect(JSON.parse(disk).permissions.length === 1, `one entry remains on disk:\n${disk}`);
      await page.screenshot({ path: screenshotPath('i12-revoke-done') });
      // One undo brings every entry back.
      await ui.editorText().click({ position: { x: 5, y: 5 } });
      await page.keyboard.press('Control+Z');
      await ui.waitForLine('"charge_read"', 'charge_read back after one undo');
      const lines = await ui.lines();
      expect(
        // The last rendered line is the empty one after the final newline.
        lines.join('\n') === original,
        `one undo restores the file exactly; the editor shows:\n${lines.join('\n')}`,
      );
      await page.screenshot({ path: screenshotPath('i12-revoke-undo') });
    },
  },
  {
    name: 'i12-status-item',
    title: 'the language status item fits at 1 400 px and Show Output opens the log',
    async run(ui) {
      const { page } = ui;
      await ui.openFile('stripe-app.json');
      await ui.waitForServerReady();
      const width = page.viewportSize()?.width ?? 0;
      await page.locator('[id="status.languageStatus"]').first().click();
      const hover = page.locator('.monaco-hover', { hasText: 'Stripe Apps' });
      await ui.see(hover, 'the language status hover');
      const row = hover.locator('.hover-language-status', { hasText: 'Stripe Apps' }).first();
      const link = row.locator('a', { hasText: 'Show Output' }).first();
      await ui.see(link, 'the Show Output link');
      // The mouse on the link keeps the hover open while it is measured (the hover closed on
      // its own once between the two steps, and the box was null).
      await link.hover();
      const box = await link.boundingBox();
      const cut = await row.evaluate((element) =>
        [...element.querySelectorAll('*')]
          .filter(
            (e) => e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflow !== 'visible',
          )
          .map((e) => e.textContent),
      );
      const text = (await row.innerText()).replace(/\s+/g, ' ');
      log(
        `  status row (${width}px): "${text}", Show Output at x ${box?.x}–${(box?.x ?? 0) + (box?.width ?? 0)}`,
      );
      await page.screenshot({ path: screenshotPath('i12-status-item') });
      expect(
        box && box.x >= 0 && box.x + box.width <= width,
        `Show Output inside the window: ${JSON.stringify(box)}`,
      );
      expect(cut.length === 0, `no text cut in the status row: ${JSON.stringify(cut)}`);
      await link.click();
      await ui.see(
        page.locator('.panel .monaco-editor .view-line', {
          hasText: 'Stripe Apps language server is ready',
        }),
        'the Stripe Apps output with the server log',
      );
      await page.screenshot({ path: screenshotPath('i12-status-output') });
    },
  },
  {
    name: 'i12-add-purpose-selected',
    title: 'Add purpose leaves the suggested text selected: typing replaces it',
    async run(ui) {
      const { page } = ui;
      const file = path.join(ui.folder, 'stripe-app.json');
      const manifest = JSON.parse(fs.readFileSync(file, 'utf8'));
      manifest.permissions = [{ permission: 'payout_read' }];
      fs.writeFileSync(file, `${JSON.stringify(manifest, null, 2)}\n`);
      await ui.openFile('stripe-app.json');
      await ui.waitForServerReady();
      await ui.token('payout_read').click();
      const bulb = page.locator('.lightBulbWidget');
      await ui.see(bulb, 'the light bulb');
      await bulb.first().click();
      const menu = page.locator('.action-widget');
      const fix = menu.locator('.action-list-item, .monaco-list-row', { hasText: 'Add purpose' });
      await ui.see(fix, 'the Add purpose quick fix');
      await page.screenshot({ path: screenshotPath('i12-add-purpose-menu') });
      await fix.first().click();
      await ui.waitForLine(/"purpose": "Allows Order Notes/, 'the suggested purpose inserted');
      await ui.see(page.locator('.monaco-editor .selected-text'), 'a selection in the editor');
      await page.screenshot({ path: screenshotPath('i12-add-purpose-selected') });
      await page.keyboard.type('Shows each payout beside the order it paid for.');
      await ui.waitForLine(
        /^ {6}"purpose": "Shows each payout beside the order it paid for\."$/,
        'the typed reason replacing the whole suggestion, inside the quotes',
      );
      await page.screenshot({ path: screenshotPath('i12-add-purpose-typed') });
    },
  },
  {
    name: 'i14-code-missing-permission',
    fixture: 'code-app',
    title: 'a call the manifest does not cover: warning in the .tsx file, Grant from its quick fix',
    async run(ui) {
      const { page } = ui;
      await ui.openFile('App.tsx');
      // The app is analysed in the background; the warning comes when it is done.
      await ui.see(page.locator('.monaco-editor .squiggly-warning'), 'a warning squiggle', 60_000);
      await page.keyboard.press('Control+Shift+M');
      const problem = page.locator('.markers-panel .monaco-list-row', {
        hasText: /customers\.list. needs .customer_read/,
      });
      await ui.see(problem, 'a Problems entry: customers.list needs customer_read');
      log(`  problem: ${(await problem.first().getAttribute('aria-label')) ?? ''}`);
      await page.screenshot({ path: screenshotPath('i14-code-problems') });
      await ui.token('list').click();
      const bulb = page.locator('.lightBulbWidget');
      await ui.see(bulb, 'the light bulb');
      await bulb.first().click();
      const fix = page.locator('.action-widget').locator('.action-list-item, .monaco-list-row', {
        hasText: 'Grant customer_read',
      });
      await ui.see(fix, 'the quick fix "Grant customer_read"');
      await page.screenshot({ path: screenshotPath('i14-code-quick-fix') });
      await fix.first().click();
      const disk = await ui.waitForDisk(
        'stripe-app.json',
        (text) => parses(text) && text.includes('"permission": "customer_read"'),
        'customer_read granted in stripe-app.json',
      );
      const granted = JSON.parse(disk).permissions.map((entry) => entry.permission);
      expect(
        JSON.stringify(granted) === JSON.stringify(['invoice_read', 'customer_read']),
        `expected invoice_read then customer_read on disk, got ${JSON.stringify(granted)}`,
      );
      await ui.gone(problem, 'the missing-permission entry in Problems');
      await page.screenshot({ path: screenshotPath('i14-code-granted') });
    },
  },
  {
    name: 'i14-unused-permission',
    fixture: 'code-app',
    title:
      'a granted permission no code uses: unused-permission in the manifest, revoked by its fix',
    async run(ui) {
      const { page } = ui;
      await ui.openFile('stripe-app.json');
      await ui.waitForServerReady();
      await page.keyboard.press('Control+Shift+M');
      const problem = page.locator('.markers-panel .monaco-list-row', {
        hasText: 'invoice_read',
      });
      await ui.see(problem, 'a Problems entry for the unused invoice_read', 60_000);
      const label = (await problem.first().getAttribute('aria-label')) ?? '';
      log(`  problem: ${label}`);
      expect(
        /No UI call needs invoice_read; revoke it/.test(label),
        `expected the unused-permission entry: ${label}`,
      );
      await page.screenshot({ path: screenshotPath('i14-unused-problems') });
      await ui.token('invoice_read').click();
      // The quick-fix keys, as the light bulb can be scrolled out of view once the Problems
      // panel and the code lenses settle (a CI run found it under the editor's top lines).
      await page.keyboard.press('Control+.');
      const fix = page.locator('.action-widget').locator('.action-list-item, .monaco-list-row', {
        hasText: 'Revoke invoice_read',
      });
      await ui.see(fix, 'the quick fix "Revoke invoice_read"');
      await fix.first().click();
      await ui.waitForLine('invoice_read', 'invoice_read gone from the editor', { absent: true });
      await page.keyboard.press('Control+S');
      const disk = await ui.waitForDisk(
        'stripe-app.json',
        (text) => parses(text) && !text.includes('invoice_read'),
        'invoice_read revoked on disk',
      );
      expect(
        JSON.stringify(JSON.parse(disk).permissions) === '[]',
        `an empty permissions array remains:\n${disk}`,
      );
      await ui.gone(problem, 'the unused-permission entry in Problems');
      await page.screenshot({ path: screenshotPath('i14-unused-revoked') });
    },
  },
  {
    name: 'i15-v2',
    fixture: 'v2',
    title: 'stripe-app.yaml: hover, a quick fix, completion and Grant, the file on disk checked',
    async run(ui) {
      const { page } = ui;
      const quickInput = page.locator('.quick-input-widget');
      const box = quickInput.locator('input');
      await ui.openFile('stripe-app.yaml');
      await ui.waitForServerReady();
      const status = await page.locator('[id="status.languageStatus"]').getAttribute('aria-label');
      log(`  status: ${status ?? ''}`);
      expect(/manifest v2/.test(status ?? ''), `the status item says "manifest v2": ${status}`);
      // Hover on a granted name, once the lenses above it (the usage ones come last) are drawn.
      await ui.seeCodeLens('1 call', 'the usage code lens of customer_read');
      const token = ui.exactToken('customer_read');
      await ui.see(token, 'customer_read in the editor');
      await token.hover();
      await ui.see(
        page.locator('.monaco-hover:not(.hidden)', { hasText: 'Customers store payment methods' }),
        'a hover for customer_read',
      );
      await page.screenshot({ path: screenshotPath('i15-v2-hover') });
      await page.keyboard.press('Escape');
      // The misspelled name: its quick fix.
      await ui.exactToken('invoice_wrte').click();
      const bulb = page.locator('.lightBulbWidget');
      await ui.see(bulb, 'the light bulb');
      await bulb.first().click();
      const fix = page.locator('.action-widget').locator('.action-list-item, .monaco-list-row', {
        hasText: 'invoice_write',
      });
      await ui.see(fix, 'a quick fix offering invoice_write');
      await page.screenshot({ path: screenshotPath('i15-v2-quick-fix') });
      await fix.first().click();
      await ui.waitForLine(
        /^ {6}- permission: invoice_write$/,
        'the name replaced by invoice_write',
      );
      // Completion: the name charge_read retyped as a partial word.
      await ui.exactToken('charge_read').dblclick();
      await page.keyboard.type('payout_r');
      // Typing opens the widget (a YAML plain scalar is a string token, where VS Code's
      // quick suggestions are off unless the extension's [yaml] default turns them on).
      const suggest = page.locator('.editor-widget.suggest-widget.visible');
      await ui.see(
        suggest.locator('.monaco-list-row.focused', { hasText: 'payout_read' }),
        'payout_read focused in the suggest widget',
      );
      const rows = await suggestRows(suggest);
      log(`  suggest rows: ${rows.map((row) => row.label).join(', ')}`);
      await page.screenshot({ path: screenshotPath('i15-v2-completion') });
      await page.keyboard.press('Enter');
      await ui.waitForLine(
        /^ {6}- permission: payout_read$/,
        'the partial name replaced by payout_read',
      );
      await page.keyboard.press('Control+S');
      // Grant: the list first (the app's, preselected), then the name and the purpose.
      await ui.runCommand('Stripe Apps: Grant Permission');
      await ui.seeFocusedPick('App permissions', 'the app-level list preselected');
      await page.keyboard.press('Enter');
      await ui.see(
        quickInput.locator('input[placeholder^="Permission to grant"]'),
        'the Quick Pick of permissions',
      );
      await box.fill('product_read');
      await ui.seeFocusedPick('product_read', 'product_read focused in the Quick Pick');
      await page.keyboard.press('Enter');
      await ui.see(
        quickInput.locator('.quick-input-title', { hasText: 'Grant product_read' }),
        'the purpose box',
      );
      await page.screenshot({ path: screenshotPath('i15-v2-purpose') });
      await box.fill('Lists the products a merchant can attach to an order note.');
      await page.keyboard.press('Enter');
      await ui.gone(box, 'the purpose box');
      const entry =
        '      - permission: product_read\n        purpose: Lists the products a merchant can attach to an order note.\nui_extension:';
      const disk = await ui.waitForDisk(
        'stripe-app.yaml',
        (text) => text.includes(entry),
        'the entry in YAML style, saved at the end of the app list',
      );
      expect(disk.startsWith('# A v2 workspace'), `the comments stay first:\n${disk}`);
      expect(disk.includes('- permission: payout_read\n'), `the completed name saved:\n${disk}`);
      await page.screenshot({ path: screenshotPath('i15-v2-grant') });
    },
  },
];

/** Runs each scenario on its own page and workspace copy; returns one result per scenario. */
export async function runScenarios({ server, context, newWorkspace, extensionPath, only, runDir }) {
  const results = [];
  for (const scenario of scenarios) {
    if (only && !scenario.name.includes(only)) continue;
    const t0 = Date.now();
    const folder = newWorkspace(scenario.name, scenario.fixture);
    const page = await context.newPage();
    const consoleLog = fs.createWriteStream(path.join(runDir, `ui-${scenario.name}.console.log`));
    page.on('console', (m) => consoleLog.write(`[${m.type()}] ${m.text()}\n`));
    page.on('pageerror', (e) => consoleLog.write(`[pageerror] ${String(e)}\n`));
    log(`UI ${scenario.name}: ${scenario.title}`);
    let timer;
    let error;
    try {
      await Promise.race([
        (async () => {
          await openWorkbench(page, server, folder, extensionPath);
          await scenario.run(workbench(page, folder));
        })(),
        new Promise((_, reject) => {
          timer = setTimeout(
            () =>
              reject(
                new ExpectationError(
                  `scenario timed out after ${SCENARIO_TIMEOUT_MS / 1000}s (no step failed on its own)`,
                ),
              ),
            SCENARIO_TIMEOUT_MS,
          );
        }),
      ]);
    } catch (e) {
      error = e instanceof ExpectationError ? e.message : String(e?.stack ?? e);
      const shot = screenshotPath(`${scenario.name}-FAILED`);
      await page.screenshot({ path: shot }).catch(() => {});
      log(`  FAIL ${scenario.name}: ${error}\n  screenshot: ${shot}`);
    } finally {
      clearTimeout(timer);
      consoleLog.end();
      await page.close().catch(() => {});
    }
    const seconds = ((Date.now() - t0) / 1000).toFixed(1);
    if (!error) log(`  PASS ${scenario.name} in ${elapsed(t0)}`);
    results.push({ name: scenario.name, ok: !error, error, seconds });
  }
  return results;
}
