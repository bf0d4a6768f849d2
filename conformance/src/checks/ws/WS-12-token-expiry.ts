import { expectEqual } from '../../assertions.js';
import { defineCheck } from '../../check.js';
import { LIVE_ANSWER_MS } from '../../live/live-bounds.js';
import { expectSocketRefusal } from './socket-refusal.js';

/**
 * Seconds until the first token expires: short, so that the check stays quick, yet long enough for
 * both sockets to authenticate with it on a loaded runner (`exp` is rounded down to a second).
 */
const EXPIRES_IN_SECONDS = 5;
/** How long after the first socket's close the renewed one must still be open. */
const RENEWED_MARGIN_MS = 500;

export const check = defineCheck({
  requirement: 'WS-12',
  slug: 'token-expiry-and-renewal',
  description: `alice connects two sockets with one token expiring in ${EXPIRES_IN_SECONDS} s and renews the second with a fresh token: the first is closed 1008 AUTH_TOKEN_EXPIRED, the second answered auth-ok and still open after; a third renewed with bob's token is refused AUTH_INVALID_TOKEN and closed 1008`,
  async run({ alice, bob, auth, pause }) {
    // Minted first, so that the renewal goes out well before the expiring token's `exp` (a whole second, rounded down).
    const fresh = await alice.bearer();
    const expiring = await auth.mint(alice.userId, { expiresIn: EXPIRES_IN_SECONDS });
    const expires = await alice.mustConnect({ token: expiring });
    const renewed = await alice.mustConnect({ token: expiring, clientId: 'alice-phone' });
    renewed.send({ type: 'auth', token: fresh, clientId: 'alice-phone' });
    await renewed.mustReceiveUntil(() => renewed.ofType('auth-ok').length === 2, { withinMs: LIVE_ANSWER_MS, requirement: 'WS-12', waitingFor: 'auth-ok to a renewal with a token of the same sub' });
    const closed = await expires.mustClose({ withinMs: EXPIRES_IN_SECONDS * 1000 + LIVE_ANSWER_MS, requirement: 'WS-12', waitingFor: 'be closed when its token expires' });
    expectEqual({ code: closed.code, reason: closed.reason }, { code: 1008, reason: 'AUTH_TOKEN_EXPIRED' }, 'WS-12', 'the close when the token expired');
    // The renewed socket's first token expired at the same instant: it must outlive it.
    await pause(RENEWED_MARGIN_MS);
    await renewed.mustPong('WS-12');
    const foreign = await alice.mustConnect({ clientId: 'alice-tablet' });
    foreign.send({ type: 'auth', token: await bob.bearer() });
    await expectSocketRefusal(foreign, 'AUTH_INVALID_TOKEN', 1008, 'WS-12');
  },
});
