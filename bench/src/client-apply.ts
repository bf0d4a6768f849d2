import { EncryptedFieldRegistry } from '../../reference-client/src/crypto/encrypted-fields.js';
import { encryptValue } from '../../reference-client/src/crypto/field-cipher.js';
import { fieldEncryption } from '../../reference-client/src/crypto/field-encryption.js';
import { importVaultKey } from '../../reference-client/src/crypto/vault-key.js';
import { mapInBatches } from '../../reference-client/src/backup/batches.js';
import type { BenchConfig } from './bench-config.js';
import type { Figure } from './figure.js';
import { offlineClient, taskInserts } from './client-stores.js';

// Figure 6a (issue 5): 10,000 server changes merged into Dexie by the reference client in one
// apply, as one delta of a push or a stream hands them over; and the same with one encrypted field.

const USER = 'bench-user';

export async function runClientApply(config: BenchConfig): Promise<Figure[]> {
  const count = config.clientApplyChanges;
  const plainClient = await offlineClient(USER);
  const plain = taskInserts(USER, count);
  let started = performance.now();
  await plainClient.store.applyServerChanges(plain);
  const plainMs = performance.now() - started;
  const stored = (await plainClient.list('tasks')).length;
  await plainClient.close();
  if (stored !== count) throw new Error(`${stored} records stored, not ${count}`);

  const key = await importVaultKey(globalThis.crypto.getRandomValues(new Uint8Array(32)));
  const registry = new EncryptedFieldRegistry({ tasks: ['title'] });
  const titles = await mapInBatches(
    Array.from({ length: count }, (_, index) => index),
    (index) => encryptValue(`task ${index}`, key, { table: 'tasks', id: `task-${index}`, field: 'title' }),
  );
  const encryptedClient = await offlineClient(USER, fieldEncryption({ key, registry }));
  const encrypted = taskInserts(USER, count, (index) => titles[index]);
  started = performance.now();
  const result = await encryptedClient.store.applyServerChanges(encrypted);
  const encryptedMs = performance.now() - started;
  await encryptedClient.close();
  if (result.decodeFailures.length > 0) throw new Error(`${result.decodeFailures.length} values did not decrypt`);

  return [
    // The target is for 10,000 changes; a smaller (quick) run is reported against it unscaled.
    { name: 'client_apply', value: plainMs, unit: 'ms', target: { kind: 'at-most', value: 1000 }, database: 'none (Dexie on fake-indexeddb)', note: `${count} inserts of 4 fields in one apply` },
    { name: 'client_apply_encrypted', value: encryptedMs, unit: 'ms', database: 'none (Dexie on fake-indexeddb)', note: `${count} inserts, the title encrypted (enc:2)` },
  ];
}
