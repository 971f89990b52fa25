/**
 * `npm run bench`, options: what each document option of issue 17 costs on the reference certificate
 * (bench/reference.ts), against the same documents made without it. CPU time per document (process.cpuUsage,
 * less sensitive to other processes than the clock), median of several runs, with the spread.
 *
 * Each option is one entry of OPTIONS: the render options it adds, and what is done to the bytes after the
 * render when the option works there (a signature, say). Options that cost nothing unless they are used stay
 * out of the plain figure, so `+x ms` is the option's own cost.
 */
import { renderDocument, type RenderOptions } from '../templates/render';
import type { CompiledTemplate } from '../templates/compile';
import { fmt, median, referenceCertificate, referenceLearner } from './reference';
import { createPrivateKey } from 'node:crypto';
import type { KeyAlgorithm } from '../server/domain/signature/cms';
import { newSelfSignedKey } from '../server/domain/signature/keys';
import { signPdfWith, signatureField } from '../server/domain/signature';
import { recordFigures, type Figure } from './results';

export interface BenchOption {
  label: string;
  /** Set up once (keys generated, say); returns how a document is made with the option. */
  prepare: () => Promise<{ render?: RenderOptions; after?: (pdf: Uint8Array, i: number) => Uint8Array | Promise<Uint8Array> }>;
}

const SECRET = Buffer.alloc(32, 7);

/** PAdES B-B with a fresh key of this kind: the render reserves the room, the signer fills it after. */
function signed(algorithm: KeyAlgorithm): BenchOption {
  return {
    label: `signature B-B ${algorithm}`,
    prepare: async () => {
      const { certificate, pkcs8 } = await newSelfSignedKey(algorithm, 'Organisme de formation', new Date());
      const privateKey = createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' });
      const signing = {
        level: 'B-B' as const,
        timestampTimeoutMs: 10_000,
        key: { certificate: Buffer.from(certificate).toString('base64') },
      };
      return {
        render: { signature: signatureField(signing, new Date(Date.UTC(2026, 5, 1))) },
        after: async (pdf) => (await signPdfWith({ certificate, privateKey }, signing, pdf)).pdf,
      };
    },
  };
}

const OPTIONS: BenchOption[] = [
  { label: 'none (plain document)', prepare: () => Promise.resolve({}) },
  {
    label: 'protection aes-128',
    prepare: () => Promise.resolve({ render: { protection: { cipher: 'aes-128', permissions: { print: true }, secret: SECRET } } }),
  },
  {
    label: 'protection aes-256',
    prepare: () => Promise.resolve({ render: { protection: { cipher: 'aes-256', permissions: { print: true }, secret: SECRET } } }),
  },
  {
    label: 'protection aes-256 + user password',
    prepare: () =>
      Promise.resolve({ render: { protection: { cipher: 'aes-256', permissions: { print: true }, userPassword: 'pw', secret: SECRET } } }),
  },
  // PDF/A-3b (templates/pdf/archival.ts): the XMP packet per document, the output intent's ready bytes copied.
  { label: 'archival PDF/A-3b', prepare: () => Promise.resolve({ render: { archival: true } }) },
  { label: 'tagged PDF', prepare: () => Promise.resolve({ render: { tagged: true } }) },
  // B-T adds one round trip to the timestamp authority (its latency, not our CPU): not measured here.
  signed('rsa-2048'),
  signed('ecdsa-p256'),
  {
    // Issue 17, Open Badges: the signed credential attached as credential.json (/Alternative). Its signing is
    // measured by bench/credentials.ts; this is what embedding it adds to the render.
    label: 'Open Badges credential embedded (credential.json)',
    prepare: () =>
      Promise.resolve({
        render: {
          attachments: [
            {
              name: 'credential.json',
              mimeType: 'application/ld+json',
              relationship: 'Alternative' as const,
              description: 'Open Badges 3.0 credential (W3C Verifiable Credential 2.0) of this document',
              bytes: new TextEncoder().encode(JSON.stringify(benchCredential())),
            },
          ],
        },
      }),
  },
];

/** A credential of the size the server makes (achievement, issuer, hashed learner, result, status, proof). */
function benchCredential(): Record<string, unknown> {
  const did = 'did:web:certificates.example.org:tenants:bench';
  return {
    '@context': ['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'],
    id: 'https://certificates.example.org/verify/ABCDE-FGHIJ-KLMNO-PQRST/credential.json',
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    issuer: { id: did, type: ['Profile'], name: 'Organisme de formation de référence', url: 'https://example.org' },
    validFrom: '2026-03-10T00:00:00Z',
    validUntil: '2029-03-10T23:59:59Z',
    name: 'Sauveteur secouriste du travail',
    credentialSubject: {
      type: ['AchievementSubject'],
      identifier: [
        {
          type: 'IdentityObject',
          identityType: 'emailAddress',
          hashed: true,
          identityHash: `sha256$${'a'.repeat(64)}`,
          salt: 'b'.repeat(22),
        },
      ],
      achievement: {
        id: 'urn:uuid:0b4e7c2a-1d3f-4c5b-9a8e-7f6d5c4b3a21',
        type: ['Achievement'],
        achievementType: 'Certificate',
        name: 'Sauveteur secouriste du travail',
        description: 'Attestation de fin de formation',
        criteria: { narrative: 'Avoir achevé la formation « Sauveteur secouriste du travail ». Obtenir une note d’au moins 60 %.' },
        creditsAvailable: 14,
      },
      result: [{ type: ['Result'], resultDescription: 'urn:uuid:0b4e7c2a-1d3f-4c5b-9a8e-7f6d5c4b3a21#grade', value: '16.5' }],
      creditsEarned: 14,
    },
    credentialStatus: {
      id: 'https://certificates.example.org/tenants/bench/status/1#48213',
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListIndex: '48213',
      statusListCredential: 'https://certificates.example.org/tenants/bench/status/1',
    },
    proof: {
      type: 'DataIntegrityProof',
      cryptosuite: 'eddsa-rdfc-2022',
      created: '2026-03-10T00:00:00Z',
      verificationMethod: `${did}#z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK`,
      proofPurpose: 'assertionMethod',
      proofValue: `z${'5'.repeat(86)}`,
    },
  };
}

const RUNS = 7;
const PER_RUN = Number(process.env.BENCH_OPTION_DOCUMENTS ?? 150);

type Maker = () => Promise<number>;

/** A function making the next document with the option, and answering its size. */
async function maker(template: CompiledTemplate, option: BenchOption, first: number): Promise<Maker> {
  const { render = {}, after } = await option.prepare();
  let i = first;
  return async () => {
    const r = renderDocument(template, referenceLearner(i), { ...render, documentId: `BENCH-${i}` });
    if (!r.pdf) throw new Error(`${option.label}: ${JSON.stringify(r.diagnostics)}`);
    const pdf = after ? await after(r.pdf, i) : r.pdf;
    i++;
    return pdf.length;
  };
}

async function main(): Promise<void> {
  const { template } = await referenceCertificate();
  const makers: Maker[] = [];
  const sizes: number[] = [];
  for (const [n, option] of OPTIONS.entries()) {
    const make = await maker(template, option, 1 + n * 100_000);
    for (let k = 0; k < 50; k++) sizes[n] = await make(); // warm caches and the JIT for this option's code
    makers.push(make);
  }
  // Runs take turns between the options, so a busy moment of the machine falls on all of them alike.
  const cpu: number[][] = OPTIONS.map(() => []);
  for (let r = 0; r < RUNS; r++)
    for (const [n, make] of makers.entries()) {
      const used = process.cpuUsage();
      for (let k = 0; k < PER_RUN; k++) await make();
      const spent = process.cpuUsage(used);
      cpu[n]!.push((spent.user + spent.system) / 1000 / PER_RUN);
    }
  const plain = median(cpu[0]!);
  const figures: Figure[] = [];
  for (const [n, option] of OPTIONS.entries()) {
    const m = median(cpu[n]!);
    figures.push({
      id: `option.${n}`,
      label: `option: ${option.label}`,
      value: m,
      unit: 'ms CPU',
      runs: cpu[n]!,
      detail: `${n === 0 ? 'the reference' : `${m >= plain ? '+' : ''}${fmt(m - plain, 2)} ms`}; ${fmt(sizes[n]! / 1024, 1)} KB`,
    });
    const delta = n === 0 ? '' : ` (${m >= plain ? '+' : ''}${fmt(m - plain, 3)} ms, ×${fmt(m / plain, 2)})`;
    console.log(
      `option   ${option.label}: CPU ${fmt(m, 3)} ms/document${delta}; min ${fmt(Math.min(...cpu[n]!), 3)}, max ${fmt(Math.max(...cpu[n]!), 3)}; ${fmt(sizes[n]! / 1024, 1)} KB`,
    );
  }
  recordFigures('options', figures);
}

await main();
