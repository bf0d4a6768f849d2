import { TIMESTAMP_SINCE_GRACE_SECONDS } from '../../../../spec/generated/constants.js';
import { parseInstant } from '../../../../spec/src/instant.js';
import { expectTrue } from '../../assertions.js';
import { defineCheck } from '../../check.js';
import { insertChange, recordKeys, TABLE } from '../../change-builders.js';
import { fail } from '../../failure.js';

function withOffset(epochMs: number, offsetHours: number): string {
  const shifted = new Date(epochMs + offsetHours * 3600_000).toISOString().replace(/\.\d{3}Z$/, '');
  const sign = offsetHours >= 0 ? '+' : '-';
  return `${shifted}${sign}${String(Math.abs(offsetHours)).padStart(2, '0')}:00`;
}

export const check = defineCheck({
  requirement: 'PULL-8',
  slug: 'timestamp-since-with-grace',
  description: 'alice\'s phone pushes a change; her laptop pulls with since = its serverAt + half the grace period, written with a +02:00 offset: the change is returned and syncedUntil is a cursor',
  async run({ alice, uniqueId }) {
    const change = insertChange(uniqueId('task'), { n: 1 });
    await alice.mustPush({ changes: [change] }, { clientId: 'alice-phone' });
    const [stored] = (await alice.mustPullAll({ collection: TABLE })).changes;
    const serverAt = stored ? parseInstant(stored.serverAt) : null;
    if (serverAt === null) fail('PULL-8', 'the pushed change with a serverAt', JSON.stringify(stored));
    const since = withOffset(serverAt + (TIMESTAMP_SINCE_GRACE_SECONDS * 1000) / 2, 2);
    const response = await alice.mustPull({ collection: TABLE, since });
    expectTrue(recordKeys(response.serverChanges).includes(recordKeys([change])[0]!), 'PULL-8', `the change returned for since ${since} (within the grace period)`, () => JSON.stringify(recordKeys(response.serverChanges)));
    const next = await alice.mustPull({ collection: TABLE, since: response.syncedUntil });
    expectTrue(!recordKeys(next.serverChanges).includes(recordKeys([change])[0]!), 'PULL-8', 'the returned syncedUntil a cursor after the change', () => JSON.stringify(recordKeys(next.serverChanges)));
  },
});
