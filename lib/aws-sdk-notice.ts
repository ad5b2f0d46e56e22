/**
 * The AWS SDK for JavaScript v3's notice that its releases after the first week of January 2027
 * need Node 22 (`NodeVersionSupportWarning`, eight lines on stderr from the first client a process
 * creates on Node 20; aws/aws-sdk-js-v3#7983). package.json's `engines` allows Node 20 and pins the
 * SDK versions, so the notice says nothing a user of this project has to act on: the pinned clients
 * keep working, and moving to Node 22 is the way out before they are upgraded (README,
 * "Two commands"). The SDK skips the notice when `AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED`
 * is `true` at the time a client is created (@aws-sdk/core, `emitWarningIfUnsupportedVersion`,
 * compares with `=== "true"`).
 */

export const SDK_NODE_NOTICE_SETTING = "AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED";

/**
 * Turns the notice off for this process and the processes it starts, unless the environment
 * already says otherwise. Call it before the first AWS SDK client is created: every command that
 * talks to AWS (doctor, adopt:terraform, fixtures:terraform) and the test run (.mocharc.json).
 */
export function quietSdkNodeNotice(env: NodeJS.ProcessEnv = process.env): void {
    env[SDK_NODE_NOTICE_SETTING] ??= "true";
}
