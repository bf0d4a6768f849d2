import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverDatabaseTargets } from '../../../reference-server/test/support/database-targets.js';
import { startTestServer, type TestServer } from '../../../reference-server/test/support/test-server.js';
import type { FieldMeta } from '../../../reference-client/src/merge/field-meta.js';
import { compareStamps, stampOf } from '../../../spec/src/stamp-order.js';
import { buildDemoPage, type DemoPage } from '../../browser/build.js';
import { demoPageUrl } from '../../browser/demo-config.js';
import { startPageServer, type PageServer } from '../../browser/page-server.js';
import { chromiumMissing, CHROMIUM_SKIP_REASON, launchChromium, pageProblems, screenshotPath, warnIfChromiumMissing } from './support/chromium.js';

// Two users of the demo page (scenarios/browser/), each in a browser context of its own with real
// IndexedDB, fetch streams and WebCrypto, against the reference server. Every wait is on what the
// page shows; the timeouts are failure bounds only.
warnIfChromiumMissing('demo page in Chromium');

const SPACE = 'org-browser';
const WAIT = { timeout: 20_000 };

interface User {
  readonly context: BrowserContext;
  readonly page: Page;
  readonly problems: string[];
}

let built: DemoPage;
let pages: PageServer;
let browser: Browser;

beforeAll(async () => {
  // The build needs no browser: its test runs everywhere.
  built = await buildDemoPage();
  if (chromiumMissing) return;
  pages = await startPageServer(built);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await pages?.close();
});

describe('the browser build of the reference client', () => {
  it('bundles the client with the spec schemas as data and no Node-only module', () => {
    const packages = new Set(built.inputs.flatMap((input) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1] ?? []));
    expect([...packages].filter((name) => ['undici', 'fake-indexeddb', 'ws', 'pg', '@electric-sql/pglite'].includes(name))).toEqual([]);
    expect(built.inputs).toContain('spec/src/schema-registry.ts');
    expect(built.inputs).toContain('bundled-schemas:./schema-files.js');
    expect(built.inputs.filter((input) => input.startsWith('node:') || input.includes('spec/src/schema-files.ts'))).toEqual([]);
  });
});

describe.skipIf(chromiumMissing).each(serverDatabaseTargets())(`the demo page in Chromium against the reference server on $label${chromiumMissing ? ` (skipped: ${CHROMIUM_SKIP_REASON})` : ''}`, (target) => {
  let server: TestServer;
  const users: User[] = [];

  beforeAll(async () => {
    server = await startTestServer(target, { env: { CORS_ORIGINS: pages.origin } });
    server.auth.grant('alice', SPACE);
    server.auth.grant('bob', SPACE);
  });

  afterAll(async () => {
    for (const user of users.splice(0)) await user.context.close();
    await server?.close();
  });

  /** Opens the page as `userId` of `appId` in a context of its own and waits until it is online. */
  async function open(userId: string, appId: string): Promise<User> {
    const context = await browser.newContext();
    const page = await context.newPage();
    const user = { context, page, problems: pageProblems(page) };
    users.push(user);
    const url = demoPageUrl(pages.url, {
      server: server.url,
      token: await server.auth.mint(userId),
      appId,
      userId,
      spaceId: SPACE,
      vaultKey: randomBytes(32).toString('base64url'),
      maxRetryMs: 500,
    });
    await page.goto(url);
    await page.locator('body[data-ready=true]').waitFor(WAIT);
    await page.locator('#state[data-state=online]').waitFor(WAIT);
    return user;
  }

  const item = (user: User, id: string) => user.page.locator(`#items li[data-id="${id}"]`);

  async function add(user: User, title: string, options: { private?: boolean } = {}): Promise<string> {
    const { page } = user;
    await page.fill('#add input[name=title]', title);
    await page.setChecked('#add input[name=private]', options.private ?? false);
    await page.click('#add button');
    const row = page.locator(`#items li[data-title=${JSON.stringify(title)}]`);
    await row.waitFor(WAIT);
    return (await row.getAttribute('data-id'))!;
  }

  async function editTitle(user: User, id: string, title: string): Promise<void> {
    const input = item(user, id).locator('input.title');
    await input.fill(title);
    await input.press('Enter');
    await user.page.locator(`#items li[data-id="${id}"][data-title=${JSON.stringify(title)}]`).waitFor(WAIT);
  }

  /** Waits until the user's page shows `title` for the item with nothing of it left to push. */
  async function settledOn(user: User, id: string, title: string): Promise<void> {
    await user.page.locator(`#items li[data-id="${id}"][data-title=${JSON.stringify(title)}]:not([data-pending])`).waitFor(WAIT);
    await user.page.locator('#outbox[data-count="0"]').waitFor(WAIT);
  }

  async function titleStamp(user: User, id: string): Promise<FieldMeta> {
    return JSON.parse((await item(user, id).getAttribute('data-title-stamp'))!) as FieldMeta;
  }

  it('LWW-6 LWW-5 LWW-4 LWW-16 alice adds and edits, bob sees it live; both edit one title while bob is offline and converge on the greater stamp; a reload keeps the local data', async () => {
    const appId = `todo${randomBytes(4).toString('hex')}`;
    const alice = await open('alice', appId);
    const bob = await open('bob', appId);

    // SPACE-2: both are members of the space; bob's page follows the SSE stream.
    const milk = await add(alice, 'buy milk');
    await settledOn(bob, milk, 'buy milk');
    const bread = await add(alice, 'bake bread');
    await editTitle(alice, milk, 'buy oat milk');
    await settledOn(bob, milk, 'buy oat milk');
    await settledOn(bob, bread, 'bake bread');
    await item(alice, bread).locator('input.done').check();
    await item(bob, bread).locator('input.done:checked').waitFor(WAIT);

    // Bob's network goes; his edit stays queued and the page says so.
    await bob.context.setOffline(true);
    await editTitle(bob, milk, 'buy soy milk');
    await bob.page.locator('#state[data-state=offline]').waitFor(WAIT);
    await bob.page.locator(`#items li[data-id="${milk}"][data-pending]`).waitFor(WAIT);
    // Read now: a stream opened before setOffline may still bring alice's next edit to bob's page.
    const bobWrite = await titleStamp(bob, milk);
    await editTitle(alice, milk, 'buy almond milk');
    await item(alice, milk).locator('input.done').check();
    await settledOn(alice, milk, 'buy almond milk');

    // The winner is whichever write has the greater stamp (LWW-5), computed from what each page wrote.
    const aliceWrite = await titleStamp(alice, milk);
    expect([aliceWrite.userId, bobWrite.userId]).toEqual(['alice', 'bob']);
    const aliceWins = compareStamps(stampOf(aliceWrite, aliceWrite), stampOf(bobWrite, bobWrite)) > 0;
    const winner = aliceWins ? 'buy almond milk' : 'buy soy milk';
    // Alice's write is readable by every reader before bob is back, so bob's first exchange brings it.
    await server.settle();
    await bob.context.setOffline(false);
    await settledOn(bob, milk, winner);
    await settledOn(alice, milk, winner);
    await bob.page.locator('#state[data-state=online]').waitFor(WAIT);
    for (const user of [alice, bob]) expect(await titleStamp(user, milk)).toEqual(aliceWins ? aliceWrite : bobWrite);
    // LWW-4: alice's `done` stands beside the title, whoever won the title.
    await item(bob, milk).locator('input.done:checked').waitFor(WAIT);
    // LWW-16: bob's unpushed edit lost to alice's: the page says so. Had it won, nothing was lost.
    if (aliceWins) {
      await bob.page.locator('#conflict[data-count]').waitFor(WAIT);
      expect(await bob.page.textContent('#conflict')).toBe('conflict: your title "buy soy milk" lost to "buy almond milk"');
    } else {
      expect(await bob.page.isHidden('#conflict')).toBe(true);
    }

    await bob.page.screenshot({ path: screenshotPath(`demo-page-bob-reconnected-${target.label}`) });
    await alice.page.screenshot({ path: screenshotPath(`demo-page-alice-reconnected-${target.label}`) });

    // A reload with the server unreachable shows what IndexedDB holds.
    await bob.page.route(`${server.url}/**`, (route) => route.abort());
    await bob.page.reload();
    await bob.page.locator('body[data-ready=true]').waitFor(WAIT);
    await bob.page.locator(`#items li[data-id="${milk}"][data-title=${JSON.stringify(winner)}]`).waitFor(WAIT);
    await bob.page.locator(`#items li[data-id="${bread}"][data-title="bake bread"]`).waitFor(WAIT);
    await bob.page.locator('#state[data-state=offline]').waitFor(WAIT);
    await bob.page.unroute(`${server.url}/**`);

    // Requests refused while offline are logged by Chromium as failed loads; nothing else may be.
    expect(alice.problems).toEqual([]);
    expect(bob.problems.filter((problem) => !problem.includes('net::ERR_'))).toEqual([]);
  });

  it('BACKUP-6 BACKUP-16 BACKUP-17 a sealed backup exported in alice\'s browser imports in bob\'s with the passphrase, into his personal space', async () => {
    const alice = await open('alice', `notes${randomBytes(4).toString('hex')}`);
    const bob = await open('bob', `notes${randomBytes(4).toString('hex')}`);
    const passport = await add(alice, 'renew passport', { private: true });
    const fence = await add(alice, 'paint the fence');
    await alice.page.locator('#outbox[data-count="0"]').waitFor(WAIT);

    await alice.page.fill('#passphrase', 'correct horse battery staple');
    const [download] = await Promise.all([alice.page.waitForEvent('download', WAIT), alice.page.click('#export')]);
    await alice.page.locator('#backup-status[data-state=exported]').waitFor(WAIT);
    expect(JSON.parse((await alice.page.getAttribute('#backup-status', 'data-row-counts'))!)).toEqual({ todos: 2 });
    const archive = await download.path();
    // BACKUP-6: no row data outside data.sealed.
    const bytes = await readFile(archive);
    for (const title of ['renew passport', 'paint the fence']) expect(bytes.includes(Buffer.from(title))).toBe(false);

    await bob.page.fill('#passphrase', 'wrong passphrase');
    await bob.page.setInputFiles('#import', archive);
    await bob.page.locator('#backup-status[data-state=failed]').waitFor(WAIT);
    expect(await bob.page.locator('#items li').count()).toBe(0);

    await bob.page.fill('#passphrase', 'correct horse battery staple');
    await bob.page.setInputFiles('#import', archive);
    await bob.page.locator('#backup-status[data-state=imported]').waitFor(WAIT);
    expect(JSON.parse((await bob.page.getAttribute('#backup-status', 'data-imported'))!)).toEqual({ todos: 2 });
    // BACKUP-16: every row in the importer's personal space; BACKUP-17: his writes, pushed.
    for (const [id, title] of [[passport, 'renew passport'], [fence, 'paint the fence']] as const) {
      await settledOn(bob, id, title);
      expect(await item(bob, id).getAttribute('data-space')).toBe('_personal:bob');
      expect((await titleStamp(bob, id)).userId).toBe('bob');
    }
    await bob.page.screenshot({ path: screenshotPath(`demo-page-bob-imported-${target.label}`) });
    expect(alice.problems).toEqual([]);
    expect(bob.problems).toEqual([]);
  });
});
