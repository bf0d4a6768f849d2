import type { PullResponse } from '../../spec/generated/types.js';
import { exportBackup, type ExportedBackup } from '../../reference-client/src/backup/backup-export.js';
import { importBackup } from '../../reference-client/src/backup/backup-import.js';
import { EncryptedFieldRegistry } from '../../reference-client/src/crypto/encrypted-fields.js';
import { fieldEncryption } from '../../reference-client/src/crypto/field-encryption.js';
import { importVaultKey } from '../../reference-client/src/crypto/vault-key.js';
import { backupSourceOf, backupTargetOf } from '../../reference-client/src/store/backup-adapters.js';
import { tokenOf } from './scenario-setting.js';
import { defineScenario, observed, show } from './scenario.js';

/** The version of the scenario devices' local database, which a `.mana` manifest records (BACKUP-14). */
const LOCAL_SCHEMA_VERSION = 1;
const PASSPHRASE = 'correct horse battery staple';
const registry = new EncryptedFieldRegistry({ tasks: ['title', 'notes'] });
const TASKS = [
  { title: 'Passport number P1234567', notes: 'renew in March' },
  { title: 'Dentist, Tuesday 9:00', notes: 'bring the referral' },
];

/** A fresh vault key: each account has its own, and it never leaves its devices (CRYPT-10). */
function newVaultKey() {
  return importVaultKey(globalThis.crypto.getRandomValues(new Uint8Array(32)));
}

function plainValues(record: Record<string, unknown> | undefined): unknown {
  return record && { title: record.title, notes: record.notes };
}

export const backupRestore = defineScenario({
  name: 'backup-restore',
  summary: 'alice\'s encrypted personal tasks sync to her phone, which exports a sealed .mana archive; bob imports it under his own key: values readable, ids kept, and the server keeps alice\'s records hers',
  requirements: ['BACKUP-16', 'BACKUP-10', 'CRYPT-9', 'SPACE-5'],
  needs: [],
  async run({ setting, step, device, note }) {
    const { alice, bob } = setting;
    const appId = setting.freshAppId('backup-restore');
    note(`app ${appId}; alice = ${alice.userId}, bob = ${bob.userId}; tasks.title and tasks.notes are encrypted on personal records`);
    const aliceKey = await newVaultKey();
    const bobKey = await newVaultKey();
    const aliceLaptop = await device(alice, 'laptop', { appId, codec: fieldEncryption({ key: aliceKey, registry }) });
    const alicePhone = await device(alice, 'phone', { appId, codec: fieldEncryption({ key: aliceKey, registry }) });
    const bobLaptop = await device(bob, 'laptop', { appId, codec: fieldEncryption({ key: bobKey, registry }) });
    const ids: string[] = [];

    await step(
      {
        title: 'alice\'s laptop writes two personal tasks and a third it deletes, and syncs; the server relays the titles as ciphertext only',
        expected: 'a pull with alice\'s token returns every title and note as enc:… and none in plaintext',
        requirements: ['CRYPT-9', 'CRYPT-7'],
        hint: 'a server stores and relays encrypted values as opaque strings (CRYPT-9); a plaintext value here means the client did not encrypt, or the server decrypted or rewrote it',
      },
      async () => {
        for (const task of TASKS) ids.push((await aliceLaptop.sync.insert('tasks', task)).id);
        const gone = await aliceLaptop.sync.insert('tasks', { title: 'Old locker code', notes: '' });
        await aliceLaptop.sync.delete('tasks', gone.id);
        await aliceLaptop.sync.sync();
        const response = await fetch(`${setting.serverUrl}/sync/${appId}/pull?collection=tasks`, { headers: { authorization: `Bearer ${await tokenOf(alice)}` } });
        const body = (await response.json()) as PullResponse;
        const values = body.serverChanges.flatMap((change) => ['title', 'notes'].map((field) => change.fields[field]?.value)).filter((value) => value !== undefined);
        const opaque = values.every((value) => typeof value === 'string' && value.startsWith('enc:'));
        const leaked = TASKS.some((task) => JSON.stringify(body).includes(task.title));
        return observed(response.status === 200 && values.length > 0 && opaque && !leaked, `${response.status}; ${values.length} values, ${opaque ? 'all enc:…' : `not all enc: ${show(values)}`}${leaked ? '; a plaintext title is in the body' : ''}`);
      },
    );

    await step(
      {
        title: 'alice\'s phone, holding her key, syncs and reads her tasks',
        expected: `${show(TASKS)}, and the deleted task as a tombstone`,
        requirements: ['CRYPT-3', 'LWW-13'],
        hint: 'the phone decrypts what the server relayed; a decode failure means a ciphertext changed on its way (CRYPT-9), a missing task that the server did not relay it',
      },
      async () => {
        await alicePhone.sync.sync();
        const read = await Promise.all(ids.map(async (id) => plainValues(await alicePhone.sync.get('tasks', id))));
        const deleted = (await alicePhone.sync.list('tasks', { includeDeleted: true })).filter((record) => record.deletedAt !== undefined && record.deletedAt !== null);
        return observed(
          JSON.stringify(read) === JSON.stringify(TASKS) && deleted.length === 1 && alicePhone.decodeFailures.length === 0,
          `${show(read)}; ${deleted.length} tombstone(s); ${alicePhone.decodeFailures.length} value(s) that did not decrypt`,
        );
      },
    );

    let archive: ExportedBackup | undefined;
    await step(
      {
        title: 'alice\'s phone exports a sealed .mana archive with a passphrase',
        expected: 'a sealed archive of 2 task rows (the deleted one left out), with no plaintext outside the seal',
        requirements: ['BACKUP-6', 'BACKUP-15', 'BACKUP-21'],
        hint: 'the export decrypts the rows with alice\'s key and seals them under the passphrase (PBKDF2 + AES-GCM); the manifest stays readable and holds no values',
      },
      async () => {
        archive = await exportBackup(backupSourceOf(alicePhone.sync.store, LOCAL_SCHEMA_VERSION), { key: aliceKey, registry, passphrase: PASSPHRASE });
        const text = Buffer.from(archive.bytes).toString('latin1');
        const exposed = TASKS.some((task) => text.includes(task.title));
        return observed(
          archive.manifest.passphrase !== undefined && archive.manifest.rowCounts.tasks === 2 && !exposed,
          `${archive.fileName}, ${archive.bytes.length} bytes; rowCounts ${show(archive.manifest.rowCounts)}; ${archive.manifest.passphrase ? 'sealed' : 'NOT sealed'}${exposed ? '; a title is readable in the file' : ''}`,
        );
      },
    );

    await step(
      {
        title: 'bob\'s laptop imports it with a wrong passphrase',
        expected: 'refused as BACKUP_WRONG_PASSPHRASE; bob\'s store unchanged',
        requirements: ['BACKUP-10', 'BACKUP-16'],
        hint: 'the key check tells a wrong passphrase from a damaged file (BACKUP-10); a failed import writes nothing',
      },
      async () => {
        const refusal = await importBackup(archive!.bytes, backupTargetOf(bobLaptop.sync.store, LOCAL_SCHEMA_VERSION), { key: bobKey, registry, passphrase: 'wrong horse' }).then(
          () => 'imported',
          (error: unknown) => String((error as { code?: string }).code ?? (error as Error).message),
        );
        const held = await bobLaptop.sync.list('tasks');
        return observed(refusal === 'BACKUP_WRONG_PASSPHRASE' && held.length === 0, `${refusal}; bob holds ${held.length} task(s)`);
      },
    );

    await step(
      {
        title: 'bob\'s laptop imports it with the passphrase, under bob\'s own key',
        expected: `${show(TASKS)} under the same ids, in _personal:${bob.userId}, stored as ciphertext of bob's key`,
        requirements: ['BACKUP-16', 'BACKUP-17'],
        hint: 'an import drops the old owner\'s space, places rows in the importer\'s personal space and encrypts them under the importer\'s key (BACKUP-16)',
      },
      async () => {
        const report = await importBackup(archive!.bytes, backupTargetOf(bobLaptop.sync.store, LOCAL_SCHEMA_VERSION), { key: bobKey, registry, passphrase: PASSPHRASE });
        const read = await Promise.all(ids.map(async (id) => bobLaptop.sync.get('tasks', id)));
        const stored = await Promise.all(ids.map(async (id) => (await bobLaptop.sync.store.getStored('tasks', id))?.meta.title?.value));
        const alicesCiphertext = await Promise.all(ids.map(async (id) => (await alicePhone.sync.store.getStored('tasks', id))?.meta.title?.value));
        const reencrypted = stored.every((value, index) => typeof value === 'string' && value.startsWith('enc:') && value !== alicesCiphertext[index]);
        return observed(
          JSON.stringify(read.map(plainValues)) === JSON.stringify(TASKS) && read.every((record) => record?.spaceId === `_personal:${bob.userId}`) && reencrypted,
          `imported ${show(report.imported)}; ${show(read.map((record) => record && { id: record.id, spaceId: record.spaceId, ...(plainValues(record) as object) }))}; ${reencrypted ? 're-encrypted under bob\'s key' : 'NOT re-encrypted'}`,
        );
      },
    );

    await step(
      {
        title: 'bob syncs: the ids belong to alice\'s personal records on this server, so his copies stay on his laptop, and alice\'s records stay hers',
        expected: 'the push is refused 409 SPACE_MISMATCH and set aside by bob\'s client; alice\'s phone still reads her own tasks',
        requirements: ['SPACE-5', 'SPACE-3'],
        hint: 'a record keeps the space of its first stored change (SPACE-5); a server that let bob\'s push move the ids into his space would hand him alice\'s records and overwrite them on her devices',
      },
      async () => {
        const outcome = await bobLaptop.sync.sync().then(
          () => 'accepted',
          (error: unknown) => String((error as { serverError?: { code: string } }).serverError?.code ?? (error as Error).message),
        );
        await alicePhone.sync.sync();
        const read = await Promise.all(ids.map(async (id) => plainValues(await alicePhone.sync.get('tasks', id))));
        const aliceUntouched = JSON.stringify(read) === JSON.stringify(TASKS) && alicePhone.decodeFailures.length === 0;
        return observed(
          outcome === 'SPACE_MISMATCH' && bobLaptop.rejected.length === 1 && aliceUntouched,
          `bob's push: ${outcome}, ${bobLaptop.rejected.length} set aside; alice reads ${show(read)}`,
        );
      },
    );
  },
});
