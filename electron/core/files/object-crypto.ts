import { createCipheriv, createDecipheriv, randomBytes, type CipherGCM, type DecipherGCM } from 'node:crypto';
import { AppFailure } from '../../../shared/api/errors';

/**
 * The on-disk format of one encrypted object (AES-256-GCM, a fresh random key per file):
 *
 *   0  magic "SOHOAENC"        8 bytes
 *   8  version (1), 3 zero     4 bytes
 *  12  file-key nonce         12 bytes   the file key, wrapped by the master key (AES-256-GCM)
 *  24  wrapped file key       32 bytes
 *  56  file-key tag           16 bytes
 *  72  data nonce             12 bytes
 *  84  data tag               16 bytes   written last (streamed writes know it only at the end)
 * 100  ciphertext             as long as the plaintext
 *
 * Both encryptions authenticate the header and the object's address (the plaintext sha256), so a
 * file renamed to another address, or a header swapped between files, is refused like a flipped bit.
 */
export const MAGIC = Buffer.from('SOHOAENC', 'latin1');
export const FORMAT_VERSION = 1;
export const HEADER_SIZE = 100;
export const DATA_TAG_OFFSET = 84;
const KEY_AAD_END = 12;
const ALGORITHM = 'aes-256-gcm';

export function isEncryptedHead(head: Buffer): boolean {
  return head.length >= MAGIC.length && head.subarray(0, MAGIC.length).equals(MAGIC);
}

function addressBytes(sha256: string): Buffer {
  return Buffer.from(sha256, 'hex');
}

/** A header with a fresh file key, plus the cipher that encrypts the data; the data tag is patched in at the end. */
export function startEncryption(masterKey: Buffer, sha256: string): { header: Buffer; cipher: CipherGCM } {
  const header = Buffer.alloc(HEADER_SIZE);
  MAGIC.copy(header, 0);
  header.writeUInt8(FORMAT_VERSION, 8);
  const fileKey = randomBytes(32);
  const keyNonce = randomBytes(12);
  const wrap = createCipheriv(ALGORITHM, masterKey, keyNonce);
  wrap.setAAD(Buffer.concat([header.subarray(0, KEY_AAD_END), addressBytes(sha256)]));
  const wrapped = Buffer.concat([wrap.update(fileKey), wrap.final()]);
  keyNonce.copy(header, 12);
  wrapped.copy(header, 24);
  wrap.getAuthTag().copy(header, 56);
  const dataNonce = randomBytes(12);
  dataNonce.copy(header, 72);
  const cipher = createCipheriv(ALGORITHM, fileKey, dataNonce);
  cipher.setAAD(Buffer.concat([header.subarray(0, DATA_TAG_OFFSET), addressBytes(sha256)]));
  fileKey.fill(0);
  return { header, cipher };
}

export function setDataTag(header: Buffer, tag: Buffer): void {
  tag.copy(header, DATA_TAG_OFFSET);
}

/** The file key inside an object's header; throws `damagedObject` when the master key does not open it. */
export function unwrapFileKey(masterKey: Buffer, sha256: string, header: Buffer): Buffer {
  if (header.length < HEADER_SIZE || !isEncryptedHead(header)) throw damagedObject();
  if (header.readUInt8(8) !== FORMAT_VERSION) throw unknownVersion();
  try {
    const unwrap = createDecipheriv(ALGORITHM, masterKey, header.subarray(12, 24));
    unwrap.setAAD(Buffer.concat([header.subarray(0, KEY_AAD_END), addressBytes(sha256)]));
    unwrap.setAuthTag(header.subarray(56, 72));
    return Buffer.concat([unwrap.update(header.subarray(24, 56)), unwrap.final()]);
  } catch {
    throw damagedObject();
  }
}

/** A decipher for an object's data, with the header's tag set: `final()` throws if anything was altered. */
export function startDecryption(masterKey: Buffer, sha256: string, header: Buffer): DecipherGCM {
  const fileKey = unwrapFileKey(masterKey, sha256, header);
  const decipher = createDecipheriv(ALGORITHM, fileKey, header.subarray(72, 84));
  decipher.setAAD(Buffer.concat([header.subarray(0, DATA_TAG_OFFSET), addressBytes(sha256)]));
  decipher.setAuthTag(header.subarray(DATA_TAG_OFFSET, HEADER_SIZE));
  fileKey.fill(0);
  return decipher;
}

/**
 * Plaintext at any offset without reading from the start: GCM encrypts with AES-CTR whose counter
 * for data block i is nonce || (i + 2). Unauthenticated on its own: callers check the whole
 * object's tag first (BlobStore.openRanges).
 */
export function decryptRange(fileKey: Buffer, header: Buffer, cipherText: Buffer, skip: number, block: number): Buffer {
  const counter = Buffer.alloc(16);
  header.copy(counter, 0, 72, 84);
  counter.writeUInt32BE(block + 2, 12);
  const ctr = createDecipheriv('aes-256-ctr', fileKey, counter);
  return Buffer.concat([ctr.update(cipherText), ctr.final()]).subarray(skip);
}

/**
 * Whole-buffer encryption (page images, thumbnails, rendered PDFs): the stored file is the header
 * then the body, written as they are. Joining them would copy every page image once more (and the
 * garbage collector runs by the bytes allocated).
 */
export function encryptObject(masterKey: Buffer, sha256: string, plain: Buffer): [header: Buffer, body: Buffer] {
  const { header, cipher } = startEncryption(masterKey, sha256);
  const sealed = cipher.update(plain);
  const last = cipher.final(); // GCM is a stream cipher: nothing is held back
  setDataTag(header, cipher.getAuthTag());
  return [header, last.length === 0 ? sealed : Buffer.concat([sealed, last])];
}

/** Whole-buffer decryption; nothing is returned unless the GCM tag checks out. */
export function decryptObject(masterKey: Buffer, sha256: string, stored: Buffer): Buffer {
  const decipher = startDecryption(masterKey, sha256, stored.subarray(0, HEADER_SIZE));
  try {
    const plain = decipher.update(stored.subarray(HEADER_SIZE));
    const last = decipher.final(); // checks the tag; GCM holds nothing back
    return last.length === 0 ? plain : Buffer.concat([plain, last]);
  } catch {
    throw damagedObject();
  }
}

/** A stored file failed its integrity check: damaged on disk, edited, or moved to another address. */
export function damagedObject(): AppFailure {
  return new AppFailure(
    'INTERNAL',
    'Một tệp trong kho lưu trữ bị hỏng hoặc đã bị sửa đổi (không qua kiểm tra toàn vẹn); không đọc được tệp này.',
    'A stored file is damaged or was altered (it fails its integrity check); it cannot be read.',
  );
}

function unknownVersion(): AppFailure {
  return new AppFailure(
    'CONFLICT',
    'Tệp lưu trữ do phiên bản SoHoa mới hơn ghi; hãy cập nhật ứng dụng.',
    'A stored file was written by a newer SoHoa; update the app.',
  );
}
