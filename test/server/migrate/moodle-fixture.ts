import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { PNG } from 'pngjs';
import { handmadeJpeg } from '../../templates/pdf/helpers';
import { pgUrl } from '../../support/storage';

/**
 * A Moodle-shaped database made for one test file, on this machine's MariaDB or PostgreSQL: mod_certificate's
 * tables with the columns and types of its db/install.xml, and the core tables the migration reads with
 * Moodle's column names, typed the way Moodle's XMLDB generators type them on each engine (int(10) BIGINT,
 * int(1) TINYINT/SMALLINT, char VARCHAR, text LONGTEXT/TEXT, number DECIMAL/NUMERIC). The images are made
 * here (pngjs, a hand-made JPEG), never the plugin's.
 */
export type MoodleEngine = 'mysql' | 'postgres';

type Column =
  | [name: string, type: 'int', length: number, notNull: boolean, defaultValue?: number]
  | [name: string, type: 'char', length: number, notNull: boolean, defaultValue?: string]
  | [name: string, type: 'text', notNull: boolean]
  | [name: string, type: 'number', precision: string, notNull: boolean];

const int = (name: string, length = 10, notNull = true, d: number | undefined = 0): Column => [name, 'int', length, notNull, d];
const char = (name: string, length: number, notNull = true, d: string | undefined = ''): Column => [name, 'char', length, notNull, d];
const text = (name: string, notNull = false): Column => [name, 'text', notNull];
const number = (name: string, notNull = true): Column => [name, 'number', '10,5', notNull];

/** db/install.xml of mod_certificate, column for column. */
export const TABLES: Record<string, Column[]> = {
  certificate: [
    int('course'),
    char('name', 255, true, undefined),
    text('intro'),
    int('introformat', 4),
    int('emailteachers', 1),
    text('emailothers'),
    int('savecert', 1),
    int('reportcert', 1),
    int('delivery', 3),
    int('requiredtime'),
    char('certificatetype', 50, true, undefined),
    char('orientation', 10, true, undefined),
    char('borderstyle', 255, true, '0'),
    char('bordercolor', 30, true, '0'),
    char('printwmark', 255, true, '0'),
    int('printdate'),
    int('datefmt'),
    int('printnumber', 1),
    int('printgrade'),
    int('gradefmt'),
    int('printoutcome'),
    char('printhours', 255, false, undefined),
    int('printteacher'),
    text('customtext'),
    char('printsignature', 255, true, '0'),
    char('printseal', 255, true, '0'),
    int('timecreated'),
    int('timemodified'),
  ],
  certificate_issues: [int('userid'), int('certificateid'), char('code', 40, false, undefined), int('timecreated')],
  // Moodle core, the columns the migration reads (and a password it must never read).
  user: [
    char('auth', 20, true, 'manual'),
    int('deleted', 1),
    char('username', 100),
    char('password', 255),
    char('idnumber', 255),
    char('firstname', 100),
    char('lastname', 100),
    char('email', 100),
    char('institution', 255),
    char('department', 255),
    char('city', 120),
    char('country', 2),
    char('lang', 30, true, 'en'),
    char('alternatename', 255, false, undefined),
  ],
  course: [
    int('category'),
    char('fullname', 254),
    char('shortname', 255),
    char('idnumber', 100),
    text('summary'),
    int('startdate'),
    int('enddate'),
  ],
  course_categories: [char('name', 255)],
  modules: [char('name', 20)],
  course_modules: [int('course'), int('module'), int('instance'), int('visible', 1, true, 1)],
  context: [int('contextlevel'), int('instanceid')],
  role: [char('shortname', 100), char('archetype', 30)],
  role_assignments: [int('roleid'), int('contextid'), int('userid')],
  course_completions: [int('userid'), int('course'), int('timecompleted', 10, false, undefined)],
  grade_items: [
    int('courseid', 10, false, undefined),
    char('itemtype', 30),
    char('itemmodule', 30, false, undefined),
    int('iteminstance', 10, false, undefined),
    int('itemnumber', 10, false, undefined),
    char('itemname', 255, false, undefined),
    number('grademax'),
    number('grademin'),
    number('gradepass'),
  ],
  grade_grades: [int('itemid'), int('userid'), [`finalgrade`, 'number', '10,5', false], int('timemodified', 10, false, undefined)],
  grade_letters: [int('contextid'), number('lowerboundary'), char('letter', 255)],
  config: [char('name', 255), text('value', true)],
};

function intType(engine: MoodleEngine, length: number): string {
  if (engine === 'mysql')
    return length > 9
      ? `BIGINT(${length})`
      : length > 6
        ? `INT(${length})`
        : length > 4
          ? `MEDIUMINT(${length})`
          : length > 2
            ? `SMALLINT(${length})`
            : `TINYINT(${length})`;
  return length > 9 ? 'BIGINT' : length > 4 ? 'INTEGER' : 'SMALLINT';
}

function ddl(engine: MoodleEngine, prefix: string, name: string, columns: Column[]): string {
  const q = (n: string) => (engine === 'mysql' ? `\`${n}\`` : `"${n}"`);
  const cols = columns.map((c) => {
    const [n, type] = c;
    let sqlType: string;
    let notNull: boolean;
    let def: string | undefined;
    if (type === 'int') {
      sqlType = intType(engine, c[2]);
      notNull = c[3];
      def = c[4] === undefined ? undefined : String(c[4]);
    } else if (type === 'char') {
      sqlType = `VARCHAR(${c[2]})`;
      notNull = c[3];
      def = c[4] === undefined ? undefined : `'${c[4]}'`;
    } else if (type === 'text') {
      sqlType = engine === 'mysql' ? 'LONGTEXT' : 'TEXT';
      notNull = c[2];
    } else {
      sqlType = engine === 'mysql' ? `DECIMAL(${c[2]})` : `NUMERIC(${c[2]})`;
      notNull = c[3];
      def = notNull ? '0' : undefined;
    }
    return `${q(n)} ${sqlType}${notNull ? ' NOT NULL' : ''}${def !== undefined && notNull ? ` DEFAULT ${def}` : ''}`;
  });
  const id = engine === 'mysql' ? '`id` BIGINT(10) NOT NULL AUTO_INCREMENT' : '"id" BIGSERIAL';
  return `CREATE TABLE ${q(prefix + name)} (${[id, ...cols].join(', ')}, PRIMARY KEY (${q('id')}))${
    engine === 'mysql' ? ' ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci' : ''
  }`;
}

export interface MoodleFixture {
  engine: MoodleEngine;
  url: string;
  prefix: string;
  moodledata: string;
  moodleCode: string;
  insert(table: string, row: Record<string, unknown>): Promise<void>;
  /** SHA-256 of every table's rows in id order: the source must be the same after the migration. */
  checksum(): Promise<string>;
  drop(): Promise<void>;
}

const MYSQL_ROOT = 'mysql://root@127.0.0.1:3306/';

export async function moodleDatabase(engine: MoodleEngine, prefix = 'mdl_'): Promise<MoodleFixture> {
  const name = `moodle_t_${process.pid}_${randomBytes(5).toString('hex')}`;
  const files = mkdtempSync(join(tmpdir(), 'attest-moodle-'));
  let run: (sqlText: string, params?: unknown[]) => Promise<Record<string, unknown>[]>;
  let close: () => Promise<void>;
  let drop: () => Promise<void>;
  if (engine === 'mysql') {
    const admin = await mysql.createConnection({ uri: MYSQL_ROOT });
    await admin.query(`CREATE DATABASE ${name} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    await admin.end();
    const conn = await mysql.createConnection({ uri: `${MYSQL_ROOT}${name}`, dateStrings: true });
    run = async (s, p = []) => (await conn.query(s, p))[0] as Record<string, unknown>[];
    close = () => conn.end();
    drop = async () => {
      const a = await mysql.createConnection({ uri: MYSQL_ROOT });
      await a.query(`DROP DATABASE IF EXISTS ${name}`);
      await a.end();
    };
  } else {
    const admin = new pg.Client({ connectionString: pgUrl('test') });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const client = new pg.Client({ connectionString: pgUrl(name) });
    await client.connect();
    run = async (s, p = []) => {
      let n = 0;
      return (
        await client.query(
          s.replace(/\?/g, () => `$${++n}`),
          p,
        )
      ).rows as Record<string, unknown>[];
    };
    close = () => client.end();
    drop = async () => {
      const a = new pg.Client({ connectionString: pgUrl('test') });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    };
  }
  for (const [table, columns] of Object.entries(TABLES)) await run(ddl(engine, prefix, table, columns));
  const q = (n: string) => (engine === 'mysql' ? `\`${n}\`` : `"${n}"`);
  return {
    engine,
    url: engine === 'mysql' ? `mysql://root@127.0.0.1:3306/${name}` : pgUrl(name),
    prefix,
    moodledata: join(files, 'moodledata'),
    moodleCode: join(files, 'moodle'),
    async insert(table, row) {
      const keys = Object.keys(row);
      await run(
        `INSERT INTO ${q(prefix + table)} (${keys.map(q).join(', ')}) VALUES (${keys.map(() => '?').join(', ')})`,
        keys.map((k) => row[k]),
      );
    },
    async checksum() {
      const hash = createHash('sha256');
      for (const table of Object.keys(TABLES)) {
        hash.update(`${table}\n`);
        for (const r of await run(`SELECT * FROM ${q(prefix + table)} ORDER BY id`))
          hash.update(`${JSON.stringify(Object.values(r).map(String))}\n`);
      }
      return hash.digest('hex');
    },
    async drop() {
      await close();
      await drop();
      rmSync(files, { recursive: true, force: true });
    },
  };
}

export function png(width: number, height: number, rgb: [number, number, number]): Uint8Array {
  const image = new PNG({ width, height });
  for (let i = 0; i < width * height; i++) image.data.set([...rgb, 255], i * 4);
  return new Uint8Array(PNG.sync.write(image));
}

export function putFile(path: string, bytes: Uint8Array): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, bytes);
}

export const jpeg = (width: number, height: number): Uint8Array => handmadeJpeg(width, height, 3);

export const T = (iso: string): number => Math.floor(Date.parse(iso) / 1000);

/** The contents: what each test asserts on is named here. */
export const SITE_ID = 'c3a1f0e2b7d94b1f8e1f7a0b2c9d4e5f';
export const CODES = {
  camille: 'aB3dE5fG7h',
  jules: 'Zq8Rt2Yp0W',
  lea: 'kLm4Np6Qr8',
  deleted: 'dEl3t3dUsr',
  missingUser: 'n0Us3rHere',
  camilleExcel: 'XcL2026abc',
  julesExcel: 'Xc2jUles99',
  camilleActivity: 'Act1v1tyCm',
  deletedCourse: 'Cours3G0ne',
  leaCustom: 'Cust0mTyp3',
  duplicate: 'Dupl1cat3X',
} as const;

/**
 * A site with five mod_certificate instances of several types (A4 and letter, embedded or not, landscape
 * and portrait), a border and a signature from the plugin's pix (here, in a Moodle code folder made by the
 * test), a watermark uploaded to moodledata, a seal that is nowhere, one instance in a deleted course, one of
 * an unknown type; twelve issues among which a deleted user, a missing user, an empty code and a second
 * issue of the same learner.
 */
export async function fillSite(m: MoodleFixture): Promise<void> {
  const add = m.insert.bind(m);
  await add('config', { name: 'siteidentifier', value: SITE_ID });
  await add('config', { name: 'wwwroot_note', value: 'not read' });
  await add('course_categories', { id: 1, name: 'Santé et sécurité' });
  await add('course', {
    id: 1,
    category: 0,
    fullname: 'Campus Moodle',
    shortname: 'campus',
    idnumber: '',
    summary: '',
    startdate: 0,
    enddate: 0,
  });
  await add('course', {
    id: 2,
    category: 1,
    fullname: 'Sauveteur secouriste du travail',
    shortname: 'SST',
    idnumber: 'FOR-SST',
    summary: '<p>Gestes de <b>premiers secours</b> &amp; prévention.</p>',
    startdate: T('2025-09-01T00:00:00Z'),
    enddate: T('2025-09-02T00:00:00Z'),
  });
  await add('course', {
    id: 3,
    category: 1,
    fullname: 'Excel avancé',
    shortname: 'XL',
    idnumber: '',
    summary: '',
    startdate: 0,
    enddate: 0,
  });
  await add('modules', { id: 1, name: 'assign' });
  await add('modules', { id: 23, name: 'certificate' });

  const instance = (row: Record<string, unknown>) =>
    add('certificate', {
      intro: '',
      introformat: 1,
      emailteachers: 0,
      emailothers: '',
      savecert: 0,
      reportcert: 0,
      delivery: 0,
      requiredtime: 0,
      borderstyle: '0',
      bordercolor: '0',
      printwmark: '0',
      printdate: 1,
      datefmt: 1,
      printnumber: 1,
      printgrade: 0,
      gradefmt: 1,
      printoutcome: 0,
      printhours: null,
      printteacher: 0,
      customtext: '',
      printsignature: '0',
      printseal: '0',
      timecreated: T('2025-01-01T00:00:00Z'),
      timemodified: T('2025-01-02T00:00:00Z'),
      ...row,
    });
  await instance({
    id: 1,
    course: 2,
    name: 'Certificat SST',
    certificatetype: 'A4_embedded',
    orientation: 'L',
    borderstyle: 'Fancy1-blue.jpg',
    printwmark: 'Crest-uploaded.png',
    printsignature: 'Line.png',
    printseal: 'Nowhere.png',
    printgrade: 1,
    gradefmt: 1,
    printteacher: 1,
    printhours: '14',
    customtext: 'Félicitations <b>!</b>',
  });
  await instance({
    id: 2,
    course: 3,
    name: 'Attestation Excel',
    certificatetype: 'letter_non_embedded',
    orientation: 'P',
    bordercolor: '3',
    printdate: 2,
    datefmt: 3,
    printgrade: 13,
    gradefmt: 2,
  });
  await instance({
    id: 3,
    course: 2,
    name: 'Activité SST',
    certificatetype: 'A4_non_embedded',
    orientation: 'P',
    bordercolor: '1',
    printdate: 13,
    printnumber: 1,
    printgrade: -5,
    gradefmt: 3,
  });
  await instance({ id: 4, course: 99, name: 'Cours supprimé', certificatetype: 'A4_embedded', orientation: 'L' });
  await instance({ id: 5, course: 3, name: 'Type maison', certificatetype: 'my_custom_type', orientation: 'L', printoutcome: 31 });

  await add('course_modules', { id: 10, course: 2, module: 23, instance: 1 });
  await add('course_modules', { id: 11, course: 3, module: 23, instance: 2 });
  await add('course_modules', { id: 12, course: 2, module: 23, instance: 3 });
  await add('course_modules', { id: 13, course: 3, module: 1, instance: 7 });
  await add('course_modules', { id: 14, course: 3, module: 23, instance: 5 });

  const user = (row: Record<string, unknown>) =>
    add('user', {
      password: '$2y$10$never-read',
      idnumber: '',
      institution: '',
      department: '',
      city: '',
      country: '',
      email: '',
      alternatename: null,
      ...row,
    });
  await user({
    id: 3,
    username: 'cmartin',
    firstname: 'Camille',
    lastname: 'Martin',
    email: 'camille@example.org',
    city: 'Lyon',
    country: 'FR',
    lang: 'fr',
    idnumber: 'E-42',
  });
  await user({ id: 4, username: 'jdupont', firstname: 'Jules', lastname: 'Dupont', email: 'jules@example.org' });
  await user({ id: 5, username: 'lnguyen', firstname: 'Léa', lastname: 'Nguyễn', email: 'not an address' });
  await user({ id: 6, username: 'gone@example.org.1700000000', firstname: 'Ancien', lastname: 'Compte', deleted: 1 });
  await user({ id: 7, username: 'pblanc', firstname: 'Paul', lastname: 'Blanc' });
  await user({ id: 20, username: 'jmoreau', firstname: 'Julien', lastname: 'Moreau' });
  await user({ id: 21, username: 'abernard', firstname: 'Anne', lastname: 'Bernard' });

  await add('context', { id: 1, contextlevel: 10, instanceid: 0 });
  await add('context', { id: 50, contextlevel: 50, instanceid: 2 });
  await add('context', { id: 51, contextlevel: 50, instanceid: 3 });
  await add('context', { id: 70, contextlevel: 70, instanceid: 10 });
  await add('role', { id: 3, shortname: 'editingteacher', archetype: 'editingteacher' });
  await add('role', { id: 4, shortname: 'formateur', archetype: 'teacher' });
  await add('role', { id: 5, shortname: 'student', archetype: 'student' });
  await add('role_assignments', { roleid: 3, contextid: 50, userid: 20 });
  await add('role_assignments', { roleid: 4, contextid: 70, userid: 21 });
  await add('role_assignments', { roleid: 5, contextid: 50, userid: 3 });

  await add('course_completions', { userid: 3, course: 3, timecompleted: T('2025-10-15T10:00:00Z') });
  await add('course_completions', { userid: 4, course: 3, timecompleted: null });
  await add('grade_items', { id: 1, courseid: 2, itemtype: 'course', grademax: 20, grademin: 0, gradepass: 10 });
  await add('grade_items', { id: 2, courseid: 3, itemtype: 'course', grademax: 100, grademin: 0, gradepass: 0 });
  await add('grade_items', {
    id: 4,
    courseid: 2,
    itemtype: 'category',
    iteminstance: 5,
    itemname: null,
    grademax: 50,
    grademin: 0,
    gradepass: 0,
  });
  await add('grade_grades', { itemid: 4, userid: 3, finalgrade: 45, timemodified: T('2025-10-14T09:00:00Z') });
  await add('grade_items', {
    id: 3,
    courseid: 3,
    itemtype: 'mod',
    itemmodule: 'assign',
    iteminstance: 7,
    itemnumber: 0,
    itemname: 'Examen final',
    grademax: 20,
    grademin: 0,
    gradepass: 0,
  });
  await add('grade_items', {
    id: 31,
    courseid: 3,
    itemtype: 'mod',
    itemmodule: 'assign',
    iteminstance: 7,
    itemnumber: 1000,
    itemname: 'Protéger',
    grademax: 4,
    grademin: 1,
    gradepass: 0,
  });
  await add('grade_grades', { itemid: 1, userid: 3, finalgrade: 15.5, timemodified: T('2025-09-02T12:00:00Z') });
  await add('grade_grades', { itemid: 1, userid: 4, finalgrade: 18.75, timemodified: T('2025-09-02T12:00:00Z') });
  await add('grade_grades', { itemid: 3, userid: 3, finalgrade: 17, timemodified: T('2025-10-14T09:00:00Z') });
  await add('grade_grades', { itemid: 31, userid: 5, finalgrade: 3, timemodified: T('2025-10-14T09:00:00Z') });
  await add('grade_letters', { contextid: 51, lowerboundary: 50, letter: 'Acquis' });
  await add('grade_letters', { contextid: 51, lowerboundary: 0, letter: 'Non acquis' });

  const issue = (id: number, userid: number, certificateid: number, code: string | null, at: string) =>
    add('certificate_issues', { id, userid, certificateid, code, timecreated: T(at) });
  await issue(1, 3, 1, CODES.camille, '2025-09-03T08:00:00Z');
  await issue(2, 4, 1, CODES.jules, '2025-09-03T09:00:00Z');
  await issue(3, 5, 1, CODES.lea, '2025-09-04T09:00:00Z');
  await issue(4, 6, 1, CODES.deleted, '2025-09-04T10:00:00Z');
  await issue(5, 99, 2, CODES.missingUser, '2025-10-16T10:00:00Z');
  await issue(6, 3, 2, CODES.camilleExcel, '2025-10-16T11:00:00Z');
  await issue(7, 4, 2, CODES.julesExcel, '2025-10-17T11:00:00Z');
  await issue(8, 3, 3, CODES.camilleActivity, '2025-10-18T11:00:00Z');
  await issue(9, 3, 4, CODES.deletedCourse, '2025-10-18T12:00:00Z');
  await issue(10, 5, 5, CODES.leaCustom, '2025-10-19T12:00:00Z');
  await issue(11, 7, 1, '', '2025-10-20T12:00:00Z');
  await issue(12, 3, 1, CODES.duplicate, '2025-10-21T12:00:00Z');

  // The plugin's own images (here: made by the test) in the Moodle code folder; one upload in moodledata.
  putFile(join(m.moodleCode, 'mod', 'certificate', 'pix', 'borders', 'Fancy1-blue.jpg'), jpeg(64, 48));
  putFile(join(m.moodleCode, 'mod', 'certificate', 'pix', 'signatures', 'Line.png'), png(40, 10, [20, 20, 20]));
  putFile(join(m.moodledata, 'mod', 'certificate', 'pix', 'watermarks', 'Crest-uploaded.png'), png(32, 32, [200, 180, 90]));
}

/** Issues that import (all but the deleted user, the missing user, the deleted course and the duplicate). */
export const IMPORTED_ISSUES = 8;
export const KEPT_CODES = [
  CODES.camille,
  CODES.jules,
  CODES.lea,
  CODES.camilleExcel,
  CODES.julesExcel,
  CODES.camilleActivity,
  CODES.leaCustom,
];
