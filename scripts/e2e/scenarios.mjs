/* global document */ // (in functions that run in the page)
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
            /Stripe Apps: (ready|\d+ permissions)/.test(
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
      await ui.see(
        quickInput.locator('.quick-input-list .monaco-list-row.focused', {
          hasText: 'product_read',
        }),
        'product_read focused in the Quick Pick',
      );
      await page.screenshot({ path: screenshotPath('4-grant-pick') });
      await page.keyboard.press('Enter');
      // The purpose input box, prefilled; a placeholder purpose shows a warning.
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
];

/** Runs each scenario on its own page and workspace copy; returns one result per scenario. */
export async function runScenarios({ server, context, newWorkspace, extensionPath, only, runDir }) {
  const results = [];
  for (const scenario of scenarios) {
    if (only && !scenario.name.includes(only)) continue;
    const t0 = Date.now();
    const folder = newWorkspace(scenario.name);
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
