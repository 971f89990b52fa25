import { hasTable, num, numOrNull, placeholders, str, strOrNull, type MoodleDb, type Row } from '../moodle/source';
import type { ModCertificateInstance } from './instance';

/**
 * What the migration reads of a Moodle site: mod_certificate's two tables (db/install.xml) and the core
 * tables they point at — user, course, course_categories, course_modules and modules, course_completions,
 * grade_items and grade_grades, grade_letters, role_assignments, role and context for the teachers. Only
 * the columns used are selected (never a password hash). Issues are read in pages by id; what a page needs
 * of users, completions and grades is read for that page alone, so memory stays bounded whatever the site.
 */
export const CONTEXT_SYSTEM = 10;
export const CONTEXT_COURSE = 50;
export const CONTEXT_MODULE = 70;

export interface MoodleCourse {
  id: number;
  fullname: string;
  shortname: string;
  idnumber: string;
  summary: string;
  category: number;
  startdate: number;
  enddate: number;
}

export interface MoodleUser {
  id: number;
  username: string;
  firstname: string;
  lastname: string;
  alternatename: string;
  email: string;
  idnumber: string;
  institution: string;
  department: string;
  city: string;
  country: string;
  lang: string;
  deleted: boolean;
}

export interface MoodleIssue {
  id: number;
  userid: number;
  certificateid: number;
  code: string | null;
  timecreated: number;
}

export interface GradeItem {
  id: number;
  courseid: number;
  itemtype: string;
  itemmodule: string | null;
  iteminstance: number | null;
  itemnumber: number | null;
  itemname: string | null;
  grademax: number;
  grademin: number;
  gradepass: number;
}

export interface Letter {
  lowerboundary: number;
  letter: string;
}

export interface CourseModule {
  id: number;
  course: number;
  instance: number;
  modname: string;
}

/** The site-wide part: read once, small (instances, their courses and modules, grade items, teachers). */
export interface SiteFacts {
  site: string;
  siteCourse: { fullname: string; shortname: string } | undefined;
  instances: ModCertificateInstance[];
  /** Instance id → its course module (the activity): absent for an instance whose module is gone. */
  modules: Map<number, CourseModule>;
  courses: Map<number, MoodleCourse>;
  categories: Map<number, string>;
  /** Course modules named by instances (printdate/printgrade > 2 or > 1), by id. */
  referencedModules: Map<number, CourseModule>;
  gradeItems: GradeItem[];
  /** Course id → letter boundaries (the course's own, else the site's, else Moodle's defaults), highest first. */
  letters: Map<number, Letter[]>;
  /** Instance id → teachers' names by last name (printteacher only). */
  teachers: Map<number, string[]>;
  issueCount: number;
  /** What the reader could not read and why (optional tables), said in the report. */
  notes: string[];
}

const int = (r: Row, k: string) => num(r[k]);

function instanceOf(r: Row): ModCertificateInstance {
  return {
    id: int(r, 'id'),
    course: int(r, 'course'),
    name: str(r.name),
    intro: strOrNull(r.intro),
    introformat: int(r, 'introformat'),
    emailteachers: int(r, 'emailteachers'),
    emailothers: strOrNull(r.emailothers),
    savecert: int(r, 'savecert'),
    reportcert: int(r, 'reportcert'),
    delivery: int(r, 'delivery'),
    requiredtime: int(r, 'requiredtime'),
    certificatetype: str(r.certificatetype),
    orientation: str(r.orientation),
    borderstyle: str(r.borderstyle),
    bordercolor: str(r.bordercolor),
    printwmark: str(r.printwmark),
    printdate: int(r, 'printdate'),
    datefmt: int(r, 'datefmt'),
    printnumber: int(r, 'printnumber'),
    printgrade: int(r, 'printgrade'),
    gradefmt: int(r, 'gradefmt'),
    printoutcome: int(r, 'printoutcome'),
    printhours: strOrNull(r.printhours),
    printteacher: int(r, 'printteacher'),
    customtext: strOrNull(r.customtext),
    printsignature: str(r.printsignature),
    printseal: str(r.printseal),
    timecreated: int(r, 'timecreated'),
    timemodified: int(r, 'timemodified'),
  };
}

/** Moodle's default letters (grade/lib.php), used when neither the course nor the site defines its own. */
const DEFAULT_LETTERS: Letter[] = [
  [93, 'A'],
  [90, 'A-'],
  [87, 'B+'],
  [83, 'B'],
  [80, 'B-'],
  [77, 'C+'],
  [73, 'C'],
  [70, 'C-'],
  [67, 'D+'],
  [60, 'D'],
  [0, 'F'],
].map(([lowerboundary, letter]) => ({ lowerboundary: lowerboundary as number, letter: letter as string }));

/** The site's identifier: Moodle's `siteidentifier` config, else where its database is. */
async function siteIdentifier(db: MoodleDb, notes: string[]): Promise<string> {
  if (await hasTable(db, 'config')) {
    const rows = await db.all("SELECT value FROM {config} WHERE name = 'siteidentifier'");
    const v = str(rows[0]?.value);
    if (v) return v;
  }
  notes.push('no siteidentifier in the config table: the site is known by its database address and prefix');
  return `${db.location}#${db.prefix}`;
}

export async function readSite(db: MoodleDb): Promise<SiteFacts> {
  const notes: string[] = [];
  const site = await siteIdentifier(db, notes);
  const instances = (await db.all('SELECT * FROM {certificate} ORDER BY id')).map(instanceOf);
  const issueCount = num((await db.all('SELECT COUNT(*) AS n FROM {certificate_issues}'))[0]?.n);

  const modules = new Map<number, CourseModule>();
  const moduleRows = await db.all(
    "SELECT cm.id, cm.course, cm.instance, m.name AS modname FROM {course_modules} cm JOIN {modules} m ON m.id = cm.module WHERE m.name = 'certificate' ORDER BY cm.id",
  );
  for (const r of moduleRows) {
    const cm = { id: int(r, 'id'), course: int(r, 'course'), instance: int(r, 'instance'), modname: str(r.modname) };
    if (!modules.has(cm.instance)) modules.set(cm.instance, cm);
  }

  const courseIds = [...new Set(instances.map((i) => i.course))];
  const courses = new Map<number, MoodleCourse>();
  if (courseIds.length) {
    const rows = await db.all(
      `SELECT id, fullname, shortname, idnumber, summary, category, startdate, enddate FROM {course} WHERE id IN (${placeholders(courseIds.length)})`,
      courseIds,
    );
    for (const r of rows)
      courses.set(int(r, 'id'), {
        id: int(r, 'id'),
        fullname: str(r.fullname),
        shortname: str(r.shortname),
        idnumber: str(r.idnumber),
        summary: str(r.summary),
        category: int(r, 'category'),
        startdate: int(r, 'startdate'),
        enddate: int(r, 'enddate'),
      });
  }
  const siteRow = (await db.all('SELECT fullname, shortname FROM {course} WHERE category = 0 ORDER BY id'))[0];
  const siteCourse = siteRow ? { fullname: str(siteRow.fullname), shortname: str(siteRow.shortname) } : undefined;
  const categories = new Map<number, string>();
  for (const r of await db.all('SELECT id, name FROM {course_categories}')) categories.set(int(r, 'id'), str(r.name));

  // Activities instances name for their date or grade: printdate > 2 and printgrade > 1 are course module ids.
  const referenced = [
    ...new Set(instances.flatMap((i) => [i.printdate > 2 ? i.printdate : 0, i.printgrade > 1 ? i.printgrade : 0]).filter((x) => x > 0)),
  ];
  const referencedModules = new Map<number, CourseModule>();
  if (referenced.length) {
    const rows = await db.all(
      `SELECT cm.id, cm.course, cm.instance, m.name AS modname FROM {course_modules} cm JOIN {modules} m ON m.id = cm.module WHERE cm.id IN (${placeholders(referenced.length)})`,
      referenced,
    );
    for (const r of rows)
      referencedModules.set(int(r, 'id'), {
        id: int(r, 'id'),
        course: int(r, 'course'),
        instance: int(r, 'instance'),
        modname: str(r.modname),
      });
  }

  const gradeItems: GradeItem[] = [];
  if (courseIds.length) {
    const rows = await db.all(
      `SELECT id, courseid, itemtype, itemmodule, iteminstance, itemnumber, itemname, grademax, grademin, gradepass FROM {grade_items} WHERE courseid IN (${placeholders(courseIds.length)}) ORDER BY id`,
      courseIds,
    );
    for (const r of rows)
      gradeItems.push({
        id: int(r, 'id'),
        courseid: int(r, 'courseid'),
        itemtype: str(r.itemtype),
        itemmodule: strOrNull(r.itemmodule),
        iteminstance: numOrNull(r.iteminstance),
        itemnumber: numOrNull(r.itemnumber),
        itemname: strOrNull(r.itemname),
        grademax: num(r.grademax),
        grademin: num(r.grademin),
        gradepass: num(r.gradepass),
      });
  }

  // Contexts of the courses and of the certificate modules: for teachers and grade letters.
  const courseContext = new Map<number, number>();
  const moduleContext = new Map<number, number>();
  const cmIds = [...modules.values()].map((m) => m.id);
  const contextRows = [
    ...(courseIds.length
      ? await db.all(
          `SELECT id, contextlevel, instanceid FROM {context} WHERE contextlevel = ? AND instanceid IN (${placeholders(courseIds.length)})`,
          [CONTEXT_COURSE, ...courseIds],
        )
      : []),
    ...(cmIds.length
      ? await db.all(
          `SELECT id, contextlevel, instanceid FROM {context} WHERE contextlevel = ? AND instanceid IN (${placeholders(cmIds.length)})`,
          [CONTEXT_MODULE, ...cmIds],
        )
      : []),
  ];
  for (const r of contextRows)
    (int(r, 'contextlevel') === CONTEXT_COURSE ? courseContext : moduleContext).set(int(r, 'instanceid'), int(r, 'id'));

  const letters = new Map<number, Letter[]>();
  if (await hasTable(db, 'grade_letters')) {
    const byContext = new Map<number, Letter[]>();
    for (const r of await db.all('SELECT contextid, lowerboundary, letter FROM {grade_letters} ORDER BY lowerboundary DESC')) {
      const list = byContext.get(int(r, 'contextid')) ?? [];
      list.push({ lowerboundary: num(r.lowerboundary), letter: str(r.letter) });
      byContext.set(int(r, 'contextid'), list);
    }
    const systemRow = (await db.all('SELECT id FROM {context} WHERE contextlevel = ?', [CONTEXT_SYSTEM]))[0];
    const system = systemRow ? byContext.get(int(systemRow, 'id')) : undefined;
    for (const c of courseIds) letters.set(c, byContext.get(courseContext.get(c) ?? -1) ?? system ?? DEFAULT_LETTERS);
  } else {
    for (const c of courseIds) letters.set(c, DEFAULT_LETTERS);
  }

  // Teachers: mod_certificate prints who holds mod/certificate:printteacher in the module's context. That
  // capability is given to the teacher and editing-teacher archetypes; roles are read by archetype, in the
  // course and in the module context (capability overrides are not read, and the report says so).
  const teachers = new Map<number, string[]>();
  const printing = instances.filter((i) => i.printteacher && modules.has(i.id));
  if (printing.length) {
    notes.push(
      'teachers are the users holding a role of the teacher or editingteacher archetype in the course or the activity (capability overrides of mod/certificate:printteacher are not read)',
    );
    const contexts = printing
      .flatMap((i) => [courseContext.get(i.course), moduleContext.get(modules.get(i.id)!.id)])
      .filter((c) => c !== undefined);
    const rows = contexts.length
      ? await db.all(
          `SELECT DISTINCT ra.contextid, u.id, u.firstname, u.lastname FROM {role_assignments} ra JOIN {role} r ON r.id = ra.roleid JOIN {user} u ON u.id = ra.userid WHERE r.archetype IN ('teacher', 'editingteacher') AND u.deleted = 0 AND ra.contextid IN (${placeholders(contexts.length)}) ORDER BY u.lastname, u.firstname, u.id`,
          contexts,
        )
      : [];
    for (const i of printing) {
      const own = new Set([courseContext.get(i.course), moduleContext.get(modules.get(i.id)!.id)]);
      const seen = new Set<number>();
      const names: string[] = [];
      for (const r of rows) {
        if (!own.has(int(r, 'contextid')) || seen.has(int(r, 'id'))) continue;
        seen.add(int(r, 'id'));
        names.push(`${str(r.firstname)} ${str(r.lastname)}`.trim());
      }
      teachers.set(i.id, names);
    }
  }

  return { site, siteCourse, instances, modules, courses, categories, referencedModules, gradeItems, letters, teachers, issueCount, notes };
}

/** A page of issues after `afterId`, in id order. */
export async function issuesPage(db: MoodleDb, afterId: number, limit: number): Promise<MoodleIssue[]> {
  const rows = await db.all(
    `SELECT id, userid, certificateid, code, timecreated FROM {certificate_issues} WHERE id > ? ORDER BY id LIMIT ${Math.max(1, Math.floor(limit))}`,
    [afterId],
  );
  return rows.map((r) => ({
    id: int(r, 'id'),
    userid: int(r, 'userid'),
    certificateid: int(r, 'certificateid'),
    code: strOrNull(r.code),
    timecreated: int(r, 'timecreated'),
  }));
}

/** What a page of issues needs: its users, their completions of the courses, their grades of the items. */
export interface PageFacts {
  users: Map<number, MoodleUser>;
  /** `${userid}:${courseid}` → timecompleted. */
  completions: Map<string, number>;
  /** `${itemid}:${userid}` → the grade. */
  grades: Map<string, { finalgrade: number | null; timemodified: number | null }>;
}

export async function readPage(
  db: MoodleDb,
  issues: readonly MoodleIssue[],
  courseIds: readonly number[],
  itemIds: readonly number[],
): Promise<PageFacts> {
  const userIds = [...new Set(issues.map((i) => i.userid))];
  const users = new Map<number, MoodleUser>();
  const completions = new Map<string, number>();
  const grades = new Map<string, { finalgrade: number | null; timemodified: number | null }>();
  if (!userIds.length) return { users, completions, grades };
  const u = placeholders(userIds.length);
  for (const r of await db.all(
    `SELECT id, username, firstname, lastname, alternatename, email, idnumber, institution, department, city, country, lang, deleted FROM {user} WHERE id IN (${u})`,
    userIds,
  ))
    users.set(int(r, 'id'), {
      id: int(r, 'id'),
      username: str(r.username),
      firstname: str(r.firstname),
      lastname: str(r.lastname),
      alternatename: str(r.alternatename),
      email: str(r.email),
      idnumber: str(r.idnumber),
      institution: str(r.institution),
      department: str(r.department),
      city: str(r.city),
      country: str(r.country),
      lang: str(r.lang),
      deleted: int(r, 'deleted') !== 0,
    });
  if (courseIds.length)
    for (const r of await db.all(
      `SELECT userid, course, timecompleted FROM {course_completions} WHERE userid IN (${u}) AND course IN (${placeholders(courseIds.length)}) AND timecompleted > 0`,
      [...userIds, ...courseIds],
    ))
      completions.set(
        `${int(r, 'userid')}:${int(r, 'course')}`,
        Math.max(completions.get(`${int(r, 'userid')}:${int(r, 'course')}`) ?? 0, int(r, 'timecompleted')),
      );
  if (itemIds.length)
    for (const r of await db.all(
      `SELECT itemid, userid, finalgrade, timemodified FROM {grade_grades} WHERE userid IN (${u}) AND itemid IN (${placeholders(itemIds.length)})`,
      [...userIds, ...itemIds],
    ))
      grades.set(`${int(r, 'itemid')}:${int(r, 'userid')}`, {
        finalgrade: numOrNull(r.finalgrade),
        timemodified: numOrNull(r.timemodified),
      });
  return { users, completions, grades };
}
