import type { Command } from 'commander';
import { attestProgram } from './main';

/**
 * The README's index of server scripts, read off the command tree itself (the module's technical guide
 * lists capabilities, web services and server scripts): every command with what it does and its flags,
 * so the index cannot name a flag the program does not take.
 */
export function scriptIndex(): string {
  const program = attestProgram({ out: () => {}, err: () => {} }, () => {});
  const rows: string[] = [];
  const walk = (cmd: Command, path: string[]) => {
    for (const sub of cmd.commands) {
      const here = [...path, sub.name()];
      if (sub.commands.length) walk(sub, here);
      else {
        const args = sub.registeredArguments.map((a) => (a.required ? `<${a.name()}>` : `[${a.name()}]`)).join(' ');
        const flags = sub.options
          .filter((o) => o.long !== '--help')
          .map((o) => `\`${o.long}\``)
          .join(' ');
        rows.push(`| \`attest ${here.join(' ')}${args ? ` ${args}` : ''}\` | ${escapeCell(sub.description())} | ${flags} |`);
      }
    }
  };
  walk(program, []);
  return ['| script | what it does | flags |', '| --- | --- | --- |', ...rows].join('\n');
}

const escapeCell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
