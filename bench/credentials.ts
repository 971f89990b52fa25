/**
 * What an Open Badges 3.0 credential costs (issue 17): signing one (build + eddsa-rdfc-2022 proof) and
 * verifying one (proof, status list credential's proof, bit, window), CPU time per credential
 * (process.cpuUsage), median of several runs. In memory: the key pair and the issuer's DID document are
 * given to the loader, as storage would give them, so the figure is the cryptography and the JSON-LD
 * canonicalisation, not the database.
 *
 *   node --import tsx bench/credentials.ts            (BENCH_CREDENTIALS=200 per run by default)
 */
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import {
  buildCredential,
  createDocumentLoader,
  didDocument,
  tenantDid,
  verifyCredential,
  type IssuerKey,
  type JsonObject,
} from '../server/domain/credentials';
import { signWithKeyPair } from '../server/domain/credentials/sign';
import { unsignedStatusList } from '../server/domain/credentials/status-list';
import { BitstringStatusList } from '@digitalbazaar/vc-bitstring-status-list';
import { fmt, median, referenceLearner } from './reference';
import { recordFigures } from './results';

const RUNS = 7;
const PER_RUN = Number(process.env.BENCH_CREDENTIALS ?? 200);
const BASE = 'https://certificates.example.org';
const DID = tenantDid(BASE, 'bench');
const AT = new Date('2026-03-10T09:00:00Z');

async function main(): Promise<void> {
  const generated = await Ed25519Multikey.generate();
  const key: IssuerKey = {
    id: 'k1',
    tenantId: 't',
    publicKeyMultibase: generated.publicKeyMultibase,
    state: 'active',
    createdAt: AT.toISOString(),
    retiredAt: null,
  };
  const pair = await Ed25519Multikey.from({
    id: `${DID}#${key.publicKeyMultibase}`,
    publicKeyMultibase: generated.publicKeyMultibase,
    secretKeyMultibase: generated.secretKeyMultibase ?? '',
  });
  const doc = didDocument(DID, [key]);
  const loader = createDocumentLoader(async (did) => (did === DID ? doc : undefined));
  const listUrl = `${BASE}/tenants/bench/status/1`;
  const bits = new BitstringStatusList({ length: 131_072 });
  const statusList = await signWithKeyPair(unsignedStatusList(listUrl, DID, await bits.encode(), AT), pair, AT);

  let n = 0;
  const sign = async (): Promise<JsonObject> => {
    const learner = referenceLearner(n++);
    const name = `${String(learner.learner?.firstname)} ${String(learner.learner?.lastname)}`;
    return signWithKeyPair(
      buildCredential({
        id: `${BASE}/credentials/${n}`,
        issuer: { did: DID, name: 'Organisme de formation', url: BASE },
        achievement: {
          id: `${BASE}/certificates/c1`,
          name: 'Sécurité incendie',
          description: 'Formation',
          criteria: 'Assiduité',
          hours: 7,
        },
        learner: { email: `learner${n}@example.org`, salt: `salt-${n}`, name },
        validFrom: '2026-03-10T00:00:00Z',
        validUntil: '2029-03-10T00:00:00Z',
        results: { grade: { value: '15', max: '20' }, hours: 7 },
        status: { statusListCredential: listUrl, statusListIndex: n % 131_072 },
      }),
      pair,
      AT,
    );
  };
  const options = { loader, now: new Date('2026-06-01T00:00:00Z'), statusList: async () => statusList };
  const verify = async (vc: JsonObject): Promise<void> => {
    const r = await verifyCredential(vc, options);
    if (!r.valid) throw new Error(`Bench credential does not verify: ${r.code}`);
  };

  const sample = await sign();
  for (let k = 0; k < 50; k++) await verify(await sign()); // warm the JIT and the context caches
  const signCpu: number[] = [];
  const verifyCpu: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    let used = process.cpuUsage();
    const made: JsonObject[] = [];
    for (let k = 0; k < PER_RUN; k++) made.push(await sign());
    let spent = process.cpuUsage(used);
    signCpu.push((spent.user + spent.system) / 1000 / PER_RUN);
    used = process.cpuUsage();
    for (const vc of made) await verify(vc);
    spent = process.cpuUsage(used);
    verifyCpu.push((spent.user + spent.system) / 1000 / PER_RUN);
  }
  const line = (label: string, xs: number[]) =>
    console.log(`credential ${label}: CPU ${fmt(median(xs), 3)} ms; min ${fmt(Math.min(...xs), 3)}, max ${fmt(Math.max(...xs), 3)}`);
  line('sign (build + eddsa-rdfc-2022)', signCpu);
  line('verify (proof + status list proof + bit + window)', verifyCpu);
  recordFigures('credentials', [
    {
      id: 'credential.sign',
      label: 'Open Badges credential signed (build + eddsa-rdfc-2022)',
      value: median(signCpu),
      unit: 'ms CPU',
      runs: signCpu,
    },
    { id: 'credential.verify', label: 'Open Badges credential verified', value: median(verifyCpu), unit: 'ms CPU', runs: verifyCpu },
  ]);
  console.log(
    `credential JSON: ${fmt(JSON.stringify(sample).length / 1024, 1)} KB; status list credential: ${fmt(JSON.stringify(statusList).length / 1024, 1)} KB`,
  );
}

await main();
