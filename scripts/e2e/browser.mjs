// Debian's chromium driven by playwright-core (no browser download), with a fresh profile per run.
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { paths } from './paths.mjs';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** Launches chromium with a profile in `profileDir`; returns the persistent context. */
export async function launchBrowser(profileDir, { width = 1400, height = 900 } = {}) {
  fs.mkdirSync(profileDir, { recursive: true });
  return chromium.launchPersistentContext(profileDir, {
    executablePath: paths.chromium,
    headless: true,
    viewport: { width, height },
    args: ARGS,
    // The harness installs its own SIGINT/SIGTERM handlers and closes the browser itself.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
}

/** The workbench URL for a folder, optionally with a development extension and its tests. */
export function workbenchUrl(server, folder, { extensionPath, testsPath } = {}) {
  let url = `${server.url}/?folder=${encodeURIComponent(folder)}`;
  const payload = [];
  if (extensionPath) {
    payload.push(['extensionDevelopmentPath', `vscode-remote://${server.host}${extensionPath}`]);
  }
  if (testsPath) payload.push(['extensionTestsPath', `vscode-remote://${server.host}${testsPath}`]);
  if (payload.length) url += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  return url;
}

export function screenshotPath(name) {
  fs.mkdirSync(paths.results, { recursive: true });
  return path.join(paths.results, `${name}.png`);
}
