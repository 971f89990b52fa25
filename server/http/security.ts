import { createHash, randomBytes } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

/**
 * Headers every answer carries. The API answers JSON and PDFs: nothing of it may be framed, sniffed or
 * run as a page. The editor's pages get a policy that allows exactly what Monaco and pdf.js need
 * (workers from blob:, inline styles for Monaco's layout) and nothing from elsewhere. The pages the
 * server writes itself (verification, API docs) carry a stricter one of their own (serverPagePolicy).
 */
const API_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
export const PAGE_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; worker-src 'self' blob:; connect-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

/** An inline text as a CSP source: exactly this stylesheet is allowed, and nothing an attacker could inject. */
export function cspHash(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/** A fresh nonce for one answer's inline script: guessing it is as hard as guessing 128 random bits. */
export function cspNonce(): string {
  return randomBytes(16).toString('base64');
}

export interface ServerPagePolicy {
  /** The page's inline stylesheets (their text, hashed); style attributes stay refused. */
  styles: readonly string[];
  /** The nonce of the page's inline script; without one, no script runs. */
  scriptNonce?: string;
  /** Whether the page may call its own origin's API (fetch). */
  connect?: boolean;
  /** Whether the page posts forms to its own origin. */
  forms?: boolean;
}

/**
 * The policy of a page the server writes: nothing by default, its stylesheets by hash, its script by nonce,
 * images only as data: URLs (a tenant's logo), and its own origin for what it posts or fetches.
 */
export function serverPagePolicy(p: ServerPagePolicy): string {
  return [
    "default-src 'none'",
    `style-src ${p.styles.map(cspHash).join(' ') || "'none'"}`,
    `script-src ${p.scriptNonce ? `'nonce-${p.scriptNonce}'` : "'none'"}`,
    'img-src data:',
    `connect-src ${p.connect ? "'self'" : "'none'"}`,
    `form-action ${p.forms ? "'self'" : "'none'"}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
}

export function securityHeaders(req: Request, res: Response, next: NextFunction): void {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  res.setHeader('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=()');
  res.setHeader('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
  res.setHeader('Content-Security-Policy', req.path.startsWith('/api/') ? API_POLICY : PAGE_POLICY);
  next();
}
