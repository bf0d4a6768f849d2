// CRC-32 (IEEE 802.3, the polynomial of ZIP) for BACKUP-5. fflate computes CRCs when it writes but
// neither exports the function nor checks CRCs when it reads, and Node's zlib.crc32 is not in browsers.

const TABLE = Uint32Array.from({ length: 256 }, (_, byte) => {
  let crc = byte;
  for (let bit = 0; bit < 8; bit += 1) crc = crc & 1 ? 0xedb88320 ^ (crc >>> 1) : crc >>> 1;
  return crc >>> 0;
});

/** A CRC-32 computed over chunks as they arrive. */
export class Crc32 {
  #crc = 0xffffffff;

  update(chunk: Uint8Array): this {
    let crc = this.#crc;
    for (let index = 0; index < chunk.length; index += 1) crc = TABLE[(crc ^ chunk[index]!) & 0xff]! ^ (crc >>> 8);
    this.#crc = crc;
    return this;
  }

  digest(): number {
    return (this.#crc ^ 0xffffffff) >>> 0;
  }
}
