import type { AsyncCommand } from 'fast-check';
import type { SyncModel } from '../model/sync-model.js';
import type { SyncSystem } from './sync-system.js';

/** Every command of the model-based properties: `check` reads the model, `run` acts, asserts, then updates it. */
export type SyncCommand = AsyncCommand<SyncModel, SyncSystem>;
