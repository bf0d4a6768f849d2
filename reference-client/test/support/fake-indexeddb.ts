import type { DexieOptions } from 'dexie';
import * as fakeIndexedDbModule from 'fake-indexeddb';

// fake-indexeddb declares its classes as `typeof IDBFactory` of the DOM library, which this Node
// project does not load; typed here, at one boundary, as what Dexie takes.
const fake = fakeIndexedDbModule as unknown as {
  IDBFactory: new () => NonNullable<DexieOptions['indexedDB']>;
  IDBKeyRange: NonNullable<DexieOptions['IDBKeyRange']>;
};

/** The IndexedDB of one simulated device: its own factory (stack-notes: never share one). */
export function newIndexedDB(): NonNullable<DexieOptions['indexedDB']> {
  return new fake.IDBFactory();
}

export const FakeIDBKeyRange = fake.IDBKeyRange;
