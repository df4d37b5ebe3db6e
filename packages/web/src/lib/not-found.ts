/**
 * @module lib/not-found
 * Whether an API error means "there is no such thing for you": not found,
 * not yours (403), or an id so malformed the server refused it (422, or
 * 414 for an over-long path segment). The pages then say so plainly instead
 * of showing an error.
 */
import { ApiError } from '../api/client.ts';

export function isMissing(error: unknown): boolean {
  return error instanceof ApiError && [403, 404, 414, 422].includes(error.status);
}
