import { CAPABILITIES, DEFAULT_ROLES } from '../domain/capabilities';
import { ERROR_CODES, PROBLEM_CODES, type ErrorCodeEntry } from '../domain/error-codes';
import { fullPath } from './contract/declaration';
import { errorsOf } from './operation';
import { OPERATIONS } from './operations';
import { STATUS } from './problems';
import { MOODLE_FUNCTIONS } from '../domain/moodle-ws';
import { MOODLE_REST_PATH } from './moodle/endpoint';

/**
 * The README's capability, web service and error code indexes, made from the code that enforces them
 * (scripts/readme.ts writes them; test/readme.test.ts fails when they are stale).
 */
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function capabilityIndex(): string {
  const roles = Object.entries(DEFAULT_ROLES);
  const head = `| capability | Moodle equivalent | what it allows | operations | default roles |\n| --- | --- | --- | --- | --- |`;
  const rows = CAPABILITIES.map((c) => {
    const ops = OPERATIONS.filter((op) => 'capability' in op.access && op.access.capability === c.name).map((op) => `\`${op.id}\``);
    const also = OPERATIONS.filter((op) => 'authenticated' in op.access && op.access.capabilities.includes(c.name)).map(
      (op) => `\`${op.id}\`*`,
    );
    const holders = roles.filter(([, caps]) => caps.includes(c.name)).map(([r]) => r);
    return `| \`${c.name}\` | ${'moodle' in c ? `\`${c.moodle}\`` : '—'} | ${cell(c.en)} | ${[...ops, ...also].join(', ') || '—'} | ${holders.join(', ')} |`;
  });
  return `${head}\n${rows.join('\n')}\n\n\\* any one of the listed capabilities opens the operation; the domain then narrows it (a learner sees only their own documents).`;
}

export function webServiceIndex(): string {
  const head = `| operation | method and path | capability | what it does |\n| --- | --- | --- | --- |`;
  const rows = OPERATIONS.map((op) => {
    const access =
      'capability' in op.access
        ? `\`${op.access.capability}\``
        : 'public' in op.access
          ? 'public'
          : 'operator' in op.access
            ? 'operator token'
            : op.access.capabilities.length
              ? op.access.capabilities.map((c) => `\`${c}\``).join(' or ')
              : 'signed in';
    return `| \`${op.id}\` | \`${op.method.toUpperCase()} ${fullPath(op)}\` | ${access} | ${cell(op.summary)} |`;
  });
  const examples = OPERATIONS.filter((op) => op.example).map((op) => `# ${op.id}\n${op.example}`);
  return `${head}\n${rows.join('\n')}\n\n${moodleFunctionIndex()}\n\nExamples (\`BASE=http://127.0.0.1:3000\`, \`TOKEN\` an API token, \`CERT\`, \`CODE\`, \`TEMPLATE\`, \`VERSION\` ids from earlier answers):\n\n\`\`\`sh\n${examples.join('\n\n')}\n\`\`\``;
}

/** mod_pdcertificate's functions, answered at Moodle's REST entry (server/http/moodle). */
function moodleFunctionIndex(): string {
  const rows = MOODLE_FUNCTIONS.map(
    (f) =>
      `| \`${f.name}\` | \`GET\` or \`POST ${MOODLE_REST_PATH}\` | ${f.capabilities.map((c) => `\`${c}\``).join(' or ')} | ${cell(f.description)} |`,
  );
  return `| Moodle function (\`wsfunction\`) | method and path | capability | what it does |\n| --- | --- | --- | --- |\n${rows.join('\n')}`;
}

/** Pure reasons never come as the answer's code, only in `reasons` of a DELIVERY_REFUSED. */
const onlyAReason = (e: ErrorCodeEntry) => e.reason === true && e.kind === 'refused';

export function errorIndex(): string {
  const entries = Object.entries(ERROR_CODES) as [string, ErrorCodeEntry][];
  const status = (e: ErrorCodeEntry) => (onlyAReason(e) ? 1000 : STATUS[e.kind]);
  const rows = entries
    .map(([code, e], i) => ({ code, e, i }))
    .sort((a, b) => status(a.e) - status(b.e) || a.i - b.i)
    .map(({ code, e }) => {
      const ops = OPERATIONS.filter((op) => (op.errors ?? []).includes(code as never)).map((op) => `\`${op.id}\``);
      const reached = OPERATIONS.filter((op) => errorsOf(op).includes(code as never)).length;
      const where = ops.length ? ops.join(', ') : reached === OPERATIONS.length ? 'any' : reached ? 'many' : '—';
      return `| \`${code}\` | ${onlyAReason(e) ? 'in `reasons`' : STATUS[e.kind]} | ${cell(e.meaning)} | ${where} |`;
    });
  const problems = Object.entries(PROBLEM_CODES).map(
    ([code, p]) => `| \`${code}\` | ${cell(typeof p.en === 'string' ? p.en : p.en({}))} |`,
  );
  return [
    '### Error codes',
    '',
    'Every error answer is `{"error": {"code", "message", "problems"?, "warnings"?, "reasons"?, "details"?, "requestId"}}` with the status below. Match on `code`; show `message` (in the caller’s language: `Accept-Language` when it prefers `fr` or `en`, else the tenant’s locale, else English). The API document lists, for each operation, the codes it can answer at each status; the operations column names those where the domain answers it; *any* and *many* are the adapter’s own (every operation, or every one that has a body, a capability, an idempotency key…); *—* is answered before any operation (or only by the command line). `429` and `503` answers carry `Retry-After`.',
    '',
    '| code | status | meaning | operations |',
    '| --- | --- | --- | --- |',
    ...rows,
    '',
    'Each entry of `problems` and `warnings` has a `path` — the JSON path within the request body (`data.learner.email`, `codes[3]`, empty for the body itself), or `params.x` / `query.x` for the path and query — a `code` and a `message`:',
    '',
    '| problem code | what it says |',
    '| --- | --- |',
    ...problems,
  ].join('\n');
}
