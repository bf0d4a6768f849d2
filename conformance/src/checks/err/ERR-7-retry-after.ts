import { expectTrue } from '../../assertions.js';
import { defineCheck } from '../../check.js';
import { TABLE } from '../../change-builders.js';
import { NotCheckable } from '../../failure.js';
import { duringMembershipOutage } from '../space/membership-outage.js';

export const check = defineCheck({
  requirement: 'ERR-7',
  slug: 'retry-after',
  description: 'the memberships endpoint answers 503 while alice, never looked up, pulls: the 503 carries Retry-After in seconds',
  exclusive: true,
  async run({ alice, auth, record }) {
    const exchange = await duringMembershipOutage({ auth, record }, () => alice.pull({ collection: TABLE }));
    if (exchange.status !== 503 && exchange.status !== 429) throw new NotCheckable(`the target answered ${exchange.status}, not a temporary refusal, during a membership outage (see SPACE-10)`);
    expectTrue(/^\d+$/.test(exchange.headers.get('retry-after')?.trim() ?? ''), 'ERR-7', 'Retry-After: <seconds>', () => `Retry-After ${exchange.headers.get('retry-after') ?? '(none)'}`);
  },
});
