import { describe, expect, it } from 'vitest';
import { attest } from './attest';

/** The commands `attest <path> --help` lists under "Commands:", found by walking the help itself. */
function subcommands(help: string): string[] {
  const section = /\nCommands:\n([\s\S]*?)(\n\n|\n?$)/.exec(help)?.[1] ?? '';
  return section
    .split('\n')
    .map((l) => /^ {2}(\S+)/.exec(l)?.[1])
    .filter((n): n is string => n !== undefined && n !== 'help');
}

describe('attest --help', () => {
  it('gives every command and command group examples an operator can copy', async () => {
    const seen: string[] = [];
    const walk = async (path: string[]): Promise<void> => {
      const r = await attest(...path, '--help');
      expect(r.code, path.join(' ')).toBe(0);
      if (path.length) {
        expect(r.out, `attest ${path.join(' ')} --help`).toMatch(/\nExamples:\n {2}\$ (\S+=\S+ )?attest /);
        seen.push(path.join(' '));
      }
      for (const name of subcommands(r.out)) await walk([...path, name]);
    };
    await walk([]);
    for (const command of [
      'tenant create',
      'tenant list',
      'tenant show',
      'tenant settings',
      'tenant rotate-webhook-secret',
      'tenant rotate-link-secret',
      'person create',
      'person list',
      'person disable',
      'person enable',
      'person reset-password',
      'person delete',
      'token create',
      'token list',
      'token revoke',
      'template list',
      'template export',
      'template validate',
      'serve',
      'start',
      'render',
      'check',
    ])
      expect(seen).toContain(command);
  });

  it('offers --json on every command that prints, and --dry-run on every one that writes', async () => {
    for (const command of ['tenant list', 'tenant show', 'person list', 'token list', 'template list', 'template validate', 'serve'])
      expect((await attest(...command.split(' '), '--help')).out, command).toContain('--json');
    for (const command of [
      'tenant create',
      'tenant settings',
      'tenant rotate-webhook-secret',
      'tenant rotate-link-secret',
      'person create',
      'person disable',
      'person enable',
      'person reset-password',
      'person delete',
      'token create',
      'token revoke',
      'template export',
    ]) {
      const help = (await attest(...command.split(' '), '--help')).out;
      expect(help, command).toContain('--dry-run');
      expect(help, command).toContain('--json');
    }
  });
});
