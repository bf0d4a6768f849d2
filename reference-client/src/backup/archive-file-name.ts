import type { BackupManifest } from '../../../spec/generated/types.js';

/** BACKUP-20: `mana-<full|app+app>-<YYYY-MM-DD>[.sealed].mana`, dated by the export's UTC day. */
export function archiveFileName(manifest: BackupManifest): string {
  const scope = manifest.scope.type === 'full' ? 'full' : manifest.scope.appIds.join('+');
  const day = new Date(manifest.exportedAt).toISOString().slice(0, 10);
  return `mana-${scope}-${day}${manifest.passphrase === undefined ? '' : '.sealed'}.mana`;
}
