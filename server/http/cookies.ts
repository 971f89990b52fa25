/** The session cookie's name: set by sign-in, read by the adapter. */
export const SESSION_COOKIE = 'attest_session';
/** Cookie-authenticated changes must carry it: a cross-site form cannot set a custom header. */
export const CSRF_HEADER = 'x-attest-csrf';
