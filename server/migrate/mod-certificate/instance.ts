/**
 * One row of Moodle's `certificate` table (mod_certificate, db/install.xml), typed as the plugin stores it:
 * `int` columns are numbers, `char`/`text` columns strings. Nullable text columns (NOTNULL="false") may be
 * null. Several `char` columns hold numbers or file names ("0" meaning "none"): they stay strings here, as
 * the database hands them over; the template mapping reads them.
 */
export interface ModCertificateInstance {
  id: number;
  /** The course id (`course.id`). */
  course: number;
  name: string;
  intro: string | null;
  introformat: number;
  /** 0/1: e-mail the course teachers when a learner gets a certificate. */
  emailteachers: number;
  /** Comma-separated e-mail addresses to notify. */
  emailothers: string | null;
  /** 0/1: keep a copy of each issued PDF in the file pool. */
  savecert: number;
  /** 0/1: show the issue in the course report. */
  reportcert: number;
  /** 0 open in the browser, 1 force download, 2 e-mail. */
  delivery: number;
  /** Minutes the learner must have spent in the course (0: none). */
  requiredtime: number;
  /** A4_embedded, A4_non_embedded, letter_embedded, letter_non_embedded. */
  certificatetype: string;
  /** "L" landscape, "P" portrait. */
  orientation: string;
  /** A border image file name, or "0" for none. */
  borderstyle: string;
  /** "0" no lines, "1" black, "2" brown, "3" blue, "4" green (drawn when there is no border image). */
  bordercolor: string;
  /** A watermark image file name, or "0". */
  printwmark: string;
  /** 0 no date, 1 issue date, 2 course completion date, > 2 the completion date of course module `printdate`. */
  printdate: number;
  /** 1, 2 "%B %d, %Y", 3 "%d %B %Y", 4 "%B %Y", 5 the learner's language format. */
  datefmt: number;
  /** 0/1: print the certificate code. */
  printnumber: number;
  /** 0 none, 1 the course grade, > 1 the grade of course module `printgrade`. */
  printgrade: number;
  /** 1 percentage, 2 points, 3 letter. */
  gradefmt: number;
  /** 0 none, else the id of the grade outcome to print. */
  printoutcome: number;
  /** Credit hours to print, as typed (free text), or null/empty. */
  printhours: string | null;
  /** 0/1: print the names of the course teachers. */
  printteacher: number;
  /** HTML text printed on the certificate. */
  customtext: string | null;
  /** A signature image file name, or "0". */
  printsignature: string;
  /** A seal image file name, or "0". */
  printseal: string;
  timecreated: number;
  timemodified: number;
}
