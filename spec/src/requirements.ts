import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RequirementsFile } from './generated-files.js';
import { AREAS, type Area, type Requirement } from './requirement-index.js';
import { GENERATED_DIR } from './spec-paths.js';

export const REQUIREMENTS_FILE = join(GENERATED_DIR, 'requirements.json');

/** The requirements of protocol.md, looked up by ID: what tests, checks and error bodies cite. */
export interface RequirementCatalog {
  readonly all: readonly Requirement[];
  /** The requirement with this ID; throws on an ID protocol.md does not define. */
  requirement(id: string): Requirement;
  /** Every area in the spec's order, each with its requirements in document order. */
  requirementsByArea(): ReadonlyMap<Area, readonly Requirement[]>;
}

export function loadRequirementCatalog(file: string = REQUIREMENTS_FILE): RequirementCatalog {
  let parsed: RequirementsFile;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8')) as RequirementsFile;
  } catch (error) {
    throw new Error(`cannot read ${file} (run npm run generate): ${(error as Error).message}`, { cause: error });
  }
  if (!Array.isArray(parsed.requirements)) throw new Error(`${file} has no "requirements" array (run npm run generate)`);
  const all = parsed.requirements;
  const byId = new Map(all.map((requirement) => [requirement.id as string, requirement]));
  const byArea = new Map<Area, Requirement[]>(AREAS.map((area) => [area, []]));
  for (const requirement of all) byArea.get(requirement.area)?.push(requirement);
  return {
    all,
    requirement(id: string): Requirement {
      const found = byId.get(id);
      if (found === undefined) {
        throw new Error(`unknown requirement ID "${id}": spec/protocol.md defines no such requirement (or run npm run generate)`);
      }
      return found;
    },
    requirementsByArea: () => byArea,
  };
}

let catalog: RequirementCatalog | undefined;

function defaultCatalog(): RequirementCatalog {
  catalog ??= loadRequirementCatalog();
  return catalog;
}

/** The requirement with this ID from spec/generated/requirements.json; throws on an unknown ID. */
export function requirement(id: string): Requirement {
  return defaultCatalog().requirement(id);
}

/** spec/generated/requirements.json grouped by area, every area present, in the spec's order. */
export function requirementsByArea(): ReadonlyMap<Area, readonly Requirement[]> {
  return defaultCatalog().requirementsByArea();
}
