import { DomainError, type Problem } from './errors';

import { SELECTION_STATES, type IssueSelection, type SelectionState } from '../storage/repositories/issues';

/** The one shape of "which documents" for every bulk command; the query that reads it is `selectedIssues`. */
export { SELECTION_STATES, type IssueSelection, type SelectionState };

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Checks a selection made from outside (CLI flags, a request): every problem at once. */
export function checkSelection(selection: IssueSelection): IssueSelection {
  const problems: Problem[] = [];
  for (const key of ['issuedFrom', 'issuedTo'] as const) {
    const v = selection[key];
    if (v !== undefined && (!DAY.test(v) || Number.isNaN(Date.parse(`${v}T00:00:00Z`))))
      problems.push({ path: key, code: 'INVALID_FORMAT', message: `"${v}" is not a day (YYYY-MM-DD).` });
  }
  if (selection.issuedFrom && selection.issuedTo && selection.issuedFrom > selection.issuedTo)
    problems.push({ path: 'issuedTo', code: 'INVALID_VALUE', message: 'The last issue day is before the first.' });
  for (const s of selection.states ?? [])
    if (!(SELECTION_STATES as readonly string[]).includes(s))
      problems.push({ path: 'states', code: 'INVALID_VALUE', message: `"${s}" is not a state (${SELECTION_STATES.join(', ')}).` });
  if (problems.length) throw new DomainError('invalid', 'SELECTION_INVALID', 'The selection of documents is not valid.', { problems });
  return selection;
}
