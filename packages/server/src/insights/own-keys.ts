/**
 * @module insights/own-keys
 * Counting by names that come from reports (interceptor vendor and issuer,
 * host names, failure codes). Rollups are plain JSON objects, so a name
 * like `constructor` or `toString` would read an inherited function
 * (`function Object() … 1` became a count) and `__proto__` would set the
 * prototype instead of a count. These helpers read own properties only and
 * write with defineProperty, which makes an ordinary own property of any
 * name, so every string is just a key.
 */

/** The value stored under `key` itself, never an inherited one. */
export function own<T>(map: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(map, key) ? map[key] : undefined;
}

/** Sets `map[key]` as an own, enumerable property, whatever the key. */
export function setOwn<T>(map: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(map, key, { value, writable: true, enumerable: true, configurable: true });
}

/** Adds `n` to the count under `key`. */
export function addCount(map: Record<string, number>, key: string, n = 1): void {
  setOwn(map, key, (own(map, key) ?? 0) + n);
}
