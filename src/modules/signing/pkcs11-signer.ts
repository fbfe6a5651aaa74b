// A `KeySigner` whose private key stays on a PKCS#11 device: a USB token of a certification authority, or an HSM.
// The vendor's module (.so) is loaded through pkcs11js; the token is found by its label, the user logs in with the
// PIN, and the key (by label or CKA_ID) signs with CKM_SHA256_RSA_PKCS, so the token hashes the CMS signed
// attributes itself and returns the same RSA PKCS#1 v1.5 SHA-256 signature as the PKCS#12 signer. The certificate
// with the key's CKA_ID, and its issuers found on the token or given by the caller, make the chain.
//
// Traps this file handles:
// - C_Initialize and the login state belong to the process, not to a session: two signers on one module share one
//   initialised library (counted below and finalised by the last to close), and two signers on one token share one
//   login (a second C_Login answers CKR_USER_ALREADY_LOGGED_IN without checking the PIN, so the PIN is compared
//   here against the one that logged in; C_Logout is never called, the token logs out when its last session closes).
// - A session does one operation at a time: concurrent signPdf calls are queued.
// - Every failure, from a missing module to a token pulled out mid-signature, is SIGNING_KEY_UNAVAILABLE with a
//   Vietnamese reason; signPdf returns nothing in that case, so no document is half-signed. The PIN is never logged
//   nor put into an error.
import crypto from 'node:crypto';
import type * as Pkcs11Types from 'pkcs11js';
import { AppError } from '../../platform/errors.ts';
import type { KeySigner } from './signer.ts';

export interface Pkcs11SignerOptions {
  /** The vendor's PKCS#11 module, e.g. /usr/lib/softhsm/libsofthsm2.so. */
  modulePath: string;
  /** The token's label (CK_TOKEN_INFO.label, without its padding). */
  tokenLabel: string;
  /** The private key's CKA_LABEL; with neither label nor id the token must hold exactly one private key. */
  keyLabel?: string;
  /** The private key's CKA_ID, in hex. */
  keyId?: string;
  pin: string;
  /** Issuer certificates (DER) that are not on the token; they join the chain when they issued the signer's. */
  extraCertificates?: Buffer[];
}

export type Pkcs11Signer = KeySigner & {
  /** Ends the session; the library is finalised when no other signer uses it. Safe to call twice. */
  close(): Promise<void>;
};

type Pkcs11Module = typeof Pkcs11Types;
type Handle = Buffer;

interface LoadedLibrary {
  pkcs11: Pkcs11Types.PKCS11;
  users: number;
  /** False when the module was initialised already (by other code of this process): then it is not finalised. */
  isInitialisedHere: boolean;
  /** Per token serial number: a keyed digest of the PIN that logged in, and how many signers use that login. */
  logins: Map<string, { pinDigest: Buffer; users: number }>;
}

// The process-wide state PKCS#11 itself imposes (see the header): one entry per module path while signers use it.
const loadedLibraries = new Map<string, LoadedLibrary>();
const pinDigestKey = crypto.randomBytes(32);

function unavailable(reason: string): AppError {
  return new AppError('SIGNING_KEY_UNAVAILABLE', { reason });
}

/** The CKR_… name a pkcs11js error carries (its message, e.g. "CKR_PIN_INCORRECT"), if any. */
function pkcs11ReturnCode(error: unknown): string | undefined {
  const text = error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error);
  return /\bCKR_[A-Z0-9_]+/.exec(text)?.[0];
}

/**
 * The Vietnamese reason for an error from the PKCS#11 module, by the CKR_ code name pkcs11js puts in the message,
 * so that it reads well inside the catalogue's "Không dùng được khóa ký số: {reason}."
 */
export function reasonForPkcs11Error(error: unknown): string {
  const code = pkcs11ReturnCode(error);
  switch (code) {
    case 'CKR_PIN_INCORRECT':
    case 'CKR_PIN_INVALID':
    case 'CKR_PIN_LEN_RANGE':
      return 'mã PIN không đúng';
    case 'CKR_PIN_LOCKED':
      return 'token đã bị khóa do nhập sai PIN nhiều lần — cần người quản trị mở khóa bằng mã PUK (SO PIN) hoặc đề nghị tổ chức cung cấp dịch vụ chứng thực cấp lại';
    case 'CKR_PIN_EXPIRED':
      return 'mã PIN của token đã hết hạn — cần đổi PIN bằng phần mềm của nhà cung cấp token';
    case 'CKR_TOKEN_NOT_PRESENT':
    case 'CKR_DEVICE_REMOVED':
    case 'CKR_TOKEN_NOT_RECOGNIZED':
      return 'thiết bị ký (token) đã bị rút ra hoặc không nhận được — hãy cắm lại token';
    case 'CKR_SESSION_HANDLE_INVALID':
    case 'CKR_SESSION_CLOSED':
    case 'CKR_USER_NOT_LOGGED_IN':
      return `phiên làm việc với token đã kết thúc (${code}) — token có thể đã bị rút ra; hãy cắm lại và thử lại`;
    case 'CKR_KEY_FUNCTION_NOT_PERMITTED':
    case 'CKR_KEY_TYPE_INCONSISTENT':
    case 'CKR_MECHANISM_INVALID':
    case 'CKR_KEY_HANDLE_INVALID':
      return `khóa trên token không ký được RSA SHA-256 (${code})`;
    case undefined:
      return `lỗi khi làm việc với token (${error instanceof Error ? error.message : String(error)})`;
    default:
      return `token báo lỗi ${code}`;
  }
}

/** Runs operations on one session one after another, whatever the callers do. */
function createQueue(): <T>(operation: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return (operation) => {
    const result = tail.then(operation);
    tail = result.catch(() => undefined);
    return result;
  };
}

async function loadLibrary(modulePath: string): Promise<{ library: LoadedLibrary; pkcs11js: Pkcs11Module }> {
  let pkcs11js: Pkcs11Module;
  try {
    // Imported here, not at the top: a machine without the native addon still starts, and says why it cannot sign.
    pkcs11js = (await import('pkcs11js')).default;
  } catch (error) {
    throw unavailable(
      `không nạp được thư viện PKCS#11 của xaso (pkcs11js: ${error instanceof Error ? error.message : String(error)})`,
    );
  }
  const known = loadedLibraries.get(modulePath);
  if (known) {
    known.users++;
    return { library: known, pkcs11js };
  }
  const pkcs11 = new pkcs11js.PKCS11();
  try {
    pkcs11.load(modulePath);
  } catch (error) {
    throw unavailable(
      `không nạp được thư viện PKCS#11 “${modulePath}” (${error instanceof Error ? error.message : String(error)}) — kiểm tra đường dẫn tới thư viện của nhà cung cấp token`,
    );
  }
  let isInitialisedHere = true;
  try {
    pkcs11.C_Initialize();
  } catch (error) {
    if (pkcs11ReturnCode(error) !== 'CKR_CRYPTOKI_ALREADY_INITIALIZED') {
      throw unavailable(
        `không khởi động được thư viện PKCS#11 “${modulePath}” (${reasonForPkcs11Error(error)})`,
      );
    }
    isInitialisedHere = false;
  }
  const library: LoadedLibrary = { pkcs11, users: 1, isInitialisedHere, logins: new Map() };
  loadedLibraries.set(modulePath, library);
  return { library, pkcs11js };
}

function releaseLibrary(modulePath: string, library: LoadedLibrary): void {
  library.users--;
  if (library.users > 0) return;
  loadedLibraries.delete(modulePath);
  if (!library.isInitialisedHere) return;
  try {
    library.pkcs11.C_Finalize();
  } catch {
    // Nothing is left to sign with; a module that fails to finalise changes nothing for the caller.
  }
}

function findObjects(pkcs11: Pkcs11Types.PKCS11, session: Handle, template: Pkcs11Types.Template): Handle[] {
  pkcs11.C_FindObjectsInit(session, template);
  try {
    const found: Handle[] = [];
    for (;;) {
      const batch = pkcs11.C_FindObjects(session, 64);
      found.push(...batch);
      if (batch.length < 64) return found;
    }
  } finally {
    pkcs11.C_FindObjectsFinal(session);
  }
}

/** An attribute's bytes; empty when the object has no such attribute or the token will not tell it. */
function attribute(pkcs11: Pkcs11Types.PKCS11, session: Handle, object: Handle, type: number): Buffer {
  try {
    const [result] = pkcs11.C_GetAttributeValue(session, object, [{ type }]);
    return result?.value ?? Buffer.alloc(0);
  } catch (error) {
    if (/^CKR_ATTRIBUTE_/.test(pkcs11ReturnCode(error) ?? '')) return Buffer.alloc(0);
    throw error;
  }
}

/** The signer's certificate, then each issuer found among `candidates`, up to a self-signed one or a gap. */
function buildChain(signerDer: Buffer, candidates: Buffer[]): Buffer[] {
  const chain = [signerDer];
  let current = new crypto.X509Certificate(signerDer);
  while (chain.length < 10 && current.issuer !== current.subject) {
    const issuer = candidates
      .filter((der) => !chain.some((inChain) => inChain.equals(der)))
      .map((der) => ({ der, certificate: new crypto.X509Certificate(der) }))
      .find(({ certificate }) => current.checkIssued(certificate) && current.verify(certificate.publicKey));
    if (!issuer) break;
    chain.push(issuer.der);
    current = issuer.certificate;
  }
  return chain;
}

/** Logs the user in, or joins the login another signer of this process made with the same PIN. */
function logIn(
  library: LoadedLibrary,
  pkcs11js: Pkcs11Module,
  session: Handle,
  serial: string,
  pin: string,
): void {
  const pinDigest = crypto.createHmac('sha256', pinDigestKey).update(pin).digest();
  const login = library.logins.get(serial);
  if (login) {
    if (!crypto.timingSafeEqual(login.pinDigest, pinDigest)) throw unavailable('mã PIN không đúng');
    login.users++;
    return;
  }
  try {
    library.pkcs11.C_Login(session, pkcs11js.CKU_USER, pin);
  } catch (error) {
    // Logged in by something else in this process, with a PIN we cannot compare: refuse rather than trust it.
    if (pkcs11ReturnCode(error) === 'CKR_USER_ALREADY_LOGGED_IN')
      throw unavailable('token đang được một chương trình khác trong tiến trình này đăng nhập');
    throw unavailable(reasonForPkcs11Error(error));
  }
  library.logins.set(serial, { pinDigest, users: 1 });
}

function leaveLogin(library: LoadedLibrary, serial: string): void {
  const login = library.logins.get(serial);
  if (login && --login.users === 0) library.logins.delete(serial);
}

/**
 * Opens a session on the token labelled `tokenLabel`, logs in with `pin` and finds the signing key and its
 * certificate. Throws SIGNING_KEY_UNAVAILABLE, with the reason in Vietnamese, when any of it fails.
 */
export async function createPkcs11Signer(options: Pkcs11SignerOptions): Promise<Pkcs11Signer> {
  const { library, pkcs11js } = await loadLibrary(options.modulePath);
  const { pkcs11 } = library;
  let session: Handle | undefined;
  let serial: string | undefined;
  const cleanUp = () => {
    if (session) {
      try {
        pkcs11.C_CloseSession(session);
      } catch {
        // The token may be gone already; its session went with it.
      }
    }
    if (serial !== undefined) leaveLogin(library, serial);
    releaseLibrary(options.modulePath, library);
  };
  try {
    let slots: Handle[];
    try {
      slots = pkcs11.C_GetSlotList(true);
    } catch (error) {
      throw unavailable(reasonForPkcs11Error(error));
    }
    const slot = slots.find((candidate) => {
      try {
        return tokenText(pkcs11.C_GetTokenInfo(candidate).label) === options.tokenLabel;
      } catch {
        return false;
      }
    });
    if (!slot)
      throw unavailable(
        `không thấy thiết bị ký (token) “${options.tokenLabel}” — hãy cắm token vào máy ký số`,
      );
    const tokenInfo = pkcs11.C_GetTokenInfo(slot);
    // A token that says it is locked is not sent a PIN at all: another try could not unlock it.
    if (tokenInfo.flags & pkcs11js.CKF_USER_PIN_LOCKED)
      throw unavailable(reasonForPkcs11Error(new Error('CKR_PIN_LOCKED')));
    const tokenSerial = `${slot.toString('hex')}:${tokenText(tokenInfo.serialNumber)}`;
    try {
      session = pkcs11.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION);
    } catch (error) {
      throw unavailable(reasonForPkcs11Error(error));
    }
    logIn(library, pkcs11js, session, tokenSerial, options.pin);
    serial = tokenSerial;
    const openSession = session;

    const keyTemplate: Pkcs11Types.Template = [{ type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY }];
    if (options.keyLabel !== undefined)
      keyTemplate.push({ type: pkcs11js.CKA_LABEL, value: options.keyLabel });
    if (options.keyId !== undefined)
      keyTemplate.push({ type: pkcs11js.CKA_ID, value: Buffer.from(options.keyId, 'hex') });
    const wanted = [
      options.keyLabel !== undefined ? `nhãn “${options.keyLabel}”` : '',
      options.keyId !== undefined ? `mã ${options.keyId}` : '',
    ]
      .filter(Boolean)
      .join(', ');
    const keys = findObjects(pkcs11, openSession, keyTemplate);
    if (keys.length === 0)
      throw unavailable(
        `không thấy khóa bí mật${wanted ? ` (${wanted})` : ''} trên token “${options.tokenLabel}”`,
      );
    if (keys.length > 1)
      throw unavailable(
        `token “${options.tokenLabel}” có ${keys.length} khóa bí mật${wanted ? ` khớp ${wanted}` : ''} — hãy chỉ rõ nhãn hoặc mã khóa`,
      );
    const key = keys[0]!;
    const keyType = attribute(pkcs11, openSession, key, pkcs11js.CKA_KEY_TYPE);
    if (keyType.length > 0 && keyType.readUIntLE(0, Math.min(keyType.length, 6)) !== pkcs11js.CKK_RSA)
      throw unavailable('khóa trên token không phải khóa RSA');
    const keyId = attribute(pkcs11, openSession, key, pkcs11js.CKA_ID);

    const certificateValues = (template: Pkcs11Types.Template) =>
      findObjects(pkcs11, openSession, [
        { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_CERTIFICATE },
        ...template,
      ])
        .map((object) => attribute(pkcs11, openSession, object, pkcs11js.CKA_VALUE))
        .filter((der) => der.length > 0);
    const own = certificateValues([{ type: pkcs11js.CKA_ID, value: keyId }]);
    // The certificate is the key's only by its CKA_ID; check that its public key is the key's too (the modulus is
    // public and readable even for a sensitive key).
    const modulus = attribute(pkcs11, openSession, key, pkcs11js.CKA_MODULUS);
    const signerCertificate = own.find((der) => {
      const jwk = new crypto.X509Certificate(der).publicKey.export({ format: 'jwk' });
      return modulus.length === 0 || Buffer.from(jwk.n ?? '', 'base64url').equals(stripLeadingZeros(modulus));
    });
    if (!signerCertificate)
      throw unavailable(
        own.length === 0
          ? `token “${options.tokenLabel}” không có chứng thư số đi kèm khóa bí mật (cùng CKA_ID)`
          : 'chứng thư số trên token không khớp với khóa bí mật',
      );
    const chain = buildChain(signerCertificate, [
      ...certificateValues([]),
      ...(options.extraCertificates ?? []),
    ]);

    const enqueue = createQueue();
    let isClosed = false;
    return {
      certificateChain: async () => chain,
      signSha256: (data) =>
        enqueue(async () => {
          if (isClosed) throw unavailable('phiên ký với token đã đóng');
          try {
            pkcs11.C_SignInit(openSession, { mechanism: pkcs11js.CKM_SHA256_RSA_PKCS }, key);
            // Asynchronous: a real token takes tens of milliseconds per signature, off the event loop.
            return Buffer.from(await pkcs11.C_SignAsync(openSession, data, Buffer.alloc(1024)));
          } catch (error) {
            throw unavailable(reasonForPkcs11Error(error));
          }
        }),
      close: () =>
        enqueue(async () => {
          if (isClosed) return;
          isClosed = true;
          cleanUp();
        }),
    };
  } catch (error) {
    cleanUp();
    if (error instanceof AppError) throw error;
    throw unavailable(reasonForPkcs11Error(error));
  }
}

/** A CK_TOKEN_INFO text field without the blank (or NUL) padding the standard asks for. */
function tokenText(value: string): string {
  return value.replace(/[\s\0]+$/, '');
}

function stripLeadingZeros(bytes: Buffer): Buffer {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  return bytes.subarray(start);
}
