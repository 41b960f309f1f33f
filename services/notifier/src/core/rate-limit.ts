import type { RateLimit } from '../config.ts';

/** A token bucket: `messages` tokens, refilled evenly over `perSeconds`. */
export interface RateState {
  tokens: number;
  refilledAt: number;
}

export function fullBucket(limit: RateLimit, now: number): RateState {
  return { tokens: limit.messages, refilledAt: now };
}

/**
 * Takes one token at `now` if there is one (`waitMs` 0), else says how long until there is (`waitMs` > 0,
 * state unchanged but refilled). Pure: returns the new state.
 */
export function takeToken(state: RateState, limit: RateLimit, now: number): { state: RateState; waitMs: number } {
  const perToken = (limit.perSeconds * 1000) / limit.messages;
  const elapsed = Math.max(0, now - state.refilledAt);
  const tokens = Math.min(limit.messages, state.tokens + elapsed / perToken);
  if (tokens >= 1) return { state: { tokens: tokens - 1, refilledAt: now }, waitMs: 0 };
  return { state: { tokens, refilledAt: now }, waitMs: Math.ceil((1 - tokens) * perToken) };
}

/** Whole tokens in the bucket at `now` (after refilling), without taking any. */
export function availableTokens(state: RateState, limit: RateLimit, now: number): number {
  const perToken = (limit.perSeconds * 1000) / limit.messages;
  return Math.floor(Math.min(limit.messages, state.tokens + Math.max(0, now - state.refilledAt) / perToken) + 1e-9);
}
