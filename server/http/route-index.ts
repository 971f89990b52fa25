import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';

/**
 * The operations' routes found by method and path shape instead of by Express trying each of about a
 * hundred routes in turn (≈10 % of a verification's server time in its CPU profile). Routes are grouped
 * by method and by how many path segments they match; each group is an ordinary Express router holding
 * its routes in the order they were declared, so within a group Express decides exactly as before (its
 * own matcher: case, a trailing slash, percent-decoding of parameters and its 400 for a bad one, HEAD
 * served by GET). A request no group answers goes on to the full route list, which still holds every
 * route: 404s and anything unusual are answered by the same code as before.
 */
export interface IndexedRoute {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** Express syntax, as registered on the app. */
  path: string;
  handlers: RequestHandler[];
}

/** Requests with more segments than this go to the full route list (no operation has half as many). */
const MOST_SEGMENTS = 16;

/**
 * The segments a route path matches: a number, or at least `min` when a segment can hold slashes
 * (`*name`) or the path has optional parts (`{…}`), which then join every group from `min` up.
 */
function shape(path: string): { exactly: number } | { atLeast: number } {
  const segments = path.split('/').slice(1);
  const wild = segments.findIndex((s) => /[*{}()]/.test(s));
  if (wild < 0) return { exactly: segments.length };
  return { atLeast: Math.max(1, wild) };
}

/** How many segments a request's path has, its one optional trailing slash aside (Express ignores it). */
function segmentsOf(pathname: string): number {
  let n = 0;
  const end = pathname.length > 1 && pathname.endsWith('/') ? pathname.length - 1 : pathname.length;
  for (let i = 0; i < end; i++) if (pathname.charCodeAt(i) === 47) n++;
  return n;
}

/**
 * The middleware that dispatches through the index; put it where the routes would be, and register the
 * same routes on the app after it, unchanged.
 */
export function routeIndex(routes: readonly IndexedRoute[]): RequestHandler {
  const groups = new Map<string, express.Router>();
  for (const method of new Set(routes.map((r) => r.method))) {
    for (let n = 1; n <= MOST_SEGMENTS; n++) {
      const here = routes.filter((r) => {
        if (r.method !== method) return false;
        const s = shape(r.path);
        return 'exactly' in s ? s.exactly === n : n >= s.atLeast;
      });
      if (!here.length) continue;
      // Options as the app's own router has them (case-insensitive, a trailing slash allowed).
      const router = express.Router();
      for (const r of here) router[r.method](r.path, ...r.handlers);
      groups.set(`${method.toUpperCase()} ${n}`, router);
    }
  }
  return (req: Request, res: Response, next: NextFunction) => {
    // OPTIONS and other methods keep the full list's answers (Express's own OPTIONS reply is per list).
    const method = req.method === 'HEAD' ? 'GET' : req.method;
    const group = groups.get(`${method} ${segmentsOf(req.path)}`);
    if (!group) return next();
    group(req, res, next);
  };
}
