import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Compares two secrets in constant time (over digests, so their lengths do not leak either). */
export function sameSecret(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

/**
 * Dashboard sessions, in memory: a random 256-bit id (the cookie's value) with its expiry. A restart logs everyone
 * out, which is the safe side. Ids are compared as map keys of their digest, so the map holds no usable cookie.
 */
export class DashboardSessions {
  private readonly sessions = new Map<string, { expires: number; user: string }>();

  constructor(
    private readonly lifetimeMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  open(user: string): { id: string; maxAgeSeconds: number } {
    this.sweep();
    const id = randomBytes(32).toString('base64url');
    this.sessions.set(digest(id).toString('hex'), { expires: this.now() + this.lifetimeMs, user });
    return { id, maxAgeSeconds: Math.floor(this.lifetimeMs / 1000) };
  }

  /** The session's user when the id names a live session. */
  check(id: string | undefined): string | undefined {
    if (id === undefined || id.length > 100) return undefined;
    const key = digest(id).toString('hex');
    const session = this.sessions.get(key);
    if (!session) return undefined;
    if (session.expires <= this.now()) {
      this.sessions.delete(key);
      return undefined;
    }
    return session.user;
  }

  close(id: string | undefined): void {
    if (id !== undefined) this.sessions.delete(digest(id).toString('hex'));
  }

  private sweep(): void {
    const now = this.now();
    for (const [key, s] of this.sessions) if (s.expires <= now) this.sessions.delete(key);
  }
}
