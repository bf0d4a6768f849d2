/** An RFC 6901 JSON Pointer to the member reached by `path` (`details.path` of PUSH-3). */
export function jsonPointer(path: ReadonlyArray<string | number>): string {
  return path.map((segment) => `/${String(segment).replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
}
