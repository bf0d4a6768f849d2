import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's Chromium: .ci/run installs it; playwright never downloads a browser here. */
export const CHROMIUM_PATH = '/usr/bin/chromium';
export const chromiumMissing = !existsSync(CHROMIUM_PATH);
export const CHROMIUM_SKIP_REASON = `${CHROMIUM_PATH} is missing (install Debian's chromium: apt-get install -y chromium)`;

/** Says out loud that a browser suite is skipped: a skip is never silent. */
export function warnIfChromiumMissing(suite: string): void {
  if (chromiumMissing) console.warn(`${suite}: skipped, ${CHROMIUM_SKIP_REASON}`);
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** Console errors and uncaught exceptions of a page, collected from the moment it is watched. */
export function pageProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console.error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  return problems;
}

// reports/ is what CI keeps of a run (and is gitignored): screenshots land there as artefacts.
const SCREENSHOTS = fileURLToPath(new URL('../../../../reports/screenshots/', import.meta.url));

/** Where a screenshot named `name` is written; the folder is created on first use. */
export function screenshotPath(name: string): string {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return join(SCREENSHOTS, `${name}.png`);
}
