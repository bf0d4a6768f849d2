import { JWKS_REFRESH_COOLDOWN_SECONDS } from '../../../../spec/generated/constants.js';
import { expectError, expectTrue } from '../../assertions.js';
import { generateSigningKey } from '../../auth-service/signing-keys.js';
import { mintToken } from '../../auth-service/token-minter.js';
import { defineCheck } from '../../check.js';
import { TABLE } from '../../change-builders.js';
import { fail } from '../../failure.js';

const FLOOD = 10;

export const check = defineCheck({
  requirement: 'AUTH-8',
  slug: 'unknown-kid-refresh-rate-limited',
  description: 'the auth service rotates its key: a token of the new key is accepted within the cooldown (/health limits.jwksRefreshCooldownSeconds); then 10 tokens of unknown kids: 401 AUTH_UNKNOWN_KEY each, at most one JWKS fetch per cooldown',
  exclusive: true,
  // The new key may only be fetched once the cooldown since the target's last fetch has passed.
  minimumSeconds: (limits) => (limits?.jwksRefreshCooldownSeconds ?? JWKS_REFRESH_COOLDOWN_SECONDS) + 5,
  async run({ alice, auth, health, pause, record }) {
    const cooldownSeconds = (await health()).limits.jwksRefreshCooldownSeconds;
    const rotated = await auth.rotateKey();
    const fresh = await auth.mint(alice.userId);
    record.note(`auth service: new signing key ${rotated.kid} published; cooldown ${cooldownSeconds} s`);
    const deadline = performance.now() + (cooldownSeconds + 2) * 1000;
    for (;;) {
      const exchange = await alice.pull({ collection: TABLE }, { token: fresh });
      if (exchange.status === 200) break;
      if (performance.now() > deadline) {
        // Later checks sign with the newest key: withdraw one the target never learnt.
        auth.unpublishKey(rotated.kid);
        fail('AUTH-8', `a token of a newly published key accepted within the cooldown (${cooldownSeconds} s)`, `${exchange.status} ${exchange.text.slice(0, 200)}`);
      }
      await pause(250);
    }
    const before = auth.jwksFetches;
    const started = performance.now();
    for (let i = 0; i < FLOOD; i++) {
      const token = await mintToken(await generateSigningKey('unknown'), alice.userId);
      expectError(await alice.pull({ collection: TABLE }, { token }), 'AUTH_UNKNOWN_KEY', 'AUTH-8');
    }
    const elapsedSeconds = (performance.now() - started) / 1000;
    const fetched = auth.jwksFetches - before;
    const allowed = 1 + Math.floor(elapsedSeconds / cooldownSeconds);
    record.note(`${fetched} JWKS fetches for ${FLOOD} unknown kids in ${elapsedSeconds.toFixed(2)} s`);
    expectTrue(fetched <= allowed, 'AUTH-8', `at most ${allowed} JWKS fetch(es) for ${FLOOD} unknown kids in ${elapsedSeconds.toFixed(2)} s (cooldown ${cooldownSeconds} s)`, () => `${fetched} fetches`);
  },
});
