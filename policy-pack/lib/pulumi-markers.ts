/**
 * The markers Pulumi writes into property values, in its wire format (what the SDK sends the
 * engine), its state (what `pulumi stack export` writes) and what CrossGuard's policies receive.
 * Written here once for the pack, its audit and the tools around the program.
 *
 * Sources: `@pulumi/pulumi/runtime/rpc.js` (`specialSigKey`, `specialSecretSig`,
 * `specialResourceSig`, `unknownValue`), mirroring `sdk/go/common/resource/sig`; the seven
 * unknown sentinels are those `@pulumi/policy` (`proxy.js`, `unknown*Value`) recognises.
 */

/** The key whose value says what kind of special object a property value is. */
export const SIGNATURE_KEY = "4dabf18193072939515e22adb298388d";
/** `SIGNATURE_KEY`'s value in a secret: `value` on the wire, `ciphertext` or `plaintext` in a stack export. */
export const SECRET_SIGNATURE = "1b47061264138c4ac30d75fd1eb44270";
/** `SIGNATURE_KEY`'s value in a resource reference. */
export const RESOURCE_REFERENCE_SIGNATURE = "5cf8f73096256a8f31e491e813e4eb8e";

/** The value the engine sends for a property not known until the resource exists (a string's sentinel in CrossGuard). */
export const UNKNOWN_VALUE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Every sentinel CrossGuard's policies may receive in place of a value not known during preview. */
export const UNKNOWN_SENTINELS: ReadonlySet<string> = new Set([
    "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7", // boolean
    "3eeb2bf0-c639-47a8-9e75-3b44932eb421", // number
    UNKNOWN_VALUE, // string
    "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2", // array
    "030794c1-ac77-496b-92df-f27374a8bd58", // asset
    "e48ece36-62e2-4504-bad9-02848725956a", // archive
    "dd056dcd-154b-4c76-9bd3-c8f88648b5ff", // object
]);
