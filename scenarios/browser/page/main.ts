// The demo page: a to-do list bound to the reference client, with the sync state in sight. The
// same client code as in Node runs here on the browser's IndexedDB, fetch and WebCrypto.
import { CURRENT_SCHEMA_VERSION } from '../../../spec/generated/constants.js';
import { exportBackup } from '../../../reference-client/src/backup/backup-export.js';
import { importBackup } from '../../../reference-client/src/backup/backup-import.js';
import { createClient, type SyncClient } from '../../../reference-client/src/client.js';
import { decodeBase64Url } from '../../../reference-client/src/crypto/base64.js';
import { EncryptedFieldRegistry } from '../../../reference-client/src/crypto/encrypted-fields.js';
import { fieldEncryption } from '../../../reference-client/src/crypto/field-encryption.js';
import { importVaultKey } from '../../../reference-client/src/crypto/vault-key.js';
import type { CryptoKey } from '../../../reference-client/src/crypto/crypto-key.js';
import { backupSourceOf, backupTargetOf } from '../../../reference-client/src/store/backup-adapters.js';
import { readDemoConfig } from '../demo-config.js';

const TABLE = 'todos';
// CRYPT-7: the title of a private to-do is encrypted; shared to-dos stay readable by the space.
const registry = new EncryptedFieldRegistry({ [TABLE]: ['title'] });

function element<T extends HTMLElement = HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (found === null) throw new Error(`index.html has no #${id}`);
  return found as T;
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : JSON.stringify(error);
}

function showFailure(error: unknown): void {
  const box = element('failure');
  box.hidden = false;
  box.textContent = describeError(error);
}

async function main(): Promise<void> {
  const config = readDemoConfig(location.search);
  const key = await importVaultKey(decodeBase64Url(config.vaultKey));
  const client = await createClient({
    serverUrl: config.server,
    token: config.token,
    appId: config.appId,
    userId: config.userId,
    tables: { [TABLE]: {} },
    codec: fieldEncryption({ key, registry }),
    ...(config.maxRetryMs === undefined ? {} : { retry: { maxDelayMs: config.maxRetryMs } }),
  });
  element('who').textContent = `${config.userId} in ${config.spaceId}`;
  bindState(client);
  const render = renderer(client);
  client.on('change', () => void render());
  // An acknowledged push changes no record, only what is still queued: the end of every exchange redraws.
  client.on('state', () => void render());
  bindForm(client, config.spaceId);
  bindBackup(client, key, render);
  // The client retries on its own backoff; the browser knowing it is back is a reason not to wait.
  addEventListener('online', () => void client.sync().catch(() => undefined));
  await render();
  client.start();
  document.body.dataset.ready = 'true';
}

function bindState(client: SyncClient): void {
  const state = element('state');
  const conflict = element('conflict');
  let lostEdits = 0;
  client.on('state', (next, error) => {
    state.dataset.state = next;
    state.textContent = next;
    state.title = error === undefined ? '' : describeError(error);
  });
  // LWW-16: a local edit that lost before it was pushed is shown, not silently dropped.
  client.on('conflict', (lost) => {
    lostEdits += 1;
    conflict.hidden = false;
    conflict.dataset.count = String(lostEdits);
    conflict.textContent = `conflict: your ${lost.field} "${String(lost.localValue)}" lost to "${String(lost.incomingValue)}"`;
  });
  conflict.addEventListener('click', () => {
    lostEdits = 0;
    conflict.hidden = true;
    delete conflict.dataset.count;
  });
}

type Item = Record<string, unknown> & { readonly id: string; readonly spaceId: string };

/** One to-do's row: created once per record and updated in place, so that an edit in progress survives a redraw. */
interface ItemRow {
  readonly row: HTMLElement;
  readonly done: HTMLInputElement;
  readonly title: HTMLInputElement;
  readonly space: HTMLElement;
  /** The title last drawn: an input holding anything else is being edited. */
  shown: string;
}

/**
 * Edits made on the page so far. A redraw reads the store before it draws: one that read before an
 * edit would undo on screen what the user just did (a box they just ticked), so it draws nothing,
 * and the redraw the edit's own change event queues draws instead.
 */
let localEdits = 0;

/** Redraws the list from the local store; redraws never overlap. */
function renderer(client: SyncClient): () => Promise<void> {
  const list = element('items');
  const outbox = element('outbox');
  const rows = new Map<string, ItemRow>();
  let order = '';
  let running: Promise<void> = Promise.resolve();
  const draw = async (): Promise<void> => {
    const editsBefore = localEdits;
    const items = await client.list(TABLE);
    const records = await Promise.all(items.map(async (item) => ({ item, stored: await client.store.getStored(TABLE, item.id) })));
    const queued = await client.store.outboxSize();
    if (localEdits !== editsBefore) return;
    records.sort((a, b) => String(a.item.createdAt).localeCompare(String(b.item.createdAt)) || a.item.id.localeCompare(b.item.id));
    for (const { item, stored } of records) {
      const row = rows.get(item.id) ?? itemRow(client, item.id);
      rows.set(item.id, row);
      updateRow(row, item, stored?.meta.title, stored?.pending ?? []);
    }
    // Moving a focused input out of the document would blur it: the list is rebuilt only when its order changes.
    const next = records.map(({ item }) => item.id).join(' ');
    if (next !== order) list.replaceChildren(...records.map(({ item }) => rows.get(item.id)!.row));
    order = next;
    outbox.dataset.count = String(queued);
    outbox.textContent = `${queued} queued`;
  };
  return () => (running = running.then(draw, draw));
}

function itemRow(client: SyncClient, id: string): ItemRow {
  const row = document.createElement('li');
  row.dataset.id = id;
  const done = document.createElement('input');
  done.type = 'checkbox';
  done.className = 'done';
  done.addEventListener('change', () => {
    localEdits++;
    void client.update(TABLE, id, { done: done.checked }).catch(showFailure);
  });
  const title = document.createElement('input');
  title.className = 'title';
  title.setAttribute('aria-label', 'title');
  title.addEventListener('change', () => {
    localEdits++;
    void client.update(TABLE, id, { title: title.value }).catch(showFailure);
  });
  const space = document.createElement('span');
  space.className = 'space';
  const remove = document.createElement('button');
  remove.setAttribute('type', 'button');
  remove.className = 'delete';
  remove.textContent = '✕';
  remove.addEventListener('click', () => void client.delete(TABLE, id).catch(showFailure));
  row.append(done, title, space, remove);
  return { row, done, title, space, shown: '' };
}

function updateRow(drawn: ItemRow, item: Item, titleStamp: unknown, pending: readonly string[]): void {
  const { row, done, title, space } = drawn;
  const text = typeof item.title === 'string' ? item.title : '';
  row.dataset.space = item.spaceId;
  row.dataset.title = text;
  // The winning write of the title as the store holds it (LWW-5): lets a reader see why a value won.
  if (titleStamp === undefined) delete row.dataset.titleStamp;
  else row.dataset.titleStamp = JSON.stringify(titleStamp);
  if (pending.length === 0) delete row.dataset.pending;
  else row.dataset.pending = pending.join(' ');
  done.checked = item.done === true;
  // An edit in progress keeps what the user typed until they commit it.
  const editing = document.activeElement === title && title.value !== drawn.shown;
  if (!editing) title.value = text;
  drawn.shown = text;
  space.textContent = item.spaceId.startsWith('_personal:') ? 'private' : item.spaceId;
}

function bindForm(client: SyncClient, spaceId: string): void {
  const form = element<HTMLFormElement>('add');
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const title = data.get('title');
    const values = { title: typeof title === 'string' ? title : '', done: false, createdAt: new Date().toISOString() };
    // No spaceId means the user's personal space (SPACE-13).
    const insert = data.get('private') === 'on' ? client.insert(TABLE, values) : client.insert(TABLE, { ...values, spaceId });
    form.reset();
    void insert.catch(showFailure);
  });
}

function bindBackup(client: SyncClient, key: CryptoKey, render: () => Promise<void>): void {
  const passphrase = element<HTMLInputElement>('passphrase');
  const status = element('backup-status');
  const report = (text: string, state: string): void => {
    status.textContent = text;
    status.dataset.state = state;
  };
  element('export').addEventListener('click', () => {
    report('exporting…', 'busy');
    // BACKUP-6: sealed with the passphrase; the archive holds decrypted values (BACKUP-15).
    exportBackup(backupSourceOf(client.store, CURRENT_SCHEMA_VERSION), { key, registry, appIds: [client.appId], passphrase: passphrase.value }).then(
      ({ bytes, fileName, manifest }) => {
        const link = document.createElement('a');
        link.href = URL.createObjectURL(new Blob([bytes], { type: 'application/octet-stream' }));
        link.download = fileName;
        link.click();
        URL.revokeObjectURL(link.href);
        report(`exported ${JSON.stringify(manifest.rowCounts)} to ${fileName}`, 'exported');
        status.dataset.rowCounts = JSON.stringify(manifest.rowCounts);
      },
      (error: unknown) => report(`export failed: ${describeError(error)}`, 'failed'),
    );
  });
  const file = element<HTMLInputElement>('import');
  file.addEventListener('change', () => {
    const chosen = file.files?.[0];
    if (chosen === undefined) return;
    report('importing…', 'busy');
    // BACKUP-16, BACKUP-17: rows land in this user's personal space under this user's key, queued for push.
    chosen
      .arrayBuffer()
      .then((buffer) => importBackup(new Uint8Array(buffer), backupTargetOf(client.store, CURRENT_SCHEMA_VERSION), { key, registry, passphrase: passphrase.value }))
      .then(
        async (result) => {
          report(`imported ${JSON.stringify(result.imported)}`, 'imported');
          status.dataset.imported = JSON.stringify(result.imported);
          await render();
        },
        (error: unknown) => report(`import failed: ${describeError(error)}`, 'failed'),
      )
      .finally(() => (file.value = ''));
  });
}

main().catch(showFailure);
