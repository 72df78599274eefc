/**
 * What the decode + classify throughput bench times (relay/bench/throughput.ts), bundled the way the Lambda bundle
 * is built, so the figure is the deployed code's.
 */
export { classify } from '../src/classify';
export { decodeKinesisRecord } from '../src/decode';
export { DEFAULT_POLICY } from '../src/policy';
