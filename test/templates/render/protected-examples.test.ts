import { execFileSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { basename } from 'node:path';
import { compileTemplateFile, bundledExamples } from '../../../templates/files';
import { renderDocument } from '../../../templates/render';
import type { CompiledTemplate } from '../../../templates/compile';
import { personas } from '../../../variables/personas';
import { previewData } from '../../../variables/samples';
import { writeTemp } from '../pdf/helpers';

/**
 * Issue 17, protection: every bundled example with every sample learner, rendered protected (AES-256 with
 * a user password, AES-128 without), passes qpdf's check and gives the learner's name back to pdftotext.
 */
const compiled = new Map<string, CompiledTemplate>();
beforeAll(async () => {
  for (const file of bundledExamples()) compiled.set(basename(file, '.liquid'), (await compileTemplateFile(file)).template!);
});

const secret = Buffer.from('per-tenant key material, 32 byte');
const tool = (cmd: string, args: string[]) => execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const words = (s: string) =>
  s
    .normalize('NFC')
    .split(/\s+/)
    .filter((w) => /[\p{L}\p{N}]/u.test(w));

describe('the bundled examples, protected', () => {
  for (const example of ['attestation-fr', 'diploma-background', 'transcript-en']) {
    it(`${example}: every sample learner, AES-256 with a user password and AES-128 without`, () => {
      for (const persona of personas) {
        const template = compiled.get(example)!;
        const data = previewData(template.declared, persona.data);
        const name = String((persona.data.learner as { fullname?: string } | undefined)?.fullname ?? '');
        for (const cipher of ['aes-256', 'aes-128'] as const) {
          const userPassword = cipher === 'aes-256' ? 'apprenant' : undefined;
          const r = renderDocument(template, data, {
            protection: {
              cipher,
              permissions: { print: true, extractForAccessibility: true },
              ...(userPassword ? { userPassword } : {}),
              secret,
            },
          });
          expect(r.pdf, `${example} ${persona.id} ${cipher}`).toBeDefined();
          const path = writeTemp(r.pdf!, `protected-${example}-${persona.id}-${cipher}.pdf`);
          const pw = userPassword ? [`--password=${userPassword}`] : [];
          expect(tool('qpdf', [...pw, '--check', path])).toContain('No syntax or stream encoding errors');
          const text = tool('pdftotext', [...(userPassword ? ['-upw', userPassword] : []), '-enc', 'UTF-8', path, '-'])
            .normalize('NFC')
            .replace(/\s+/g, ' ')
            .replace(/-/g, '');
          for (const w of words(name)) expect(text, `${example} ${persona.id} ${cipher}`).toContain(w.replace(/-/g, ''));
        }
      }
    });
  }
});
