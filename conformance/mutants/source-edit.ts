/**
 * One textual edit of a source file of the repository: `search` must occur exactly once in the file
 * and is replaced by `replace`. Declarative rather than a unified diff, so that an edit keeps
 * applying while unrelated lines around it change, and fails loudly once its own line changes.
 */
export interface SourceEdit {
  /** Relative to the repository root, with forward slashes. */
  readonly file: string;
  readonly search: string;
  readonly replace: string;
}

/** A variant's edit no longer matches the source: the variant must be rewritten against the new code. */
export class EditDoesNotApply extends Error {
  readonly code = 'MUTANT_EDIT_DOES_NOT_APPLY';
  constructor(
    readonly variant: string,
    readonly edit: SourceEdit,
    reason: string,
  ) {
    super(`mutant "${variant}" no longer applies to ${edit.file}: ${reason}; rewrite its edit against the current source`);
    this.name = 'EditDoesNotApply';
  }
}

/** The text with the edit applied; throws EditDoesNotApply unless `search` occurs exactly once. */
export function applyEdit(variant: string, text: string, edit: SourceEdit): string {
  if (edit.search === edit.replace) throw new EditDoesNotApply(variant, edit, 'its search and replace are the same text, so it changes nothing');
  const at = text.indexOf(edit.search);
  if (at === -1) throw new EditDoesNotApply(variant, edit, `the text ${JSON.stringify(firstLine(edit.search))} is not in the file`);
  if (text.indexOf(edit.search, at + 1) !== -1) {
    throw new EditDoesNotApply(variant, edit, `the text ${JSON.stringify(firstLine(edit.search))} occurs more than once`);
  }
  return text.slice(0, at) + edit.replace + text.slice(at + edit.search.length);
}

const firstLine = (text: string): string => {
  const line = text.trim().split('\n')[0] ?? '';
  return line.length > 100 ? `${line.slice(0, 100)}…` : line;
};
