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
 * A device pushes a write as another user with tokens the auth service never issued (AUTH-2,
 * AUTH-3), one push per forgery: each is refused with 401 and the code of the matrix, and none of
 * the writes ever reaches anyone (the model remembers each push's write as refused under its
 * attack's requirement, so a delivery of it fails under that requirement). Several forgeries in one
 * step make a run meet the one a server wrongly takes more often; shrinking keeps only that one.
 */
export class ForgedWriteCommand implements SyncCommand {
  /** How many forgeries the last run of this step pushed: a refused push ends the step early. */
  private pushed: number | undefined;

  constructor(
    readonly ref: DeviceRef,
    readonly victim: UserName,
    readonly spec: WriteSpec,
    readonly forgeries: readonly Forgery[],
  ) {}

  check(): boolean {
    return true;
  }

  async run(model: SyncModel, system: SyncSystem): Promise<void> {
    const matrix = await system.hostileTokensAgainst(model.userId(this.victim));
    const device = system.device(this.ref);
    this.pushed = 0;
    for (const forgery of this.forgeries) {
      this.pushed += 1;
      const attack = matrix.find((token) => token.name === forgery);
      if (attack === undefined) throw new Error(`the hostile token matrix has no attack named ${forgery}`);
      // A write of its own per push (its own origin), so that a stored one names its attack.
      const write = modelWriteOf(model, this.ref, this.spec, system.table);
      const spaceId = write.space === 'personal' ? model.personalSpace(this.victim) : write.space === 'shared' ? model.setup.sharedSpace : undefined;
      model.refuse([write], { kind: 'refused', status: 401, codes: [attack.expectedCode], requirement: attack.requirement, index: 0 });
      const body = { clientId: device.clientId, pushId: system.nextPushId(this.ref), changes: [wireChangeOf(write, spaceId)] };
      const exchange = await device.client.push(body, { clientId: device.clientId, appId: system.appId, token: attack.token });
      if (exchange.status !== 401 || errorCodeOf(exchange) !== attack.expectedCode) {
        fail(attack.requirement, `${deviceLabel(this.ref)}'s push as ${this.victim} with ${attack.description} refused 401 ${attack.expectedCode}`, describeExchange(exchange));
      }
    }
    checkSockets(model, system);
  }

  /** The steps of a counterexample name only the forgeries its run pushed (the last one failed). */
  toString(): string {
    const forgeries = this.forgeries.slice(0, this.pushed ?? this.forgeries.length);
    return `${deviceLabel(this.ref)} ${describeWrite(this.spec)} as ${this.victim}, with ${forgeries.length === 1 ? 'a forged token' : 'forged tokens'} (${forgeries.join(', ')})${forgeries.length === 1 ? '' : ', one push each'}`;
  }
}
