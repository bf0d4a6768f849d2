import { errorCodeOf } from '../src/assertions.js';
import { describeExchange } from '../src/exchange.js';
import { fail } from '../src/failure.js';
import { deviceLabel, type DeviceRef, type SyncModel, type UserName } from '../model/sync-model.js';
import { wireChangeOf } from '../model/wire-form.js';
import { checkSockets } from './live-checks.js';
import type { SyncCommand } from './sync-command.js';
import type { SyncSystem } from './sync-system.js';
import { describeWrite, modelWriteOf, type WriteSpec } from './write-spec.js';

/** Attacks of the hostile token matrix (conformance/src/auth-service/hostile-tokens.ts) a forged write is drawn from. */
export const FORGERIES = ['alg-none', 'hs256-with-public-key', 'es256', 'foreign-key-real-kid'] as const;
export type Forgery = (typeof FORGERIES)[number];

/**
 * A device pushes a write as another user with a token the auth service never issued (AUTH-2,
 * AUTH-3): the push is refused with 401 and the code of the matrix, and the write never reaches
 * anyone (the model remembers it as refused, so any delivery of it fails under the attack's
 * requirement).
 */
export class ForgedWriteCommand implements SyncCommand {
  constructor(
    readonly ref: DeviceRef,
    readonly victim: UserName,
    readonly spec: WriteSpec,
    readonly forgery: Forgery,
  ) {}

  check(): boolean {
    return true;
  }

  async run(model: SyncModel, system: SyncSystem): Promise<void> {
    const attack = (await system.hostileTokensAgainst(model.userId(this.victim))).find((token) => token.name === this.forgery);
    if (attack === undefined) throw new Error(`the hostile token matrix has no attack named ${this.forgery}`);
    const device = system.device(this.ref);
    const write = modelWriteOf(model, this.ref, this.spec, system.table);
    const spaceId = write.space === 'personal' ? model.personalSpace(this.victim) : write.space === 'shared' ? model.setup.sharedSpace : undefined;
    model.refuse([write], { kind: 'refused', status: 401, codes: [attack.expectedCode], requirement: attack.requirement, index: 0 });
    const body = { clientId: device.clientId, pushId: system.nextPushId(this.ref), changes: [wireChangeOf(write, spaceId)] };
    const exchange = await device.client.push(body, { clientId: device.clientId, appId: system.appId, token: attack.token });
    if (exchange.status !== 401 || errorCodeOf(exchange) !== attack.expectedCode) {
      fail(attack.requirement, `${deviceLabel(this.ref)}'s push as ${this.victim} with ${attack.description} refused 401 ${attack.expectedCode}`, describeExchange(exchange));
    }
    checkSockets(model, system);
  }

  toString(): string {
    return `${deviceLabel(this.ref)} ${describeWrite(this.spec)} as ${this.victim}, with a forged token (${this.forgery})`;
  }
}
