import { expectEqual } from '../../assertions.js';
import { defineCheck } from '../../check.js';
import { insertChange, recordKeys, TABLE } from '../../change-builders.js';

export const check = defineCheck({
  requirement: 'PUSH-19',
  slug: 'unregistered-apps',
  description: 'alice pushes to two never-used app ids, each served at once, and each app\'s pull returns only its own change',
  async run({ alice, appId, uniqueId }) {
    const apps = [`${appId}-a`, `${appId}_b`];
    const changes = apps.map(() => insertChange(uniqueId('task'), { n: 1 }));
    for (const [i, app] of apps.entries()) await alice.mustPush({ changes: [changes[i]!] }, { appId: app });
    for (const [i, app] of apps.entries()) {
      const pulled = await alice.mustPullAll({ collection: TABLE }, { appId: app, clientId: null });
      expectEqual(recordKeys(pulled.changes), recordKeys([changes[i]!]), 'PUSH-19', `changes of app ${app}`);
    }
  },
});
