// Where the bytes of a ZIP carry no content, read independently of the reader under test: fields
// only the central directory holds and no reader can check (version made by, file attributes), and
// the compressed data of deflated entries, whose damage the CRC of the inflated content reveals.
export interface ZipLayout {
  /** Offsets of central-directory bytes that carry no content. */
  readonly contentFree: ReadonlySet<number>;
  /** [start, end) of the compressed data of each deflated entry. */
  readonly deflatedData: readonly (readonly [number, number])[];
}

export function zipLayout(zip: Uint8Array): ZipLayout {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const end = zip.length - 22;
  const count = view.getUint16(end + 10, true);
  const contentFree = new Set<number>();
  const deflatedData: [number, number][] = [];
  let at = view.getUint32(end + 16, true);
  for (let index = 0; index < count; index += 1) {
    for (const [from, length] of [[4, 2], [36, 6]] as const) for (let byte = 0; byte < length; byte += 1) contentFree.add(at + from + byte);
    const nameLength = view.getUint16(at + 28, true);
    const recordLength = 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
    const local = view.getUint32(at + 42, true);
    if (view.getUint16(at + 10, true) === 8) {
      const data = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
      deflatedData.push([data, data + view.getUint32(at + 20, true)]);
    }
    at += recordLength;
  }
  return { contentFree, deflatedData };
}

/** The offsets of the local header and the central directory record of every entry, by name. */
export function entryHeaders(zip: Uint8Array): Map<string, { local: number; central: number }> {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const end = zip.length - 22;
  const headers = new Map<string, { local: number; central: number }>();
  let at = view.getUint32(end + 16, true);
  for (let index = 0; index < view.getUint16(end + 10, true); index += 1) {
    const nameLength = view.getUint16(at + 28, true);
    const name = new TextDecoder().decode(zip.subarray(at + 46, at + 46 + nameLength));
    headers.set(name, { local: view.getUint32(at + 42, true), central: at });
    at += 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
  return headers;
}

/** Sets a 32-bit field of an entry in both its local header and its central record, keeping them consistent. */
export function patchEntryField(zip: Uint8Array, name: string, field: 'crc32' | 'compressedSize' | 'size', value: number): void {
  const headers = entryHeaders(zip).get(name);
  if (headers === undefined) throw new Error(`no entry ${name}`);
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const offset = { crc32: 0, compressedSize: 4, size: 8 }[field];
  view.setUint32(headers.local + 14 + offset, value, true);
  view.setUint32(headers.central + 16 + offset, value, true);
}
