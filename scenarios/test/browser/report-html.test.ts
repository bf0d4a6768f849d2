import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Writable } from 'node:stream';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRunOptions } from '../../../conformance/src/cli-options.js';
import { HtmlReporter } from '../../../conformance/src/reporters/html-reporter.js';
import { runCommand } from '../../../conformance/src/run-command.js';
import { sampleReport } from '../../../conformance/test/support/sample-report.js';
import { chromiumMissing, CHROMIUM_SKIP_REASON, launchChromium, pageProblems, screenshotPath, warnIfChromiumMissing } from './support/chromium.js';

// report.html as a reader opens it: from disk, in Chromium, with no network at all. A passing
// report comes from a real run of the suite; a failing one from the reporters' sample run, which
// holds one verdict of every kind. Screenshots are kept as CI artefacts in reports/screenshots/.
warnIfChromiumMissing('report.html in Chromium');

const WAIT = { timeout: 10_000 };

/** Collects what runCommand writes; it writes text and asks nothing else of its streams. */
function textSink(): { stream: NodeJS.WriteStream; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return { stream: stream as unknown as NodeJS.WriteStream, text: () => chunks.join('') };
}

let browser: Browser;
let workDir: string;

beforeAll(async () => {
  if (chromiumMissing) return;
  workDir = mkdtempSync(join(tmpdir(), 'report-html-'));
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  if (workDir !== undefined) rmSync(workDir, { recursive: true, force: true });
});

describe.skipIf(chromiumMissing)(`report.html in Chromium without network${chromiumMissing ? ` (skipped: ${CHROMIUM_SKIP_REASON})` : ''}`, () => {
  /**
   * Opens a report file in a context where every request that is not the file itself is refused
   * and recorded, and returns the page with what went wrong in it.
   */
  async function openReport(file: string): Promise<{ page: Page; problems: string[]; requested: string[] }> {
    const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
    const requested: string[] = [];
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith('file:')) return route.continue();
      requested.push(url);
      return route.abort('internetdisconnected');
    });
    await context.setOffline(true);
    const page = await context.newPage();
    const problems = pageProblems(page);
    await page.goto(pathToFileURL(file).href);
    await page.locator('#filters').waitFor(WAIT);
    return { page, problems, requested };
  }

  const rows = (page: Page, verdict: string) => page.locator(`details.req[data-verdict="${verdict}"]`);

  it('a passing run\'s report opens offline without errors; unticking PASS hides the passed requirements', async () => {
    const reportDir = join(workDir, 'passing');
    const stdout = textSink();
    const stderr = textSink();
    const status = await runCommand(parseRunOptions(['--only', 'OPS', '--report-dir', reportDir]), { stdout: stdout.stream, stderr: stderr.stream });
    expect(status, `${stdout.text()}\n${stderr.text()}`).toBe(0);
    const { page, problems, requested } = await openReport(join(reportDir, 'report.html'));

    expect(await page.textContent('h1')).toMatch(/^mana-conformance passed: \d+ passed, 0 failed/);
    const passed = await rows(page, 'PASS').count();
    expect(passed).toBeGreaterThan(0);
    expect(await rows(page, 'FAIL').count()).toBe(0);
    await page.screenshot({ path: screenshotPath('report-html-passing'), fullPage: true });

    await page.uncheck('#filters input[value="PASS"]');
    for (let index = 0; index < passed; index++) await rows(page, 'PASS').nth(index).waitFor({ state: 'hidden', ...WAIT });
    const notChecked = rows(page, 'NOT CHECKED');
    if ((await notChecked.count()) > 0) expect(await notChecked.first().isVisible()).toBe(true);

    expect(problems).toEqual([]);
    expect(requested).toEqual([]);
    await page.context().close();
  });

  it('a failing run\'s report opens offline without errors, shows each failure with expected and observed, and its filters hide rows', async () => {
    const file = join(workDir, 'failing', 'report.html');
    mkdirSync(join(workDir, 'failing'), { recursive: true });
    writeFileSync(file, new HtmlReporter().render(sampleReport()));
    const { page, problems, requested } = await openReport(file);

    expect(await page.textContent('h1')).toMatch(/^mana-conformance failed: /);
    // A failed requirement is open, its failure readable with the transcript of the exchange.
    const push6 = page.locator('details.req[data-verdict="FAIL"]', { hasText: 'PUSH-6' });
    await push6.locator('.failure').first().waitFor(WAIT);
    expect(await push6.locator('.failure').first().innerText()).toBe('PUSH-6\nexpected: what the spec says\nobserved: 2 changes stored <after> a "refused" push & more');
    expect(await push6.locator('pre').first().innerText()).toContain('bad <request> & "stuff"');
    await page.screenshot({ path: screenshotPath('report-html-failing'), fullPage: true });

    const failed = await rows(page, 'FAIL').count();
    expect(failed).toBe(2);
    await page.uncheck('#filters input[value="FAIL"]');
    for (let index = 0; index < failed; index++) await rows(page, 'FAIL').nth(index).waitFor({ state: 'hidden', ...WAIT });
    expect(await rows(page, 'PASS').first().isVisible()).toBe(true);
    await page.check('#filters input[value="FAIL"]');
    await page.fill('#search', 'pull-');
    await rows(page, 'FAIL').first().waitFor({ state: 'hidden', ...WAIT });
    const visible = page.locator('details.req:visible');
    const shown = await Promise.all(Array.from({ length: await visible.count() }, async (_, index) => (await visible.nth(index).getAttribute('data-search'))?.split(' ')[0]));
    expect(shown).toEqual(['pull-3', 'pull-5']);

    expect(problems).toEqual([]);
    expect(requested).toEqual([]);
    await page.context().close();
  });
});
