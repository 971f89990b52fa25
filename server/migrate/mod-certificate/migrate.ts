import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sniffAsset } from '../../../templates/assets';
import type { Actor, Services } from '../../domain/context';
import { codeKey } from '../../domain/codes';
import { DomainError } from '../../domain/errors';
import { importCertificate, importIssue } from '../../domain/imports';
import type { Tenant } from '../../domain/tenants';
import { importedId, importedIds } from '../../storage/repositories/moodle-imports';
import type { MoodleDb } from '../moodle/source';
import type { ModCertificateInstance } from './instance';
import {
  issuesPage,
  readPage,
  readSite,
  type GradeItem,
  type Letter,
  type MoodleCourse,
  type MoodleIssue,
  type MoodleUser,
  type PageFacts,
  type SiteFacts,
} from './read';
import { templateFromInstance, type ImageFile, type ImageKind, type InstanceImages, type MigratedTemplate } from './template';

/**
 * `attest migrate mod-certificate`: a Moodle site's mod_certificate instances become Attest templates and
 * certificates, and its issues Attest issues with their codes and dates, each rendered. What could not be
 * brought over is listed with why; nothing is done twice (the imports table, server/domain/imports.ts);
 * a dry run reads everything and writes nothing.
 */
export interface MigrationProgress {
  tick(n?: number): void;
  total(n: number): void;
  stop(): void;
}

export interface MigrateOptions {
  moodle: MoodleDb;
  tenant: Tenant;
  actor: Actor;
  /** moodledata: images uploaded through the plugin's settings are in mod/certificate/pix/<kind>/. */
  moodledata?: string;
  /** The Moodle code folder: the plugin's own images are in mod/certificate/pix/<kind>/. */
  moodleCode?: string;
  dryRun?: boolean;
  /** Issues read per query. */
  pageSize?: number;
  /** Issues imported at the same time (the render workers). */
  concurrency?: number;
  /** Import at most this many issues in this run; a later run goes on. */
  maxIssues?: number;
  /** Stops between two issues; what was imported stays, a later run goes on. */
  signal?: AbortSignal;
  progress?: (total: number) => MigrationProgress;
}

/** Why something was not brought over (or not all of it): stable words scripts can match. */
export type UnmappedReason =
  | 'course-missing'
  | 'module-missing'
  | 'image-missing'
  | 'template-warning'
  | 'template-failed'
  | 'instance-not-imported'
  | 'instance-missing'
  | 'user-missing'
  | 'user-deleted'
  | 'code-replaced'
  | 'code-taken'
  | 'learner-has-document'
  | 'issue-failed';

export interface Unmapped {
  kind: 'instance' | 'issue';
  /** The Moodle id: certificate.id for an instance, certificate_issues.id for an issue. */
  moodleId: number;
  reason: UnmappedReason;
  message: string;
  /** For the issues of an instance that was not imported: how many (moodleId is the instance's). */
  count?: number;
  /** A `certificate` column the entry is about (image and template entries). */
  field?: string;
}

export interface CertificateLine {
  instanceId: number;
  name: string;
  courseId: number;
  status: 'imported' | 'already-imported' | 'would-import' | 'not-imported';
  templateId?: string;
  certificateId?: string;
}

export interface MigrationReport {
  source: { engine: string; location: string; prefix: string; site: string };
  tenant: string;
  dryRun: boolean;
  instances: { total: number; imported: number; alreadyImported: number; notImported: number };
  issues: {
    total: number;
    imported: number;
    alreadyImported: number;
    /** Would be imported (dry run), or left for a later run (stopped early). */
    pending: number;
    notImported: number;
    /** Imported with a new code (the old one could not be kept): counted in imported too. */
    newCode: number;
  };
  certificates: CertificateLine[];
  unmapped: Unmapped[];
  notes: string[];
  /** The run stopped before the end (--max-issues, or a signal): run it again to go on. */
  stoppedEarly: boolean;
}

const IMAGE_FIELDS: readonly [ImageKind, keyof ModCertificateInstance, string][] = [
  ['border', 'borderstyle', 'borders'],
  ['watermark', 'printwmark', 'watermarks'],
  ['signature', 'printsignature', 'signatures'],
  ['seal', 'printseal', 'seals'],
];

/**
 * The images an instance names. mod_certificate draws `pix/<kind>/<name>` from the plugin's folder in the
 * Moodle code and, uploaded through its settings page, from the same path under moodledata (drawn last, so
 * it wins). Issued PDFs are the only files the plugin keeps in the file pool: images are not there.
 */
async function findImages(
  instance: ModCertificateInstance,
  roots: { moodledata?: string; moodleCode?: string },
): Promise<{ images: InstanceImages; missing: Unmapped[] }> {
  const images: InstanceImages = { found: {}, missing: {} };
  const missing: Unmapped[] = [];
  for (const [kind, field, folder] of IMAGE_FIELDS) {
    const name = String(instance[field] ?? '');
    if (name === '' || name === '0') continue;
    const candidates: string[] = [];
    // A name is a file name in the folder (the settings form lists the folder): never a path.
    if (!/[/\\]/.test(name) && name !== '.' && name !== '..') {
      if (roots.moodledata) candidates.push(join(roots.moodledata, 'mod', 'certificate', 'pix', folder, name));
      if (roots.moodleCode) {
        candidates.push(join(roots.moodleCode, 'mod', 'certificate', 'pix', folder, name));
        candidates.push(join(roots.moodleCode, 'pix', folder, name));
      }
    }
    let file: ImageFile | undefined;
    for (const path of candidates) {
      const bytes = await readFile(path).catch(() => undefined);
      if (!bytes || sniffAsset(bytes) !== 'image') continue;
      file = { bytes: new Uint8Array(bytes), mediaType: bytes[0] === 0x89 ? 'image/png' : 'image/jpeg' };
      break;
    }
    if (file) images.found[kind] = file;
    else {
      images.missing[kind] = candidates.length ? `looked for in ${candidates.join(', ')}` : name;
      const where = [roots.moodledata ? '--moodledata' : '', roots.moodleCode ? '--moodle-code' : ''].filter(Boolean).join(' or ');
      missing.push({
        kind: 'instance',
        moodleId: instance.id,
        reason: 'image-missing',
        field,
        message: `the ${kind} image "${name}" (pix/${folder}) was not found${where ? ` in ${where}` : ': give --moodledata and --moodle-code'}; the template is made without it`,
      });
    }
  }
  return { images, missing };
}

// The data an LMS would send -------------------------------------------------------------------------

const day = (seconds: number): string | undefined => (seconds > 0 ? new Date(seconds * 1000).toISOString().slice(0, 10) : undefined);
const round = (n: number, digits = 2): number => Math.round(n * 10 ** digits) / 10 ** digits;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Fields with a value only: Moodle stores "" for what is not set, an LMS sends nothing. */
function present(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined && v !== null && v !== ''));
}

/** HTML (a course summary) as the plain text a document prints. */
function plainText(html: string): string {
  return html
    .replace(/<br\s*\/?>|<\/p>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function letterOf(percent: number, letters: readonly Letter[]): string | undefined {
  return letters.find((l) => percent >= l.lowerboundary)?.letter;
}

function gradeOf(item: GradeItem | undefined, facts: PageFacts, userId: number, letters: readonly Letter[]) {
  if (!item) return undefined;
  const g = facts.grades.get(`${item.id}:${userId}`);
  if (!g || g.finalgrade === null) return undefined;
  const span = item.grademax - item.grademin;
  const percent = span > 0 ? round(((g.finalgrade - item.grademin) / span) * 100) : undefined;
  return {
    grade: present({
      value: round(g.finalgrade, 5),
      max: item.grademax,
      percent,
      letter: percent === undefined ? undefined : letterOf(percent, letters),
    }),
    pass: item.gradepass > 0 ? item.gradepass : undefined,
    dategraded: g.timemodified ?? 0,
  };
}

/** The module grade item of a course module (grade_items: itemtype mod, itemmodule, iteminstance). */
function moduleItem(site: SiteFacts, cmid: number): GradeItem | undefined {
  const cm = site.referencedModules.get(cmid);
  if (!cm) return undefined;
  // The activity's own grade is item number 0; its outcomes are further items of the same module.
  return site.gradeItems.find(
    (g) => g.itemtype === 'mod' && g.itemmodule === cm.modname && g.iteminstance === cm.instance && g.itemnumber === 0,
  );
}

/** A grade category's item (printgrade < 0 is minus the category id). */
function categoryItem(site: SiteFacts, instance: ModCertificateInstance): GradeItem | undefined {
  return site.gradeItems.find(
    (g) => g.itemtype === 'category' && g.iteminstance === -instance.printgrade && g.courseid === instance.course,
  );
}

/** The grade items an instance prints, so a page reads only their grades. */
export function itemsOf(site: SiteFacts, instance: ModCertificateInstance): GradeItem[] {
  const out: (GradeItem | undefined)[] = [site.gradeItems.find((g) => g.courseid === instance.course && g.itemtype === 'course')];
  if (instance.printgrade > 1) out.push(moduleItem(site, instance.printgrade));
  if (instance.printgrade < 0) out.push(categoryItem(site, instance));
  if (instance.printdate > 2) out.push(moduleItem(site, instance.printdate));
  if (instance.printoutcome > 0) out.push(site.gradeItems.find((g) => g.id === instance.printoutcome));
  return out.filter((g): g is GradeItem => g !== undefined);
}

/**
 * A learner, a course and what Moodle knows of their completion and grades, shaped as the catalogue's
 * data (variables/catalogue.ts), the way the Moodle plugin sends it with a request: `learner`, `course`,
 * `site`, `completion`, `grade` (with `grade.activities[cmid]` for an activity's), `activities[cmid]` (the
 * date an activity was graded), `outcomes`, `teachers`.
 */
export function lmsData(
  site: SiteFacts,
  instance: ModCertificateInstance,
  course: MoodleCourse,
  user: MoodleUser,
  facts: PageFacts,
): Record<string, unknown> {
  const letters = site.letters.get(course.id) ?? [];
  const data: Record<string, unknown> = {
    learner: present({
      firstname: user.firstname,
      lastname: user.lastname,
      fullname: `${user.firstname} ${user.lastname}`.trim() || user.username,
      alternatename: user.alternatename,
      email: EMAIL.test(user.email) ? user.email : undefined,
      idnumber: user.idnumber,
      username: user.username,
      institution: user.institution,
      department: user.department,
      city: user.city,
      country: /^[A-Z]{2}$/.test(user.country) ? user.country : undefined,
      language: user.lang.replace(/_/g, '-'),
    }),
    course: present({
      fullname: course.fullname,
      shortname: course.shortname,
      idnumber: course.idnumber,
      summary: plainText(course.summary),
      category: site.categories.get(course.category),
      startdate: day(course.startdate),
      enddate: day(course.enddate),
    }),
  };
  if (site.siteCourse) data.site = present({ fullname: site.siteCourse.fullname, shortname: site.siteCourse.shortname });
  const completed = facts.completions.get(`${user.id}:${course.id}`);
  if (completed) data.completion = { completed: true, date: day(completed) };

  const courseGrade = gradeOf(
    site.gradeItems.find((g) => g.courseid === course.id && g.itemtype === 'course'),
    facts,
    user.id,
    letters,
  );
  const grade: Record<string, unknown> = courseGrade
    ? { ...courseGrade.grade, ...(courseGrade.pass ? { pass: courseGrade.pass } : {}) }
    : {};
  const activityGrades: Record<string, unknown> = {};
  const activities: Record<string, string> = {};
  for (const cmid of new Set([instance.printgrade > 1 ? instance.printgrade : 0, instance.printdate > 2 ? instance.printdate : 0])) {
    if (!cmid) continue;
    const g = gradeOf(moduleItem(site, cmid), facts, user.id, letters);
    if (!g) continue;
    activityGrades[String(cmid)] = g.grade;
    // The date mod_certificate prints for "printdate = a course module" is when that activity was graded.
    const graded = day(g.dategraded);
    if (graded && cmid === instance.printdate) activities[String(cmid)] = graded;
  }
  if (Object.keys(activityGrades).length) grade.activities = activityGrades;
  // Not in the catalogue: the migrated template declares `grade_category` for it (template.ts).
  if (instance.printgrade < 0) {
    const g = gradeOf(categoryItem(site, instance), facts, user.id, letters);
    if (g) data.grade_category = g.grade;
  }
  if (Object.keys(grade).length) data.grade = grade;
  if (Object.keys(activities).length) data.activities = activities;

  if (instance.printoutcome > 0) {
    const item = site.gradeItems.find((g) => g.id === instance.printoutcome);
    const g = item ? facts.grades.get(`${item.id}:${user.id}`) : undefined;
    if (item && g && g.finalgrade !== null) data.outcomes = [{ name: item.itemname ?? 'Outcome', grade: String(round(g.finalgrade)) }];
  }
  const teachers = site.teachers.get(instance.id);
  if (instance.printteacher && teachers?.length) data.teachers = teachers.map((name) => ({ name }));
  return data;
}

// The run -------------------------------------------------------------------------------------------------

interface Imported {
  instance: ModCertificateInstance;
  course: MoodleCourse;
  certificateId: string | undefined;
}

export async function migrateModCertificate(services: Services, options: MigrateOptions): Promise<MigrationReport> {
  const { moodle, tenant, actor } = options;
  const dryRun = options.dryRun ?? false;
  const db = services.storage.db;
  const site = await readSite(moodle);
  const report: MigrationReport = {
    source: { engine: moodle.engine, location: moodle.location, prefix: moodle.prefix, site: site.site },
    tenant: tenant.slug,
    dryRun,
    instances: { total: site.instances.length, imported: 0, alreadyImported: 0, notImported: 0 },
    issues: { total: site.issueCount, imported: 0, alreadyImported: 0, pending: 0, notImported: 0, newCode: 0 },
    certificates: [],
    unmapped: [],
    notes: [...site.notes],
    stoppedEarly: false,
  };
  const unmapped = (u: Unmapped) => report.unmapped.push(u);

  // Instances: a template and a certificate each.
  const byInstance = new Map<number, Imported>();
  for (const instance of site.instances) {
    const line: CertificateLine = { instanceId: instance.id, name: instance.name, courseId: instance.course, status: 'not-imported' };
    report.certificates.push(line);
    const course = site.courses.get(instance.course);
    if (!course) {
      unmapped({
        kind: 'instance',
        moodleId: instance.id,
        reason: 'course-missing',
        message: `its course ${instance.course} is not in the course table (deleted): no certificate without a course`,
      });
      report.instances.notImported++;
      continue;
    }
    const cm = site.modules.get(instance.id);
    if (!cm)
      unmapped({
        kind: 'instance',
        moodleId: instance.id,
        reason: 'module-missing',
        message: 'no course module shows it in its course (the activity was removed): the certificate is imported without an activity id',
      });
    const { images, missing } = await findImages(instance, options);
    missing.forEach(unmapped);
    let migrated: MigratedTemplate;
    try {
      const gradeActivityName = instance.printgrade > 1 ? moduleItem(site, instance.printgrade)?.itemname : undefined;
      const outcomeName = instance.printoutcome > 0 ? site.gradeItems.find((g) => g.id === instance.printoutcome)?.itemname : undefined;
      migrated = templateFromInstance(instance, images, {
        courseName: course.fullname,
        locale: tenant.settings.locale,
        ...(gradeActivityName ? { gradeActivityName } : {}),
        ...(outcomeName ? { outcomeName } : {}),
      });
    } catch (e) {
      unmapped({
        kind: 'instance',
        moodleId: instance.id,
        reason: 'template-failed',
        message: `no template could be made: ${(e as Error).message}`,
      });
      report.instances.notImported++;
      continue;
    }
    // A missing image is said once, as image-missing (with where it was looked for), not again as a template warning.
    const missingColumns = new Set(IMAGE_FIELDS.filter(([kind]) => images.missing[kind] !== undefined).map(([, field]) => String(field)));
    for (const w of migrated.warnings.filter((w) => !missingColumns.has(w.field)))
      unmapped({ kind: 'instance', moodleId: instance.id, reason: 'template-warning', field: w.field, message: w.message });

    const source = { site: site.site, id: String(instance.id) };
    const known = await importedId(db, tenant.id, site.site, 'certificate', source.id);
    if (dryRun) {
      line.status = known ? 'already-imported' : 'would-import';
      if (known) {
        line.certificateId = known;
        report.instances.alreadyImported++;
      }
      byInstance.set(instance.id, { instance, course, certificateId: known });
      continue;
    }
    try {
      const result = await importCertificate(services, actor, {
        source,
        template: {
          name: migrated.name,
          source: migrated.source,
          assets: Object.fromEntries(Object.entries(migrated.assets).map(([name, file]) => [name, file.bytes])),
        },
        certificate: {
          name: instance.name,
          courseId: String(instance.course),
          activityId: cm ? String(cm.id) : null,
          settings: migrated.certificateSettings,
        },
      });
      line.status = result.created ? 'imported' : 'already-imported';
      line.templateId = result.templateId;
      line.certificateId = result.certificate.id;
      if (result.created) report.instances.imported++;
      else report.instances.alreadyImported++;
      byInstance.set(instance.id, { instance, course, certificateId: result.certificate.id });
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      const diagnostics = (e.extra.details as { diagnostics?: { code: string; message: string }[] } | undefined)?.diagnostics ?? [];
      unmapped({
        kind: 'instance',
        moodleId: instance.id,
        reason: 'template-failed',
        message: `${e.code}: ${e.message}${diagnostics.length ? ` (${diagnostics.map((d) => `${d.code}: ${d.message}`).join('; ')})` : ''}`,
      });
      report.instances.notImported++;
    }
  }
  const lost = new Map<number, number>();
  const knownInstances = new Set(site.instances.map((i) => i.id));
  const courseIds = [...new Set([...byInstance.values()].map((i) => i.course.id))];
  const itemIds = [...new Set([...byInstance.values()].flatMap((i) => itemsOf(site, i.instance).map((g) => g.id)))];

  // Issues: in pages by id; each one once.
  const bar = options.progress?.(site.issueCount);
  const pageSize = options.pageSize ?? 500;
  const concurrency = Math.max(1, options.concurrency ?? 1);
  let started = 0;
  let after = 0;
  const seen = new Set<string>();
  const stop = () => (options.signal?.aborted ?? false) || (options.maxIssues !== undefined && started >= options.maxIssues);
  try {
    for (;;) {
      const page = await issuesPage(moodle, after, pageSize);
      if (!page.length) break;
      after = page[page.length - 1]!.id;
      const done = await importedIds(
        db,
        tenant.id,
        site.site,
        'issue',
        page.map((i) => String(i.id)),
      );
      const todo: MoodleIssue[] = [];
      for (const issue of page) {
        if (done.has(String(issue.id))) {
          report.issues.alreadyImported++;
          bar?.tick();
          continue;
        }
        const target = byInstance.get(issue.certificateid);
        if (!target) {
          if (!knownInstances.has(issue.certificateid)) {
            unmapped({
              kind: 'issue',
              moodleId: issue.id,
              reason: 'instance-missing',
              message: `its certificate ${issue.certificateid} is not in the certificate table (deleted)`,
            });
          } else lost.set(issue.certificateid, (lost.get(issue.certificateid) ?? 0) + 1);
          report.issues.notImported++;
          bar?.tick();
          continue;
        }
        todo.push(issue);
      }
      const facts = await readPage(moodle, todo, courseIds, itemIds);
      let next = 0;
      const worker = async () => {
        while (next < todo.length) {
          if (stop()) return;
          const issue = todo[next++]!;
          await oneIssue(issue);
          bar?.tick();
        }
      };
      const oneIssue = async (issue: MoodleIssue): Promise<void> => {
        const target = byInstance.get(issue.certificateid)!;
        const user = facts.users.get(issue.userid);
        const skip = (reason: UnmappedReason, message: string) => {
          unmapped({ kind: 'issue', moodleId: issue.id, reason, message });
          report.issues.notImported++;
        };
        if (!user) return skip('user-missing', `its user ${issue.userid} is not in the user table`);
        if (user.deleted)
          return skip('user-deleted', `its user ${issue.userid} was deleted in Moodle (their name and e-mail are gone): nothing to print`);
        const pair = `${issue.certificateid}:${issue.userid}`;
        if (seen.has(pair))
          return skip(
            'learner-has-document',
            `user ${issue.userid} has an earlier issue of certificate ${issue.certificateid}: one document per learner`,
          );
        seen.add(pair);
        const kept = issue.code ? codeKey(issue.code) : undefined;
        if (!kept)
          unmapped({
            kind: 'issue',
            moodleId: issue.id,
            reason: 'code-replaced',
            message: `its code ${issue.code ? `"${issue.code}" is not one mod_certificate makes` : 'is empty'}: imported with a new code, the old one does not verify`,
          });
        if (dryRun) {
          started++;
          report.issues.pending++;
          if (!kept) report.issues.newCode++;
          return;
        }
        started++;
        try {
          await importIssue(services, actor, {
            source: { site: site.site, id: String(issue.id) },
            certificateId: target.certificateId!,
            learnerId: String(issue.userid),
            code: kept ?? null,
            issuedAt: new Date(issue.timecreated * 1000),
            data: lmsData(site, target.instance, target.course, user, facts),
          });
          report.issues.imported++;
          if (!kept) report.issues.newCode++;
        } catch (e) {
          if (!(e instanceof DomainError)) throw e;
          const reason: UnmappedReason =
            e.code === 'IMPORT_CODE_TAKEN'
              ? 'code-taken'
              : e.code === 'IMPORT_LEARNER_HAS_DOCUMENT'
                ? 'learner-has-document'
                : 'issue-failed';
          const problems = e.extra.problems?.map((p) => `${p.path}: ${p.message}`).join('; ');
          skip(reason, `${e.code}: ${e.message}${problems ? ` (${problems})` : ''}`);
        }
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, todo.length) }, worker));
      if (stop()) {
        report.stoppedEarly = next < todo.length || (await issuesPage(moodle, after, 1)).length > 0;
        break;
      }
    }
  } finally {
    bar?.stop();
  }
  for (const [instanceId, count] of lost)
    unmapped({
      kind: 'issue',
      moodleId: instanceId,
      count,
      reason: 'instance-not-imported',
      message: `certificate ${instanceId} was not imported (see its entry): its issues are not either`,
    });
  if (report.stoppedEarly && !dryRun)
    report.issues.pending = Math.max(
      0,
      report.issues.total - report.issues.imported - report.issues.alreadyImported - report.issues.notImported,
    );
  if (dryRun && report.instances.total > report.instances.alreadyImported + report.instances.notImported)
    report.notes.push(
      'dry run: nothing was written; "would-import" certificates are made, and their issues imported, by a run without --dry-run',
    );
  return report;
}
