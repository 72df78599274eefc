/**
 * The SQS stand-in the tests use: relay/local/sqs-emulator.ts (also used by `npm run chaos`).
 */
export { SqsEmulator as FakeSqs, type SqsCall } from '../../local/sqs-emulator';
