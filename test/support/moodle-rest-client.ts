/**
 * A client that speaks Moodle's REST web service protocol as a Moodle site (or a PHP script using
 * curl) does: parameters encoded by http_build_query's rules, the answer read as Moodle's client reads it
 * (an object with `exception` is an error, whatever the HTTP status).
 */
export type PhpValue = string | number | boolean | null | undefined | readonly PhpValue[] | { readonly [key: string]: PhpValue };

/** PHP's urlencode: everything but letters, digits and `-_.` percent-encoded, a space as `+`. */
export function phpUrlencode(s: string): string {
  return encodeURIComponent(s)
    .replace(/[!'()*~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}

/** PHP's http_build_query (PHP_QUERY_RFC1738): nested keys as `name[key]`, true/false as 1/0, null left out. */
export function httpBuildQuery(params: Readonly<Record<string, PhpValue>>): string {
  const out: string[] = [];
  const walk = (key: string, value: PhpValue) => {
    if (value === null || value === undefined) return;
    if (typeof value === 'object') {
      const entries: (readonly [string, PhpValue])[] = Array.isArray(value)
        ? (value as readonly PhpValue[]).map((v, i) => [String(i), v] as const)
        : Object.entries(value as Record<string, PhpValue>);
      for (const [k, v] of entries) walk(`${key}[${k}]`, v);
      return;
    }
    const text = typeof value === 'boolean' ? (value ? '1' : '0') : String(value);
    out.push(`${phpUrlencode(key)}=${phpUrlencode(text)}`);
  };
  for (const [k, v] of Object.entries(params)) walk(k, v);
  return out.join('&');
}

export interface MoodleException {
  exception: string;
  errorcode: string;
  message: string;
  debuginfo?: string;
  problems?: { path: string; code: string; message: string }[];
}

export type MoodleAnswer<T> =
  { ok: true; value: T; status: number; text: string } | { ok: false; error: MoodleException; status: number; text: string };

export interface MoodleCallOptions {
  method?: 'GET' | 'POST';
  format?: 'json' | 'xml';
  /** Sent as is instead of the encoded parameters (to send what no PHP client would). */
  rawBody?: string;
  contentType?: string;
}

export class MoodleRestClient {
  constructor(
    readonly base: string,
    readonly wstoken: string | undefined,
  ) {}

  readonly url = (): string => `${this.base}/webservice/rest/server.php`;

  async call<T>(
    wsfunction: string,
    params: Readonly<Record<string, PhpValue>> = {},
    options: MoodleCallOptions = {},
  ): Promise<MoodleAnswer<T>> {
    const format = options.format ?? 'json';
    const all = { wstoken: this.wstoken, wsfunction, moodlewsrestformat: format === 'json' ? 'json' : undefined, ...params };
    const encoded = options.rawBody ?? httpBuildQuery(all);
    const method = options.method ?? 'POST';
    const res =
      method === 'GET'
        ? await fetch(`${this.url()}?${encoded}`)
        : await fetch(this.url(), {
            method: 'POST',
            headers: { 'content-type': options.contentType ?? 'application/x-www-form-urlencoded' },
            body: encoded,
          });
    const text = await res.text();
    if (format === 'xml') return { ok: !text.includes('<EXCEPTION'), value: text as T, status: res.status, text } as MoodleAnswer<T>;
    const body = JSON.parse(text) as unknown;
    if (body !== null && typeof body === 'object' && !Array.isArray(body) && 'exception' in body)
      return { ok: false, error: body as MoodleException, status: res.status, text };
    return { ok: true, value: body as T, status: res.status, text };
  }

  /** The value, or a thrown error saying which exception came instead. */
  async value<T>(wsfunction: string, params: Readonly<Record<string, PhpValue>> = {}, options: MoodleCallOptions = {}): Promise<T> {
    const a = await this.call<T>(wsfunction, params, options);
    if (!a.ok) throw new Error(`${wsfunction}: ${a.error.exception} ${a.error.errorcode}: ${a.error.message} (${a.error.debuginfo ?? ''})`);
    return a.value;
  }

  /** The exception, or a thrown error when the call succeeded. */
  async exception(
    wsfunction: string,
    params: Readonly<Record<string, PhpValue>> = {},
    options: MoodleCallOptions = {},
  ): Promise<MoodleException> {
    const a = await this.call(wsfunction, params, options);
    if (a.ok) throw new Error(`${wsfunction}: expected an exception, got ${a.text}`);
    expect200(a.status);
    return a.error;
  }
}

function expect200(status: number): void {
  if (status !== 200) throw new Error(`Moodle answers exceptions with HTTP 200, got ${status}`);
}
