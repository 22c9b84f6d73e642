import * as vscode from 'vscode';
import { ClientCommands, type ManifestInfoResult } from '../../server/src/protocol';
import type { ServerState } from './languageServer';
import { MANIFEST_SELECTOR } from './manifestFiles';

type CatalogSummary = ManifestInfoResult['catalog'];

/**
 * The language status item of manifest documents ("{ }" in the status bar): the catalog in use
 * and the server's state, with a link to the server's log.
 *
 * Its text says "starting" until `LanguageClient.start()` has resolved, then
 * "Stripe Apps: 136 permissions" (or "Stripe Apps: ready" until the catalog is known): tests
 * wait on that instead of sleeping. Text and detail stay short: the language status hover is a
 * row of text, detail and link, and a long row pushed *Show Output* past a 1 400 px window.
 */
export class ManifestStatusItem implements vscode.Disposable {
  private readonly item: vscode.LanguageStatusItem;
  private state: ServerState | 'not-started' = 'not-started';
  private catalog: CatalogSummary | undefined;

  constructor() {
    this.item = vscode.languages.createLanguageStatusItem('stripeApps.status', MANIFEST_SELECTOR);
    this.item.name = 'Stripe Apps';
    this.item.command = { title: 'Show Output', command: ClientCommands.showOutput };
    this.render();
  }

  get hasCatalog(): boolean {
    return this.catalog !== undefined;
  }

  setState(state: ServerState): void {
    this.state = state;
    this.render();
  }

  setCatalog(catalog: CatalogSummary): void {
    this.catalog = catalog;
    this.render();
  }

  dispose(): void {
    this.item.dispose();
  }

  private render(): void {
    const item = this.item;
    item.busy = this.state === 'starting';
    item.severity = vscode.LanguageStatusSeverity.Information;
    switch (this.state) {
      case 'not-started':
        item.text = 'Stripe Apps';
        item.detail = 'not started';
        break;
      case 'starting':
        item.text = 'Stripe Apps: starting';
        item.detail = '';
        break;
      case 'running': {
        const catalog = this.catalog;
        item.text = catalog
          ? `Stripe Apps: ${catalog.permissions.length} permissions`
          : 'Stripe Apps: ready';
        item.detail = catalog ? `reference of ${catalog.source.copied}` : '';
        break;
      }
      case 'stopped':
        item.text = 'Stripe Apps: stopped';
        item.detail = '';
        item.severity = vscode.LanguageStatusSeverity.Warning;
        break;
      case 'failed':
        item.text = 'Stripe Apps: failed to start';
        item.detail = 'see the output';
        item.severity = vscode.LanguageStatusSeverity.Error;
        break;
    }
  }
}
