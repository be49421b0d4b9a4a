import { createHash } from 'node:crypto';

/**
 * An order-independent fingerprint of the (profile, version) pairs a run read: the
 * XOR of one SHA-256 per pair, so two runs over the same data agree however the store
 * happened to order its scan.
 */
export class VersionDigest {
  private readonly acc = Buffer.alloc(32);

  add(profileId: string, version: number): void {
    const hash = createHash('sha256').update(`${profileId}\u0000${version}`).digest();
    for (let i = 0; i < 32; i++) this.acc[i]! ^= hash[i]!;
  }

  value(): string {
    return `sha256-xor:${this.acc.toString('hex')}`;
  }
}
