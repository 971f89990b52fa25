import type { MoodleFunction } from './function';
import { GET_CERTIFICATES } from './get-certificates';
import { GET_CERTIFICATE_FILE_URL } from './get-certificate-file-url';
import { GET_CERTIFICATE_INFO } from './get-certificate-info';
import { GET_CERTIFICATE_USERS_INFO } from './get-certificate-users-info';
import { GET_CERTIFICATE_INFOS } from './get-certificate-infos';

/** mod_pdcertificate's five web service functions (its db/services.php), by their Moodle names. */
export const MOODLE_FUNCTIONS: readonly MoodleFunction[] = [
  GET_CERTIFICATES,
  GET_CERTIFICATE_FILE_URL,
  GET_CERTIFICATE_INFO,
  GET_CERTIFICATE_USERS_INFO,
  GET_CERTIFICATE_INFOS,
];

export type { MoodleFunction, MoodleValue } from './function';

export const moodleFunctionNamed = (name: string): MoodleFunction | undefined => MOODLE_FUNCTIONS.find((f) => f.name === name);
