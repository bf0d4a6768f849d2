// The hook through which per-field encryption (section 11) plugs into the store. The store encodes
// every field value when the application writes it, so that the value kept for merging and pushed is
// the wire value (LWW-17), and decodes every incoming wire value before handing it to the
// application. `deletedAt` never passes through the codec: the server must read deletions.

/** Where a value lives: what `enc:2` binds (CRYPT-2) and what decides whether to encrypt (CRYPT-7). */
export interface FieldPlace {
  readonly table: string;
  readonly id: string;
  readonly field: string;
  readonly spaceId: string;
}

export interface FieldCodec {
  /** The wire value of an application value. */
  encode(value: unknown, place: FieldPlace): Promise<unknown>;
  /**
   * The application value of a wire value. Throws when the value cannot be decoded (CRYPT-8); the
   * store then merges the wire value anyway and reports the failure (CRYPT-11).
   */
  decode(value: unknown, place: FieldPlace): Promise<unknown>;
}

/** Values travel as they are: the codec of a client without encryption. */
export const identityCodec: FieldCodec = {
  encode: (value) => Promise.resolve(value),
  decode: (value) => Promise.resolve(value),
};
