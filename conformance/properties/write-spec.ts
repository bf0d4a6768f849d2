import { canonicalJson } from '../../spec/src/stamp-order.js';
import type { DeviceRef, ModelWrite, SpaceChoice, SyncModel } from '../model/sync-model.js';
import { deleteFields } from '../model/wire-form.js';

/** A write as generated: what a device writes and the tick of its own clock it stamps it with. */
export interface WriteSpec {
  op: ModelWrite['op'];
  id: string;
  space: SpaceChoice;
  /** The values an insert or update writes. */
  values: Record<string, string | boolean>;
  /** Milliseconds after the base instant on the device's clock (LWW-7: the device chooses its stamp). */
  tick: number;
  c: number;
}

const SPACE_WORDS: Record<SpaceChoice, string> = { personal: 'in its personal space', shared: 'in the shared space', unnamed: 'naming no space' };

/** `inserts t1 {title:"a"} in the shared space at T+2 c=0`: the write in plain words. */
export function describeWrite(spec: WriteSpec): string {
  const verb = spec.op === 'insert' ? 'inserts' : spec.op === 'update' ? 'updates' : 'deletes';
  const values = spec.op === 'delete' ? '' : ` {${Object.entries(spec.values).map(([name, value]) => `${name}:${canonicalJson(value)}`).join(',')}}`;
  return `${verb} task ${spec.id}${values} ${SPACE_WORDS[spec.space]} at T+${spec.tick}${spec.c === 0 ? '' : ` c=${spec.c}`}`;
}

/** The model write of a spec, stamped by the device's clock as it is now. */
export function modelWriteOf(model: SyncModel, ref: DeviceRef, spec: WriteSpec, table: string): ModelWrite {
  const t = model.instantOf(ref, spec.tick);
  const fields = spec.op === 'delete' ? deleteFields(t, spec.c) : Object.fromEntries(Object.entries(spec.values).map(([name, value]) => [name, { value, t, c: spec.c }]));
  return { origin: model.nextOrigin(), table, id: spec.id, op: spec.op, space: spec.space, fields };
}
