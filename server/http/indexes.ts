import { CAPABILITIES, DEFAULT_ROLES } from '../domain/capabilities';
import { fullPath } from './operation';
import { OPERATIONS } from './operations';

/**
 * The README's capability and web service indexes, made from the code that enforces them
 * (scripts/readme.ts writes them; test/readme.test.ts fails when they are stale).
 */
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function capabilityIndex(): string {
  const roles = Object.entries(DEFAULT_ROLES);
  const head = `| capability | Moodle equivalent | what it allows | operations | default roles |\n| --- | --- | --- | --- | --- |`;
  const rows = CAPABILITIES.map((c) => {
    const ops = OPERATIONS.filter((op) => 'capability' in op.access && op.access.capability === c.name).map((op) => `\`${op.id}\``);
    const also = OPERATIONS.filter((op) => 'authenticated' in op.access && op.access.capabilities.includes(c.name)).map((op) => `\`${op.id}\`*`);
    const holders = roles.filter(([, caps]) => caps.includes(c.name)).map(([r]) => r);
    return `| \`${c.name}\` | ${'moodle' in c ? `\`${c.moodle}\`` : '—'} | ${cell(c.en)} | ${[...ops, ...also].join(', ') || '—'} | ${holders.join(', ')} |`;
  });
  return `${head}\n${rows.join('\n')}\n\n\\* any one of the listed capabilities opens the operation; the domain then narrows it (a learner sees only their own documents).`;
}

export function webServiceIndex(): string {
  const head = `| operation | method and path | capability | what it does |\n| --- | --- | --- | --- |`;
  const rows = OPERATIONS.map((op) => {
    const access = 'capability' in op.access ? `\`${op.access.capability}\`` : 'public' in op.access ? 'public' : op.access.capabilities.length ? op.access.capabilities.map((c) => `\`${c}\``).join(' or ') : 'signed in';
    return `| \`${op.id}\` | \`${op.method.toUpperCase()} ${fullPath(op)}\` | ${access} | ${cell(op.summary)} |`;
  });
  const examples = OPERATIONS.filter((op) => op.example).map((op) => `# ${op.id}\n${op.example}`);
  return `${head}\n${rows.join('\n')}\n\nExamples (\`BASE=http://127.0.0.1:3000\`, \`TOKEN\` an API token, \`CERT\`, \`CODE\`, \`TEMPLATE\`, \`VERSION\` ids from earlier answers):\n\n\`\`\`sh\n${examples.join('\n\n')}\n\`\`\``;
}
