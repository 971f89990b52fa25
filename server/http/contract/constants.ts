/** Where the versioned API lives: every operation's path is under it unless it says `absolute`. */
export const API_PREFIX = '/api/v1';
/** The session cookie's name: set by sign-in, read by the adapter. */
export const SESSION_COOKIE = 'attest_session';
/** Cookie-authenticated changes must carry it (value `1`): a cross-site form cannot set a custom header. */
export const CSRF_HEADER = 'x-attest-csrf';
