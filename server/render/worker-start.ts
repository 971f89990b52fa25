import { compileTemplate } from '../../templates/compile';
import { renderDocument } from '../../templates/render';
import { findPersona } from '../../variables/personas';

/**
 * A render worker's first module. Before the worker says it is ready it makes one small document, so what
 * every first document would pay (fonts read and parsed, the layout and PDF code run cold) is start-up
 * time, which the pool does not count against a document's time limit. Then the worker proper.
 */
const WARM_UP = `---
name: Warm-up
---
<page><text x="10mm" y="10mm" width="80mm">{{ learner.fullname }}</text></page>`;

try {
  const { template } = await compileTemplate(WARM_UP);
  if (template) renderDocument(template, findPersona('camille-martin')?.data ?? {});
} catch {
  // A worker that cannot make this document still takes jobs: each answers with its own diagnostics.
}
await import('./worker');
